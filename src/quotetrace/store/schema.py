"""The store's tables as of the newest schema version, for building queries.

The tables are *created* by the ordered migrations in ``migrations.py``, never from here:
``tests/store/test_schema.py`` checks that a database migrated from nothing has exactly these
columns, so the two cannot drift apart. Full-text structures are dialect-specific and live
only in the migrations (an FTS5 table on SQLite, a ``tsvector`` column on PostgreSQL).

::

    articles ─┬─< statements >── actors ──< actor_aliases
              ├─< article_actors >─┘ │
              └─< mentions >─────────┘

* ``articles``: one row per *version* of an input article, keyed by ``content_hash``;
  ``is_current`` marks the newest version of each ``doc_id``.
* ``statements``: one row per attribution, with its character offsets and texts.
* ``article_actors``: the per-document speakers the extractor found (its ``Actor`` records),
  each linked to a store-wide ``actors`` row.
* ``mentions``: every place a document names an actor, with the surface form and outlet.
* ``actors`` / ``actor_aliases``: the store-wide people and organisations and every name and
  title the coverage uses for them.
* ``crawl_urls``: ``quotetrace fetch``'s state per URL (pending / done / failed, why, how
  often tried, the validators for a conditional GET); see ``docs/crawl.md``.
"""

from __future__ import annotations

import sqlalchemy as sa

__all__ = [
    "SCHEMA_VERSION_TABLE",
    "actor_aliases",
    "actors",
    "article_actors",
    "articles",
    "crawl_urls",
    "mentions",
    "metadata",
    "schema_version",
    "statements",
]

SCHEMA_VERSION_TABLE = "schema_version"

metadata = sa.MetaData()

schema_version = sa.Table(
    SCHEMA_VERSION_TABLE,
    metadata,
    sa.Column("version", sa.Integer, primary_key=True, autoincrement=False),
    sa.Column("description", sa.Text, nullable=False),
    sa.Column("applied_at", sa.Text, nullable=False),
)

articles = sa.Table(
    "articles",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("doc_id", sa.Text, nullable=False),
    sa.Column("version", sa.Integer, nullable=False),
    sa.Column("content_hash", sa.String(64), nullable=False, unique=True),
    sa.Column("is_current", sa.Boolean, nullable=False),
    sa.Column("date", sa.Text),
    sa.Column("published", sa.Date),
    sa.Column("outlet", sa.Text),
    sa.Column("title", sa.Text),
    sa.Column("text", sa.Text, nullable=False),
    sa.Column("meta", sa.JSON, nullable=False),
    sa.Column("ingested_at", sa.Text, nullable=False),
    sa.Column("story_id", sa.Text),
)

actors = sa.Table(
    "actors",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("name", sa.Text, nullable=False),
    sa.Column("label", sa.Text, nullable=False),
    sa.Column("created_at", sa.Text, nullable=False),
)

actor_aliases = sa.Table(
    "actor_aliases",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column(
        "actor_id", sa.Integer, sa.ForeignKey("actors.id", ondelete="CASCADE"), nullable=False
    ),
    sa.Column("alias", sa.Text, nullable=False),
    sa.Column("norm", sa.Text, nullable=False),
    sa.Column("kind", sa.Text, nullable=False),
    sa.Column("mentions", sa.Integer, nullable=False),
)

article_actors = sa.Table(
    "article_actors",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column(
        "article_id", sa.Integer, sa.ForeignKey("articles.id", ondelete="CASCADE"), nullable=False
    ),
    sa.Column("doc_actor_id", sa.Integer, nullable=False),
    sa.Column("name", sa.Text, nullable=False),
    sa.Column("norm", sa.Text, nullable=False),
    sa.Column("label", sa.Text, nullable=False),
    sa.Column("actor_id", sa.Integer, sa.ForeignKey("actors.id", ondelete="SET NULL")),
)

mentions = sa.Table(
    "mentions",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column(
        "article_id", sa.Integer, sa.ForeignKey("articles.id", ondelete="CASCADE"), nullable=False
    ),
    sa.Column(
        "article_actor_id",
        sa.Integer,
        sa.ForeignKey("article_actors.id", ondelete="CASCADE"),
        nullable=False,
    ),
    sa.Column("char_start", sa.Integer, nullable=False),
    sa.Column("char_end", sa.Integer, nullable=False),
    sa.Column("surface", sa.Text, nullable=False),
    sa.Column("norm", sa.Text, nullable=False),
    sa.Column("outlet", sa.Text),
    sa.Column("actor_id", sa.Integer, sa.ForeignKey("actors.id", ondelete="SET NULL")),
)

statements = sa.Table(
    "statements",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column(
        "article_id", sa.Integer, sa.ForeignKey("articles.id", ondelete="CASCADE"), nullable=False
    ),
    sa.Column("ordinal", sa.Integer, nullable=False),
    sa.Column("kind", sa.Text, nullable=False),
    sa.Column("content_start", sa.Integer, nullable=False),
    sa.Column("content_end", sa.Integer, nullable=False),
    sa.Column("source_start", sa.Integer),
    sa.Column("source_end", sa.Integer),
    sa.Column("cue_start", sa.Integer),
    sa.Column("cue_end", sa.Integer),
    sa.Column("content_text", sa.Text, nullable=False),
    sa.Column("source_text", sa.Text),
    sa.Column("cue_text", sa.Text),
    sa.Column("speaker", sa.Text),
    sa.Column("confidence", sa.Float, nullable=False),
    sa.Column("doc_actor_id", sa.Integer),
    sa.Column("actor_id", sa.Integer, sa.ForeignKey("actors.id", ondelete="SET NULL")),
    sa.Column("story_id", sa.Text),
    sa.Column("rule", sa.Text),
    sa.Column("speaker_confidence", sa.Float),
    sa.Column("via", sa.Text),
)

crawl_urls = sa.Table(
    "crawl_urls",
    metadata,
    sa.Column("url", sa.Text, primary_key=True),
    sa.Column("site", sa.Text, nullable=False),
    sa.Column("kind", sa.Text, nullable=False),
    sa.Column("status", sa.Text, nullable=False),
    sa.Column("reason", sa.Text),
    sa.Column("attempts", sa.Integer, nullable=False),
    sa.Column("http_status", sa.Integer),
    sa.Column("etag", sa.Text),
    sa.Column("last_modified", sa.Text),
    sa.Column("text_hash", sa.String(64)),
    sa.Column("doc_id", sa.Text),
    sa.Column("root", sa.Text),
    sa.Column("listed_title", sa.Text),
    sa.Column("listed_date", sa.Text),
    sa.Column("first_seen", sa.Text, nullable=False),
    sa.Column("last_attempt", sa.Text),
)
