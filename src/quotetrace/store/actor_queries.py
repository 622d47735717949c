"""Read-only questions about actors that the CLI and the web pages ask.

* ``name_sources``: the names and titles an actor was resolved from, each with the outlets
  that used it ("Volodymyr Zelenskyy": Harbor Press 2, Meridian Post 1);
* ``actor_variants``: for a page of actors, their name variants and outlets at once;
* ``article_mentions``: every mention of an article's actors in text order, with the
  store-wide actor it belongs to — an article's chain of mentions per speaker.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

import sqlalchemy as sa

from .actor_names import normalise_mention
from .schema import actor_aliases, article_actors, articles, mentions
from .store import Store

__all__ = ["ArticleMention", "NameSource", "actor_variants", "article_mentions", "name_sources"]


@dataclass(frozen=True)
class NameSource:
    """One name or title of an actor and the outlets that used it, most uses first."""

    name: str
    kind: str  # "name" or "title"
    outlets: tuple[tuple[str | None, int], ...]

    @property
    def uses(self) -> int:
        return sum(n for _, n in self.outlets)

    def to_json(self) -> dict[str, object]:
        return {
            "name": self.name,
            "kind": self.kind,
            "uses": self.uses,
            "outlets": [{"outlet": o, "count": n} for o, n in self.outlets],
        }


@dataclass(frozen=True)
class ArticleMention:
    start: int
    end: int
    surface: str
    doc_actor_id: int
    actor_id: int | None


def name_sources(store: Store, actor_id: int) -> list[NameSource]:
    """The names and titles (no pronouns, no descriptions) that resolved to the actor."""
    with store.engine.connect() as conn:
        shown = {
            norm: (alias, kind)
            for norm, alias, kind in conn.execute(
                sa.select(actor_aliases.c.norm, actor_aliases.c.alias, actor_aliases.c.kind)
                .where(actor_aliases.c.actor_id == actor_id)
                .order_by(actor_aliases.c.id)
            )
        }
        used: dict[str, Counter[str | None]] = defaultdict(Counter)
        for surface, outlet, label, n in conn.execute(
            sa.select(
                mentions.c.surface, mentions.c.outlet, article_actors.c.label, sa.func.count()
            )
            .join(article_actors, article_actors.c.id == mentions.c.article_actor_id)
            .where(mentions.c.actor_id == actor_id)
            .group_by(mentions.c.surface, mentions.c.outlet, article_actors.c.label)
        ):
            form = normalise_mention(surface, label)
            if form is not None and form.norm in shown:
                used[form.norm][outlet] += int(n)
    out = [
        NameSource(
            shown[norm][0],
            shown[norm][1],
            tuple(sorted(counts.items(), key=lambda o: (-o[1], o[0] or ""))),
        )
        for norm, counts in used.items()
    ]
    out.sort(key=lambda s: (s.kind != "name", -s.uses, s.name))
    return out


def actor_variants(
    store: Store, actor_ids: Sequence[int]
) -> dict[int, tuple[list[str], list[str]]]:
    """Actor id -> (its names, most used first; the outlets that mention it, by name)."""
    ids = sorted(set(actor_ids))
    names: dict[int, list[str]] = defaultdict(list)
    outlets: dict[int, set[str]] = defaultdict(set)
    with store.engine.connect() as conn:
        for start in range(0, len(ids), 500):
            chunk = ids[start : start + 500]
            for actor_id, alias in conn.execute(
                sa.select(actor_aliases.c.actor_id, actor_aliases.c.alias)
                .where(actor_aliases.c.actor_id.in_(chunk), actor_aliases.c.kind == "name")
                .order_by(actor_aliases.c.mentions.desc(), actor_aliases.c.alias)
            ):
                names[actor_id].append(alias)
            for actor_id, outlet in conn.execute(
                sa.select(article_actors.c.actor_id, articles.c.outlet)
                .join(articles, articles.c.id == article_actors.c.article_id)
                .where(article_actors.c.actor_id.in_(chunk), articles.c.outlet.is_not(None))
                .distinct()
            ):
                outlets[actor_id].add(outlet)
    return {i: (names.get(i, []), sorted(outlets.get(i, set()))) for i in ids}


def article_mentions(store: Store, article_id: int) -> list[ArticleMention]:
    """Every mention of the article's actors, in the order of the text."""
    with store.engine.connect() as conn:
        rows = conn.execute(
            sa.select(
                mentions.c.char_start,
                mentions.c.char_end,
                mentions.c.surface,
                article_actors.c.doc_actor_id,
                mentions.c.actor_id,
            )
            .join(article_actors, article_actors.c.id == mentions.c.article_actor_id)
            .where(mentions.c.article_id == article_id)
            .order_by(mentions.c.char_start, mentions.c.char_end)
        ).all()
    return [ArticleMention(*row) for row in rows]
