"""End to end: a folder of hostile and good files through ``extract``, ``ingest`` and ``batch``.

No traceback, exit status 1, every good document out, every bad one named (with its file, and
line for JSONL); a second ``ingest`` adds nothing. One valid document is refused by the
pipeline itself (over ``QUOTETRACE_MAX_DOCUMENT_CHARS``), so a pipeline failure is in the
mix as well as the readers' errors.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest
from hostile_corpus import FUZZ, GOOD_ARTICLE, Expected, write_hostile_folder

from quotetrace.store import Store

pytestmark = [pytest.mark.model, pytest.mark.fuzz]

QUOTETRACE = [str(Path(sys.executable).with_name("quotetrace"))]
CEILING = 150_000


def _folder(root: Path) -> Expected:
    expected = write_hostile_folder(root)
    too_long = json.dumps({"doc_id": "too-long", "text": (GOOD_ARTICLE + "\n\n") * 1000})
    wire = root / "long-wire.jsonl"
    ok = json.dumps({"doc_id": "after-long", "text": GOOD_ARTICLE})
    wire.write_text(too_long + "\n" + ok + "\n", "utf-8")
    expected.good.append("after-long")
    expected.bad.append(("input/too-large", f"{wire}:1 (doc_id too-long)"))
    return expected


def _env() -> dict[str, str]:
    env = dict(os.environ, QUOTETRACE_MAX_DOCUMENT_CHARS=str(CEILING))
    if not FUZZ:
        env["QUOTETRACE_MAX_FILE_BYTES"] = "1000000"
    return env


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*QUOTETRACE, *args], capture_output=True, text=True, env=_env(), check=False
    )


def _assert_named(stderr: str, expected: Expected) -> None:
    assert "Traceback" not in stderr, stderr[-3000:]
    lines = [line for line in stderr.splitlines() if line.startswith("Error: ")]
    for _code, where in expected.bad:
        assert any(line.startswith(f"Error: {where}: ") for line in lines), where


@pytest.fixture(scope="module")
def mixed(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Expected]:
    root = tmp_path_factory.mktemp("mixed") / "in"
    return root, _folder(root)


def test_extract_puts_out_every_good_document_and_names_every_bad_one(
    mixed: tuple[Path, Expected], tmp_path: Path
) -> None:
    root, expected = mixed
    out = tmp_path / "out.jsonl"
    done = _run("extract", str(root), "--format", "jsonl", "--no-text", "-o", str(out))
    assert done.returncode == 1, done.stderr[-2000:]
    _assert_named(done.stderr, expected)
    ids = Counter(json.loads(line)["doc_id"] for line in out.read_text("utf-8").splitlines())
    assert ids - Counter(expected.either) == Counter(expected.good)
    assert re.search(r"\d+ problem\(s\) in \d+ input\(s\)", done.stderr)


def test_ingest_stores_every_good_document_once_and_a_rerun_adds_nothing(
    mixed: tuple[Path, Expected], tmp_path: Path
) -> None:
    root, expected = mixed
    db = tmp_path / "mixed.db"
    first = _run("ingest", str(root), "--db", str(db))
    assert first.returncode == 1, first.stderr[-2000:]
    _assert_named(first.stderr, expected)
    with Store.open(str(db)) as store:
        stored = store.counts()
    again = _run("ingest", str(root), "--db", str(db))
    assert again.returncode == 1 and "Traceback" not in again.stderr
    assert re.search(r": 0 stored", again.stderr), again.stderr[-1000:]
    with Store.open(str(db)) as store:
        assert store.counts() == stored
    # Every good document is stored (the two w-dup texts of one doc_id become versions).
    good = len(expected.good) + len([p for p in expected.either if p.endswith(".txt")])
    match = re.search(r"read (\d+) article\(s\): (\d+) stored", first.stderr)
    assert match is not None, first.stderr[-1000:]
    assert int(match.group(2)) == good


def test_batch_writes_the_good_documents_and_names_the_failed_one(
    mixed: tuple[Path, Expected], tmp_path: Path
) -> None:
    root, expected = mixed
    out = tmp_path / "shards"
    done = _run("batch", str(root), "--out", str(out))
    assert done.returncode == 1, done.stderr[-2000:]
    assert "Traceback" not in done.stderr
    assert "Error: too-long: the article is" in done.stderr
    manifest = json.loads((out / "manifest.json").read_text("utf-8"))
    records = manifest["shards"].values()
    assert all(r["status"] == "done" for r in records)
    failed = [d for r in records for d in r.get("documents_failed", [])]
    assert len(failed) == 1 and failed[0].startswith("too-long: ")
    written = sum(r["articles"] for r in records)
    assert written == len(expected.good) + len([p for p in expected.either if p.endswith(".txt")])
