"""Ordered schema migrations: how a store gets from any older version to the newest.

Every migration runs in its own transaction together with the row that records it in
``schema_version``, so a store is always at exactly one version, even when a migration fails
or the process is killed half-way. A published migration never changes; a new schema is a new
migration appended to ``MIGRATIONS``. Migration 1 therefore spells out its tables itself
instead of using ``schema.py`` (which describes the newest version, for queries).

Adding a migration (e.g. for the stories stage)::

    def _v4_story_labels(conn: sa.Connection) -> None:
        conn.exec_driver_sql("ALTER TABLE articles ADD COLUMN story_label TEXT")

    MIGRATIONS.append(Migration(4, "story labels", _v4_story_labels))

and add the column to ``schema.py``; ``tests/store/test_schema.py`` checks the two agree.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

import sqlalchemy as sa

from ..errors import StoreError
from .engine import WRITE_OPTION
from .schema import SCHEMA_VERSION_TABLE

__all__ = ["LATEST_VERSION", "MIGRATIONS", "Migration", "current_version", "migrate"]

# An arbitrary constant: the key of the PostgreSQL advisory lock that serialises migrations
# when two processes open a new store at once.
_PG_MIGRATION_LOCK = 7_241_530_118


@dataclass(frozen=True)
class Migration:
    version: int
    description: str
    apply: Callable[[sa.Connection], None]


def _version_table(metadata: sa.MetaData) -> sa.Table:
    return sa.Table(
        SCHEMA_VERSION_TABLE,
        metadata,
        sa.Column("version", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("description", sa.Text, nullable=False),
        sa.Column("applied_at", sa.Text, nullable=False),
    )


def _v1_core_tables(conn: sa.Connection) -> None:
    """Articles (versioned by content hash), statements, actors, aliases and mentions."""
    md = sa.MetaData()
    sa.Table(
        "articles",
        md,
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
        sa.UniqueConstraint("doc_id", "version", name="uq_articles_doc_version"),
        sa.Index("ix_articles_outlet", "outlet"),
        sa.Index("ix_articles_published", "published"),
    )
    sa.Table(
        "actors",
        md,
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("label", sa.Text, nullable=False),
        sa.Column("created_at", sa.Text, nullable=False),
        sa.Index("ix_actors_name", "name"),
    )
    sa.Table(
        "actor_aliases",
        md,
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column(
            "actor_id", sa.Integer, sa.ForeignKey("actors.id", ondelete="CASCADE"), nullable=False
        ),
        sa.Column("alias", sa.Text, nullable=False),
        sa.Column("norm", sa.Text, nullable=False),
        sa.Column("kind", sa.Text, nullable=False),
        sa.Column("mentions", sa.Integer, nullable=False),
        sa.UniqueConstraint("actor_id", "norm", name="uq_actor_aliases_actor_norm"),
        sa.Index("ix_actor_aliases_norm", "norm"),
    )
    sa.Table(
        "article_actors",
        md,
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column(
            "article_id",
            sa.Integer,
            sa.ForeignKey("articles.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("doc_actor_id", sa.Integer, nullable=False),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("norm", sa.Text, nullable=False),
        sa.Column("label", sa.Text, nullable=False),
        sa.Column("actor_id", sa.Integer, sa.ForeignKey("actors.id", ondelete="SET NULL")),
        sa.UniqueConstraint("article_id", "doc_actor_id", name="uq_article_actors_doc"),
        sa.Index("ix_article_actors_actor", "actor_id"),
    )
    sa.Table(
        "mentions",
        md,
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column(
            "article_id",
            sa.Integer,
            sa.ForeignKey("articles.id", ondelete="CASCADE"),
            nullable=False,
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
        sa.Index("ix_mentions_article", "article_id"),
        sa.Index("ix_mentions_article_actor", "article_actor_id"),
        sa.Index("ix_mentions_actor", "actor_id"),
    )
    sa.Table(
        "statements",
        md,
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column(
            "article_id",
            sa.Integer,
            sa.ForeignKey("articles.id", ondelete="CASCADE"),
            nullable=False,
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
        sa.UniqueConstraint("article_id", "ordinal", name="uq_statements_article_ordinal"),
        sa.Index("ix_statements_actor", "actor_id"),
        sa.Index("ix_statements_kind", "kind"),
    )
    md.create_all(conn)


def _v2_full_text(conn: sa.Connection) -> None:
    """Full-text search over statement content: FTS5 on SQLite, a GIN tsvector on PostgreSQL.

    Both stem English words ("regimes" finds "regime") and ignore diacritics/case.
    """
    if conn.dialect.name == "sqlite":
        for sql in (
            # External-content FTS5: the text lives once, in `statements`; the triggers keep
            # the index in step with every insert, update and delete.
            "CREATE VIRTUAL TABLE statements_fts USING fts5(content_text, content='statements',"
            " content_rowid='id', tokenize='porter unicode61 remove_diacritics 2')",
            "CREATE TRIGGER statements_fts_insert AFTER INSERT ON statements BEGIN"
            " INSERT INTO statements_fts(rowid, content_text) VALUES (new.id, new.content_text);"
            " END",
            "CREATE TRIGGER statements_fts_delete AFTER DELETE ON statements BEGIN"
            " INSERT INTO statements_fts(statements_fts, rowid, content_text)"
            " VALUES ('delete', old.id, old.content_text); END",
            "CREATE TRIGGER statements_fts_update AFTER UPDATE OF content_text ON statements BEGIN"
            " INSERT INTO statements_fts(statements_fts, rowid, content_text)"
            " VALUES ('delete', old.id, old.content_text);"
            " INSERT INTO statements_fts(rowid, content_text) VALUES (new.id, new.content_text);"
            " END",
            "INSERT INTO statements_fts(statements_fts) VALUES ('rebuild')",
        ):
            conn.exec_driver_sql(sql)
    elif conn.dialect.name == "postgresql":
        conn.exec_driver_sql(
            "ALTER TABLE statements ADD COLUMN content_tsv tsvector GENERATED ALWAYS AS"
            " (to_tsvector('english'::regconfig, content_text)) STORED"
        )
        conn.exec_driver_sql(
            "CREATE INDEX ix_statements_content_tsv ON statements USING GIN (content_tsv)"
        )
    else:  # pragma: no cover - create_store_engine only builds these two
        raise StoreError(
            f"no full-text support for {conn.dialect.name}", "use SQLite or PostgreSQL"
        )


def _v3_story_ids(conn: sa.Connection) -> None:
    """Room for the stories stage: a story id on articles and on statements."""
    for table in ("articles", "statements"):
        conn.exec_driver_sql(f"ALTER TABLE {table} ADD COLUMN story_id TEXT")
        conn.exec_driver_sql(f"CREATE INDEX ix_{table}_story ON {table} (story_id)")


def _v4_statement_rules(conn: sa.Connection) -> None:
    """The extractor's rule name per statement ("clause", "according-to", ...)."""
    conn.exec_driver_sql("ALTER TABLE statements ADD COLUMN rule TEXT")


