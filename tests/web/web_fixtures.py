"""The web tests' store: fictional reports (fixtures/articles.jsonl) with their stories.

A module of its own (not ``conftest``) so test files can import it by a name no other
test folder uses.
"""

from __future__ import annotations

from pathlib import Path

from quotetrace.store import Store
from quotetrace.web.ingest import ingest_body

FIXTURE = Path(__file__).parent / "fixtures" / "articles.jsonl"
TOKEN = "test-token-7f3a9c"


def build_demo_store(path: Path | str) -> Path | str:
    """Fill the store at ``path`` (a SQLite path or a URL) with the fixture articles.

    They go in through the app's own ingest path, which also places them in stories.
    """
    with Store.open(str(path)) as store:
        ingest_body(store, FIXTURE.read_bytes())
    return path
