"""Mention detection: the spans of a parsed doc that may refer to a person or an organisation.

Candidates are found on the parse's arrays (``Doc.to_array``) so that the per-token work is
numpy; Python only touches the few hundred candidate heads of an article:

- names: spaCy entities labelled PERSON, ORG, NORP or GPE (a country or a party is often an
  organisation: "Iran said", "the Democrats"), and proper nouns heading a noun phrase that the
  recogniser missed;
- nominals: common nouns heading a noun phrase ("the 61-year-old cleric", "the company");
- pronouns: personal and possessive pronouns (he/she/they/it/I/we/you ...), and relative
  "who"/"whom"/"whose".

A mention's span runs from the first word of its head's left subtree to the head (the part that
names or describes it; relative clauses and prepositional phrases are left out so that nested
mentions stay apart).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from spacy.attrs import (
    DEP,
    ENT_IOB,
    IDX,
    IS_PUNCT,
    IS_SPACE,
    LEMMA,
    LENGTH,
    LOWER,
    POS,
    SENT_START,
    TAG,
)
from spacy.tokens import Doc, Token

__all__ = [
    "FORMS",
    "NAME",
    "NOMINAL",
    "PRONOUN",
    "PRONOUN_CLASSES",
    "Mentions",
    "detect_mentions",
]

NAME, NOMINAL, PRONOUN = 0, 1, 2
FORMS = ("name", "nominal", "pronoun")

# Pronoun classes: (class, number, gender). Number 1 singular, 2 plural, 0 either; gender
# 1 masculine, 2 feminine, 3 neuter, 0 unknown. The class is what the model conditions on.
PRONOUN_CLASSES: dict[str, tuple[str, int, int]] = {}
for _words, _entry in (
    ("he him his himself", ("he", 1, 1)),
    ("she her hers herself", ("she", 1, 2)),
    ("it its itself", ("it", 1, 3)),
    ("they them their theirs themselves themself em", ("they", 2, 0)),
    ("i me my mine myself", ("i", 1, 0)),
    ("we us our ours ourselves", ("we", 2, 0)),
    ("you your yours yourself yourselves ye", ("you", 0, 0)),
    ("who whom whose", ("who", 0, 0)),
    ("someone somebody anyone anybody everyone everybody nobody", ("someone", 1, 0)),
):
    for _w in _words.split():
        PRONOUN_CLASSES[_w] = _entry

# The order of these labels is part of the weights' meaning (features index them).
# Entities of the other non-numeric labels are name mentions too (the recogniser often calls a
# person WORK_OF_ART or a college FAC); the learned lexicon tells what each label usually is.
NER_LABELS = (
    "PERSON",
    "ORG",
    "NORP",
    "GPE",
    "FAC",
    "LOC",
    "PRODUCT",
    "EVENT",
    "WORK_OF_ART",
    "LAW",
    "LANGUAGE",
)
# Gender words before a name ("Mr. Rao", "Queen Ana"): 1 masculine, 2 feminine.
_GENDER_TITLES = {
    "mr": 1,
    "mr.": 1,
    "sir": 1,
    "king": 1,
    "lord": 1,
    "prince": 1,
    "father": 1,
    "brother": 1,
    "mrs": 2,
    "mrs.": 2,
    "ms": 2,
    "ms.": 2,
    "miss": 2,
    "madam": 2,
    "lady": 2,
    "queen": 2,
    "princess": 2,
    "dame": 2,
    "sister": 2,
    "mother": 2,
}
# Nouns that say a person's sex ("his wife", "the boy"): 1 masculine, 2 feminine.
_GENDER_NOUNS = dict.fromkeys(
    "man boy husband father son brother uncle nephew grandfather grandson king prince lord "
    "gentleman boyfriend widower monk actor chairman businessman spokesman congressman "
    "sportsman stepfather dad".split(),
    1,
) | dict.fromkeys(
    "woman girl wife mother daughter sister aunt niece grandmother granddaughter queen "
    "princess lady girlfriend widow nun actress chairwoman businesswoman spokeswoman "
    "congresswoman sportswoman stepmother mum mom heiress".split(),
    2,
)
_NAMING_VERBS = {"name", "call", "dub", "nickname"}
# "is portrayed as the first object of his feelings", "described her as a hardliner" (rules 4)
_AS_VERBS = frozenset(
    "portray describe depict regard see consider remember recognise recognize cast hail "
    "characterise characterize present view elect appoint serve".split()
)
_ROLE_DEPS = {"nsubj": 1, "nsubjpass": 1, "dobj": 2, "iobj": 2, "poss": 3, "pobj": 4, "appos": 5}
_NOUN_DEPS_SKIPPED = {"compound", "amod", "npadvmod", "nmod", "nummod", "quantmod"}
_OPEN_QUOTES = {"“", '"', "‘‘", "``"}
_CLOSE_QUOTES = {"”", '"', "''"}
_DETERMINERS = {"the", "a", "an", "this", "that", "these", "those"}
_INDEFINITES = ("a", "an", "another", "some", "any", "each", "every", "no", "one", "many")


@dataclass
class Mentions:
    """The candidate mentions of one doc, in text order, as parallel arrays."""

    start: np.ndarray  # first token
    end: np.ndarray  # one past the last token
    head: np.ndarray  # head token
    form: np.ndarray  # NAME / NOMINAL / PRONOUN
    ner: np.ndarray  # index into NER_LABELS + 1, 0 for none
    sent: np.ndarray  # sentence number
    para: np.ndarray  # paragraph number
    role: np.ndarray  # _ROLE_DEPS value of the head's dependency, 0 for others
    quoted: np.ndarray  # 1 when the head is inside quotation marks
    number: np.ndarray  # 1 singular, 2 plural, 0 unknown
    gender: np.ndarray  # 1 masculine, 2 feminine, 3 neuter, 0 unknown
    head_id: np.ndarray  # lower-case head word (string hash)
    last_id: np.ndarray  # lower-case last word of the span
    first_id: np.ndarray  # a person name's lower-case first name ("mira" in "Mira Okafor"), or 0
    text_id: np.ndarray  # the span's lower-case words without a leading determiner
    keys: list[str]  # the lexicon key of each mention (see MentionTyper)
    pron_class: list[str]  # the pronoun class, "" for other forms
    appos_of: np.ndarray  # the mention this one is in apposition to / predicated of, or -1
    who_of: np.ndarray  # for a relative "who": the mention it modifies, or -1
    definite: np.ndarray  # 1 when the span starts with "the"
    indefinite: np.ndarray  # 1 when it starts with "a", "an", "some", "another" ...
    char_start: np.ndarray  # character offsets of the span
    char_end: np.ndarray

    def __len__(self) -> int:
        return int(self.head.shape[0])


def _quoted_mask(doc: Doc, lower: np.ndarray, is_space_nl: np.ndarray) -> np.ndarray:
    """1 for tokens inside quotation marks; an unclosed quote ends at the paragraph."""
    inside = np.zeros(len(doc), dtype=np.int8)
    marks = np.flatnonzero(
        np.isin(lower, [doc.vocab.strings.add(q) for q in ("“", "”", '"', "``", "''")])
        | is_space_nl
    )
    state = False
    last = 0
    for i in marks.tolist():
        if state:
            inside[last:i] = 1
        text = doc[i].text
        if "\n" in text and doc[i].is_space:
            state = False
        elif text == "“" or text == "``":
            state = True
        elif text == "”" or text == "''":
            state = False
        else:  # a straight quote toggles
            state = not state
        last = i + 1
    if state:
        inside[last:] = 1
    return inside


def detect_mentions(
    doc: Doc,
    nominal_ok: Callable[[str], bool] | None = None,
    gender_of: Callable[[str], int] | None = None,
    rules: int = 2,
) -> Mentions:
    """The candidate mentions of ``doc`` (parsed, with entities).

    ``rules`` 1 is the detection of ``quotetrace.Coref.v1`` (no ages, no gendered nouns, no
    "named X", no first names); 2 adds them.

    ``nominal_ok(lemma)``: whether a common noun may head a mention (the model's lexicon of
    words seen naming people and organisations); ``None`` allows every common noun.
    """
    n = len(doc)
    strings = doc.vocab.strings
    if n == 0:
        return _empty()
    arr = doc.to_array(
        [POS, DEP, ENT_IOB, LEMMA, LOWER, SENT_START, TAG, IS_SPACE, IS_PUNCT, IDX, LENGTH]
    )
    pos, dep, iob, lemmas, lower, sent_start, tag, space, punct, idx, length = (
        arr[:, k] for k in range(11)
    )
    is_space_nl = np.zeros(n, dtype=bool)
    for i in np.flatnonzero(space).tolist():
        is_space_nl[i] = "\n" in doc[i].text
    sent = np.cumsum(sent_start == 1) - 1
    sent[sent < 0] = 0
    para = np.cumsum(is_space_nl)
    quoted = _quoted_mask(doc, lower, is_space_nl)

    noun, propn, pron = strings["NOUN"], strings["PROPN"], strings["PRON"]
    skipped = [strings.add(d) for d in _NOUN_DEPS_SKIPPED]
    in_ent = iob != 2  # 0 = no annotation, 1 = I, 3 = B
    in_ent &= iob != 0

    rows: list[
        tuple[int, int, int, int, int, str, str]
    ] = []  # start, end, head, form, ner, key, pclass
    ner_ids = {strings[label]: k + 1 for k, label in enumerate(NER_LABELS)}
    for ent in doc.ents:
        code = ner_ids.get(ent.label)
        if code is None:
            continue
        root = ent.root
        if (
            ent.label_ in ("NORP", "GPE")
            and root.dep_ in ("amod", "compound")
            and root.pos_ == "ADJ"
        ):
            continue  # "Australian children": an adjective, not a mention
        start, end = ent.start, ent.end
        if doc[end - 1].tag_ == "POS":
            end -= 1
        if doc[start].lower_ == "the":
            start += 1
        if end <= start:
            continue
        rows.append((start, end, root.i, NAME, code, "ner:" + ent.label_, ""))

    appos_dep = strings.add("appos")
    cand = np.flatnonzero(
        (
            (pos == noun)
            | (pos == propn)
            | (pos == pron)
            | (tag == strings["WP"])
            | (tag == strings["WP$"])
            # an age after a name: "Thomas Sam, 42, and his wife"
            | ((pos == strings["NUM"]) & (dep == appos_dep) & (rules >= 2))
            # rules 4: "he's the one who writes it", "one of the founders"; "each other"
            | (np.isin(lower, [strings.add("one"), strings.add("other")]) & (rules >= 4))
        )
        & ~np.isin(dep, skipped)
    )
    cand = cand[~in_ent[cand] | (pos[cand] == strings["NUM"])]
    wp_tags = (strings["WP"], strings["WP$"])
    who_deps = {strings[d] for d in ("nsubj", "nsubjpass", "dobj", "poss", "pobj")}
    always = {strings.add("appos"), strings.add("attr")}
    for i in cand.tolist():
        # decided on the arrays first: a Token object is made only for a kept noun
        low = strings[int(lower[i])]
        is_wp = int(tag[i]) in wp_tags
        if pos[i] == pron or is_wp:
            entry = PRONOUN_CLASSES.get(low)
            if entry is None or (entry[0] == "who" and not is_wp):
                continue
            if entry[0] == "who" and int(dep[i]) not in who_deps:
                continue
            rows.append((i, i + 1, i, PRONOUN, 0, "pron:" + low, entry[0]))
            continue
        lemma = strings[int(lemmas[i])].lower()
        if low in ("one", "other") and rules >= 4:
            row = _one_or_each_other(doc[i], low)
            if row is not None:
                rows.append(row)
            continue
        if pos[i] == strings["NUM"]:
            if pos[int(doc[i].head.i)] != propn:
                continue
            rows.append((i, i + 1, i, NOMINAL, 0, "num", ""))
            continue
        if pos[i] == propn:
            key = "propn"
            form = NAME
        else:
            # appositions and predicate nouns always count: "Lee, the agency chief"
            if (
                nominal_ok is not None
                and int(dep[i]) not in always
                and not nominal_ok(lemma)
                and not (rules >= 4 and _as_predicate(doc[i]) is not None)
            ):
                continue
            key = "noun:" + lemma
            form = NOMINAL
        tok = doc[i]
        start = tok.left_edge.i if tok.n_lefts else i
        if start < i and punct[start]:
            start += 1
        rows.append((start, i + 1, i, form, 0, key, ""))

    rows.sort(key=lambda r: (r[0], -r[1], r[2]))
    # one mention per head (an entity and a noun candidate may share a head)
    seen: set[int] = set()
    kept = []
    for r in rows:
        if r[2] not in seen:
            seen.add(r[2])
            kept.append(r)
    rows = kept
    m = len(rows)
    if m == 0:
        return _empty()
    start_a = np.array([r[0] for r in rows], dtype=np.int64)
    end_a = np.array([r[1] for r in rows], dtype=np.int64)
    head_a = np.array([r[2] for r in rows], dtype=np.int64)
    form_a = np.array([r[3] for r in rows], dtype=np.int64)
    ner_a = np.array([r[4] for r in rows], dtype=np.int64)
    role_ids = {strings.add(d): v for d, v in _ROLE_DEPS.items()}
    role_a = np.array([role_ids.get(int(dep[h]), 0) for h in head_a.tolist()], dtype=np.int64)

    number = np.zeros(m, dtype=np.int64)
    gender = np.zeros(m, dtype=np.int64)
    text_ids = np.zeros(m, dtype=np.uint64)
    first_ids = np.zeros(m, dtype=np.uint64)
    by_head = {int(h): k for k, h in enumerate(head_a.tolist())}
    appos_of = np.full(m, -1, dtype=np.int64)
    who_of = np.full(m, -1, dtype=np.int64)
    pclass: list[str] = []
    lower_l = lower.tolist()
    punct_l = punct.tolist()
    dep_l = dep.tolist()
    tag_l = tag.tolist()
    plural_tags = {strings["NNS"], strings["NNPS"]}
    appos_id, attr_id = strings.add("appos"), strings.add("attr")
    oprd_ids = {strings.add(d) for d in ("oprd", "xcomp", "dobj", "attr")}
    determiners = {strings.add(w) for w in _DETERMINERS}
    titles = {strings.add(w): g for w, g in _GENDER_TITLES.items()}
    for k, (s, e, h, f, _c, _key, pc) in enumerate(rows):
        pclass.append(pc)
        if f == PRONOUN:
            _cls, num, gen = PRONOUN_CLASSES[strings[lower_l[h]]]
            number[k], gender[k] = num, gen
            if pc == "who":
                # "the minister, who ...": the relative clause's head noun
                verb = doc[h].head
                if verb.dep_ == "relcl" and verb.head.i in by_head:
                    who_of[k] = by_head[verb.head.i]
        else:
            number[k] = 2 if tag_l[h] in plural_tags or _key == "recip" else 1
            g = titles.get(lower_l[s - 1], 0) if s > 0 else 0
            g = g or titles.get(lower_l[s], 0)
            if not g and gender_of is not None:
                first = strings[lower_l[s]]
                g = gender_of("first:" + first if f == NAME else _key)
            if not g and f == NOMINAL and rules >= 2:
                g = _GENDER_NOUNS.get(strings[int(lemmas[h])].lower(), 0)
            gender[k] = g
            # rules 4: a proper name the recogniser missed ("I'm Isabel Ruiz") has one too
            if f == NAME and (_c == 1 or (_c == 0 and rules >= 4)) and rules >= 2:
                first_ids[k] = _first_name(doc, s, e, lower_l, punct_l, titles)
        words = [lower_l[j] for j in range(s, e) if not punct_l[j]]
        if words and words[0] in determiners:
            words = words[1:]
        text_ids[k] = hash(tuple(words)) & 0xFFFFFFFFFFFFFFFF
        # "Rao, the agency chief," / "Rao is the chief": appositive and predicative nouns
        if f != PRONOUN and dep_l[h] == appos_id:
            tok = doc[h]
            if tok.head.i in by_head:
                appos_of[k] = by_head[tok.head.i]
        elif f == NOMINAL and dep_l[h] == attr_id:
            tok = doc[h]
            if tok.head.lemma_ == "be":
                for child in tok.head.children:
                    if child.dep_ in ("nsubj", "nsubjpass") and child.i in by_head:
                        appos_of[k] = by_head[child.i]
        elif f != PRONOUN and dep_l[h] in oprd_ids and rules >= 2:
            tok = doc[h]
            verb = tok.head
            if verb.lemma_.lower() in _NAMING_VERBS and verb.dep_ == "acl":
                # "this guy named Mario", "a town called Hope"
                if verb.head.i in by_head:
                    appos_of[k] = by_head[verb.head.i]
            elif f == NOMINAL and tok.dep_ == "oprd":
                # "declared himself emperor", "named her chair"
                for child in verb.children:
                    if child.dep_ == "dobj" and child.i in by_head:
                        appos_of[k] = by_head[child.i]
        if rules >= 4 and f == NOMINAL and appos_of[k] < 0:
            described = _said_of_the_subject(doc[h], _key == "recip")
            if described is not None and described.i in by_head:
                appos_of[k] = by_head[described.i]
    if rules >= 3:
        # "is a nurse and amateur theatre director", "a priest, confessor and historian": each
        # conjunct is said of what the first one is said of (conjuncts follow their head)
        conj_id = strings.add("conj")
        for k, (_s, _e, h, f, _c, _key, _pc) in enumerate(rows):
            if f == NOMINAL and dep_l[h] == conj_id and appos_of[k] < 0:
                j = by_head.get(doc[h].head.i, -1)
                if 0 <= j < k and appos_of[j] >= 0:
                    appos_of[k] = appos_of[j]
    return Mentions(
        start=start_a,
        end=end_a,
        head=head_a,
        form=form_a,
        ner=ner_a,
        sent=sent[head_a].astype(np.int64),
        para=para[head_a].astype(np.int64),
        role=role_a,
        quoted=quoted[head_a].astype(np.int64),
        number=number,
        gender=gender,
        head_id=lower[head_a].astype(np.uint64),
        last_id=lower[end_a - 1].astype(np.uint64),
        first_id=first_ids,
        text_id=text_ids,
        keys=[r[5] for r in rows],
        pron_class=pclass,
        appos_of=appos_of,
        who_of=who_of,
        definite=(lower[start_a] == strings["the"]).astype(np.int64),
        indefinite=np.isin(lower[start_a], [strings.add(w) for w in _INDEFINITES]).astype(np.int64),
        char_start=idx[start_a].astype(np.int64),
        char_end=(idx[end_a - 1] + length[end_a - 1]).astype(np.int64),
    )


def _one_or_each_other(tok: Token, low: str) -> tuple[int, int, int, int, int, str, str] | None:
    """Rules 4: "the one who writes it" / "one of the founders" as a predicate or apposition,
    and "each other" / "one another", as nominal mention rows; else None."""
    if low == "other":
        before = tok.doc[tok.i - 1].lower_ if tok.i > 0 else ""
        if before in ("each", "one") and tok.dep_ in ("pobj", "dobj"):
            return (tok.i - 1, tok.i + 1, tok.i, NOMINAL, 0, "recip", "")
        return None
    if tok.dep_ not in ("attr", "appos"):
        return None
    if not any(c.dep_ == "det" or (c.dep_ == "prep" and c.lower_ == "of") for c in tok.children):
        return None  # "one" as a number ("one day")
    start = tok.left_edge.i if tok.n_lefts else tok.i
    return (start, tok.i + 1, tok.i, NOMINAL, 0, "noun:one", "")


def _as_predicate(tok: Token) -> Token | None:
    """Rules 4: what "as" after a verb of describing says the noun of: the passive subject
    ("Mary Chaworth is portrayed as the first object"), else the object ("described her as a
    hardliner"), else the subject ("she served as the chair")."""
    prep = tok.head
    if tok.dep_ != "pobj" or prep.lower_ != "as" or prep.dep_ != "prep":
        return None
    verb = prep.head
    if verb.lemma_.lower() not in _AS_VERBS:
        return None
    for dep in ("nsubjpass", "dobj", "nsubj"):
        for child in verb.children:
            if child.dep_ == dep:
                return child
    return None


def _said_of_the_subject(tok: Token, reciprocal: bool) -> Token | None:
    """Rules 4: the subject a description is said of when no apposition or copula says so:
    a description put first ("An undistinguished student, he did represent the school") and
    "each other" ("both her parents knew this and discussed it with each other")."""
    if reciprocal:
        verb = tok.head.head if tok.dep_ == "pobj" else tok.head
        for _ in range(3):  # "knew this and discussed it with each other": the first verb's
            subjects = [c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")]
            if subjects:
                return subjects[0]
            if verb.dep_ not in ("conj", "xcomp") or verb.head is verb:
                return None
            verb = verb.head
        return None
    described = _as_predicate(tok)
    if described is not None:
        return described
    if tok.dep_ not in ("advcl", "dep"):
        return None
    verb = tok.head
    for child in verb.children:
        if child.dep_ in ("nsubj", "nsubjpass") and child.i > tok.i:
            # the description ends at the comma right before the subject
            if child.i > 0 and tok.doc[child.i - 1].text == "," and tok.right_edge.i < child.i:
                return child
            return None
    return None


def _empty() -> Mentions:
    z = np.zeros(0, dtype=np.int64)
    u = np.zeros(0, dtype=np.uint64)
    return Mentions(z, z, z, z, z, z, z, z, z, z, z, u, u, u, u, [], [], z, z, z, z, z, z)


def _first_name(
    doc: Doc, start: int, end: int, lower: list[int], punct: list[int], titles: dict[int, int]
) -> int:
    """The lower-case first name of a person name of two words or more, or 0 ("Mr. Rao",
    "Rao" and initials have none: they agree with any first name)."""
    words = [j for j in range(start, end) if not punct[j]]
    while words and (lower[words[0]] in titles or doc[words[0]].text.endswith(".")):
        words = words[1:]
    if len(words) < 2 or len(doc[words[0]].text) < 2:
        return 0
    return int(lower[words[0]])
