"""Both engines end to end with the real model: same statements, retries, resume, clean-up.

The first test is the CI check of the Dask engine: ``quotetrace batch --engine dask --workers
2`` on an in-process local cluster over 200 generated articles, loaded into the store, finds
exactly the statements ``--engine local`` finds.
"""

from __future__ import annotations

import json
from pathlib import Path
from types import ModuleType

import psutil
import pytest
from typer.testing import CliRunner

from quotetrace.batch import BatchOptions, ShardOutcome, read_shard, run_batch
from quotetrace.batch.shards import shard_file
from quotetrace.cli import app
from quotetrace.store import Store

pytestmark = pytest.mark.model


def _live_children() -> set[int]:
    """Child processes still running, leaving out multiprocessing's resource tracker
    (started once per interpreter, it lives until the interpreter exits)."""
    found = set()
    for child in psutil.Process().children(recursive=True):
        try:
            if "resource_tracker" not in " ".join(child.cmdline()):
                found.add(child.pid)
        except psutil.NoSuchProcess:
            continue
    return found


def _stored_statements(db: Path) -> list[tuple[object, ...]]:
    with Store.open(str(db)) as store:
        assert store.counts()["articles"] == 200
        return [
            (
                s.doc_id,
                s.ordinal,
                s.kind,
                s.content,
                s.source,
                s.cue,
                s.content_text,
                s.speaker,
                s.actor_name,
                round(s.confidence, 6),
            )
            for s in store.statements()
        ]


def _cli(*args: str) -> str:
    result = CliRunner().invoke(app, list(args))
    assert result.exit_code == 0, result.output
    return result.output


def test_dask_finds_exactly_the_statements_local_finds(corpus_200: Path, tmp_path: Path) -> None:
    before = _live_children()
    common = ["--workers", "2", "--shard-size", "25", "--quiet"]
    _cli("batch", str(corpus_200), "--out", str(tmp_path / "local"), "--engine", "local", *common)
    _cli("batch", str(corpus_200), "--out", str(tmp_path / "dask"), "--engine", "dask", *common)
    assert _live_children() <= before, "the local Dask cluster left processes running"

    for name in ("local", "dask"):
        _cli("load", str(tmp_path / name), "--db", str(tmp_path / f"{name}.db"), "--quiet")
    local = _stored_statements(tmp_path / "local.db")
    dask = _stored_statements(tmp_path / "dask.db")
    assert dask == local
    assert len(local) >= 200  # every generated article reports at least one statement
    manifest = json.loads((tmp_path / "dask" / "manifest.json").read_text())
    assert sum(s["statements"] for s in manifest["shards"].values()) == len(dask)
    assert {s["status"] for s in manifest["shards"].values()} == {"done"}


