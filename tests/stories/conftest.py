"""Fixtures for the stories tests: the fictional multi-outlet gold set, loaded once."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest

from quotetrace.models import ProcessedArticle
from quotetrace.stories.evaluation import GoldSet, load_gold_set

STORY_FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "stories"


@pytest.fixture(scope="session")
def gold() -> GoldSet:
    """Articles with hand-annotated statements, their stories and statement groups."""
    return load_gold_set(STORY_FIXTURES)


@pytest.fixture(scope="session")
def by_doc(gold: GoldSet) -> dict[str, ProcessedArticle]:
    return {p.article.doc_id: p for p in gold.articles}


def _postgres_base_url() -> str | None:
    url = os.environ.get("QUOTETRACE_TEST_POSTGRES_URL")
    if url:
        return url
    path = Path(__file__).resolve().parents[2] / "build" / "postgres-url"
    return path.read_text().strip() or None if path.exists() else None


@pytest.fixture(scope="session")
def stories_postgres_url() -> Iterator[str | None]:
    """A database of this session's own on the CI PostgreSQL server (None when there is none)."""
    base = _postgres_base_url()
    if base is None:
        yield None
        return
    import psycopg
    from psycopg import sql

    name = f"quotetrace_stories_{os.getpid()}_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(base, connect_timeout=5, autocommit=True) as conn:
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    yield urlunsplit(urlsplit(base)._replace(path="/" + name))
    with psycopg.connect(base, connect_timeout=5, autocommit=True) as conn:
        conn.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def store_url(
    request: pytest.FixtureRequest, tmp_path: Path, stories_postgres_url: str | None
) -> Iterator[str]:
    """An empty store on each backend; the PostgreSQL one is emptied after the test."""
    if request.param == "sqlite":
        yield str(tmp_path / "stories.db")
        return
    if stories_postgres_url is None:
        pytest.skip("no PostgreSQL server configured (build/postgres-url)")
    yield stories_postgres_url
    import psycopg

    with psycopg.connect(stories_postgres_url, autocommit=True) as conn:
        conn.execute("DROP SCHEMA IF EXISTS public CASCADE")
        conn.execute("CREATE SCHEMA public")
