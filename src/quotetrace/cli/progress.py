"""The one progress bar the commands draw on stderr: done of total, rate, time left.

``extract``, ``ingest`` and ``batch`` all show articles done, articles per second and an ETA;
stdout stays clean for the records themselves.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable, Iterator
from typing import Any, TypeVar

__all__ = ["RateBar", "RecordBar"]

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


class RecordBar:
    """Reading web archives: bytes of the WARC files read, records read and records/s.

    Passed to the readers as their ``WarcReadProgress``; the bar's total is the size of the
    WARC files, so it ends where the files end whatever their records hold.
    """

    def __init__(self, label: str, warc_files: Iterable[tuple[str, int]]) -> None:
        from rich.console import Console
        from rich.progress import BarColumn, Progress, ProgressColumn, Task, TextColumn
        from rich.text import Text

        class RecordsColumn(ProgressColumn):
            def render(self, task: Task) -> Text:
                records = int(task.fields.get("records", 0))
                elapsed = task.elapsed or 0.0
                rate = f"{records / elapsed:,.0f} records/s" if elapsed > 0 else "… records/s"
                return Text(f"{records:,} records, {rate}")

        self._sizes = dict(warc_files)  # source -> bytes
        self._bases: dict[str, int] = {}
        self._next_base = 0
        self._records = 0
        self._bar = Progress(
            TextColumn(label),
            BarColumn(),
            RecordsColumn(),
            console=Console(file=sys.stderr),
            transient=True,
        )
        self._task = self._bar.add_task(label, total=sum(self._sizes.values()) or None, records=0)
        self._started = False

    @property
    def records(self) -> int:
        return self._records

    @property
    def position(self) -> int:
        """Bytes of the WARC files behind the last record read (where the bar stands)."""
        return int(self._bar.tasks[0].completed)

    def record(self, source: str, position: int) -> None:
        if not self._started:
            self._bar.start()
            self._started = True
        if source not in self._bases:
            self._bases[source] = self._next_base
            self._next_base += self._sizes.get(source, 0)
        self._records += 1
        self._bar.update(
            self._task, completed=self._bases[source] + position, records=self._records
        )

    def stop(self) -> None:
        self._bar.stop()


def record_bar_for(paths: Iterable[str], label: str = "reading") -> RecordBar | None:
    """A ``RecordBar`` when ``paths`` hold WARC files and stderr is a terminal, else None."""
    from ..ingest.readers import warc_files

    if not sys.stderr.isatty():
        return None
    found = [(source, path.stat().st_size) for path, source in warc_files(paths)]
    return RecordBar(label, found) if found else None
