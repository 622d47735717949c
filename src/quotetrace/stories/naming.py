"""The names each outlet of a story uses for each actor, speakers or not.

One outlet writes "His Eminence Imam Sayyed Ali Khamenei", another "Iran's Supreme Leader,
Ayatollah Ali Khamenei", a third "the Leader"; one writes "Israel", another "the Zionist
regime", a third "the Tel Aviv regime". The names are collected from three places:

1. the extractor's actors and speakers: every mention and every source span of an actor
   (pronouns left out), under the story-wide actor of ``actors.py``;
2. the other names in the text: capitalised runs ("Tel Aviv", "Washington"), with a leading
   "the" and an actor noun after them when the text has one ("the Zionist regime",
   "the Velmari government"), keyed by their identifying word, so "Israeli" meets "Israel"
   and "Velmari" meets "Velmar" (one key a prefix of the other);
3. the aligned statements: where two versions of one statement differ by one name each
   ("the ‘Israeli’ regime cannot continue the war" / "the Zionist regime cannot continue the
   war"), the two names are names of one actor.

Only comparison links names: there is no list of preferred or loaded names.
"""

from __future__ import annotations

import difflib
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

from ..models import ProcessedArticle
from .actors import StoryActors
from .alignment import StatementGroup
from .text import STOPWORDS, name_mentions, normalise_name, word_tokens, wordset

__all__ = ["NameMention", "story_names"]

_PRONOUNS = wordset("he she they it him her them his hers its their we i you us our this that who")
# Nouns that make a name into a name of an actor ("the Zionist regime", "the Iraqi
# government"). A grammatical class, not a judgement: every such noun is treated alike.
_ACTOR_NOUNS = wordset(
    """regime government administration authorities army military forces leadership leader
    president premier minister state entity side counterpart officials cabinet parliament
    people nation republic kingdom"""
)

_ADJECTIVE_LIKE = re.compile(r"^[A-Z][a-z]+(?:i|an|ese|ish|ist|ic)$")

Node = tuple[str, str]  # ("actor", doc_id + name) or ("entity", key)


@dataclass(frozen=True)
class NameMention:
    """A name in one article, with the node of the actor it names."""

    doc_id: str
    start: int
    end: int
    text: str
    node: Node
    is_actor: bool


@dataclass
class _Nodes:
    parent: dict[Node, Node] = field(default_factory=dict)

    def find(self, node: Node) -> Node:
        self.parent.setdefault(node, node)
        root = node
        while self.parent[root] != root:
            root = self.parent[root]
        while self.parent[node] != root:
            self.parent[node], node = root, self.parent[node]
        return root

    def union(self, a: Node, b: Node) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra == rb:
            return
        # An actor the extractor knows names the merged cluster.
        if ra[0] == "entity" and rb[0] == "actor":
            ra, rb = rb, ra
        self.parent[rb] = ra


def _is_pronoun(text: str) -> bool:
    return text.lower().strip() in _PRONOUNS


def _actor_node(actors: StoryActors, doc_id: str, name: str) -> Node:
    root = actors.find((doc_id, name))
    return ("actor", f"{root[0]}\x00{root[1]}")


def _expand(text: str, start: int, end: int) -> tuple[int, int] | None:
    """Widen a name to how the text names the actor with it.

    "the Zionist regime" (an actor noun follows), "the United States" (the name takes an
    article); None for "Israeli" in "Israeli strikes" or "the Muslim world", where the name
    only describes something else.
    """
    follows = re.match(r"[’'\"”]?\s+([a-z]+)", text[end:])
    # An adjective of nationality or creed before a noun ("Israeli strikes") describes the
    # noun; any other name before a lowercase word is the subject of a verb ("Velmar cannot").
    modifier = (
        follows is not None
        and _ADJECTIVE_LIKE.search(text[start:end]) is not None
        and follows.group(1) not in STOPWORDS
        and follows.group(1) not in _ACTOR_NOUNS
    )
    before = text[max(0, start - 6) : start]
    m = re.search(r"(?:^|\W)(the\s+[‘'\"“]?)$", before, re.I)
    if not m:
        return None if modifier else (start, end)
    new_start = start - len(m.group(1))
    # The closing mark of a scare-quoted name ("‘Israeli’ regime") stays inside the name.
    after = re.match(r"[’'\"”]?\s+([a-z]+)", text[end:])
    if after is None:
        return new_start, end
    if after.group(1) in _ACTOR_NOUNS:
        return new_start, end + after.end()
    if after.group(1) in STOPWORDS:
        return new_start, end
    return None


