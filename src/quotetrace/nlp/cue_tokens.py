"""Which tokens of a doc the rules try as cues, read from the doc's arrays.

The rules look at every token of every sentence, and most tokens are no cue at all: building a
Token object for each and reading its strings cost more than the tests themselves. Here each
distinct word, tag and lemma of the article is tested once, and the tokens that pass are
handed to the rules in order.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable
from typing import Any

import numpy as np
from spacy.attrs import LEMMA, LOWER, POS, TAG
from spacy.parts_of_speech import AUX, NOUN, VERB
from spacy.tokens import Doc

from .cues import STANCE_NOUNS

__all__ = [
    "ACCORDING",
    "COPULA",
    "NOUN_CUE",
    "PHRASE_NOUN",
    "PHRASE_VERB",
    "VERB_CUE",
    "TokenKinds",
    "cue_tokens",
    "in_sentence",
    "phrase_tokens",
]

# What a token may be the cue of: "according to", a verb's report, a noun's ("her claim that").
ACCORDING, VERB_CUE, NOUN_CUE = 1, 2, 3
# What a token may head in a phrase frame (``phrase_frames``): a copula ("is critical of"),
# a verb ("complained about"), a noun ("his comments on").
COPULA, PHRASE_VERB, PHRASE_NOUN = 1, 2, 3

# Token indices in order, and the kind of each.
TokenKinds = tuple[list[int], list[int]]


def cue_tokens(doc: Doc, open_vocabulary: bool) -> TokenKinds:
    """The indices of the tokens that may be cues, in order, and what each may be a cue of.

    "according" followed by "to" comes first; then a verb (by part of speech or a VB* tag);
    then a noun: any noun with ``open_vocabulary``, else one whose lemma is a stance noun.
    """
    if not len(doc):
        return [], []
    cols = doc.to_array([LOWER, POS, TAG, LEMMA])
    strings = doc.vocab.strings

    def test(column: int, rule: Callable[[str], bool]) -> np.ndarray:
        return _test(cols[:, column], strings, rule)

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


def phrase_tokens(doc: Doc) -> TokenKinds:
    """The tokens that may head a phrase frame: a copula (lemma "be", an auxiliary or verb),
    else a verb, else a noun."""
    if not len(doc):
        return [], []
    cols = doc.to_array([POS, LEMMA])
    pos = cols[:, 0]
    copula = ((pos == AUX) | (pos == VERB)) & _test(
        cols[:, 1], doc.vocab.strings, lambda lemma: lemma.lower() == "be"
    )
    kind = np.where(
        copula, COPULA, np.where(pos == VERB, PHRASE_VERB, np.where(pos == NOUN, PHRASE_NOUN, 0))
    )
    at = np.flatnonzero(kind)
    return at.tolist(), kind[at].tolist()


def in_sentence(tokens: TokenKinds, start: int, end: int) -> TokenKinds:
    """The part of ``tokens`` in the token range ``[start, end)``."""
    at, kinds = tokens
    lo = bisect.bisect_left(at, start)
    hi = bisect.bisect_left(at, end, lo)
    return at[lo:hi], kinds[lo:hi]


def _test(column: np.ndarray, strings: Any, rule: Callable[[str], bool]) -> np.ndarray:
    """``rule`` of each token's string in an attribute column, tested once per distinct one."""
    keys, of = np.unique(column, return_inverse=True)
    hits = np.array([rule(strings[k]) for k in keys.tolist()], dtype=bool)
    return hits[of.reshape(-1)]
