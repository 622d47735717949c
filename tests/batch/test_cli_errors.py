"""The batch commands' errors, without a model: what the user sees when input is wrong."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from quotetrace.cli import app


def _run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(app, list(args))
    return result.exit_code, result.output


def test_batch_with_only_bad_input_fails_without_starting_an_engine(tmp_path: Path) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_text("", encoding="utf-8")
    code, output = _run("batch", str(empty), "--out", str(tmp_path / "out"), "--engine", "dask")
    assert code == 1
    assert f"Error: {empty}: the file is empty" in output
    assert "0 article(s) in 0 shard(s)" in output


def test_address_without_dask_is_refused(tmp_path: Path) -> None:
    text = tmp_path / "a.txt"
    text.write_text("“We are ready,” the mayor said.", encoding="utf-8")
    code, output = _run(
        "batch", str(text), "--out", str(tmp_path / "out"), "--address", "tcp://127.0.0.1:8786"
    )
    assert code == 1
    assert "Error: --address joins a Dask cluster and needs --engine dask" in output


def test_out_that_is_a_file_is_refused(tmp_path: Path) -> None:
    text = tmp_path / "a.txt"
    text.write_text("“We are ready,” the mayor said.", encoding="utf-8")
    code, output = _run("batch", str(text), "--out", str(text))
    assert code == 1
    assert "--out is a file, not a directory" in output


def test_load_needs_a_batch_directory(tmp_path: Path) -> None:
    code, output = _run("load", str(tmp_path), "--db", str(tmp_path / "x.db"))
    assert code == 1
    assert f"Error: {tmp_path}: no batch manifest here" in output


def test_help_has_examples() -> None:
    for command in ("batch", "load"):
        code, output = _run(command, "--help")
        assert code == 0 and "Examples" in output and f"quotetrace {command}" in output
