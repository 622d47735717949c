"""What the store hands back: articles, statements, actors and search hits, with their db ids.

These are the records the CLI, the stories stage and the JSON API build on. Every one has a
``to_json()`` that gives plain JSON values (dates as ISO strings), so the API can return them
as they are.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from ..models import Article, CharSpan, Kind, ProcessedArticle

__all__ = [
    "ActorAlias",
    "ActorDetail",
    "ActorSummary",
    "AddResult",
    "OutletSummary",
    "SearchHit",
    "SearchPage",
    "StoredArticle",
    "StoredProcessed",
    "StoredStatement",
]


@dataclass(frozen=True)
class StoredArticle:
    id: int
    doc_id: str
    version: int
    content_hash: str
    is_current: bool
    date: str | None
    published: dt.date | None
    outlet: str | None
    title: str | None
    text: str
    meta: dict[str, Any]
    ingested_at: str
    story_id: str | None = None

    def to_article(self) -> Article:
        return Article(
            doc_id=self.doc_id,
            text=self.text,
            date=self.date,
            outlet=self.outlet,
            title=self.title,
            meta=dict(self.meta),
        )

    def to_json(self, *, include_text: bool = True) -> dict[str, Any]:
        out: dict[str, Any] = {
            "id": self.id,
            "doc_id": self.doc_id,
            "version": self.version,
            "content_hash": self.content_hash,
            "is_current": self.is_current,
            "date": self.date,
            "published": self.published.isoformat() if self.published else None,
            "outlet": self.outlet,
            "title": self.title,
            "meta": self.meta,
            "ingested_at": self.ingested_at,
            "story_id": self.story_id,
        }
        if include_text:
            out["text"] = self.text
        return out


@dataclass(frozen=True)
class StoredStatement:
    """One statement with the article facts a result list needs (outlet, date, title)."""

    id: int
    article_id: int
    doc_id: str
    ordinal: int
    kind: Kind
    content: CharSpan
    source: CharSpan | None
    cue: CharSpan | None
    content_text: str
    source_text: str | None
    cue_text: str | None
    speaker: str | None
    confidence: float
    doc_actor_id: int | None
    actor_id: int | None
    actor_name: str | None
    outlet: str | None
    date: str | None
    published: dt.date | None
    title: str | None
    story_id: str | None = None
    rule: str | None = None
    speaker_confidence: float | None = None
    via: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "article_id": self.article_id,
            "doc_id": self.doc_id,
            "ordinal": self.ordinal,
            "kind": self.kind,
            "content": list(self.content),
            "source": list(self.source) if self.source else None,
            "cue": list(self.cue) if self.cue else None,
            "content_text": self.content_text,
            "source_text": self.source_text,
            "cue_text": self.cue_text,
            "speaker": self.speaker,
            "confidence": self.confidence,
            "actor_id": self.actor_id,
            "actor": self.actor_name,
            "outlet": self.outlet,
            "date": self.date,
            "published": self.published.isoformat() if self.published else None,
            "title": self.title,
            "story_id": self.story_id,
            "rule": self.rule,
            "speaker_confidence": self.speaker_confidence,
            "via": self.via,
        }


@dataclass(frozen=True)
class StoredProcessed:
    """An article as the extractor produced it, plus the ids the store gave its parts.

    ``processed`` equals the ``ProcessedArticle`` that was stored (attributions in order, with
    the document-level ``actor_id`` s); ``statement_ids[i]`` and ``statement_actor_ids[i]``
    belong to ``processed.attributions[i]``; ``actor_links`` maps each document-level actor id
    to its store-wide actor id.
    """

    article: StoredArticle
    processed: ProcessedArticle
    statement_ids: tuple[int, ...]
    statement_actor_ids: tuple[int | None, ...]
    actor_links: dict[int, int | None] = field(default_factory=dict)
    actor_names: dict[int, str] = field(default_factory=dict)  # store actor id -> canonical

    def to_json(self, *, include_text: bool = True) -> dict[str, Any]:
        """The FORMAT.md record, with the store's ids as extra keys (the scorer ignores them):
        ``article_id``, ``version``, and ``statement_id`` / ``store_actor_id`` on each
        attribution and ``store_actor_id`` on each document actor (whose ``id`` and each
        attribution's ``actor_id`` stay the document-level ids the extractor gave).

        Each attribution also names its store-wide speaker: ``speaker_actor_id`` (the same
        id as ``store_actor_id``) and ``speaker_canonical``, the store actor's canonical name,
        beside the article's own ``speaker``; each document actor gets its ``canonical``."""
        out = self.processed.to_json(include_text=include_text)
        out["article_id"] = self.article.id
        out["version"] = self.article.version
        if self.article.story_id is not None:
            out["story_id"] = self.article.story_id
        for record, statement_id, actor_id in zip(
            out["attributions"], self.statement_ids, self.statement_actor_ids, strict=True
        ):
            record["statement_id"] = statement_id
            record["store_actor_id"] = actor_id
            record["speaker_actor_id"] = actor_id
            record["speaker_canonical"] = (
                self.actor_names.get(actor_id) if actor_id is not None else None
            )
        for record in out["actors"]:
            linked = self.actor_links.get(record["id"])
            record["store_actor_id"] = linked
            record["canonical"] = self.actor_names.get(linked) if linked is not None else None
        return out


@dataclass(frozen=True)
class SearchHit:
    statement: StoredStatement
    snippet: str
    score: float | None = None

    def to_json(self) -> dict[str, Any]:
        out = self.statement.to_json()
        out["snippet"] = self.snippet
        out["score"] = self.score
        return out


@dataclass(frozen=True)
class SearchPage:
    hits: list[SearchHit]
    limit: int
    offset: int
    total: int | None = None
    total_is_exact: bool = True  # False: at least ``total`` matches (counting stopped there)

    def to_json(self) -> dict[str, Any]:
        return {
            "total": self.total,
            "total_is_exact": self.total_is_exact,
            "limit": self.limit,
            "offset": self.offset,
            "results": [h.to_json() for h in self.hits],
        }


@dataclass(frozen=True)
class AddResult:
    """What one ``Store.add_processed`` call changed."""

    articles_added: int = 0
    articles_skipped: int = 0
    new_versions: int = 0
    statements_added: int = 0
    mentions_added: int = 0
    actors_created: int = 0

    def __add__(self, other: AddResult) -> AddResult:
        return AddResult(*(a + b for a, b in zip(self.as_tuple(), other.as_tuple(), strict=True)))

    def as_tuple(self) -> tuple[int, int, int, int, int, int]:
        return (
            self.articles_added,
            self.articles_skipped,
            self.new_versions,
            self.statements_added,
            self.mentions_added,
            self.actors_created,
        )


@dataclass(frozen=True)
class ActorSummary:
    id: int
    name: str
    label: str
    aliases: int
    statements: int
    mentions: int

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.name,
            "label": self.label,
            "aliases": self.aliases,
            "statements": self.statements,
            "mentions": self.mentions,
        }


@dataclass(frozen=True)
class ActorAlias:
    alias: str
    norm: str
    kind: str
    mentions: int


@dataclass(frozen=True)
class ActorDetail:
    """An actor with every name it goes by, and which outlet uses which name how often."""

    summary: ActorSummary
    aliases: list[ActorAlias]
    outlet_names: list[tuple[str | None, str, int]]

    def to_json(self) -> dict[str, Any]:
        out = self.summary.to_json()
        out["aliases"] = [
            {"alias": a.alias, "kind": a.kind, "mentions": a.mentions} for a in self.aliases
        ]
        out["outlet_names"] = [
            {"outlet": o, "surface": s, "count": n} for o, s, n in self.outlet_names
        ]
        return out


@dataclass(frozen=True)
class OutletSummary:
    outlet: str | None
    articles: int
    statements: int

    def to_json(self) -> dict[str, Any]:
        return {"outlet": self.outlet, "articles": self.articles, "statements": self.statements}
