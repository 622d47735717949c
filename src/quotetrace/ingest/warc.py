"""Web archives in: the article pages of a WARC file (``.warc``, ``.warc.gz``), streamed.

A WARC from a crawl holds far more than articles: the requests, crawl metadata, revisits,
DNS lookups, images, PDFs, redirects, 404s and index pages. Only HTTP responses of HTML pages
with status 200 are candidates; trafilatura then decides whether a candidate holds an article
(``html.article_from_html``). Everything else is counted by reason (``WarcCounts``) and summed
up in one line (``WarcCounts.summary``), never reported one error each.

Records are read one at a time with FastWARC (see ``docs/warc.md`` for why FastWARC and not
warcio): a 1 GB WARC never sits in memory, only the record being read. A record's byte offset
(where its gzip member starts in a ``.warc.gz``) is what ``quotetrace batch`` cuts a WARC at,
so several workers read one file in parallel (``iter_warc_articles(start=..., end=...)``).

Each article's ``doc_id`` is the record's ``WARC-Record-ID`` (``urn:uuid:...``): unique,
written by the crawler, the same however the file is named or where it lies, so ingesting a
WARC again adds nothing. ``meta`` carries the record's target URI (``url``), its
``WARC-Date`` (``fetch_date``) and ``format: "warc"``; ``date`` is the page's own date.
"""

from __future__ import annotations

import contextlib
import os
import zlib
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import IO, Any, Protocol

from ..errors import InputError, MalformedRecordError, UnreadableInputError
from ..models import Article
from ..settings import get_setting
from .html import article_from_html, looks_like_html

__all__ = [
    "SKIP_REASONS",
    "WARC_SUFFIXES",
    "WarcCandidate",
    "WarcCounts",
    "WarcPage",
    "WarcReadProgress",
    "is_warc_path",
    "iter_warc_articles",
    "iter_warc_candidates",
    "iter_warc_pages",
    "warc_doc_id",
]

WARC_SUFFIXES = (".warc", ".warc.gz")

# Why a record is not an article, in the order the summary line names them.
SKIP_REASONS: dict[str, str] = {
    "warcinfo": "warcinfo",
    "request": "request",
    "metadata": "metadata",
    "revisit": "revisit",
    "resource": "resource",
    "conversion": "conversion",
    "continuation": "continuation",
    "unknown": "unknown type",
    "dns": "DNS",
    "not-http": "response without HTTP",
    "redirect": "redirect",
    "http-error": "HTTP error (4xx/5xx)",
    "other-status": "other HTTP status",
    "not-html": "not HTML (PDF, image, ...)",
    "oversized": "oversized",
    "undecodable": "undecodable body",
    "not-article": "not an article",
}

_HTML_TYPES = frozenset({"text/html", "application/xhtml+xml", "application/xhtml"})
_SNIFF_TYPES = frozenset({"", "text/plain", "application/octet-stream", "unknown/unknown"})


class WarcReadProgress(Protocol):
    """What a records/s display needs: called after each record with its byte offset."""

    def record(self, source: str, position: int) -> None: ...


@dataclass
class WarcCounts:
    """Records read, articles found, and the records skipped by reason."""

    records: int = 0
    articles: int = 0
    skipped: Counter[str] = field(default_factory=Counter)

    def summary(self, found: str = "article(s)") -> str | None:
        """One line for every record that was not an article, or None when none was skipped.

        ``120 WARC record(s): 40 article(s); skipped 40 request, 38 metadata, 2 redirect``
        """
        if not self.records:
            return None
        parts = [
            f"{self.skipped[r]:,} {label}" for r, label in SKIP_REASONS.items() if self.skipped[r]
        ]
        line = f"{self.records:,} WARC record(s): {self.articles:,} {found}"
        return line + ("; skipped " + ", ".join(parts) if parts else "")


def is_warc_path(path: str | os.PathLike[str]) -> bool:
    return os.fspath(path).lower().endswith(WARC_SUFFIXES)


