"""Speaker resolution inside one document: every source mention to one canonical actor.

A person is named many ways in one report: "His Eminence Imam Sayyed Ali Khamenei",
"Imam Khamenei", "His Eminence", "the Leader", "he". Actors are built from the named entities
(people and organisations), each named by its fullest name without honorifics ("Ali Khamenei");
titles seen next to a name ("Iraqi Prime Minister Mohammed Shayyaa al-Sudani") let a later
description ("The Iraqi prime minister") find its person; pronouns go to the person who spoke
last, or failing that to the person named last.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field
from typing import Any

from spacy.tokens import Doc, Span, Token

from .extractor import Candidate
from .speaker_lexicon import (
    DOCUMENT_NOUNS,
    GROUP_WORDS,
    ROLE_NOUNS,
    ROLE_SYNONYMS,
    acronym_of,
    known_acronyms,
    spelled_out_acronyms,
)
from .speaker_names import DETERMINERS as _DETERMINERS
from .speaker_names import FEMALE_TITLES, HONORIFIC_NOUNS, MALE_TITLES, canonical_name
from .speaker_names import STRIP_POSSESSIVE as _STRIP_POSSESSIVE
from .speaker_names import is_honorific as _is_honorific
from .speaker_names import name_key as _key
from .speaker_names import people_and_organisations as _people_and_organisations
from .speaker_names import title_context as _title_context
from .speaker_names import with_name_prefix as _with_name_prefix

__all__ = ["SPEAKER_CONFIDENCE", "DocActor", "Resolution", "canonical_name", "resolve_speakers"]

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
# Words that make a role a lesser one than the bare role noun says.
_LESSER_ROLES = frozenset({"vice", "deputy", "assistant", "former", "acting", "associate", "ex"})
# Collective nouns for an organisation's people: "police said" is the police, not an officer.
_COLLECTIVE = frozenset({"police", "army", "military", "military's", "authorities", "officials"})


@dataclass
class DocActor:
    actor_id: int
    name_tokens: list[str]
    label: str
    titles: set[str] = field(default_factory=set)
    mentions: list[tuple[int, int]] = field(default_factory=list)
    gender: str | None = None
    last_seen: int = -1  # character offset of the latest mention
    members: list[int] = field(default_factory=list)  # a group's actors ("Biden and Xi")
    _keys: tuple[list[str], set[str]] | None = field(default=None, repr=False, compare=False)

    @property
    def name(self) -> str:
        return " ".join(self.name_tokens)

    @property
    def keys(self) -> set[str]:
        # Matching asks for these for every actor at every name: built once per name.
        cached = self._keys
        if cached is None or cached[0] is not self.name_tokens:
            cached = (self.name_tokens, {_key(t) for t in self.name_tokens})
            self._keys = cached
        return cached[1]

    @property
    def surname(self) -> str:
        return _key(self.name_tokens[-1])

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "id": self.actor_id,
            "name": self.name,
            "label": self.label,
            "mentions": [list(m) for m in sorted(set(self.mentions))],
        }
        if self.members:
            out["members"] = list(self.members)
        return out


# How a speaker was found, and how far that way is to be trusted: the share of statements
# with the right speaker by way of resolution, as measured on the shared real cross-outlet set
# (README: "Speakers"). A statement's ``speaker_confidence`` is the value of its way.
SPEAKER_CONFIDENCE: dict[str, float] = {
    "name": 0.95,
    "relative": 0.9,
    "title": 0.85,
    "pronoun": 0.8,
    "issuer": 0.8,
    "group": 0.75,
    "continuation": 0.7,
    "issuer-context": 0.6,
    "description": 0.3,
    "none": 0.0,
}


@dataclass(frozen=True)
class Resolution:
    """Who a source mention is, and by which way that was found (a ``SPEAKER_CONFIDENCE`` key).

    ``via`` names the document a statement came through ("statement", "report") when the
    source is a document and the speaker its issuer.
    """

    actor: DocActor | None
    name: str | None
    how: str
    via: str | None = None
    # False when the source words are not the actor's own mention (a participle, an
    # organisation in front of the name, a document): then they join no mention chain.
    names_actor: bool = True


class _Resolver:
    def __init__(self, doc: Doc, text: str | None = None) -> None:
        self.doc = doc
        self.text = doc.text if text is None else text  # doc.text joins every token: once
        self.actors: list[DocActor] = []
        self.last_person_speaker: DocActor | None = None
        self.last_org_speaker: DocActor | None = None
        # doc.ents builds new spans on every access: read them once.
        self.ents = _people_and_organisations(doc)
        self.expansions = self._acronyms()
        # People named as the subject of a clause, in text order: "Karl Imre disagreed. He
        # said ..." - the pronoun follows the nearer subject, not the last speaker.
        self.subjects: list[tuple[int, DocActor]] = []
        self.last_person_speaker_at = -1
        self.entity_actor: dict[int, DocActor] = {}  # entity start token -> its actor
        self.org_subjects: list[tuple[int, DocActor]] = []  # organisations as subjects
        for ent in self.ents:
            actor = self._add_entity(ent)
            if actor is None:
                continue
            self.entity_actor[ent.start] = actor
            if actor.label == "PERSON" and ent.root.dep_ == "nsubj":
                self.subjects.append((ent.start_char, actor))
            elif actor.label == "ORG" and ent.root.dep_ in ("nsubj", "nsubjpass"):
                self.org_subjects.append((ent.start_char, actor))

    def _acronyms(self) -> dict[str, list[str]]:
        """Acronym -> full name: spelled out in the text, then the initials of an organisation
        the text names in full ("General Motors" makes "GM"), then the shipped table."""
        found = spelled_out_acronyms(self.text)
        for ent in self.ents:
            if ent.label_ != "ORG":
                continue
            words = [w for w in ent.text.split() if w.lower() not in _DETERMINERS]
            initials = acronym_of(words)
            if initials and initials not in found and words[-1][:1].isupper():
                found[initials] = words
        for short, full in known_acronyms().items():
            found.setdefault(short, full)
        return found

    def _expand(self, name: list[str]) -> list[str]:
        """An organisation's acronym read as its full name: "WMO" -> World Meteorological ..."""
        if len(name) == 1:
            full = self.expansions.get(name[0].strip(".")) or self.expansions.get(
                name[0].strip(".").upper()
            )
            if full and name[0].isupper():
                return list(full)
        return name

    def _expand_words(self, words: set[str], synonyms: bool = True) -> set[str]:
        """Description or title words with an acronym read as its full name (in its place, so
        "UAW" and "United Auto Workers" count the same) and a role's synonyms added."""
        out = set(words)
        for word in words:
            full = self.expansions.get(word.upper())
            if full and len(word) >= 2:
                out.discard(word)
                out |= {w.lower() for w in full}
            if synonyms:  # on the description's side only, so one shared word counts once
                out |= TITLE_SYNONYMS.get(word, set())
                out |= ROLE_SYNONYMS.get(word, frozenset())
        return out

    def _add_entity(self, ent: Span) -> DocActor | None:
        name, titles = canonical_name(_with_name_prefix(self.doc, ent).text.split())
        if not name:
            return None
        titles += _title_context(self.doc, ent)
        label = ent.label_
        if label == "PERSON" and len(name) == 1 and self._expand(name) != name:
            label = "ORG"  # "JAXA said": an acronym the recogniser took for a person
        if label == "ORG":
            name = self._expand(name)
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
        actor.titles.update(
            self._expand_words({t for t in titles if t not in _DETERMINERS}, synonyms=False)
        )
        actor.mentions.append(span)
        actor.last_seen = max(actor.last_seen, span[0])
        # "his coach Garvis Hakizimana": a possessive is someone else's gender, unless it is
        # part of an honorific ("His Eminence").
        honorific = bool(set(titles) & HONORIFIC_NOUNS)
        for t in titles:
            if t in ("his", "her") and not honorific:
                continue
            if t in MALE_TITLES:
                actor.gender = actor.gender or "m"
            elif t in FEMALE_TITLES:
                actor.gender = actor.gender or "f"
        return actor

    def _match_name(
        self, name: list[str], label: str | None, at: int | None = None
    ) -> DocActor | None:
        """The actor a name means: the one seen last, or with ``at``, the one seen last
        before that point ("President Ruto" early on is not "First Lady Rachel Ruto" below)."""
        keys = {_key(t) for t in name}
        last = _key(name[-1])
        best: DocActor | None = None
        actors = self.actors

        def seen(actor: DocActor) -> int:
            return actor.last_seen if at is None else _last_before(actor, at)

        if at is not None:
            before = [a for a in actors if a.mentions and any(m[0] < at for m in a.mentions)]
            actors = before or actors
        for actor in actors:
            if actor.members or (label is not None and actor.label != label):
                continue
            same = last == actor.surname or keys <= actor.keys or actor.keys <= keys
            if same and _first_names_differ(name, actor.name_tokens):
                continue  # "June Steenkamp" is not "Reeva Steenkamp"
            if same and (best is None or seen(actor) > seen(best)):
                best = actor
        return best

    # --------------------------------------------------------------- one source
    def resolve(self, cand: Candidate) -> Resolution:
        if cand.source is None or cand.source_head is None:
            return Resolution(None, None, "none")
        doc = self.doc
        head = doc[cand.source_head]
        span = doc[cand.source[0] : cand.source[1]]
        low = head.lower_
        at = span.start_char
        if low in RELATIVE and head.head.dep_ == "relcl":
            antecedent = head.head.head
            found = self._resolve_phrase(doc[antecedent.left_edge.i : antecedent.i + 1], at)
            return _renamed(found, "relative") if found.how == "name" else found
        if low in PERSON_PRONOUNS:
            actor = self._pronoun(PERSON_PRONOUNS[low], at)
            if actor is None:
                # Where the rules find nobody, the coreference component's chain may (when
                # it ran). Measured on crossoutlet, letting it overrule the rules lost 2.6
                # points of speaker accuracy, so it only fills in.
                actor = self._coref_person(head.i, at)
            return _named(actor, "pronoun")
        if low in ORG_PRONOUNS and len(span) == 1:
            if self.last_org_speaker is None and low in ("it", "its"):
                # No organisation has spoken yet: "it" is the one last named as a subject
                # ("the WMO has said ... It warned"), else the one named last.
                subjects = [a for pos, a in self.org_subjects if pos < at]
                orgs = [
                    a
                    for a in self.actors
                    if a.label == "ORG" and any(m[0] < at for m in a.mentions)
                ]
                latest = max(
                    orgs,
                    key=lambda a: _last_before(a, at),
                    default=None,
                )
                return _named(subjects[-1] if subjects else latest, "pronoun")
            return _named(self.last_org_speaker, "pronoun")
        if low in ("i", "we", "you"):
            return Resolution(None, None, "none")
        governor = head.head
        if (
            head.dep_ in ("compound", "poss", "nmod")
            and governor.ent_type_ == "PERSON"
            and governor.i >= span.end
        ):
            # "NASA head Bill Nelson said" with the source cut at "NASA": the person speaks.
            name = [t for t in governor.subtree if t.ent_type_ == "PERSON" and t.i <= governor.i]
            if name:
                return _elsewhere(self._resolve_phrase(doc[name[0].i : governor.i + 1], at))
        if head.pos_ == "VERB" and cand.cue_head is not None:
            # "Reacting to the news, Reeva's mother, June Steenkamp, said": the frame's
            # subject speaks, not the participle before it.
            subject = next(
                (c for c in doc[cand.cue_head].children if c.dep_ in ("nsubj", "nsubjpass")),
                None,
            )
            if subject is not None and subject.i != head.i:
                return _elsewhere(
                    self._resolve_phrase(doc[subject.left_edge.i : subject.i + 1], at)
                )
            # The parser may hang the name on the participle's object as an apposition.
            named = [t for t in head.subtree if t.dep_ == "appos" and t.pos_ == "PROPN"]
            if named:
                return _elsewhere(
                    self._resolve_phrase(doc[named[-1].left_edge.i : named[-1].i + 1], at)
                )
        return self._resolve_phrase(span, at)

    def _coref_person(self, token: int, at: int) -> DocActor | None:
        """The named person the coreference component links this token to, as our actor."""
        from ..coref.component import entity_at

        entity = entity_at(self.doc, token)
        if entity is None or not entity.get("named") or entity.get("label") != "PERSON":
            return None
        return self._match_name(str(entity["name"]).split(), "PERSON", at)

    def _pronoun(self, gender: str, at: int) -> DocActor | None:
        last = self.last_person_speaker
        named = self.last_org_speaker
        people_before = [
            a
            for a in self.actors
            if a.label == "PERSON"
            and not a.members
            and a.gender in (None, gender)
            and any(m[0] < at for m in a.mentions)
        ]
        if (
            named is not None
            and not people_before
            and (last is None or named.last_seen > last.last_seen)
            and len(named.name_tokens) <= 3
            and not ({t.lower() for t in named.name_tokens} & ORG_DESCRIPTIONS)
            and not any(t.isupper() for t in named.name_tokens)
            and named.name_tokens not in self.expansions.values()
        ):
            # The recogniser took a person for an organisation ("Ham said"); "he" says
            # otherwise - but only when no person at all could be meant.
            named.label = "PERSON"
            self.last_org_speaker = None
            return named
        if last is not None and last.gender is None:
            # "She" after "X said ... Reeva's mother, June Steenkamp": someone of the
            # pronoun's known gender named since the last speaker is the likelier one.
            since = [
                a
                for a in people_before
                if a.gender == gender
                and any(self.last_person_speaker_at < m[0] < at for m in a.mentions)
            ]
            if since:
                return max(since, key=lambda a: _last_before(a, at))
        if last is not None and last.gender in (None, gender):
            nearer = [a for pos, a in self.subjects if self.last_person_speaker_at < pos < at]
            if nearer and nearer[-1] is not last and nearer[-1].gender in (None, gender):
                return nearer[-1]
            return last
        if not people_before:
            return last
        return max(people_before, key=lambda a: _last_before(a, at))

    def _resolve_phrase(self, span: Span, at: int) -> Resolution:
        doc = self.doc
        head = span.root
        appos = next(
            (
                c
                for c in head.rights
                if c.dep_ == "appos"
                and c.pos_ == "PROPN"
                # "Sen. Ana Perez (R-Tex.)": a bracket after a person gives a party and a
                # state, not a name (after an organisation it may give its acronym)
                and not (head.ent_type_ != "ORG" and _bracketed(doc, head.i, c.i))
            ),
            None,
        )
        if appos is not None:
            # "Marenthia's president, Ilse Korvanen, told ...": the apposition names the speaker.
            span = doc[appos.left_edge.i : appos.i + 1]
            head = appos
        lemma = head.lemma_.lower()
        if head.pos_ != "PROPN" and (head.lower_ in GROUP_WORDS or _counts_two(head)):
            group = self._group(at)
            if group is not None:
                return Resolution(group, group.name, "group")
        if head.pos_ == "NOUN" and lemma in DOCUMENT_NOUNS:
            return self._issuer(head, lemma, at)
        # "UAW president", "the head of the WMO", "NASA head Bill Nelson": a role's holder.
        # A plural ("officials", "ministers") is a group of holders, not one person.
        role = (
            head.tag_ in ("NN", "NNP")  # "the Leader of Iran" is tagged a proper noun
            and lemma in ROLE_NOUNS
            and head.ent_type_ != "PERSON"
        )
        # The entity the phrase is about, not a possessor inside it ("Cadoria's Prime Minister
        # Dario Mestrell" is Mestrell, not Cadoria), nor the organisation of a role.
        ents = [
            e
            for e in self.ents
            if e.start < span.end
            and span.start < e.end
            and not (e.root.dep_ == "poss" and e.root.i != head.i)
            and not (role and e.label_ == "ORG" and not e.start <= head.i < e.end)
        ]
        ents.sort(key=lambda e: (not (e.start <= head.i < e.end), e.label_ != "PERSON"))
        for ent in ents:
            actor = self.entity_actor.get(ent.start)
            if actor is not None and not actor.members:
                return Resolution(actor, actor.name, "name")
        words = [t.text for t in span if not t.is_space and t.lower_ not in _DETERMINERS]
        if not words:
            return Resolution(None, None, "none")
        proper = [
            t.text
            for t in span
            if t.pos_ == "PROPN" and t.dep_ != "poss" and not (role and t.i != head.i)
        ]
        if proper:
            name, titles = canonical_name(proper)
            if name and not all(_is_honorific(w) for w in name):
                expanded = self._expand(name)
                actor = self._match_name(expanded, None, at)
                if actor is None and span.root.pos_ == "PROPN":
                    # A name the entity recogniser missed ("Ham said"): still an actor, so a
                    # later "he" can find it; an acronym it missed is an organisation.
                    label = "ORG" if expanded != name else "PERSON"
                    actor = DocActor(len(self.actors), expanded, label, set(titles))
                    actor.mentions.append((span.start_char, span.end_char))
                    actor.last_seen = span.start_char
                    self.actors.append(actor)
                if actor is not None:
                    return Resolution(actor, actor.name, "name")
        lowered = self._expand_words(
            {_STRIP_POSSESSIVE.sub("", w.lower().strip(".()")) for w in words} - {"of", ""}
        )
        if role:
            own = {w.lower().strip(".") for w in words} - {"of"}
            holder = self._title_holder(lowered, at, need=2 if len(own) > 1 else 1)
            if holder is not None:
                return Resolution(holder, holder.name, "title")
            # Nobody in the article holds the role: the description is the actor ("the
            # Leader of Iran"), so a later "the Leader" or "he" finds the same one.
            described = DocActor(len(self.actors), words, "PERSON")
            described.titles = set(own)
            described.mentions.append((span.start_char, span.end_char))
            described.last_seen = span.start_char
            self.actors.append(described)
            return Resolution(described, span.text.strip(), "description")
        if lemma in _COLLECTIVE:
            return Resolution(None, span.text.strip(), "description")
        if lowered & ORG_DESCRIPTIONS and self.last_org_speaker is None:
            orgs = [a for a in self.actors if a.label == "ORG" and a.last_seen <= at]
            if orgs and len(lowered) <= 2:
                actor = max(orgs, key=lambda a: a.last_seen)
                return Resolution(actor, actor.name, "title")
        best = self._title_holder(lowered, at, need=max(1, min(2, len(lowered) - 1)))
        if best is not None:
            return Resolution(best, best.name, "title")
        if lowered & ORG_DESCRIPTIONS and self.last_org_speaker is not None and len(lowered) <= 2:
            return Resolution(self.last_org_speaker, self.last_org_speaker.name, "title")
        # A surname the tagger did not see as a name ("Taalas said").
        capitalised = [w for w in words if w[:1].isupper() and not _is_honorific(w)]
        if len(capitalised) == 1 and len(words) == 1:
            actor = self._match_name(capitalised, "PERSON", at)
            if actor is not None:
                return Resolution(actor, actor.name, "name")
        # A description nobody else shares ("a senior official"): the phrase is the speaker.
        return Resolution(None, span.text.strip(), "description")

    def _title_holder(self, lowered: set[str], at: int, need: int) -> DocActor | None:
        """The actor whose titles share the most words with a description, the later on a tie;
        all the description's words shared is enough too ("the premier" for a premier)."""
        best, best_score = None, 0
        for actor in self.actors:
            if actor.members:
                continue
            if (actor.titles & _LESSER_ROLES) - lowered:
                continue  # "UAW Vice President Chuck Browning" is not who "UAW president" means
            score = len(lowered & actor.titles)
            later = best is not None and actor.last_seen > best.last_seen
            if score > 0 and (score > best_score or (score == best_score and later)):
                best, best_score = actor, score
        if best is not None and (best_score >= need or not (lowered - best.titles)):
            return best
        return None

    def _issuer(self, head: Token, noun: str, at: int) -> Resolution:
        """A document as the source: its issuer is who the text says issued it ("a statement
        from the ministry", "the board's ruling", "a report by Reuters"), else the last
        speaker before it, which is who such a document usually continues."""
        doc = self.doc
        following = [doc[head.i + 1]] if head.i + 1 < len(doc) else []
        # "According to a report by Reuters": the parser may hang "by" on "According".
        for child in [*head.children, *(t for t in following if t.lower_ in ("by", "from"))]:
            target = None
            if child.lower_ in ("by", "from", "of") and child.pos_ == "ADP":
                target = next((c for c in child.children if c.dep_ == "pobj"), None)
            elif child.dep_ in ("poss", "compound") and child.pos_ in ("PROPN", "NOUN"):
                target = child
            if target is None:
                continue
            found = self._resolve_phrase(doc[target.left_edge.i : target.i + 1], at)
            if found.actor is not None:
                return Resolution(found.actor, found.name, "issuer", noun, names_actor=False)
        speakers = [a for a in (self.last_org_speaker, self.last_person_speaker) if a is not None]
        if speakers:
            actor = max(speakers, key=lambda a: a.last_seen)
            return Resolution(actor, actor.name, "issuer-context", noun, names_actor=False)
        return Resolution(None, None, "none", noun)

    def _group(self, at: int) -> DocActor | None:
        """The people last named together ("Biden and Xi ... The two said"), as one actor
        whose members they are."""
        pairs: list[tuple[int, list[DocActor]]] = []
        for ent in self.ents:
            actor = self.entity_actor.get(ent.start)
            if actor is None or actor.label != "PERSON" or ent.root.dep_ != "conj":
                continue
            first = self._entity_of(ent.root.head)
            if first is not None and first is not actor and first.label == "PERSON":
                pairs.append((ent.start_char, [first, actor]))
        before = [p for p in pairs if p[0] < at] or pairs
        if before:
            members = max(before, key=lambda p: p[0])[1]
        else:
            # No "A and B" the parser joined: the two people named last before it.
            people = [
                (_last_before(a, at), a)
                for a in self.actors
                if a.label == "PERSON" and not a.members
            ]
            named = sorted((p for p in people if p[0] >= 0), key=lambda p: -p[0])[:2]
            if len(named) < 2:
                return None
            members = sorted((a for _, a in named), key=lambda a: min(a.mentions)[0])
        name = " and ".join(m.name for m in members)
        for actor in self.actors:
            if actor.members == [m.actor_id for m in members]:
                return actor
        group = DocActor(len(self.actors), name.split(), "PERSON")
        group.members = [m.actor_id for m in members]
        self.actors.append(group)
        return group

    def _entity_of(self, token: Token) -> DocActor | None:
        for ent in self.ents:
            if ent.start <= token.i < ent.end:
                return self.entity_actor.get(ent.start)
        return None

    def note_speaker(self, actor: DocActor | None, mention: tuple[int, int] | None) -> None:
        if actor is None:
            return
        if mention is not None:
            actor.mentions.append(mention)
            actor.last_seen = max(actor.last_seen, mention[0])
        if actor.members:
            return
        if actor.label == "PERSON":
            self.last_person_speaker = actor
            if mention is not None:
                self.last_person_speaker_at = mention[0]
        else:
            self.last_org_speaker = actor


