"""The crawl's memory: one ``crawl_urls`` row per URL, in the store next to the articles.

A URL is ``pending`` from the moment a feed or sitemap lists it, ``done`` once its article is
stored (or it turned out to be a duplicate, or unchanged), ``failed`` with a ``reason`` and an
``attempts`` count otherwise. Each change is its own small transaction, written only after the
work it records is committed (an article is stored *before* its URL is marked done), so a run
stopped at any point (Ctrl-C, ``kill``, a power cut in WAL mode) leaves rows that tell the next
run exactly what is left: pending URLs and retryable failures are taken up again, done ones
never fetched twice.

Feeds and sitemaps keep their ``etag`` / ``last_modified`` here for the next conditional GET.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Literal

import sqlalchemy as sa

from ..errors import StoreError
from ..store import Store
from ..store.engine import WRITE_OPTION
from ..store.schema import crawl_urls
from .robots import site_of

__all__ = ["RETRYABLE_REASONS", "CrawlRow", "CrawlState", "UrlKind", "UrlStatus"]

UrlKind = Literal["feed", "sitemap", "page", "seed"]
UrlStatus = Literal["pending", "done", "failed"]

# Failures that may go away by themselves; a later run tries these again (up to max_attempts).
# The others (404, robots.txt, not an article) stay failed until the URL is given again.
RETRYABLE_REASONS = frozenset(
    {"timeout", "connection", "http-429", "http-500", "http-502", "http-503", "http-504"}
)
_CHUNK = 500


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


@dataclass(frozen=True)
class CrawlRow:
    url: str
    site: str
    kind: str
    status: str
    reason: str | None
    attempts: int
    http_status: int | None
    etag: str | None
    last_modified: str | None
    text_hash: str | None
    doc_id: str | None
    root: str | None
    listed_title: str | None
    listed_date: str | None


def _row(record: Any) -> CrawlRow:
    m = record._mapping
    return CrawlRow(**{name: m[name] for name in CrawlRow.__dataclass_fields__})


class CrawlState:
    """Reads and writes ``crawl_urls`` through an open ``Store``."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.engine = store.engine

    @contextmanager
    def _write(self) -> Iterator[sa.Connection]:
        try:
            with self.engine.connect() as conn:
                conn.execution_options(**{WRITE_OPTION: True})
                with conn.begin():
                    yield conn
        except sa.exc.OperationalError as exc:
            raise StoreError(
                f"the database failed while saving the crawl state ({exc.orig})",
                "check disk space and the database server; run the same command again to resume",
            ) from None

    def _insert(self) -> Any:
        if self.engine.dialect.name == "postgresql":
            from sqlalchemy.dialects.postgresql import insert as pg_insert

            return pg_insert(crawl_urls)
        from sqlalchemy.dialects.sqlite import insert as sqlite_insert

        return sqlite_insert(crawl_urls)

    # -- reading ---------------------------------------------------------------------------

    def get(self, url: str) -> CrawlRow | None:
        with self.engine.connect() as conn:
            found = conn.execute(sa.select(crawl_urls).where(crawl_urls.c.url == url)).first()
        return _row(found) if found is not None else None

    def rows(self, urls: Iterable[str]) -> dict[str, CrawlRow]:
        wanted = list(dict.fromkeys(urls))
        out: dict[str, CrawlRow] = {}
        with self.engine.connect() as conn:
            for start in range(0, len(wanted), _CHUNK):
                chunk = wanted[start : start + _CHUNK]
                for record in conn.execute(
                    sa.select(crawl_urls).where(crawl_urls.c.url.in_(chunk))
                ):
                    row = _row(record)
                    out[row.url] = row
        return out

    def resumable(self, roots: Sequence[str], max_attempts: int) -> list[CrawlRow]:
        """Pages listed by these roots that are pending, or failed in a way worth retrying."""
        if not roots:
            return []
        query = (
            sa.select(crawl_urls)
            .where(crawl_urls.c.root.in_(list(roots)), crawl_urls.c.kind == "page")
            .where(
                sa.or_(
                    crawl_urls.c.status == "pending",
                    sa.and_(
                        crawl_urls.c.status == "failed",
                        crawl_urls.c.reason.in_(sorted(RETRYABLE_REASONS)),
                        crawl_urls.c.attempts < max_attempts,
                    ),
                )
            )
            .order_by(crawl_urls.c.first_seen, crawl_urls.c.url)
        )
        with self.engine.connect() as conn:
            return [_row(r) for r in conn.execute(query)]

    def url_with_text(self, text_hash: str) -> str | None:
        """A URL already done whose article text has this hash (the same article elsewhere)."""
        query = (
            sa.select(crawl_urls.c.url)
            .where(crawl_urls.c.text_hash == text_hash, crawl_urls.c.status == "done")
            .limit(1)
        )
        with self.engine.connect() as conn:
            found = conn.execute(query).scalar()
        return str(found) if found is not None else None

    def counts(self) -> dict[str, int]:
        """Rows per status (for reports and tests)."""
        query = sa.select(crawl_urls.c.status, sa.func.count()).group_by(crawl_urls.c.status)
        with self.engine.connect() as conn:
            return {str(status): int(n) for status, n in conn.execute(query)}

    # -- writing ---------------------------------------------------------------------------

    def add_pending(
        self,
        links: Sequence[tuple[str, str | None, str | None]],
        *,
        kind: UrlKind,
        root: str,
    ) -> int:
        """Record newly listed URLs ``(url, title, date)`` as pending; known ones are left be.

        Returns how many were new.
        """
        if not links:
            return 0
        now = _now()
        added = 0
        with self._write() as conn:
            for start in range(0, len(links), _CHUNK):
                chunk = links[start : start + _CHUNK]
                rows = [
                    {
                        "url": url,
                        "site": site_of(url),
                        "kind": kind,
                        "status": "pending",
                        "reason": None,
                        "attempts": 0,
                        "root": root,
                        "listed_title": title,
                        "listed_date": date,
                        "first_seen": now,
                    }
                    for url, title, date in chunk
                ]
                # RETURNING counts what was inserted on both backends (rowcount does not).
                inserted = conn.execute(
                    self._insert()
                    .values(rows)
                    .on_conflict_do_nothing(index_elements=["url"])
                    .returning(crawl_urls.c.url)
                )
                added += len(inserted.all())
        return added

    def mark(
        self,
        url: str,
        status: UrlStatus,
        reason: str | None,
        *,
        kind: UrlKind,
        root: str | None = None,
        attempted: bool = True,
        http_status: int | None = None,
        etag: str | None = None,
        last_modified: str | None = None,
        text_hash: str | None = None,
        doc_id: str | None = None,
    ) -> None:
        """Set a URL's outcome, creating its row if the URL was never listed (a seed, a
        redirect target). Validators and hashes are kept when the new outcome has none."""
        now = _now()
        values: dict[str, Any] = {
            "url": url,
            "site": site_of(url),
            "kind": kind,
            "status": status,
            "reason": reason,
            "attempts": 1 if attempted else 0,
            "http_status": http_status,
            "etag": etag,
            "last_modified": last_modified,
            "text_hash": text_hash,
            "doc_id": doc_id,
            "root": root,
            "first_seen": now,
            "last_attempt": now if attempted else None,
        }
        stmt = self._insert().values(values)
        excluded = stmt.excluded
        update: dict[str, Any] = {
            "status": excluded.status,
            "reason": excluded.reason,
            "attempts": crawl_urls.c.attempts + (1 if attempted else 0),
            "http_status": sa.func.coalesce(excluded.http_status, crawl_urls.c.http_status),
            "etag": sa.func.coalesce(excluded.etag, crawl_urls.c.etag),
            "last_modified": sa.func.coalesce(excluded.last_modified, crawl_urls.c.last_modified),
            "text_hash": sa.func.coalesce(excluded.text_hash, crawl_urls.c.text_hash),
            "doc_id": sa.func.coalesce(excluded.doc_id, crawl_urls.c.doc_id),
            "root": sa.func.coalesce(crawl_urls.c.root, excluded.root),
            "last_attempt": sa.func.coalesce(excluded.last_attempt, crawl_urls.c.last_attempt),
            "kind": excluded.kind,
        }
        if kind != "page":
            # A feed or sitemap answered with no validators has none now: forget the old ones.
            update["etag"] = excluded.etag
            update["last_modified"] = excluded.last_modified
        with self._write() as conn:
            conn.execute(stmt.on_conflict_do_update(index_elements=["url"], set_=update))
