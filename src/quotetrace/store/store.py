"""The store: articles, statements, mentions and actors in SQLite or PostgreSQL.

A library first; the CLI, the stories stage and the JSON API are thin layers over it::

    from quotetrace.store import Store

    with Store.open("news.db") as store:            # or "postgresql://user@host/db"
        store.add_processed(processed_articles)      # one transaction, idempotent
        page = store.search("regime", speaker="Ali Khamenei", since="2023-11", until="2023-11")
        for hit in page.hits:
            print(hit.statement.outlet, hit.snippet)

Articles are keyed by a hash of everything the input said about them (``article_hash``):
adding the same article twice adds nothing, and a changed article with a known ``doc_id``
becomes its next version (the older one stays, no longer ``is_current``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa

from ..errors import StoreError
from ..models import Actor, ProcessedArticle
from ..settings import get_setting
from ..tables import RecordList
from .actor_names import link_key, normalise_mention, normalise_text
from .actor_stories import link_surnames_in_stories
from .actors import ActorIndex, ArticleContext, merge_actors, split_actor
from .admission import article_hash, check_processed
from .engine import WRITE_OPTION, create_store_engine
from .faults import is_transient, retrying, unavailable
from .migrations import LATEST_VERSION, current_version, migrate
from .notebook_queries import (
    ACTOR_COLUMNS,
    STATEMENT_COLUMNS,
    filtered_actors,
    statements_matching,
)
from .records import (
    ActorAlias,
    ActorDetail,
    ActorSummary,
    AddResult,
    OutletSummary,
    SearchHit,
    SearchPage,
    StoredArticle,
    StoredProcessed,
    StoredStatement,
)
from .row_records import article_from_row, rebuild_processed, statement_from_row
from .schema import actor_aliases, actors, article_actors, articles, mentions, statements
from .search import (
    DEFAULT_MARK,
    SearchOrder,
    StatementFilter,
    parse_date_bound,
    search_statements,
    statement_columns,
)

__all__ = ["Store"]

_IN_CHUNK = 500  # ids per IN (...) list: well under every backend's parameter limit


def _published(date: str | None) -> dt.date | None:
    if not date:
        return None
    try:
        return dt.date.fromisoformat(date.strip()[:10])
    except ValueError:
        return None


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _chunks(items: Sequence[Any], size: int = _IN_CHUNK) -> Iterator[Sequence[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


class Store:
    """One open store. Thread-compatible (one writer at a time), cheap to open."""

    def __init__(self, engine: sa.Engine) -> None:
        self.engine = engine
        self._index: ActorIndex | None = None

    # -- opening ---------------------------------------------------------------------------

    @classmethod
    def open(cls, url: str | None = None, *, upgrade: bool = True) -> Store:
        """Open (and create or upgrade, unless ``upgrade=False``) the store at ``url``
        (default: the ``db`` setting, ``QUOTETRACE_DB``, else ``quotetrace.db``)."""
        engine = create_store_engine(url if url is not None else str(get_setting("db")))
        try:
            if upgrade:
                migrate(engine)
            else:
                with engine.connect() as conn:
                    have = current_version(conn)
                if have != LATEST_VERSION:
                    raise StoreError(
                        f"the store is at schema version {have}, not {LATEST_VERSION}",
                        "open it once with upgrade=True (any quotetrace store command does)",
                    )
        except sa.exc.OperationalError as exc:
            engine.dispose()
            if is_transient(exc):
                raise unavailable(engine, exc, 0) from None
            raise StoreError(
                f"cannot open the database ({exc.orig})",
                "check --db: the path must be writable, the PostgreSQL server running",
            ) from None
        except sa.exc.DatabaseError as exc:
            engine.dispose()
            raise StoreError(
                f"the database refused ({exc.orig})", "check that --db is a quotetrace store"
            ) from None
        return cls(engine)

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    def schema_version(self) -> int:
        with self.engine.connect() as conn:
            return current_version(conn)

    @contextmanager
    def _read(self) -> Iterator[sa.Connection]:
        try:
            with self.engine.connect() as conn, conn.begin():
                yield conn
        except sa.exc.DBAPIError as exc:
            # A server gone mid-read: one clear line, not the driver's traceback.
            if is_transient(exc):
                raise unavailable(self.engine, exc, 0) from None
            raise

    @contextmanager
    def _write(self) -> Iterator[sa.Connection]:
        try:
            with self.engine.connect() as conn:
                conn.execution_options(**{WRITE_OPTION: True})
                with conn.begin():
                    yield conn
        except BaseException:
            self._index = None  # in-memory aliases may include what was rolled back
            raise

    # -- writing ---------------------------------------------------------------------------

    def known_hashes(self, hashes: Iterable[str]) -> set[str]:
        """Which of these content hashes are stored already."""
        wanted = list(dict.fromkeys(hashes))

        def look_up() -> set[str]:
            found: set[str] = set()
            with self.engine.connect() as conn, conn.begin():
                for chunk in _chunks(wanted):
                    found.update(
                        conn.execute(
                            sa.select(articles.c.content_hash).where(
                                articles.c.content_hash.in_(chunk)
                            )
                        ).scalars()
                    )
            return found

        return retrying(self.engine, look_up)

    def add_processed(self, items: Sequence[ProcessedArticle]) -> AddResult:
        """Store extracted articles in one transaction; already stored ones are skipped."""
        for item in items:
            check_processed(item)

        def add_once() -> AddResult:
            with self._write() as conn:
                return self._add(conn, items)

        for attempt in (1, 2):
            try:
                # A lost connection or a busy database rolls the batch back; it is redone
                # whole (see faults.py), and the hash check inside skips what did commit.
                return retrying(self.engine, add_once)
            except sa.exc.IntegrityError as exc:
                # Writers queue on a lock (engine.py), so this needs a writer that does not
                # take it (an older quotetrace) to have stored some of these articles between
                # our check and our insert. The retry sees their rows and skips them.
                if attempt == 2:
                    raise StoreError(
                        f"the store refused the batch twice ({exc.orig})",
                        "check that no other program writes inconsistent rows",
                    ) from None
            except sa.exc.OperationalError as exc:
                reason = " ".join(str(exc.orig).split())
                raise StoreError(
                    f"the database failed while storing ({reason})",
                    "check disk space and the database server; run the same command again "
                    "to resume",
                ) from None
        raise AssertionError("unreachable")  # pragma: no cover

    def _add(self, conn: sa.Connection, items: Sequence[ProcessedArticle]) -> AddResult:
        index = self._index
        if index is None or index.is_stale(conn):
            # Another process (a second ingest, `actors merge`) changed the aliases since
            # this index was read; linking against the old one would create its actors twice.
            index = ActorIndex.load(conn)
        self._index = index
        created_before = index.actors_created
        hashed = [(article_hash(p.article), p) for p in items]
        stored: set[str] = set()
        for chunk in _chunks([h for h, _ in hashed]):
            stored.update(
                conn.execute(
                    sa.select(articles.c.content_hash).where(articles.c.content_hash.in_(chunk))
                ).scalars()
            )
        fresh: list[tuple[str, ProcessedArticle]] = []
        for digest, item in hashed:
            if digest not in stored:
                stored.add(digest)  # the same article twice in one batch is stored once
                fresh.append((digest, item))
        skipped = len(items) - len(fresh)
        if not fresh:
            return AddResult(articles_skipped=skipped)
        doc_ids = list(dict.fromkeys(p.article.doc_id for _, p in fresh))
        latest: dict[str, int] = {}
        for chunk in _chunks(doc_ids):
            latest.update(
                conn.execute(
                    sa.select(articles.c.doc_id, sa.func.max(articles.c.version))
                    .where(articles.c.doc_id.in_(chunk))
                    .group_by(articles.c.doc_id)
                ).all()
            )
        new_versions = 0
        rows: list[dict[str, Any]] = []
        now = _now()
        last_row_of: dict[str, int] = {}
        for position, (digest, item) in enumerate(fresh):
            art = item.article
            version = latest.get(art.doc_id, 0) + 1
            if version > 1:
                new_versions += 1
            latest[art.doc_id] = version
            last_row_of[art.doc_id] = position
            rows.append(
                {
                    "doc_id": art.doc_id,
                    "version": version,
                    "content_hash": digest,
                    "is_current": True,
                    "date": art.date,
                    "published": _published(art.date),
                    "outlet": art.outlet,
                    "title": art.title,
                    "text": art.text,
                    "meta": art.meta,
                    "ingested_at": now,
                }
            )
        for position, row in enumerate(rows):
            row["is_current"] = last_row_of[row["doc_id"]] == position
        superseded = [d for d in doc_ids if latest[d] > 1]
        for chunk in _chunks(superseded):
            conn.execute(
                articles.update()
                .where(articles.c.doc_id.in_(chunk), articles.c.is_current.is_(True))
                .values(is_current=False)
            )
        article_ids = list(
            conn.execute(
                articles.insert().returning(articles.c.id, sort_by_parameter_order=True), rows
            ).scalars()
        )
        statement_rows: list[dict[str, Any]] = []
        doc_rows: list[dict[str, Any]] = []
        doc_owners: list[tuple[ProcessedArticle, Actor]] = []
        for article_id, (_, item) in zip(article_ids, fresh, strict=True):
            self._add_parts(conn, index, article_id, item, statement_rows, doc_rows, doc_owners)
        mention_rows: list[dict[str, Any]] = []
        if doc_rows:
            # One multi-row insert for the whole batch; its ids come back in row order.
            row_ids = conn.execute(
                article_actors.insert().returning(
                    article_actors.c.id, sort_by_parameter_order=True
                ),
                doc_rows,
            ).scalars()
            for row_id, row, (item, actor) in zip(row_ids, doc_rows, doc_owners, strict=True):
                mention_rows.extend(_mention_rows(row_id, row, item, actor))
        if mention_rows:
            conn.execute(mentions.insert(), mention_rows)
        if statement_rows:
            conn.execute(statements.insert(), statement_rows)
        index.flush(conn)
        return AddResult(
            articles_added=len(fresh),
            articles_skipped=skipped,
            new_versions=new_versions,
            statements_added=len(statement_rows),
            mentions_added=len(mention_rows),
            actors_created=index.actors_created - created_before,
        )

    def _add_parts(
        self,
        conn: sa.Connection,
        index: ActorIndex,
        article_id: int,
        item: ProcessedArticle,
        statement_rows: list[dict[str, Any]],
        doc_rows: list[dict[str, Any]],
        doc_owners: list[tuple[ProcessedArticle, Actor]],
    ) -> None:
        """Link the article's actors and collect its rows (written by ``_add`` in bulk)."""
        text = item.article.text
        links: dict[int, int | None] = {}
        context = ArticleContext()
        surfaces_of = {a.actor_id: [text[s:e] for s, e in a.mentions] for a in item.actors}
        # Full names first, so that the article's one-word names and acronyms can lean on
        # them whatever order the extractor listed its actors in.
        for actor in sorted(item.actors, key=lambda a: _bare_first_key(a, surfaces_of)):
            links[actor.actor_id] = index.link(
                conn, actor.name, actor.label, surfaces_of[actor.actor_id], context
            )
        for actor in item.actors:
            form = normalise_mention(actor.name, actor.label)
            doc_rows.append(
                {
                    "article_id": article_id,
                    "doc_actor_id": actor.actor_id,
                    "name": actor.name,
                    "norm": form.norm if form else normalise_text(actor.name),
                    "label": actor.label,
                    "actor_id": links[actor.actor_id],
                }
            )
            doc_owners.append((item, actor))
        by_speaker: dict[str, int | None] = {}
        for ordinal, att in enumerate(item.attributions):
            actor_id: int | None = None
            if att.actor_id is not None and att.actor_id in links:
                actor_id = links[att.actor_id]
            elif att.speaker:
                if att.speaker not in by_speaker:
                    source = [text[att.source[0] : att.source[1]]] if att.source else []
                    by_speaker[att.speaker] = index.link(
                        conn, att.speaker, "PERSON", source, context, doc_actor=False
                    )
                actor_id = by_speaker[att.speaker]
            statement_rows.append(
                {
                    "article_id": article_id,
                    "ordinal": ordinal,
                    "kind": att.kind,
                    "content_start": att.content[0],
                    "content_end": att.content[1],
                    "source_start": att.source[0] if att.source else None,
                    "source_end": att.source[1] if att.source else None,
                    "cue_start": att.cue[0] if att.cue else None,
                    "cue_end": att.cue[1] if att.cue else None,
                    "content_text": text[att.content[0] : att.content[1]],
                    "source_text": text[att.source[0] : att.source[1]] if att.source else None,
                    "cue_text": text[att.cue[0] : att.cue[1]] if att.cue else None,
                    "speaker": att.speaker,
                    "confidence": att.confidence,
                    "doc_actor_id": att.actor_id,
                    "actor_id": actor_id,
                    "rule": att.rule,
                    "speaker_confidence": att.speaker_confidence,
                    "via": att.via,
                }
            )

    def set_story_ids(
        self,
        *,
        articles_to_story: Mapping[int, str | None] | None = None,
        statements_to_story: Mapping[int, str | None] | None = None,
    ) -> None:
        """Write story ids (from the stories stage) onto articles and statements by db id.

        The stories written are then the context for one-word names (``actor_stories``).
        """

        def write() -> bool:
            with self._write() as conn:
                # The stories the moved articles leave are a new context too.
                stories = {v for v in (articles_to_story or {}).values() if v}
                for chunk in _chunks(sorted(articles_to_story or {})):
                    stories.update(
                        s
                        for s in conn.execute(
                            sa.select(articles.c.story_id).where(articles.c.id.in_(chunk))
                        ).scalars()
                        if s
                    )
                for table, mapping in (
                    (articles, articles_to_story or {}),
                    (statements, statements_to_story or {}),
                ):
                    if mapping:
                        conn.execute(
                            table.update()
                            .where(table.c.id == sa.bindparam("row_id"))
                            .values(story_id=sa.bindparam("story")),
                            [{"row_id": k, "story": v} for k, v in mapping.items()],
                        )
                return bool(stories and link_surnames_in_stories(conn, stories))

        if retrying(self.engine, write):
            self._index = None  # aliases and votes moved under it

    # -- reading ---------------------------------------------------------------------------

    def counts(self) -> dict[str, int]:
        """Rows per table, plus current (newest-version) articles."""
        out: dict[str, int] = {}
        with self._read() as conn:
            for table in (articles, statements, mentions, actors, actor_aliases, article_actors):
                out[table.name] = conn.execute(
                    sa.select(sa.func.count()).select_from(table)
                ).scalar_one()
            out["current_articles"] = conn.execute(
                sa.select(sa.func.count()).where(articles.c.is_current.is_(True))
            ).scalar_one()
        return out

    def article(self, article_id: int) -> StoredArticle | None:
        with self._read() as conn:
            row = conn.execute(sa.select(articles).where(articles.c.id == article_id)).first()
        return article_from_row(row) if row else None

    def article_by_doc_id(self, doc_id: str, version: int | None = None) -> StoredArticle | None:
        """The current version of ``doc_id``, or the given version."""
        cond = (
            articles.c.version == version
            if version is not None
            else articles.c.is_current.is_(True)
        )
        with self._read() as conn:
            row = conn.execute(sa.select(articles).where(articles.c.doc_id == doc_id, cond)).first()
        return article_from_row(row) if row else None

    def articles(
        self,
        *,
        outlet: str | None = None,
        since: str | dt.date | None = None,
        until: str | dt.date | None = None,
        story_id: str | None = None,
        current_only: bool = True,
        limit: int | None = None,
        offset: int = 0,
    ) -> list[StoredArticle]:
        """Articles in id order (ingest order), filtered like a search."""
        stmt = sa.select(articles).order_by(articles.c.id).offset(offset)
        if current_only:
            stmt = stmt.where(articles.c.is_current.is_(True))
        if outlet is not None:
            stmt = stmt.where(sa.func.lower(articles.c.outlet) == outlet.casefold())
        if (lo := parse_date_bound(since)) is not None:
            stmt = stmt.where(articles.c.published >= lo)
        if (hi := parse_date_bound(until, end=True)) is not None:
            stmt = stmt.where(articles.c.published <= hi)
        if story_id is not None:
            stmt = stmt.where(articles.c.story_id == story_id)
        if limit is not None:
            stmt = stmt.limit(limit)
        with self._read() as conn:
            return [article_from_row(r) for r in conn.execute(stmt)]

    def statements(
        self,
        *,
        speaker: str | None = None,
        actor_id: int | None = None,
        outlet: str | None = None,
        since: str | dt.date | None = None,
        until: str | dt.date | None = None,
        kind: str | None = None,
        article_id: int | None = None,
        story_id: str | None = None,
        current_only: bool = True,
        limit: int | None = None,
        offset: int = 0,
        min_speaker_confidence: float | None = None,
        q: str | None = None,
    ) -> RecordList[StoredStatement]:
        """Statements in article order, then in their order within the article.

        ``q`` keeps those whose text matches (the search's syntax; with ``limit``, the newest
        matches). The list also turns into a table: ``.to_pandas()``, ``.to_polars()``.
        """
        flt = self._filter(
            speaker, actor_id, outlet, since, until, kind, article_id, story_id, current_only
        )
        flt = replace(flt, min_speaker_confidence=min_speaker_confidence)
        if q is not None and q.strip():
            with self._read() as conn:
                found = statements_matching(conn, q, flt, limit=limit, offset=offset)
            return RecordList(found, STATEMENT_COLUMNS)
        stmt = (
            sa.select(*statement_columns())
            .select_from(
                statements.join(articles, articles.c.id == statements.c.article_id).outerjoin(
                    actors, actors.c.id == statements.c.actor_id
                )
            )
            .where(*flt.clauses())
            .order_by(statements.c.article_id, statements.c.ordinal)
            .offset(offset)
        )
        if limit is not None:
            stmt = stmt.limit(limit)
        with self._read() as conn:
            return RecordList(
                (statement_from_row(r) for r in conn.execute(stmt)), STATEMENT_COLUMNS
            )

    def iter_processed(
        self,
        *,
        current_only: bool = True,
        article_ids: Sequence[int] | None = None,
        chunk_size: int = 200,
    ) -> Iterator[StoredProcessed]:
        """Every stored article rebuilt as the ``ProcessedArticle`` that was stored, in id order.

        Reads in chunks (keyset on the article id), so a million statements stream in constant
        memory; each chunk is its own short read transaction.
        """
        if article_ids is not None:
            for chunk in _chunks(sorted(set(article_ids)), chunk_size):
                stmt = sa.select(articles).where(articles.c.id.in_(chunk)).order_by(articles.c.id)
                if current_only:
                    stmt = stmt.where(articles.c.is_current.is_(True))
                with self._read() as conn:
                    rows = conn.execute(stmt).all()
                    built = list(rebuild_processed(conn, [article_from_row(r) for r in rows]))
                yield from built  # outside the transaction: the caller may write meanwhile
            return
        after = 0
        while True:
            stmt = (sa.select(articles).where(articles.c.id > after).order_by(articles.c.id)).limit(
                chunk_size
            )
            if current_only:
                stmt = stmt.where(articles.c.is_current.is_(True))
            with self._read() as conn:
                rows = conn.execute(stmt).all()
                if not rows:
                    return
                built = list(rebuild_processed(conn, [article_from_row(r) for r in rows]))
            yield from built
            after = rows[-1].id

    def search(
        self,
        query: str = "",
        *,
        speaker: str | None = None,
        actor_id: int | None = None,
        outlet: str | None = None,
        since: str | dt.date | None = None,
        until: str | dt.date | None = None,
        kind: str | None = None,
        story_id: str | None = None,
        limit: int = 20,
        offset: int = 0,
        mark: tuple[str, str] = DEFAULT_MARK,
        count: bool = False,
        order: SearchOrder | None = None,
        min_speaker_confidence: float | None = None,
    ) -> SearchPage:
        """Statements matching ``query`` (full text) and the filters, most relevant first.

        An empty query lists the filtered statements, newest first. ``count`` adds the total
        number of matches (one more query; it stops counting at 10,000, see
        ``SearchPage.total_is_exact``). ``order``: ``"relevance"`` (ranked among the 2,000
        newest matches, exact for any query with fewer) or ``"newest"``; by default relevance
        for a bare text query, newest first once a filter narrows it (see
        ``search.search_statements``).
        """
        if limit < 1 or offset < 0:
            raise StoreError("limit must be >= 1 and offset >= 0", "e.g. limit=20, offset=40")
        flt = self._filter(speaker, actor_id, outlet, since, until, kind, None, story_id, True)
        flt = replace(flt, min_speaker_confidence=min_speaker_confidence)
        with self._read() as conn:
            found, total = search_statements(
                conn, query, flt, limit=limit, offset=offset, mark=mark, count=count, order=order
            )
        hits = [SearchHit(statement_from_row(f.row), f.snippet, f.score) for f in found]
        return SearchPage(
            hits=hits,
            limit=limit,
            offset=offset,
            total=total.count if total else None,
            total_is_exact=total.exact if total else True,
        )

    def _filter(
        self,
        speaker: str | None,
        actor_id: int | None,
        outlet: str | None,
        since: str | dt.date | None,
        until: str | dt.date | None,
        kind: str | None,
        article_id: int | None,
        story_id: str | None,
        current_only: bool,
    ) -> StatementFilter:
        speaker_ids: tuple[int, ...] | None = None
        if actor_id is not None:
            speaker_ids = (actor_id,)
        if speaker is not None:
            speaker_ids = (*(speaker_ids or ()), *self.resolve_speaker(speaker))
        return StatementFilter(
            speaker_ids=speaker_ids,
            speaker=speaker,
            outlet=outlet,
            since=parse_date_bound(since),
            until=parse_date_bound(until, end=True),
            kind=kind,
            article_id=article_id,
            story_id=story_id,
            current_only=current_only,
        )

    def resolve_speaker(self, name: str) -> tuple[int, ...]:
        """Actor ids a speaker name means: an id (``"12"``), a canonical name or any alias."""
        if name.strip().isdigit():
            return (int(name.strip()),)
        form = normalise_mention(name)
        norms = {normalise_text(name)} | ({form.norm} if form else set())
        with self._read() as conn:
            ids = set(
                conn.execute(
                    sa.select(actor_aliases.c.actor_id).where(actor_aliases.c.norm.in_(norms))
                ).scalars()
            )
            ids.update(
                conn.execute(
                    sa.select(actors.c.id).where(sa.func.lower(actors.c.name) == name.casefold())
                ).scalars()
            )
        return tuple(sorted(ids))

    def outlets(self) -> list[OutletSummary]:
        """Every outlet with its number of current articles and statements, biggest first."""
        per_article = (
            sa.select(articles.c.outlet, sa.func.count().label("n"))
            .where(articles.c.is_current.is_(True))
            .group_by(articles.c.outlet)
        )
        per_statement = (
            sa.select(articles.c.outlet, sa.func.count().label("n"))
            .select_from(statements.join(articles, articles.c.id == statements.c.article_id))
            .where(articles.c.is_current.is_(True))
            .group_by(articles.c.outlet)
        )
        with self._read() as conn:
            arts: dict[str | None, int] = dict(conn.execute(per_article).all())
            stats: dict[str | None, int] = dict(conn.execute(per_statement).all())
        out = [OutletSummary(o, n, stats.get(o, 0)) for o, n in arts.items()]
        return sorted(out, key=lambda s: (-s.articles, s.outlet or ""))

    # -- actors ----------------------------------------------------------------------------

    def actors(
        self,
        query: str | None = None,
        *,
        limit: int | None = 50,
        offset: int = 0,
        speaker: str | None = None,
        outlet: str | None = None,
        since: str | dt.date | None = None,
        until: str | dt.date | None = None,
        story_id: str | None = None,
    ) -> RecordList[ActorSummary]:
        """Actors, most quoted first; ``query`` keeps those with a matching name or alias.

        ``speaker``, ``outlet``, ``since``/``until`` and ``story_id`` keep the actors quoted in
        those statements, and ``statements`` then counts only those. ``limit=None``: all.
        """
        n_statements = (
            sa.select(sa.func.count()).where(statements.c.actor_id == actors.c.id).scalar_subquery()
        )
        n_mentions = (
            sa.select(sa.func.count()).where(mentions.c.actor_id == actors.c.id).scalar_subquery()
        )
        n_aliases = (
            sa.select(sa.func.count())
            .where(actor_aliases.c.actor_id == actors.c.id)
            .scalar_subquery()
        )
        stmt = sa.select(
            actors.c.id,
            actors.c.name,
            actors.c.label,
            n_aliases.label("aliases"),
            n_statements.label("statements"),
            n_mentions.label("mentions"),
        )
        name_match: Any = sa.true()
        if query:
            needle = f"%{normalise_text(query)}%"
            name_match = sa.or_(
                sa.func.lower(actors.c.name).like(f"%{query.casefold()}%"),
                actors.c.id.in_(
                    sa.select(actor_aliases.c.actor_id).where(actor_aliases.c.norm.like(needle))
                ),
            )
        if any(v is not None for v in (speaker, outlet, since, until, story_id)):
            flt = self._filter(speaker, None, outlet, since, until, None, None, story_id, True)
            with self._read() as conn:
                found = filtered_actors(conn, flt, query, name_match, limit=limit, offset=offset)
            return RecordList(found, ACTOR_COLUMNS)
        if query:
            stmt = stmt.where(name_match)
        stmt = stmt.order_by(sa.desc("statements"), sa.desc("mentions"), actors.c.id)
        stmt = stmt.limit(limit).offset(offset)
        with self._read() as conn:
            return RecordList((ActorSummary(*row) for row in conn.execute(stmt)), ACTOR_COLUMNS)

    def actor(self, actor_id: int) -> ActorDetail | None:
        with self._read() as conn:
            summary = next((a for a in self._actor_summaries(conn, [actor_id])), None)
            if summary is None:
                return None
            aliases = [
                ActorAlias(*row)
                for row in conn.execute(
                    sa.select(
                        actor_aliases.c.alias,
                        actor_aliases.c.norm,
                        actor_aliases.c.kind,
                        actor_aliases.c.mentions,
                    )
                    .where(actor_aliases.c.actor_id == actor_id)
                    .order_by(actor_aliases.c.mentions.desc(), actor_aliases.c.alias)
                )
            ]
            outlet_names = [
                (outlet, surface, int(n))
                for outlet, surface, n in conn.execute(
                    sa.select(mentions.c.outlet, mentions.c.surface, sa.func.count())
                    .where(mentions.c.actor_id == actor_id)
                    .group_by(mentions.c.outlet, mentions.c.surface)
                    .order_by(mentions.c.outlet, sa.func.count().desc(), mentions.c.surface)
                )
            ]
        return ActorDetail(summary, aliases, outlet_names)

    def _actor_summaries(self, conn: sa.Connection, ids: Sequence[int]) -> list[ActorSummary]:
        out = []
        for actor_id in ids:
            row = conn.execute(
                sa.select(actors.c.id, actors.c.name, actors.c.label).where(actors.c.id == actor_id)
            ).first()
            if row is None:
                continue

            def count(table: sa.Table, actor_id: int = actor_id) -> int:
                return int(
                    conn.execute(
                        sa.select(sa.func.count())
                        .select_from(table)
                        .where(table.c.actor_id == actor_id)
                    ).scalar_one()
                )

            out.append(
                ActorSummary(
                    row.id,
                    row.name,
                    row.label,
                    count(actor_aliases),
                    count(statements),
                    count(mentions),
                )
            )
        return out

    def merge_actors(self, keep: int, others: Sequence[int]) -> int:
        """Fold ``others`` into ``keep`` (statements, mentions, aliases); returns how many."""
        with self._write() as conn:
            merged = merge_actors(conn, keep, others)
        self._index = None
        return merged

    def split_actor(self, actor_id: int, aliases: Sequence[str], name: str | None = None) -> int:
        """Give the named aliases, and what was said under them, to a new actor; its id."""
        if not aliases:
            raise StoreError("name the aliases to split off", 'e.g. --alias "Iraqi prime minister"')
        with self._write() as conn:
            new_id = split_actor(conn, actor_id, aliases, name)
        self._index = None
        return new_id

    def rename_actor(self, actor_id: int, name: str) -> None:
        if not name.strip():
            raise StoreError("an actor needs a name", "give a non-empty name")
        with self._write() as conn:
            done = conn.execute(
                actors.update().where(actors.c.id == actor_id).values(name=name.strip())
            ).rowcount
        if not done:
            raise StoreError(f"no actor with id {actor_id}", "list them: quotetrace actors list")


def _bare_first_key(actor: Actor, surfaces_of: dict[int, list[str]]) -> tuple[bool, int]:
    """Sort key: document actors with a full name (two words or more) before the others."""
    forms = ActorIndex.forms(actor.name, actor.label, surfaces_of[actor.actor_id])
    full = any(f.kind == "name" and " " in link_key(f.norm) for f in forms)
    return (not full, actor.actor_id)


def _mention_rows(
    row_id: int, doc_row: dict[str, Any], item: ProcessedArticle, actor: Actor
) -> Iterator[dict[str, Any]]:
    text = item.article.text
    for start, end in actor.mentions:
        surface = text[start:end]
        form = normalise_mention(surface, actor.label)
        yield {
            "article_id": doc_row["article_id"],
            "article_actor_id": row_id,
            "char_start": start,
            "char_end": end,
            "surface": surface,
            "norm": form.norm if form else normalise_text(surface),
            "outlet": item.article.outlet,
            "actor_id": doc_row["actor_id"],
        }