def _last_before(actor: DocActor, at: int) -> int:
    """Where the actor was last mentioned before ``at`` (-1: not yet)."""
    return max((m[0] for m in actor.mentions if m[0] < at), default=-1)


def _first_names_differ(a: list[str], b: list[str]) -> bool:
    if len(a) < 2 or len(b) < 2:
        return False
    x, y = a[0].strip(".").lower(), b[0].strip(".").lower()
    if len(x) == 1 or len(y) == 1:  # an initial: "S. Rao" may be "Sunita Rao"
        return x[0] != y[0]
    return x != y and _key(a[-1]) == _key(b[-1])


def _named(actor: DocActor | None, how: str) -> Resolution:
    return Resolution(actor, actor.name if actor else None, how if actor else "none")


def _elsewhere(found: Resolution) -> Resolution:
    return Resolution(found.actor, found.name, found.how, found.via, names_actor=False)


def _renamed(found: Resolution, how: str) -> Resolution:
    return Resolution(found.actor, found.name, how, found.via, found.names_actor)


def _counts_two(head: Token) -> bool:
    # "the two leaders", "both men": a plural noun counted as a pair.
    return head.tag_ in ("NNS", "NNPS") and any(
        c.lower_ in GROUP_WORDS and c.dep_ in ("nummod", "det", "predet", "amod")
        for c in head.children
    )


