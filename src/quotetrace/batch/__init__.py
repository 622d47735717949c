"""Batch extraction at scale: inputs in, Parquet shards out, on one machine or on Dask.

The Dask engine is imported only when asked for, so ``quotetrace.batch`` works without the
``dask`` extra installed.
"""

from .manifest import Manifest, ShardRecord
from .runner import BatchOptions, BatchResult, make_engine, run_batch
from .shard_work import ShardOutcome
from .shards import ShardCounts, iter_processed, read_shard, shard_tables, write_shard

__all__ = [
    "BatchOptions",
    "BatchResult",
    "Manifest",
    "ShardCounts",
    "ShardOutcome",
    "ShardRecord",
    "iter_processed",
    "make_engine",
    "read_shard",
    "run_batch",
    "shard_tables",
    "write_shard",
]
