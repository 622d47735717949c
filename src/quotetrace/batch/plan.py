"""Cutting the input into shards, without holding the whole corpus in memory.

The inputs are read twice. The first pass (``plan_shards``) reads every article once, reports
unreadable inputs, and keeps only a fingerprint per shard: a hash of the shard's doc_ids and
texts. That gives the progress bar its total and lets a re-run recognise which shards it has
already finished. The second pass (``iter_shard_tasks``) reads the articles again and hands
out only the shards still to do, one at a time, so the driver's memory is one shard per
worker in flight rather than the corpus. Reading costs about 1% of parsing, so the second
read is cheap.

Web archives are planned differently (``warc_shards.py``): the first pass reads only their
record headers and cuts each WARC into record ranges; a range's articles are read by the
worker that extracts it (``ShardTask.loaded``), never by the driver.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass

from ..errors import BatchError, InputError
from ..ingest import ReadReport, iter_articles
from ..ingest.warc import WarcReadProgress
from ..models import Article
from .warc_shards import WarcRange, plan_warc_ranges, read_warc_range

__all__ = ["ShardPlan", "ShardTask", "iter_shard_tasks", "plan_shards"]

Paths = Sequence[str | os.PathLike[str]]


@dataclass(frozen=True)
class ShardPlan:
    """One shard of the input: its number, how many articles, and their fingerprint.

    For a range of a WARC, ``size`` counts its candidate pages (some may hold no article).
    """

    shard_id: int
    size: int
    fingerprint: str
    warc: WarcRange | None = None


@dataclass(frozen=True)
class ShardTask:
    """One shard's articles, ready to be extracted and written; or the WARC range holding them."""

    shard_id: int
    fingerprint: str
    articles: tuple[Article, ...]
    warc: WarcRange | None = None
    planned_size: int | None = None

    @property
    def size(self) -> int:
        """The shard's size as planned (what the progress counts)."""
        return self.planned_size if self.planned_size is not None else len(self.articles)

    def loaded(self) -> ShardTask:
        """This task with its articles read: a WARC range is read here, where the work runs."""
        if self.warc is None:
            return self
        return ShardTask(
            self.shard_id, self.fingerprint, read_warc_range(self.warc), None, self.size
        )


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
    warc_progress: WarcReadProgress | None = None,
) -> list[ShardPlan]:
    """Read the inputs once and describe the shards they make; errors go to ``on_error``."""
    if shard_size < 1:
        raise BatchError(f"shard size {shard_size} is not positive", "give --shard-size 1 or more")
    report = report if report is not None else ReadReport()
    plans = []
    articles = iter_articles(paths, on_error, report, include_warc=False)
    for shard_id, chunk in enumerate(_chunks(articles, shard_size)):
        fingerprint = _Fingerprint()
        for article in chunk:
            fingerprint.add(article)
        plans.append(ShardPlan(shard_id, len(chunk), fingerprint.hexdigest()))
    for warc, fingerprint_hex in plan_warc_ranges(
        paths, shard_size, report, on_error, warc_progress
    ):
        plans.append(ShardPlan(len(plans), warc.candidates, fingerprint_hex, warc))
    return plans


def iter_shard_tasks(
    paths: Paths, shard_size: int, plans: Sequence[ShardPlan], wanted: set[int]
) -> Iterator[ShardTask]:
    """The articles of the ``wanted`` shards, read again and checked against the plan.

    Read errors were reported by ``plan_shards`` and are not reported twice.
    """
    chunks = _chunks(iter_articles(paths, include_warc=False), shard_size)
    for plan, chunk in zip([p for p in plans if p.warc is None], chunks, strict=False):
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
    for plan in plans:
        if plan.warc is None or plan.shard_id not in wanted:
            continue
        try:
            size = os.path.getsize(plan.warc.path)
        except OSError:
            size = -1
        if size != plan.warc.file_size:
            raise BatchError(
                f"the WARC {plan.warc.source} changed while the batch was running "
                f"(shard {plan.shard_id})",
                "let the inputs settle and run the same command again; finished shards are kept",
            )
        yield ShardTask(plan.shard_id, plan.fingerprint, (), plan.warc, plan.size)
