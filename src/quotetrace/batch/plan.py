"""Cutting the input into shards, without holding the whole corpus in memory.

The inputs are read twice. The first pass (``plan_shards``) reads every article once, reports
unreadable inputs, and keeps only a fingerprint per shard: a hash of the shard's doc_ids and
texts. That gives the progress bar its total and lets a re-run recognise which shards it has
already finished. The second pass (``iter_shard_tasks``) reads the articles again and hands
out only the shards still to do, one at a time, so the driver's memory is one shard per
worker in flight rather than the corpus. Reading costs about 1% of parsing, so the second
read is cheap.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass

from ..errors import BatchError, InputError
from ..ingest import ReadReport, iter_articles
from ..models import Article

__all__ = ["ShardPlan", "ShardTask", "iter_shard_tasks", "plan_shards"]

Paths = Sequence[str | os.PathLike[str]]


@dataclass(frozen=True)
class ShardPlan:
    """One shard of the input: its number, how many articles, and their fingerprint."""

    shard_id: int
    size: int
    fingerprint: str


@dataclass(frozen=True)
class ShardTask:
    """One shard's articles, ready to be extracted and written."""

    shard_id: int
    fingerprint: str
    articles: tuple[Article, ...]


class _Fingerprint:
    def __init__(self) -> None:
        self._hash = hashlib.blake2b(digest_size=16)

    def add(self, article: Article) -> None:
        # Separators that cannot occur in the encoded parts keep ("ab", "c") != ("a", "bc").
        for part in (article.doc_id, article.date or "", article.outlet or "", article.text):
            self._hash.update(part.encode("utf-8", "surrogatepass"))
            self._hash.update(b"\x00\xff")

    def hexdigest(self) -> str:
        return self._hash.hexdigest()


def _chunks(articles: Iterable[Article], size: int) -> Iterator[list[Article]]:
    chunk: list[Article] = []
    for article in articles:
        chunk.append(article)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def plan_shards(
    paths: Paths,
    shard_size: int,
    on_error: Callable[[InputError], None] | None = None,
    report: ReadReport | None = None,
) -> list[ShardPlan]:
    """Read the inputs once and describe the shards they make; errors go to ``on_error``."""
    if shard_size < 1:
        raise BatchError(f"shard size {shard_size} is not positive", "give --shard-size 1 or more")
    plans = []
    for shard_id, chunk in enumerate(_chunks(iter_articles(paths, on_error, report), shard_size)):
        fingerprint = _Fingerprint()
        for article in chunk:
            fingerprint.add(article)
        plans.append(ShardPlan(shard_id, len(chunk), fingerprint.hexdigest()))
    return plans


def iter_shard_tasks(
    paths: Paths, shard_size: int, plans: Sequence[ShardPlan], wanted: set[int]
) -> Iterator[ShardTask]:
    """The articles of the ``wanted`` shards, read again and checked against the plan.

    Read errors were reported by ``plan_shards`` and are not reported twice.
    """
    chunks = _chunks(iter_articles(paths), shard_size)
    for plan, chunk in zip(plans, chunks, strict=False):
        if plan.shard_id not in wanted:
            continue
        fingerprint = _Fingerprint()
        for article in chunk:
            fingerprint.add(article)
        if fingerprint.hexdigest() != plan.fingerprint:
            raise BatchError(
                f"the input changed while the batch was running (shard {plan.shard_id})",
                "let the inputs settle and run the same command again; finished shards are kept",
            )
        yield ShardTask(plan.shard_id, plan.fingerprint, tuple(chunk))
