"""A polite HTTP fetcher: robots.txt, a per-host rate limit, retries, timeouts, a size cap.

Every request, the robots.txt ones and each redirect hop included, goes through one place
(``PoliteFetcher._request``) so none of the rules can be skipped by accident:

* **rate limit**: at least ``delay`` seconds between two requests to the same host (longer if
  the site's robots.txt asks for a ``Crawl-delay``); other hosts are not held up by it;
* **robots.txt**: checked before every URL and every redirect target;
* **retries**: 429, 5xx, timeouts and dropped connections are retried ``retries`` times with
  exponential backoff (``backoff * 2**n`` seconds), or after the server's ``Retry-After``
  when it sends one (up to ``max_retry_wait``; a longer wait gives up and says so);
* **timeouts**: on connecting, on each read, and on the whole response (a server that drips
  one byte a second never times out a read, but does time out the response);
* **size cap**: a response longer than ``max_bytes`` is dropped unread past the cap;
* **conditional GET**: ``If-None-Match`` / ``If-Modified-Since`` from what the last fetch of
  the URL answered; a 304 comes back as ``not_modified``.
"""

from __future__ import annotations

import time
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from email.utils import parsedate_to_datetime
from typing import Literal
from urllib.parse import urljoin, urlsplit

import httpx

from .robots import RobotsRules, site_of

__all__ = ["FetchConfig", "FetchFailure", "FetchResult", "HostThrottle", "PoliteFetcher"]

FetchFailure = Literal[
    "robots", "timeout", "connection", "too-large", "http", "redirects", "retry-after", "bad-url"
]
_RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
_REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})


@dataclass(frozen=True)
class FetchConfig:
    user_agent: str = "quotetrace/0.1 (news research crawler)"
    delay: float = 1.0  # seconds between requests to one host
    connect_timeout: float = 10.0
    read_timeout: float = 20.0
    total_timeout: float = 60.0  # the whole response, however slowly it trickles in
    max_bytes: int = 5_000_000
    retries: int = 2
    backoff: float = 1.0
    max_retry_wait: float = 120.0
    max_redirects: int = 5
    robots_ttl: float = 3600.0  # seconds a site's robots.txt is trusted before reading it again


@dataclass
class FetchResult:
    """What fetching one URL came to. ``failure`` is None for a usable answer (2xx or 304)."""

    url: str
    final_url: str
    status: int | None = None
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    failure: FetchFailure | None = None
    message: str = ""
    attempts: int = 0
    redirects: list[str] = field(default_factory=list)
    request_headers: dict[str, str] = field(default_factory=dict)
    http_version: str = "HTTP/1.1"
    fetched_at: float = 0.0

    @property
    def not_modified(self) -> bool:
        return self.status == 304 and self.failure is None

    @property
    def ok(self) -> bool:
        return self.failure is None and self.status is not None and 200 <= self.status < 300

    @property
    def etag(self) -> str | None:
        return self.headers.get("etag")

    @property
    def last_modified(self) -> str | None:
        return self.headers.get("last-modified")

    @property
    def content_type(self) -> str:
        return self.headers.get("content-type", "").split(";", 1)[0].strip().lower()


class HostThrottle:
    """At least ``delay`` seconds from the end of one request to a host to the start of the
    next. Counting from the end (not the start) keeps the gap the *server* sees at least
    ``delay`` too, however long connecting or answering took."""

    def __init__(self, delay: float, sleep: Callable[[float], None] = time.sleep) -> None:
        self.delay = delay
        self._sleep = sleep
        self._last: dict[str, float] = {}
        self._delays: dict[str, float] = {}

    def slow_down(self, host: str, delay: float) -> None:
        """A host's own wish (robots.txt Crawl-delay): only ever slower than the setting."""
        self._delays[host] = max(self.delay, delay)

    def delay_for(self, host: str) -> float:
        return self._delays.get(host, self.delay)

    def ready_in(self, host: str) -> float:
        last = self._last.get(host)
        if last is None:
            return 0.0
        return max(0.0, last + self.delay_for(host) - time.monotonic())

    def wait(self, host: str) -> None:
        pause = self.ready_in(host)
        if pause > 0:
            self._sleep(pause)

    def finished(self, host: str) -> None:
        self._last[host] = time.monotonic()


