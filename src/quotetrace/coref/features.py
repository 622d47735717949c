"""Features of mentions and of (antecedent, anaphor) pairs, as numpy arrays.

Pairs are laid out as an ``(M, W)`` grid: row ``j`` is an anaphor, column ``d`` the candidate
antecedent ``j - 1 - d`` (nearest first), so that every feature of every pair of an article is
one vectorised expression and no per-pair Python object is ever made. A pair's score is the dot
product of its base features with the weight row of the anaphor's category (a name, a nominal,
or the pronoun's class): one linear model per kind of anaphor, fitted jointly.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from .mentions import NAME, NOMINAL, PRONOUN, Mentions

__all__ = [
    "BASE_FEATURES",
    "CATEGORIES",
    "MentionTyper",
    "PairGrid",
    "categories",
    "pair_columns",
    "pair_grid",
]

# The anaphor categories; each has its own weight row. Order is part of the weights' meaning.
CATEGORIES = ("name", "nominal", "he", "she", "it", "they", "i", "we", "you", "who", "someone")
_CATEGORY_INDEX = {c: k for k, c in enumerate(CATEGORIES)}

BASE_FEATURES = (
    "bias",
    "sent_dist=0",
    "sent_dist=1",
    "sent_dist=2",
    "sent_dist=3-4",
    "sent_dist=5-9",
    "sent_dist=10+",
    "mention_dist=1",
    "mention_dist=2",
    "mention_dist=3-5",
    "mention_dist=6-10",
    "mention_dist=11+",
    "ante_form=name",
    "ante_form=nominal",
    "ante_form=pronoun",
    "same_pronoun_class",
    "text_match",
    "head_match",
    "last_word_match",
    "gender_match",
    "gender_clash",
    "number_match",
    "number_clash",
    "ante_p_person",
    "ante_p_org",
    "ante_ner=PERSON",
    "ante_ner=ORG",
    "ante_ner=NORP|GPE",
    "ante_role=subject",
    "ante_role=object",
    "ante_role=possessor",
    "same_role",
    "same_paragraph",
    "both_quoted",
    "ante_quoted_only",
    "ana_quoted_only",
    "apposition_or_predicate",
    "nested",
    "compatible_rank=0",
    "compatible_rank=1",
    "compatible_rank=2+",
    "person_agreement",
    "org_agreement",
    "ante_first_person",
    "ante_second_person",
    "ante_it",
    "ante_they",
    "ante_he_she",
    "relative_pronoun_of",
)
N_BASE = len(BASE_FEATURES)


_SHORT_TITLES = frozenset(
    "mr mrs ms miss dr prof sir dame lord lady rev fr sen rep gov gen col capt lt sgt".split()
)


class MentionTyper:
    """P(person), P(organisation) of a mention from its lexicon key, learned from counts.

    Keys are ``ner:LABEL`` for entities, ``propn`` for other proper nouns, ``pron:word`` for
    pronouns and ``noun:lemma`` for common nouns, which back off to ``suf:abc`` (the last three
    letters: "-ist", "-ian", "-ers") and then to ``noun:*``.
    """

    def __init__(
        self, table: dict[str, tuple[float, float]], genders: dict[str, float] | None = None
    ) -> None:
        self.table = table
        self.genders = genders or {}  # key -> P(feminine) among he/she-class pronoun chains
        self.default = table.get("noun:*", (0.1, 0.05))

    def is_title(self, word: str) -> bool:
        """A capitalised word before a name that the lexicon knows as a person noun
        ("Councillor", "President", "Chief"), or a short title ("Dr.", "Mr")."""
        low = word.lower().rstrip(".")
        if low in _SHORT_TITLES:
            return True
        if not word[:1].isupper():
            return False
        hit = self.table.get("noun:" + low)
        return hit is not None and hit[0] >= 0.5

    def gender_of(self, key: str) -> int:
        """1 masculine, 2 feminine, 0 unknown or mixed ("doctor", "Sam")."""
        p = self.genders.get(key)
        if p is None:
            return 0
        return 2 if p >= 0.8 else 1 if p <= 0.2 else 0

    def lookup(self, key: str) -> tuple[float, float]:
        hit = self.table.get(key)
        if hit is not None:
            return hit
        if key.startswith("noun:"):
            hit = self.table.get("suf:" + key[5:][-3:])
            if hit is not None:
                return hit
            return self.default
        return self.table.get(key.split(":", 1)[0] + ":*", (0.0, 0.0))

    def nominal_ok(self, minimum: float) -> Callable[[str], bool]:
        def ok(lemma: str) -> bool:
            p, o = self.lookup("noun:" + lemma)
            return p + o >= minimum

        return ok

    def probabilities(self, mentions: Mentions) -> tuple[np.ndarray, np.ndarray]:
        pairs = [self.lookup(k) for k in mentions.keys]
        if not pairs:
            return np.zeros(0), np.zeros(0)
        arr = np.array(pairs, dtype=np.float64)
        return arr[:, 0], arr[:, 1]


def categories(mentions: Mentions) -> np.ndarray:
    """The weight row of each mention as an anaphor."""
    out = np.where(mentions.form == NAME, 0, 1).astype(np.int64)
    for k, pc in enumerate(mentions.pron_class):
        if pc:
            out[k] = _CATEGORY_INDEX[pc]
    return out


@dataclass
class PairGrid:
    """Base features ``x`` (M, W, F) of each anaphor's candidate antecedents, and which exist."""

    x: np.ndarray
    valid: np.ndarray  # (M, W) bool
    ante: np.ndarray  # (M, W) antecedent mention index (clipped to 0 where invalid)


