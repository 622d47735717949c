"""The local engine: one machine, ``nlp.pipe(n_process=N)``.

The model is loaded once in this process; spaCy forks ``N`` parser processes that inherit it.
All pending shards flow through one ``nlp.pipe`` stream (starting a pool per shard would pay
the process start-up every few hundred articles); results come back in order, so a shard is
complete when its last article comes out, and it is written here, in the driver.

Failures: a shard whose files cannot be written fails alone and the stream goes on. If the
parse itself raises, spaCy tears the pool down and we cannot tell which of the shards in
flight was to blame, so all of them are set aside, the stream restarts with the rest, and the
set-aside shards are retried one at a time in this process, where a failure names its shard.
"""

from __future__ import annotations

import resource
import time
from collections import deque
from collections.abc import Iterable, Iterator
from dataclasses import replace
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING

from ..models import Article, ProcessedArticle
from .plan import ShardTask
from .shard_work import (
    ShardOutcome,
    children_cpu_seconds,
    describe_error,
    extract_and_write_shard,
    peak_rss_bytes,
    write_processed,
)
from .shards import ShardCounts

if TYPE_CHECKING:
    from spacy.language import Language

__all__ = ["LocalEngine"]


class _InputFailed(Exception):
    """Carries an error raised while reading the input out through spaCy's pipe."""

    def __init__(self, original: BaseException) -> None:
        super().__init__(str(original))
        self.original = original


class LocalEngine:
    """Runs shards through ``nlp.pipe`` on this machine with ``workers`` processes."""

    name = "local"

    def __init__(
        self,
        workers: int = 1,
        model: str | None = None,
        batch_size: int | None = None,
        retries: int = 1,
    ) -> None:
        self.workers = max(1, workers)
        self.model = model
        self.batch_size = batch_size
        self.retries = max(0, retries)
        self._nlp: Language | None = None
        self._children_cpu = 0.0

    def __enter__(self) -> LocalEngine:
        from ..nlp.pipeline import load_pipeline

        self._nlp = load_pipeline(self.model)
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._nlp = None

    @property
    def nlp(self) -> Language:
        if self._nlp is None:
            raise RuntimeError("use the engine inside `with`")
        return self._nlp

    def worker_peaks(self) -> dict[str, int]:
        """Peak RSS per worker process; with a pool only the largest reaped child is known."""
        if self.workers == 1:
            return {"local (in-process)": peak_rss_bytes()}
        return {f"local pool of {self.workers} (largest)": peak_rss_bytes(resource.RUSAGE_CHILDREN)}

    def worker_cpu_seconds(self) -> float:
        """CPU spent by parser processes (none with one worker: the parse runs here)."""
        return self._children_cpu

    def run(self, tasks: Iterable[ShardTask], out_dir: Path) -> Iterator[ShardOutcome]:
        children_before = children_cpu_seconds()
        try:
            yield from self._run(tasks, out_dir)
        finally:
            self._children_cpu = children_cpu_seconds() - children_before

    def _run(self, tasks: Iterable[ShardTask], out_dir: Path) -> Iterator[ShardOutcome]:
        remaining = iter(tasks)
        set_aside: list[tuple[ShardTask, int, str]] = []
        while True:
            in_flight: deque[ShardTask] = deque()
            try:
                yield from self._stream(remaining, in_flight, out_dir, set_aside)
                break
            except _InputFailed as failed:
                # Not the parse's fault: the input itself is unusable, so stop here.
                raise failed.original from None
            except Exception as exc:  # the pool broke: everything in flight is suspect
                if not in_flight:
                    raise  # it broke before taking any shard: nothing to retry, stop here
                error = describe_error(exc)
                set_aside.extend((task, 1, error) for task in in_flight)
        for task, attempts, error in set_aside:
            yield self._retry_alone(task, attempts, error, out_dir)

    def _stream(
        self,
        tasks: Iterator[ShardTask],
        in_flight: deque[ShardTask],
        out_dir: Path,
        set_aside: list[tuple[ShardTask, int, str]],
    ) -> Iterator[ShardOutcome]:
        from ..nlp.pipeline import extract_articles

        def articles() -> Iterator[Article]:
            while True:
                try:
                    task = next(tasks)
                except StopIteration:
                    return
                except Exception as exc:
                    raise _InputFailed(exc) from exc
                in_flight.append(task)
                # A WARC range is read here; if that fails, the task is in flight and retried.
                in_flight[-1] = task = task.loaded()
                yield from task.articles

        results = extract_articles(
            articles(), self.nlp, batch_size=self.batch_size, n_process=self.workers
        )
        bucket: list[ProcessedArticle] = []
        started = time.perf_counter()
        for item in results:
            bucket.append(item)
            # Results come back in input order: the shard at the head is the one filling up.
            while in_flight and len(bucket) >= len(in_flight[0].articles):
                task = in_flight.popleft()
                done, bucket = bucket[: len(task.articles)], bucket[len(task.articles) :]
                try:
                    counts = write_processed(out_dir, task, done)
                except Exception as exc:
                    set_aside.append((task, 1, describe_error(exc)))
                else:
                    now = time.perf_counter()
                    yield self._outcome(task, counts, 1, now - started)
                    started = now
        # Shards without articles never fill a bucket; write them (empty) all the same.
        while in_flight:
            task = in_flight.popleft()
            yield self._outcome(task, write_processed(out_dir, task, []), 1, 0.0)

    def _retry_alone(
        self, task: ShardTask, attempts: int, error: str, out_dir: Path
    ) -> ShardOutcome:
        while attempts <= self.retries:
            attempts += 1
            try:
                result = extract_and_write_shard(self.nlp, task, out_dir, self.batch_size)
            except Exception as exc:
                error = describe_error(exc)
                continue
            outcome = self._outcome(
                task, ShardCounts(**result["counts"]), attempts, result["seconds"]
            )
            return replace(outcome, document_errors=tuple(result["document_errors"]))
        return ShardOutcome(
            shard_id=task.shard_id,
            fingerprint=task.fingerprint,
            size=task.size,
            counts=None,
            attempts=attempts,
            seconds=0.0,
            worker="local",
            error=error,
        )

    def _outcome(
        self, task: ShardTask, counts: ShardCounts, attempts: int, seconds: float
    ) -> ShardOutcome:
        return ShardOutcome(
            shard_id=task.shard_id,
            fingerprint=task.fingerprint,
            size=task.size,
            counts=counts,
            attempts=attempts,
            seconds=seconds,
            worker="local",
        )
