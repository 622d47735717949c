"""One crawl: read the given feeds, sitemaps and pages, fetch what they list, store articles.

``Crawler(store, config).run(targets)`` does, in order:

1. each target is fetched (a conditional GET when the store remembers its validators) and
   looked at: a feed or sitemap adds the article URLs it lists to the crawl state as pending
   (a sitemap index has its sitemaps read in turn, ``max_depth`` deep); a page given directly is
   an article candidate itself;
2. the pending pages of these targets, including those a stopped run left, are fetched
   site by site in turn (so one site's rate limit never idles the others), each URL at most
   once: a URL whose article is stored is skipped before any request;
3. each page's main text is taken by the HTML reader; pages without an article, and pages
   whose text is already stored under another URL (same text hash), are recorded and skipped;
4. articles are extracted and stored ``commit_every`` at a time through the ingest path, and
   only then are their URLs marked done.

Every outcome is counted per site in a ``CrawlReport``; nothing here raises for a bad URL,
page or feed: it becomes a count, a ``failed`` row with its reason, and a message.
"""

from __future__ import annotations

import hashlib
import time
from collections import OrderedDict, deque
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ..errors import EmptyInputError, InputError, QuotetraceError
from ..ingest.html import article_from_html
from ..ingest.outlets import normalize_url, outlet_name
from ..ingest.readers import decode_bytes
from ..models import Article
from ..store import Store
from ..store.ingest import ingest_articles
from .discovery import Listing, discover
from .fetcher import FetchConfig, FetchResult, PoliteFetcher
from .report import CrawlReport, SiteCounts
from .robots import site_of
from .state import CrawlRow, CrawlState, UrlKind
from .warc_out import WarcSink

if TYPE_CHECKING:
    from spacy.language import Language

__all__ = ["CrawlConfig", "Crawler"]

_HTML_TYPES = frozenset({"", "text/html", "application/xhtml+xml", "text/plain"})


@dataclass(frozen=True)
class CrawlConfig:
    fetch: FetchConfig = field(default_factory=FetchConfig)
    commit_every: int = 20
    max_attempts: int = 3  # runs that may try one URL before its failure is final
    max_depth: int = 3  # sitemap index -> sitemap -> ... levels followed
    max_pages: int | None = None  # pages fetched per run (None: all that are pending)


@dataclass
class _Fetched:
    """A page whose article waits in the batch for extraction and storing."""

    row_url: str
    final_url: str
    article: Article
    text_hash: str
    result: FetchResult


def text_hash(text: str) -> str:
    """The content hash of an article's text, independent of where it was found."""
    return hashlib.sha256(" ".join(text.split()).encode("utf-8", "surrogatepass")).hexdigest()


def _failure_reason(result: FetchResult) -> str:
    if result.failure in ("http", "retry-after"):
        return f"http-{result.status}"
    return str(result.failure)


def _round_robin(rows: Iterable[CrawlRow]) -> list[CrawlRow]:
    """Rows reordered one site at a time, so consecutive requests go to different sites."""
    by_site: OrderedDict[str, deque[CrawlRow]] = OrderedDict()
    for row in rows:
        by_site.setdefault(row.site, deque()).append(row)
    out: list[CrawlRow] = []
    while by_site:
        for site in list(by_site):
            queue = by_site[site]
            out.append(queue.popleft())
            if not queue:
                del by_site[site]
    return out


