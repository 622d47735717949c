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

import functools
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from spacy.tokens import Doc

from .features import BASE_FEATURES, CATEGORIES, N_BASE, MentionTyper, categories, pair_columns
from .mentions import FORMS, NAME, NOMINAL, PRONOUN, Mentions, detect_mentions
from .turns import TurnIndex, speaker_words, turns_of

__all__ = ["FORMAT_VERSION", "PACKAGED_WEIGHTS", "CorefModel", "canonical_words"]

FORMAT_VERSION = 1
WEIGHTS_DIR = Path(__file__).parent / "weights"
# quotetrace.Coref.v1's weights and rules stay as published; v2 adds speaker turns, the sieves
# (appositions first, the same name or description again, a title's holder), first-name
# clashes, gendered nouns, ages and "named X" as mentions, and a threshold of its own for
# descriptions
PACKAGED = {1: WEIGHTS_DIR / "coref-v1.json", 2: WEIGHTS_DIR / "coref-v2.json"}
PACKAGED_WEIGHTS = PACKAGED[2]
LATEST_RULES = 2


@functools.lru_cache(maxsize=4096)
def _canonical(words: tuple[str, ...]) -> tuple[str, ...]:
    from ..nlp.speakers import canonical_name

    name, _titles = canonical_name(list(words))
    return tuple(name)


