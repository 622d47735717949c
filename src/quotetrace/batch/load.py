"""Loading batch shards into the store, the way ``quotetrace ingest`` stores what it extracts.

The shards already hold the extraction, so nothing is parsed again: each finished shard is read
back into ``ProcessedArticle`` records and handed to ``Store.add_processed`` in transactions of
``commit_every`` articles. The store links mentions to canonical actors and skips articles it
already holds (by content hash), so loading the same directory twice adds nothing and a load
that was interrupted resumes by running it again. Then the new articles are placed in stories
(``update_store_stories``, incremental: stored stories are kept, new articles join them or
found new ones), as ``quotetrace stories`` would on its next run.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from ..errors import BatchError, QuotetraceError
from ..models import ProcessedArticle
from .manifest import Manifest
from .shards import read_shard, shard_name

if TYPE_CHECKING:
    from ..store import AddResult, Store

__all__ = ["LoadProgress", "LoadReport", "load_shards"]


class LoadProgress(Protocol):
    def start(self, total: int, already_done: int) -> None: ...

    def advance(self, articles: int) -> None: ...


@dataclass
class LoadReport:
    """What a load did; ``unfinished_shards`` (not finished by the batch) were left out."""

    shards: int = 0
    unfinished_shards: list[int] = field(default_factory=list)
    read: int = 0
    articles_added: int = 0
    articles_skipped: int = 0
    statements_added: int = 0
    mentions_added: int = 0
    actors_created: int = 0
    errors: list[QuotetraceError] = field(default_factory=list)
    seconds: float = 0.0
    stories: int | None = None  # stories in the store after linking (None: not linked)
    articles_given_story: int = 0

    @property
    def rate(self) -> float:
        """Articles read from the shards and stored (or skipped) per second."""
        return self.read / self.seconds if self.seconds > 0 else 0.0

    def add(self, result: AddResult) -> None:
        self.articles_added += result.articles_added
        self.articles_skipped += result.articles_skipped
        self.statements_added += result.statements_added
        self.mentions_added += result.mentions_added
        self.actors_created += result.actors_created


def load_shards(
    out_dir: str | Path,
    store: Store,
    *,
    commit_every: int = 50,
    link_stories: bool = True,
    on_error: Callable[[QuotetraceError], None] | None = None,
    progress: LoadProgress | None = None,
) -> LoadReport:
    """Store every finished shard of a batch output directory."""
    from ..store import check_processed

    began = time.perf_counter()
    directory = Path(out_dir)
    manifest = Manifest.read(directory)
    if manifest is None:
        raise BatchError(
            "no batch manifest here",
            "give the --out directory of a `quotetrace batch` run",
            source=str(directory),
        )
    report = LoadReport()

    def report_error(exc: QuotetraceError) -> None:
        report.errors.append(exc)
        if on_error is not None:
            on_error(exc)

    finished = manifest.finished_shards()
    report.shards = len(finished)
    report.unfinished_shards = [s for s in sorted(manifest.shards) if s not in set(finished)]
    if progress is not None:
        progress.start(sum(manifest.shards[s].articles for s in finished), 0)
    batch: list[ProcessedArticle] = []

    def commit() -> None:
        report.add(store.add_processed(batch))
        if progress is not None:
            progress.advance(len(batch))
        batch.clear()

    for shard_id in finished:
        try:
            items = read_shard(directory, shard_id)
        except QuotetraceError as exc:
            report_error(exc)
            continue
        for item in items:
            report.read += 1
            try:
                check_processed(item)
            except QuotetraceError as exc:
                exc.source = exc.source or f"{shard_name(shard_id)}: {item.article.doc_id}"
                report_error(exc)
                continue
            batch.append(item)
            if len(batch) >= commit_every:
                commit()
    if batch:
        commit()
    if link_stories:
        _link_stories(store, report)
    report.seconds = time.perf_counter() - began
    return report


def _link_stories(store: Store, report: LoadReport) -> None:
    from ..stories.store_sync import has_unplaced_articles, update_store_stories

    # A load killed after its last commit stored everything but placed nothing: the re-run
    # adds no article yet still has stories to make.
    if report.articles_added or has_unplaced_articles(store):
        update = update_store_stories(store)
        report.stories = update.stories
        report.articles_given_story = update.articles_written
