"""Full-text search over statements, with the filters a researcher asks for.

``regime --speaker "Ali Khamenei" --since 2023-11 --until 2023-11`` is: statements whose
content matches *regime* (stemmed: "regimes", "regime's" too), said by the actor the store
knows as Ali Khamenei under any of his aliases, in articles published in November 2023.

The query language is the same on both backends: words (all must occur), ``"a phrase"``,
``OR`` between words, ``-word`` to exclude, ``word*`` for a prefix (SQLite only; PostgreSQL
ignores the star). SQLite answers from its FTS5 index, PostgreSQL from a GIN ``tsvector``
index; both rank by relevance and mark the matched words in a snippet.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa

from ..errors import StoreError
from .schema import actors, articles, statements

__all__ = [
    "DEFAULT_MARK",
    "StatementFilter",
    "fts5_query",
    "parse_date_bound",
    "search_statements",
    "statement_columns",
]

DEFAULT_MARK = ("«", "»")
_SNIPPET_WORDS = 24
_QUERY_TOKEN = re.compile(r'"([^"]*)"|(\S+)')
_WORD = re.compile(r"[\w'’\-]+\*?", re.UNICODE)


def parse_date_bound(value: str | dt.date | None, *, end: bool = False) -> dt.date | None:
    """``2023``, ``2023-11`` or ``2023-11-06`` as the first day (or, with ``end``, the last).

    >>> parse_date_bound("2023-11", end=True)
    datetime.date(2023, 11, 30)
    """
    if value is None or isinstance(value, dt.date):
        return value
    text = value.strip()
    try:
        if re.fullmatch(r"\d{4}", text):
            year = int(text)
            return dt.date(year, 12, 31) if end else dt.date(year, 1, 1)
        if re.fullmatch(r"\d{4}-\d{1,2}", text):
            year, month = (int(p) for p in text.split("-"))
            day = calendar.monthrange(year, month)[1] if end else 1
            return dt.date(year, month, day)
        return dt.date.fromisoformat(text[:10])
    except ValueError:
        raise StoreError(
            f"{value!r} is not a date", "write YYYY, YYYY-MM or YYYY-MM-DD, e.g. 2023-11"
        ) from None


def fts5_query(query: str) -> str:
    """The user's query as an FTS5 expression in which every term is quoted.

    Quoting keeps punctuation in news text (``Iraq's``, ``al-Sudani``) from being read as FTS5
    syntax, so no query can raise a syntax error.

    >>> fts5_query('regime -Israel "direct involvement" US OR Iraq')
    '"regime" "direct involvement" "US" OR "Iraq" NOT "Israel"'
    """
    parts: list[str] = []
    excluded: list[str] = []
    for phrase, bare in _QUERY_TOKEN.findall(query):
        if phrase:
            words = _WORD.findall(phrase)
            if words:
                parts.append('"' + " ".join(w.rstrip("*") for w in words) + '"')
            continue
        if bare == "OR":
            if parts and parts[-1] != "OR":
                parts.append("OR")
            continue
        negate = bare.startswith("-")
        for word in _WORD.findall(bare.lstrip("-")):
            prefix = word.endswith("*")
            word = word.rstrip("*").strip("-'’")
            if not word:
                continue
            term = f'"{word}"' + (" *" if prefix else "")
            (excluded if negate else parts).append(term)
    while parts and parts[-1] == "OR":
        parts.pop()
    while parts and parts[0] == "OR":
        parts.pop(0)
    if not parts:
        if excluded:
            raise StoreError(
                "a search needs at least one word that is not excluded",
                "add a word to look for, e.g. regime -Israel",
            )
        return ""
    expression = " ".join(parts)
    if excluded:
        expression += "".join(f" NOT {term}" for term in excluded)
    return expression


@dataclass(frozen=True)
class StatementFilter:
    """Which statements a search or listing covers. ``speaker_ids`` come from the actor
    index (see ``Store.resolve_speaker``); ``speaker`` alone matches the raw speaker name."""

    speaker_ids: tuple[int, ...] | None = None
    speaker: str | None = None
    outlet: str | None = None
    since: dt.date | None = None
    until: dt.date | None = None
    kind: str | None = None
    article_id: int | None = None
    story_id: str | None = None
    current_only: bool = True

    def clauses(self) -> list[sa.ColumnElement[bool]]:
        out: list[sa.ColumnElement[bool]] = []
        if self.current_only:
            out.append(articles.c.is_current.is_(True))
        if self.speaker_ids is not None or self.speaker is not None:
            by_name = (
                sa.func.lower(statements.c.speaker) == self.speaker.casefold()
                if self.speaker
                else sa.false()
            )
            if self.speaker_ids:
                out.append(sa.or_(statements.c.actor_id.in_(self.speaker_ids), by_name))
            else:
                out.append(by_name)
        if self.outlet is not None:
            out.append(sa.func.lower(articles.c.outlet) == self.outlet.casefold())
        if self.since is not None:
            out.append(articles.c.published >= self.since)
        if self.until is not None:
            out.append(articles.c.published <= self.until)
        if self.kind is not None:
            if self.kind not in ("direct", "indirect", "mixed"):
                raise StoreError(f"unknown kind {self.kind!r}", "use direct, indirect or mixed")
            out.append(statements.c.kind == self.kind)
        if self.article_id is not None:
            out.append(statements.c.article_id == self.article_id)
        if self.story_id is not None:
            out.append(statements.c.story_id == self.story_id)
        return out


def statement_columns() -> list[Any]:
    """The columns a ``StoredStatement`` is built from (statements ⋈ articles ⟕ actors)."""
    return [
        statements.c.id,
        statements.c.article_id,
        articles.c.doc_id,
        statements.c.ordinal,
        statements.c.kind,
        statements.c.content_start,
        statements.c.content_end,
        statements.c.source_start,
        statements.c.source_end,
        statements.c.cue_start,
        statements.c.cue_end,
        statements.c.content_text,
        statements.c.source_text,
        statements.c.cue_text,
        statements.c.speaker,
        statements.c.confidence,
        statements.c.doc_actor_id,
        statements.c.actor_id,
        actors.c.name.label("actor_name"),
        articles.c.outlet,
        articles.c.date,
        articles.c.published,
        articles.c.title,
        statements.c.story_id,
        statements.c.rule,
    ]


def _joined(base: Any) -> Any:
    return base.join(articles, articles.c.id == statements.c.article_id).outerjoin(
        actors, actors.c.id == statements.c.actor_id
    )


def search_statements(
    conn: sa.Connection,
    query: str,
    flt: StatementFilter,
    *,
    limit: int,
    offset: int,
    mark: tuple[str, str] = DEFAULT_MARK,
    count: bool = False,
) -> tuple[list[Any], int | None]:
    """Rows of ``statement_columns()`` + ``snippet`` + ``score``, best first; and the total."""
    dialect = conn.dialect.name
    if not query.strip():
        return _listing(conn, flt, limit=limit, offset=offset, count=count)
    # Parsed on both backends, so both refuse (or accept) the same queries.
    expression = fts5_query(query)
    if not expression:
        return _listing(conn, flt, limit=limit, offset=offset, count=count)
    if dialect == "sqlite":
        return _search_sqlite(conn, expression, flt, limit, offset, mark, count)
    return _search_postgres(conn, query.replace("*", " "), flt, limit, offset, mark, count)


def _listing(
    conn: sa.Connection, flt: StatementFilter, *, limit: int, offset: int, count: bool
) -> tuple[list[Any], int | None]:
    clauses = flt.clauses()
    stmt = (
        sa.select(
            *statement_columns(),
            sa.func.substr(statements.c.content_text, 1, 240).label("snippet"),
            sa.null().label("score"),
        )
        .select_from(_joined(statements))
        .where(*clauses)
        .order_by(articles.c.published.desc(), statements.c.id)
        .limit(limit)
        .offset(offset)
    )
    rows = list(conn.execute(stmt))
    total = None
    if count:
        total = conn.execute(
            sa.select(sa.func.count())
            .select_from(statements.join(articles, articles.c.id == statements.c.article_id))
            .where(*clauses)
        ).scalar_one()
    return rows, total


def _search_sqlite(
    conn: sa.Connection,
    expression: str,
    flt: StatementFilter,
    limit: int,
    offset: int,
    mark: tuple[str, str],
    count: bool,
) -> tuple[list[Any], int | None]:
    fts = sa.table("statements_fts", sa.column("rowid"))
    fts_ref: sa.ColumnElement[Any] = sa.literal_column("statements_fts")
    match = fts_ref.op("MATCH")(sa.bindparam("q", expression))
    clauses = [match, *flt.clauses()]
    base = fts.join(statements, statements.c.id == fts.c.rowid)
    # bm25() is lower-is-better; negated, every backend's score is higher-is-better.
    score = (-sa.func.bm25(fts_ref)).label("score")
    stmt = (
        sa.select(
            *statement_columns(),
            sa.func.snippet(fts_ref, 0, mark[0], mark[1], "…", _SNIPPET_WORDS).label("snippet"),
            score,
        )
        .select_from(_joined(base))
        .where(*clauses)
        .order_by(score.desc(), statements.c.id)
        .limit(limit)
        .offset(offset)
    )
    rows = list(conn.execute(stmt))
    total = None
    if count:
        total = conn.execute(
            sa.select(sa.func.count())
            .select_from(base.join(articles, articles.c.id == statements.c.article_id))
            .where(*clauses)
        ).scalar_one()
    return rows, total


def _search_postgres(
    conn: sa.Connection,
    query: str,
    flt: StatementFilter,
    limit: int,
    offset: int,
    mark: tuple[str, str],
    count: bool,
) -> tuple[list[Any], int | None]:
    config: sa.ColumnElement[Any] = sa.literal_column("'english'::regconfig")
    tsquery = sa.func.websearch_to_tsquery(config, sa.bindparam("q", query))
    tsv: sa.ColumnElement[Any] = sa.literal_column("statements.content_tsv")
    clauses = [tsv.op("@@")(tsquery), *flt.clauses()]
    joined = statements.join(articles, articles.c.id == statements.c.article_id)
    ranked = (
        sa.select(statements.c.id.label("sid"), sa.func.ts_rank(tsv, tsquery).label("score"))
        .select_from(joined)
        .where(*clauses)
        .order_by(sa.desc("score"), statements.c.id)
        .limit(limit)
        .offset(offset)
        .subquery("ranked")
    )
    # ts_headline re-parses the text, so it runs on the page of hits only.
    options = (
        f'StartSel="{mark[0]}", StopSel="{mark[1]}", MaxWords={_SNIPPET_WORDS + 11}, MinWords=12'
    )
    headline = sa.func.ts_headline(config, statements.c.content_text, tsquery, options)
    stmt = (
        sa.select(*statement_columns(), headline.label("snippet"), ranked.c.score)
        .select_from(_joined(statements.join(ranked, ranked.c.sid == statements.c.id)))
        .order_by(ranked.c.score.desc(), statements.c.id)
    )
    rows = list(conn.execute(stmt))
    total = None
    if count:
        total = conn.execute(
            sa.select(sa.func.count()).select_from(joined).where(*clauses)
        ).scalar_one()
    return rows, total