class Crawler:
    """A fetcher, the crawl state and (once needed) the parser, reused across rounds."""

    def __init__(
        self,
        store: Store,
        config: CrawlConfig | None = None,
        *,
        nlp: Language | None = None,
        model: str | None = None,
        warc_dir: str | None = None,
        on_message: Callable[[str], None] | None = None,
    ) -> None:
        self.store = store
        self.config = config or CrawlConfig()
        self.state = CrawlState(store)
        self.fetcher = PoliteFetcher(self.config.fetch)
        self.warc = WarcSink(warc_dir) if warc_dir else None
        self._nlp = nlp
        self._model = model
        self._on_message = on_message

    def close(self) -> None:
        self.fetcher.close()
        if self.warc is not None:
            self.warc.close()

    def __enter__(self) -> Crawler:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- one run ---------------------------------------------------------------------------

    def run(self, targets: Sequence[str]) -> CrawlReport:
        """Crawl ``targets`` (feed, sitemap or page URLs). KeyboardInterrupt propagates after
        marking the report interrupted; everything committed so far stays committed."""
        began = time.perf_counter()
        report = CrawlReport()
        self._report = report
        self._batch: list[_Fetched] = []
        self._batch_hashes: set[str] = set()
        self._attempted: set[str] = set()
        try:
            roots: list[str] = []
            for target in targets:
                url = normalize_url(target)
                if not url.startswith(("http://", "https://")):
                    self._fail_message(report.site("(input)"), "bad-url", url, "not an http(s) URL")
                    continue
                if url not in roots:
                    roots.append(url)
            for root in roots:
                self._read_target(root)
            self._fetch_pages(roots)
            self._flush()
        except KeyboardInterrupt:
            report.interrupted = True
            raise
        finally:
            report.seconds = time.perf_counter() - began
        return report

    # -- feeds, sitemaps and given pages ---------------------------------------------------

    def _read_target(self, root: str) -> None:
        row = self.state.get(root)
        counts = self._report.site(site_of(root))
        if (
            row is not None
            and row.kind == "page"
            and row.status == "done"
            and row.reason != "not-modified"
        ):
            counts.already += 1  # a page given again whose article is stored
            return
        if self._stored_doc(root):
            counts.already += 1
            self.state.mark(root, "done", "stored", kind="page", root=root, attempted=False)
            return
        self._read_listing(root, root, row, depth=0)

    def _read_listing(self, url: str, root: str, row: CrawlRow | None, depth: int) -> None:
        counts = self._report.site(site_of(url))
        fresh: UrlKind = "seed" if depth == 0 else "sitemap"
        kind: UrlKind = row.kind if row is not None else fresh  # type: ignore[assignment]
        self._attempted.add(url)
        result = self.fetcher.fetch(
            url,
            etag=row.etag if row is not None else None,
            last_modified=row.last_modified if row is not None else None,
        )
        if result.not_modified and row is None:
            # A 304 to a request that asked nothing conditionally: the server is confused.
            counts.other_errors["unexpected-304"] += 1
            self._message(f"{url}: HTTP 304 to a request without validators")
            self.state.mark(url, "failed", "http-304", kind=kind, root=root, http_status=304)
            return
        if result.not_modified and row is not None:
            counts.not_modified += 1
            self.state.mark(
                url,
                "done",
                "not-modified",
                kind=kind,
                root=root,
                http_status=304,
                etag=result.etag or row.etag,
                last_modified=result.last_modified or row.last_modified,
            )
            return
        if not result.ok:
            self._record_failure(counts, url, kind, root, result)
            return
        self._keep_raw(result)
        try:
            listing = discover(result.body, result.final_url, max_bytes=self.config.fetch.max_bytes)
        except InputError as exc:
            counts.other_errors["broken-listing"] += 1
            self._message(f"{url}: {exc.message}")
            self.state.mark(url, "failed", "broken-listing", kind=kind, root=root)
            return
        if listing.kind == "page":
            self._page_fetched(url, root, row, result)
            return
        self._listing_read(url, root, listing, result, depth)

    def _listing_read(
        self, url: str, root: str, listing: Listing, result: FetchResult, depth: int
    ) -> None:
        counts = self._report.site(site_of(url))
        counts.listings += 1
        kind: UrlKind = "feed" if listing.kind == "feed" else "sitemap"
        self.state.mark(
            url,
            "done",
            "listed",
            kind=kind,
            root=root,
            http_status=result.status,
            etag=result.etag,
            last_modified=result.last_modified,
        )
        if listing.kind == "sitemap-index":
            if depth >= self.config.max_depth:
                counts.other_errors["sitemaps-too-deep"] += 1
                self._message(f"{url}: sitemap index nested deeper than {self.config.max_depth}")
                return
            children = list(dict.fromkeys(normalize_url(link.url) for link in listing.links))
            known = self.state.rows(children)
            for child in children:
                if child not in self._attempted:  # an index listing itself, or a cycle
                    self._read_listing(child, root, known.get(child), depth + 1)
            return
        links: dict[str, tuple[str, str | None, str | None]] = {}
        for link in listing.links:
            normal = normalize_url(link.url)
            links.setdefault(normal, (normal, link.title, link.date))
        known = self.state.rows(links)
        counts.already += sum(1 for r in known.values() if r.status == "done")
        counts.listed += self.state.add_pending(
            [link for normal, link in links.items() if normal not in known], kind="page", root=root
        )

    # -- pages -----------------------------------------------------------------------------

    def _fetch_pages(self, roots: Sequence[str]) -> None:
        rows = _round_robin(self.state.resumable(roots, self.config.max_attempts))
        if self.config.max_pages is not None:
            rows = rows[: self.config.max_pages]
        for row in rows:
            if row.url in self._attempted:
                continue  # a target that was a page: fetched above already
            counts = self._report.site(row.site)
            if self._stored_doc(row.url):
                counts.already += 1
                self.state.mark(row.url, "done", "stored", kind="page", attempted=False)
                continue
            result = self.fetcher.fetch(row.url, etag=row.etag, last_modified=row.last_modified)
            if result.not_modified:
                counts.not_modified += 1
                self.state.mark(row.url, "done", "not-modified", kind="page", http_status=304)
                continue
            if not result.ok:
                self._record_failure(counts, row.url, "page", row.root, result)
                continue
            self._keep_raw(result)
            self._page_fetched(row.url, row.root or row.url, row, result)

    def _page_fetched(self, url: str, root: str, row: CrawlRow | None, result: FetchResult) -> None:
        counts = self._report.site(site_of(url))
        counts.fetched += 1
        final = normalize_url(result.final_url)
        if final != url:
            earlier = self.state.get(final)
            if (earlier is not None and earlier.status == "done") or self._stored_doc(final):
                counts.duplicate += 1
                self.state.mark(url, "done", "duplicate-url", kind="page", root=root, doc_id=final)
                return

        def skipped(reason: str) -> None:
            counts.not_article += 1
            self.state.mark(
                url,
                "failed",
                reason,
                kind="page",
                root=root,
                http_status=result.status,
                etag=result.etag,
                last_modified=result.last_modified,
            )

        if result.content_type not in _HTML_TYPES:
            skipped("not-an-article")
            return
        try:
            html = decode_bytes(result.body, final)
            page = article_from_html(html, final)
        except EmptyInputError:
            skipped("not-an-article")
            return
        except InputError as exc:
            self._message(f"{final}: {exc.message}")
            skipped("unreadable")
            return
        digest = text_hash(page.text)
        if digest in self._batch_hashes or self.state.url_with_text(digest) is not None:
            counts.duplicate += 1
            self.state.mark(
                url, "done", "duplicate-content", kind="page", root=root, text_hash=digest
            )
            return
        meta: dict[str, Any] = {"format": "html", "url": final, "fetched_from": root}
        canonical = page.meta.get("url")
        if canonical and normalize_url(str(canonical)) != final:
            meta["canonical_url"] = canonical
        if page.meta.get("author"):
            meta["author"] = page.meta["author"]
        article = Article(
            doc_id=final,
            text=page.text,
            date=page.date or (row.listed_date if row is not None else None),
            outlet=outlet_name(final, page.outlet),
            title=page.title or (row.listed_title if row is not None else None),
            meta=meta,
        )
        self._batch.append(_Fetched(url, final, article, digest, result))
        self._batch_hashes.add(digest)
        if len(self._batch) >= self.config.commit_every:
            self._flush()

    def _flush(self) -> None:
        """Extract and store the batch, then (and only then) mark its URLs done."""
        if not self._batch:
            return
        batch, self._batch = self._batch, []
        self._batch_hashes = set()
        if self._nlp is None:
            from ..nlp.pipeline import load_pipeline

            self._nlp = load_pipeline(self._model)
        articles = [item.article for item in batch]
        failed: dict[str, QuotetraceError] = {}

        def remember(exc: QuotetraceError) -> None:
            if exc.source is not None:
                failed[exc.source] = exc

        outcome = ingest_articles(
            self.store,
            lambda _on_error: articles,
            nlp=self._nlp,
            commit_every=len(articles),
            on_error=remember,
        )
        self._report.statements_added += outcome.added.statements_added
        for item in batch:
            counts = self._report.site(site_of(item.row_url))
            error = failed.get(item.article.doc_id)
            if error is not None:
                counts.other_errors["extraction"] += 1
                self._message(error.render())
                self.state.mark(item.row_url, "failed", "extraction", kind="page")
                continue
            counts.stored += 1
            for url in dict.fromkeys((item.row_url, item.final_url)):
                self.state.mark(
                    url,
                    "done",
                    "stored",
                    kind="page",
                    attempted=url == item.row_url,
                    http_status=item.result.status,
                    etag=item.result.etag,
                    last_modified=item.result.last_modified,
                    text_hash=item.text_hash,
                    doc_id=item.article.doc_id,
                )

    # -- helpers ---------------------------------------------------------------------------

    def _stored_doc(self, url: str) -> bool:
        return self.store.article_by_doc_id(url) is not None

    def _keep_raw(self, result: FetchResult) -> None:
        if self.warc is not None:
            self.warc.add(result)

    def _record_failure(
        self, counts: SiteCounts, url: str, kind: UrlKind, root: str | None, result: FetchResult
    ) -> None:
        reason = _failure_reason(result)
        if result.failure == "robots":
            counts.robots += 1
        elif result.failure == "timeout":
            counts.timeouts += 1
            self._message(f"{url}: timed out ({result.message})")
        elif result.failure in ("http", "retry-after") and result.status is not None:
            counts.http_errors[result.status] += 1
            self._message(f"{url}: {result.message}")
        else:
            counts.other_errors[str(result.failure)] += 1
            self._message(f"{url}: {result.failure} ({result.message})")
        self.state.mark(url, "failed", reason, kind=kind, root=root, http_status=result.status)

    def _fail_message(self, counts: SiteCounts, kind: str, url: str, message: str) -> None:
        counts.other_errors[kind] += 1
        self._message(f"{url}: {message}")

    def _message(self, line: str) -> None:
        self._report.messages.append(line)
        if self._on_message is not None:
            self._on_message(line)
