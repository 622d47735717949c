"""The store's notebook filters: statements by full text, actors by where and when quoted.

``Store.statements(q=...)`` and ``Store.actors(outlet=..., since=..., ...)`` call these; they
build on the same ``StatementFilter`` the search and the listings use, so "statements by X in
outlet Y in March" means the same rows in a DataFrame, the CLI and the API.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from .records import ActorSummary, StoredStatement
from .row_records import statement_from_row
from .schema import actor_aliases, actors, articles, mentions, statements
from .search import StatementFilter, search_statements

__all__ = ["ACTOR_COLUMNS", "STATEMENT_COLUMNS", "filtered_actors", "statements_matching"]

# The columns of an empty result, as ``to_json`` names them.
STATEMENT_COLUMNS = (
    "id",
    "article_id",
    "doc_id",
    "ordinal",
    "kind",
    "content",
    "source",
    "cue",
    "content_text",
    "source_text",
    "cue_text",
    "speaker",
    "confidence",
    "actor_id",
    "actor",
    "outlet",
    "date",
    "published",
    "title",
    "story_id",
    "rule",
    "speaker_confidence",
    "via",
)
ACTOR_COLUMNS = ("id", "name", "label", "aliases", "statements", "mentions")
# A text query without a limit asks for every match; the search needs a number.
_EVERY_MATCH = 1_000_000_000


def statements_matching(
    conn: sa.Connection, q: str, flt: StatementFilter, *, limit: int | None, offset: int
) -> list[StoredStatement]:
    """Statements whose text matches ``q`` (the search's query syntax) and ``flt``.

    With ``limit``, the newest matching statements; returned in article order, as
    ``Store.statements`` returns everything.
    """
    found, _ = search_statements(
        conn, q, flt, limit=limit or _EVERY_MATCH, offset=offset, order="newest"
    )
    rows = [statement_from_row(f.row) for f in found]
    return sorted(rows, key=lambda s: (s.article_id, s.ordinal))


def filtered_actors(
    conn: sa.Connection,
    flt: StatementFilter,
    query: str | None,
    name_match: Any,
    *,
    limit: int | None,
    offset: int,
) -> list[ActorSummary]:
    """Actors quoted in the statements ``flt`` covers, most quoted there first.

    ``statements`` counts only those statements; ``aliases`` and ``mentions`` are the actor's
    totals. ``name_match`` is the clause ``Store.actors`` builds for ``query``.
    """
    quoted = (
        sa.select(statements.c.actor_id, sa.func.count().label("n"))
        .select_from(statements.join(articles, articles.c.id == statements.c.article_id))
        .where(statements.c.actor_id.is_not(None), *flt.clauses())
        .group_by(statements.c.actor_id)
        .subquery()
    )
    n_mentions = (
        sa.select(sa.func.count()).where(mentions.c.actor_id == actors.c.id).scalar_subquery()
    )
    n_aliases = (
        sa.select(sa.func.count()).where(actor_aliases.c.actor_id == actors.c.id).scalar_subquery()
    )
    stmt = (
        sa.select(
            actors.c.id,
            actors.c.name,
            actors.c.label,
            n_aliases.label("aliases"),
            quoted.c.n.label("statements"),
            n_mentions.label("mentions"),
        )
        .select_from(actors.join(quoted, quoted.c.actor_id == actors.c.id))
        .order_by(sa.desc("statements"), sa.desc("mentions"), actors.c.id)
        .offset(offset)
    )
    if query:
        stmt = stmt.where(name_match)
    if limit is not None:
        stmt = stmt.limit(limit)
    return [ActorSummary(*row) for row in conn.execute(stmt)]
