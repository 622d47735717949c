"""The coreference model: mention-pair scores, best-first linking, and entities out of clusters.

1. Mentions are detected (``mentions.py``); each gets P(person) and P(organisation) from the
   learned lexicon (``MentionTyper``).
2. Each mention's candidate antecedents within ``window`` mentions are scored by a logistic
   model over the pair features (``features.py``); the best-scoring one is taken when its
   probability passes the threshold of the anaphor's form (best-first mention ranking).
3. A name that found no antecedent in the window joins the latest earlier person or organisation
   name ending in the same word (a deterministic name sieve for long articles).
4. Clusters whose mentions are mostly people or organisations become entities, labelled by the
   sum of their mentions' probabilities and named by their fullest name (titles and honorifics
   stripped), or by a description when the article never names them.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from spacy.tokens import Doc

from ..nlp.doc_text import doc_text
from .aliases import acronym_links, alias_links, family_names
from .features import BASE_FEATURES, CATEGORIES, N_BASE, MentionTyper, categories, pair_columns
from .linking import LATEST_RULES, TurnLinks, canonical_words, link, title_links, turn_links
from .mentions import FORMS, NAME, NOMINAL, PRONOUN, Mentions, detect_mentions

__all__ = [
    "FORMAT_VERSION",
    "PACKAGED_WEIGHTS",
    "CorefModel",
    "SaidLinks",
    "canonical_words",
    "entities_from_clusters",
    "turn_links",
]

FORMAT_VERSION = 1
WEIGHTS_DIR = Path(__file__).parent / "weights"
# quotetrace.Coref.v1's and v2's weights and rules stay as published; v2 added speaker turns,
# the sieves (appositions first, the same name or description again, a title's holder),
# first-name clashes, gendered nouns, ages and "named X" as mentions, and a threshold of its own
# for descriptions; v3 adds a person called by a first name alone ("Isabel" ... "Isabel Ruiz"),
# "known as", conjoined predicate nouns; v4 gives unlabelled full names their first names, and
# its weights were chosen by the published name rule (training.names_agree); v5 names a person
# after the name said most often, labelled by the recogniser or not ("Byron" x7, "Edleston" x1)
PACKAGED = {n: WEIGHTS_DIR / f"coref-v{n}.json" for n in (1, 2, 3, 4, 5)}
PACKAGED_WEIGHTS = PACKAGED[5]


@dataclass(frozen=True)
class SaidLinks:
    """What the text itself says joins two mentions, found once per doc for both the linking
    and the naming: "X, known as Y" (rules 3 on) and acronyms in brackets (rules 4 on)."""

    aliases: list[tuple[int, int]]
    acronyms: list[tuple[int, int]]


@dataclass
class CorefModel:
    weights: np.ndarray  # (len(CATEGORIES), N_BASE)
    bias: float
    typer: MentionTyper
    threshold: float = 0.5
    pronoun_threshold: float = 0.5
    window: int = 30
    nominal_threshold: float | None = None  # None: the names' threshold (version 1 weights)
    nominal_min: float = 0.1
    keep_min: float = 0.5
    attach_unnamed: int = 1  # 0 never, 1 pronoun chains, 2 also "the <person noun>"
    rules: int = LATEST_RULES  # which inference rules the weights were tuned with (see PACKAGED)
    meta: dict[str, Any] = field(default_factory=dict)

    # -- persistence -------------------------------------------------------------------------

    def to_dict(self) -> dict[str, Any]:
        def r(v: float) -> float:
            return float(f"{v:.6g}")

        return {
            "format": FORMAT_VERSION,
            "categories": list(CATEGORIES),
            "features": list(BASE_FEATURES),
            "weights": [[r(v) for v in row] for row in self.weights.tolist()],
            "bias": r(self.bias),
            "threshold": r(self.threshold),
            "pronoun_threshold": r(self.pronoun_threshold),
            **(
                {"nominal_threshold": r(self.nominal_threshold)}
                if self.nominal_threshold is not None
                else {}
            ),
            "window": self.window,
            "nominal_min": r(self.nominal_min),
            "keep_min": r(self.keep_min),
            "attach_unnamed": self.attach_unnamed,
            **({"rules": self.rules} if self.rules > 1 else {}),
            "gender_lexicon": {k: r(v) for k, v in sorted(self.typer.genders.items())},
            "lexicon": {k: [r(p), r(o)] for k, (p, o) in sorted(self.typer.table.items())},
            "meta": self.meta,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> CorefModel:
        from ..errors import ModelError

        if data.get("format") != FORMAT_VERSION or data.get("features") != list(BASE_FEATURES):
            raise ModelError(
                "the coreference weights were made for another feature set",
                "retrain them with `quotetrace train-coref` (make train)",
            )
        cats = data["categories"]
        rows = {c: row for c, row in zip(cats, data["weights"], strict=True)}
        weights = np.array([rows.get(c, [0.0] * N_BASE) for c in CATEGORIES], dtype=np.float64)
        table = {k: (float(v[0]), float(v[1])) for k, v in data["lexicon"].items()}
        genders = {k: float(v) for k, v in data["gender_lexicon"].items()}
        return cls(
            weights=weights,
            bias=float(data["bias"]),
            typer=MentionTyper(table, genders),
            threshold=float(data["threshold"]),
            pronoun_threshold=float(data["pronoun_threshold"]),
            nominal_threshold=(
                float(data["nominal_threshold"]) if "nominal_threshold" in data else None
            ),
            window=int(data["window"]),
            nominal_min=float(data["nominal_min"]),
            keep_min=float(data["keep_min"]),
            attach_unnamed=int(data["attach_unnamed"]),
            rules=int(data.get("rules", 1)),
            meta=dict(data.get("meta") or {}),
        )

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), indent=1, sort_keys=True) + "\n"

    @classmethod
    def load(cls, where: str | Path = "packaged", version: int = LATEST_RULES) -> CorefModel:
        from ..errors import ModelError

        path = PACKAGED[version] if str(where) == "packaged" else Path(where)
        if path.is_dir():
            path = path / PACKAGED[version].name
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise ModelError(
                f"cannot read the coreference weights {path} ({exc})",
                "give a file written by `quotetrace train-coref`, or 'packaged'",
            ) from None
        return cls.from_dict(data)

    # -- inference -----------------------------------------------------------------------------

    def mentions(self, doc: Doc) -> Mentions:
        m = detect_mentions(
            doc, self.typer.nominal_ok(self.nominal_min), self.typer.gender_of, self.rules
        )
        # a title is not a first name: "President Ana Ruiz" and "Ana Ruiz" agree
        strings = doc.vocab.strings
        for k in np.flatnonzero(m.first_id).tolist():
            if self.typer.is_title(strings[int(m.first_id[k])].capitalize()):
                m.first_id[k] = 0
        return m

    def pair_probabilities(
        self, m: Mentions, p_person: np.ndarray, p_org: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray]:
        """(probabilities (M, W), antecedent indices (M, W)); invalid pairs get -1."""
        cols, valid, ante = pair_columns(m, p_person, p_org, self.window)
        rows = self.weights[categories(m)]  # (M, F): the anaphor's weight row
        z = np.full(valid.shape, self.bias)
        scaled = np.empty(valid.shape)
        for f, col in enumerate(cols):
            weight = rows[:, f : f + 1]
            if col.dtype == bool:
                # an indicator adds its weight where it holds and nothing elsewhere, which is
                # what multiplying by it would add, without making the product first
                np.add(z, weight, out=z, where=col)
            else:
                z += np.multiply(col, weight, out=scaled)
        prob = 1.0 / (1.0 + np.exp(-z))
        prob[~valid] = -1.0
        return prob, ante

    def clusters(
        self,
        doc: Doc,
        m: Mentions,
        turns: TurnLinks | None = None,
        said: SaidLinks | None = None,
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(cluster id per mention, P(person), P(org))."""
        n = len(m)
        p_person, p_org = self.typer.probabilities(m)
        if n == 0:
            return np.zeros(0, dtype=np.int64), p_person, p_org
        prob, ante = self.pair_probabilities(m, p_person, p_org)
        if turns is None:
            turns = self.turn_links(doc, m)
        if said is None:
            said = self.said_links(doc, m)
        cluster = link(
            m,
            prob,
            ante,
            self.threshold,
            self.pronoun_threshold,
            self.attach_unnamed,
            p_person,
            turns,
            self.nominal_threshold,
            title_links(doc, m, self.typer.is_title) if self.rules >= 2 else None,
            self.rules,
            said.aliases + said.acronyms,
            family_names(doc, m) if self.rules >= 4 else None,
        )
        return cluster, p_person, p_org

    def aliases(self, doc: Doc, m: Mentions) -> list[tuple[int, int]]:
        """(described, alias) mention pairs of "X, known as Y" (rules 3 on)."""
        return alias_links(doc, m) if self.rules >= 3 else []

    def acronyms(self, doc: Doc, m: Mentions) -> list[tuple[int, int]]:
        """(described, acronym) mention pairs of "Full Name (FN)" (rules 4 on)."""
        return acronym_links(doc, m) if self.rules >= 4 else []

    def said_links(self, doc: Doc, m: Mentions) -> SaidLinks:
        """This version's aliases and acronyms of ``doc``: one search for linking and naming."""
        return SaidLinks(self.aliases(doc, m), self.acronyms(doc, m))

    def turn_links(self, doc: Doc, m: Mentions) -> TurnLinks | None:
        """The speaker turns' links (rules 2 on; version 1 never read turns)."""
        return turn_links(doc, m, self.typer.is_title, self.rules) if self.rules >= 2 else None

    def resolve(self, doc: Doc) -> list[dict[str, Any]]:
        """The people and organisations of ``doc`` with all their mentions (see the component)."""
        m = self.mentions(doc)
        turns = self.turn_links(doc, m)
        said = self.said_links(doc, m)
        cluster, p_person, p_org = self.clusters(doc, m, turns, said)
        return self.entities(doc, m, cluster, p_person, p_org, turns, said)

    def entities(
        self,
        doc: Doc,
        m: Mentions,
        cluster: np.ndarray,
        p_person: np.ndarray,
        p_org: np.ndarray,
        turns: TurnLinks | None,
        said: SaidLinks | None = None,
    ) -> list[dict[str, Any]]:
        """The clusters as entity dicts, named by this version's rules."""
        if said is None:
            said = self.said_links(doc, m)
        return entities_from_clusters(
            doc,
            m,
            cluster,
            p_person,
            p_org,
            self.keep_min,
            self.typer.is_title,
            turns.names if turns else None,
            {alias for _described, alias in said.aliases},
            person_names_first=self.rules >= 3,
            fuller_names=self.rules >= 4,
            said_most_first=self.rules >= 5,
            short_forms=frozenset(
                doc[int(m.start[k])].text.lower() for _described, k in said.acronyms
            ),
            given_members=turns.members if turns else None,
        )


