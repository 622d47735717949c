"""The Dask engine: shards as tasks on a ``dask.distributed`` cluster.

Each worker loads the spaCy pipeline once, through a ``WorkerPlugin`` registered when the
client connects (and applied by Dask to workers that join later); a shard task fetches it with
``get_worker()``. Workers write their shard's Parquet files themselves, so on a multi-node
cluster ``--out`` must be a directory every worker can reach (the shared filesystem of an HPC
cluster, a ReadWriteMany volume on Kubernetes). Only small outcome records travel back.

Without ``--address`` a ``LocalCluster`` starts in this process: ``workers`` worker processes,
one thread each (the parse holds the GIL, so threads would not add throughput), listening on
127.0.0.1 only, and closed when the run ends, also on an error or Ctrl-C.

The driver keeps two shards per worker thread in flight, so workers never wait for work and
the driver never holds more than that many shards' articles. A failed task is resubmitted by
the driver (not by Dask's own ``retries``) so the manifest can say how many attempts a shard
took and which error ended it.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Hashable, Iterable, Iterator
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any

import dask
from distributed import Client, LocalCluster, Worker, as_completed, get_worker
from distributed.diagnostics.plugin import WorkerPlugin

from ..errors import ClusterError, QuotetraceError
from .plan import ShardTask
from .shard_work import ShardOutcome, describe_error, extract_and_write_shard
from .shards import ShardCounts

if TYPE_CHECKING:
    from spacy.language import Language

__all__ = ["PLUGIN_NAME", "DaskEngine", "PipelinePlugin", "extract_shard_on_worker"]

PLUGIN_NAME = "quotetrace-pipeline"
# Long enough for workers on a busy cluster to come up, short enough to fail a typo fast.
_CONNECT_TIMEOUT = "30s"
_PRE_SPAWN_ENV = "distributed.nanny.pre-spawn-environ"


def _worker_environment() -> dict[str, Any]:
    """Dask's environment for new worker processes, less its malloc trim threshold.

    Dask sets ``MALLOC_TRIM_THRESHOLD_=65536`` so that workers hand freed memory back to the
    system at once. spaCy allocates and frees large arrays for every batch, and with that
    setting a worker spent about 25% more CPU on the same articles (measured here: 1.0 s of
    system time per 3.5 s parsed). A worker peaks at about 350 MB without it. The one-BLAS-
    thread settings (``OPENBLAS_NUM_THREADS=1`` ...) are kept: they must be set before numpy
    loads, which is why they go in before the worker process starts.
    """
    environment = dict(dask.config.get(_PRE_SPAWN_ENV, default={}) or {})
    environment.pop("MALLOC_TRIM_THRESHOLD_", None)
    return environment


class PipelinePlugin(WorkerPlugin):
    """Loads the pipeline once when a worker starts, or when it joins the cluster later."""

    name = PLUGIN_NAME

    def __init__(self, model: str | None) -> None:
        self.model = model
        self.nlp: Language | None = None

    def setup(self, worker: Worker) -> None:
        from ..nlp.pipeline import load_pipeline

        self.nlp = load_pipeline(self.model)

    def teardown(self, worker: Worker) -> None:
        self.nlp = None


def extract_shard_on_worker(
    task: ShardTask, out_dir: str, batch_size: int | None
) -> dict[str, Any]:
    """The task a worker runs for one shard (module level, so workers import it by name)."""
    worker = get_worker()
    plugin = worker.plugins.get(PLUGIN_NAME)
    nlp = getattr(plugin, "nlp", None)
    if nlp is None:
        raise QuotetraceError(
            f"worker {worker.address} has no quotetrace pipeline loaded",
            "check the worker's log: the model must be installed where the worker runs",
        )
    result = extract_and_write_shard(nlp, task, Path(out_dir), batch_size)
    result["worker"] = worker.address
    return result


class DaskEngine:
    """Runs shards as tasks on a Dask cluster: an existing one (``address``) or a local one."""

    name = "dask"

    def __init__(
        self,
        workers: int = 2,
        address: str | None = None,
        model: str | None = None,
        batch_size: int | None = None,
        retries: int = 1,
    ) -> None:
        self.workers = max(1, workers)
        self.address = address
        self.model = model
        self.batch_size = batch_size
        self.retries = max(0, retries)
        self._cluster: LocalCluster | None = None
        self._client: Client | None = None
        self._peaks: dict[str, int] = {}
        self._cpu = 0.0

    def __enter__(self) -> DaskEngine:
        try:
            if self.address:
                self._client = self._connect()
            else:
                with dask.config.set({_PRE_SPAWN_ENV: _worker_environment()}):
                    self._cluster = LocalCluster(
                        n_workers=self.workers,
                        threads_per_worker=1,
                        processes=True,
                        host="127.0.0.1",
                        dashboard_address=None,
                        # Failures reach the user as shard errors; worker tracebacks would
                        # only repeat them.
                        silence_logs=logging.CRITICAL,
                    )
                self._client = Client(self._cluster, set_as_default=False)
            self._client.register_plugin(PipelinePlugin(self.model), name=PLUGIN_NAME)
        except BaseException as exc:
            self.close()
            if isinstance(exc, QuotetraceError | KeyboardInterrupt | SystemExit):
                raise
            raise ClusterError(
                f"the Dask cluster could not be started or set up ({describe_error(exc)})",
                "check the address and that every worker has quotetrace and the model installed",
            ) from None
        return self

    def _connect(self) -> Client:
        try:
            client = Client(self.address, timeout=_CONNECT_TIMEOUT, set_as_default=False)
        except (OSError, TimeoutError) as exc:
            raise ClusterError(
                f"cannot reach the Dask scheduler at {self.address} ({exc})",
                "check --address (tcp://HOST:8786) and that the scheduler is running",
            ) from None
        return client

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def close(self) -> None:
        """Close the client, and the local cluster if we started one (never a joined one)."""
        client, cluster = self._client, self._cluster
        self._client = self._cluster = None
        try:
            if client is not None:
                if cluster is None:
                    # A joined cluster outlives us: give its workers their memory back.
                    with contextlib.suppress(Exception):
                        client.unregister_worker_plugin(PLUGIN_NAME)
                client.close()
        finally:
            if cluster is not None:
                cluster.close()

    @property
    def client(self) -> Client:
        if self._client is None:
            raise RuntimeError("use the engine inside `with`")
        return self._client

    def worker_peaks(self) -> dict[str, int]:
        return dict(self._peaks)

    def worker_cpu_seconds(self) -> float:
        """CPU the workers spent on shard tasks, as each task measured its own."""
        return self._cpu

    def _threads(self) -> int:
        threads: dict[str, int] = self.client.nthreads()
        return max(1, sum(threads.values()))

    def run(self, tasks: Iterable[ShardTask], out_dir: Path) -> Iterator[ShardOutcome]:
        target = str(out_dir.resolve())
        pending = iter(tasks)
        attempts: dict[int, int] = {}
        submitted: dict[Hashable, ShardTask] = {}
        completed = as_completed(loop=self.client.loop)

        def submit(task: ShardTask) -> None:
            attempts[task.shard_id] = attempts.get(task.shard_id, 0) + 1
            future = self.client.submit(
                extract_shard_on_worker, task, target, self.batch_size, pure=False
            )
            submitted[future.key] = task
            completed.add(future)

        for _ in range(2 * self._threads()):
            task = next(pending, None)
            if task is None:
                break
            submit(task)
        for future in completed:
            task = submitted.pop(future.key)
            if future.status == "finished":
                result = future.result()
                future.release()
                worker = str(result["worker"])
                self._peaks[worker] = max(self._peaks.get(worker, 0), int(result["peak_rss"]))
                self._cpu += float(result["cpu_seconds"])
                yield ShardOutcome(
                    shard_id=task.shard_id,
                    fingerprint=task.fingerprint,
                    size=task.size,
                    counts=ShardCounts(**result["counts"]),
                    attempts=attempts[task.shard_id],
                    seconds=float(result["seconds"]),
                    worker=worker,
                    worker_peak_rss=int(result["peak_rss"]),
                    cpu_seconds=float(result["cpu_seconds"]),
                    document_errors=tuple(result.get("document_errors", ())),
                )
            else:
                # "error" carries the task's exception; "cancelled" or "lost" mean the cluster
                # dropped the task (a scheduler restart, a lost connection): both are retried.
                failure = future.exception() if future.status == "error" else None
                error = describe_error(failure) if failure else f"the task was {future.status}"
                future.release()
                if attempts[task.shard_id] <= self.retries:
                    submit(task)
                    continue
                yield ShardOutcome(
                    shard_id=task.shard_id,
                    fingerprint=task.fingerprint,
                    size=task.size,
                    counts=None,
                    attempts=attempts[task.shard_id],
                    seconds=0.0,
                    error=error,
                )
            following = next(pending, None)
            if following is not None:
                submit(following)
