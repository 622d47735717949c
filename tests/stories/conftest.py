"""Fixtures for the stories tests: the fictional multi-outlet gold set, loaded once."""

from __future__ import annotations

from pathlib import Path

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
