"""Connecting to the store: a file path or ``sqlite:///`` URL, or a ``postgresql://`` URL.

One SQLAlchemy engine serves both backends; what differs is set up here, once:

* SQLite runs in WAL mode (readers never block the writer, a killed writer leaves the last
  committed batch intact) with foreign keys on. Python's sqlite3 module opens transactions
  lazily and never around DDL, so the driver's own transaction handling is switched off and
  SQLAlchemy's ``begin()`` emits ``BEGIN`` itself: a migration or an ingest batch is then one
  real transaction, all or nothing.
* PostgreSQL goes through psycopg 3 (``postgresql://`` is rewritten to ``postgresql+psycopg://``).
  A writing transaction first takes one transaction-scoped advisory lock, so writers queue
  one after another as on SQLite: two ingests into one database never interleave the
  check-then-insert of a batch (content hashes, versions of a ``doc_id``, actors created by
  name), and a batch never fails half-way on a unique constraint another writer hit first.
  Readers take no lock.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from ..errors import StoreError

__all__ = ["DEFAULT_DB", "WRITE_OPTION", "create_store_engine", "normalise_url"]

DEFAULT_DB = "quotetrace.db"
# pg_advisory_xact_lock key of the store's writers ("qtwriter" as 8 bytes); migrations take
# their own key after this one, so the order is always the same and no two writers deadlock.
_PG_WRITER_LOCK = int.from_bytes(b"qtwriter", "big") & 0x7FFF_FFFF_FFFF_FFFF
# Execution option a connection carries when it will write (see `_on_begin`).
WRITE_OPTION = "quotetrace_write"


def normalise_url(url_or_path: str | Path | None) -> str:
    """A SQLAlchemy URL for what the user gave: a path, a sqlite URL or a postgresql URL.

    >>> normalise_url("news.db")
    'sqlite:///news.db'
    >>> normalise_url("postgresql://me@localhost/news")
    'postgresql+psycopg://me@localhost/news'
    """
    given = str(url_or_path) if url_or_path is not None else DEFAULT_DB
    if given.startswith(("postgresql://", "postgres://")):
        return "postgresql+psycopg://" + given.split("://", 1)[1]
    if given.startswith(("postgresql+", "sqlite:")):
        return given
    if "://" in given:
        raise StoreError(
            f"unsupported database URL {given!r}",
            "give a file path (SQLite) or a postgresql://user@host/db URL",
        )
    return "sqlite:///" + given


def create_store_engine(url_or_path: str | Path | None) -> Engine:
    url = normalise_url(url_or_path)
    try:
        if url.startswith("sqlite"):
            return _sqlite_engine(url)
        return _postgres_engine(url)
    except sa.exc.ArgumentError as exc:
        raise StoreError(f"bad database URL ({exc})", "check the --db value") from None


def _sqlite_engine(url: str) -> Engine:
    database = sa.engine.make_url(url).database
    if database and database != ":memory:":
        parent = Path(database).parent
        if not parent.exists():
            raise StoreError(
                f"the folder {str(parent)!r} for the database does not exist",
                "create it first or choose another --db path",
                source=database,
            )
    engine = sa.create_engine(url, future=True, connect_args={"timeout": 60})

    @sa.event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Take transaction control away from the driver; `_on_begin` below emits BEGIN.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        # NORMAL is durable against a killed process in WAL mode (only power loss can drop
        # the last commits), and much faster than FULL for many small commits.
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=60000")
        cursor.close()

    @sa.event.listens_for(engine, "begin")
    def _on_begin(connection: sa.Connection) -> None:
        # A writer takes the lock up front (IMMEDIATE), so two writers queue instead of one
        # failing half-way with "database is locked"; readers stay deferred and never wait.
        if connection.get_execution_options().get(WRITE_OPTION):
            connection.exec_driver_sql("BEGIN IMMEDIATE")
        else:
            connection.exec_driver_sql("BEGIN")

    return engine


def _postgres_engine(url: str) -> Engine:
    # When the server goes away, psycopg also logs "error ignored terminating <Pipeline>" as
    # a warning; without a handler Python prints it to stderr beside our one Error: line.
    # A program that configures logging still receives it.
    logging.getLogger("psycopg").addHandler(logging.NullHandler())
    # connect_timeout: a server that is down is reported (or retried, see faults.py) in
    # seconds, not after the operating system's TCP timeout.
    engine = sa.create_engine(
        url, pool_pre_ping=True, future=True, connect_args={"connect_timeout": 10}
    )

    @sa.event.listens_for(engine, "begin")
    def _on_begin(connection: sa.Connection) -> None:
        if connection.get_execution_options().get(WRITE_OPTION):
            connection.exec_driver_sql(f"SELECT pg_advisory_xact_lock({_PG_WRITER_LOCK})")

    return engine
