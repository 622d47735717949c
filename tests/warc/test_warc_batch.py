"""``quotetrace batch`` on a WARC: record ranges read by the workers, same result as ingest."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from typer.testing import CliRunner
from warc_builders import generated_warc, load_generator

from quotetrace.batch.plan import plan_shards
from quotetrace.cli import app
from quotetrace.ingest import ReadReport
from quotetrace.store import Store

if TYPE_CHECKING:
    from spacy.language import Language

PAGES = 24


@pytest.fixture(scope="module")
def crawl(tmp_path_factory: pytest.TempPathFactory) -> Path:
    records = load_generator().generate_records(PAGES, seed=3, sentences=4)
    return generated_warc(tmp_path_factory.mktemp("warc") / "crawl.warc.gz", records)


def test_the_plan_cuts_a_warc_into_record_ranges(crawl: Path) -> None:
    report = ReadReport()
    plans = plan_shards([str(crawl)], 5, None, report)
    assert [p.size for p in plans] == [5, 5, 5, 5, 4]
    ranges = [p.warc for p in plans]
    assert all(r is not None for r in ranges)
    starts = [r.start for r in ranges if r is not None]
    ends = [r.end for r in ranges if r is not None]
    assert starts == sorted(starts) and ends[:-1] == starts[1:]
    assert report.errors == [] and report.warc.articles == PAGES
    # Nothing but headers was read: no record was judged an article or not.
    assert "not-article" not in report.warc.skipped
    assert plan_shards([str(crawl)], 5) == plans  # the same input plans the same shards


def _statements(db: Path) -> list[tuple[object, ...]]:
    with Store.open(str(db)) as store:
        return sorted(
            (s.doc_id, s.ordinal, s.kind, s.content, s.speaker, s.outlet, s.date)
            for s in store.statements()
        )


@pytest.mark.model
@pytest.mark.parametrize("engine", ["local", "dask"])
def test_batch_over_a_warc_stores_what_ingest_stores(
    crawl: Path,
    tmp_path: Path,
    engine: str,
    nlp: Language,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import quotetrace.nlp.pipeline as pipeline

    runner = CliRunner()
    if engine == "local":  # Dask workers load their own pipeline
        monkeypatch.setattr(pipeline, "load_pipeline", lambda model=None: nlp)
    out = tmp_path / "shards"
    args = ["batch", str(crawl), "--out", str(out), "--engine", engine, "--workers", "2"]
    first = runner.invoke(app, [*args, "--shard-size", "5"])
    assert first.exit_code == 0, first.output
    assert f"HTML page(s) to extract; skipped {PAGES} request" in first.output
    manifest = json.loads((out / "manifest.json").read_text())
    assert len(manifest["shards"]) == 5
    assert sum(s["articles"] for s in manifest["shards"].values()) == PAGES
    again = runner.invoke(app, [*args, "--shard-size", "5"])
    assert again.exit_code == 0 and "already done" in again.output

    loaded = runner.invoke(app, ["load", str(out), "--db", str(tmp_path / "b.db"), "--quiet"])
    assert loaded.exit_code == 0, loaded.output
    monkeypatch.setattr(pipeline, "load_pipeline", lambda model=None: nlp)
    ingested = runner.invoke(app, ["ingest", str(crawl), "--db", str(tmp_path / "i.db"), "-q"])
    assert ingested.exit_code == 0, ingested.output
    batch, ingest = _statements(tmp_path / "b.db"), _statements(tmp_path / "i.db")
    assert len({s[0] for s in batch}) == PAGES
    assert batch == ingest
