"""A small store of fictional reports (tests/web/fixtures/articles.jsonl) behind the web app.

The store is filled through the app's own ingest path (``ingest_body``) and its stories are
found by the stories stage, so the API and page tests see what a served store holds.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from web_fixtures import TOKEN, build_demo_store

from quotetrace.web import create_app


@pytest.fixture(scope="session")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("web") / "demo.db"
    build_demo_store(path)
    return path


@pytest.fixture(scope="session")
def client(demo_db: Path) -> Iterator[TestClient]:
    with TestClient(create_app(str(demo_db)), raise_server_exceptions=False) as c:
        yield c


@pytest.fixture
def fresh_db(tmp_path: Path) -> Path:
    """A store of its own, for tests that write."""
    path = tmp_path / "fresh.db"
    build_demo_store(path)
    return path


@pytest.fixture
def write_client(fresh_db: Path) -> Iterator[TestClient]:
    with TestClient(create_app(str(fresh_db), token=TOKEN), raise_server_exceptions=False) as c:
        yield c
