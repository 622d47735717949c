"""``quotetrace serve``: documented, and a bad store is a one-line error, not a traceback."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from quotetrace.cli import app


def test_serve_help_has_examples() -> None:
    result = CliRunner().invoke(app, ["serve", "--help"])
    assert result.exit_code == 0
    assert "Examples:" in result.output and "--token" in result.output
    assert "127.0.0.1" in result.output


def test_serve_refuses_a_store_it_cannot_open(tmp_path: Path) -> None:
    missing = tmp_path / "no-such-folder" / "news.db"
    result = CliRunner().invoke(app, ["serve", "--db", str(missing)])
    assert result.exit_code == 1
    assert "Error:" in result.output and "does not exist" in result.output


def test_serve_refuses_a_short_token(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        app, ["serve", "--db", str(tmp_path / "news.db")], env={"QUOTETRACE_API_TOKEN": "abc"}
    )
    assert result.exit_code == 1
    assert "token is too short" in result.output
