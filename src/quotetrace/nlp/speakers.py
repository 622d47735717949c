"""Speaker resolution inside one document: every source mention to one canonical actor.

A person is named many ways in one report: "His Eminence Imam Sayyed Ali Khamenei",
"Imam Khamenei", "His Eminence", "the Leader", "he". Actors are built from the named entities
(people and organisations), each named by its fullest name without honorifics ("Ali Khamenei");
titles seen next to a name ("Iraqi Prime Minister Mohammed Shayyaa al-Sudani") let a later
description ("The Iraqi prime minister") find its person; pronouns go to the person who spoke
last, or failing that to the person named last.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from spacy.tokens import Doc, Span

from .cues import HONORIFICS
from .extractor import Candidate

__all__ = ["DocActor", "canonical_name", "resolve_speakers"]

PERSON_PRONOUNS = {"he": "m", "him": "m", "his": "m", "she": "f", "her": "f"}
ORG_PRONOUNS = frozenset({"it", "they", "its", "their"})
RELATIVE = frozenset({"who", "that", "which", "whom"})
ORG_DESCRIPTIONS = frozenset(
    [
        "company",
        "firm",
        "group",
        "organisation",
        "organization",
        "agency",
        "ministry",
        "department",
        "government",
        "campaign",
        "committee",
        "party",
        "office",
        "bank",
        "council",
        "board",
        "union",
        "network",
        "newspaper",
        "paper",
        "channel",
        "outlet",
        "station",
        "team",
        "administration",
        "court",
    ]
)
# Descriptions that name a title in other words: "the premier" is the "Prime Minister".
TITLE_SYNONYMS: dict[str, set[str]] = {
    "premier": {"prime", "minister"},
    "pm": {"prime", "minister"},
    "chancellor": {"prime", "minister"},
    "president": {"head", "state"},
    "monarch": {"king", "queen"},
    "envoy": {"ambassador"},
    "spokesperson": {"spokesman", "spokeswoman"},
    "spokesman": {"spokesperson"},
    "spokeswoman": {"spokesperson"},
}
MALE_TITLES = frozenset({"mr", "sir", "king", "prince", "lord", "his"})
FEMALE_TITLES = frozenset({"mrs", "ms", "miss", "queen", "princess", "lady", "dame", "her"})
_STRIP_POSSESSIVE = re.compile(r"(?:'s|’s|'|’)$")
_DETERMINERS = frozenset({"the", "a", "an", "this", "that", "these", "those"})


@dataclass
class DocActor:
    actor_id: int
    name_tokens: list[str]
    label: str
    titles: set[str] = field(default_factory=set)
    mentions: list[tuple[int, int]] = field(default_factory=list)
    gender: str | None = None
    last_seen: int = -1  # character offset of the latest mention

    @property
    def name(self) -> str:
        return " ".join(self.name_tokens)

    @property
    def keys(self) -> set[str]:
        return {_key(t) for t in self.name_tokens}

    @property
    def surname(self) -> str:
        return _key(self.name_tokens[-1])

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.actor_id,
            "name": self.name,
            "label": self.label,
            "mentions": [list(m) for m in sorted(set(self.mentions))],
        }


def _key(token: str) -> str:
    low = token.lower().strip(".")
    for prefix in ("al-", "el-"):
        if low.startswith(prefix) and len(low) > len(prefix) + 1:
            return low[len(prefix) :]
    return low


def _is_honorific(word: str) -> bool:
    return word.lower().strip(".") in HONORIFICS


def canonical_name(words: list[str]) -> tuple[list[str], list[str]]:
    """(name, titles): the last run of non-honorific words is the name.

    ``["His", "Eminence", "Imam", "Sayyed", "Ali", "Khamenei"]`` gives
    ``(["Ali", "Khamenei"], ["his", "eminence", "imam", "sayyed"])``.
    """
    words = [_STRIP_POSSESSIVE.sub("", w) for w in words]
    words = [w for w in words if w and w not in (",", "(", ")")]
    end = len(words)
    start = end
    while start > 0 and not _is_honorific(words[start - 1]) and words[start - 1][:1].isalnum():
        start -= 1
    if start == end:  # all honorifics ("the Leader"): keep them as the name
        return words, [w.lower() for w in words]
    return words[start:end], [w.lower().strip(".") for w in words[:start]]


def _with_name_prefix(doc: Doc, ent: Span) -> Span:
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


def _title_context(doc: Doc, ent: Span) -> list[str]:
    """Capitalised title words right before a name: "Iraqi Prime Minister", "Leader of the ..."."""
    out: list[str] = []
    i = ent.start - 1
    while i >= ent.sent.start and i >= ent.start - 8:
        tok = doc[i]
        low = tok.lower_.strip(".")
        if tok.is_punct or tok.is_space:
            break
        if tok.text[:1].isupper() or low in HONORIFICS or low in ("of", "the"):
            out.append(low)
            i -= 1
            continue
        break
    return out


class _Resolver:
    def __init__(self, doc: Doc) -> None:
        self.doc = doc
        self.actors: list[DocActor] = []
        self.last_person_speaker: DocActor | None = None
        self.last_org_speaker: DocActor | None = None
        # doc.ents builds new spans on every access: read them once.
        self.ents = [e for e in doc.ents if e.label_ in ("PERSON", "ORG")]
        # People named as the subject of a clause, in text order: "Karl Imre disagreed. He
        # said ..." - the pronoun follows the nearer subject, not the last speaker.
        self.subjects: list[tuple[int, DocActor]] = []
        self.last_person_speaker_at = -1
        for ent in self.ents:
            actor = self._add_entity(ent)
            if actor is not None and actor.label == "PERSON" and ent.root.dep_ == "nsubj":
                self.subjects.append((ent.start_char, actor))

    def _add_entity(self, ent: Span) -> DocActor | None:
        name, titles = canonical_name(_with_name_prefix(self.doc, ent).text.split())
        if not name:
            return None
        titles += _title_context(self.doc, ent)
        label = ent.label_
        actor = self._match_name(name, label)
        if actor is None and label == "ORG" and len(name) == 1:
            # A bare surname the recogniser calls an organisation ("Hart added"): if a person
            # of that surname is already named, it is that person.
            person = self._match_name(name, "PERSON")
            if person is not None and person.surname == _key(name[0]):
                actor, label = person, "PERSON"
        span = (ent.start_char, ent.end_char)
        if actor is None:
            actor = DocActor(len(self.actors), name, label)
            self.actors.append(actor)
        elif len(name) > len(actor.name_tokens) and label == actor.label:
            actor.name_tokens = name
        actor.titles.update(t for t in titles if t not in _DETERMINERS)
        actor.mentions.append(span)
        actor.last_seen = max(actor.last_seen, span[0])
        for t in titles:
            if t in MALE_TITLES:
                actor.gender = actor.gender or "m"
            elif t in FEMALE_TITLES:
                actor.gender = actor.gender or "f"
        return actor

    def _match_name(self, name: list[str], label: str | None) -> DocActor | None:
        keys = {_key(t) for t in name}
        last = _key(name[-1])
        best: DocActor | None = None
        for actor in self.actors:
            if label is not None and actor.label != label:
                continue
            same = last == actor.surname or keys <= actor.keys or actor.keys <= keys
            if same and (best is None or actor.last_seen > best.last_seen):
                best = actor
        return best

    # --------------------------------------------------------------- one source
    def resolve(self, cand: Candidate) -> tuple[DocActor | None, str | None]:
        if cand.source is None or cand.source_head is None:
            return None, None
        doc = self.doc
        head = doc[cand.source_head]
        span = doc[cand.source[0] : cand.source[1]]
        low = head.lower_
        at = span.start_char
        if low in RELATIVE and head.head.dep_ == "relcl":
            antecedent = head.head.head
            return self._resolve_phrase(doc[antecedent.left_edge.i : antecedent.i + 1], at)
        if low in PERSON_PRONOUNS:
            actor = self._pronoun(PERSON_PRONOUNS[low], at)
            return actor, actor.name if actor else None
        if low in ORG_PRONOUNS and len(span) == 1:
            actor = self.last_org_speaker
            return actor, actor.name if actor else None
        if low in ("i", "we", "you"):
            return None, None
        return self._resolve_phrase(span, at)

    def _pronoun(self, gender: str, at: int) -> DocActor | None:
        last = self.last_person_speaker
        named = self.last_org_speaker
        if (
            named is not None
            and (last is None or named.last_seen > last.last_seen)
            and len(named.name_tokens) <= 3
            and not ({t.lower() for t in named.name_tokens} & ORG_DESCRIPTIONS)
        ):
            # The recogniser took a person for an organisation ("Ham said"); "he" says otherwise.
            named.label = "PERSON"
            self.last_org_speaker = None
            return named
        if last is not None and last.gender in (None, gender):
            nearer = [a for pos, a in self.subjects if self.last_person_speaker_at < pos < at]
            if nearer and nearer[-1] is not last and nearer[-1].gender in (None, gender):
                return nearer[-1]
            return last
        people = [
            a
            for a in self.actors
            if a.label == "PERSON" and a.gender in (None, gender) and min(a.mentions)[0] < at
        ]
        if not people:
            return last
        return max(people, key=lambda a: max((m[0] for m in a.mentions if m[0] < at), default=-1))

    def _resolve_phrase(self, span: Span, at: int) -> tuple[DocActor | None, str | None]:
        doc = self.doc
        head = span.root
        appos = next((c for c in head.rights if c.dep_ == "appos" and c.pos_ == "PROPN"), None)
        if appos is not None:
            # "Marenthia's president, Ilse Korvanen, told ...": the apposition names the speaker.
            span = doc[appos.left_edge.i : appos.i + 1]
            head = appos
        # The entity the phrase is about, not a possessor inside it ("Cadoria's Prime Minister
        # Dario Mestrell" is Mestrell, not Cadoria).
        ents = [
            e
            for e in self.ents
            if e.start < span.end
            and span.start < e.end
            and not (e.root.dep_ == "poss" and e.root.i != head.i)
        ]
        ents.sort(key=lambda e: (not (e.start <= head.i < e.end), e.label_ != "PERSON"))
        for ent in ents:
            name, _ = canonical_name(_with_name_prefix(doc, ent).text.split())
            actor = self._match_name(name, ent.label_)
            if actor is not None:
                return actor, actor.name
        words = [t.text for t in span if not t.is_space and t.lower_ not in _DETERMINERS]
        if not words:
            return None, None
        proper = [t.text for t in span if t.pos_ == "PROPN" and t.dep_ != "poss"]
        if proper:
            name, titles = canonical_name(proper)
            if name and not all(_is_honorific(w) for w in name):
                actor = self._match_name(name, None)
                if actor is None and span.root.pos_ == "PROPN":
                    # A name the entity recogniser missed ("Ham said"): still an actor, so a
                    # later "he" can find it.
                    actor = DocActor(len(self.actors), name, "PERSON", set(titles))
                    self.actors.append(actor)
                if actor is not None:
                    return actor, actor.name
        lowered = {w.lower().strip(".") for w in words}
        for word in list(lowered):
            lowered |= TITLE_SYNONYMS.get(word, set())
        if lowered & ORG_DESCRIPTIONS and self.last_org_speaker is None:
            orgs = [a for a in self.actors if a.label == "ORG" and a.last_seen <= at]
            if orgs and len(lowered) <= 2:
                actor = max(orgs, key=lambda a: a.last_seen)
                return actor, actor.name
        best, best_score = None, 0
        for actor in self.actors:
            score = len(lowered & actor.titles)
            later = best is not None and actor.last_seen > best.last_seen
            if score > 0 and (score > best_score or (score == best_score and later)):
                best, best_score = actor, score
        if best is not None and best_score >= max(1, min(2, len(lowered) - 1)):
            return best, best.name
        if best is not None and not (lowered - best.titles):
            return best, best.name
        if lowered & ORG_DESCRIPTIONS and self.last_org_speaker is not None and len(lowered) <= 2:
            return self.last_org_speaker, self.last_org_speaker.name
        # A description nobody else shares ("a senior official"): the phrase is the speaker.
        return None, span.text.strip()

    def note_speaker(self, actor: DocActor | None, mention: tuple[int, int] | None) -> None:
        if actor is None:
            return
        if mention is not None:
            actor.mentions.append(mention)
            actor.last_seen = max(actor.last_seen, mention[0])
        if actor.label == "PERSON":
            self.last_person_speaker = actor
            if mention is not None:
                self.last_person_speaker_at = mention[0]
        else:
            self.last_org_speaker = actor


def resolve_speakers(
    doc: Doc, found: list[Candidate]
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Attributions and actors of one document, as plain dicts for ``Doc._``."""
    resolver = _Resolver(doc)
    attributions: list[dict[str, Any]] = []
    order = sorted(found, key=lambda c: c.cue_head if c.cue_head is not None else 10**9)
    resolved: dict[int, tuple[DocActor | None, str | None]] = {}
    for cand in order:
        actor, name = resolver.resolve(cand)
        mention = None
        if cand.source is not None:
            first, last = doc[cand.source[0]], doc[cand.source[1] - 1]
            mention = (first.idx, last.idx + len(last.text))
        resolver.note_speaker(actor, mention)
        if actor is not None and cand.source_head is not None:
            low = doc[cand.source_head].lower_
            if low in PERSON_PRONOUNS and actor.gender is None:
                actor.gender = PERSON_PRONOUNS[low]
        resolved[id(cand)] = (actor, name)
    used: set[int] = set()
    for cand in found:
        actor, name = resolved[id(cand)]
        if actor is not None:
            used.add(actor.actor_id)
        attributions.append(
            {
                "kind": cand.kind,
                "content": list(cand.content),
                "source": _chars(doc, cand.source),
                "cue": _chars(doc, cand.cue),
                "speaker": name,
                "confidence": round(cand.confidence, 3),
                "actor_id": actor.actor_id if actor is not None else None,
                "rule": cand.rule,
            }
        )
    actors = [a.to_json() for a in resolver.actors]
    return attributions, actors


def _chars(doc: Doc, span: tuple[int, int] | None) -> list[int] | None:
    if span is None or span[1] <= span[0]:
        return None
    first, last = doc[span[0]], doc[span[1] - 1]
    return [first.idx, last.idx + len(last.text)]
