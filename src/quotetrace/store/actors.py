"""Actors across articles: linking each document's speakers to store-wide actors.

The extractor resolves speakers inside one article: its ``Actor`` records gather every
mention of a person there ("Imam Sayyed Ali Khamenei", "Imam Khamenei", "he"). Those
co-occurring mentions are what link titles to names across the store: the article that calls
Khamenei both "Ali Khamenei" and "Iran's Supreme Leader" teaches the store that the title is
his, so a later article that only says "Iran's Supreme Leader" links to him as well.

Names are compared by their ``link_key`` (``actor_names``): case, accents, hyphens, the
Arabic article, doubled letters and y/i folded, so "Volodymyr Zelenskyy" is "Volodymyr
Zelensky", "Jean-Luc Marchand" is "Jean Luc Marchand" and "al-Sudani" is "Al Sudani". A
document actor is linked by, in order:

1. exact alias: any of its names or titles already belongs to an actor; names weigh more than
   titles. A one-word personal name ("Williams") never links this way to someone with a full
   name: which Williams is meant depends on the context (rule 3);
2. compatible name: a personal name whose surname is the same (or nearly: ratio >= 88) and
   whose first name agrees — the same, spelt nearly alike, or its initial ("S. Rao" ~ "Sunita
   Rao") — with every full name an actor goes by under that surname; an actor that is also
   "Sanjay Rao" contradicts "Sunita Rao". When an initial fits several actors, it links to none;
3. the article's context: a one-word name or an acronym that fits exactly one full name of
   the same article ("Rao" beside "Sunita Rao", "WMO" beside "World Meteorological
   Organization"). The same within one story is done when stories are assigned
   (``actor_stories``);

and otherwise becomes a new actor. After each batch, every actor the batch touched gets its
canonical name (the fullest personal name its articles give it) and its label (the majority
of its mentions, with priors, see ``actor_labels``) recomputed from everything the store
holds, so the result does not depend on which article came first. A name a person chose
(``quotetrace actors rename``) is kept. What the rules get wrong, a person fixes with
``quotetrace actors merge|split``; the aliases move with the decision, so later ingests follow
it.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime

import sqlalchemy as sa
from rapidfuzz import fuzz, process

from ..errors import StoreError
from .actor_labels import PRONOUN_VOTES, choose_label, pronoun_vote
from .actor_names import AliasForm, link_key, mention_forms, normalise_mention
from .schema import actor_aliases, actors, article_actors, mentions, statements

__all__ = ["ActorIndex", "ArticleContext", "merge_actors", "split_actor"]

_SURNAME_CUTOFF = 88.0
_FIRST_NAME_CUTOFF = 88.0
_NAME_WEIGHT = 3
_TITLE_WEIGHT = 1
_PERSONAL = ("PERSON", "PER", "")


@dataclass
class _Alias:
    actor_id: int
    norm: str
    kind: str
    mentions: int
    stored: bool  # False until flushed to actor_aliases
    display: str = ""


@dataclass
class ArticleContext:
    """The full names one article's actors go by, for its one-word names and acronyms."""

    surnames: dict[str, set[int]] = field(default_factory=lambda: defaultdict(set))
    acronyms: dict[str, set[int]] = field(default_factory=lambda: defaultdict(set))

    def learn(self, actor_id: int, forms: Sequence[AliasForm], label: str) -> None:
        full = any(f.kind == "name" and " " in link_key(f.norm) for f in forms)
        for form in forms:
            words = link_key(form.norm).split()
            if form.kind != "name" or not full or not words:
                continue
            if label in _PERSONAL:
                # Its surname, and any one word the article itself calls it ("Xi").
                self.surnames[words[-1]].add(actor_id)
            if len(words) < 2:
                continue
            initials = "".join(
                w[0] for w in form.display.split() if w[:1].isupper() and w.isalpha()
            )
            if len(initials) >= 2:
                self.acronyms[initials.casefold()].add(actor_id)

    def find(self, forms: Sequence[AliasForm]) -> int | None:
        for form in forms:
            key = link_key(form.norm)
            if form.kind != "name" or " " in key or not key:
                continue
            for table in (self.surnames, self.acronyms):
                owners = table.get(key, set())
                if len(owners) == 1:
                    return next(iter(owners))
        return None


