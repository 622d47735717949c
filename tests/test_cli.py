"""``quotetrace extract`` end to end on the bundled demo articles.

The golden file ``tests/golden/extract_demo.jsonl`` is the output of::

    quotetrace extract demo/articles --format jsonl

run from the repository root. When the extraction rules change on purpose, look at the diff
the failing test prints, then regenerate the file and commit it with the rule change::

    QUOTETRACE_UPDATE_GOLDEN=1 .venv/bin/python -m pytest tests/test_cli.py -k golden
"""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from quotetrace.cli import app

REPO = Path(__file__).resolve().parent.parent
DEMO = REPO / "demo"
GOLDEN = Path(__file__).resolve().parent / "golden" / "extract_demo.jsonl"
ARTICLE = "demo/articles/lisvek-herald-2025-04-15.txt"
KINDS = {"direct", "indirect", "mixed"}

needs_demo = pytest.mark.skipif(not DEMO.is_dir(), reason="demo data not present")


@pytest.fixture
def in_repo(monkeypatch: pytest.MonkeyPatch) -> None:
    """Paths as a user types them in the repository: they become the doc_ids."""
    monkeypatch.chdir(REPO)


def run(*args: str) -> Any:
    return CliRunner().invoke(app, list(args), catch_exceptions=False)


def parse_jsonl(text: str) -> list[dict[str, Any]]:
    return [json.loads(line) for line in text.splitlines() if line.strip()]


def check_format(record: dict[str, Any]) -> None:
    """One output line against ../shared/FORMAT.md."""
    text = record["text"]
    assert isinstance(record["doc_id"], str) and record["doc_id"]
    assert isinstance(record["meta"], dict)
    for att in record["attributions"]:
        assert att["kind"] in KINDS
        start, end = att["content"]
        assert 0 <= start < end <= len(text)
        assert text[start:end].strip() == text[start:end]
        for key in ("source", "cue"):
            if att[key] is not None:
                s, e = att[key]
                assert 0 <= s < e <= len(text) and text[s:e].strip()
        assert att["speaker"] is None or isinstance(att["speaker"], str)
        if att["kind"] == "direct":
            assert text[start] not in '“”"' and text[end - 1] not in '“”"'


def describe(text: str, atts: list[dict[str, Any]]) -> list[str]:
    """kind | speaker | cue | content, a line per attribution, for a readable golden diff."""

    def snip(span: list[int] | None) -> str | None:
        return text[span[0] : span[1]] if span else None

    return [f"{a['kind']} | {a['speaker']} | {snip(a['cue'])} | {snip(a['content'])}" for a in atts]


# --------------------------------------------------------------------------------- table
@needs_demo
@pytest.mark.model
def test_table_names_the_speakers(in_repo: None) -> None:
    result = run("extract", ARTICLE)
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert ARTICLE in out and "Lisvek Herald" in out
    for name in ("Ilse Korvanen", "Dario Mestrell"):
        assert name in out
    for cue in ("told", "According to", "hailed", "urged"):
        assert cue in out