def canonical_words(words: tuple[str, ...] | list[str]) -> list[str]:
    """The name without titles and honorifics (quotetrace's own rule, shared with speakers)."""
    return list(_canonical(tuple(words)))


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
        for f, col in enumerate(cols):
            z += col * rows[:, f : f + 1]
        prob = 1.0 / (1.0 + np.exp(-z))
        prob[~valid] = -1.0
        return prob, ante

    def clusters(
        self, doc: Doc, m: Mentions, turns: TurnLinks | None = None
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(cluster id per mention, P(person), P(org))."""
        n = len(m)
        p_person, p_org = self.typer.probabilities(m)
        if n == 0:
            return np.zeros(0, dtype=np.int64), p_person, p_org
        prob, ante = self.pair_probabilities(m, p_person, p_org)
        if turns is None:
            turns = self.turn_links(doc, m)
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
        )
        return cluster, p_person, p_org

    def turn_links(self, doc: Doc, m: Mentions) -> TurnLinks | None:
        """The speaker turns' links (rules 2 on; version 1 never read turns)."""
        return turn_links(doc, m, self.typer.is_title) if self.rules >= 2 else None

    def resolve(self, doc: Doc) -> list[dict[str, Any]]:
        """The people and organisations of ``doc`` with all their mentions (see the component)."""
        m = self.mentions(doc)
        turns = self.turn_links(doc, m)
        cluster, p_person, p_org = self.clusters(doc, m, turns)
        return entities_from_clusters(
            doc,
            m,
            cluster,
            p_person,
            p_org,
            self.keep_min,
            self.typer.is_title,
            turns.names if turns else None,
        )


@dataclass
class TurnLinks:
    """What speaker turns fix before any score is read: the mentions that are one speaker
    (their "I"s, their name, the "you"s addressed to them), the mentions whose pair links are
    not to be scored, a speaker a pronoun cannot be ("she" in Ana's own words is not Ana), and
    the name a speaker goes by when the text never names them."""

    unions: list[tuple[int, int]] = field(default_factory=list)
    pinned: set[int] = field(default_factory=set)
    not_with: dict[int, int] = field(default_factory=dict)
    names: dict[int, str] = field(default_factory=dict)

    def __bool__(self) -> bool:
        return bool(self.unions or self.pinned or self.names)


def title_links(doc: Doc, m: Mentions, is_title: Callable[[str], bool]) -> list[tuple[int, int]]:
    """(name, description) pairs where a description is a title last seen before a person's
    name: "Secretary Miguel Cardona ... the Secretary", "Chairman Eastman ... the chairman"."""
    from spacy.attrs import DEP, HEAD, IS_PUNCT, LEMMA, LOWER, ORTH

    from ..nlp.speaker_lexicon import ROLE_NOUNS

    def titleish(word: str) -> bool:
        # the learned lexicon, or the speaker rules' role nouns ("Secretary", "Chairman")
        return is_title(word) or (word[:1].isupper() and word.lower() in ROLE_NOUNS)

    form, ner, number = m.form.tolist(), m.ner.tolist(), m.number.tolist()
    starts, ends, heads = m.start.tolist(), m.end.tolist(), m.head.tolist()
    persons = [k for k in range(len(m)) if form[k] == NAME and ner[k] == 1]
    if not persons:
        return []
    # read from the arrays: a Token object per word would cost more than the rule itself
    arr = doc.to_array([ORTH, LOWER, IS_PUNCT, DEP, HEAD, LEMMA])
    strings = doc.vocab.strings
    orth, lower, punct = arr[:, 0].tolist(), arr[:, 1].tolist(), arr[:, 2].tolist()
    dep, lemma = arr[:, 3].tolist(), arr[:, 5].tolist()
    head_of = (np.arange(len(doc)) + arr[:, 4].astype(np.int64)).tolist()
    the, compound = strings.add("the"), strings.add("compound")
    openers = {strings.add(w) for w in ("the", "our", "their", "its")}
    holders: dict[str, int] = {}
    out: list[tuple[int, int]] = []
    for k in range(persons[0], len(m)):
        if form[k] == PRONOUN:
            continue
        s, e = starts[k], ends[k]
        is_person = form[k] == NAME and ner[k] == 1
        describes = holders and number[k] == 1 and e - s <= 3
        if not is_person and not describes:
            continue
        words = [j for j in range(s, e) if not punct[j] and lower[j] != the]
        if not words:
            continue
        only_titles = all(titleish(strings[orth[j]]) for j in words)
        if is_person and not only_titles:
            titles = []
            j = s - 1
            while j >= 0 and dep[j] == compound and s <= head_of[j] < e:
                titles.append(j)
                j -= 1
            for t in words[:-1] + titles:
                if titleish(strings[orth[t]]):
                    holders[strings[lemma[t]].lower()] = k
        elif describes and (only_titles or form[k] == NOMINAL):
            if lower[s] not in openers and s != heads[k]:
                continue
            holder = holders.get(strings[lemma[heads[k]]].lower())
            if holder is not None:
                out.append((holder, k))
    return out


def turn_links(doc: Doc, m: Mentions, is_title: Callable[[str], bool]) -> TurnLinks | None:
    """Speaker turns (``doc._.turns``) as links between mentions; ``None`` without turns."""
    turns = turns_of(doc)
    if not turns or len(m) == 0:
        return None
    index = TurnIndex(turns, doc.text)
    strings = doc.vocab.strings
    out = TurnLinks()
    anchors: dict[str, int] = {}
    form, quoted, cs = m.form.tolist(), m.quoted.tolist(), m.char_start.tolist()
    last_ids, ner = m.last_id.tolist(), m.ner.tolist()
    speaker_of: dict[int, str] = {}  # pronoun mention -> the speaker it is
    third: dict[int, str] = {}  # he/she mention -> the speaker of its turn
    for k in range(len(m)):
        if form[k] != PRONOUN or quoted[k]:
            continue
        t = index.at(cs[k])
        if t < 0:
            continue
        pc = m.pron_class[k]
        if pc == "i":
            speaker_of[k] = turns[t].speaker
        elif pc == "you":
            who = index.addressee(t)
            if who is not None:
                speaker_of[k] = who
        elif pc in ("he", "she"):
            third[k] = turns[t].speaker
    for k, who in speaker_of.items():
        anchor = anchors.setdefault(who, k)
        out.pinned.add(k)
        if anchor != k:
            out.unions.append((anchor, k))
    for who, anchor in anchors.items():
        words = speaker_words(who)
        last = strings.add(words[-1].lower()) if words else None
        # the speaker's own name in the text (a person entity, or a proper noun the recogniser
        # missed: "I'm Isabel Ruiz")
        named = [
            k for k in range(len(m)) if form[k] == NAME and ner[k] in (0, 1) and last_ids[k] == last
        ]
        if named:
            out.unions.append((named[0], anchor))
        else:
            name = canonical_words(words)
            while len(name) > 1 and is_title(name[0]):
                name = name[1:]
            out.names[anchor] = " ".join(name)
    for k, who in third.items():
        if who in anchors:
            out.not_with[k] = anchors[who]
    return out


_PERSON_PRONOUNS = {"he", "she", "i", "you", "we", "they"}


class _Clusters:
    """Union-find over mentions, with what each cluster already is: its gender, its kind
    (1 person, 2 organisation, 3 neither, 0 unknown) and the last words of its person/org names, so that
    a link never joins a woman to a man, a person to a company, or "Rao" to "Mbeki"."""

    def __init__(self, m: Mentions) -> None:
        n = len(m)
        self.parent = list(range(n))
        self.gender = m.gender.tolist()
        kind = np.zeros(n, dtype=np.int64)
        named = (m.form == NAME) & ((m.ner == 1) | (m.ner == 2))
        kind[named] = m.ner[named]
        # a law, a work, a place or an event is neither (NORP and GPE may be organisations)
        kind[(m.form == NAME) & (m.ner >= 5)] = 3
        for k, pc in enumerate(m.pron_class):
            if pc in ("he", "she", "i", "you", "who"):
                kind[k] = 1
        self.kind = kind.tolist()
        entity_name = ((m.form == NAME) & (m.ner > 0)).tolist()
        empty: frozenset[int] = frozenset()
        self.names: list[frozenset[int]] = [
            frozenset([last]) if is_name else empty
            for last, is_name in zip(m.last_id.tolist(), entity_name, strict=True)
        ]
        # (last name, first name) of full person names: "Thomas Sam" is not "Manju Sam"
        self.full: list[frozenset[tuple[int, int]]] = [
            frozenset([(last, first)]) if first else frozenset()
            for last, first in zip(m.last_id.tolist(), m.first_id.tolist(), strict=True)
        ]

    def find(self, x: int) -> int:
        parent = self.parent
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    def compatible(self, a: int, b: int) -> bool:
        ra, rb = self.find(a), self.find(b)
        if ra == rb:
            return True
        ga, gb = self.gender[ra], self.gender[rb]
        if ga and gb and ga != gb:
            return False
        ka, kb = self.kind[ra], self.kind[rb]
        if ka and kb and ka != kb:
            return False
        na, nb = self.names[ra], self.names[rb]
        if na and nb and not (na & nb):
            return False
        fa, fb = self.full[ra], self.full[rb]
        if fa and fb and not (fa & fb):
            lasts_a = {last for last, _ in fa}
            if any(last in lasts_a for last, _ in fb):
                return False
        return True

    def union(self, a: int, b: int) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra == rb:
            return
        root, child = min(ra, rb), max(ra, rb)
        self.parent[child] = root
        self.gender[root] = self.gender[root] or self.gender[child]
        self.kind[root] = self.kind[root] or self.kind[child]
        self.names[root] = self.names[root] | self.names[child]
        self.full[root] = self.full[root] | self.full[child]


def link(
    m: Mentions,
    prob: np.ndarray,
    ante: np.ndarray,
    threshold: float,
    pronoun_threshold: float,
    attach_unnamed: int = 1,
    p_person: np.ndarray | None = None,
    turns: TurnLinks | None = None,
    nominal_threshold: float | None = None,
    titled: list[tuple[int, int]] | None = None,
    rules: int = LATEST_RULES,
) -> np.ndarray:
    """Best-first linking under the clusters' constraints, then the name sieve, then unnamed
    pronoun chains attached to the nearest earlier named person; a cluster id (its first
    mention) per mention. Speaker turns, when given, are linked first and are not rescored."""
    n = len(m)
    order = np.argsort(-prob, axis=1, kind="stable").tolist()
    cut = np.where(m.form == PRONOUN, pronoun_threshold, threshold)
    if nominal_threshold is not None:
        cut[m.form == NOMINAL] = nominal_threshold
    cut_l = cut.tolist()
    cl = _Clusters(m)
    linked = [False] * n
    not_with: dict[int, int] = {}
    if turns:
        for a, b in turns.unions:
            cl.union(a, b)
        for k in turns.pinned:
            linked[k] = True
        not_with = turns.not_with
    if rules >= 2:
        _link_descriptions(m, cl, linked, titled)
    prob_l = prob.tolist()
    ante_l = ante.tolist()
    for j in range(n):
        if linked[j]:
            continue
        row = prob_l[j]
        avoid = not_with.get(j, -1)
        for d in order[j]:
            if row[d] < cut_l[j]:
                break
            i = ante_l[j][d]
            if avoid >= 0 and cl.find(i) == cl.find(avoid):
                continue
            if cl.compatible(i, j):
                cl.union(i, j)
                linked[j] = True
                break
    if rules < 2:
        # version 1: appositions only for what the pair model left unlinked
        _link_appositions(m, cl, linked, names_stay_open=False)
    # the name sieve: "Tavakoli" far below "Reza Tavakoli"
    latest: dict[int, int] = {}
    named = (m.form == NAME) & ((m.ner == 1) | (m.ner == 2))
    for j in np.flatnonzero(named).tolist():
        key = int(m.last_id[j])
        if not linked[j] and key in latest and cl.compatible(latest[key], j):
            cl.union(latest[key], j)
        latest[key] = j
    if attach_unnamed:
        nominal = attach_unnamed >= 2 and p_person is not None
        known = set(turns.names) if turns else set()
        _attach_unnamed(m, cl, p_person if nominal else None, known)
    return np.array([cl.find(k) for k in range(n)], dtype=np.int64)


def _link_descriptions(
    m: Mentions, cl: _Clusters, linked: list[bool], titled: list[tuple[int, int]] | None
) -> None:
    """The deterministic links made before any pair score (rules 2): appositions, predicate
    nouns and a relative "who"; the same name or description said again; a title's holder."""
    n = len(m)
    # a name linked to what it describes still looks for its own antecedent ("my colleague,
    # Mr. Eizenga" after "Mike Eizenga")
    _link_appositions(m, cl, linked, names_stay_open=True)
    form_l = m.form.tolist()
    # the same name said again ("Gloria" ... "Gloria") is the same one, far apart or not; so is
    # the same definite description ("the Indian government" ... "the Indian government")
    seen_name: dict[int, int] = {}
    text_l, ner_l, indef_l = m.text_id.tolist(), m.ner.tolist(), m.indefinite.tolist()
    for j in range(n):
        if form_l[j] == PRONOUN or ner_l[j] >= 5 or indef_l[j]:
            continue
        prev = seen_name.get(text_l[j])
        if prev is not None and not linked[j] and cl.compatible(prev, j):
            cl.union(prev, j)
            linked[j] = True
        seen_name[text_l[j]] = j
    # "the Secretary" after "Secretary Miguel Cardona": the title's holder
    for holder, j in titled or ():
        if not linked[j] and cl.compatible(holder, j):
            cl.union(holder, j)
            linked[j] = True


def _link_appositions(
    m: Mentions, cl: _Clusters, linked: list[bool], names_stay_open: bool
) -> None:
    """Appositions and predicate nouns ("Lee, the agency chief"; "Rao is the chief") and a
    relative "who" join what they describe, whatever the pair score; with
    ``names_stay_open``, a name so joined is left unlinked, free to find its antecedent."""
    appos_l, who_l, form_l = m.appos_of.tolist(), m.who_of.tolist(), m.form.tolist()
    for j in range(len(m)):
        target = appos_l[j] if appos_l[j] >= 0 else who_l[j]
        if not linked[j] and target >= 0 and cl.compatible(target, j):
            cl.union(target, j)
            linked[j] = not (names_stay_open and form_l[j] == NAME)


def _attach_unnamed(
    m: Mentions, cl: _Clusters, p_person: np.ndarray | None, known: set[int] | None = None
) -> None:
    """A chain of pronouns that never reached a name ("I ... me ... I" in an interview's
    answers) belongs to the nearest compatible named person before it; with ``p_person``,
    so does a chain that starts with "the" and a singular person noun ("the cleric")."""
    n = len(m)
    roots = [cl.find(k) for k in range(n)]
    has_name = {roots[k] for k in range(n) if int(m.form[k]) == NAME and int(m.ner[k]) == 1}
    # a speaker known by an interview's turn is named, and never joins someone else
    named_by_turn = {roots[k] for k in known or ()}
    has_name |= named_by_turn
    first_seen: set[int] = set()
    recent: list[int] = []  # named person roots, latest last
    for k in range(n):
        r = roots[k]
        if r in has_name:
            if r in recent:
                recent.remove(r)
            recent.append(r)
            continue
        if r in first_seen:
            continue
        first_seen.add(r)
        nominal_person = (
            p_person is not None
            and int(m.form[k]) == NOMINAL
            and int(m.definite[k]) == 1
            and int(m.number[k]) == 1
            and float(p_person[k]) >= 0.5
        )
        if m.pron_class[k] not in _PERSON_PRONOUNS and not nominal_person:
            continue
        for cand in reversed(recent):
            if cl.compatible(cand, k):
                cl.union(cand, k)
                break


def entities_from_clusters(
    doc: Doc,
    m: Mentions,
    cluster: np.ndarray,
    p_person: np.ndarray,
    p_org: np.ndarray,
    keep_min: float,
    is_title: Callable[[str], bool] = lambda _w: False,
    given_names: dict[int, str] | None = None,
) -> list[dict[str, Any]]:
    """The clusters that are people or organisations, as the component's entity dicts.

    ``is_title(word)``: whether a word before a person's name is a title to drop
    ("Councillor", "Minister"). ``given_names``: mention -> the name its cluster goes by when
    no mention names it (a speaker known only from an interview's turns)."""
    given = given_names or {}
    v = _MentionLists(m, p_person, p_org)
    # spaCy rebuilds doc.text on every access, and a Span per name costs more: one text, sliced
    # at the mentions' character offsets (the same words as each span's text)
    text = doc.text if len(m) else ""
    members: dict[int, list[int]] = {}
    for k, c in enumerate(cluster.tolist()):
        members.setdefault(c, []).append(k)
    out: list[dict[str, Any]] = []
    for ks in members.values():
        pp = sum(v.pp[k] for k in ks)
        po = sum(v.po[k] for k in ks)
        has_named = any(v.form[k] == NAME and v.ner[k] in (1, 2) for k in ks)
        given_name = next((given[k] for k in ks if k in given), "")
        # a cluster is a person/org by the mean of its mentions or by its likeliest name or
        # noun ("the company ... it")
        typed = (pp + po) / len(ks)
        for k in ks:
            if v.form[k] != PRONOUN:
                typed = max(typed, v.pp[k] + v.po[k])
        if not has_named and not given_name and typed < keep_min:
            continue
        name, named = _entity_name(text, v, ks, is_title)
        if given_name and (not named or not name):
            name, named = given_name, True
        out.append(
            {
                "id": 0,
                "name": name,
                "label": "PERSON" if pp >= po else "ORG",
                "named": named,
                "mentions": [[v.cs[k], v.ce[k]] for k in ks],
                "tokens": [[v.start[k], v.end[k]] for k in ks],
                "heads": [v.head[k] for k in ks],
                "forms": [FORMS[v.form[k]] for k in ks],
            }
        )
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
    text: str, v: _MentionLists, ks: list[int], is_title: Callable[[str], bool]
) -> tuple[str, bool]:
    """The fullest name among the cluster's names; else its first description; else its first
    mention's words."""
    best: list[str] = []
    best_rank = (-1, -1, -1, -1)
    names = [k for k in ks if v.form[k] == NAME]
    last_words = [v.last[k] for k in names]
    for k in names:
        words = canonical_words(tuple(text[v.cs[k] : v.ce[k]].split()))
        if v.ner[k] == 1:  # "Councillor Mira Okafor", "Prime Minister Ana Ruiz"
            while len(words) > 1 and is_title(words[0]):
                words = words[1:]
        # a person/org entity first, then the name said most often, then the fullest
        rank = (
            1 if v.ner[k] in (1, 2) else 0,
            1 if v.ner[k] else 0,
            last_words.count(v.last[k]),
            len(words),
        )
        if words and rank > best_rank:
            best, best_rank = words, rank
    if best:
        return " ".join(best), True
    for form in (NOMINAL, PRONOUN):
        for k in ks:
            if v.form[k] == form:
                return " ".join(text[v.cs[k] : v.ce[k]].split()), False
    return "", False
