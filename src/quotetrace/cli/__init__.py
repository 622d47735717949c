"""The ``quotetrace`` command line: one typer app, one module per group of subcommands."""

from __future__ import annotations

from . import extract as _extract  # noqa: F401  (registers `extract`)
from .app import app

__all__ = ["app", "main"]


def main() -> None:
    app()
