"""What may enter the store: the content hash that keys an article, and the checks that
refuse what a database cannot hold faithfully, the same way on every backend."""

from __future__ import annotations

import hashlib
import json

from ..errors import MalformedRecordError, StoreError
from ..models import Article, ProcessedArticle

__all__ = ["article_hash", "check_processed", "check_storable"]


def article_hash(article: Article) -> str:
    """SHA-256 over the article as given: doc_id, text, date, outlet, title and meta."""
    payload = json.dumps(
        [article.doc_id, article.text, article.date, article.outlet, article.title, article.meta],
        sort_keys=True,
        ensure_ascii=False,
        separators=(",", ":"),
        default=str,
    )
    return hashlib.sha256(payload.encode("utf-8", "surrogatepass")).hexdigest()


def check_storable(article: Article) -> None:
    """Refuse what a database cannot hold faithfully, the same way on every backend.

    PostgreSQL text cannot contain NUL, and no UTF-8 database can hold a lone surrogate
    (which ``json.loads`` happily produces from ``"\\ud800"``).
    """
    for name, value in (("doc_id", article.doc_id), ("text", article.text)):
        if "\x00" in value:
            raise MalformedRecordError(
                f"the article's {name} contains NUL characters",
                "remove them (tr -d '\\000') and ingest again",
                source=article.doc_id.replace("\x00", "\\0"),
            )
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            raise MalformedRecordError(
                f"the article's {name} contains unpaired surrogate characters",
                "fix the \\ud800-style escapes in the input",
                source=article.doc_id.encode("utf-8", "replace").decode(),
            ) from None
    try:
        json.dumps(article.meta, ensure_ascii=False).encode("utf-8")
    except (TypeError, ValueError, UnicodeEncodeError):
        raise MalformedRecordError(
            "the article's meta cannot be stored as JSON",
            "keep meta to strings, numbers, lists and objects",
            source=article.doc_id,
        ) from None
    if "\\u0000" in json.dumps(article.meta) or "\x00" in json.dumps(article.meta):
        raise MalformedRecordError(
            "the article's meta contains NUL characters", "remove them", source=article.doc_id
        )


def check_processed(item: ProcessedArticle) -> None:
    """Refuse an extraction result the store cannot hold faithfully (see ``check_storable``)."""
    check_storable(item.article)
    size = len(item.article.text)
    spans = [s for a in item.attributions for s in (a.content, a.source, a.cue) if s is not None]
    spans += [m for actor in item.actors for m in actor.mentions]
    for start, end in spans:
        if not 0 <= start <= end <= size:
            raise StoreError(
                f"span ({start}, {end}) lies outside the {size}-character text",
                "the extractor produced a bad offset; report it with the article",
                source=item.article.doc_id,
            )
