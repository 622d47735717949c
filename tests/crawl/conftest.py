"""Two fictional news sites on 127.0.0.1 (random free ports) and a fresh SQLite store."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from crawl_fixtures import build_courier, build_ledger
from news_sites import NewsSite


@pytest.fixture
def ledger() -> Iterator[NewsSite]:
    site = build_ledger().start()
    yield site
    site.stop()


@pytest.fixture
def courier() -> Iterator[NewsSite]:
    site = build_courier().start()
    yield site
    site.stop()


@pytest.fixture
def db_path(tmp_path: Path) -> str:
    return str(tmp_path / "crawl.db")
