"""``kill -9`` in the middle of ``quotetrace batch``, ``load`` and ``stories``, then the same
command again: the job finishes with nothing lost and nothing doubled.

Each command runs as a real process and is killed with SIGKILL once it has done part of its
work (shards in the manifest, articles in the store) or, for ``stories``, half-way through the
time an uninterrupted run took. The resumed result is compared item by item with an
uninterrupted run of the same command.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from store_builders import tiny_wire_corpus

from quotetrace.batch import BatchOptions, run_batch
from quotetrace.batch.load import load_shards
from quotetrace.batch.manifest import Manifest
from quotetrace.batch.shards import read_shard
from quotetrace.store import Store

pytestmark = pytest.mark.model

QUOTETRACE = str(Path(sys.executable).with_name("quotetrace"))
CORPUS_SIZE = 240
SHARD_SIZE = 10
ENV = {**os.environ, "QUOTETRACE_N_PROCESS": "1"}

Extracted = dict[str, list[tuple[int, int, str, str | None]]]


def _extracted_from_shards(out: Path) -> tuple[Extracted, int]:
    """Every article in a batch output (and how many rows, to see doubles)."""
    manifest = Manifest.read(out)
    assert manifest is not None
    found: Extracted = {}
    rows = 0
    for shard_id in manifest.finished_shards():
        for item in read_shard(out, shard_id):
            rows += 1
            found[item.article.doc_id] = [
                (a.content[0], a.content[1], a.kind, a.speaker) for a in item.attributions
            ]
    return found, rows


def _extracted_from_store(store: Store) -> Extracted:
    return {
        p.article.doc_id: [
            (a.content[0], a.content[1], a.kind, a.speaker) for a in p.processed.attributions
        ]
        for p in store.iter_processed()
    }


def _stories(store: Store) -> set[frozenset[str]]:
    """The stories as groups of doc_ids. Story ids are named after their founding article's
    row id, and PostgreSQL does not hand back the ids a killed transaction drew, so the ids
    may differ between runs while the grouping may not."""
    groups: dict[str | None, set[str]] = {}
    for a in store.articles():
        groups.setdefault(a.story_id, set()).add(a.doc_id)
    assert None not in groups, f"{len(groups[None])} article(s) in no story"
    return {frozenset(g) for g in groups.values()}


def _kill_when(process: subprocess.Popen[str], ready: Callable[[], bool], what: str) -> None:
    deadline = time.monotonic() + 300
    while not ready():
        assert process.poll() is None, f"{what} ended before it was killed: {process.stderr}"
        assert time.monotonic() < deadline, f"{what} made no progress"
        time.sleep(0.02)
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=30)
    assert process.returncode == -signal.SIGKILL


def _children(pid: int) -> list[int]:
    try:
        return [int(p) for p in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:
        return []


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def _run(command: list[str]) -> subprocess.CompletedProcess[str]:
    done = subprocess.run(command, env=ENV, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr, done.stderr
    return done


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("kill-corpus") / "wire.jsonl"
    records = tiny_wire_corpus(CORPUS_SIZE)
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def reference_shards(corpus: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("ref-shards") / "shards"
    run_batch([str(corpus)], out, BatchOptions(shard_size=SHARD_SIZE))
    return out


@pytest.fixture(scope="module")
def reference_store(
    reference_shards: Path, tmp_path_factory: pytest.TempPathFactory
) -> tuple[Extracted, set[frozenset[str]], dict[str, int]]:
    with Store.open(str(tmp_path_factory.mktemp("ref-store") / "ref.db")) as ref:
        load_shards(reference_shards, ref)
        return _extracted_from_store(ref), _stories(ref), ref.counts()


def test_a_killed_batch_resumes_and_writes_each_article_once(
    corpus: Path, reference_shards: Path, tmp_path: Path
) -> None:
    out = tmp_path / "shards"
    command = [QUOTETRACE, "batch", str(corpus), "--out", str(out)]
    command += ["--shard-size", str(SHARD_SIZE), "--workers", "2", "-q"]
    process = subprocess.Popen(command, env=ENV, stderr=subprocess.PIPE, text=True)

    def some_shards_done() -> bool:
        manifest = Manifest.read(out) if (out / "manifest.json").exists() else None
        return manifest is not None and len(manifest.finished_shards()) >= 3

    parsers: list[int] = []

    def some_shards_done_and_parsers_known() -> bool:
        parsers[:] = _children(process.pid)
        return some_shards_done()

    _kill_when(process, some_shards_done_and_parsers_known, "quotetrace batch")
    assert parsers, "the batch forked no parser processes"
    # Its parser processes go with it, instead of waiting for texts forever.
    deadline = time.monotonic() + 20
    while any(_alive(pid) for pid in parsers):
        assert time.monotonic() < deadline, f"orphaned parser processes: {parsers}"
        time.sleep(0.1)
    at_kill = Manifest.read(out)
    assert at_kill is not None
    assert 3 <= len(at_kill.finished_shards()) < CORPUS_SIZE // SHARD_SIZE  # half done

    _run(command)
    expected, _ = _extracted_from_shards(reference_shards)
    resumed, rows = _extracted_from_shards(out)
    assert resumed == expected  # 0 lost, 0 changed
    assert rows == CORPUS_SIZE  # 0 doubled


def test_a_killed_load_resumes_and_stores_each_article_once(
    store_url: str,
    reference_shards: Path,
    reference_store: tuple[Extracted, set[frozenset[str]], dict[str, int]],
) -> None:
    expected, expected_stories, expected_counts = reference_store
    Store.open(store_url).close()
    command = [QUOTETRACE, "load", str(reference_shards), "--db", store_url]
    command += ["--commit-every", "5", "-q"]
    process = subprocess.Popen(command, env=ENV, stderr=subprocess.PIPE, text=True)
    with Store.open(store_url) as watcher:
        _kill_when(process, lambda: watcher.counts()["articles"] >= 20, "quotetrace load")
        at_kill = watcher.counts()["articles"]
    assert 20 <= at_kill < CORPUS_SIZE and at_kill % 5 == 0  # half done, whole transactions

    _run(command)
    with Store.open(store_url) as store:
        assert _extracted_from_store(store) == expected  # 0 lost, 0 changed
        counts = store.counts()
        stories = _stories(store)
    for table in ("articles", "statements", "mentions", "actors"):
        assert counts[table] == expected_counts[table], table  # 0 doubled
    assert stories == expected_stories  # placed in stories as an uninterrupted load places them


def test_a_killed_stories_run_resumes_with_the_same_stories(
    store_url: str,
    reference_shards: Path,
    reference_store: tuple[Extracted, set[frozenset[str]], dict[str, int]],
    tmp_path: Path,
) -> None:
    _, expected_stories, _ = reference_store
    with Store.open(store_url) as store:
        load_shards(reference_shards, store, link_stories=False)
    command = [QUOTETRACE, "stories", "--db", store_url, "--min-articles", "100000"]
    # How long placing the stories takes here, measured on a SQLite copy of the same store:
    # the kill comes at half that time, while the run is computing.
    timed_db = str(tmp_path / "timed.db")
    with Store.open(timed_db) as timed:
        load_shards(reference_shards, timed, link_stories=False)
    began = time.monotonic()
    _run([QUOTETRACE, "stories", "--db", timed_db, "--min-articles", "100000"])
    full = time.monotonic() - began
    process = subprocess.Popen(command, env=ENV, stderr=subprocess.PIPE, text=True)
    started = time.monotonic()
    _kill_when(process, lambda: time.monotonic() - started >= full / 2, "quotetrace stories")
    with Store.open(store_url) as store:
        placed = [a for a in store.articles() if a.story_id is not None]
    # One transaction writes every story id: a kill leaves all of them or none.
    assert len(placed) in (0, CORPUS_SIZE)

    _run(command)
    with Store.open(store_url) as store:
        assert _stories(store) == expected_stories


def test_a_load_killed_after_its_last_commit_still_places_the_stories(
    store_url: str,
    reference_shards: Path,
    reference_store: tuple[Extracted, set[frozenset[str]], dict[str, int]],
) -> None:
    # Everything stored, nothing placed: where a kill between the two steps leaves a load.
    with Store.open(store_url) as store:
        load_shards(reference_shards, store, link_stories=False)
    done = _run([QUOTETRACE, "load", str(reference_shards), "--db", store_url])
    assert f"0 stored, {CORPUS_SIZE} already stored" in done.stderr
    with Store.open(store_url) as store:
        assert _stories(store) == reference_store[1]
