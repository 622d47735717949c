"""Keeping what was fetched as a WARC file (``quotetrace fetch --warc-out DIR``).

Each run writes one ``quotetrace-<UTC time>-<pid>.warc.gz`` holding a ``warcinfo`` record and,
for every response with a body (pages, feeds, sitemaps), a ``request`` and a ``response``
record, written with warcio's writer. Every record is its own gzip member and is flushed as
soon as it is written, so a run that is killed leaves a file whose complete records all read
back. The bodies are stored as the site meant them (any Content-Encoding undone, the header
dropped and Content-Length set to match), so a WARC reader needs nothing beyond the record.
"""

from __future__ import annotations

import io
import os
import time
from datetime import UTC, datetime
from http import HTTPStatus
from pathlib import Path
from typing import IO, Any
from urllib.parse import urlsplit

from ..errors import ConfigError
from .fetcher import FetchResult

__all__ = ["WarcSink"]

_DROPPED_HEADERS = frozenset({"content-encoding", "transfer-encoding", "content-length"})


def _status_line(status: int | None) -> str:
    try:
        return f"{status} {HTTPStatus(status or 200).phrase}"
    except ValueError:
        return f"{status}"


def _warc_date(epoch: float) -> str:
    return datetime.fromtimestamp(epoch, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


class WarcSink:
    """Appends request/response pairs to one WARC file in ``directory``, opened on first use."""

    def __init__(self, directory: str | os.PathLike[str], software: str = "quotetrace fetch"):
        self.directory = Path(directory)
        self.software = software
        self.path: Path | None = None
        self.records = 0
        self._file: IO[bytes] | None = None
        self._writer: Any = None

    def _open(self) -> None:
        try:
            from warcio.warcwriter import WARCWriter  # type: ignore[import-untyped]
        except ImportError:  # pragma: no cover - depends on the installed extras
            raise ConfigError(
                "--warc-out needs the warcio package",
                "install quotetrace with the crawl extra: pip install 'quotetrace[crawl]'",
            ) from None
        try:
            self.directory.mkdir(parents=True, exist_ok=True)
            stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
            self.path = self.directory / f"quotetrace-{stamp}-{os.getpid()}.warc.gz"
            self._file = self.path.open("ab")
        except OSError as exc:
            raise ConfigError(
                f"cannot write a WARC file in {str(self.directory)!r} ({exc.strerror or exc})",
                "give --warc-out a writable folder",
            ) from None
        self._writer = WARCWriter(self._file, gzip=True)
        info = self._writer.create_warcinfo_record(
            self.path.name, {"software": self.software, "format": "WARC File Format 1.1"}
        )
        self._write(info)

    def _write(self, record: Any) -> None:
        assert self._file is not None
        self._writer.write_record(record)
        self._file.flush()
        self.records += 1

    def add(self, result: FetchResult) -> None:
        """Record one fetched response (with the request that asked for it)."""
        from warcio.statusandheaders import StatusAndHeaders  # type: ignore[import-untyped]

        if self._writer is None:
            self._open()
        url = result.final_url
        date = _warc_date(result.fetched_at or time.time())
        headers = [(k, v) for k, v in result.headers.items() if k not in _DROPPED_HEADERS]
        headers.append(("content-length", str(len(result.body))))
        protocol = result.http_version or "HTTP/1.1"
        response = self._writer.create_warc_record(
            url,
            "response",
            payload=io.BytesIO(result.body),
            http_headers=StatusAndHeaders(_status_line(result.status), headers, protocol=protocol),
            warc_headers_dict={"WARC-Date": date},
        )
        parts = urlsplit(url)
        target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        request = self._writer.create_warc_record(
            url,
            "request",
            payload=io.BytesIO(b""),
            http_headers=StatusAndHeaders(
                f"GET {target} {protocol}",
                list(result.request_headers.items()),
                is_http_request=True,
            ),
            warc_headers_dict={
                "WARC-Date": date,
                "WARC-Concurrent-To": response.rec_headers.get_header("WARC-Record-ID"),
            },
        )
        self._write(response)
        self._write(request)

    def close(self) -> None:
        if self._file is not None:
            self._file.close()
            self._file = None