def entities_from_clusters(
    doc: Doc,
    m: Mentions,
    cluster: np.ndarray,
    p_person: np.ndarray,
    p_org: np.ndarray,
    keep_min: float,
    is_title: Callable[[str], bool] = lambda _w: False,
    given_names: dict[int, str] | None = None,
    known_as: set[int] | None = None,
    person_names_first: bool = False,
    fuller_names: bool = False,
    said_most_first: bool = False,
    short_forms: frozenset[str] = frozenset(),
    given_members: dict[int, list[str]] | None = None,
) -> list[dict[str, Any]]:
    """The clusters that are people or organisations, as the component's entity dicts.

    ``is_title(word)``: whether a word before a person's name is a title to drop
    ("Councillor", "Minister"). ``given_names``: mention -> the name its cluster goes by when
    no mention names it (a speaker known only from an interview's turns)."""
    given = given_names or {}
    v = _MentionLists(m, p_person, p_org)
    # spaCy rebuilds doc.text on every access, and a Span per name costs more: one text, sliced
    # at the mentions' character offsets (the same words as each span's text)
    text = doc_text(doc) if len(m) else ""
    members: dict[int, list[int]] = {}
    for k, c in enumerate(cluster.tolist()):
        members.setdefault(c, []).append(k)
    out: list[dict[str, Any]] = []
    for ks in members.values():
        pp = sum(v.pp[k] for k in ks)
        po = sum(v.po[k] for k in ks)
        has_named = any(v.form[k] == NAME and v.ner[k] in (1, 2) for k in ks)
        given_name = next((given[k] for k in ks if k in given), "")
        group_members = (
            next((given_members[k] for k in ks if k in given_members), None)
            if given_members
            else None
        )
        # a cluster is a person/org by the mean of its mentions or by its likeliest name or
        # noun ("the company ... it")
        typed = (pp + po) / len(ks)
        for k in ks:
            if v.form[k] != PRONOUN:
                typed = max(typed, v.pp[k] + v.po[k])
        if not has_named and not given_name and typed < keep_min:
            continue
        name, named = _entity_name(
            text,
            v,
            ks,
            is_title,
            known_as or set(),
            person_names_first and pp >= po,
            fuller_names and pp >= po,
            short_forms,
            said_most_first and pp >= po,
        )
        if given_name and (not named or not name):
            name, named = given_name, True
        entity: dict[str, Any] = {
            "id": 0,
            "name": name,
            "label": "PERSON" if pp >= po else "ORG",
            "named": named,
            "mentions": [[v.cs[k], v.ce[k]] for k in ks],
            "tokens": [[v.start[k], v.end[k]] for k in ks],
            "heads": [v.head[k] for k in ks],
            "forms": [FORMS[v.form[k]] for k in ks],
        }
        if group_members and given_name and name == given_name:
            entity["members"] = list(group_members)  # the people interviewed together, by name
        out.append(entity)
    out.sort(key=lambda e: (e["tokens"][0][0], e["tokens"][0][1]))
    for i, ent in enumerate(out, 1):
        ent["id"] = i
    return out


