"""Planning shards and keeping the manifest, without a model."""

from __future__ import annotations

import json
from pathlib import Path
from types import ModuleType

import pytest
from batch_fixtures import write_records

from quotetrace.batch import BatchOptions, Manifest, ShardRecord, run_batch, write_shard
from quotetrace.batch.plan import iter_shard_tasks, plan_shards
from quotetrace.batch.runner import make_engine
from quotetrace.errors import BatchError, InputError


def _corpus(tmp_path: Path, generator: ModuleType, n: int = 23, seed: int = 1) -> Path:
    return write_records(tmp_path / "in.jsonl", generator.generate_records(n, seed=seed))


def test_shards_cover_the_input_in_order(tmp_path: Path, generator: ModuleType) -> None:
    path = _corpus(tmp_path, generator)
    plans = plan_shards([path], 10)
    assert [p.size for p in plans] == [10, 10, 3]
    assert [p.shard_id for p in plans] == [0, 1, 2]
    assert plan_shards([path], 10) == plans  # same input, same fingerprints
    tasks = list(iter_shard_tasks([path], 10, plans, {0, 2}))
    assert [t.shard_id for t in tasks] == [0, 2]
    doc_ids = [json.loads(line)["doc_id"] for line in path.read_text().splitlines()]
    assert [a.doc_id for a in tasks[1].articles] == doc_ids[20:]


def test_a_changed_article_changes_only_its_shard(tmp_path: Path, generator: ModuleType) -> None:
    records = generator.generate_records(23, seed=1)
    before = plan_shards([write_records(tmp_path / "a.jsonl", records)], 10)
    records[14]["text"] += " The minister left without comment."
    after = plan_shards([write_records(tmp_path / "a.jsonl", records)], 10)
    assert [a.fingerprint == b.fingerprint for a, b in zip(before, after, strict=True)] == [
        True,
        False,
        True,
    ]


def test_input_changed_between_the_two_reads_is_refused(
    tmp_path: Path, generator: ModuleType
) -> None:
    records = generator.generate_records(12, seed=2)
    path = write_records(tmp_path / "a.jsonl", records)
    plans = plan_shards([path], 5)
    records[0]["text"] = "Someone edited the file."
    write_records(path, records)
    with pytest.raises(BatchError, match="input changed"):
        list(iter_shard_tasks([path], 5, plans, {0, 1, 2}))


def test_bad_records_are_reported_once_and_skipped(tmp_path: Path, generator: ModuleType) -> None:
    path = _corpus(tmp_path, generator, n=4)
    path.write_text(path.read_text() + "{not json\n", encoding="utf-8")
    errors: list[InputError] = []
    plans = plan_shards([path, tmp_path / "missing.jsonl"], 3, errors.append)
    assert sum(p.size for p in plans) == 4
    assert {e.code for e in errors} == {"input/malformed", "input/unreadable"}
    assert "in.jsonl:5" in errors[0].render()


def test_manifest_round_trip_and_finished_shards(tmp_path: Path) -> None:
    manifest = Manifest(tmp_path, "en_core_web_sm", 10)
    manifest.shards[0] = ShardRecord("done", "f0", articles=0, attempts=1)
    manifest.shards[1] = ShardRecord("failed", "f1", attempts=2, error="boom")
    manifest.shards[2] = ShardRecord("done", "f2", attempts=1)
    write_shard(tmp_path, 0, [])
    manifest.write()
    again = Manifest.read(tmp_path)
    assert again is not None and again.shards == manifest.shards
    # shard 2 is "done" in the manifest but its files are gone: it is not finished
    assert again.finished_shards() == [0]
    assert again.failed_shards() == [1]
    assert not again.is_finished(0, "another fingerprint")


def test_a_corrupt_manifest_is_a_clear_error(tmp_path: Path) -> None:
    (tmp_path / "manifest.json").write_text("{half", encoding="utf-8")
    with pytest.raises(BatchError, match="manifest cannot be read"):
        Manifest.read(tmp_path)


def test_resuming_with_another_model_is_refused(tmp_path: Path, generator: ModuleType) -> None:
    Manifest(tmp_path / "out", "some_other_model", 500).write()
    path = _corpus(tmp_path, generator, n=3)
    with pytest.raises(BatchError, match="some_other_model"):
        run_batch([path], tmp_path / "out", BatchOptions(shard_size=500))


def test_no_articles_starts_no_engine(tmp_path: Path) -> None:
    result = run_batch([tmp_path / "nothing-here.jsonl"], tmp_path / "out", BatchOptions())
    assert result.shards_total == 0 and result.startup_seconds == 0
    assert [e.code for e in result.read_errors] == ["input/unreadable"]


def test_address_needs_the_dask_engine() -> None:
    with pytest.raises(BatchError, match="--engine dask"):
        make_engine(BatchOptions(engine="local", address="tcp://127.0.0.1:8786"))
