"""Hostile requests against the API and the pages, on SQLite and on PostgreSQL: never a 5xx,
every 4xx in the one error shape.

The probes are what a scanner or a careless client sends: a 100 KB query, full-text syntax
(unbalanced quotes, ``*``, ``NEAR(``, bare ``OR``/``AND``), SQL fragments, invalid UTF-8 and
NUL percent-encoded into the URL, absurd page sizes and offsets, unknown ids, oversized query
strings and paths.
"""

from __future__ import annotations

import asyncio
import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import pytest
from fastapi.testclient import TestClient
from web_fixtures import build_demo_store

from quotetrace.web import create_app
from quotetrace.web.limits import MAX_PATH_BYTES, MAX_QUERY_BYTES

REPO = Path(__file__).resolve().parents[2]
ERROR_KEYS = {"code", "message", "hint", "source"}

_SEARCH_PROBES = [
    "x" * 100_000,
    '"',
    '"unbalanced phrase',
    "*",
    "dam*",
    "NEAR(",
    "NEAR(dam wall, 2)",
    "OR",
    "AND",
    "OR OR AND NOT",
    "dam AND",
    "-",
    "- - -",
    "^dam",
    "content:dam",
    "'; DROP TABLE statements; --",
    "1' OR '1'='1",
    "dam) UNION SELECT * FROM actors --",
    "%FF%FE%FD",
    "%C3%28",
    "%ED%A0%80",  # a lone surrogate, UTF-8 encoded
    "%00",
    "dam%00wall",
    "%E2%80%AE%E2%80%8B",  # RTL override, zero-width space
    "\\",
    "(((((((((((",
    "{}[]<>",
]

HOSTILE_URLS = [
    *(f"/api/statements?q={probe}" for probe in _SEARCH_PROBES),
    *(f"/api/articles?q={probe}" for probe in [*_SEARCH_PROBES[:3], "%00", "%FF", "50%"]),
    *(f"/api/actors?q={probe}" for probe in ["%00", "%FF", "*", '"', "x" * 100_000]),
    *(f"/search?q={probe}" for probe in [*_SEARCH_PROBES[:8], "%00", "%FF%FE"]),
    "/api/statements?speaker=%00",
    "/api/statements?outlet=%FF",
    "/api/statements?since=%00&until=%FF",
    "/api/statements?kind=%00",
    "/api/statements?limit=1000000000",
    "/api/statements?limit=-5",
    "/api/statements?limit=abc",
    "/api/statements?offset=-1",
    "/api/statements?offset=99999999999999999999999",
    "/api/articles?limit=1000000000&offset=-1",
    "/api/actors?limit=1000000000",
    "/api/outlets?offset=-1",
    "/api/stories?limit=0",
    "/api/articles/999999999",
    "/api/articles/99999999999999999999999999",
    "/api/articles/-1",
    "/api/articles/%00",
    "/api/actors/999999999",
    "/api/actors/%FF",
    "/api/stories/s-ffffffffffff",
    "/api/stories/%00",
    "/api/stories/" + "s" * 5000,
    "/api/outlets/%00",
    "/api/outlets/%FF%FE",
    "/articles/999999999",
    "/actors/%00",
    "/stories/s-000000000000",
    "/outlets/%FF",
    "/api/statements?" + "&".join(f"p{i}=v" for i in range(3000)),
    "/api/statements?q=" + "%00" * 2000,
    "/" + "a" * (MAX_PATH_BYTES + 1),
    "/api/statements?q=" + "y" * (MAX_QUERY_BYTES + 1),
]


def _postgres_url() -> str | None:
    url = os.environ.get("QUOTETRACE_TEST_POSTGRES_URL")
    url_file = REPO / "build" / "postgres-url"
    if not url and url_file.exists():
        url = url_file.read_text().strip()
    return url or None


@pytest.fixture(
    scope="module", params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]
)
def any_client(request: pytest.FixtureRequest, demo_db: Path) -> Iterator[TestClient]:
    if request.param == "sqlite":
        with TestClient(create_app(str(demo_db)), raise_server_exceptions=False) as client:
            yield client
        return
    url = _postgres_url()
    if url is None:
        pytest.skip("no PostgreSQL configured: run `bash .ci/services.sh`")
    import psycopg

    schema = f"web_hostile_{os.getpid()}"
    with psycopg.connect(url, connect_timeout=5, autocommit=True) as conn:
        conn.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')
        conn.execute(f'CREATE SCHEMA "{schema}"')
    scoped = f"{url}?options=-csearch_path%3D{schema}"
    try:
        build_demo_store(scoped)
        with TestClient(create_app(scoped), raise_server_exceptions=False) as client:
            yield client
    finally:
        with psycopg.connect(url, connect_timeout=5, autocommit=True) as conn:
            conn.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')


