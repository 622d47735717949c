"""Linking mentions into clusters: the constraints a cluster keeps (gender, kind, names), the
links made before any pair score (speaker turns, appositions, the same name again, a title's
holder), best-first linking over the pair scores, and the sieves after it (a name far below its
first mention, unnamed pronoun chains)."""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
from spacy.tokens import Doc

from .mentions import NAME, NOMINAL, PRONOUN, Mentions
from .turns import TurnIndex, speaker_words, turns_of

__all__ = ["TurnLinks", "canonical_words", "link", "title_links", "turn_links"]

LATEST_RULES = 5
NEUTER = 3  # Mentions.gender of "it"


@functools.lru_cache(maxsize=4096)
def _canonical(words: tuple[str, ...]) -> tuple[str, ...]:
    from ..nlp.speakers import canonical_name

    name, _titles = canonical_name(list(words))
    return tuple(name)


def canonical_words(words: tuple[str, ...] | list[str]) -> list[str]:
    """The name without titles and honorifics (quotetrace's own rule, shared with speakers)."""
    return list(_canonical(tuple(words)))


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
    members: dict[int, list[str]] = field(default_factory=dict)  # a group's anchor -> names

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


def turn_links(
    doc: Doc, m: Mentions, is_title: Callable[[str], bool], rules: int = LATEST_RULES
) -> TurnLinks | None:
    """Speaker turns (``doc._.turns``) as links between mentions; ``None`` without turns.
    From rules 4 on, the "we" of speakers interviewed together is the group of them."""
    turns = turns_of(doc)
    if not turns or len(m) == 0:
        return None
    text = doc.text
    index = TurnIndex(turns, text)
    strings = doc.vocab.strings
    out = TurnLinks()
    anchors: dict[str, int] = {}
    form, quoted, cs = m.form.tolist(), m.quoted.tolist(), m.char_start.tolist()
    last_ids, ner = m.last_id.tolist(), m.ner.tolist()
    speaker_of: dict[int, str] = {}  # pronoun mention -> the speaker it is
    third: dict[int, str] = {}  # he/she mention -> the speaker of its turn
    together = index.joint_answerers() if rules >= 4 else frozenset()
    group: list[int] = []  # the "we"s of the speakers interviewed together
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
        elif pc == "we" and turns[t].speaker in together:
            group.append(k)
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
            out.names[anchor] = _speaker_name(words, is_title)
    for k, who in third.items():
        if who in anchors:
            out.not_with[k] = anchors[who]
    if group:
        for k in group:
            out.pinned.add(k)
            out.unions.append((group[0], k))
        members = sorted(together, key=lambda who: min(t.start for t in turns if t.speaker == who))
        names = [_fullest_name(text, m, who, is_title) for who in members]
        out.names[group[0]] = " and ".join(names)
        out.members[group[0]] = names
    return out


def _speaker_name(words: list[str], is_title: Callable[[str], bool]) -> str:
    name = canonical_words(tuple(words))
    while len(name) > 1 and is_title(name[0]):
        name = name[1:]
    return " ".join(name)


def _fullest_name(text: str, m: Mentions, who: str, is_title: Callable[[str], bool]) -> str:
    """A speaker's name as the text gives it at its fullest ("Mario J. Lucero" for the label
    "MarioJLucero"), else the label's words."""
    words = speaker_words(who)
    if not words:
        return who
    last = words[-1].lower()
    best = ""
    for k in np.flatnonzero(m.form == NAME).tolist():
        said = text[int(m.char_start[k]) : int(m.char_end[k])]
        if said.split()[-1].lower() == last and len(said) > len(best):
            best = said
    return " ".join(best.split()) if best else _speaker_name(words, is_title)


_PERSON_PRONOUNS = {"he", "she", "i", "you", "we", "they"}


