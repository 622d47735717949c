"""The one progress bar the commands draw on stderr: done of total, rate, time left.

``extract``, ``ingest`` and ``batch`` all show articles done, articles per second and an ETA;
stdout stays clean for the records themselves.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable, Iterator
from typing import Any, TypeVar

__all__ = ["RateBar"]

T = TypeVar("T")


class RateBar:
    """``start(total)``, ``advance(n)``, ``stop()``; or ``track(items)`` around an iterator."""

    def __init__(self, label: str) -> None:
        from rich.console import Console
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            Progress,
            ProgressColumn,
            Task,
            TextColumn,
            TimeRemainingColumn,
        )
        from rich.text import Text

        class RateColumn(ProgressColumn):
            def render(self, task: Task) -> Text:
                speed = task.finished_speed or task.speed
                return Text(f"{speed:.1f} articles/s" if speed else "… articles/s")

        self._bar = Progress(
            TextColumn(label),
            BarColumn(),
            MofNCompleteColumn(),
            RateColumn(),
            TextColumn("ETA"),
            TimeRemainingColumn(),
            console=Console(file=sys.stderr),
            transient=True,
        )
        self._label = label
        self._task: Any = None

    def start(self, total: int, already_done: int = 0) -> None:
        if total:
            # Resumed work starts the bar part-way; the rate counts only this run's work.
            self._task = self._bar.add_task(self._label, total=total)
            if already_done:
                self._bar.update(self._task, completed=already_done)
            self._bar.start()

    def advance(self, done: int = 1) -> None:
        if self._task is not None:
            self._bar.advance(self._task, done)

    def stop(self) -> None:
        self._bar.stop()

    def track(self, items: Iterable[T], total: int) -> Iterator[T]:
        self.start(total)
        try:
            for item in items:
                yield item
                self.advance()
        finally:
            self.stop()