class RawResponse:
    """What the app sent, taken straight from ASGI: no HTTP client in between to refuse,
    re-encode or shorten a hostile URL (httpx stops at 64 KB)."""

    def __init__(self, status: int, headers: dict[str, str], body: bytes) -> None:
        self.status_code = status
        self.headers = headers
        self.text = body.decode("utf-8", "replace")

    def json(self) -> Any:
        return json.loads(self.text)


def raw_get(app: Any, url: bytes, body: bytes = b"") -> RawResponse:
    """GET ``url`` (raw bytes, as a server would pass them on) through the ASGI app."""
    raw_path, _, query = url.partition(b"?")
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "GET",
        "scheme": "http",
        "path": unquote(raw_path.decode("latin-1")),
        "raw_path": raw_path,
        "query_string": query,
        "root_path": "",
        "headers": [(b"host", b"testserver")]
        + ([(b"content-length", str(len(body)).encode())] if body else []),
        "client": ("127.0.0.1", 50000),
        "server": ("testserver", 80),
    }
    sent: list[dict[str, Any]] = []
    messages = [{"type": "http.request", "body": body, "more_body": False}]

    async def receive() -> dict[str, Any]:
        return messages.pop(0) if messages else {"type": "http.disconnect"}

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    asyncio.run(app(scope, receive, send))
    start = next(m for m in sent if m["type"] == "http.response.start")
    headers = {k.decode("latin-1"): v.decode("latin-1") for k, v in start["headers"]}
    content = b"".join(m.get("body", b"") for m in sent if m["type"] == "http.response.body")
    return RawResponse(start["status"], headers, content)


def assert_one_shape(response: Any) -> None:
    assert response.status_code < 500, response.text[:500]
    if response.status_code < 400:
        return
    if response.headers.get("content-type", "").startswith("text/html"):
        # Pages show the same four fields as HTML.
        assert "error" in response.text
        return
    body = response.json()
    assert set(body) == {"error"}, body
    assert set(body["error"]) == ERROR_KEYS, body
    assert body["error"]["code"] and body["error"]["message"]


@pytest.mark.parametrize("url", HOSTILE_URLS, ids=lambda u: u[:60])
def test_hostile_requests_get_no_5xx_and_the_one_error_shape(
    any_client: TestClient, url: str
) -> None:
    assert_one_shape(raw_get(any_client.app, url.encode("utf-8")))


@pytest.mark.parametrize(
    "url",
    [
        b"/api/statements?q=\xff\xfe",  # invalid UTF-8, not percent-encoded
        b"/api/statements?q=a\x00b",  # a raw NUL
        b"/api/\xff\x00",
        b"/search?q=\xc3\x28",
        b"/api/actors/\xff",
    ],
)
def test_raw_invalid_bytes_in_the_url(any_client: TestClient, url: bytes) -> None:
    assert_one_shape(raw_get(any_client.app, url))


def test_page_limits_are_clear_4xx(any_client: TestClient) -> None:
    for url in ("/api/statements?limit=1000000000", "/api/statements?offset=-1"):
        response = any_client.get(url)
        assert response.status_code == 422
        assert response.json()["error"]["code"] == "web/bad-request"


def test_oversized_query_string_and_path_are_414(any_client: TestClient) -> None:
    for url in (
        "/api/statements?q=" + "y" * (MAX_QUERY_BYTES + 1),
        "/api/" + "a" * (MAX_PATH_BYTES + 1),
    ):
        response = raw_get(any_client.app, url.encode())
        assert response.status_code == 414
        assert response.json()["error"]["code"] == "web/too-long"


def test_a_body_on_a_read_route_is_bounded(any_client: TestClient) -> None:
    response = any_client.request(
        "GET",
        "/api/outlets",
        content=b"x" * (2 * 1024 * 1024),
        headers={"content-type": "text/plain"},
    )
    assert response.status_code == 413
    assert_one_shape(response)


def test_unknown_ids_are_404_in_the_shape(any_client: TestClient) -> None:
    for url in ("/api/articles/999999999", "/api/actors/999999999", "/api/stories/s-ffffffffffff"):
        response = any_client.get(url)
        assert response.status_code == 404
        assert response.json()["error"]["code"] == "web/not-found"


def test_a_database_that_went_away_is_a_503() -> None:
    from quotetrace.errors import StoreError, StoreUnavailableError
    from quotetrace.web.app import error_status

    assert error_status(StoreUnavailableError("the database is unavailable", "")) == 503
    assert error_status(StoreError("bad date", "")) == 400
