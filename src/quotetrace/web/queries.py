"""Read-only queries the web pages need and the store's Python API does not offer.

Everything here is SQLAlchemy Core against ``quotetrace.store.schema`` with bound parameters,
never SQL built from strings, and it only reads: the listings with totals a paginated API
needs, the per-day counts behind the actor timeline, an outlet's most quoted speakers and the
list of stories. Articles, statements, search and actors themselves come from ``Store``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa

from ..store import Store
from ..store.schema import actors, articles, statements
from ..store.search import parse_date_bound

__all__ = [
    "ArticleListing",
    "DailyCount",
    "SpeakerCount",
    "StoryListing",
    "actor_daily_counts",
    "article_listing",
    "outlet_top_speakers",
    "story_listing",
]


@dataclass(frozen=True)
class ArticleListing:
    """One current article as a list shows it: no text, with its number of statements."""

    id: int
    doc_id: str
    title: str | None
    outlet: str | None
    date: str | None
    published: dt.date | None
    story_id: str | None
    statements: int

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "doc_id": self.doc_id,
            "title": self.title,
            "outlet": self.outlet,
            "date": self.date,
            "published": self.published.isoformat() if self.published else None,
            "story_id": self.story_id,
            "statements": self.statements,
        }


@dataclass(frozen=True)
class StoryListing:
    story_id: str
    title: str | None
    first_date: dt.date | None
    articles: int
    outlets: tuple[str, ...]

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.story_id,
            "title": self.title,
            "first_date": self.first_date.isoformat() if self.first_date else None,
            "articles": self.articles,
            "outlets": list(self.outlets),
        }


@dataclass(frozen=True)
class SpeakerCount:
    actor_id: int | None
    name: str
    statements: int


@dataclass(frozen=True)
class DailyCount:
    day: dt.date
    outlet: str
    statements: int


_OPENING_CHARS = 200


def _opening_words(text: str, words: int = 14) -> str | None:
    """A title for a story whose articles have none: the first words of its first report."""
    parts = text.split()
    if not parts:
        return None
    return " ".join(parts[:words]) + (" …" if len(parts) > words else "")


def _statement_count() -> sa.ScalarSelect[Any]:
    return (
        sa.select(sa.func.count())
        .where(statements.c.article_id == articles.c.id)
        .correlate(articles)
        .scalar_subquery()
    )


def article_listing(
    store: Store,
    *,
    query: str | None = None,
    outlet: str | None = None,
    since: str | None = None,
    until: str | None = None,
    limit: int = 20,
    offset: int = 0,
) -> tuple[list[ArticleListing], int]:
    """Current articles newest first, with ``query`` matched in the title or text; and the total.

    ``query`` is a plain substring (``contains(..., autoescape=True)`` escapes ``%`` and ``_``),
    so a title search cannot be turned into a pattern, let alone into SQL.
    """
    clauses: list[sa.ColumnElement[bool]] = [articles.c.is_current.is_(True)]
    if query:
        needle = query.casefold()
        clauses.append(
            sa.or_(
                sa.func.lower(articles.c.title).contains(needle, autoescape=True),
                sa.func.lower(articles.c.text).contains(needle, autoescape=True),
            )
        )
    if outlet is not None:
        clauses.append(sa.func.lower(articles.c.outlet) == outlet.casefold())
    if (lo := parse_date_bound(since)) is not None:
        clauses.append(articles.c.published >= lo)
    if (hi := parse_date_bound(until, end=True)) is not None:
        clauses.append(articles.c.published <= hi)
    stmt = (
        sa.select(
            articles.c.id,
            articles.c.doc_id,
            articles.c.title,
            articles.c.outlet,
            articles.c.date,
            articles.c.published,
            articles.c.story_id,
            _statement_count().label("statements"),
        )
        .where(*clauses)
        .order_by(articles.c.published.desc(), articles.c.id.desc())
        .limit(limit)
        .offset(offset)
    )
    total_stmt = sa.select(sa.func.count()).select_from(articles).where(*clauses)
    with store.engine.connect() as conn:
        rows = [ArticleListing(*row) for row in conn.execute(stmt)]
        total = int(conn.execute(total_stmt).scalar_one())
    return rows, total


def story_listing(
    store: Store, *, limit: int = 50, offset: int = 0
) -> tuple[list[StoryListing], int]:
    """Stories with their current articles, the largest and then the newest first."""
    current = articles.c.is_current.is_(True)
    has_story = articles.c.story_id.is_not(None)
    grouped = (
        sa.select(
            articles.c.story_id,
            sa.func.count().label("n"),
            sa.func.min(articles.c.published).label("first"),
        )
        .where(current, has_story)
        .group_by(articles.c.story_id)
        .order_by(sa.desc("n"), sa.desc("first"), articles.c.story_id)
        .limit(limit)
        .offset(offset)
    )
    total_stmt = sa.select(sa.func.count(sa.distinct(articles.c.story_id))).where(
        current, has_story
    )
    with store.engine.connect() as conn:
        groups = conn.execute(grouped).all()
        total = int(conn.execute(total_stmt).scalar_one())
        ids = [g[0] for g in groups]
        members: dict[str, list[tuple[str | None, str | None]]] = {i: [] for i in ids}
        openings: dict[str, str] = {}
        if ids:
            opening = sa.func.substr(articles.c.text, 1, _OPENING_CHARS)
            for story_id, outlet, title, text in conn.execute(
                sa.select(articles.c.story_id, articles.c.outlet, articles.c.title, opening)
                .where(current, articles.c.story_id.in_(ids))
                .order_by(articles.c.published, articles.c.id)
            ):
                members[story_id].append((outlet, title))
                openings.setdefault(story_id, text or "")
    out = []
    for story_id, n, first in groups:
        parts = members[story_id]
        outlets = tuple(dict.fromkeys(o for o, _ in parts if o))
        title = next((t for _, t in parts if t), None) or _opening_words(openings[story_id])
        out.append(StoryListing(story_id, title, first, int(n), outlets))
    return out, total


def outlet_top_speakers(store: Store, outlet: str, *, limit: int = 10) -> list[SpeakerCount]:
    """Whom an outlet quoted most: statements per actor (or raw speaker name) in its articles."""
    name = sa.func.coalesce(actors.c.name, statements.c.speaker)
    stmt = (
        sa.select(statements.c.actor_id, name.label("name"), sa.func.count().label("n"))
        .select_from(
            statements.join(articles, articles.c.id == statements.c.article_id).outerjoin(
                actors, actors.c.id == statements.c.actor_id
            )
        )
        .where(
            articles.c.is_current.is_(True),
            sa.func.lower(articles.c.outlet) == outlet.casefold(),
            name.is_not(None),
        )
        .group_by(statements.c.actor_id, name)
        .order_by(sa.desc("n"), name)
        .limit(limit)
    )
    with store.engine.connect() as conn:
        return [SpeakerCount(a, str(n), int(c)) for a, n, c in conn.execute(stmt)]


def actor_daily_counts(store: Store, actor_id: int) -> list[DailyCount]:
    """Statements by one actor per publication day and outlet (undated articles left out)."""
    outlet = sa.func.coalesce(articles.c.outlet, "")
    stmt = (
        sa.select(articles.c.published, outlet.label("outlet"), sa.func.count())
        .select_from(statements.join(articles, articles.c.id == statements.c.article_id))
        .where(
            articles.c.is_current.is_(True),
            statements.c.actor_id == actor_id,
            articles.c.published.is_not(None),
        )
        .group_by(articles.c.published, outlet)
        .order_by(articles.c.published, outlet)
    )
    with store.engine.connect() as conn:
        return [DailyCount(d, o, int(n)) for d, o, n in conn.execute(stmt)]
