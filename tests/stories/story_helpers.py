"""Helpers for the stories tests (imported by name: the tests folder is not a package)."""

from __future__ import annotations

from quotetrace.models import ProcessedArticle
from quotetrace.stories.evaluation import GoldSet


def story_docs(gold: GoldSet, story: str) -> list[ProcessedArticle]:
    """The gold articles of one gold story, in gold-file order."""
    return [p for p in gold.articles if gold.story_of[p.article.doc_id] == story]