def _initial(word: str) -> bool:
    return len(word) == 1


def _words_agree(a: str, b: str, cutoff: float) -> bool:
    if a == b:
        return True
    if _initial(a) or _initial(b):
        return a[0] == b[0]
    return min(len(a), len(b)) >= 5 and fuzz.ratio(a, b) >= cutoff


def _names_agree(form: list[str], known: list[str]) -> bool:
    """Same person by the shape of the names: surname, then first name, then middles."""
    if not _words_agree(form[-1], known[-1], _SURNAME_CUTOFF) or (
        _initial(form[-1]) or _initial(known[-1])
    ):
        return False
    if not _words_agree(form[0], known[0], _FIRST_NAME_CUTOFF):
        return False
    if len(form) == len(known):
        return all(
            _words_agree(a, b, _FIRST_NAME_CUTOFF)
            for a, b in zip(form[1:-1], known[1:-1], strict=True)
        )
    return True  # a middle name or initial one of them leaves out


@dataclass
class ActorIndex:
    """Every alias in the store, in memory, so linking costs no queries per mention.

    Changes made while linking a batch are written by ``flush`` inside the batch's
    transaction; if that transaction fails the store drops this index and reloads it.
    """

    by_key: dict[str, list[_Alias]] = field(default_factory=lambda: defaultdict(list))
    _pending: dict[tuple[int, str], tuple[str, int]] = field(default_factory=dict)
    # Full personal names by the link key of their surname: actor id -> name words.
    _by_surname: dict[str, dict[int, set[tuple[str, ...]]]] = field(
        default_factory=lambda: defaultdict(lambda: defaultdict(set))
    )
    _long_surnames: list[str] = field(default_factory=list)
    _full_named: set[int] = field(default_factory=set)
    _names: dict[int, str] = field(default_factory=dict)
    _labels: dict[int, str] = field(default_factory=dict)
    _votes: dict[int, Counter[str]] = field(default_factory=lambda: defaultdict(Counter))
    _doc_names: dict[int, Counter[str]] = field(default_factory=lambda: defaultdict(Counter))
    _aliases_of: dict[int, dict[str, _Alias]] = field(default_factory=lambda: defaultdict(dict))
    _touched: set[int] = field(default_factory=set)
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
                actor_aliases.c.alias,
            ).order_by(actor_aliases.c.id)
        )
        for actor_id, norm, kind, count, display in rows:
            index._remember(_Alias(actor_id, norm, kind, count, True, display))
        for actor_id, name, label in conn.execute(
            sa.select(actors.c.id, actors.c.name, actors.c.label)
        ):
            index._names[actor_id] = name
            index._labels[actor_id] = label
        counted = sa.func.count().label("n")
        for actor_id, label, norm, n in conn.execute(
            sa.select(
                article_actors.c.actor_id, article_actors.c.label, article_actors.c.norm, counted
            )
            .where(article_actors.c.actor_id.is_not(None))
            .group_by(article_actors.c.actor_id, article_actors.c.label, article_actors.c.norm)
        ):
            index._votes[actor_id][label] += n
            index._doc_names[actor_id][norm] += n
        surface = sa.func.lower(mentions.c.surface)
        for actor_id, word, n in conn.execute(
            sa.select(mentions.c.actor_id, surface, counted)
            .where(mentions.c.actor_id.is_not(None), surface.in_(sorted(PRONOUN_VOTES)))
            .group_by(mentions.c.actor_id, surface)
        ):
            index._votes[actor_id][PRONOUN_VOTES[word]] += n
        return index

    def _remember(self, alias: _Alias) -> None:
        self.by_key[link_key(alias.norm)].append(alias)
        self._aliases_of[alias.actor_id][alias.norm] = alias
        if alias.kind == "name":
            words = link_key(alias.norm).split()
            if len(words) >= 2:
                if words[-1] not in self._by_surname and len(words[-1]) >= 5:
                    self._long_surnames.append(words[-1])  # the fuzzy candidates, kept once
                self._by_surname[words[-1]][alias.actor_id].add(tuple(words))
                self._full_named.add(alias.actor_id)

    def _alias(self, actor_id: int, norm: str) -> _Alias | None:
        return self._aliases_of.get(actor_id, {}).get(norm)

    def _exact(self, forms: Sequence[AliasForm], label: str) -> int | None:
        scores: dict[int, int] = defaultdict(int)
        weight_of_use: dict[int, int] = defaultdict(int)
        personal = label in _PERSONAL
        full = personal and any(f.kind == "name" and " " in link_key(f.norm) for f in forms)
        for form in forms:
            key = link_key(form.norm)
            bare = (
                personal and form.kind == "name" and " " not in key and not form.display.isupper()
            )
            if bare and full:
                continue  # "Serena Williams", also "Williams": the full name decides
            for alias in self.by_key.get(key, ()):
                if bare and alias.actor_id in self._full_named:
                    continue  # "Williams" alone: which one is meant is the context's call
                scores[alias.actor_id] += _NAME_WEIGHT if form.kind == "name" else _TITLE_WEIGHT
                weight_of_use[alias.actor_id] += alias.mentions
        if not scores:
            return None
        return max(scores, key=lambda a: (scores[a], weight_of_use[a], -a))

    def _compatible(self, forms: Sequence[AliasForm]) -> int | None:
        for form in forms:
            words = link_key(form.norm).split()
            if form.kind != "name" or len(words) < 2 or _initial(words[-1]):
                continue
            surnames = [words[-1]]
            if len(words[-1]) >= 5:
                surnames += [
                    s
                    for s, _, _ in process.extract(
                        words[-1],
                        self._long_surnames,
                        scorer=fuzz.ratio,
                        score_cutoff=_SURNAME_CUTOFF,
                        limit=20,
                    )
                    if s != words[-1]
                ]
            known: dict[int, set[tuple[str, ...]]] = defaultdict(set)
            for surname in surnames:
                for actor_id, names in self._by_surname.get(surname, {}).items():
                    known[actor_id] |= names
            fitting = [
                actor_id
                for actor_id, names in known.items()
                if all(_names_agree(words, list(n)) for n in names)
            ]
            if len(fitting) == 1:
                return fitting[0]
            if len(fitting) > 1 and not any(_initial(w) for w in words[:-1]):
                # Several actors a person split apart: the most mentioned one.
                return max(fitting, key=lambda a: (self._mentions_of(a), -a))
        return None

    def _mentions_of(self, actor_id: int) -> int:
        return sum(a.mentions for a in self._aliases_of.get(actor_id, {}).values())

    def find(
        self,
        forms: Sequence[AliasForm],
        label: str = "PERSON",
        context: ArticleContext | None = None,
    ) -> int | None:
        """The store actor these names and titles belong to, if any (rules in the module doc)."""
        found = self._exact(forms, label)
        if found is None:
            found = self._compatible(forms)
        if found is None and context is not None:
            found = context.find(forms)
        return found

    def add_alias(self, actor_id: int, form: AliasForm, count: int) -> None:
        alias = self._alias(actor_id, form.norm)
        if alias is None:
            alias = _Alias(actor_id, form.norm, form.kind, 0, stored=False, display=form.display)
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
        context: ArticleContext | None = None,
        *,
        doc_actor: bool = True,
    ) -> int | None:
        """The store actor for one document actor, created when none matches.

        Returns None when nothing about the actor names anyone ("he", "the official").
        """
        forms = self.forms(name, label, surfaces)
        if not forms:
            return None
        counts: Counter[str] = Counter()
        votes: Counter[str] = Counter()
        for surface in surfaces:
            for form in mention_forms(surface, label):
                counts[form.norm] += 1  # alias counts measure mentions; the name is not one
            vote = pronoun_vote(surface)
            if vote is not None:
                votes[vote] += 1
        actor_id = self.find(forms, label, context)
        if actor_id is None:
            actor_id = self._create(conn, _canonical_name(name, forms), label)
        for form in forms:
            self.add_alias(actor_id, form, counts[form.norm])
        votes[label] += 1
        if doc_actor:
            own = normalise_mention(name, label)
            self._doc_names[actor_id][own.norm if own else name.casefold()] += 1
        self._votes[actor_id].update(votes)
        self._touched.add(actor_id)
        if context is not None:
            context.learn(actor_id, forms, label)
        return actor_id

    @staticmethod
    def forms(name: str, label: str, surfaces: Iterable[str]) -> list[AliasForm]:
        """Every distinct name and title a document actor goes by, its own name first."""
        forms: list[AliasForm] = []
        seen: set[str] = set()
        for surface in (name, *surfaces):
            for form in mention_forms(surface, label):
                if form.norm not in seen:
                    seen.add(form.norm)
                    forms.append(form)
        return forms

    def _create(self, conn: sa.Connection, name: str, label: str) -> int:
        created = int(
            conn.execute(
                actors.insert().returning(actors.c.id),
                {"name": name, "label": label, "created_at": _now()},
            ).scalar_one()
        )
        self._names[created] = name
        self._labels[created] = label
        self.actors_created += 1
        return created

    def flush(self, conn: sa.Connection) -> None:
        """Write the aliases added since the last flush (same transaction as the batch), then
        the names and labels of the actors the batch touched."""
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
        changed: list[dict[str, object]] = []
        for actor_id in sorted(self._touched):
            before = (self._names.get(actor_id), self._labels.get(actor_id))
            votes = self._votes[actor_id] + Counter({"PERSON": 2 * self._titled(actor_id)})
            label = choose_label(votes, self._best_name(actor_id))
            self._labels[actor_id] = label  # a person's name is chosen as a person's
            name = self._best_name(actor_id)
            if (name, label) != before:
                self._names[actor_id] = name
                changed.append({"a": actor_id, "name": name, "label": label})
        if changed:
            conn.execute(
                actors.update()
                .where(actors.c.id == sa.bindparam("a"))
                .values(name=sa.bindparam("name"), label=sa.bindparam("label")),
                changed,
            )
        self._touched.clear()
        # Read after the last write: a later change by another process shows as a new value.
        self._fingerprint = self._read_fingerprint(conn)

    def _titled(self, actor_id: int) -> int:
        """How many of its names carry a person's title ("Opposition leader Renata Vosk"):
        evidence of a person that an article's NER may have missed."""
        count = 0
        for alias in self._aliases_of.get(actor_id, {}).values():
            forms = mention_forms(alias.display, "PERSON")
            if alias.kind == "title" or (
                len(forms) == 2 and forms[1].kind == "title" and len(forms[0].tokens) >= 2
            ):
                count += 1
        return count

    def _best_name(self, actor_id: int) -> str:
        """The fullest personal name the actor's articles give it; a name a person chose
        (one that is none of its aliases) stays."""
        current = self._names.get(actor_id, "")
        aliases = [a for a in self._aliases_of.get(actor_id, {}).values() if a.kind == "name"]
        displays = {a.display for a in self._aliases_of.get(actor_id, {}).values()}
        displays |= {" ".join(w.capitalize() for w in d.split()) for d in displays}
        if not aliases or (current and current not in displays):
            return current
        own = self._doc_names.get(actor_id, Counter())
        personal = self._labels.get(actor_id, "PERSON") in _PERSONAL

        def rank(a: _Alias) -> tuple[object, ...]:
            words = a.display.split()
            full = not any(len(w.strip(".")) == 1 for w in words)
            usual = own[a.norm] > 0  # the extractor's own name for it in some article
            if personal:
                return (usual, full, len(words), own[a.norm], a.mentions, a.display)
            # Organisations too by their fullest name: "World Meteorological Organization"
            # rather than "WMO".
            return (
                not a.display.isupper(),
                " and " not in a.display,  # "United Auto Workers and Ford" names two
                usual,
                len(words),
                a.mentions,
                own[a.norm],
                a.display,
            )

        best = max(aliases, key=rank).display
        if personal:
            # A crawl's capitals ("OSCAR Pistorius") are not how the person is written.
            best = " ".join(
                w.capitalize() if len(w) > 2 and w.isupper() else w for w in best.split()
            )
        return best


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
