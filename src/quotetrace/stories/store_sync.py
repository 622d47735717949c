"""Stories in the store: story ids written onto articles and statements, kept up to date.

The store has a ``story_id`` column on ``articles`` and on ``statements``. ``update_store_stories``
fills it in:

* incrementally (the default): articles without a story id are the new ones. The index is
  seeded with the stored articles dated near them (their story ids kept as they are), the new
  ones are added oldest first and join those stories or found new ones. Only the rows whose
  story changed are written, so running it twice writes nothing the second time.
* from scratch (``recompute=True``): every current article is clustered again.

Reading stories back (``stored_story_reports``) groups the current articles by their stored
story id and builds each story's report (alignment, differences, names, events) on the fly:
those depend on every article of the story and are cheap to recompute for one story.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ..models import ProcessedArticle
from .clustering import ClusteringParams, StoryIndex, parse_day
from .service import story_report

if TYPE_CHECKING:
    from ..store import Store, StoredProcessed

__all__ = [
    "StoreStoriesUpdate",
    "has_unplaced_articles",
    "stored_story_reports",
    "update_store_stories",
]

# Seeded neighbours: an article looks for siblings up to a week either side (see clustering),
# so stored articles further than this from every new one cannot be joined by them.
_WINDOW_DAYS = 14


@dataclass(frozen=True)
class StoreStoriesUpdate:
    """What one update did."""

    new_articles: int
    seeded_articles: int
    articles_written: int
    statements_written: int
    stories: int


def has_unplaced_articles(store: Store) -> bool:
    """Whether a current article has no story yet: after a run killed between storing its
    articles and placing them, the next run sees nothing new to store but must still place
    them."""
    import sqlalchemy as sa

    from ..store.schema import articles

    query = (
        sa.select(articles.c.id)
        .where(articles.c.is_current.is_(True), articles.c.story_id.is_(None))
        .limit(1)
    )
    from ..store.faults import retrying

    def look() -> bool:
        with store.engine.connect() as conn:
            return conn.execute(query).first() is not None

    return retrying(store.engine, look)


def update_store_stories(
    store: Store, *, recompute: bool = False, params: ClusteringParams | None = None
) -> StoreStoriesUpdate:
    """Give every current article in the store a story id (see the module docstring).

    Only the new articles and their stored neighbours (by dateline) are read back in full,
    so an update after an ingest costs about as much as the ingest's own articles.
    """
    listed = store.articles()
    if recompute:
        new_ids, seed_ids = [a.id for a in listed], []
    else:
        new_ids = [a.id for a in listed if a.story_id is None]
        if not new_ids:
            return StoreStoriesUpdate(0, 0, 0, 0, len({a.story_id for a in listed}))
        new_days = [parse_day(a.date) for a in listed if a.story_id is None]
        any_undated = any(d is None for d in new_days)
        dated = sorted(d for d in new_days if d is not None)
        seed_ids = [
            a.id
            for a in listed
            if a.story_id is not None and (any_undated or _near(parse_day(a.date), dated))
        ]
    new = list(store.iter_processed(article_ids=new_ids))
    seeds = list(store.iter_processed(article_ids=seed_ids)) if seed_ids else []
    index = StoryIndex(params or ClusteringParams())
    for seed in sorted(seeds, key=_order):
        index.add(_keyed(seed), story_id=seed.article.story_id)
    for item in sorted(new, key=_order):
        index.add(_keyed(item))
    articles_to_story: dict[int, str | None] = {}
    statements_to_story: dict[int, str | None] = {}
    for item in [*seeds, *new]:
        story = index.story_of(_key(item))
        if item.article.story_id != story:
            articles_to_story[item.article.id] = story
            statements_to_story.update(dict.fromkeys(item.statement_ids, story))
    if articles_to_story:
        store.set_story_ids(
            articles_to_story=articles_to_story, statements_to_story=statements_to_story
        )
    return StoreStoriesUpdate(
        new_articles=len(new),
        seeded_articles=len(seeds),
        articles_written=len(articles_to_story),
        statements_written=len(statements_to_story),
        stories=len(index.stories()),
    )


def _near(day: int | None, dated: list[int]) -> bool:
    """A stored article a new one could join: within the window of one, or undated."""
    if day is None:
        return True
    i = bisect.bisect_left(dated, day - _WINDOW_DAYS)
    return i < len(dated) and dated[i] <= day + _WINDOW_DAYS


def _order(item: StoredProcessed) -> tuple[str, int]:
    return (item.article.date or "9999", item.article.id)


def _key(item: StoredProcessed) -> str:
    # doc_ids are unique among current articles; the db id makes the key unique regardless.
    return f"{item.article.id}:{item.article.doc_id}"


def _keyed(item: StoredProcessed) -> ProcessedArticle:
    from ..models import Article

    a = item.processed.article
    keyed = Article(_key(item), a.text, a.date, a.outlet, a.title, a.meta)
    return ProcessedArticle(keyed, item.processed.attributions, item.processed.actors)


def stored_story_reports(
    store: Store, *, min_articles: int = 2, story_id: str | None = None
) -> list[dict[str, Any]]:
    """Reports of the stories stored in ``store`` (biggest first)."""
    stories: dict[str, list[ProcessedArticle]] = {}
    ids = [a.id for a in store.articles(story_id=story_id)] if story_id is not None else None
    for item in store.iter_processed(article_ids=ids):
        sid = item.article.story_id
        if sid is None or (story_id is not None and sid != story_id):
            continue
        stories.setdefault(sid, []).append(item.processed)
    reports = [
        story_report(sid, docs) for sid, docs in stories.items() if len(docs) >= min_articles
    ]
    reports.sort(key=lambda r: (-len(r["doc_ids"]), r["outlets"][0]["date"] or "", r["story_id"]))
    return reports