def _v5_speaker_name_index(conn: sa.Connection) -> None:
    """Speaker names compared case-blind (``--speaker`` on statements no actor claims)."""
    conn.exec_driver_sql("CREATE INDEX ix_statements_speaker_lower ON statements (lower(speaker))")


def _v6_speaker_confidence(conn: sa.Connection) -> None:
    """How far each statement's speaker is to be trusted, and the document it came through."""
    conn.exec_driver_sql("ALTER TABLE statements ADD COLUMN speaker_confidence REAL")
    conn.exec_driver_sql("ALTER TABLE statements ADD COLUMN via TEXT")


def _v7_crawl_state(conn: sa.Connection) -> None:
    """What `quotetrace fetch` knows per URL: pending, done or failed, so a crawl resumes."""
    md = sa.MetaData()
    sa.Table(
        "crawl_urls",
        md,
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
        sa.Index("ix_crawl_urls_root_status", "root", "status"),
        sa.Index("ix_crawl_urls_text_hash", "text_hash"),
    )
    md.create_all(conn)


MIGRATIONS: list[Migration] = [
    Migration(1, "core tables: articles, statements, actors, aliases, mentions", _v1_core_tables),
    Migration(2, "full-text search over statements", _v2_full_text),
    Migration(3, "story ids on articles and statements", _v3_story_ids),
    Migration(4, "the extractor's rule name on statements", _v4_statement_rules),
    Migration(5, "case-blind index on speaker names", _v5_speaker_name_index),
    Migration(6, "speaker confidence and via on statements", _v6_speaker_confidence),
    Migration(7, "crawl state per URL for quotetrace fetch", _v7_crawl_state),
]
LATEST_VERSION = MIGRATIONS[-1].version


def current_version(conn: sa.Connection) -> int:
    """The schema version of the store (0 for an empty database)."""
    if not sa.inspect(conn).has_table(SCHEMA_VERSION_TABLE):
        return 0
    found = conn.execute(sa.text(f"SELECT MAX(version) FROM {SCHEMA_VERSION_TABLE}")).scalar()
    return int(found or 0)


def migrate(engine: sa.Engine, target: int | None = None) -> list[int]:
    """Bring the store up to ``target`` (default: newest); returns the versions applied."""
    target = LATEST_VERSION if target is None else target
    applied: list[int] = []
    # A read first: an up-to-date store (the usual case) is opened without taking the write
    # lock, so searching never waits for a running ingest.
    with engine.connect() as conn:
        have = current_version(conn)
    if have > LATEST_VERSION:
        raise StoreError(
            f"the store is at schema version {have}, newer than this quotetrace knows "
            f"({LATEST_VERSION})",
            "upgrade quotetrace to open it",
        )
    if have >= target:
        return applied
    for migration in MIGRATIONS:
        if migration.version > target:
            break
        with engine.connect() as conn:
            conn.execution_options(**{WRITE_OPTION: True})
            with conn.begin():
                if conn.dialect.name == "postgresql":
                    conn.execute(
                        sa.text("SELECT pg_advisory_xact_lock(:k)"), {"k": _PG_MIGRATION_LOCK}
                    )
                version_table = _version_table(sa.MetaData())
                version_table.create(conn, checkfirst=True)
                have = current_version(conn)
                if have > LATEST_VERSION:
                    raise StoreError(
                        f"the store is at schema version {have}, newer than this quotetrace "
                        f"knows ({LATEST_VERSION})",
                        "upgrade quotetrace to open it",
                    )
                if have >= migration.version:
                    continue
                migration.apply(conn)
                conn.execute(
                    version_table.insert(),
                    {
                        "version": migration.version,
                        "description": migration.description,
                        "applied_at": datetime.now(UTC).isoformat(timespec="seconds"),
                    },
                )
                applied.append(migration.version)
    return applied
