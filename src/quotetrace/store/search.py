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
from typing import Any, Literal

import sqlalchemy as sa

from ..errors import StoreError
from .schema import actors, articles, statements

__all__ = [
    "COUNT_CAP",
    "DEFAULT_MARK",
    "RANKED_CANDIDATES",
    "Found",
    "SearchOrder",
    "StatementFilter",
    "Total",
    "fts5_query",
    "parse_date_bound",
    "search_statements",
    "statement_columns",
]

SearchOrder = Literal["relevance", "newest"]
DEFAULT_MARK = ("«", "»")
# Relevance is ranked among this many newest matches (see `search_statements`).
RANKED_CANDIDATES = 2000
# Totals above this are reported as "at least".
COUNT_CAP = 10_000
_PG_CONFIG: sa.ColumnElement[Any] = sa.literal_column("'english'::regconfig")
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
    min_speaker_confidence: float | None = None  # statements whose speaker is this sure

    def narrows(self) -> bool:
        """Whether anything besides the text narrows the statements."""
        return any(
            v is not None
            for v in (
                self.speaker_ids,
                self.speaker,
                self.outlet,
                self.since,
                self.until,
                self.kind,
                self.article_id,
                self.story_id,
                self.min_speaker_confidence,
            )
        )

    def speaker_clause(self) -> sa.ColumnElement[bool] | None:
        if self.speaker_ids is None and self.speaker is None:
            return None
        by_name = (
            sa.func.lower(statements.c.speaker) == self.speaker.casefold()
            if self.speaker
            else sa.false()
        )
        if self.speaker_ids:
            return sa.or_(statements.c.actor_id.in_(self.speaker_ids), by_name)
        return by_name

    def clauses(self) -> list[sa.ColumnElement[bool]]:
        out: list[sa.ColumnElement[bool]] = []
        if self.current_only:
            out.append(articles.c.is_current.is_(True))
        speaker = self.speaker_clause()
        if speaker is not None:
            out.append(speaker)
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
        if self.min_speaker_confidence is not None:
            out.append(statements.c.speaker_confidence >= self.min_speaker_confidence)
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
        statements.c.speaker_confidence,
        statements.c.via,
    ]


def _joined(base: Any) -> Any:
    return base.join(articles, articles.c.id == statements.c.article_id).outerjoin(
        actors, actors.c.id == statements.c.actor_id
    )


@dataclass(frozen=True)
class Found:
    """One result row: the statement's columns, its snippet and its score (None: no query)."""

    row: Any
    snippet: str
    score: float | None


@dataclass(frozen=True)
class Total:
    """How many statements match; ``exact`` is False when counting stopped at the cap."""

    count: int
    exact: bool


def search_statements(
    conn: sa.Connection,
    query: str,
    flt: StatementFilter,
    *,
    limit: int,
    offset: int,
    mark: tuple[str, str] = DEFAULT_MARK,
    count: bool = False,
    order: SearchOrder | None = None,
    candidates: int = RANKED_CANDIDATES,
    count_cap: int = COUNT_CAP,
) -> tuple[list[Found], Total | None]:
    """The page of statements matching ``query`` and ``flt``, and the total.

    ``order="relevance"`` ranks by BM25 (SQLite) or ``ts_rank`` (PostgreSQL) among the newest
    ``candidates`` matches, which is exact for every query with fewer matches and bounded in
    cost for a word found in half the store. ``order="newest"`` gives the newest ingested
    matches first and stops as soon as the page is full. The default is relevance for a bare
    text query and newest first once filters narrow it ("everything X said in November"):
    the filters then define the set, and finding the newest of it is what stays fast for a
    frequent word and a rare speaker. Counting stops at ``count_cap``.
    """
    # Parsed on both backends, so both refuse (or accept) the same queries.
    expression = fts5_query(query) if query.strip() else ""
    matches: Any = None
    match: Any = None
    bounds: tuple[int, int] | None = None
    if expression:
        chosen = order or ("newest" if flt.narrows() else "relevance")
        if chosen not in ("relevance", "newest"):
            raise StoreError(f"unknown order {chosen!r}", "use relevance or newest")
        window = offset + limit if chosen == "newest" else max(candidates, offset + limit)
        if conn.dialect.name == "sqlite":
            matches, match = _sqlite_match(expression)
        else:
            matches, match = _postgres_match(query.replace("*", " "))
        bounds = _sqlite_id_bounds(conn, flt)
        if bounds == (0, -1):
            empty = Total(0, True) if count else None
            return [], empty
        ranked_ids = _ranked(
            conn, matches, match, flt, bounds, window, limit, offset, by_score=chosen == "relevance"
        )
    else:
        ranked_ids = _listed(conn, flt, limit, offset)
    found = _rows_for(conn, ranked_ids, expression, query, mark)
    total = _count(conn, matches, match, flt, bounds, count_cap) if count else None
    return found, total


