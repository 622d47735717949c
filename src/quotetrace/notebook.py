"""``quotetrace.extract``: who said what in a few texts, for a quick look in a notebook.

    >>> import quotetrace
    >>> found = quotetrace.extract("“We will rebuild the bridge,” Mayor Lena Hart said.")
    >>> [(s["speaker"], s["kind"]) for s in found.to_dicts()]
    [('Lena Hart', 'direct')]

``extract`` takes a string, an ``Article``, or a list of either, and gives back the processed
articles (a list of ``ProcessedArticle``) that also turns into a table of statements, one row
each: ``.to_dicts()``, ``.to_pandas()``, ``.to_polars()``; in Jupyter it shows as that table.
The model is loaded on the first call and kept for the next ones.
"""

from __future__ import annotations

import html
from collections.abc import Iterable
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from .errors import InputError
from .models import Article, ProcessedArticle
from .tables import RecordList

if TYPE_CHECKING:
    from spacy.language import Language

__all__ = ["STATEMENT_ROW_COLUMNS", "Extraction", "extract"]

STATEMENT_ROW_COLUMNS = (
    "doc_id",
    "index",
    "kind",
    "speaker",
    "cue",
    "content",
    "source",
    "confidence",
    "rule",
    "content_start",
    "content_end",
    "outlet",
    "date",
    "title",
)
_HTML_ROWS = 50


def statement_rows(item: ProcessedArticle) -> list[dict[str, Any]]:
    """One flat row per statement of ``item``: the snippets, not just the offsets."""
    article = item.article
    return [
        {
            "doc_id": article.doc_id,
            "index": n,
            "kind": a.kind,
            "speaker": a.speaker,
            "cue": item.snippet(a.cue) or None,
            "content": item.snippet(a.content),
            "source": item.snippet(a.source) or None,
            "confidence": round(a.confidence, 3),
            "rule": a.rule,
            "content_start": a.content[0],
            "content_end": a.content[1],
            "outlet": article.outlet,
            "date": article.date,
            "title": article.title,
        }
        for n, a in enumerate(item.attributions)
    ]


class Extraction(RecordList[ProcessedArticle]):
    """The processed articles; as a table, one row per statement."""

    def __init__(self, items: Iterable[ProcessedArticle] = ()) -> None:
        super().__init__(items, STATEMENT_ROW_COLUMNS)

    def to_dicts(self) -> list[dict[str, Any]]:
        return [row for item in self for row in statement_rows(item)]

    def _repr_html_(self) -> str:
        rows = self.to_dicts()
        shown = ("doc_id", "speaker", "cue", "kind", "content", "confidence")
        head = "".join(f"<th>{name}</th>" for name in shown)
        body = "".join(
            "<tr>" + "".join(f"<td>{html.escape(str(r[c] or ''))}</td>" for c in shown) + "</tr>"
            for r in rows[:_HTML_ROWS]
        )
        more = f"<p>… {len(rows) - _HTML_ROWS} more</p>" if len(rows) > _HTML_ROWS else ""
        return (
            f"<p>{len(self)} article(s), {len(rows)} statement(s)</p>"
            f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>{more}"
        )


@lru_cache(maxsize=2)
def _pipeline(model: str | None) -> Language:
    from .nlp.pipeline import load_pipeline

    return load_pipeline(model)


def _as_articles(texts: str | Article | Iterable[str | Article]) -> list[Article]:
    given = [texts] if isinstance(texts, str | Article) else list(texts)
    articles = []
    for n, item in enumerate(given, 1):
        if isinstance(item, Article):
            articles.append(item)
        elif isinstance(item, str):
            articles.append(Article(f"text-{n}", item))
        else:
            raise InputError(
                f"item {n} is a {type(item).__name__}, not a str or an Article",
                "give a string, an Article, or a list of them",
                source="quotetrace.extract",
            )
    return articles


def extract(
    texts: str | Article | Iterable[str | Article],
    *,
    model: str | None = None,
    nlp: Language | None = None,
) -> Extraction:
    """Who said what in ``texts``: a string, an ``Article``, or a list of either.

    Strings get the doc_ids ``text-1``, ``text-2``, ... in the order given.
    """
    from .nlp.pipeline import extract_articles

    articles = _as_articles(texts)
    if not articles:
        return Extraction()
    return Extraction(extract_articles(articles, nlp or _pipeline(model)))