_HONORIFICS = wordset("his her the of mr mrs ms dr sir")


def _entity_key(name: str) -> str | None:
    """The identifying word of a name: its last word ("Tel Aviv" -> "aviv")."""
    words = [w for w in re.findall(r"[a-z0-9]+", normalise_name(name)) if w not in _HONORIFICS]
    return words[-1] if words else None


def _collect(
    docs: Sequence[ProcessedArticle], actors: StoryActors, nodes: _Nodes
) -> list[NameMention]:
    mentions: list[NameMention] = []
    for processed in docs:
        doc_id, text = processed.article.doc_id, processed.article.text
        taken: list[tuple[int, int]] = []
        speaker_spans = [
            (a.speaker, a.source) for a in processed.attributions if a.speaker and a.source
        ]
        # Other mentions only of people: an organisation the extractor found ("Velmari" in
        # "the Velmari government") is a name like any other, found again below.
        actor_spans = [
            (a.name, m) for a in processed.actors if a.label == "PERSON" for m in a.mentions
        ]
        for name, (start, end) in speaker_spans + actor_spans:
            taken.append((start, end))
            surface = text[start:end]
            if _is_pronoun(surface) or not surface.strip():
                continue
            node = _actor_node(actors, doc_id, name)
            nodes.find(node)
            mentions.append(NameMention(doc_id, start, end, surface, node, True))
        for name, start, end in name_mentions(text):
            if any(s < end and start < e for s, e in taken):
                continue
            key = _entity_key(name)
            if key is None:
                continue
            expanded = _expand(text, start, end)
            if expanded is None:
                continue
            start, end = expanded
            entity: Node = ("entity", key)
            nodes.find(entity)
            mentions.append(NameMention(doc_id, start, end, text[start:end], entity, False))
    return mentions


def _related(a: str, b: str) -> bool:
    """One name key is the other, or its adjective: "israel"/"israeli", "velmar"/"velmari"."""
    short, long_ = sorted((a, b), key=len)
    return short == long_ or (
        len(short) >= 4 and long_.startswith(short) and len(long_) - len(short) <= 3
    )


def _link_keys(mentions: Sequence[NameMention], actors: StoryActors, nodes: _Nodes) -> None:
    """ "Israeli" meets "Israel", "Khamenei" meets the actor Khamenei."""
    from .actors import actor_surname

    keys = sorted({m.node[1] for m in mentions if m.node[0] == "entity"})
    for i, a in enumerate(keys):
        for b in keys[i + 1 :]:
            if _related(a, b):
                nodes.union(("entity", a), ("entity", b))
    # An unlinked mention of an actor's surname ("Imam Khamenei" in running text, "the
    # Velmari government" for the speaker Velmar) is that actor: the surname of the actor's
    # story-wide name, not of each mention ("The Leader of Iran" does not make every "Iran"
    # a name of the Leader).
    surnames: dict[Node, str] = {}
    for m in mentions:
        if m.is_actor and m.node not in surnames:
            doc_id, name = m.node[1].split("\x00", 1)
            surname = actor_surname(actors.label((doc_id, name)))
            if surname:
                surnames[m.node] = surname
    for node, surname in surnames.items():
        for key in keys:
            if _related(surname, key):
                nodes.union(node, ("entity", key))