def _sqlite_id_bounds(conn: sa.Connection, flt: StatementFilter) -> tuple[int, int] | None:
    """The statement id range a date filter can match, to prune the full-text scan.

    On SQLite one writer at a time stores a batch's articles and then their statements in
    article order, so statement ids grow with article ids: the statements of the articles in
    a date range lie between the first statement of the lowest such article and the last of
    the highest. The date filter itself is still applied; this only skips the rows around.
    ``(0, -1)`` means no article is in the range.
    """
    if conn.dialect.name != "sqlite" or (flt.since is None and flt.until is None):
        return None
    in_range = []
    if flt.since is not None:
        in_range.append(articles.c.published >= flt.since)
    if flt.until is not None:
        in_range.append(articles.c.published <= flt.until)
    low, high = conn.execute(
        sa.select(sa.func.min(articles.c.id), sa.func.max(articles.c.id)).where(*in_range)
    ).one()
    if low is None:
        return (0, -1)
    first = conn.execute(
        sa.select(statements.c.id)
        .where(statements.c.article_id >= low)
        .order_by(statements.c.article_id, statements.c.ordinal)
        .limit(1)
    ).scalar()
    last = conn.execute(
        sa.select(statements.c.id)
        .where(statements.c.article_id <= high)
        .order_by(statements.c.article_id.desc(), statements.c.ordinal.desc())
        .limit(1)
    ).scalar()
    if first is None or last is None or first > last:
        return (0, -1)
    return (int(first), int(last))


def _sqlite_match(expression: str) -> tuple[Any, Any]:
    fts: Any = sa.table("statements_fts", sa.column("rowid"))
    fts_ref: sa.ColumnElement[Any] = sa.literal_column("statements_fts")
    match = fts_ref.op("MATCH")(sa.bindparam("q", expression))
    # bm25() is lower-is-better; negated, every backend's score is higher-is-better.
    return (fts, fts.c.rowid, -sa.func.bm25(fts_ref)), match


def _postgres_match(query: str) -> tuple[Any, Any]:
    tsquery = sa.func.websearch_to_tsquery(_PG_CONFIG, sa.bindparam("q", query))
    tsv: sa.ColumnElement[Any] = sa.literal_column("statements.content_tsv")
    return (None, statements.c.id, sa.func.ts_rank(tsv, tsquery)), tsv.op("@@")(tsquery)


def _ranked(
    conn: sa.Connection,
    matches: Any,
    match: Any,
    flt: StatementFilter,
    bounds: tuple[int, int] | None,
    window: int,
    limit: int,
    offset: int,
    *,
    by_score: bool,
) -> list[tuple[int, float | None]]:
    fts, id_column, score = matches
    base, clauses = _matching(fts, id_column, match, flt, bounds)
    # On PostgreSQL "ORDER BY id DESC LIMIT n" tempts the planner into walking the primary key
    # backwards and testing every row against the query (a million rows for a rare word);
    # ordering by id + 0 makes it take the GIN index and sort the matches instead.
    order_key = id_column if fts is not None else id_column + 0
    newest = (
        sa.select(id_column.label("sid"), score.label("score"))
        .select_from(base.join(articles, articles.c.id == statements.c.article_id))
        .where(*clauses)
        .order_by(order_key.desc())
        .limit(window)
        .subquery("newest")
    )
    ordering = (newest.c.score.desc(), newest.c.sid.desc()) if by_score else (newest.c.sid.desc(),)
    page = sa.select(newest.c.sid, newest.c.score).order_by(*ordering).limit(limit).offset(offset)
    return [(int(sid), float(score)) for sid, score in conn.execute(page)]