@dataclass(frozen=True)
class WarcCandidate:
    """An HTTP 200 response of an HTML page, found from its headers alone."""

    offset: int
    record_id: str | None
    url: str | None
    fetch_date: str | None


@dataclass(frozen=True)
class WarcPage:
    """A candidate with its decoded HTML."""

    candidate: WarcCandidate
    html: str


def _open(path: Path, source: str, start: int) -> IO[bytes]:
    try:
        handle = path.open("rb")
        handle.seek(start)
        return handle
    except OSError as exc:
        raise UnreadableInputError(
            f"cannot read the WARC file ({exc.strerror or exc})",
            "check that it exists and is readable",
            source=source,
        ) from None


def _classify(record: Any) -> str | None:
    """The reason a record is not a candidate, from its headers alone; None for a candidate."""
    kind = str(record.record_type)
    uri = record.headers.get("WARC-Target-URI") or ""
    if uri.lower().startswith("dns:"):
        return "dns"
    if kind != "response":
        return kind if kind in SKIP_REASONS else "unknown"
    if not record.is_http:
        return "not-http"
    status = record.http_headers.status_code or 0
    if 300 <= status < 400:
        return "redirect"
    if status >= 400:
        return "http-error"
    if status not in (200, 203):
        return "other-status"
    mime = (record.http_content_type or "").split(";")[0].strip().lower()
    if mime not in _HTML_TYPES and mime not in _SNIFF_TYPES:
        return "not-html"
    if record.content_length > int(get_setting("max_file_bytes")):
        return "oversized"
    return None


def _records(
    path: Path,
    source: str,
    start: int,
    end: int | None,
    counts: WarcCounts,
    progress: WarcReadProgress | None,
) -> Iterator[tuple[Any, WarcCandidate]]:
    """Candidate records in ``[start, end)`` with their reader positioned at the HTTP body."""
    from fastwarc.warc import ArchiveIterator

    handle = _open(path, source, start)
    try:
        # auto_decode stays "none": FastWARC 2.0.1 stops iterating after a record whose
        # chunked or gzip body it decoded, silently dropping the rest (tests/warc/).
        records = iter(ArchiveIterator(handle, parse_http=True, auto_decode="none"))
        while True:
            try:
                record = next(records)
            except StopIteration:
                return
            except (OSError, ValueError) as exc:
                raise MalformedRecordError(
                    f"the WARC cannot be read past byte {handle.tell():,} ({exc})",
                    "check that the file is a WARC (.warc or .warc.gz) and not truncated",
                    source=source,
                ) from None
            position = int(record.stream_pos)
            if end is not None and position >= end:
                return
            counts.records += 1
            if progress is not None:
                progress.record(source, position)
            reason = _classify(record)
            if reason is not None:
                counts.skipped[reason] += 1
                continue
            record_id = (record.record_id or "").strip("<> ") or None
            yield (
                record,
                WarcCandidate(
                    offset=position,
                    record_id=record_id,
                    url=record.headers.get("WARC-Target-URI"),
                    fetch_date=record.headers.get("WARC-Date"),
                ),
            )
    finally:
        handle.close()


def iter_warc_candidates(
    path: str | os.PathLike[str],
    source: str | None = None,
    *,
    counts: WarcCounts | None = None,
    progress: WarcReadProgress | None = None,
) -> Iterator[WarcCandidate]:
    """The candidate records of a WARC from headers alone (no body read): for cutting shards."""
    src = source or os.fspath(path)
    counts = counts if counts is not None else WarcCounts()
    for _, candidate in _records(Path(path), src, 0, None, counts, progress):
        yield candidate


def _dechunk(body: bytes) -> bytes:
    out, pos = bytearray(), 0
    while True:
        line_end = body.index(b"\r\n", pos)
        size = int(body[pos:line_end].split(b";")[0].strip() or b"0", 16)
        if size == 0:
            return bytes(out)
        start = line_end + 2
        out += body[start : start + size]
        pos = start + size + 2


