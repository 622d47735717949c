"""Actors across articles: linking each document's speakers to store-wide actors.

The extractor resolves speakers inside one article: its ``Actor`` records gather every
mention of a person there ("Imam Sayyed Ali Khamenei", "Imam Khamenei", "he"). Those
co-occurring mentions are what link titles to names across the store: the article that calls
Khamenei both "Ali Khamenei" and "Iran's Supreme Leader" teaches the store that the title is
his, so a later article that only says "Iran's Supreme Leader" links to him as well.

A document actor is linked by, in order:

1. exact alias: any of its names or titles (normalised, see ``actor_names``) already belongs
   to an actor; names weigh more than titles;
2. fuzzy name: rapidfuzz's token-set ratio >= 92 against the store's two-word-or-longer names,
   the last words alike too (ratio >= 88): "Ayatollah Ali Khamene'i" ~ "Ali Khamenei", but
   "Anna Berg" is not "Anna Borg";
3. surname: a one-word name ("Sudani") that is the last word of exactly one actor's full name;

and otherwise becomes a new actor. What the rules get wrong, a person fixes with
``quotetrace actors merge|split``; the aliases move with the decision, so later ingests follow it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime

import sqlalchemy as sa
from rapidfuzz import fuzz, process

from ..errors import StoreError
from .actor_names import AliasForm, mention_forms, normalise_mention
from .schema import actor_aliases, actors, article_actors, mentions, statements

__all__ = ["ActorIndex", "merge_actors", "split_actor"]

_FUZZY_CUTOFF = 92.0
_SURNAME_CUTOFF = 88.0
_NAME_WEIGHT = 3
_TITLE_WEIGHT = 1


@dataclass
class _Alias:
    actor_id: int
    norm: str
    kind: str
    mentions: int
    stored: bool  # False until flushed to actor_aliases


@dataclass
class ActorIndex:
    """Every alias in the store, in memory, so linking costs no queries per mention.

    Changes made while linking a batch are written by ``flush`` inside the batch's
    transaction; if that transaction fails the store drops this index and reloads it.
    """

    by_norm: dict[str, list[_Alias]] = field(default_factory=lambda: defaultdict(list))
    _pending: dict[tuple[int, str], tuple[str, int]] = field(default_factory=dict)
    _fuzzy_norms: list[str] = field(default_factory=list)
    _fuzzy_actor: list[int] = field(default_factory=list)
    _surnames: dict[str, set[int]] = field(default_factory=lambda: defaultdict(set))
    actors_created: int = 0
    # What actor_aliases looked like when this index last matched it (see `is_stale`).
    _fingerprint: tuple[int, ...] = ()

    @staticmethod
    def _read_fingerprint(conn: sa.Connection) -> tuple[int, ...]:
        """Row count, newest id and the sums of mentions and owners of every alias: any
        insert, count update, merge, split or delete by another writer changes one of them."""
        row = conn.execute(
            sa.select(
                sa.func.count(),
                sa.func.coalesce(sa.func.max(actor_aliases.c.id), 0),
                sa.func.coalesce(sa.func.sum(actor_aliases.c.mentions), 0),
                sa.func.coalesce(sa.func.sum(actor_aliases.c.actor_id), 0),
            ).select_from(actor_aliases)
        ).one()
        return tuple(int(v) for v in row)

    def is_stale(self, conn: sa.Connection) -> bool:
        """Whether someone else changed the aliases since this index last wrote or read them.

        Asked inside the write transaction, whose lock keeps other writers out until commit.
        """
        return self._fingerprint != self._read_fingerprint(conn)

    @classmethod
    def load(cls, conn: sa.Connection) -> ActorIndex:
        index = cls()
        index._fingerprint = cls._read_fingerprint(conn)
        rows = conn.execute(
            sa.select(
                actor_aliases.c.actor_id,
                actor_aliases.c.norm,
                actor_aliases.c.kind,
                actor_aliases.c.mentions,
            ).order_by(actor_aliases.c.id)
        )
        for actor_id, norm, kind, count in rows:
            index._remember(_Alias(actor_id, norm, kind, count, stored=True))
        return index

    def _remember(self, alias: _Alias) -> None:
        self.by_norm[alias.norm].append(alias)
        if alias.kind == "name":
            words = alias.norm.split()
            if len(words) >= 2:
                self._fuzzy_norms.append(alias.norm)
                self._fuzzy_actor.append(alias.actor_id)
                self._surnames[words[-1]].add(alias.actor_id)

    def _alias(self, actor_id: int, norm: str) -> _Alias | None:
        for alias in self.by_norm.get(norm, ()):
            if alias.actor_id == actor_id:
                return alias
        return None

    def find(self, forms: Sequence[AliasForm]) -> int | None:
        """The store actor these names and titles belong to, if any (rules in the module doc)."""
        scores: dict[int, int] = defaultdict(int)
        weight_of_use: dict[int, int] = defaultdict(int)
        for form in forms:
            for alias in self.by_norm.get(form.norm, ()):
                scores[alias.actor_id] += _NAME_WEIGHT if form.kind == "name" else _TITLE_WEIGHT
                weight_of_use[alias.actor_id] += alias.mentions
        if scores:
            return max(scores, key=lambda a: (scores[a], weight_of_use[a], -a))
        names = [f for f in forms if f.kind == "name"]
        for form in names:
            if len(form.tokens) >= 2 and self._fuzzy_norms:
                best = process.extractOne(
                    form.norm,
                    self._fuzzy_norms,
                    scorer=fuzz.token_set_ratio,
                    score_cutoff=_FUZZY_CUTOFF,
                )
                # The surnames must agree on their own too: "Anna Berg" is not "Anna Borg",
                # however alike the whole names are.
                if best is not None and (
                    fuzz.ratio(form.tokens[-1], best[0].split()[-1]) >= _SURNAME_CUTOFF
                ):
                    return self._fuzzy_actor[best[2]]
        for form in names:
            if len(form.tokens) == 1:
                owners = self._surnames.get(form.norm, set())
                if len(owners) == 1:
                    return next(iter(owners))
        return None

    def add_alias(self, actor_id: int, form: AliasForm, count: int) -> None:
        alias = self._alias(actor_id, form.norm)
        if alias is None:
            alias = _Alias(actor_id, form.norm, form.kind, 0, stored=False)
            self._remember(alias)
        alias.mentions += count
        display, pending = self._pending.get((actor_id, form.norm), (form.display, 0))
        self._pending[(actor_id, form.norm)] = (display, pending + count)

    def link(
        self,
        conn: sa.Connection,
        name: str,
        label: str,
        surfaces: Iterable[str],
    ) -> int | None:
        """The store actor for one document actor, created when none matches.

        Returns None when nothing about the actor names anyone ("he", "the official").
        """
        forms: list[AliasForm] = []
        seen: set[str] = set()
        counts: dict[str, int] = defaultdict(int)
        for position, surface in enumerate((name, *surfaces)):
            for form in mention_forms(surface, label):
                if position > 0:  # alias counts measure mentions; the name itself is not one
                    counts[form.norm] += 1
                if form.norm not in seen:
                    seen.add(form.norm)
                    forms.append(form)
        if not forms:
            return None
        actor_id = self.find(forms)
        if actor_id is None:
            actor_id = self._create(conn, _canonical_name(name, forms), label)
        for form in forms:
            self.add_alias(actor_id, form, counts[form.norm])
        return actor_id

    def _create(self, conn: sa.Connection, name: str, label: str) -> int:
        created = conn.execute(
            actors.insert().returning(actors.c.id),
            {"name": name, "label": label, "created_at": _now()},
        ).scalar_one()
        self.actors_created += 1
        return int(created)

    def flush(self, conn: sa.Connection) -> None:
        """Write the aliases added since the last flush (same transaction as the batch)."""
        inserts: list[dict[str, object]] = []
        updates: list[dict[str, object]] = []
        for (actor_id, norm), (display, count) in self._pending.items():
            alias = self._alias(actor_id, norm)
            assert alias is not None
            if alias.stored:
                if count:
                    updates.append({"a": actor_id, "n": norm, "delta": count})
            else:
                inserts.append(
                    {
                        "actor_id": actor_id,
                        "alias": display,
                        "norm": norm,
                        "kind": alias.kind,
                        "mentions": alias.mentions,
                    }
                )
                alias.stored = True
        if inserts:
            conn.execute(actor_aliases.insert(), inserts)
        if updates:
            conn.execute(
                actor_aliases.update()
                .where(
                    actor_aliases.c.actor_id == sa.bindparam("a"),
                    actor_aliases.c.norm == sa.bindparam("n"),
                )
                .values(mentions=actor_aliases.c.mentions + sa.bindparam("delta")),
                updates,
            )
        self._pending.clear()
        self._fingerprint = self._read_fingerprint(conn)


def _canonical_name(name: str, forms: Sequence[AliasForm]) -> str:
    """A new actor is called by the fullest personal name its article gives."""
    names = [f for f in forms if f.kind == "name"]
    if not names:
        return name.strip() or forms[0].display
    return max(names, key=lambda f: (len(f.tokens), len(f.display))).display


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _require_actor(conn: sa.Connection, actor_id: int) -> str:
    name = conn.execute(sa.select(actors.c.name).where(actors.c.id == actor_id)).scalar()
    if name is None:
        raise StoreError(
            f"no actor with id {actor_id}", "list actors with `quotetrace actors list`"
        )
    return str(name)


def merge_actors(conn: sa.Connection, keep: int, others: Sequence[int]) -> int:
    """Fold ``others`` into ``keep``: their statements, mentions and aliases move over."""
    _require_actor(conn, keep)
    others = [o for o in dict.fromkeys(others) if o != keep]
    if not others:
        raise StoreError("nothing to merge", "name at least one other actor id")
    for other in others:
        _require_actor(conn, other)
    for table in (statements, mentions, article_actors):
        conn.execute(table.update().where(table.c.actor_id.in_(others)).values(actor_id=keep))
    kept = {
        norm: count
        for norm, count in conn.execute(
            sa.select(actor_aliases.c.norm, actor_aliases.c.mentions).where(
                actor_aliases.c.actor_id == keep
            )
        )
    }
    moving = conn.execute(
        sa.select(actor_aliases.c.id, actor_aliases.c.norm, actor_aliases.c.mentions)
        .where(actor_aliases.c.actor_id.in_(others))
        .order_by(actor_aliases.c.id)
    ).all()
    for alias_id, norm, count in moving:
        if norm in kept:
            kept[norm] += count
            conn.execute(
                actor_aliases.update()
                .where(actor_aliases.c.actor_id == keep, actor_aliases.c.norm == norm)
                .values(mentions=kept[norm])
            )
            conn.execute(actor_aliases.delete().where(actor_aliases.c.id == alias_id))
        else:
            kept[norm] = count
            conn.execute(
                actor_aliases.update().where(actor_aliases.c.id == alias_id).values(actor_id=keep)
            )
    conn.execute(actors.delete().where(actors.c.id.in_(others)))
    return len(others)


def split_actor(
    conn: sa.Connection, actor_id: int, aliases: Sequence[str], name: str | None = None
) -> int:
    """Move the named aliases of an actor, and everything said under them, to a new actor.

    A document actor moves when its own name is one of the aliases, or when every name and
    title its mentions use is; its mentions and statements move with it. Returns the new id.
    """
    old_name = _require_actor(conn, actor_id)
    label = conn.execute(sa.select(actors.c.label).where(actors.c.id == actor_id)).scalar_one()
    own = {
        norm: (alias, kind)
        for norm, alias, kind in conn.execute(
            sa.select(actor_aliases.c.norm, actor_aliases.c.alias, actor_aliases.c.kind).where(
                actor_aliases.c.actor_id == actor_id
            )
        )
    }
    wanted: set[str] = set()
    for given in aliases:
        form = normalise_mention(given, label)
        norm = form.norm if form else given.casefold().strip()
        if norm not in own:
            known = ", ".join(sorted(a for a, _ in own.values())) or "none"
            raise StoreError(
                f"{old_name!r} (actor {actor_id}) has no alias {given!r}",
                f"its aliases are: {known}",
            )
        wanted.add(norm)
    if wanted == set(own):
        raise StoreError(
            "splitting off every alias would leave the actor empty",
            "name only the aliases that belong to the other person",
        )
    first = sorted(wanted)[0]
    new_name = name or own[first][0]
    new_id = int(
        conn.execute(
            actors.insert().returning(actors.c.id),
            {"name": new_name, "label": label, "created_at": _now()},
        ).scalar_one()
    )
    doc_rows = conn.execute(
        sa.select(article_actors.c.id, article_actors.c.norm).where(
            article_actors.c.actor_id == actor_id
        )
    ).all()
    mention_norms: dict[int, set[str]] = defaultdict(set)
    for doc_actor, norm in conn.execute(
        sa.select(mentions.c.article_actor_id, mentions.c.norm).where(
            mentions.c.actor_id == actor_id
        )
    ):
        if norm in own:
            mention_norms[doc_actor].add(norm)
    moving = [
        row_id
        for row_id, norm in doc_rows
        if norm in wanted or (mention_norms[row_id] and mention_norms[row_id] <= wanted)
    ]
    for chunk in _chunks(moving, 500):
        conn.execute(
            article_actors.update().where(article_actors.c.id.in_(chunk)).values(actor_id=new_id)
        )
        conn.execute(
            mentions.update().where(mentions.c.article_actor_id.in_(chunk)).values(actor_id=new_id)
        )
        moved_docs = sa.select(article_actors.c.article_id, article_actors.c.doc_actor_id).where(
            article_actors.c.id.in_(chunk)
        )
        for article_id, doc_actor_id in conn.execute(moved_docs).all():
            conn.execute(
                statements.update()
                .where(
                    statements.c.article_id == article_id,
                    statements.c.doc_actor_id == doc_actor_id,
                    statements.c.actor_id == actor_id,
                )
                .values(actor_id=new_id)
            )
    conn.execute(
        actor_aliases.update()
        .where(actor_aliases.c.actor_id == actor_id, actor_aliases.c.norm.in_(sorted(wanted)))
        .values(actor_id=new_id)
    )
    return new_id


def _chunks(items: Sequence[int], size: int) -> Iterable[Sequence[int]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]
