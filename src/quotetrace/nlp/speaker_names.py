"""Names inside one article: the entities that can speak, their canonical names, and the
titles written next to them.

Kept apart from the resolver (``speakers``) because it is about reading names off the parse,
not about deciding who a source is: the name a report gives a person, stripped of honorifics
("His Eminence Imam Sayyed Ali Khamenei" -> "Ali Khamenei"), the titles before or in apposition
to it, and the people the small model tags as something else.
"""

from __future__ import annotations

import re

import numpy
from spacy.attrs import DEP
from spacy.tokens import Doc, Span

from .cues import HONORIFICS
from .speaker_lexicon import ROLE_NOUNS

__all__ = [
    "DETERMINERS",
    "FEMALE_TITLES",
    "HONORIFIC_NOUNS",
    "MALE_TITLES",
    "STRIP_POSSESSIVE",
    "appositive_titles",
    "canonical_name",
    "is_honorific",
    "name_key",
    "people_and_organisations",
    "title_context",
    "with_name_prefix",
]

HONORIFIC_NOUNS = frozenset({"eminence", "excellency", "majesty", "highness", "holiness"})
# A PERSON entity ending in one of these is a day, a place or a thing ("Valentine Day", "the
# Moon", "Smart Lander"): the small model's mistake, never a speaker.
_NOT_PERSON_HEADS = frozenset(
    """day moon sun earth mars stadium arena park street avenue road square airport
    university college school hospital bridge river lake mountain island ocean sea time week
    month year christmas easter ramadan lander rover spacecraft station""".split()
)
MALE_TITLES = frozenset(
    """mr sir king prince lord his father husband son brother uncle nephew grandfather
    boyfriend widower man chairman spokesman actor""".split()
)
FEMALE_TITLES = frozenset(
    """mrs ms miss queen princess lady dame her mother wife daughter sister aunt niece
    grandmother girlfriend widow woman chairwoman spokeswoman actress""".split()
)
# A headline's verb the recogniser took into the name ("Korvanen Says Talks Will Resume" ->
# "Korvanen Says"): never the last word of a name.
_HEADLINE_VERBS = frozenset(
    """Says Said Tells Told Urges Warns Vows Insists Admits Denies Slams Claims Pledges
    Announces Confirms Rejects""".split()
)
_QUOTE_MARKS = "'’‘\"“”`"
STRIP_POSSESSIVE = re.compile(r"(?:'s|’s|'|’)$")
DETERMINERS = frozenset({"the", "a", "an", "this", "that", "these", "those"})


def name_key(token: str) -> str:
    low = token.lower().strip(".")
    for prefix in ("al-", "el-"):
        if low.startswith(prefix) and len(low) > len(prefix) + 1:
            return low[len(prefix) :]
    return low


def is_honorific(word: str) -> bool:
    return word.lower().strip(".") in HONORIFICS


def canonical_name(words: list[str]) -> tuple[list[str], list[str]]:
    """(name, titles): the last run of non-honorific words is the name.

    ``["His", "Eminence", "Imam", "Sayyed", "Ali", "Khamenei"]`` gives
    ``(["Ali", "Khamenei"], ["his", "eminence", "imam", "sayyed"])``.
    """
    words = [STRIP_POSSESSIVE.sub("", w) for w in words]
    # "National Meteorological Centre (NMC", "Sen. Ana Perez (R-Tex.)": a bracket (an acronym,
    # a party) is no part of the name, whether "(" is a token of its own or not
    bracket = next((i for i, w in enumerate(words) if w.startswith("(")), None)
    if bracket:
        words = words[:bracket]
    # quote marks the mention took in ("Ana Perez ''")
    words = [w for w in words if w.strip(_QUOTE_MARKS) and w not in (",", "(", ")")]
    while len(words) > 1 and words[-1] in _HEADLINE_VERBS:
        words = words[:-1]
    end = len(words)
    start = end
    while start > 0 and not is_honorific(words[start - 1]) and words[start - 1][:1].isalnum():
        start -= 1
    if start == end:  # all honorifics ("the Leader"): keep them as the name
        return words, [w.lower() for w in words]
    return words[start:end], [w.lower().strip(".") for w in words[:start]]


