"""The polite fetcher against misbehaving fictional servers: every rule seen from the log."""

from __future__ import annotations

import gzip
import itertools
import socket
import time
from collections.abc import Iterator

import pytest
from news_sites import NewsSite, Route

from quotetrace.crawl import FetchConfig, PoliteFetcher


def _config(**changes: object) -> FetchConfig:
    settings: dict[str, object] = {
        "user_agent": "quotetrace-test/1.0",
        "delay": 0.05,
        "connect_timeout": 0.4,
        "read_timeout": 0.4,
        "total_timeout": 1.0,
        "retries": 2,
        "backoff": 0.1,
        "max_retry_wait": 3.0,
    }
    settings.update(changes)
    return FetchConfig(**settings)  # type: ignore[arg-type]


@pytest.fixture
def site() -> Iterator[NewsSite]:
    server = NewsSite("Test Site")
    server.add(
        "/robots.txt", Route("User-agent: *\nDisallow: /closed/\n", content_type="text/plain")
    )
    server.start()
    yield server
    server.stop()


def _fetch(site: NewsSite, path: str, **config: object) -> tuple[object, list[str]]:
    with PoliteFetcher(_config(**config)) as fetcher:
        result = fetcher.fetch(site.url(path))
    return result, [r.path for r in site.log]


def test_5xx_is_retried_with_exponential_backoff(site: NewsSite) -> None:
    site.add("/flaky", Route("<html>ok</html>", fail_first=2, fail_status=503))
    with PoliteFetcher(_config()) as fetcher:
        result = fetcher.fetch(site.url("/flaky"))
    assert result.ok and result.attempts == 3
    times = [r.at for r in site.requests_for("/flaky")]
    gaps = [b - a for a, b in itertools.pairwise(times)]
    assert gaps[0] >= 0.1 * 0.95 and gaps[1] >= 0.2 * 0.95  # backoff 0.1 s, then 0.2 s


def test_a_retry_after_longer_than_we_wait_gives_up_at_once(site: NewsSite) -> None:
    site.add("/busy", Route("x", fail_first=5, fail_status=429, retry_after="3600"))
    result, paths = _fetch(site, "/busy")
    assert result.failure == "retry-after" and result.status == 429  # type: ignore[attr-defined]
    assert "3600 s" in result.message  # type: ignore[attr-defined]
    assert paths.count("/busy") == 1


def test_a_slow_server_times_out_and_is_retried_then_given_up(site: NewsSite) -> None:
    site.add("/slow", Route("x", delay=1.0))
    began = time.monotonic()
    result, paths = _fetch(site, "/slow", retries=1)
    assert result.failure == "timeout"  # type: ignore[attr-defined]
    assert paths.count("/slow") == 2
    assert time.monotonic() - began < 2.5


def test_a_trickling_response_hits_the_total_timeout(site: NewsSite) -> None:
    # 100 bytes every 0.1 s never trips the 0.4 s read timeout; the 1 s total limit stops it.
    site.add("/drip", Route("y" * 3000, drip=0.1))
    began = time.monotonic()
    result, _ = _fetch(site, "/drip", retries=0)
    assert result.failure == "timeout" and "over 1 s" in result.message  # type: ignore[attr-defined]
    assert time.monotonic() - began < 2.0


def test_responses_over_the_size_cap_are_dropped(site: NewsSite) -> None:
    site.add("/big", Route("z" * 50_000))
    result, _ = _fetch(site, "/big", max_bytes=10_000)
    assert result.failure == "too-large"  # type: ignore[attr-defined]
    bomb = gzip.compress(b"<html>" + b" " * 5_000_000 + b"</html>")
    site.add("/bomb", Route(bomb, headers={"Content-Encoding": "gzip"}))
    result, _ = _fetch(site, "/bomb", max_bytes=100_000)
    assert result.failure == "too-large" and "inflates past" in result.message  # type: ignore[attr-defined]


def test_gzip_content_encoding_is_undone(site: NewsSite) -> None:
    site.add(
        "/packed",
        Route(gzip.compress(b"<html>packed page</html>"), headers={"Content-Encoding": "gzip"}),
    )
    result, _ = _fetch(site, "/packed")
    assert result.body == b"<html>packed page</html>"  # type: ignore[attr-defined]


def test_a_redirect_into_a_disallowed_path_is_not_followed(site: NewsSite) -> None:
    site.add("/moved", Route(b"", status=302, headers={"Location": "/closed/secret"}))
    site.add("/closed/secret", Route("secret"))
    result, paths = _fetch(site, "/moved")
    assert result.failure == "robots"  # type: ignore[attr-defined]
    assert paths == ["/robots.txt", "/moved"]


def test_redirect_loops_end(site: NewsSite) -> None:
    site.add("/a", Route(b"", status=301, headers={"Location": "/b"}))
    site.add("/b", Route(b"", status=301, headers={"Location": "/a"}))
    result, paths = _fetch(site, "/a", max_redirects=3)
    assert result.failure == "redirects"  # type: ignore[attr-defined]
    assert len(paths) == 1 + 4


def test_a_robots_txt_that_fails_disallows_the_site(site: NewsSite) -> None:
    site.routes["/robots.txt"] = Route("down", status=503, fail_first=99)
    site.add("/page", Route("<html>page</html>"))
    result, paths = _fetch(site, "/page", retries=1)
    assert result.failure == "robots" and "unreachable" in result.message  # type: ignore[attr-defined]
    assert paths == ["/robots.txt", "/robots.txt"]  # retried once, the page never asked for


def test_robots_crawl_delay_slows_the_site_down(site: NewsSite) -> None:
    site.routes["/robots.txt"] = Route("User-agent: *\nCrawl-delay: 1\n", content_type="text/plain")
    site.add("/one", Route("<html>1</html>"))
    site.add("/two", Route("<html>2</html>"))
    with PoliteFetcher(_config(delay=0.05)) as fetcher:
        fetcher.fetch(site.url("/one"))
        fetcher.fetch(site.url("/two"))
    times = [r.at for r in site.log]
    assert [r.path for r in site.log] == ["/robots.txt", "/one", "/two"]
    assert times[2] - times[1] >= 0.95


def test_conditional_get_gets_a_304(site: NewsSite) -> None:
    site.add("/feed", Route("<rss/>", etag='"e1"', last_modified="Tue, 01 Dec 2026 06:00:00 GMT"))
    with PoliteFetcher(_config()) as fetcher:
        first = fetcher.fetch(site.url("/feed"))
        again = fetcher.fetch(site.url("/feed"), etag=first.etag, last_modified=first.last_modified)
    assert first.ok and again.not_modified and again.body == b""
    asked = site.requests_for("/feed")[1].headers
    assert asked["if-none-match"] == '"e1"'
    assert asked["if-modified-since"] == "Tue, 01 Dec 2026 06:00:00 GMT"


def test_a_closed_port_is_a_connection_failure() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    # Nothing listens there now: robots.txt is unreachable, so the page is not asked for.
    with PoliteFetcher(_config(retries=0)) as fetcher:
        result = fetcher.fetch(f"http://127.0.0.1:{port}/page")
    assert result.failure == "robots" and "unreachable" in result.message