@pytest.mark.parametrize("engine", ["local", "dask"])
def test_a_failing_shard_is_retried_reported_and_redone_on_rerun(
    engine: str, corpus_small: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    blocker = shard_file(out, "statements", 1)
    blocker.mkdir(parents=True)  # shard 1 cannot be written while this directory is there
    options = BatchOptions(engine=engine, workers=2, shard_size=10, retries=1)  # type: ignore[arg-type]
    outcomes: list[ShardOutcome] = []
    before = _live_children()

    first = run_batch([corpus_small], out, options, on_shard=outcomes.append)
    assert [(f.shard_id, f.attempts) for f in first.failed] == [(1, 2)]
    assert "cannot write shard-00001" in (first.failed[0].error or "")
    assert sorted(d.shard_id for d in first.done) == [0, 2, 3]
    assert first.articles_done == 26
    if engine == "dask":
        workers = {o.worker for o in outcomes if o.worker}
        assert workers and all(w.startswith("tcp://127.0.0.1:") for w in workers)
        assert _live_children() <= before

    blocker.rmdir()
    second = run_batch([corpus_small], out, options)
    assert second.shards_skipped == 3
    assert [d.shard_id for d in second.done] == [1] and not second.failed
    third = run_batch([corpus_small], out, options)
    assert third.shards_skipped == 4 and not third.done


def test_the_cli_exits_1_and_names_the_failed_shard(corpus_small: Path, tmp_path: Path) -> None:
    shard_file(tmp_path / "out", "articles", 2).mkdir(parents=True)
    result = CliRunner().invoke(
        app,
        ["batch", str(corpus_small), "--out", str(tmp_path / "out"), "--workers", "1",
         "--shard-size", "10", "--retries", "0", "--quiet"],
    )  # fmt: skip
    assert result.exit_code == 1
    assert "Error: " in result.output and "shard 2 failed after 1 attempt(s)" in result.output
    load = CliRunner().invoke(app, ["load", str(tmp_path / "out"), "--db", str(tmp_path / "x.db")])
    assert load.exit_code == 1
    assert "1 shard(s) are not finished" in load.output
    assert "read 26 article(s) from 3 shard(s): 26 stored" in load.output


def test_an_interrupted_dask_run_stops_its_cluster(corpus_small: Path, tmp_path: Path) -> None:
    before = _live_children()

    def interrupt(_: ShardOutcome) -> None:
        raise KeyboardInterrupt

    options = BatchOptions(engine="dask", workers=2, shard_size=10)
    with pytest.raises(KeyboardInterrupt):
        run_batch([corpus_small], tmp_path / "out", options, on_shard=interrupt)
    assert _live_children() <= before
    # the shard that finished before the interrupt is kept and not redone
    again = run_batch([corpus_small], tmp_path / "out", BatchOptions(shard_size=10))
    assert again.shards_skipped == 1 and len(again.done) == 3


def test_a_directory_of_text_html_and_jsonl_is_read_as_the_readers_read_it(
    generator: ModuleType, tmp_path: Path
) -> None:
    records = generator.generate_records(3, seed=21, sentences=4)
    news = tmp_path / "news"
    news.mkdir()
    (news / "a.txt").write_text(generator.crawl_text(records[0]), encoding="utf-8")
    paragraphs = "".join(f"<p>{p}</p>" for p in records[1]["text"].split("\n\n"))
    (news / "b.html").write_text(
        "<html><head><title>Talks</title></head><body><article>"
        f"<h1>{records[1]['meta']['title']}</h1>{paragraphs}</article></body></html>",
        encoding="utf-8",
    )
    (news / "c.jsonl").write_text(json.dumps(records[2]) + "\n", encoding="utf-8")
    (news / "d.bin").write_bytes(b"\x00\x01")  # not a suffix the readers take: ignored

    result = run_batch([news], tmp_path / "out", BatchOptions(workers=1, shard_size=2))
    assert not result.failed and not result.read_errors
    assert result.articles_done == 3 and result.shards_total == 2
    assert result.statements > 0
    items = [a for s in (0, 1) for a in read_shard(tmp_path / "out", s)]
    assert [a.article.doc_id for a in items][2] == records[2]["doc_id"]
    assert items[0].article.outlet == records[0]["meta"]["outlet"]


def test_address_joins_a_running_cluster_and_leaves_it_running(
    corpus_small: Path, tmp_path: Path
) -> None:
    from distributed import Client, LocalCluster

    from quotetrace.batch.dask_engine import PLUGIN_NAME

    with (
        LocalCluster(
            n_workers=1, threads_per_worker=1, host="127.0.0.1", dashboard_address=None
        ) as cluster,
        Client(cluster, set_as_default=False) as observer,
    ):
        options = BatchOptions(engine="dask", address=cluster.scheduler_address, shard_size=12)
        result = run_batch([corpus_small], tmp_path / "out", options)
        assert result.articles_done == 36 and not result.failed
        # the cluster is still there, and our pipeline plugin is gone from its workers
        assert observer.run(lambda dask_worker: PLUGIN_NAME in dask_worker.plugins) == {
            address: False for address in observer.scheduler_info()["workers"]
        }