def _link_by_alignment(
    groups: Sequence[StatementGroup],
    docs: dict[str, ProcessedArticle],
    mentions: Sequence[NameMention],
    nodes: _Nodes,
) -> None:
    by_doc: dict[str, list[NameMention]] = {}
    for m in mentions:
        by_doc.setdefault(m.doc_id, []).append(m)
    for group in groups:
        members = group.members
        for i, a in enumerate(members):
            for b in members[i + 1 :]:
                ta = word_tokens(a.text, a.content[0])
                tb = word_tokens(b.text, b.content[0])
                matcher = difflib.SequenceMatcher(
                    a=[t.lower for t in ta], b=[t.lower for t in tb], autojunk=False
                )
                for op, i1, i2, j1, j2 in matcher.get_opcodes():
                    if op != "replace":
                        continue
                    na = _names_in(by_doc.get(a.doc_id, []), ta[i1].start, ta[i2 - 1].end)
                    nb = _names_in(by_doc.get(b.doc_id, []), tb[j1].start, tb[j2 - 1].end)
                    if len(na) != 1 or len(nb) != 1:
                        continue
                    x, y = na[0], nb[0]
                    if x.is_actor and y.is_actor:
                        continue  # two speakers are linked by actors.py, not by wording
                    if nodes.find(x.node) != nodes.find(y.node):
                        nodes.union(x.node, y.node)


def _names_in(mentions: Sequence[NameMention], start: int, end: int) -> list[NameMention]:
    found = [m for m in mentions if m.start < end and start < m.end]
    unique: dict[Node, NameMention] = {}
    for m in found:
        unique.setdefault(m.node, m)
    return list(unique.values())


def _label(root: Node, names: Counter[str], actors: StoryActors) -> str:
    if root[0] == "actor":
        doc_id, name = root[1].split("\x00", 1)
        return actors.label((doc_id, name))
    proper = [n for n in names if not n.lower().startswith("the ")]
    if not proper:
        proper = [re.sub(r"^the\s+", "", n, flags=re.I) for n in names]
        names = Counter({p: 1 for p in proper})
    return max(proper, key=lambda n: (names[n], len(n), n))


def story_names(
    docs: Sequence[ProcessedArticle],
    actors: StoryActors,
    groups: Sequence[StatementGroup],
) -> dict[str, dict[str, list[str]]]:
    """{actor: {outlet: [names in order of first use]}} for the actors of a story.

    Speakers are always listed; other actors when at least two outlets name them.
    """
    nodes = _Nodes()
    mentions = _collect(docs, actors, nodes)
    _link_keys(mentions, actors, nodes)
    _link_by_alignment(groups, {p.article.doc_id: p for p in docs}, mentions, nodes)
    outlet_of = {p.article.doc_id: p.article.outlet or p.article.doc_id for p in docs}
    speakers = {
        nodes.find(_actor_node(actors, p.article.doc_id, a.speaker))
        for p in docs
        for a in p.attributions
        if a.speaker
    }
    table: dict[Node, dict[str, list[str]]] = {}
    counts: dict[Node, Counter[str]] = {}
    for m in sorted(mentions, key=lambda m: (m.doc_id, m.start)):
        root = nodes.find(m.node)
        surface = " ".join(m.text.split())
        used = table.setdefault(root, {}).setdefault(outlet_of[m.doc_id], [])
        if surface.lower() not in (n.lower() for n in used):
            used.append(surface)
        counts.setdefault(root, Counter())[surface] += 1
    result: dict[str, dict[str, list[str]]] = {}
    order = [outlet_of[p.article.doc_id] for p in docs]
    for root, per_outlet in table.items():
        if root not in speakers and len(per_outlet) < 2:
            continue
        label = _label(root, counts[root], actors)
        if label.lower() in STOPWORDS:
            continue
        entry = result.setdefault(label, {})
        for outlet in sorted(per_outlet, key=order.index):
            known = entry.setdefault(outlet, [])
            known.extend(n for n in per_outlet[outlet] if n not in known)
    return result
