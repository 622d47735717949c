"""One-word names inside a story: "Williams" is Serena Williams when her story says so.

At ingest a one-word personal name links to a full name only inside its own article
(``actors``); across articles it becomes, or joins, an actor with no full name, because
which Williams is meant depends on the coverage. Once the stories stage has grouped articles,
a story is the context: when the articles of one story give exactly one full name with that
surname, the one-word actor's document actors in that story move to it (their mentions and
statements with them). Two full names with that surname in the story, and nothing moves.

The move is a function of what the story holds, so running it again changes nothing, and it
gives the same result whichever article was ingested first.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence

import sqlalchemy as sa

from .actor_names import link_key
from .actors import merge_actors
from .schema import actor_aliases, actors, article_actors, articles, mentions, statements

__all__ = ["link_surnames_in_stories"]

_PERSONAL = ("PERSON", "PER", "")


def _chunks(items: Sequence[int], size: int = 500) -> Iterable[Sequence[int]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def link_surnames_in_stories(conn: sa.Connection, story_ids: Iterable[str]) -> int:
    """Move one-word actors' document actors to the story's one full name; how many moved."""
    stories = sorted({s for s in story_ids if s})
    if not stories:
        return 0
    rows: list[tuple[int, int, str, int, int]] = []  # doc row, article, story, doc id, actor
    for some in [stories[i : i + 500] for i in range(0, len(stories), 500)]:
        rows.extend(
            conn.execute(
                sa.select(
                    article_actors.c.id,
                    article_actors.c.article_id,
                    articles.c.story_id,
                    article_actors.c.doc_actor_id,
                    article_actors.c.actor_id,
                )
                .join(articles, articles.c.id == article_actors.c.article_id)
                .where(articles.c.story_id.in_(some), article_actors.c.actor_id.is_not(None))
                .order_by(article_actors.c.id)
            ).all()
        )
    involved = sorted({r[4] for r in rows})
    names: dict[int, list[list[str]]] = defaultdict(list)
    labels: dict[int, str] = {}
    for chunk in _chunks(involved):
        for actor_id, norm in conn.execute(
            sa.select(actor_aliases.c.actor_id, actor_aliases.c.norm).where(
                actor_aliases.c.actor_id.in_(chunk), actor_aliases.c.kind == "name"
            )
        ):
            names[actor_id].append(link_key(norm).split())
        for actor_id, label in conn.execute(
            sa.select(actors.c.id, actors.c.label).where(actors.c.id.in_(chunk))
        ):
            labels[actor_id] = label
    full_by_story: dict[str, dict[str, set[int]]] = defaultdict(lambda: defaultdict(set))
    bare_rows: dict[tuple[str, int], list[tuple[int, int, int]]] = defaultdict(list)
    for row_id, article_id, story, doc_actor_id, actor_id in rows:
        if labels.get(actor_id) not in _PERSONAL:
            continue
        words = names.get(actor_id, [])
        full = [w for w in words if len(w) >= 2]
        if full:
            # Its surnames, and the one words its own articles call it by ("Xi").
            for w in words:
                full_by_story[story][w[-1]].add(actor_id)
        elif words:
            bare_rows[(story, actor_id)].append((row_id, article_id, doc_actor_id))
    loose: dict[tuple[str, int], list[int]] = defaultdict(list)
    for some in [stories[i : i + 500] for i in range(0, len(stories), 500)]:
        for statement_id, story, actor_id in conn.execute(
            sa.select(statements.c.id, articles.c.story_id, statements.c.actor_id)
            .join(articles, articles.c.id == statements.c.article_id)
            .where(
                articles.c.story_id.in_(some),
                statements.c.doc_actor_id.is_(None),
                statements.c.actor_id.is_not(None),
            )
            .order_by(statements.c.id)
        ):
            loose[(story, actor_id)].append(statement_id)
    for story, actor_id in loose:
        if (story, actor_id) not in bare_rows and actor_id not in names:
            names[actor_id] = []
    missing = sorted({a for _, a in loose if a not in labels})
    for chunk in _chunks(missing):
        for actor_id, norm in conn.execute(
            sa.select(actor_aliases.c.actor_id, actor_aliases.c.norm).where(
                actor_aliases.c.actor_id.in_(chunk), actor_aliases.c.kind == "name"
            )
        ):
            names[actor_id].append(link_key(norm).split())
        for actor_id, label in conn.execute(
            sa.select(actors.c.id, actors.c.label).where(actors.c.id.in_(chunk))
        ):
            labels[actor_id] = label
    for (story, actor_id), _ in loose.items():
        words = names.get(actor_id, [])
        if labels.get(actor_id) in _PERSONAL and words and all(len(w) == 1 for w in words):
            bare_rows.setdefault((story, actor_id), [])
    moved = 0
    emptied: dict[int, int] = {}
    for (story, bare), doc_rows in sorted(bare_rows.items()):
        owners = {o for w in names[bare] for o in full_by_story[story].get(w[-1], set())}
        if len(owners) != 1:
            continue
        [target] = owners
        _move(conn, doc_rows, bare, target)
        for chunk in _chunks(loose.get((story, bare), [])):
            conn.execute(
                statements.update()
                .where(statements.c.id.in_(chunk), statements.c.actor_id == bare)
                .values(actor_id=target)
            )
        moved += len(doc_rows) + len(loose.get((story, bare), []))
        emptied[bare] = target
    for bare, target in sorted(emptied.items()):
        left = conn.execute(
            sa.select(sa.func.count()).where(article_actors.c.actor_id == bare)
        ).scalar_one()
        left += conn.execute(
            sa.select(sa.func.count()).where(statements.c.actor_id == bare)
        ).scalar_one()
        if not left:
            merge_actors(conn, target, [bare])  # its aliases and any loose statements follow
    return moved


def _move(
    conn: sa.Connection, doc_rows: list[tuple[int, int, int]], source: int, target: int
) -> None:
    ids = [r[0] for r in doc_rows]
    for chunk in _chunks(ids):
        conn.execute(
            article_actors.update().where(article_actors.c.id.in_(chunk)).values(actor_id=target)
        )
        conn.execute(
            mentions.update().where(mentions.c.article_actor_id.in_(chunk)).values(actor_id=target)
        )
    for _, article_id, doc_actor_id in doc_rows:
        conn.execute(
            statements.update()
            .where(
                statements.c.article_id == article_id,
                statements.c.doc_actor_id == doc_actor_id,
                statements.c.actor_id == source,
            )
            .values(actor_id=target)
        )
