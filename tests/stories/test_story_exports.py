"""The public names of quotetrace.stories are pinned: adding or removing one is a decision."""

from __future__ import annotations

import quotetrace.stories as stories

EXPECTED = {
    "AlignmentParams",
    "ArticleFeatures",
    "ClusteringParams",
    "DateMention",
    "Event",
    "StatementGroup",
    "StatementRef",
    "StoryIndex",
    "WordChange",
    "align_statements",
    "article_features",
    "assign_to_stories",
    "build_story_reports",
    "cluster_articles",
    "compare_group",
    "find_dates",
    "find_events",
    "resolve_relative",
    "statement_setting",
    "story_id_for",
    "story_names",
    "story_report",
    "word_changes",
}


def test_all_is_pinned() -> None:
    assert set(stories.__all__) == EXPECTED
    for name in stories.__all__:
        assert getattr(stories, name) is not None
