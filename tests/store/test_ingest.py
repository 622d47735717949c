"""Ingest with the real model: files in, store filled; nothing lost, nothing doubled.

The kill test runs ``quotetrace ingest`` as a real process, kills it with SIGKILL after some
batches are committed, checks the store holds only whole batches, resumes with the same
command and compares the result article by article with an uninterrupted ingest.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from store_builders import tiny_wire_corpus
from typer.testing import CliRunner

from quotetrace.cli import app
from quotetrace.store import Store
from quotetrace.store.ingest import ingest_paths

if TYPE_CHECKING:
    from spacy.language import Language

pytestmark = pytest.mark.model

SEED = Path(__file__).resolve().parents[2].parent / "shared" / "seed" / "islamtimes-2023-11-06.txt"
QUOTETRACE = str(Path(sys.executable).with_name("quotetrace"))
KILL_CORPUS_SIZE = 120
KILL_BATCH = 5


def _write_jsonl(path: Path, records: list[dict[str, object]]) -> Path:
    path.write_text(
        "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8"
    )
    return path


@pytest.fixture
def inputs(tmp_path: Path) -> Path:
    folder = tmp_path / "in"
    folder.mkdir()
    _write_jsonl(folder / "wire.jsonl", tiny_wire_corpus(12))
    (folder / "gazette.txt").write_text(
        "date 2024-03-14 Lakeside Gazette - The harbour council delayed its vote on the ferry "
        "terminal, chair Mara Voss said on Thursday. “We need the engineers' report first,” "
        "Voss told reporters.\n",
        encoding="utf-8",
    )
    (folder / "broken.jsonl").write_text('{"doc_id": "x", "text": \n{"text": "no id"}\n')
    (folder / "picture.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" * 10)
    return folder


def test_ingest_stores_everything_once_and_reports_bad_files(
    store: Store, inputs: Path, nlp: Language
) -> None:
    report = ingest_paths(store, [str(inputs)], nlp=nlp, commit_every=5)
    assert report.added.articles_added == 13
    assert report.batches == 3
    assert sorted(os.path.basename((e.source or "").split(":")[0]) for e in report.errors) == [
        "broken.jsonl",
        "broken.jsonl",
        "picture.txt",
    ]
    counts = store.counts()
    assert counts["articles"] == 13 and counts["statements"] == report.added.statements_added > 0
    voss = store.search("engineers", speaker="Mara Voss", outlet="Lakeside Gazette")
    assert [h.statement.doc_id for h in voss.hits] == [str(inputs / "gazette.txt")]

    again = ingest_paths(store, [str(inputs)], nlp=nlp)
    assert again.added.articles_added == 0 and again.already_stored == 13
    assert again.to_store == 0
    assert store.counts() == counts


def test_a_changed_file_becomes_a_new_version(store: Store, inputs: Path, nlp: Language) -> None:
    ingest_paths(store, [str(inputs)], nlp=nlp)
    gazette = inputs / "gazette.txt"
    gazette.write_text(gazette.read_text().replace("Thursday", "Friday"), encoding="utf-8")
    report = ingest_paths(store, [str(inputs)], nlp=nlp)
    assert (report.added.articles_added, report.added.new_versions) == (1, 1)
    current = store.article_by_doc_id(str(gazette))
    assert current is not None and current.version == 2 and "Friday" in current.text


def test_the_seed_article_is_stored_and_searchable(store: Store, nlp: Language) -> None:
    if not SEED.exists():
        pytest.skip("../shared is absent")
    ingest_paths(store, [str(SEED)], nlp=nlp)
    page = store.search("regime", speaker="Imam Khamenei", since="2023-11", until="2023-11")
    assert page.hits, "Khamenei's statements about the regime are found"
    assert {h.statement.outlet for h in page.hits} == {"Islam Times"}


def test_the_cli_session(
    tmp_path: Path, inputs: Path, nlp: Language, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The commands load the pipeline themselves; hand them the session's (same model, loaded once).
    import quotetrace.nlp.pipeline as pipeline

    monkeypatch.setattr(pipeline, "load_pipeline", lambda model=None: nlp)
    db = str(tmp_path / "cli.db")
    runner = CliRunner()
    first = runner.invoke(app, ["ingest", str(inputs), "--db", db])
    assert first.exit_code == 1  # the bad files
    assert "picture.txt" in first.output and "13 stored" in first.output
    found = runner.invoke(app, ["search", "ferry", "--db", db, "--format", "json", "-n", "50"])
    assert found.exit_code == 0, found.output
    page = json.loads(found.stdout)
    assert page["total"] >= 1 and all("«" in r["snippet"] for r in page["results"])
    table = runner.invoke(app, ["search", "ferry", "--db", db, "--outlet", "lakeside gazette"])
    assert table.exit_code == 0 and "Lakeside Gazette" in table.stdout
    listed = runner.invoke(app, ["actors", "list", "--db", db, "--format", "json"])
    voss = next(a for a in json.loads(listed.stdout) if a["name"] == "Mara Voss")
    shown = runner.invoke(app, ["actors", "show", str(voss["id"]), "--db", db])
    assert shown.exit_code == 0 and "Lakeside Gazette" in shown.stdout
    out = tmp_path / "all.jsonl"
    exported = runner.invoke(app, ["export", "--format", "jsonl", "-o", str(out), "--db", db])
    assert exported.exit_code == 0 and len(out.read_text().splitlines()) == 13
    bad = runner.invoke(app, ["search", "x", "--since", "someday", "--db", db])
    assert bad.exit_code == 1 and "Error:" in bad.output and "YYYY-MM" in bad.output
    missing = runner.invoke(app, ["actors", "show", "9999", "--db", db])
    assert missing.exit_code == 1 and "no actor with id 9999" in missing.output


def _per_article(store: Store) -> dict[str, list[tuple[int, int, str]]]:
    return {
        p.article.doc_id: [(a.content[0], a.content[1], a.kind) for a in p.processed.attributions]
        for p in store.iter_processed()
    }


@pytest.fixture(scope="module")
def kill_corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("kill")
    return _write_jsonl(folder / "corpus.jsonl", tiny_wire_corpus(KILL_CORPUS_SIZE))


@pytest.fixture(scope="module")
def uninterrupted(
    kill_corpus: Path, tmp_path_factory: pytest.TempPathFactory, nlp: Language
) -> dict[str, list[tuple[int, int, str]]]:
    with Store.open(str(tmp_path_factory.mktemp("ref") / "ref.db")) as ref:
        ingest_paths(ref, [str(kill_corpus)], nlp=nlp)
        return _per_article(ref)


def _ingest_command(corpus: Path, db: str) -> list[str]:
    return [QUOTETRACE, "ingest", str(corpus), "--db", db, "--commit-every", str(KILL_BATCH), "-q"]


def test_a_killed_ingest_resumes_with_nothing_lost_or_doubled(
    store_url: str,
    kill_corpus: Path,
    uninterrupted: dict[str, list[tuple[int, int, str]]],
) -> None:
    Store.open(store_url).close()  # create the schema first, so polling can count
    env = {**os.environ, "QUOTETRACE_N_PROCESS": "1"}
    process = subprocess.Popen(
        _ingest_command(kill_corpus, store_url), env=env, stderr=subprocess.PIPE
    )
    with Store.open(store_url) as watcher:
        deadline = time.monotonic() + 120
        while watcher.counts()["articles"] < 2 * KILL_BATCH:
            assert process.poll() is None, process.stderr.read() if process.stderr else ""
            assert time.monotonic() < deadline, "the ingest never committed a batch"
            time.sleep(0.02)
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=30)
        assert process.returncode == -signal.SIGKILL
        after_kill = watcher.counts()
        stored_at_kill = _per_article(watcher)
    # Mid-run, and only whole batches: every stored article has all its statements.
    assert 0 < after_kill["articles"] < KILL_CORPUS_SIZE
    assert after_kill["articles"] % KILL_BATCH == 0
    for doc_id, statements in stored_at_kill.items():
        assert statements == uninterrupted[doc_id], doc_id

    resumed = subprocess.run(
        _ingest_command(kill_corpus, store_url),
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert resumed.returncode == 0, resumed.stderr
    with Store.open(store_url) as store:
        final = _per_article(store)
        counts = store.counts()
    assert final == uninterrupted  # 0 lost, 0 changed
    assert counts["articles"] == KILL_CORPUS_SIZE  # 0 duplicated
    assert counts["statements"] == sum(len(s) for s in uninterrupted.values())


_WORDS = st.sampled_from(
    "the council mayor said would open bridge harbour “ ” , . Voss Lind Brenn Paro "
    "told reporters that warned added ferry terminal season week \n".split(" ")
)
_INPUT_TEXT = st.lists(_WORDS, min_size=3, max_size=40).map(" ".join).filter(str.strip)


@settings(
    max_examples=8,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    texts=st.lists(_INPUT_TEXT, min_size=1, max_size=4, unique=True),
    outlet=st.none() | st.sampled_from(["Lakeside Gazette", "Ellin Courier"]),
)
def test_ingest_store_export_round_trip(
    tmp_path: Path, nlp: Language, texts: list[str], outlet: str | None
) -> None:
    """Input records in → the same records, with exactly the extractor's attributions, out."""
    from quotetrace.ingest import iter_articles
    from quotetrace.nlp.pipeline import extract_articles
    from quotetrace.store.export import export_store

    run = tmp_path / f"run-{uuid.uuid4().hex}"
    run.mkdir()
    records = [
        {"doc_id": f"p/{i}", "text": text, "meta": {"outlet": outlet, "date": "2024-05-02"}}
        for i, text in enumerate(texts)
    ]
    source = _write_jsonl(run / "in.jsonl", records)
    expected = {
        p.article.doc_id: p.to_json() for p in extract_articles(iter_articles([source]), nlp)
    }
    with Store.open(str(run / "store.db")) as store:
        first = ingest_paths(store, [str(source)], nlp=nlp)
        assert first.errors == [] and first.added.articles_added == len(records)
        again = ingest_paths(store, [str(source)], nlp=nlp)
        assert again.added.articles_added == 0 and again.already_stored == len(records)
        export_store(store, "jsonl", run / "out.jsonl")
    exported = [json.loads(line) for line in (run / "out.jsonl").read_text().splitlines()]
    assert [r["doc_id"] for r in exported] == [r["doc_id"] for r in records]
    for record in exported:
        record.pop("article_id"), record.pop("version")
        for attribution in record["attributions"]:
            for key in ("statement_id", "store_actor_id", "speaker_actor_id", "speaker_canonical"):
                attribution.pop(key)
        for actor in record["actors"]:
            actor.pop("store_actor_id"), actor.pop("canonical")
        assert record == expected[record["doc_id"]]
