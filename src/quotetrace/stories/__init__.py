"""Stories across outlets: the same statement, side by side, as each outlet told it.

    from quotetrace.stories import build_story_reports
    reports = build_story_reports(processed_articles)   # list of JSON-ready stories

The stages, each its own module: ``clustering`` (articles -> stories, MinHash LSH),
``alignment`` (statements -> groups across outlets), ``differences`` (word-level comparison),
``naming`` (the names each outlet uses for each actor), ``dates`` and ``events`` (when and
where), ``service`` (all of it as one report per story).
"""

from .alignment import AlignmentParams, StatementGroup, StatementRef, align_statements
from .clustering import (
    ArticleFeatures,
    ClusteringParams,
    StoryIndex,
    article_features,
    assign_to_stories,
    cluster_articles,
    story_id_for,
)
from .dates import DateMention, find_dates, resolve_relative
from .differences import WordChange, compare_group, word_changes
from .events import Event, find_events, statement_setting
from .naming import story_names
from .service import build_story_reports, story_report

__all__ = [
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
]
