"""``run_batch``: inputs in, Parquet shards out, on the local engine or on Dask.

The run goes: plan the shards (one read of the inputs) → skip shards the manifest says are
finished → start the engine (load the model / start or join the cluster) → stream the other
shards through it → record each outcome in the manifest as it arrives. A shard that still
fails after its retries is recorded as failed and reported; it never stops the others, and the
next run with the same ``--out`` does only what is not finished.

Example::

    >>> from quotetrace.batch import BatchOptions, run_batch
    >>> result = run_batch(["news/"], "shards/", BatchOptions(engine="dask", workers=2))
    >>> result.articles_done, result.failed
    (1200, [])
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal, Protocol

from ..errors import BatchError, ClusterError, InputError
from ..ingest import ReadReport
from ..ingest.warc import WarcReadProgress
from ..settings import get_setting
from .manifest import Manifest, ShardRecord
from .plan import ShardTask, iter_shard_tasks, plan_shards
from .shard_work import ShardOutcome, peak_rss_bytes
from .shards import TABLES, shard_file

__all__ = ["BatchOptions", "BatchResult", "Engine", "ProgressHook", "make_engine", "run_batch"]

EngineName = Literal["local", "dask"]


@dataclass(frozen=True)
class BatchOptions:
    """How to run a batch. ``workers`` is processes (local) or local-cluster workers (Dask)."""

    engine: EngineName = "local"
    workers: int = 1
    address: str | None = None
    shard_size: int = 500
    retries: int = 1
    model: str | None = None
    batch_size: int | None = None


class Engine(Protocol):
    name: str

    def run(self, tasks: Iterable[ShardTask], out_dir: Path) -> Iterator[ShardOutcome]: ...

    def worker_peaks(self) -> dict[str, int]: ...

    def worker_cpu_seconds(self) -> float: ...


class ProgressHook(Protocol):
    """What a progress display needs: the total once, then articles as shards finish."""

    def start(self, total: int, already_done: int) -> None: ...

    def advance(self, articles: int) -> None: ...


@dataclass
class BatchResult:
    """What a batch run did, with the figures a benchmark needs."""

    out_dir: Path
    engine: str
    shards_total: int = 0
    shards_skipped: int = 0
    articles_total: int = 0
    articles_done: int = 0
    statements: int = 0
    mentions: int = 0
    done: list[ShardOutcome] = field(default_factory=list)
    failed: list[ShardOutcome] = field(default_factory=list)
    read_errors: list[InputError] = field(default_factory=list)
    # WARC records the plan read and skipped by their headers (requests, redirects, PDFs, ...).
    warc_summary: str | None = None
    # Documents the pipeline refused or failed on, left out of shards that were written.
    document_errors: list[str] = field(default_factory=list)
    startup_seconds: float = 0.0
    processing_seconds: float = 0.0
    worker_peak_rss: dict[str, int] = field(default_factory=dict)
    driver_peak_rss: int = 0
    # CPU while processing: this process (reading, writing, Dask's scheduler and client) and
    # the workers. Unlike the wall clock, it does not change when other programs share the CPU.
    driver_cpu_seconds: float = 0.0
    worker_cpu_seconds: float = 0.0

    @property
    def articles_per_cpu_second(self) -> float:
        cpu = self.driver_cpu_seconds + self.worker_cpu_seconds
        return self.articles_done / cpu if cpu > 0 else 0.0

    @property
    def articles_per_second(self) -> float:
        """Throughput once the engine was ready (model loaded, cluster up)."""
        if self.processing_seconds <= 0:
            return 0.0
        return self.articles_done / self.processing_seconds


def make_engine(options: BatchOptions) -> AbstractContextManager[Engine]:
    """The engine ``options`` names, as a context manager that cleans up after itself."""
    if options.engine == "local":
        if options.address:
            raise BatchError(
                "--address joins a Dask cluster and needs --engine dask",
                "add --engine dask, or drop --address",
            )
        from .local_engine import LocalEngine

        return LocalEngine(options.workers, options.model, options.batch_size, options.retries)
    if options.engine == "dask":
        try:
            from .dask_engine import DaskEngine
        except ImportError:
            raise ClusterError(
                "the Dask engine needs dask.distributed, which is not installed",
                "pip install 'quotetrace[dask]', or run with --engine local",
            ) from None
        return DaskEngine(
            options.workers, options.address, options.model, options.batch_size, options.retries
        )
    raise BatchError(f"unknown engine {options.engine!r}", "use --engine local or --engine dask")


def _open_manifest(out_dir: Path, model: str, shard_size: int) -> Manifest:
    manifest = Manifest.read(out_dir)
    if manifest is None:
        if out_dir.exists() and not out_dir.is_dir():
            raise BatchError("--out is a file, not a directory", "give a directory path")
        return Manifest(out_dir, model, shard_size)
    if manifest.model != model or manifest.shard_size != shard_size:
        raise BatchError(
            f"the directory holds shards made with model {manifest.model!r} and shard size "
            f"{manifest.shard_size}, not {model!r} and {shard_size}",
            "use a new --out directory, or the same --model and --shard-size to resume",
            source=str(out_dir),
        )
    return manifest


def _drop_stale(manifest: Manifest, planned: set[int]) -> None:
    """Shards beyond what the input now makes belong to an earlier input: remove them."""
    for shard_id in [s for s in manifest.shards if s not in planned]:
        for table in TABLES:
            shard_file(manifest.out_dir, table, shard_id).unlink(missing_ok=True)
        del manifest.shards[shard_id]


def run_batch(
    paths: Sequence[str | os.PathLike[str]],
    out_dir: str | os.PathLike[str],
    options: BatchOptions | None = None,
    *,
    on_error: Callable[[InputError], None] | None = None,
    progress: ProgressHook | None = None,
    on_shard: Callable[[ShardOutcome], None] | None = None,
    warc_progress: WarcReadProgress | None = None,
) -> BatchResult:
    """Extract every article in ``paths`` into Parquet shards under ``out_dir``.

    ``warc_progress`` sees the plan's scan of WARC record headers (records/s).
    """
    options = options or BatchOptions()
    out = Path(out_dir)
    model = options.model or str(get_setting("model"))
    manifest = _open_manifest(out, model, options.shard_size)
    result = BatchResult(out_dir=out, engine=options.engine)
    report = ReadReport()

    plans = plan_shards(paths, options.shard_size, on_error, report, warc_progress)
    result.read_errors = list(report.errors)
    result.warc_summary = report.warc.summary("HTML page(s) to extract")
    result.shards_total = len(plans)
    result.articles_total = sum(p.size for p in plans)
    _drop_stale(manifest, {p.shard_id for p in plans})
    todo = {p.shard_id for p in plans if not manifest.is_finished(p.shard_id, p.fingerprint)}
    result.shards_skipped = len(plans) - len(todo)
    manifest.write()
    if progress is not None:
        progress.start(result.articles_total, sum(p.size for p in plans if p.shard_id not in todo))
    if not todo:
        result.driver_peak_rss = peak_rss_bytes()
        return result

    started = time.perf_counter()
    with make_engine(options) as engine:
        ready, cpu_ready = time.perf_counter(), time.process_time()
        result.startup_seconds = ready - started
        tasks = iter_shard_tasks(paths, options.shard_size, plans, todo)
        for outcome in engine.run(tasks, out):
            _record(manifest, outcome)
            manifest.write()
            if outcome.counts is not None:
                result.done.append(outcome)
                result.articles_done += outcome.counts.articles
                result.statements += outcome.counts.statements
                result.mentions += outcome.counts.mentions
                result.document_errors.extend(outcome.document_errors)
            else:
                result.failed.append(outcome)
            if progress is not None:
                progress.advance(outcome.size)
            if on_shard is not None:
                on_shard(outcome)
        result.processing_seconds = time.perf_counter() - ready
        result.driver_cpu_seconds = time.process_time() - cpu_ready
        result.worker_cpu_seconds = engine.worker_cpu_seconds()
        result.worker_peak_rss = engine.worker_peaks()
    result.driver_peak_rss = peak_rss_bytes()
    return result


def _record(manifest: Manifest, outcome: ShardOutcome) -> None:
    counts = outcome.counts
    manifest.shards[outcome.shard_id] = ShardRecord(
        status="done" if counts is not None else "failed",
        fingerprint=outcome.fingerprint,
        articles=counts.articles if counts else 0,
        statements=counts.statements if counts else 0,
        mentions=counts.mentions if counts else 0,
        attempts=outcome.attempts,
        seconds=round(outcome.seconds, 3),
        worker=outcome.worker,
        error=outcome.error,
        documents_failed=list(outcome.document_errors) or None,
    )
