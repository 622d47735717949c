"""Who is who across the articles of one story.

Each article resolves its own speakers ("Ali Khamenei", "the Leader", "Al-Sudani"); a story
needs to know that two articles' speakers are one person. Two kinds of evidence are used:

* names: two speakers whose names end in the same identifying word ("Ali Khamenei" and
  "Imam Khamenei", "Al-Sudani" and "Mohammed Shia al-Sudani") are one actor. Such an actor,
  named consistently in at least two articles, is *strong*.
* statements: a speaker known in one article only, under a name that identifies no one by
  itself ("the Leader", a mis-resolved "Iran"), is *weak*; when the statements it made are
  aligned with a strong actor's statements, it is that actor - unless its article already
  names that actor (then the extractor saw two people, and we believe it).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from ..models import ProcessedArticle
from .text import name_keys

__all__ = ["ActorKey", "StoryActors", "actor_surname"]

ActorKey = tuple[str, str]  # (doc_id, name as the article's extractor gave it)


def actor_surname(name: str) -> str | None:
    """The identifying last word of a name, titles dropped: "Imam Sayyed Ali Khamenei" -> "khamenei"."""
    keys = name_keys(name)
    if not keys:
        # Two-letter surnames ("Xi", "Wu") are too short for name_keys, yet identify.
        words = [w.strip(".,'\"“”‘").removesuffix("'s") for w in name.replace("’", "'").split()]
        if words and len(words[-1]) == 2 and words[-1][:1].isupper() and words[-1][1:].islower():
            return words[-1].lower()
        return None
    words = [w for w in name.lower().replace("’", "'").replace("-", " ").split() if w]
    for word in reversed(words):
        word = word.strip(".,'\"“”‘").removesuffix("'s")
        if word in keys:
            return word
    return sorted(keys)[-1]


def _identifying_words(name: str) -> set[str]:
    """name_keys plus two-letter name words ("Xi" in "Xi Jinping", which puts the surname first)."""
    words = set(name_keys(name))
    for w in name.replace("’", "'").split():
        w = w.strip(".,'\"“”‘").removesuffix("'s")
        if len(w) == 2 and w[:1].isupper() and w[1:].islower():
            words.add(w.lower())
    return words


@dataclass
class StoryActors:
    """Union-find over (doc_id, actor name) pairs of the articles of one story."""

    docs: dict[str, ProcessedArticle]
    _parent: dict[ActorKey, ActorKey] = field(default_factory=dict)
    _named: set[ActorKey] = field(default_factory=set)
    _people: set[ActorKey] = field(default_factory=set)

    @classmethod
    def build(cls, docs: Iterable[ProcessedArticle]) -> StoryActors:
        self = cls({p.article.doc_id: p for p in docs})
        by_surname: dict[str, list[ActorKey]] = {}
        for doc_id, processed in self.docs.items():
            names = {a.name for a in processed.actors}
            names.update(a.speaker for a in processed.attributions if a.speaker)
            labels = {a.name: a.label for a in processed.actors}
            for name in sorted(names):
                key = (doc_id, name)
                self._parent[key] = key
                if labels.get(name, "PERSON") == "PERSON":
                    self._people.add(key)
                surname = actor_surname(name)
                if surname is not None:
                    by_surname.setdefault(surname, []).append(key)
        for keys in by_surname.values():
            if len({doc for doc, _ in keys}) >= 2:
                self._named.update(keys)
            for other in keys[1:]:
                self.union(keys[0], other)
        self._link_single_names(by_surname)
        return self

    def _link_single_names(self, by_surname: dict[str, list[ActorKey]]) -> None:
        """A one-word name ("Ebrahim") is the one actor whose fuller name has that word.

        Only when exactly one other actor of the story has it ("Ebrahim Raisi"), so a
        common first name shared by two people links neither.
        """
        fuller: dict[str, set[ActorKey]] = {}
        for key in list(self._parent):
            words = _identifying_words(key[1])
            if len(words) >= 2:
                for word in words:
                    fuller.setdefault(word, set()).add(self.find(key))
        for surname, keys in by_surname.items():
            for key in keys:
                if len(_identifying_words(key[1])) != 1 or self.is_strong(key):
                    continue
                roots = {r for r in fuller.get(surname, set()) if r != self.find(key)}
                if len(roots) == 1:
                    target = next(iter(roots))
                    if key[0] not in self.docs_of(target):
                        self.union(key, target)

    def copy(self) -> StoryActors:
        """An independent copy (alignment adopts weak speakers into it)."""
        return StoryActors(self.docs, dict(self._parent), set(self._named), set(self._people))

    def find(self, key: ActorKey) -> ActorKey:
        if key not in self._parent:
            self._parent[key] = key
        root = key
        while self._parent[root] != root:
            root = self._parent[root]
        while self._parent[key] != root:
            self._parent[key], key = root, self._parent[key]
        return root

    def union(self, a: ActorKey, b: ActorKey) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self._parent[max(ra, rb)] = min(ra, rb)

    def members(self, key: ActorKey) -> list[ActorKey]:
        root = self.find(key)
        return [k for k in list(self._parent) if self.find(k) == root]

    def docs_of(self, key: ActorKey) -> set[str]:
        return {doc for doc, _ in self.members(key)}

    def is_strong(self, key: ActorKey) -> bool:
        """A person named consistently by two articles or more.

        Organisations the extractor made speakers of ("Kaldoran" for "The Kaldoran leader
        claimed") are never strong: their name says which country, not which person.
        """
        members = self.members(key)
        return len({doc for doc, _ in members}) >= 2 and any(m in self._people for m in members)

    def same(self, a: ActorKey, b: ActorKey) -> bool:
        return self.find(a) == self.find(b)

    def adopt(self, weak: ActorKey, strong: ActorKey, *, by_role: bool = False) -> bool:
        """Make a weak speaker one with a strong actor, unless its article names that actor.

        ``by_role``: the article calls the weak speaker by a role ("the Velmari prime
        minister", resolved by the extractor to the country): a description of a person,
        which may well be the named actor, so naming the actor does not block it.
        """
        if self.is_strong(weak) or self.same(weak, strong):
            return False
        doc = weak[0]
        if not by_role and any(k[0] == doc and k in self._named for k in self.members(strong)):
            return False
        self.union(weak, strong)
        return True

    def label(self, key: ActorKey) -> str:
        """The fullest proper name the articles give the actor ("Mohammed Shia al-Sudani")."""
        names = Counter(name for _, name in self.members(key))
        named = [n for n in names if name_keys(n)] or list(names)
        return max(named, key=lambda n: (names[n], len(name_keys(n)), len(n), n))
