"""A small store of fictional reports (tests/web/fixtures/articles.jsonl) behind the web app.

The store is filled through the app's own ingest path (``ingest_body``) and its stories are
found by the stories stage, so the API and page tests see what a served store holds.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from quotetrace.store import Store
from quotetrace.stories.clustering import cluster_articles
from quotetrace.web import create_app
from quotetrace.web.ingest import ingest_body

FIXTURE = Path(__file__).parent / "fixtures" / "articles.jsonl"
TOKEN = "test-token-7f3a9c"


def build_demo_store(path: Path | str) -> Path | str:
    """Fill the store at ``path`` (a SQLite path or a URL) with the fixture articles and their
    stories."""
    with Store.open(str(path)) as store:
        ingest_body(store, FIXTURE.read_bytes())
        stored = list(store.iter_processed())
        story_of_doc = {
            doc_id: story
            for story, doc_ids in cluster_articles([s.processed for s in stored]).items()
            for doc_id in doc_ids
        }
        articles_to_story = {s.article.id: story_of_doc[s.article.doc_id] for s in stored}
        statements_to_story = {
            sid: story_of_doc[s.article.doc_id] for s in stored for sid in s.statement_ids
        }
        store.set_story_ids(
            articles_to_story=articles_to_story, statements_to_story=statements_to_story
        )
    return path


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
