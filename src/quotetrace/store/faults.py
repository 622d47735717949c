"""When the database is busy or goes away: which failures are retried, for how long, and what
the user is told when retrying does not help.

Two kinds of failure pass on their own, so a write transaction that hits one is rolled back
and run again (with exponential backoff, 0.05 s doubling to 2 s, jittered so two waiting
writers do not retry in step):

* SQLite ``database is locked`` / ``busy``: another process held the write lock for longer
  than the busy timeout (the engine waits 60 s before SQLite even reports it);
* PostgreSQL: the connection broke or could not be made (server restarted or shutting down,
  ``cannot connect now`` while it starts, network), or the server rolled the transaction
  back (serialization failure, deadlock).

Every retried action is one whole transaction that either committed or did not, so running it
again stores nothing twice: the store's writes skip what is already there by content hash.
After ``db_retry_seconds`` (``QUOTETRACE_DB_RETRY_SECONDS``, default 30) the failure becomes a
``StoreUnavailableError``: one line naming the database and the problem, never a traceback.
"""

from __future__ import annotations

import random
import sqlite3
import time
from collections.abc import Callable
from typing import TypeVar

import sqlalchemy as sa

from ..errors import StoreUnavailableError
from ..settings import get_setting

__all__ = ["database_name", "is_transient", "retrying", "unavailable"]

T = TypeVar("T")

_FIRST_PAUSE = 0.05
_LONGEST_PAUSE = 2.0
_SQLITE_BUSY = ("database is locked", "database is busy", "database table is locked")


def database_name(engine: sa.Engine) -> str:
    """The database as the user named it, without a password."""
    url = engine.url
    if url.get_backend_name() == "sqlite":
        return url.database or ":memory:"
    return url.set(drivername=url.get_backend_name()).render_as_string(hide_password=True)


def is_transient(exc: BaseException) -> bool:
    """Whether ``exc`` is a failure that waiting and retrying can cure (see the module doc)."""
    if not isinstance(exc, sa.exc.DBAPIError):
        return False
    if exc.connection_invalidated:
        return True
    orig = exc.orig
    if isinstance(orig, sqlite3.OperationalError):
        return any(marker in str(orig).lower() for marker in _SQLITE_BUSY)
    try:
        import psycopg
    except ImportError:  # pragma: no cover - psycopg is a dependency
        return False
    # psycopg raises OperationalError for connection failures, admin/crash shutdown (57P0x),
    # serialization failures and deadlocks (class 40): all gone once the server is back.
    return isinstance(orig, psycopg.OperationalError)


def _reason(exc: sa.exc.DBAPIError) -> str:
    """The driver's message on one line (psycopg's run over several)."""
    text = " ".join(str(exc.orig).split())
    return text[:300] or exc.__class__.__name__


def unavailable(engine: sa.Engine, exc: sa.exc.DBAPIError, waited: float) -> StoreUnavailableError:
    waited_text = f" (retried for {waited:.0f} s)" if waited >= 1 else ""
    return StoreUnavailableError(
        f"the database is unavailable{waited_text}: {_reason(exc)}",
        "check that the database server is running and reachable, then run the same command "
        "again: it resumes where it stopped",
        source=database_name(engine),
    )


def retrying(engine: sa.Engine, action: Callable[[], T], *, patience: float | None = None) -> T:
    """``action()``, run again while it fails transiently, for up to ``patience`` seconds."""
    limit = float(get_setting("db_retry_seconds")) if patience is None else patience
    began = time.monotonic()
    pause = _FIRST_PAUSE
    while True:
        try:
            return action()
        except sa.exc.DBAPIError as exc:
            waited = time.monotonic() - began
            if not is_transient(exc):
                raise
            if waited + pause > limit:
                raise unavailable(engine, exc, waited) from None
            time.sleep(pause * random.uniform(0.5, 1.0))
            pause = min(pause * 2, _LONGEST_PAUSE)
