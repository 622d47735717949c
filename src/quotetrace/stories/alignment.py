"""Statement alignment: the same statement, as each outlet of a story reported it.

Inside one story, two statements from different articles are one statement when the same
actor says the same thing: verbatim, trimmed, paraphrased, or turned from a quote into
reported speech. Wording is compared on content-word stems, weighted by how rare a stem is
in the story (every statement about a dam says "dam"; few say "gamble"), as the mean of

* the overlap coefficient - a trimmed version keeps a subset of the words, and
* the weighted Jaccard - a paraphrase keeps many, but not all, of them.

Groups grow greedily from the most similar pair down, never holding two statements of one
article or the statements of two distinct actors. A speaker the story knows under one name in
one article only ("the Leader") may join another actor's group when its wording is close
enough (``weak_threshold``); afterwards it is taken to be that actor (see ``actors.py``).
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from ..models import Attribution, ProcessedArticle
from .actors import ActorKey, StoryActors
from .text import TITLE_WORDS, content_stems

__all__ = ["AlignmentParams", "StatementGroup", "StatementRef", "align_statements"]


@dataclass(frozen=True)
class AlignmentParams:
    """Similarity needed to align two statements; tuned on tests/fixtures/stories."""

    same_actor: float = 0.3
    weak_actor: float = 0.42
    no_speaker: float = 0.55
    min_shared_stems: int = 2
    group_mean: float = 0.3


@dataclass(frozen=True)
class StatementRef:
    """One attribution of one article, with what alignment needs to know about it."""

    doc_id: str
    outlet: str
    index: int
    attribution: Attribution
    text: str
    stems: tuple[str, ...]
    actor: ActorKey | None
    source_text: str = ""

    @property
    def content(self) -> tuple[int, int]:
        return self.attribution.content


@dataclass
class StatementGroup:
    """Statements that report the same thing, at most one per article."""

    members: list[StatementRef]
    actor: ActorKey | None

    @property
    def doc_ids(self) -> list[str]:
        return [m.doc_id for m in self.members]


def _statement_refs(docs: Sequence[ProcessedArticle]) -> list[StatementRef]:
    refs = []
    for processed in docs:
        article = processed.article
        for i, att in enumerate(processed.attributions):
            text = processed.snippet(att.content)
            stems = tuple(content_stems(text))
            if not stems:
                continue
            actor = (article.doc_id, att.speaker) if att.speaker else None
            refs.append(
                StatementRef(
                    doc_id=article.doc_id,
                    outlet=article.outlet or article.doc_id,
                    index=i,
                    attribution=att,
                    text=text,
                    stems=stems,
                    actor=actor,
                    source_text=processed.snippet(att.source),
                )
            )
    return refs


class _Similarity:
    """Rarity-weighted overlap of two statements' content stems."""

    def __init__(self, refs: Sequence[StatementRef]) -> None:
        df: Counter[str] = Counter()
        for ref in refs:
            df.update(set(ref.stems))
        n = max(1, len(refs))
        self.weight = {s: math.log(1.0 + n / c) for s, c in df.items()}
        self.sets = [frozenset(r.stems) for r in refs]
        self.mass = [sum(self.weight[s] for s in st) for st in self.sets]

    def __call__(self, i: int, j: int) -> tuple[float, int]:
        shared = self.sets[i] & self.sets[j]
        if not shared:
            return 0.0, 0
        inter = sum(self.weight[s] for s in shared)
        union = self.mass[i] + self.mass[j] - inter
        overlap = inter / min(self.mass[i], self.mass[j])
        return 0.5 * overlap + 0.5 * inter / union, len(shared)


