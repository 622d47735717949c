"""The API over PostgreSQL answers what it answers over SQLite (the web's own queries included).

Runs in a schema of its own (``search_path``), so it never touches the tables the store tests
reset in the shared test database.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from web_fixtures import build_demo_store

from quotetrace.web import create_app

REPO = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.postgres


def _postgres_url() -> str | None:
    url = os.environ.get("QUOTETRACE_TEST_POSTGRES_URL")
    url_file = REPO / "build" / "postgres-url"
    if not url and url_file.exists():
        url = url_file.read_text().strip()
    return url or None


@pytest.fixture(scope="module")
def pg_client() -> Iterator[TestClient]:
    url = _postgres_url()
    if url is None:
        pytest.skip("no PostgreSQL configured: run `bash .ci/services.sh`")
    import psycopg

    schema = f"web_test_{os.getpid()}"
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


def _shape(data: Any) -> Any:
    """What must agree across backends: ids, names, counts; not timestamps or scores."""
    if isinstance(data, dict):
        return {
            k: _shape(v)
            for k, v in data.items()
            if k not in ("ingested_at", "score", "snippet", "next", "content_hash")
        }
    if isinstance(data, list):
        return [_shape(v) for v in data]
    return data


@pytest.mark.parametrize(
    "url",
    [
        "/api/articles",
        "/api/articles?q=minister&outlet=river post",
        "/api/articles?since=2026-03-11",
        "/api/articles/1",
        "/api/statements?speaker=Brandt&limit=50",
        "/api/statements?kind=indirect&limit=50",
        "/api/actors",
        "/api/actors/1",
        "/api/outlets",
        "/api/outlets/Coastal%20Herald",
        "/api/stories",
        "/api/statements?q=%27%20OR%201%3D1%20--",
    ],
)
def test_postgres_answers_like_sqlite(pg_client: TestClient, client: TestClient, url: str) -> None:
    pg, lite = pg_client.get(url), client.get(url)
    assert pg.status_code == lite.status_code == 200, (pg.text, lite.text)
    assert _shape(pg.json()) == _shape(lite.json())


def test_postgres_search_and_pages(pg_client: TestClient) -> None:
    hits = pg_client.get("/api/statements?q=spillway").json()
    assert hits["total"] == 3
    story = pg_client.get("/api/stories").json()["results"][0]["id"]
    for url in (
        "/",
        "/search?q=spillway",
        "/articles/1",
        "/actors/1",
        "/outlets/River%20Post",
        f"/stories/{story}",
    ):
        assert pg_client.get(url).status_code == 200, url
