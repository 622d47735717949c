"""The schema: migrations build exactly what ``schema.py`` describes, in order, once."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from store_builders import harbour_story

from quotetrace.errors import StoreError
from quotetrace.store import Store
from quotetrace.store.engine import create_store_engine, normalise_url
from quotetrace.store.migrations import LATEST_VERSION, MIGRATIONS, current_version, migrate
from quotetrace.store.schema import metadata

# Columns that only exist on one backend, made by the full-text migration.
_DIALECT_ONLY = {("statements", "content_tsv")}


def test_migrated_store_has_exactly_the_described_columns(store_url: str) -> None:
    engine = create_store_engine(store_url)
    try:
        assert migrate(engine) == [m.version for m in MIGRATIONS]
        inspector = sa.inspect(engine)
        for table in metadata.sorted_tables:
            found = {c["name"] for c in inspector.get_columns(table.name)}
            found -= {col for tab, col in _DIALECT_ONLY if tab == table.name}
            assert found == {c.name for c in table.columns}, table.name
    finally:
        engine.dispose()


def test_versions_are_recorded_once_and_reopening_applies_nothing(store_url: str) -> None:
    Store.open(store_url).close()
    engine = create_store_engine(store_url)
    try:
        assert migrate(engine) == []
        with engine.connect() as conn:
            rows = conn.execute(sa.text("SELECT version FROM schema_version ORDER BY 1")).all()
            assert [r[0] for r in rows] == list(range(1, LATEST_VERSION + 1))
            assert current_version(conn) == LATEST_VERSION
    finally:
        engine.dispose()


def test_an_old_store_is_upgraded_and_keeps_its_data(store_url: str) -> None:
    engine = create_store_engine(store_url)
    try:
        assert migrate(engine, target=1) == [1]
        with engine.begin() as conn:
            conn.execute(
                sa.text(
                    "INSERT INTO articles (doc_id, version, content_hash, is_current, text, meta,"
                    " ingested_at) VALUES ('old/1', 1, 'h1', :t, 'An old article.', '{}', 'x')"
                ),
                {"t": True},
            )
    finally:
        engine.dispose()
    with Store.open(store_url) as store:
        assert store.schema_version() == LATEST_VERSION
        old = store.article_by_doc_id("old/1")
        assert old is not None and old.text == "An old article." and old.story_id is None
        store.add_processed(harbour_story())
        assert store.search("ferry").hits  # the full-text index came with the upgrade


def test_a_store_from_a_newer_quotetrace_is_refused(store_url: str) -> None:
    Store.open(store_url).close()
    engine = create_store_engine(store_url)
    try:
        with engine.begin() as conn:
            conn.execute(
                sa.text(
                    "INSERT INTO schema_version (version, description, applied_at)"
                    " VALUES (:v, 'from the future', 'x')"
                ),
                {"v": LATEST_VERSION + 1},
            )
    finally:
        engine.dispose()
    with pytest.raises(StoreError, match="newer than this quotetrace"):
        Store.open(store_url)


def test_urls_are_normalised() -> None:
    assert normalise_url("news.db") == "sqlite:///news.db"
    assert normalise_url("postgres://u@h/db") == "postgresql+psycopg://u@h/db"
    with pytest.raises(StoreError, match="unsupported database URL"):
        normalise_url("mysql://u@h/db")


def test_a_store_in_a_missing_folder_is_a_clear_error(tmp_path: object) -> None:
    with pytest.raises(StoreError, match="does not exist"):
        Store.open("/nonexistent-folder/x/store.db")


def test_a_file_that_is_not_a_database_is_a_clear_error(tmp_path: object) -> None:
    from pathlib import Path

    bogus = Path(str(tmp_path)) / "notes.db"
    bogus.write_text("these are my notes, not a database\n" * 100)
    with pytest.raises(StoreError):
        Store.open(str(bogus))
    assert bogus.read_text().startswith("these are my notes")
