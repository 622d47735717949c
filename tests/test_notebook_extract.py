"""``quotetrace.extract``: texts in, a statements table out, for a quick look in a notebook."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

import quotetrace
from quotetrace import Article, Extraction, ProcessedArticle
from quotetrace.errors import InputError

if TYPE_CHECKING:
    from spacy.language import Language

pytestmark = pytest.mark.model

HART = "“We will reopen the bridge in May,” Mayor Lena Hart said on Monday."
REYES = "Councillor Tom Reyes said the repairs would cost twice the estimate."


def test_a_string_gives_its_statements(nlp: Language) -> None:
    found = quotetrace.extract(HART, nlp=nlp)
    assert isinstance(found, Extraction) and len(found) == 1
    assert isinstance(found[0], ProcessedArticle) and found[0].article.doc_id == "text-1"
    [row] = found.to_dicts()
    assert (row["speaker"], row["cue"], row["kind"]) == ("Lena Hart", "said", "direct")
    assert row["content"] == HART[row["content_start"] : row["content_end"]]


def test_a_list_of_strings_and_articles_keeps_its_order_and_ids(nlp: Language) -> None:
    article = Article("harbour-1", REYES, date="2025-04-15", outlet="Harbour Post")
    found = quotetrace.extract([HART, article, "The bridge stays closed until May."], nlp=nlp)
    assert [p.article.doc_id for p in found] == ["text-1", "harbour-1", "text-3"]
    rows = found.to_dicts()
    assert [(r["doc_id"], r["speaker"]) for r in rows] == [
        ("text-1", "Lena Hart"),
        ("harbour-1", "Tom Reyes"),
    ]
    assert rows[1]["outlet"] == "Harbour Post" and rows[1]["date"] == "2025-04-15"
    html = found._repr_html_()
    assert "3 article(s), 2 statement(s)" in html and "Tom Reyes" in html


def test_tables(nlp: Language) -> None:
    found = quotetrace.extract([HART, REYES], nlp=nlp)
    pytest.importorskip("pandas")
    frame = found.to_pandas()
    assert frame["speaker"].tolist() == ["Lena Hart", "Tom Reyes"]
    assert quotetrace.extract([], nlp=nlp).to_pandas().columns.tolist()[:3] == [
        "doc_id",
        "index",
        "kind",
    ]
    pytest.importorskip("polars")
    assert found.to_polars()["kind"].to_list() == ["direct", "indirect"]


def test_something_else_is_a_clear_error() -> None:
    with pytest.raises(InputError, match="item 2 is a int, not a str or an Article"):
        quotetrace.extract(["fine", 3])  # type: ignore[list-item]


def test_the_pipeline_is_loaded_once(monkeypatch: pytest.MonkeyPatch, nlp: Language) -> None:
    import quotetrace.nlp.pipeline as pipeline
    import quotetrace.notebook as notebook

    loads: list[str | None] = []

    def load(model: str | None = None) -> Language:
        loads.append(model)
        return nlp

    monkeypatch.setattr(pipeline, "load_pipeline", load)
    notebook._pipeline.cache_clear()
    try:
        quotetrace.extract(HART)
        quotetrace.extract(REYES)
    finally:
        notebook._pipeline.cache_clear()
    assert loads == [None]
