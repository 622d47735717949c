"""The web tests' store: fictional reports (fixtures/articles.jsonl) with their stories.

A module of its own (not ``conftest``) so test files can import it by a name no other
test folder uses.
"""

from __future__ import annotations

from pathlib import Path

from quotetrace.store import Store
from quotetrace.stories.clustering import cluster_articles
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
