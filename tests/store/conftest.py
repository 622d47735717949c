"""Store fixtures: every store test runs against SQLite and against a real PostgreSQL server.

The PostgreSQL URL comes from ``QUOTETRACE_TEST_POSTGRES_URL`` or from ``build/postgres-url``,
which ``.ci/services.sh`` writes after starting its server. When neither exists the
``postgres`` tests skip, saying so; when one exists but the server does not answer, they
fail: CI started a server, so it must be there.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from quotetrace.store import Store

REPO_ROOT = Path(__file__).resolve().parents[2]
_URL_FILE = REPO_ROOT / "build" / "postgres-url"


def postgres_url() -> str | None:
    url = os.environ.get("QUOTETRACE_TEST_POSTGRES_URL")
    if url:
        return url
    if _URL_FILE.exists():
        return _URL_FILE.read_text().strip() or None
    return None


def _reset_postgres(url: str) -> None:
    """An empty database for each test: drop and recreate the public schema."""
    import psycopg

    try:
        with psycopg.connect(url, connect_timeout=5, autocommit=True) as conn:
            conn.execute("DROP SCHEMA IF EXISTS public CASCADE")
            conn.execute("CREATE SCHEMA public")
    except psycopg.OperationalError as exc:
        pytest.fail(
            f"PostgreSQL at {url} is configured but not reachable ({exc}); "
            "start it with `bash .ci/services.sh`"
        )


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A URL to an empty store location on each backend."""
    if request.param == "sqlite":
        return str(tmp_path / "store.db")
    url = postgres_url()
    if url is None:
        pytest.skip(
            "no PostgreSQL configured: run `bash .ci/services.sh` or set "
            "QUOTETRACE_TEST_POSTGRES_URL"
        )
    _reset_postgres(url)
    return url


@pytest.fixture
def store(store_url: str) -> Iterator[Store]:
    opened = Store.open(store_url)
    try:
        yield opened
    finally:
        opened.close()
