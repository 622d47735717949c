"""WARC files into the store with the real model: exactly the article pages, once."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from typer.testing import CliRunner
from warc_builders import ARTICLES, OUTLET, news_warc

from quotetrace.cli import app
from quotetrace.store import Store

if TYPE_CHECKING:
    from spacy.language import Language

pytestmark = pytest.mark.model


@pytest.fixture
def cli(nlp: Language, monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    # The commands load the pipeline themselves; hand them the session's (same model).
    import quotetrace.nlp.pipeline as pipeline

    monkeypatch.setattr(pipeline, "load_pipeline", lambda model=None: nlp)
    return CliRunner()


def test_ingest_stores_exactly_the_article_pages_and_reingest_adds_nothing(
    tmp_path: Path, cli: CliRunner
) -> None:
    warc = news_warc(tmp_path / "crawl.warc.gz")
    db = str(tmp_path / "news.db")
    first = cli.invoke(app, ["ingest", str(warc), "--db", db])
    assert first.exit_code == 0, first.output
    assert "3 stored" in first.output
    assert "14 WARC record(s): 3 article(s); skipped" in first.output
    assert "Error" not in first.output
    with Store.open(db) as store:
        stored = store.articles()
        assert sorted(a.meta["url"] for a in stored) == sorted(e.url for e in ARTICLES)
        by_url = {a.meta["url"]: a for a in stored}
        for expected in ARTICLES:
            article = by_url[expected.url]
            assert (article.date, article.outlet, article.title) == (
                expected.date,
                OUTLET,
                expected.title,
            )
            assert article.doc_id.startswith("urn:uuid:")
        counts = store.counts()
        assert counts["statements"] > 0
        said = store.statements(speaker="Ilka Sorn")
        assert said and {s.outlet for s in said} == {OUTLET}

    again = cli.invoke(app, ["ingest", str(warc), "--db", db])
    assert again.exit_code == 0, again.output
    assert "0 stored" in again.output and "3 already stored" in again.output
    with Store.open(db) as store:
        assert store.counts() == counts


def test_extract_reads_a_warc_as_jsonl(tmp_path: Path, cli: CliRunner) -> None:
    warc = news_warc(tmp_path / "crawl.warc")
    out = tmp_path / "out.jsonl"
    result = cli.invoke(app, ["extract", str(warc), "--format", "jsonl", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert "14 WARC record(s): 3 article(s)" in result.output
    lines = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [r["meta"]["url"] for r in lines] == [e.url for e in ARTICLES]
    assert all(r["meta"]["outlet"] == OUTLET for r in lines)
    assert all(r["attributions"] for r in lines)
