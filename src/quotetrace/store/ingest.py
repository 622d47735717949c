"""Ingesting: read files, extract, store, in batches that each commit on their own.

Nothing lost, nothing doubled:

* every article is keyed by its content hash; a first, cheap pass over the inputs finds the
  ones the store does not have yet, so a re-run (or a run resumed after ``kill -9``) parses
  only what is missing and the progress bar's total is the real amount of work;
* results are committed ``commit_every`` articles at a time, each batch one transaction: a
  killed run loses at most the batch in flight, which the next run redoes;
* a bad file, record or article is reported through ``on_error`` and skipped; it never stops
  the run and never reaches the store.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Protocol

from ..errors import InputError, QuotetraceError
from ..ingest import ReadReport, iter_located_articles
from ..ingest.located import located_name
from ..ingest.warc import WarcReadProgress
from ..models import Article, ProcessedArticle
from .admission import article_hash, check_processed, check_storable
from .records import AddResult
from .store import Store

if TYPE_CHECKING:
    from spacy.language import Language

__all__ = ["IngestProgress", "IngestReport", "ingest_articles", "ingest_paths"]

DEFAULT_COMMIT_EVERY = 50
_HASH_CHECK_CHUNK = 1000
_PLACES_KEPT = 10_000


class IngestProgress(Protocol):
    def start(self, total: int) -> None: ...

    def advance(self, done: int) -> None: ...


@dataclass
class IngestReport:
    """What an ingest run did. ``to_store`` is what was missing when the run started."""

    read: int = 0
    to_store: int = 0
    already_stored: int = 0
    batches: int = 0
    added: AddResult = field(default_factory=AddResult)
    errors: list[QuotetraceError] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def rate(self) -> float:
        """Articles stored per second of the whole run."""
        return self.added.articles_added / self.seconds if self.seconds > 0 else 0.0


ErrorHandler = Callable[[QuotetraceError], None]


def _ignore(_: InputError) -> None:
    return None


def ingest_paths(
    store: Store,
    paths: Sequence[str],
    *,
    nlp: Language | None = None,
    model: str | None = None,
    n_process: int | None = None,
    commit_every: int = DEFAULT_COMMIT_EVERY,
    on_error: ErrorHandler | None = None,
    progress: IngestProgress | None = None,
    read_report: ReadReport | None = None,
    warc_progress: WarcReadProgress | None = None,
) -> IngestReport:
    """Ingest files and directories (everything ``iter_articles`` reads, HTML and WARC included).

    ``read_report`` and ``warc_progress`` see the first of the two reads (see the module):
    files, WARC records read and skipped, each counted once.
    """
    # Where each article was read, so an extraction error names the file (and line); keyed by
    # id() of the article, re-set each time one is read. Only the articles in flight in the
    # pipeline (a batch or two) can fail, so the oldest entries are dropped past a bound.
    places: dict[int, str] = {}
    reads = 0

    def read(handler: Callable[[InputError], None]) -> Iterator[Article]:
        nonlocal reads
        reads += 1
        first = reads == 1
        located = iter_located_articles(
            paths,
            handler,
            read_report if first else None,
            warc_progress=warc_progress if first else None,
        )
        for place, article in located:
            places.pop(id(article), None)
            places[id(article)] = place
            if len(places) > _PLACES_KEPT:
                del places[next(iter(places))]
            yield article

    return ingest_articles(
        store,
        read,
        describe=lambda article: located_name(places.pop(id(article), None), article),
        nlp=nlp,
        model=model,
        n_process=n_process,
        commit_every=commit_every,
        on_error=on_error,
        progress=progress,
    )


def ingest_articles(
    store: Store,
    read: Callable[[Callable[[InputError], None]], Iterable[Article]],
    *,
    nlp: Language | None = None,
    model: str | None = None,
    n_process: int | None = None,
    commit_every: int = DEFAULT_COMMIT_EVERY,
    on_error: ErrorHandler | None = None,
    progress: IngestProgress | None = None,
    describe: Callable[[Article], str] | None = None,
) -> IngestReport:
    """Ingest the articles ``read(on_error)`` yields; ``read`` is called twice (see module)."""
    began = time.perf_counter()
    report = IngestReport()

    def report_error(exc: QuotetraceError) -> None:
        report.errors.append(exc)
        if on_error is not None:
            on_error(exc)

    pending = _missing_hashes(store, read(_ignore), report)
    if progress is not None:
        progress.start(report.to_store)
    if pending:
        if nlp is None:
            from ..nlp.pipeline import load_pipeline

            nlp = load_pipeline(model)
        todo = _articles_to_extract(read(report_error), pending, report_error)
        batch: list[ProcessedArticle] = []
        from ..nlp.pipeline import extract_articles

        # An article that is refused or makes the pipeline raise is reported and skipped.
        for item in extract_articles(
            todo, nlp, n_process=n_process, on_error=report_error, describe=describe
        ):
            try:
                check_processed(item)
            except QuotetraceError as exc:
                report_error(exc)
                continue
            batch.append(item)
            if len(batch) >= commit_every:
                _commit(store, batch, report, progress)
        if batch:
            _commit(store, batch, report, progress)
    report.seconds = time.perf_counter() - began
    return report


def _missing_hashes(store: Store, articles: Iterable[Article], report: IngestReport) -> set[str]:
    """Pass 1: the hashes of articles the store does not have (errors are reported later)."""
    pending: set[str] = set()
    seen: set[str] = set()
    chunk: list[str] = []

    def check(hashes: list[str]) -> None:
        known = store.known_hashes(hashes)
        report.already_stored += len(known)
        pending.update(h for h in hashes if h not in known)

    for article in articles:
        report.read += 1
        digest = article_hash(article)
        if digest in seen:
            continue
        seen.add(digest)
        chunk.append(digest)
        if len(chunk) >= _HASH_CHECK_CHUNK:
            check(chunk)
            chunk = []
    if chunk:
        check(chunk)
    report.to_store = len(pending)
    return pending


def _articles_to_extract(
    articles: Iterable[Article], pending: set[str], on_error: ErrorHandler
) -> Iterator[Article]:
    """Pass 2: each missing article once, in input order; unstorable ones reported."""
    for article in articles:
        digest = article_hash(article)
        if digest not in pending:
            continue
        pending.discard(digest)
        try:
            check_storable(article)
        except QuotetraceError as exc:
            on_error(exc)
            continue
        yield article


def _commit(
    store: Store,
    batch: list[ProcessedArticle],
    report: IngestReport,
    progress: IngestProgress | None,
) -> None:
    report.added = report.added + store.add_processed(batch)
    report.batches += 1
    if progress is not None:
        progress.advance(len(batch))
    batch.clear()
