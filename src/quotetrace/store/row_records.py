"""Records from rows: the store's rows read back as ``StoredArticle``, ``StoredStatement`` and
``StoredProcessed`` (the ``ProcessedArticle`` exactly as it was stored)."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from typing import Any

import sqlalchemy as sa

from ..models import Actor, Attribution, ProcessedArticle
from .records import StoredArticle, StoredProcessed, StoredStatement
from .schema import actors, article_actors, mentions, statements

__all__ = ["article_from_row", "rebuild_processed", "statement_from_row"]


def article_from_row(row: Any) -> StoredArticle:
    published = row.published
    if isinstance(published, str):  # pragma: no cover - SQLAlchemy converts on both backends
        published = dt.date.fromisoformat(published)
    meta = row.meta if isinstance(row.meta, dict) else json.loads(row.meta or "{}")
    return StoredArticle(
        id=row.id,
        doc_id=row.doc_id,
        version=row.version,
        content_hash=row.content_hash,
        is_current=bool(row.is_current),
        date=row.date,
        published=published,
        outlet=row.outlet,
        title=row.title,
        text=row.text,
        meta=meta,
        ingested_at=row.ingested_at,
        story_id=row.story_id,
    )


def _span(start: int | None, end: int | None) -> tuple[int, int] | None:
    return (start, end) if start is not None and end is not None else None


def statement_from_row(row: Any) -> StoredStatement:
    content = _span(row.content_start, row.content_end)
    assert content is not None
    return StoredStatement(
        id=row.id,
        article_id=row.article_id,
        doc_id=row.doc_id,
        ordinal=row.ordinal,
        kind=row.kind,
        content=content,
        source=_span(row.source_start, row.source_end),
        cue=_span(row.cue_start, row.cue_end),
        content_text=row.content_text,
        source_text=row.source_text,
        cue_text=row.cue_text,
        speaker=row.speaker,
        confidence=row.confidence,
        doc_actor_id=row.doc_actor_id,
        actor_id=row.actor_id,
        actor_name=row.actor_name,
        outlet=row.outlet,
        date=row.date,
        published=row.published,
        title=row.title,
        story_id=row.story_id,
        rule=row.rule,
        speaker_confidence=row.speaker_confidence,
        via=row.via,
    )


def _rows_by_article(
    conn: sa.Connection, table: sa.Table, ids: list[int], order: Any
) -> dict[int, list[Any]]:
    """The rows of ``table`` for each article in ``ids``, in ``order`` within an article."""
    grouped: dict[int, list[Any]] = {i: [] for i in ids}
    for row in conn.execute(
        sa.select(table).where(table.c.article_id.in_(ids)).order_by(table.c.article_id, order)
    ):
        grouped[row.article_id].append(row)
    return grouped


def rebuild_processed(
    conn: sa.Connection, stored: list[StoredArticle]
) -> Iterator[StoredProcessed]:
    ids = [a.id for a in stored]
    atts = _rows_by_article(conn, statements, ids, statements.c.ordinal)
    doc_actors = _rows_by_article(conn, article_actors, ids, article_actors.c.id)
    spans: dict[int, list[tuple[int, int]]] = {}
    for row in conn.execute(
        sa.select(mentions.c.article_actor_id, mentions.c.char_start, mentions.c.char_end)
        .where(mentions.c.article_id.in_(ids))
        .order_by(mentions.c.id)
    ):
        spans.setdefault(row.article_actor_id, []).append((row.char_start, row.char_end))
    linked = {r.actor_id for rows in atts.values() for r in rows if r.actor_id is not None}
    linked.update(r.actor_id for rows in doc_actors.values() for r in rows if r.actor_id)
    names: dict[int, str] = {}
    ordered = sorted(linked)
    for start in range(0, len(ordered), 500):
        chunk = ordered[start : start + 500]
        for actor_id, name in conn.execute(
            sa.select(actors.c.id, actors.c.name).where(actors.c.id.in_(chunk))
        ):
            names[actor_id] = name
    for article in stored:
        rows = atts[article.id]
        attributions = tuple(
            Attribution(
                kind=r.kind,
                content=(r.content_start, r.content_end),
                source=_span(r.source_start, r.source_end),
                cue=_span(r.cue_start, r.cue_end),
                speaker=r.speaker,
                confidence=r.confidence,
                actor_id=r.doc_actor_id,
                rule=r.rule,
                speaker_confidence=r.speaker_confidence,
                via=r.via,
            )
            for r in rows
        )
        found = tuple(
            Actor(
                actor_id=r.doc_actor_id,
                name=r.name,
                label=r.label,
                mentions=tuple(spans.get(r.id, ())),
            )
            for r in doc_actors[article.id]
        )
        yield StoredProcessed(
            article=article,
            processed=ProcessedArticle(article.to_article(), attributions, found),
            statement_ids=tuple(r.id for r in rows),
            statement_actor_ids=tuple(r.actor_id for r in rows),
            actor_links={r.doc_actor_id: r.actor_id for r in doc_actors[article.id]},
            actor_names={
                i: names[i]
                for i in {r.actor_id for r in rows} | {r.actor_id for r in doc_actors[article.id]}
                if i is not None and i in names
            },
        )
