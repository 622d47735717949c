"""What alignment knows about a pair of statements from two outlets: one number per clue.

Outlets paraphrase, trim, turn quotes into reported speech, merge or split statements and
name the speaker differently, so no single clue decides. Each pair gets

* ``meaning``: cosine of the two statements' sentence vectors (``encoder.py``; 0 in lexical
  mode), and ``meaning_part``: the best cosine of one statement with a sentence of the other
  (one outlet's two sentences are the other's one);
* ``words``: rarity-weighted content-stem overlap (mean of overlap coefficient and weighted
  Jaccard, as version 1 of the alignment used alone), and ``verbatim``: the word-sequence
  ratio, high for copies and trims;
* ``names`` (shared capitalised names over the smaller set) and ``numbers`` (a number in
  common; ``number_clash`` when both give numbers and none agree);
* the speakers: ``same_speaker`` (one story actor), ``speaker_unknown`` (a side without one),
  ``speaker_differs`` (two actors that are not one; the hard case, two people each named in
  their own article, never gets this far);
* ``position``: how far apart the two statements sit in their articles (0 = same relative
  place), since rewrites keep the order;
* ``both_quoted``.

``alignment_model.py`` turns them into a probability with weights fitted on
``../shared/data/crossoutlet`` (leave-one-story-out measured).
"""

from __future__ import annotations

import difflib
import math
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from .actors import StoryActors
from .alignment_refs import StatementRef

__all__ = ["FEATURES", "PairFeatures", "StorySimilarity"]

FEATURES = (
    "meaning",
    "meaning_part",
    "words",
    "verbatim",
    "names",
    "numbers",
    "number_clash",
    "same_speaker",
    "speaker_unknown",
    "speaker_differs",
    "position",
    "both_quoted",
)

_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")


@dataclass(frozen=True)
class PairFeatures:
    values: tuple[float, ...]  # in the order of FEATURES

    def as_dict(self) -> dict[str, float]:
        return dict(zip(FEATURES, self.values, strict=True))


def numbers_in(text: str) -> frozenset[str]:
    return frozenset(m.group().replace(",", "") for m in _NUMBER.finditer(text))


class StorySimilarity:
    """Pair features for the statements of one story (stem weights are the story's own)."""

    def __init__(
        self,
        refs: Sequence[StatementRef],
        actors: StoryActors,
        vectors: np.ndarray | None,
        part_vectors: list[np.ndarray] | None,
    ) -> None:
        self.refs = refs
        self.actors = actors
        df: Counter[str] = Counter()
        for ref in refs:
            df.update(set(ref.stems))
        n = max(1, len(refs))
        self.weight = {s: math.log(1.0 + n / c) for s, c in df.items()}
        self.sets = [frozenset(r.stems) for r in refs]
        self.mass = [sum(self.weight[s] for s in st) for st in self.sets]
        self.vectors = vectors
        self.part_vectors = part_vectors
        self.tokens = [r.words for r in refs]

    def words(self, i: int, j: int) -> float:
        shared = self.sets[i] & self.sets[j]
        if not shared:
            return 0.0
        inter = sum(self.weight[s] for s in shared)
        union = self.mass[i] + self.mass[j] - inter
        overlap = inter / max(1e-9, min(self.mass[i], self.mass[j]))
        return 0.5 * overlap + 0.5 * inter / max(1e-9, union)

    def meaning(self, i: int, j: int) -> tuple[float, float]:
        if self.vectors is None or self.part_vectors is None:
            return 0.0, 0.0
        whole = float(self.vectors[i] @ self.vectors[j])
        best = whole
        # One side's single sentence against the other side whole: a merged statement.
        if len(self.part_vectors[i]) > 1:
            best = max(best, float((self.part_vectors[i] @ self.vectors[j]).max()))
        if len(self.part_vectors[j]) > 1:
            best = max(best, float((self.part_vectors[j] @ self.vectors[i]).max()))
        return whole, best

    def speaker(self, a: StatementRef, b: StatementRef) -> tuple[float, float, float]:
        if a.actor is None or b.actor is None:
            return 0.0, 1.0, 0.0
        if self.actors.same(a.actor, b.actor):
            return 1.0, 0.0, 0.0
        return 0.0, 0.0, 1.0

    def features(self, i: int, j: int) -> PairFeatures:
        a, b = self.refs[i], self.refs[j]
        whole, part = self.meaning(i, j)
        verbatim = difflib.SequenceMatcher(
            a=self.tokens[i], b=self.tokens[j], autojunk=False
        ).ratio()
        if a.names and b.names:
            names = len(a.names & b.names) / min(len(a.names), len(b.names))
        else:
            names = 0.0
        shared_numbers = bool(a.numbers & b.numbers)
        clash = bool(a.numbers and b.numbers and not shared_numbers)
        same, unknown, differs = self.speaker(a, b)
        return PairFeatures(
            (
                whole,
                part,
                self.words(i, j),
                verbatim,
                names,
                float(shared_numbers),
                float(clash),
                same,
                unknown,
                differs,
                abs(a.position - b.position),
                float(a.quoted and b.quoted),
            )
        )