def align_statements(
    docs: Sequence[ProcessedArticle],
    actors: StoryActors | None = None,
    params: AlignmentParams | None = None,
) -> list[StatementGroup]:
    """Group a story's statements across its articles; singletons are groups of one.

    Groups come out in story order: by the first article that reports them, then by position.
    """
    p = params or AlignmentParams()
    actors = actors or StoryActors.build(docs)
    refs = _statement_refs(docs)
    sim = _Similarity(refs)
    pairs: list[tuple[float, int, int]] = []
    scores: dict[tuple[int, int], float] = {}
    for i in range(len(refs)):
        for j in range(i + 1, len(refs)):
            a, b = refs[i], refs[j]
            if a.doc_id == b.doc_id:
                continue
            score, shared = sim(i, j)
            if shared < p.min_shared_stems:
                continue
            needed = _threshold(a, b, actors, p)
            if needed is None or score < needed:
                continue
            scores[(i, j)] = score
            pairs.append((score, i, j))
    pairs.sort(key=lambda t: (-t[0], t[1], t[2]))

    group_of = list(range(len(refs)))
    groups: dict[int, list[int]] = {i: [i] for i in range(len(refs))}
    for _, i, j in pairs:
        gi, gj = group_of[i], group_of[j]
        if gi == gj:
            continue
        a_members, b_members = groups[gi], groups[gj]
        if {refs[k].doc_id for k in a_members} & {refs[k].doc_id for k in b_members}:
            continue
        if not _actors_agree([refs[k] for k in a_members + b_members], actors):
            continue
        # Mean link over all cross pairs, so a chain of paraphrases cannot drift.
        cross = [
            scores.get((min(x, y), max(x, y)), sim(x, y)[0]) for x in a_members for y in b_members
        ]
        if sum(cross) / len(cross) < p.group_mean:
            continue
        for k in b_members:
            group_of[k] = gi
        groups[gi] = a_members + b_members
        del groups[gj]

    result = []
    doc_order = {p.article.doc_id: n for n, p in enumerate(docs)}
    for members in groups.values():
        ordered = sorted(
            (refs[k] for k in members), key=lambda r: (doc_order[r.doc_id], r.content[0])
        )
        result.append(StatementGroup(members=ordered, actor=_group_actor(ordered, actors)))
    result.sort(key=lambda g: (doc_order[g.members[0].doc_id], g.members[0].content[0]))
    _adopt_weak_speakers(result, actors)
    for group in result:
        group.actor = _group_actor(group.members, actors)
    return result


def _threshold(
    a: StatementRef, b: StatementRef, actors: StoryActors, p: AlignmentParams
) -> float | None:
    if a.actor is None or b.actor is None:
        return p.no_speaker
    if actors.same(a.actor, b.actor):
        return p.same_actor
    if actors.is_strong(a.actor) and actors.is_strong(b.actor):
        return None  # two people each named by two outlets: never one statement
    return p.weak_actor


def _actors_agree(members: list[StatementRef], actors: StoryActors) -> bool:
    strong = {actors.find(m.actor) for m in members if m.actor and actors.is_strong(m.actor)}
    return len(strong) <= 1


def _group_actor(members: list[StatementRef], actors: StoryActors) -> ActorKey | None:
    roots = Counter(actors.find(m.actor) for m in members if m.actor)
    if not roots:
        return None
    strong = [r for r in roots if actors.is_strong(r)]
    pool = strong or list(roots)
    return max(pool, key=lambda r: (roots[r], r))


def _adopt_weak_speakers(groups: list[StatementGroup], actors: StoryActors) -> None:
    """A weak speaker aligned with a strong actor's statements is that actor."""
    votes: Counter[tuple[ActorKey, ActorKey]] = Counter()
    by_role: set[ActorKey] = set()
    for group in groups:
        target = _group_actor(group.members, actors)
        if target is None or not actors.is_strong(target):
            continue
        for m in group.members:
            if m.actor and not actors.is_strong(m.actor) and not actors.same(m.actor, target):
                votes[(actors.find(m.actor), target)] += 1
                if _names_a_role(m.source_text):
                    by_role.add(actors.find(m.actor))
    for (weak, strong), _ in sorted(votes.items(), key=lambda kv: (-kv[1], kv[0])):
        actors.adopt(weak, strong, by_role=weak in by_role)


def _names_a_role(source: str) -> bool:
    """ "the Velmari prime minister", "The Kaldoran leader": a person by office, not by name."""
    words = [w.lower() for w in source.split()]
    return len(words) >= 2 and words[-1] in TITLE_WORDS
