"""Which tokens of a doc the rules try as cues, read from the doc's arrays.

The rules look at every token of every sentence, and most tokens are no cue at all: building a
Token object for each and reading its strings cost more than the tests themselves. Here each
distinct word, tag and lemma of the article is tested once, and the tokens that pass are
handed to the rules in order.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from spacy.attrs import LEMMA, LOWER, POS, TAG
from spacy.parts_of_speech import AUX, NOUN, VERB
from spacy.tokens import Doc

from .cues import STANCE_NOUNS

__all__ = ["ACCORDING", "NOUN_CUE", "VERB_CUE", "cue_tokens"]

# What a token may be the cue of: "according to", a verb's report, a noun's ("her claim that").
ACCORDING, VERB_CUE, NOUN_CUE = 1, 2, 3


def cue_tokens(doc: Doc, open_vocabulary: bool) -> tuple[list[int], list[int]]:
    """The indices of the tokens that may be cues, in order, and what each may be a cue of.

    "according" followed by "to" comes first; then a verb (by part of speech or a VB* tag);
    then a noun: any noun with ``open_vocabulary``, else one whose lemma is a stance noun.
    """
    if not len(doc):
        return [], []
    cols = doc.to_array([LOWER, POS, TAG, LEMMA])
    strings = doc.vocab.strings

    def test(column: int, rule: Callable[[str], bool]) -> np.ndarray:
        keys, of = np.unique(cols[:, column], return_inverse=True)
        hits = np.array([rule(strings[k]) for k in keys.tolist()], dtype=bool)
        return hits[of.reshape(-1)]

    lower = cols[:, 0]  # the hashes of the lowercased words
    according = np.zeros(len(doc), dtype=bool)
    according[:-1] = (lower[:-1] == strings["according"]) & (lower[1:] == strings["to"])
    pos = cols[:, 1]
    verb = (pos == VERB) | (pos == AUX) | test(2, lambda t: t.startswith("VB"))
    noun = pos == NOUN
    if not open_vocabulary:
        noun &= test(3, lambda lemma: lemma.lower() in STANCE_NOUNS)
    kind = np.where(according, ACCORDING, np.where(verb, VERB_CUE, np.where(noun, NOUN_CUE, 0)))
    at = np.flatnonzero(kind)
    return at.tolist(), kind[at].tolist()
