"""Statement alignment: the same statement, as each outlet of a story reported it.

Inside one story, two statements from different articles are one statement when the same
actor says the same thing: verbatim, trimmed, paraphrased, or turned from a quote into
reported speech. Each cross-article pair is scored by a logistic model over clues
(``alignment_features.py``: meaning by a sentence encoder, rarity-weighted shared words,
word-sequence ratio, shared names and numbers, the speakers, position in the article), with
weights fitted on real cross-outlet reporting (``alignment_model.py``).

Groups grow greedily from the most probable pair down, never holding two statements of one
article, with a mean-link check so paraphrase chains cannot drift. Speakers are the
extractor's and may be wrong, so they weigh rather than decide - except that two statements
whose articles each *name* their speaker right there, as two different actors, are never one
statement. A speaker known by a description in one article only ("the Leader") that joins a
named actor's group is afterwards taken to be that actor (see ``actors.py``).

Granularity: a statement one outlet gives in two sentences may be two statements in another
outlet. A multi-sentence statement joins, besides its own group, the group one of its
sentences matches (``StatementGroup.partial`` marks it there).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from ..models import ProcessedArticle
from .actors import ActorKey, StoryActors
from .alignment_features import FEATURES, StorySimilarity
from .alignment_model import PairModel, shipped_model
from .alignment_refs import StatementRef, statement_refs
from .encoder import encoder_mode, load_encoder
from .text import TITLE_WORDS, name_keys

__all__ = [
    "AlignmentParams",
    "StatementGroup",
    "StatementRef",
    "align_statements",
    "group_statements",
    "pair_table",
]


@dataclass(frozen=True)
class AlignmentParams:
    """Which comparison to run: ``mode`` "semantic" or "lexical" (None: semantic when the
    encoder is installed), and optionally a model other than the shipped one (tuning)."""

    mode: str | None = None
    model: PairModel | None = None


@dataclass
class StatementGroup:
    """Statements that report the same thing, at most one per article."""

    members: list[StatementRef]
    actor: ActorKey | None
    # Members that are here by one of their sentences (their whole is in another group too).
    partial: set[tuple[str, int]] = field(default_factory=set)

    @property
    def doc_ids(self) -> list[str]:
        return [m.doc_id for m in self.members]


def _encode(refs: Sequence[StatementRef]) -> tuple[np.ndarray, list[np.ndarray]] | None:
    encoder = load_encoder()
    if encoder is None:
        return None
    texts = [r.text for r in refs]
    part_index: list[tuple[int, int]] = []
    for ref in refs:
        start = len(texts)
        texts.extend(ref.parts)
        part_index.append((start, len(texts)))
    vectors = encoder.encode(texts)
    whole = vectors[: len(refs)]
    parts = [vectors[s:e] if e > s else whole[n : n + 1] for n, (s, e) in enumerate(part_index)]
    return whole, parts


def _blocked(a: StatementRef, b: StatementRef, actors: StoryActors) -> bool:
    """Both articles name the speaker on the spot, as two different actors: "Biden said" and
    "Xi said". Names that share a word ("UAW president", "UAW President Shawn Fain"; "the
    correctional services department", "Correctional Services") may be one actor."""
    if a.actor is None or b.actor is None or actors.same(a.actor, b.actor):
        return False
    if not (a.named_source and b.named_source):
        return False
    if name_keys(a.source_text) & name_keys(b.source_text):
        return False
    return not name_keys(a.actor[1]) & name_keys(b.actor[1])


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
    table = pair_table(docs, actors, p.mode)
    model = p.model or shipped_model(table.mode)
    return group_statements(docs, table, model)


@dataclass
class PairTable:
    """Every cross-article pair of a story's statements that may be one, with its clues."""

    mode: str
    refs: list[StatementRef]
    actors: StoryActors
    sim: StorySimilarity
    index: list[tuple[int, int]]
    features: np.ndarray


def pair_table(
    docs: Sequence[ProcessedArticle], actors: StoryActors, mode: str | None = None
) -> PairTable:
    refs = statement_refs(docs)
    mode = mode or encoder_mode()
    encoded = _encode(refs) if mode == "semantic" else None
    if encoded is None:
        mode = "lexical"
    sim = StorySimilarity(
        refs, actors, encoded[0] if encoded else None, encoded[1] if encoded else None
    )
    index: list[tuple[int, int]] = []
    rows = []
    for i in range(len(refs)):
        for j in range(i + 1, len(refs)):
            a, b = refs[i], refs[j]
            if a.doc_id == b.doc_id or _blocked(a, b, actors):
                continue
            index.append((i, j))
            rows.append(sim.features(i, j).values)
    features = np.asarray(rows, dtype=np.float64).reshape(len(rows), len(FEATURES))
    return PairTable(mode, refs, actors, sim, index, features)


def group_statements(
    docs: Sequence[ProcessedArticle],
    table: PairTable,
    model: PairModel,
    probabilities: np.ndarray | None = None,
) -> list[StatementGroup]:
    """Greedy grouping of the pairs the model finds probable enough."""
    refs, actors, sim = table.refs, table.actors, table.sim
    probs = model.probabilities(table.features) if probabilities is None else probabilities
    scores = {pair: float(pr) for pair, pr in zip(table.index, probs, strict=True)}
    pairs = sorted(
        ((pr, i, j) for (i, j), pr in scores.items() if pr >= model.threshold),
        key=lambda t: (-t[0], t[1], t[2]),
    )

    group_of = list(range(len(refs)))
    groups: dict[int, list[int]] = {i: [i] for i in range(len(refs))}
    for _, i, j in pairs:
        gi, gj = group_of[i], group_of[j]
        if gi == gj:
            continue
        a_members, b_members = groups[gi], groups[gj]
        if not _may_share_article(refs, a_members, b_members, sim, model):
            continue
        if not _actors_agree([refs[k] for k in a_members + b_members], actors):
            continue
        # Mean link over all cross pairs, so a chain of paraphrases cannot drift.
        cross = [scores.get((min(x, y), max(x, y)), 0.0) for x in a_members for y in b_members]
        if sum(cross) / len(cross) < model.group_mean:
            continue
        for k in b_members:
            group_of[k] = gi
        groups[gi] = a_members + b_members
        del groups[gj]

    partial = _partial_members(refs, groups, sim, actors, model)
    result = []
    doc_order = {p.article.doc_id: n for n, p in enumerate(docs)}
    for gid, members in groups.items():
        extra = partial.get(gid, [])
        ordered = sorted(
            (refs[k] for k in members + extra),
            key=lambda r: (doc_order[r.doc_id], r.content[0]),
        )
        group = StatementGroup(members=ordered, actor=_group_actor(ordered, actors))
        group.partial = {(refs[k].doc_id, refs[k].index) for k in extra}
        result.append(group)
    result.sort(key=lambda g: (doc_order[g.members[0].doc_id], g.members[0].content[0]))
    _adopt_weak_speakers(result, actors)
    for group in result:
        group.actor = _group_actor(group.members, actors)
    return result


def _may_share_article(
    refs: Sequence[StatementRef],
    a_members: Sequence[int],
    b_members: Sequence[int],
    sim: StorySimilarity,
    model: PairModel,
) -> bool:
    """Two groups may join unless they hold different statements of one article; an article
    that repeats the statement (headline and body) may sit twice, when the two are this close
    in meaning (words in lexical mode)."""
    for x in a_members:
        for y in b_members:
            if refs[x].doc_id != refs[y].doc_id:
                continue
            whole, _ = sim.meaning(x, y)
            closeness = whole if sim.vectors is not None else sim.words(x, y)
            if closeness < model.same_article:
                return False
    return True


def _partial_members(
    refs: Sequence[StatementRef],
    groups: dict[int, list[int]],
    sim: StorySimilarity,
    actors: StoryActors,
    model: PairModel,
) -> dict[int, list[int]]:
    """Multi-sentence statements that one of their sentences places in a second group."""
    out: dict[int, list[int]] = {}
    if sim.part_vectors is None or sim.vectors is None:
        return out
    home = {k: gid for gid, members in groups.items() for k in members}
    for k, ref in enumerate(refs):
        if not ref.parts:
            continue
        best: tuple[float, int] | None = None
        for gid, members in groups.items():
            if gid == home[k] or ref.doc_id in {refs[m].doc_id for m in members}:
                continue
            if any(_blocked(ref, refs[m], actors) for m in members):
                continue
            if not _actors_agree([refs[m] for m in members] + [ref], actors):
                continue
            # The sentence that matches best, by its mean cosine with the group's members.
            score = float((sim.part_vectors[k] @ sim.vectors[members].T).mean(axis=1).max())
            if score >= model.part_threshold and (best is None or score > best[0]):
                best = (score, gid)
        if best is not None:
            out.setdefault(best[1], []).append(k)
    return out


def _actors_agree(members: list[StatementRef], actors: StoryActors) -> bool:
    """No two members whose articles name their speakers as two different actors."""
    named = [m for m in members if m.actor and m.named_source]
    return not any(_blocked(a, b, actors) for i, a in enumerate(named) for b in named[i + 1 :])


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