def _retry_after(value: str | None, now: float) -> float | None:
    """Seconds to wait from a Retry-After header (delta-seconds or an HTTP date)."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value).timestamp()
    except (TypeError, ValueError, IndexError):
        return None
    return max(0.0, when - now)


class PoliteFetcher:
    """Fetch URLs one at a time under the rules above. Use as a context manager."""

    def __init__(
        self,
        config: FetchConfig | None = None,
        *,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.config = config or FetchConfig()
        self._sleep = sleep
        self.throttle = HostThrottle(self.config.delay, sleep)
        self.client = httpx.Client(
            # Only encodings we inflate ourselves, under the size cap (see `_decoded`).
            headers={"User-Agent": self.config.user_agent, "Accept-Encoding": "gzip, deflate"},
            timeout=httpx.Timeout(
                self.config.read_timeout,
                connect=self.config.connect_timeout,
                pool=self.config.connect_timeout,
            ),
            follow_redirects=False,
            trust_env=False,  # no proxies or .netrc from the environment: we talk to the site
        )
        self.robots = RobotsRules(
            self.config.user_agent, self._fetch_robots_txt, ttl=self.config.robots_ttl
        )

    def __enter__(self) -> PoliteFetcher:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self.client.close()

    # -- public ----------------------------------------------------------------------------

    def fetch(
        self, url: str, *, etag: str | None = None, last_modified: str | None = None
    ) -> FetchResult:
        """GET ``url`` following redirects, every hop allowed by robots.txt and rate-limited."""
        conditional: dict[str, str] = {}
        if etag:
            conditional["If-None-Match"] = etag
        if last_modified:
            conditional["If-Modified-Since"] = last_modified
        current = url
        redirects: list[str] = []
        attempts = 0
        for _hop in range(self.config.max_redirects + 1):
            if urlsplit(current).scheme not in ("http", "https"):
                return FetchResult(url, current, failure="bad-url", message="not an http(s) URL")
            rules = self.robots.rules_for(current)
            if rules.crawl_delay:
                self.throttle.slow_down(site_of(current), rules.crawl_delay)
            if not rules.allowed(self.config.user_agent, current):
                return FetchResult(
                    url,
                    current,
                    failure="robots",
                    message=f"disallowed by {rules.why}",
                    redirects=redirects,
                    attempts=attempts,
                )
            # Conditional headers belong to the URL they were answered for, not a new target.
            result = self._request(current, conditional if not redirects else {})
            attempts += result.attempts
            result.url, result.redirects, result.attempts = url, redirects, attempts
            if result.failure is None and result.status in _REDIRECT_STATUSES:
                target = result.headers.get("location")
                if not target:
                    result.failure, result.message = "http", "redirect without a Location"
                    return result
                redirects.append(current)
                current = urljoin(current, target)
                continue
            return result
        return FetchResult(
            url,
            current,
            failure="redirects",
            message=f"more than {self.config.max_redirects} redirects",
            redirects=redirects,
            attempts=attempts,
        )

    # -- one request, with retries ---------------------------------------------------------

    def _request(self, url: str, extra_headers: dict[str, str]) -> FetchResult:
        cfg = self.config
        host = site_of(url)
        result = FetchResult(url, url)
        for attempt in range(cfg.retries + 1):
            self.throttle.wait(host)
            try:
                result = self._once(url, extra_headers)
            finally:
                self.throttle.finished(host)
            result.attempts = attempt + 1
            retryable = result.failure in ("timeout", "connection") or (
                result.failure == "http" and result.status in _RETRY_STATUSES
            )
            if not retryable or attempt == cfg.retries:
                return result
            wait = cfg.backoff * (2**attempt)
            asked = _retry_after(result.headers.get("retry-after"), time.time())
            if asked is not None:
                if asked > cfg.max_retry_wait:
                    result.failure = "retry-after"
                    result.message = (
                        f"HTTP {result.status}: the server asks to retry after {asked:.0f} s,"
                        f" longer than the {cfg.max_retry_wait:.0f} s we wait"
                    )
                    return result
                wait = max(wait, asked)
            # The backoff counts from the failed answer; the throttle's delay overlaps it.
            self._sleep(wait)
        return result

    def _once(self, url: str, extra_headers: dict[str, str]) -> FetchResult:
        cfg = self.config
        result = FetchResult(url, url, fetched_at=time.time())
        started = time.monotonic()
        try:
            with self.client.stream("GET", url, headers=extra_headers) as response:
                result.status = response.status_code
                result.headers = {k.lower(): v for k, v in response.headers.items()}
                result.request_headers = dict(response.request.headers.items())
                result.http_version = response.http_version
                declared = response.headers.get("content-length", "")
                if declared.isdigit() and int(declared) > cfg.max_bytes:
                    result.failure = "too-large"
                    result.message = f"{int(declared):,} bytes declared, over {cfg.max_bytes:,}"
                    return result
                chunks: list[bytes] = []
                size = 0
                for chunk in response.iter_raw():  # as it arrives: the deadline is checked often
                    size += len(chunk)
                    if size > cfg.max_bytes:
                        result.failure = "too-large"
                        result.message = f"over {cfg.max_bytes:,} bytes"
                        return result
                    if time.monotonic() - started > cfg.total_timeout:
                        result.failure = "timeout"
                        result.message = f"the response took over {cfg.total_timeout:g} s"
                        return result
                    chunks.append(chunk)
                result.body = _decoded(b"".join(chunks), result.headers, cfg.max_bytes)
        except httpx.TimeoutException as exc:
            result.failure = "timeout"
            result.message = f"{exc.__class__.__name__} after {time.monotonic() - started:.1f} s"
            return result
        except _BodyError as exc:
            result.failure, result.message = exc.failure, str(exc)
            return result
        except (httpx.TransportError, httpx.DecodingError) as exc:
            result.failure = "connection"
            result.message = f"{exc.__class__.__name__}: {exc}"
            return result
        except httpx.InvalidURL as exc:
            result.failure = "bad-url"
            result.message = str(exc)
            return result
        if result.status is not None and result.status >= 400:
            result.failure = "http"
            result.message = f"HTTP {result.status}"
        return result

    def _fetch_robots_txt(self, url: str) -> tuple[int | None, str]:
        """robots.txt itself: rate-limited and retried, redirects followed, never robots-checked."""
        current = url
        for _hop in range(self.config.max_redirects + 1):
            result = self._request(current, {})
            if result.status in _REDIRECT_STATUSES and result.headers.get("location"):
                current = urljoin(current, result.headers["location"])
                continue
            if result.failure in ("timeout", "connection", "bad-url", "too-large"):
                return None, ""
            return result.status, result.body.decode("utf-8", "replace")
        return None, ""


class _BodyError(Exception):
    def __init__(self, failure: FetchFailure, message: str) -> None:
        super().__init__(message)
        self.failure: FetchFailure = failure


def _decoded(raw: bytes, headers: dict[str, str], limit: int) -> bytes:
    """The body with its Content-Encoding undone, inflating at most ``limit`` bytes."""
    encoding = headers.get("content-encoding", "identity").strip().lower()
    if encoding in ("", "identity"):
        return raw
    if encoding in ("gzip", "x-gzip", "deflate"):
        inflater = zlib.decompressobj(16 + zlib.MAX_WBITS if "gzip" in encoding else zlib.MAX_WBITS)
        try:
            out = inflater.decompress(raw, limit + 1)
        except zlib.error as exc:
            raise _BodyError("connection", f"bad {encoding} body: {exc}") from None
        if len(out) > limit:
            raise _BodyError("too-large", f"the {encoding} body inflates past {limit:,} bytes")
        return out
    raise _BodyError("connection", f"unsupported Content-Encoding {encoding!r}")