# A quote with no frame of its own continues the statement before it when it follows within
# this many paragraph breaks ("Okafor said:" and the quote paragraphs under it).
_CONTINUATION_BREAKS = 2
# How far after a frameless quote's end a name may stand to be its speaker ("," + name).
_NAMED_AFTER_CHARS = 40


def resolve_speakers(
    doc: Doc, found: list[Candidate], text: str | None = None
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Attributions and actors of one document, as plain dicts for ``Doc._``; ``text`` is
    ``doc.text``, when the caller has it already."""
    text = doc.text if text is None else text
    resolver = _Resolver(doc, text)
    order = sorted(found, key=lambda c: c.cue_head if c.cue_head is not None else 10**9)
    resolved: dict[int, Resolution] = {}
    for cand in order:
        result = resolver.resolve(cand)
        mention = None
        if cand.source is not None and result.names_actor:
            first, last = doc[cand.source[0]], doc[cand.source[1] - 1]
            mention = (first.idx, last.idx + len(last.text))
        resolver.note_speaker(result.actor, mention)
        if result.actor is not None and cand.source_head is not None:
            low = doc[cand.source_head].lower_
            if low in PERSON_PRONOUNS and result.actor.gender is None:
                result.actor.gender = PERSON_PRONOUNS[low]
        resolved[id(cand)] = result
    _continue_quotes(text, found, resolved, resolver.actors)
    attributions: list[dict[str, Any]] = []
    for cand in found:
        result = resolved[id(cand)]
        record: dict[str, Any] = {
            "kind": cand.kind,
            "content": list(cand.content),
            "source": _chars(doc, cand.source),
            "cue": _chars(doc, cand.cue),
            "speaker": result.name,
            "confidence": round(cand.confidence, 3),
            "actor_id": result.actor.actor_id if result.actor is not None else None,
            "rule": cand.rule,
            "speaker_confidence": SPEAKER_CONFIDENCE[result.how],
        }
        if result.via is not None:
            record["via"] = result.via
        attributions.append(record)
    actors = [a.to_json() for a in resolver.actors]
    return attributions, actors


def _continue_quotes(
    text: str, found: list[Candidate], resolved: dict[int, Resolution], actors: list[DocActor]
) -> None:
    """A direct quote with no source: the person named right after it in its sentence
    ("“...,” Petteri Taalas, WMO chief, told reporters") when the frame was missed, else the
    speaker of the statement right before it (a quote paragraph under "Okafor said:")."""
    people = sorted(
        ((m[0], a) for a in actors if a.label == "PERSON" and not a.members for m in a.mentions),
        key=lambda p: p[0],
    )
    starts = [start for start, _ in people]
    previous: Candidate | None = None
    for cand in sorted(found, key=lambda c: c.content[0]):
        result = resolved[id(cand)]
        if result.how == "none" and cand.kind == "direct":
            after = _named_after(text, cand.content[1], people, starts)
            if after is not None:
                resolved[id(cand)] = Resolution(after, after.name, "continuation")
            elif (
                previous is not None
                and resolved[id(previous)].name is not None
                and text.count("\n\n", previous.content[1], cand.content[0]) <= _CONTINUATION_BREAKS
            ):
                before = resolved[id(previous)]
                resolved[id(cand)] = Resolution(before.actor, before.name, "continuation")
        if resolved[id(cand)].name is not None:
            previous = cand


def _named_after(
    text: str, end: int, mentions: list[tuple[int, DocActor]], starts: list[int]
) -> DocActor | None:
    """The person named within a few words after a closing quote, on the same line."""
    window = text[end : end + _NAMED_AFTER_CHARS]
    stop = min((i for i in (window.find("\n"), window.find(". ")) if i >= 0), default=len(window))
    i = bisect.bisect_left(starts, end)
    if i < len(starts) and starts[i] < end + stop:
        return mentions[i][1]
    return None


def _chars(doc: Doc, span: tuple[int, int] | None) -> list[int] | None:
    if span is None:
        return None
    start, end = span
    while start < end and doc[start].is_space:  # a blanked crawl header, a line break
        start += 1
    while end > start and doc[end - 1].is_space:
        end -= 1
    span = (start, end)
    if span[1] <= span[0]:
        return None
    first, last = doc[span[0]], doc[span[1] - 1]
    return [first.idx, last.idx + len(last.text)]


def _bracketed(doc: Doc, start: int, token: int) -> bool:
    """Whether ``token`` is inside a bracket opened after ``start``."""
    depth = 0
    for tok in doc[start + 1 : token]:
        if tok.text == "(":
            depth += 1
        elif tok.text == ")":
            depth = max(0, depth - 1)
    return depth > 0
