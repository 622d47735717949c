"""Writing WARC files with FastWARC: fetched pages kept as they were served, for replay.

``quotetrace fetch`` can keep what it downloaded as a WARC, and the tests build their archives
with it; ``quotetrace ingest`` reads the result like any crawler's WARC::

    with WarcFileWriter("pages.warc.gz") as warc:
        warc.write_request("https://example.org/news/1")
        warc.write_response("https://example.org/news/1", b"<html>...</html>",
                            headers=[("Content-Type", "text/html; charset=utf-8")])

A ``.gz`` path is written as one gzip member per record (what readers need to seek to a
record, and what ``quotetrace batch`` cuts shards at).
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Sequence
from pathlib import Path
from types import TracebackType
from typing import IO, Any

__all__ = ["WarcFileWriter"]

Headers = Sequence[tuple[str, str]]


class WarcFileWriter:
    """Appends records to a ``.warc`` or ``.warc.gz`` file; each ``write_*`` returns the
    record's byte offset."""

    def __init__(self, path: str | os.PathLike[str], *, append: bool = False) -> None:
        from fastwarc.stream_io import GzipWriter

        self.path = Path(path)
        self._file: IO[bytes] = self.path.open("ab" if append else "wb")
        self._gzip = self.path.name.lower().endswith(".gz")
        self._stream: Any = GzipWriter(self._file) if self._gzip else self._file

    def __enter__(self) -> WarcFileWriter:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    def close(self) -> None:
        if self._gzip:
            self._stream.close()
        self._file.close()

    def write_record(
        self,
        kind: str,
        url: str | None,
        content: bytes,
        *,
        content_type: str | None = None,
        date: dt.datetime | None = None,
        extra_headers: Headers = (),
    ) -> int:
        """One record of WARC type ``kind`` (``response``, ``request``, ``metadata``, ...)."""
        from fastwarc.warc import WarcRecord, WarcRecordType

        if self._gzip:
            self._stream.flush()
        offset = self._file.tell()
        record = WarcRecord()
        record.init_headers(getattr(WarcRecordType, kind))
        if url is not None:
            record.headers["WARC-Target-URI"] = url
        if date is not None:
            record.headers["WARC-Date"] = date.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        for name, value in extra_headers:
            record.headers[name] = value
        if content_type is not None:
            record.headers["Content-Type"] = content_type
        record.set_bytes_content(content)
        record.write(self._stream)
        if self._gzip:
            # Ends the gzip member: one member per record, so a reader can start at any record.
            self._stream.finish()
        return offset

    def write_response(
        self,
        url: str,
        body: bytes,
        *,
        status: int = 200,
        reason: str = "OK",
        headers: Headers = (("Content-Type", "text/html; charset=utf-8"),),
        date: dt.datetime | None = None,
    ) -> int:
        """An HTTP response record: status line, headers and body as the server sent them."""
        head = f"HTTP/1.1 {status} {reason}\r\n" + "".join(f"{k}: {v}\r\n" for k, v in headers)
        return self.write_record(
            "response",
            url,
            head.encode("latin-1") + b"\r\n" + body,
            content_type="application/http; msgtype=response",
            date=date,
        )

    def write_request(self, url: str, *, date: dt.datetime | None = None) -> int:
        """The HTTP request that fetched ``url``."""
        from urllib.parse import urlsplit

        parts = urlsplit(url)
        target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        head = f"GET {target} HTTP/1.1\r\nHost: {parts.netloc}\r\n\r\n"
        return self.write_record(
            "request",
            url,
            head.encode("latin-1"),
            content_type="application/http; msgtype=request",
            date=date,
        )