class _Clusters:
    """Union-find over mentions, with what each cluster already is: its gender, its kind
    (1 person, 2 organisation, 3 neither, 0 unknown) and the last words of its person/org names, so that
    a link never joins a woman to a man, a person to a company, or "Rao" to "Mbeki"."""

    def __init__(self, m: Mentions, people_are_not_it: bool = False) -> None:
        n = len(m)
        # rules 4: one "it" wrongly in a person's chain ("the Secretary ... it's the best
        # reading") does not make the person neuter, so that every "he" after it can still join
        self.people_are_not_it = people_are_not_it
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
            frozenset([(last, first)]) if first and ner == 1 else frozenset()
            for last, first, ner in zip(
                m.last_id.tolist(), m.first_id.tolist(), m.ner.tolist(), strict=True
            )
        ]

    def find(self, x: int) -> int:
        parent = self.parent
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    def compatible(self, a: int, b: int, by_names: bool = True) -> bool:
        """Whether a's and b's clusters may be one; ``by_names=False`` lets different last
        words join ("Isabel" and "Isabel Ruiz")."""
        ra, rb = self.find(a), self.find(b)
        if ra == rb:
            return True
        ga, gb = self.gender[ra], self.gender[rb]
        ka, kb = self.kind[ra], self.kind[rb]
        if ga and gb and ga != gb and not self._person_and_it(ga, gb, ka, kb):
            return False
        if ka and kb and ka != kb:
            return False
        na, nb = self.names[ra], self.names[rb]
        if by_names and na and nb and not (na & nb):
            return False
        fa, fb = self.full[ra], self.full[rb]
        if fa and fb and not (fa & fb):
            lasts_a = {last for last, _ in fa}
            if any(last in lasts_a for last, _ in fb):
                return False
        return True

    def _person_and_it(self, ga: int, gb: int, ka: int, kb: int) -> bool:
        """A he or she meeting a person whose chain caught an "it": no clash (rules 4); an "it"
        meeting a he or she still clashes."""
        if not self.people_are_not_it:
            return False
        return (ga == NEUTER and ka == 1 and gb in (1, 2)) or (
            gb == NEUTER and kb == 1 and ga in (1, 2)
        )

    def gender_agrees(self, a: int, b: int) -> bool:
        ga, gb = self.gender[self.find(a)], self.gender[self.find(b)]
        return not (ga and gb and ga != gb)

    def union(self, a: int, b: int) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra == rb:
            return
        root, child = min(ra, rb), max(ra, rb)
        self.parent[child] = root
        genders = (self.gender[root], self.gender[child])
        self.gender[root] = genders[0] or genders[1]
        self.kind[root] = self.kind[root] or self.kind[child]
        if self.people_are_not_it and self.kind[root] == 1 and self.gender[root] == NEUTER:
            gendered = [g for g in genders if g and g != NEUTER]
            self.gender[root] = gendered[0] if gendered else 0
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
    aliases: list[tuple[int, int]] | None = None,
    families: list[int] | None = None,
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
    cl = _Clusters(m, people_are_not_it=rules >= 4)
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
    if rules >= 3:
        _link_first_names(m, cl, linked)
        # "X, known as Y": one entity whatever the recogniser called Y (a name stays open)
        for described, alias in aliases or ():
            if cl.gender_agrees(described, alias):
                if cl.kind[cl.find(alias)] == 3:
                    cl.kind[cl.find(alias)] = 0  # "Saint Jerome" is no place if he is known as it
                cl.union(described, alias)
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
    for family in families or ():
        _link_family(m, cl, family, p_person)
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


def _link_family(m: Mentions, cl: _Clusters, family: int, p_person: np.ndarray | None) -> None:
    """Rules 4: "the Sams" are the people the article last spoke of in the plural without
    naming them ("the parents", "their"): the couple or the family, now named."""
    form_l, number_l = m.form.tolist(), m.number.tolist()
    root = cl.find(family)
    if cl.kind[root] == 2:
        cl.kind[root] = 1  # the recogniser's ORG for a plural surname: a family is people
    for i in range(family - 1, -1, -1):
        if form_l[i] == NAME or number_l[i] != 2:
            continue
        if form_l[i] == PRONOUN and m.pron_class[i] != "they":
            continue  # "we", "you": the speaker's own side
        if form_l[i] == NOMINAL and (p_person is None or p_person[i] < 0.5):
            continue  # "the infections"
        r = cl.find(i)
        if r == root or cl.names[r] or cl.kind[r] not in (0, 1):
            continue
        if cl.compatible(i, family):
            cl.union(i, family)
        return


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


def _link_first_names(m: Mentions, cl: _Clusters, linked: list[bool]) -> None:
    """Rules 3: a person called by a first name alone ("Isabel") is the one person of the
    article with that first name ("Isabel Ruiz"), before or after; not when two people share
    it, nor when it is also someone's surname."""
    form_l, ner_l = m.form.tolist(), m.ner.tolist()
    starts, ends = m.start.tolist(), m.end.tolist()
    first_l, last_l = m.first_id.tolist(), m.last_id.tolist()
    holders: dict[int, set[int]] = {}  # first name -> the surnames it goes with
    nearest: dict[int, list[int]] = {}  # first name -> the full-name mentions with it
    surnames: set[int] = set()
    for k in range(len(m)):
        # an unlabelled full name has a first name only from rules 4 on (see detect_mentions)
        if form_l[k] == NAME and ner_l[k] in (0, 1) and first_l[k]:
            holders.setdefault(first_l[k], set()).add(last_l[k])
            nearest.setdefault(first_l[k], []).append(k)
            surnames.add(last_l[k])
    for j in range(len(m)):
        if form_l[j] != NAME or ner_l[j] not in (0, 1) or ends[j] - starts[j] != 1:
            continue
        word = last_l[j]
        if len(holders.get(word, ())) != 1 or word in surnames:
            continue
        full = min(nearest[word], key=lambda k: (abs(k - j), k))
        if cl.find(full) == cl.find(j) or not cl.compatible(full, j, by_names=False):
            continue
        cl.union(full, j)
        if full < j:
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
