"""The SQLite store in Datasette: a ``metadata.json`` that says what each table and column is.

The store opens in Datasette as it is (``datasette news.db``); this adds the descriptions,
the full-text search on statements and sensible default orders::

    quotetrace datasette-metadata --db news.db -o metadata.json
    datasette news.db --metadata metadata.json

The format is Datasette's metadata file: ``databases`` → the database's name (the file name
without ``.db``) → ``tables`` → ``description``, ``columns`` (name → description),
``sort_desc``, ``label_column``, ``fts_table``/``fts_pk``, ``hidden``. Datasette is not a
dependency of quotetrace; the tests check the file against a real Datasette when one is
installed.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import sqlalchemy as sa

from .schema import metadata as schema_metadata

__all__ = ["TABLES", "datasette_metadata"]

# Per table: its description and every column's. tests/store/test_datasette.py checks that
# every column of the schema is described here, so a new column cannot go undescribed.
TABLES: dict[str, tuple[str, dict[str, str]]] = {
    "articles": (
        "One row per version of an input article; is_current marks the newest of each doc_id.",
        {
            "id": "the article's row id (statements.article_id points here)",
            "doc_id": "the id the input gave (a path, a JSONL doc_id, a WARC-Record-ID)",
            "version": "1 for the first text seen under this doc_id, 2 for a changed one, ...",
            "content_hash": "SHA-256 over doc_id, text, date, outlet, title and meta",
            "is_current": "1 for the newest version of the doc_id",
            "date": "the publication date as the input gave it",
            "published": "the publication date as a date (YYYY-MM-DD), for ranges",
            "outlet": "the outlet, one name per site (quotetrace.ingest.outlets)",
            "title": "the headline",
            "text": "the article text; statement offsets count characters in it",
            "meta": "every other field the input carried, as JSON (url, fetch_date, ...)",
            "ingested_at": "when the article was stored (UTC)",
            "story_id": "the story (one event across outlets) the article belongs to",
        },
    ),
    "statements": (
        "Who said what: one row per direct quote or reported statement.",
        {
            "id": "the statement's row id",
            "article_id": "the article it is in (articles.id)",
            "ordinal": "its position among the article's statements",
            "kind": "direct, indirect or mixed",
            "content_start": "where the reported material starts in articles.text",
            "content_end": "where it ends (exclusive)",
            "source_start": "where the speaker's mention starts, if the text names one",
            "source_end": "where it ends (exclusive)",
            "cue_start": "where the cue (said, according to, urged, ...) starts",
            "cue_end": "where it ends (exclusive)",
            "content_text": "the reported material",
            "source_text": "the speaker's mention at this point (he, the minister, ...)",
            "cue_text": "the cue",
            "speaker": "the speaker resolved to a canonical name",
            "confidence": "how sure the extractor is, 0 to 1",
            "doc_actor_id": "the speaker's actor id within the article",
            "actor_id": "the speaker in the store-wide actors table (actors.id)",
            "story_id": "the article's story",
            "rule": "the construction that found the statement (clause, according-to, ...)",
            "speaker_confidence": "how far the speaker is to be trusted (0-1; rises with "
            "precision; 0 when there is none)",
            "via": "the document the statement came through (statement, report, ruling, ...)",
            "content_tsv": "PostgreSQL only: the full-text index of content_text",
        },
    ),
    "actors": (
        "The people and organisations quoted or named, one row per actor across the store.",
        {
            "id": "the actor's id",
            "name": "the canonical name",
            "label": "PERSON, ORG, ...",
            "created_at": "when the actor first entered the store (UTC)",
        },
    ),
    "actor_aliases": (
        "Every name and title the coverage uses for an actor.",
        {
            "id": "the alias's row id",
            "actor_id": "the actor (actors.id)",
            "alias": "the name or title as written",
            "norm": "the normalised form used for matching",
            "kind": "what sort of name it is (name, surname, title, ...)",
            "mentions": "how often the coverage uses it",
        },
    ),
    "article_actors": (
        "The speakers and people each article names, linked to the store-wide actors.",
        {
            "id": "the row id",
            "article_id": "the article (articles.id)",
            "doc_actor_id": "the actor's id within the article",
            "name": "the name the extractor gave it in the article",
            "norm": "the normalised name",
            "label": "PERSON, ORG, ...",
            "actor_id": "the store-wide actor (actors.id)",
        },
    ),
    "mentions": (
        "Every place an article names an actor, with the words it uses and the outlet.",
        {
            "id": "the row id",
            "article_id": "the article (articles.id)",
            "article_actor_id": "the article's actor (article_actors.id)",
            "char_start": "where the mention starts in articles.text",
            "char_end": "where it ends (exclusive)",
            "surface": "the words as written",
            "norm": "the normalised form",
            "outlet": "the article's outlet",
            "actor_id": "the store-wide actor (actors.id)",
        },
    ),
    "crawl_urls": (
        "What quotetrace fetch knows per URL: pending, done or failed, so a crawl resumes.",
        {
            "url": "the normalised URL",
            "site": "scheme, host and port: the unit of politeness",
            "kind": "feed, sitemap or page",
            "status": "pending, done or failed",
            "reason": "why it failed or was skipped (HTTP 404, robots.txt, not an article ...)",
            "attempts": "runs that tried it",
            "http_status": "the last HTTP status",
            "etag": "the ETag for conditional GET",
            "last_modified": "the Last-Modified for conditional GET",
            "text_hash": "SHA-256 of the extracted text (a duplicate is not stored)",
            "doc_id": "the stored article's doc_id (articles.doc_id)",
            "root": "the URL given on the command line that led here",
            "listed_title": "the title the feed or sitemap listed",
            "listed_date": "the date the feed or sitemap listed",
            "first_seen": "when it was first listed (UTC)",
            "last_attempt": "when it was last fetched (UTC)",
        },
    ),
    "schema_version": (
        "The store's schema migrations, one row per version applied.",
        {
            "version": "the schema version",
            "description": "what the migration changed",
            "applied_at": "when it was applied (UTC)",
        },
    ),
}

_TABLE_OPTIONS: dict[str, dict[str, Any]] = {
    "articles": {"sort_desc": "id", "label_column": "title", "facets": ["outlet"]},
    "statements": {
        "sort_desc": "id",
        "label_column": "content_text",
        "fts_table": "statements_fts",
        "fts_pk": "id",
        "facets": ["kind", "speaker"],
    },
    "actors": {"label_column": "name", "facets": ["label"]},
    "statements_fts": {"hidden": True},
}


def _schema_tables() -> dict[str, list[str]]:
    return {name: [c.name for c in table.columns] for name, table in schema_metadata.tables.items()}


def datasette_metadata(db: str | Path, *, title: str | None = None) -> dict[str, Any]:
    """Datasette's metadata for the SQLite store at ``db`` (its tables as they are in it)."""
    path = Path(db)
    database = path.name.removesuffix(".db").removesuffix(".sqlite")
    present: dict[str, list[str]] = {}
    engine = sa.create_engine(f"sqlite:///{path}")
    try:
        inspector = sa.inspect(engine)
        for table in inspector.get_table_names():
            present[table] = [c["name"] for c in inspector.get_columns(table)]
    finally:
        engine.dispose()
    tables: dict[str, Any] = {}
    for name, columns in present.items():
        if name in TABLES:
            description, described = TABLES[name]
            tables[name] = {
                "description": description,
                "columns": {c: described[c] for c in columns if c in described},
            }
        elif name.startswith("statements_fts"):
            tables[name] = {"hidden": True}
        else:
            continue
        tables[name].update(_TABLE_OPTIONS.get(name, {}))
    return {
        "title": title or f"quotetrace: {database}",
        "description": "Who said what in the news: articles, statements and the actors quoted, "
        "as stored by quotetrace. Offsets count characters in articles.text.",
        "databases": {database: {"tables": tables}},
    }