def _buckets(values: np.ndarray, edges: tuple[int, ...]) -> list[np.ndarray]:
    """One indicator per bucket [edges[k], edges[k+1]); the last is open."""
    out = []
    for k, low in enumerate(edges):
        if k + 1 < len(edges):
            out.append((values >= low) & (values < edges[k + 1]))
        else:
            out.append(values >= low)
    return out


def pair_columns(
    m: Mentions, p_person: np.ndarray, p_org: np.ndarray, window: int
) -> tuple[list[np.ndarray], np.ndarray, np.ndarray]:
    """The base features of every (antecedent, anaphor) pair within ``window`` mentions, one
    ``(M, W)`` array per feature (in ``BASE_FEATURES`` order), with which pairs exist and
    each pair's antecedent index."""
    n = len(m)
    w = max(1, min(window, n))
    j = np.arange(n)[:, None]
    d = np.arange(1, w + 1)[None, :]
    ante_raw = j - d
    valid = ante_raw >= 0
    a = np.where(valid, ante_raw, 0)

    def pick(arr: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        # the antecedent's value (gathered) and the anaphor's (broadcast down its row)
        return arr[a], arr[:, None]

    sa, sj = pick(m.sent)
    sent_dist = sj - sa
    fa = m.form[a]
    ga, gj = pick(m.gender)
    na, nj = pick(m.number)
    ra, rj = pick(m.role)
    qa, qj = pick(m.quoted)
    pa, pj = pick(m.para)
    ea = m.ner[a]
    ca, cj = pick(np.where(m.form == PRONOUN, categories(m), -1))
    gender_known = (ga > 0) & (gj > 0)
    number_known = (na > 0) & (nj > 0)
    gender_clash = gender_known & (ga != gj)
    number_clash = number_known & (na != nj)
    ppa, ppj = pick(p_person)
    poa, poj = pick(p_org)
    nested = (m.start[:, None] < m.end[a]) & (m.start[a] < m.end[:, None])

    compatible = valid & ~gender_clash & ~number_clash
    rank = np.cumsum(compatible, axis=1) - 1  # compatible candidates nearer than this one
    c = _CATEGORY_INDEX
    cols: list[np.ndarray] = [np.ones(a.shape, dtype=bool)]
    cols += _buckets(sent_dist, (0, 1, 2, 3, 5, 10))
    cols += _buckets(np.broadcast_to(d, a.shape), (1, 2, 3, 6, 11))
    cols += [fa == NAME, fa == NOMINAL, fa == PRONOUN]
    cols += [(ca >= 0) & (ca == cj)]
    cols += [
        m.text_id[a] == m.text_id[:, None],
        m.head_id[a] == m.head_id[:, None],
        m.last_id[a] == m.last_id[:, None],
    ]
    cols += [gender_known & (ga == gj), gender_clash, number_known & (na == nj), number_clash]
    cols += [ppa, poa]
    cols += [ea == 1, ea == 2, (ea == 3) | (ea == 4)]
    cols += [ra == 1, ra == 2, ra == 3, (ra == rj) & (ra > 0)]
    cols += [pa == pj, (qa == 1) & (qj == 1), (qa == 1) & (qj == 0), (qa == 0) & (qj == 1)]
    cols += [(m.appos_of[:, None] == a) | (m.appos_of[a] == j), nested]
    cols += [compatible & (rank == 0), compatible & (rank == 1), compatible & (rank >= 2)]
    cols += [ppa * ppj, poa * poj]
    cols += [(ca == c["i"]) | (ca == c["we"]), ca == c["you"], ca == c["it"], ca == c["they"]]
    cols += [(ca == c["he"]) | (ca == c["she"]), m.who_of[:, None] == a]
    return cols, valid, a


def pair_grid(m: Mentions, p_person: np.ndarray, p_org: np.ndarray, window: int) -> PairGrid:
    """The features of every pair as one ``(M, W, F)`` array (for training)."""
    cols, valid, a = pair_columns(m, p_person, p_org, window)
    x = np.stack([np.broadcast_to(c, valid.shape).astype(np.float64) for c in cols], axis=-1)
    x *= valid[:, :, None]
    return PairGrid(x=x, valid=valid, ante=a)