# ---------------------------------------------------------------------- jsonl and golden
@pytest.fixture(scope="module")
def demo_jsonl() -> subprocess.CompletedProcess[str]:
    """The installed console script, exactly as a user runs it (stdout and stderr apart).

    FORCE_COLOR makes rich draw the progress bar although stderr is a pipe, so the tests see
    that it goes to stderr and leaves stdout pure JSONL.
    """
    if not DEMO.is_dir():
        pytest.skip("demo data not present")
    script = Path(sys.executable).parent / "quotetrace"
    command = [str(script)] if script.exists() else [sys.executable, "-m", "quotetrace.cli"]
    return subprocess.run(
        [*command, "extract", "demo/articles", "--format", "jsonl"],
        cwd=REPO,
        env={**os.environ, "FORCE_COLOR": "1"},
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


@pytest.mark.model
def test_jsonl_follows_the_format(demo_jsonl: subprocess.CompletedProcess[str]) -> None:
    assert demo_jsonl.returncode == 0, demo_jsonl.stderr
    records = parse_jsonl(demo_jsonl.stdout)  # nothing but JSON on stdout: no progress bar
    names = sorted(p.name for p in (DEMO / "articles").glob("*.txt"))
    assert [r["doc_id"] for r in records] == [f"demo/articles/{n}" for n in names]
    for record in records:
        check_format(record)
        assert record["meta"]["date"].startswith("2025-04-1")
        assert record["meta"]["outlet"]
        assert record["attributions"], record["doc_id"]
    speakers = {a["speaker"] for r in records for a in r["attributions"]}
    assert {"Ilse Korvanen", "Dario Mestrell", "Renata Vosk"} <= speakers


@pytest.mark.model
def test_progress_bar_goes_to_stderr(demo_jsonl: subprocess.CompletedProcess[str]) -> None:
    assert demo_jsonl.returncode == 0, demo_jsonl.stderr
    assert "extracting" in demo_jsonl.stderr
    assert "extracting" not in demo_jsonl.stdout and "\x1b[" not in demo_jsonl.stdout


@pytest.mark.model
def test_golden_demo_output(demo_jsonl: subprocess.CompletedProcess[str]) -> None:
    """Fresh output equals tests/golden/extract_demo.jsonl (QUOTETRACE_UPDATE_GOLDEN=1 rewrites
    it; see the module docstring)."""
    assert demo_jsonl.returncode == 0, demo_jsonl.stderr
    if os.environ.get("QUOTETRACE_UPDATE_GOLDEN") == "1":
        GOLDEN.parent.mkdir(exist_ok=True)
        GOLDEN.write_text(demo_jsonl.stdout, encoding="utf-8")
    assert GOLDEN.exists(), "no golden file: run with QUOTETRACE_UPDATE_GOLDEN=1 once"
    fresh = parse_jsonl(demo_jsonl.stdout)
    golden = parse_jsonl(GOLDEN.read_text(encoding="utf-8"))
    assert [r["doc_id"] for r in fresh] == [r["doc_id"] for r in golden]
    for new, old in zip(fresh, golden, strict=True):
        assert new["text"] == old["text"] and new["meta"] == old["meta"]
        if new["attributions"] != old["attributions"]:
            pytest.fail(
                f"{new['doc_id']} changed:\n  golden: "
                + "\n          ".join(describe(new["text"], old["attributions"]))
                + "\n  fresh:  "
                + "\n          ".join(describe(new["text"], new["attributions"]))
            )
    assert fresh == golden


@needs_demo
@pytest.mark.model
def test_jsonl_input_keeps_doc_ids_and_meta(in_repo: None) -> None:
    result = run("extract", "demo/wire.jsonl", "--format", "jsonl")
    assert result.exit_code == 0, result.output
    records = parse_jsonl(result.stdout)
    given = parse_jsonl((DEMO / "wire.jsonl").read_text(encoding="utf-8"))
    assert [r["doc_id"] for r in records] == [g["doc_id"] for g in given]
    for record, source in zip(records, given, strict=True):
        check_format(record)
        assert record["text"] == source["text"]
        assert record["meta"]["date"] == source["meta"]["date"]
        assert record["meta"]["outlet"] == source["meta"]["outlet"]


# ------------------------------------------------------------------------- csv and -o
@needs_demo
@pytest.mark.model
def test_csv_to_a_file(in_repo: None, tmp_path: Path) -> None:
    target = tmp_path / "statements.csv"
    result = run("extract", ARTICLE, "--format", "csv", "-o", str(target))
    assert result.exit_code == 0, result.output
    assert result.stdout == ""
    rows = list(csv.reader(io.StringIO(target.read_text(encoding="utf-8"))))
    assert rows[0] == [
        "doc_id",
        "date",
        "outlet",
        "kind",
        "speaker",
        "cue",
        "source",
        "content",
        "content_start",
        "content_end",
        "confidence",
    ]
    assert len(rows) > 3
    assert {r[0] for r in rows[1:]} == {ARTICLE}
    assert "Ilse Korvanen" in {r[4] for r in rows[1:]}


@needs_demo
@pytest.mark.model
def test_min_confidence_keeps_the_more_confident(in_repo: None) -> None:
    every = parse_jsonl(run("extract", ARTICLE, "--format", "jsonl").stdout)[0]["attributions"]
    result = run("extract", ARTICLE, "--format", "jsonl", "--min-confidence", "0.8")
    assert result.exit_code == 0, result.output
    sure = parse_jsonl(result.stdout)[0]["attributions"]
    assert every and all(a["confidence"] >= 0.8 for a in sure)
    assert [a for a in every if a["confidence"] >= 0.8] == sure
    assert len(sure) < len(every) or min(a["confidence"] for a in every) >= 0.8
    bad = run("extract", ARTICLE, "--min-confidence", "1.5")
    assert bad.exit_code != 0


# -------------------------------------------------------------------------- bad input
@pytest.mark.model
def test_bad_input_among_good_ones(tmp_path: Path) -> None:
    good = tmp_path / "good.txt"
    good.write_text(
        "date 2025-04-15 Vell Post - “The ferry will run twice a day,” Ruth Ambler said.", "utf-8"
    )
    binary = tmp_path / "scan.txt"
    binary.write_bytes(b"\x00\x01\x02garbage\x00" * 10)
    result = run("extract", str(binary), str(good), "--format", "jsonl")
    assert result.exit_code == 1
    errors = [line for line in result.stderr.splitlines() if line.startswith("Error:")]
    assert len(errors) == 1, result.stderr
    assert str(binary) in errors[0] and "binary" in errors[0]
    [record] = parse_jsonl(result.stdout)
    assert record["doc_id"] == str(good)
    assert [a["speaker"] for a in record["attributions"]] == ["Ruth Ambler"]


def test_only_bad_input_fails_without_loading_the_model(tmp_path: Path) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_text("", "utf-8")
    result = run("extract", str(empty))
    assert result.exit_code == 1
    assert result.stdout == ""
    assert f"Error: {empty}" in result.stderr


# ------------------------------------------------------------------------------- help
def test_help_shows_examples() -> None:
    result = run("extract", "--help")
    assert result.exit_code == 0
    assert "Examples" in result.stdout
    assert "quotetrace extract" in result.stdout
