"""The one typer app every subcommand registers on, and how errors reach the terminal."""

from __future__ import annotations

import sys
from collections.abc import Callable
from functools import wraps
from typing import ParamSpec, TypeVar

import typer

from ..errors import QuotetraceError

__all__ = ["app", "fail", "print_error", "reports_errors"]

app = typer.Typer(
    name="quotetrace",
    help="Who said what in the news, and how each outlet told it.",
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode="rich",
)


@app.callback()
def _root() -> None:
    """Who said what in the news, and how each outlet told it."""


P = ParamSpec("P")
R = TypeVar("R")


def print_error(exc: QuotetraceError) -> None:
    """``Error: <where>: <what> — <how to fix>`` on stderr, the same words the API returns."""
    print(f"Error: {exc.render()}", file=sys.stderr)


def fail(exc: QuotetraceError, code: int = 1) -> typer.Exit:
    print_error(exc)
    return typer.Exit(code)


def reports_errors(func: Callable[P, R]) -> Callable[P, R]:
    """Turn a library error into the CLI's one-line message and a non-zero exit."""

    @wraps(func)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return func(*args, **kwargs)
        except QuotetraceError as exc:
            raise fail(exc) from None

    return wrapper
