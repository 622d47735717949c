"""Store fixtures: every store test runs against SQLite and against a real PostgreSQL server.

The PostgreSQL URL comes from ``QUOTETRACE_TEST_POSTGRES_URL`` or from ``build/postgres-url``,
which ``.ci/services.sh`` writes after starting its server; each test session creates its own
database there and drops it at the end. When no URL exists the ``postgres`` tests skip,
saying so; when one exists but the server does not answer, they fail: CI started a server,
so it must be there.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

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

    with psycopg.connect(url, connect_timeout=5, autocommit=True) as conn:
        conn.execute("DROP SCHEMA IF EXISTS public CASCADE")
        conn.execute("CREATE SCHEMA public")


@pytest.fixture(scope="session")
def postgres_session_url() -> Iterator[str | None]:
    """A database of this test session's own on the configured server, dropped afterwards.

    Several test runs may share one server (CI, or engineers working side by side); each
    gets its own database, so one run's schema resets never pull tables from under another.
    """
    base = postgres_url()
    if base is None:
        yield None
        return
    import psycopg
    from psycopg import sql

    name = f"quotetrace_test_{os.getpid()}_{uuid.uuid4().hex[:8]}"
    try:
        with psycopg.connect(base, connect_timeout=5, autocommit=True) as conn:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    except psycopg.OperationalError as exc:
        reason = " ".join(str(exc).split())
        pytest.fail(
            f"PostgreSQL at {base} is configured but not reachable ({reason}); "
            "start it with `bash .ci/services.sh`",
            pytrace=False,
        )
    parts = urlsplit(base)
    yield urlunsplit(parts._replace(path="/" + name))
    with psycopg.connect(base, connect_timeout=5, autocommit=True) as conn:
        conn.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A URL to an empty store location on each backend."""
    if request.param == "sqlite":
        return str(tmp_path / "store.db")
    # Asked for here, not as an argument: the SQLite cases never depend on the server.
    postgres_session_url: str | None = request.getfixturevalue("postgres_session_url")
    if postgres_session_url is None:
        pytest.skip(
            "no PostgreSQL configured: run `bash .ci/services.sh` or set "
            "QUOTETRACE_TEST_POSTGRES_URL"
        )
    _reset_postgres(postgres_session_url)
    return postgres_session_url


@pytest.fixture
def store(store_url: str) -> Iterator[Store]:
    opened = Store.open(store_url)
    try:
        yield opened
    finally:
        opened.close()