def with_name_prefix(doc: Doc, ent: Span) -> Span:
    """The entity with the name words the recogniser left out before it.

    "Her Excellency Ilse Korvanen" may be tagged as just "Korvanen"; the compound proper nouns
    in front ("Excellency Ilse") belong to the name, and ``canonical_name`` drops the titles.
    """
    start = ent.start
    if len(ent) > 1:
        return ent  # a full name already: the words before it are titles ("Coach Ivan Teller")
    while (
        start > ent.sent.start
        and doc[start - 1].pos_ == "PROPN"
        and doc[start - 1].dep_ in ("compound", "flat")
        and ent.start <= doc[start - 1].head.i < ent.end + 1
    ):
        start -= 1
    return doc[start : ent.end]


def appositive_titles(ent: Span) -> list[str]:
    """Role words said of a name in apposition: "Petteri Taalas, head of the WMO," and "the
    WMO chief, Petteri Taalas," both give ``head``/``chief`` and the organisation's words."""
    root = ent.root
    phrases = [c for c in root.rights if c.dep_ == "appos" and c.pos_ == "NOUN"]
    if root.dep_ == "appos" and root.head.pos_ == "NOUN" and root.head.i < ent.start:
        phrases.append(root.head)
    out: list[str] = []
    for phrase in phrases:
        word = phrase.lemma_.lower()
        if word not in ROLE_NOUNS and word not in MALE_TITLES and word not in FEMALE_TITLES:
            continue
        for tok in phrase.subtree:
            if tok.i >= ent.start and tok.i < ent.end:
                continue
            if not (tok.is_punct or tok.is_space or tok.lower_ in DETERMINERS):
                out.append(STRIP_POSSESSIVE.sub("", tok.lower_.strip(".")))
    return out


def title_context(doc: Doc, ent: Span) -> list[str]:
    """Capitalised title words right before a name: "Iraqi Prime Minister", "Leader of the ..."."""
    out: list[str] = appositive_titles(ent)
    i = ent.start - 1
    while i >= ent.sent.start and i >= ent.start - 8:
        tok = doc[i]
        low = tok.lower_.strip(".")
        if tok.text == "-" and not tok.whitespace_ and i > ent.sent.start:
            i -= 1  # "Secretary-General": one title in three tokens
            continue
        if tok.is_punct or tok.is_space:
            break
        lowercase_part = tok.dep_ == "compound" and tok.pos_ == "NOUN"  # "Workers union President"
        if tok.text[:1].isupper() or low in HONORIFICS or low in ("of", "the") or lowercase_part:
            out.append(low)
            i -= 1
            continue
        break
    return out


def people_and_organisations(doc: Doc) -> list[Span]:
    """The PERSON and ORG entities, plus the people the small model calls a place: a
    one-word "place" right after a first name that no entity holds ("Petteri Taalas" tagged
    as the GPE "Taalas")."""
    out: list[Span] = []
    for ent in doc.ents:
        if ent.label_ == "PERSON" and ent[-1].lower_ in _NOT_PERSON_HEADS:
            continue
        if (
            ent.label_ == "PERSON"
            and ent.start > 0
            and ent.end < len(doc)
            and doc[ent.start - 1].text in ("“", '"', "‘")
            and doc[ent.end].text in ("”", '"', "’")
        ):
            continue  # dubbed “Blade Runner”: a nickname or a title, not another person
        if ent.label_ in ("PERSON", "ORG"):
            out.append(ent)
            continue
        if ent.label_ not in ("GPE", "LOC") or len(ent) != 1 or ent.start == 0:
            continue
        before = doc[ent.start - 1]
        if (
            before.pos_ == "PROPN"
            and before.dep_ == "compound"
            and before.ent_type_ == ""
            and before.head.i == ent.start
            and before.text[:1].isupper()
            and not before.text.isupper()
        ):
            out.append(Span(doc, ent.start - 1, ent.end, label="PERSON"))
    # "Speaking in Geneva, Petteri Taalas, head of the WMO, said": a name the recogniser
    # missed, told by the role in apposition to it.
    # Appositions are rare: find them in the dependency array, not token by token.
    for i in numpy.flatnonzero(doc.to_array(DEP) == doc.vocab.strings["appos"]):
        role = doc[int(i)]
        if role.pos_ != "NOUN" or role.lemma_.lower() not in ROLE_NOUNS:
            continue
        tok = role.head
        if tok.pos_ == "PROPN" and tok.ent_type_ == "" and tok.i < role.i:
            start = tok.i
            while (
                start > 0 and doc[start - 1].dep_ == "compound" and doc[start - 1].pos_ == "PROPN"
            ):
                start -= 1
            if doc[start].text[:1].isupper() and not any(t.ent_type_ for t in doc[start : tok.i]):
                out.append(Span(doc, start, tok.i + 1, label="PERSON"))
    out.sort(key=lambda e: e.start)
    return out