def _matching(
    fts: Any, id_column: Any, match: Any, flt: StatementFilter, bounds: tuple[int, int] | None
) -> tuple[Any, list[Any]]:
    """The FROM and WHERE of a full-text search with filters, cheapest checks first."""
    base = statements if fts is None else fts.join(statements, statements.c.id == fts.c.rowid)
    clauses = [match, *flt.clauses()]
    if bounds is not None:
        clauses.append(id_column.between(*bounds))
    speaker = flt.speaker_clause()
    if fts is not None and speaker is not None:
        # The speaker's statements (a few thousand, from the actor index) become an in-memory
        # set that each full-text hit is checked against before any row is read: ten times
        # less work for a frequent word said by a rare speaker. The unary + keeps SQLite
        # from turning the plan round into one full-text lookup per statement.
        speakers_rows = sa.select(statements.c.id).where(speaker)
        clauses.append(sa.literal_column("+statements_fts.rowid").in_(speakers_rows))
    return base, clauses


def _listed(
    conn: sa.Connection, flt: StatementFilter, limit: int, offset: int
) -> list[tuple[int, float | None]]:
    stmt = (
        sa.select(statements.c.id)
        .select_from(statements.join(articles, articles.c.id == statements.c.article_id))
        .where(*flt.clauses())
        .order_by(articles.c.published.desc(), statements.c.id)
        .limit(limit)
        .offset(offset)
    )
    return [(int(sid), None) for sid in conn.execute(stmt).scalars()]


def _rows_for(
    conn: sa.Connection,
    ranked: list[tuple[int, float | None]],
    expression: str,
    query: str,
    mark: tuple[str, str],
) -> list[Found]:
    """The page's rows, with snippets made for these rows only."""
    if not ranked:
        return []
    ids = [sid for sid, _ in ranked]
    rows = {
        r.id: r
        for r in conn.execute(
            sa.select(*statement_columns())
            .select_from(_joined(statements))
            .where(statements.c.id.in_(ids))
        )
    }
    snippets: dict[int, str] = {}
    if expression and conn.dialect.name == "sqlite":
        fts_ref: sa.ColumnElement[Any] = sa.literal_column("statements_fts")
        fts: Any = sa.table("statements_fts", sa.column("rowid"))
        snippet = sa.func.snippet(fts_ref, 0, mark[0], mark[1], "…", _SNIPPET_WORDS)
        snippets = {
            int(rowid): str(text)
            for rowid, text in conn.execute(
                sa.select(fts.c.rowid, snippet).where(
                    fts_ref.op("MATCH")(sa.bindparam("q", expression)), fts.c.rowid.in_(ids)
                )
            )
        }
    elif expression:
        options = (
            f'StartSel="{mark[0]}", StopSel="{mark[1]}", '
            f"MaxWords={_SNIPPET_WORDS + 11}, MinWords=12"
        )
        tsquery = sa.func.websearch_to_tsquery(
            _PG_CONFIG, sa.bindparam("q", query.replace("*", " "))
        )
        headline = sa.func.ts_headline(_PG_CONFIG, statements.c.content_text, tsquery, options)
        snippets = {
            int(sid): str(text)
            for sid, text in conn.execute(
                sa.select(statements.c.id, headline).where(statements.c.id.in_(ids))
            )
        }
    return [
        Found(rows[sid], snippets.get(sid) or _plain_snippet(rows[sid].content_text), score)
        for sid, score in ranked
        if sid in rows
    ]


def _plain_snippet(text: str, chars: int = 240) -> str:
    return text if len(text) <= chars else text[: chars - 1] + "…"


def _count(
    conn: sa.Connection,
    matches: Any,
    match: Any,
    flt: StatementFilter,
    bounds: tuple[int, int] | None,
    cap: int,
) -> Total:
    if match is not None:
        base, clauses = _matching(matches[0], matches[1], match, flt, bounds)
    else:
        base, clauses = statements, flt.clauses()
    capped = (
        sa.select(sa.literal(1).label("one"))
        .select_from(base.join(articles, articles.c.id == statements.c.article_id))
        .where(*clauses)
        .limit(cap + 1)
        .subquery("capped")
    )
    n = int(conn.execute(sa.select(sa.func.count()).select_from(capped)).scalar_one())
    return Total(min(n, cap), n <= cap)
