"""One unit of batch work, the same on every engine: extract a shard's articles, write it.

Both engines report each shard as a ``ShardOutcome``; the runner turns outcomes into manifest
records and progress. Keeping the work itself in one function means the local engine and a
Dask worker cannot drift apart in what they write.
"""

from __future__ import annotations

import resource
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import QuotetraceError
from ..models import ProcessedArticle
from .plan import ShardTask
from .shards import ShardCounts, write_shard

if TYPE_CHECKING:
    from spacy.language import Language

__all__ = [
    "ShardOutcome",
    "children_cpu_seconds",
    "describe_error",
    "extract_and_write_shard",
    "peak_rss_bytes",
]


@dataclass(frozen=True)
class ShardOutcome:
    """How one shard ended: written (with its counts) or failed (with the last error)."""

    shard_id: int
    fingerprint: str
    size: int
    counts: ShardCounts | None
    attempts: int
    seconds: float
    worker: str | None = None
    worker_peak_rss: int | None = None
    cpu_seconds: float | None = None
    error: str | None = None
    # Documents left out of a written shard because the pipeline refused or failed on them.
    document_errors: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        return self.counts is not None


def peak_rss_bytes(who: int = resource.RUSAGE_SELF) -> int:
    """The peak resident set size of this process (or its reaped children), in bytes."""
    peak = resource.getrusage(who).ru_maxrss
    # Linux reports KiB, macOS bytes.
    return int(peak) if sys.platform == "darwin" else int(peak) * 1024


def children_cpu_seconds() -> float:
    """User+system CPU of this process's reaped children (parser processes, Dask workers)."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return float(usage.ru_utime + usage.ru_stime)


def describe_error(exc: BaseException) -> str:
    if isinstance(exc, QuotetraceError):
        return exc.render()
    return f"{type(exc).__name__}: {exc}"


def write_processed(
    out_dir: Path, task: ShardTask, items: Sequence[ProcessedArticle], failed: int = 0
) -> ShardCounts:
    if len(items) + failed != len(task.articles):
        raise QuotetraceError(
            f"shard {task.shard_id}: {len(items)} results and {failed} failures for "
            f"{len(task.articles)} articles",
            "this is a bug in the extraction engine; please report it",
        )
    return write_shard(out_dir, task.shard_id, items)


def extract_and_write_shard(
    nlp: Language, task: ShardTask, out_dir: Path, batch_size: int | None = None
) -> dict[str, Any]:
    """Extract one shard in this process and write its files; a plain dict travels best.

    A document the pipeline refuses or fails on is left out of the shard and named in
    ``document_errors``; the shard's other documents are written.
    """
    from ..nlp.pipeline import extract_articles

    started, cpu_started = time.perf_counter(), time.process_time()
    task = task.loaded()  # a WARC range is read on the worker, not by the driver
    errors: list[QuotetraceError] = []
    items = list(
        extract_articles(
            task.articles, nlp, batch_size=batch_size, n_process=1, on_error=errors.append
        )
    )
    counts = write_processed(out_dir, task, items, failed=len(errors))
    return {
        "document_errors": [e.render() for e in errors],
        "counts": counts.to_json(),
        "seconds": time.perf_counter() - started,
        "cpu_seconds": time.process_time() - cpu_started,
        "peak_rss": peak_rss_bytes(),
    }