def _decompress(body: bytes, encoding: str, limit: int) -> bytes:
    if encoding in ("gzip", "x-gzip"):
        return zlib.decompressobj(16 + zlib.MAX_WBITS).decompress(body, limit)
    if encoding == "deflate":
        try:
            return zlib.decompressobj().decompress(body, limit)
        except zlib.error:
            return zlib.decompressobj(-zlib.MAX_WBITS).decompress(body, limit)
    if encoding == "br":
        import brotli

        return bytes(brotli.decompress(body))[:limit]
    return body


def _http_body(record: Any, limit: int) -> bytes:
    """The body as the server meant it: de-chunked and decompressed when the headers say so.

    Many crawlers store the decoded body but keep the original headers, so a body that does
    not decode is taken as it is.
    """
    body = bytes(record.reader.read(limit + 1))
    headers = record.http_headers
    if "chunked" in (headers.get("Transfer-Encoding") or "").lower():
        with contextlib.suppress(ValueError):
            body = _dechunk(body)
    encoding = (headers.get("Content-Encoding") or "").strip().lower()
    if encoding and encoding != "identity":
        # zlib.error, brotli.error, a missing brotli: the body is then taken as stored.
        with contextlib.suppress(Exception):
            body = _decompress(body, encoding, limit + 1)
    return body


def _decode_html(body: bytes, charset: str | None, source: str) -> str:
    from .readers import decode_bytes

    if charset:
        try:
            return body.decode(charset)
        except (LookupError, UnicodeDecodeError):
            pass
    return decode_bytes(body, source)


def iter_warc_pages(
    path: str | os.PathLike[str],
    source: str | None = None,
    *,
    start: int = 0,
    end: int | None = None,
    counts: WarcCounts | None = None,
    progress: WarcReadProgress | None = None,
) -> Iterator[WarcPage]:
    """The HTML pages of the records whose offsets lie in ``[start, end)``."""
    src = source or os.fspath(path)
    counts = counts if counts is not None else WarcCounts()
    limit = int(get_setting("max_file_bytes"))
    for record, candidate in _records(Path(path), src, start, end, counts, progress):
        body = _http_body(record, limit)
        if len(body) > limit:
            counts.skipped["oversized"] += 1
            continue
        where = f"{src}#{candidate.offset}"
        try:
            html = _decode_html(body, record.http_charset, where)
        except InputError:
            counts.skipped["undecodable"] += 1
            continue
        mime = (record.http_content_type or "").split(";")[0].strip().lower()
        if mime not in _HTML_TYPES and not looks_like_html(html):
            counts.skipped["not-html"] += 1
            continue
        yield WarcPage(candidate, html)


def warc_doc_id(candidate: WarcCandidate, source: str) -> str:
    return candidate.record_id or f"{Path(source).name}#{candidate.offset}"


def iter_warc_articles(
    path: str | os.PathLike[str],
    source: str | None = None,
    *,
    start: int = 0,
    end: int | None = None,
    counts: WarcCounts | None = None,
    progress: WarcReadProgress | None = None,
) -> Iterator[Article]:
    """The articles in a WARC (or in the records starting in ``[start, end)``).

    Raises ``InputError`` only when the file itself cannot be read; records that are not
    articles are counted in ``counts``.
    """
    src = source or os.fspath(path)
    counts = counts if counts is not None else WarcCounts()
    for page in iter_warc_pages(path, src, start=start, end=end, counts=counts, progress=progress):
        candidate = page.candidate
        doc_id = warc_doc_id(candidate, src)
        try:
            article = article_from_html(page.html, doc_id, url=candidate.url)
        except InputError:
            counts.skipped["not-article"] += 1
            continue
        meta = dict(article.meta)
        meta["format"] = "warc"
        if candidate.fetch_date:
            meta["fetch_date"] = candidate.fetch_date
        counts.articles += 1
        yield replace(article, meta=meta)