class _MentionLists:
    """The mention arrays as Python lists: per-mention Python work reads these, not numpy
    scalars (an order of magnitude slower one at a time)."""

    def __init__(self, m: Mentions, p_person: np.ndarray, p_org: np.ndarray) -> None:
        self.form = m.form.tolist()
        self.ner = m.ner.tolist()
        self.start = m.start.tolist()
        self.end = m.end.tolist()
        self.head = m.head.tolist()
        self.cs = m.char_start.tolist()
        self.ce = m.char_end.tolist()
        self.last = m.last_id.tolist()
        self.pp = p_person.tolist()
        self.po = p_org.tolist()


def _entity_name(
    text: str,
    v: _MentionLists,
    ks: list[int],
    is_title: Callable[[str], bool],
    known_as: set[int],
    person_names_first: bool = False,
    fuller_names: bool = False,
    short_forms: frozenset[str] = frozenset(),
    said_most_first: bool = False,
) -> tuple[str, bool]:
    """The fullest name among the cluster's names; else its first description; else its first
    mention's words."""
    best: list[str] = []
    best_rank = (-1, -1, -1, -1, -1, -1, -1)
    names = [k for k in ks if v.form[k] == NAME]
    last_words = [v.last[k] for k in names]
    for k in names:
        words = canonical_words(tuple(text[v.cs[k] : v.ce[k]].split()))
        if v.ner[k] == 1:  # "Councillor Mira Okafor", "Prime Minister Ana Ruiz"
            while len(words) > 1 and is_title(words[0]):
                words = words[1:]
        # a person/org entity first, then the name said most often, then the fullest; with
        # ``said_most_first`` (v5) how often it is said comes before the recogniser's label
        said = last_words.count(v.last[k])
        said_first = said if said_most_first else 0
        if said_first and words and (words[0] == "the" or all(map(is_title, words))):
            said_first = 0  # "the Secretary" said ten times does not outrank "Cardona"
        rank = (
            1 if k in known_as else 0,
            # an acronym the article spelled out ("MLB") is a short form of the full name
            0 if " ".join(words).lower() in short_forms else 1,
            said_first,
            1 if v.ner[k] in (1, 2) else 0,
            # a person is not named "Arabic" or "Greek": with ``person_names_first`` a name the
            # recogniser calls a nationality, a place or a work comes after an unlabelled one
            (0 if v.ner[k] > 2 else 1) if person_names_first else (1 if v.ner[k] else 0),
            said,
            len(words),
        )
        if words and rank > best_rank:
            best, best_rank = words, rank
    if fuller_names and len(best) == 1:
        # a first name the recogniser labelled ("Isabel") gives way to the full name it left
        # unlabelled ("I'm Isabel Ruiz"): the person's name is the fullest one said
        for k in names:
            words = text[v.cs[k] : v.ce[k]].split()
            if (
                v.ner[k] == 0
                and 1 < len(words) <= 3
                and words[0] == best[0]
                and all(w[:1].isupper() for w in words)
            ):
                best = words
                break
    if best:
        return " ".join(best), True
    for form in (NOMINAL, PRONOUN):
        for k in ks:
            if v.form[k] == form:
                return " ".join(text[v.cs[k] : v.ce[k]].split()), False
    return "", False
