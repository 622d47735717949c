"""Meetings and similar events: who met whom, where and when, and when each statement was made.

News states an event in a handful of frames, and a sentence that uses one also names the
participants, the place and the day:

    "He made the remarks in a meeting with Iraqi Prime Minister ... in Tehran on Monday."
    "Prime Minister Tomas Brenik held talks with Kaldoran President Mira Osterholt in Ardenne"
    "Mira Osterholt received ... Tomas Brenik, yesterday in the capital Ardenne"

An event sentence is one with a meeting word (met, meeting, talks, received, hosted, visit,
summit) or a public-address frame (news conference, told parliament, addressing). Its
participants are the article's actors mentioned in it - pronouns included, as the extractor
resolves them - and the names in a later "X also attended / was also present" sentence. The
place is the first "in <Name>" that is not a participant; the day is the first date expression
(see ``dates.py``).

A statement carries the date and place of its own sentence when that sentence says them, or
else of the article's event when the article reports one (the remarks were made there).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from ..models import Attribution, ProcessedArticle
from .actors import actor_surname
from .clustering import parse_day
from .dates import DateMention, find_dates
from .text import TITLE_WORDS, name_mentions, sentence_spans

__all__ = ["Event", "StatementSetting", "find_events", "statement_setting"]

_MEETING = re.compile(
    r"\b(?:met|meets|meeting|received|receives|hosted|hosts|visit|visited|visiting|summit|"
    r"(?:held|holds|hold) talks|talks were held)\b",
    re.I,
)
# The sentence points back at an event the lede dated ("She made the remarks during ...").
_REFERS_BACK = re.compile(r"^(?:He|She|They)\b|\b(?:the remarks|[Ss]peaking)\b")
_TALKS = re.compile(r"\btalks\b", re.I)
_ADDRESS = re.compile(
    r"\b(?:news conference|press conference|told (?:parliament|lawmakers|reporters|a rally)|"
    r"addressing|addressed|speech|speaking)\b",
    re.I,
)
_ALSO_PRESENT = re.compile(
    r"\b(?:also (?:attended|present|took part|joined)|was also present|were also present|"
    r"attended the (?:meeting|talks))\b",
    re.I,
)
_PRONOUN_START = re.compile(r"(?:He|She|They)\b")
_PLACE = re.compile(r"\bin (?:the (?:capital|city|town|port) (?:of )?)?(?=[A-Z])")

NameOf = Callable[[str, str], str]  # (doc_id, actor name) -> the story's label for the actor


@dataclass
class Event:
    """One event an article reports."""

    kind: str  # "meeting" or "address"
    doc_id: str
    sentence: tuple[int, int]
    participants: list[str] = field(default_factory=list)
    place: str | None = None
    date: DateMention | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "type": self.kind,
            "doc_id": self.doc_id,
            "participants": self.participants,
            "place": self.place,
            "date": self.date.date.isoformat() if self.date else None,
            "date_text": self.date.text if self.date else None,
            "sentence": list(self.sentence),
        }


@dataclass(frozen=True)
class StatementSetting:
    """When and where a statement was made, and which part of the text says so."""

    date: DateMention | None
    place: str | None
    source: str  # "sentence" (its own sentence says) or "event" (the article's event)

    def to_json(self) -> dict[str, Any]:
        return {
            "date": self.date.date.isoformat() if self.date else None,
            "date_text": self.date.text if self.date else None,
            "place": self.place,
            "from": self.source,
        }


def _dateline(processed: ProcessedArticle) -> dt.date | None:
    day = parse_day(processed.article.date)
    return dt.date.fromordinal(day) if day is not None else None


def _actor_spans(processed: ProcessedArticle) -> list[tuple[int, int, str]]:
    """Mentions of people: actors the extractor labels PERSON, and the speakers it has no
    actor record for. Organisations and places that speak ("the observatory said") take
    part in no meeting."""
    labels = {a.name: a.label for a in processed.actors}
    spans = [
        (s, e, a.name)
        for a in processed.actors
        if a.label == "PERSON" and a.name[:1].isupper()
        for s, e in a.mentions
    ]
    for att in processed.attributions:
        if not (att.source and att.speaker and att.speaker[:1].isupper()):
            continue
        if labels.get(att.speaker, "PERSON") == "PERSON":
            spans.append((att.source[0], att.source[1], att.speaker))
    return spans


def _place_in(text: str, span: tuple[int, int], taken: list[tuple[int, int]]) -> str | None:
    for m in _PLACE.finditer(text, span[0], span[1]):
        for name, start, end in name_mentions(text[m.end() : span[1]]):
            if start != 0:
                break
            abs_start, abs_end = m.end() + start, m.end() + end
            if any(s < abs_end and abs_start < e for s, e in taken):
                break
            if find_dates(name, None):
                break
            return name
    return None


def _participants(
    processed: ProcessedArticle, span: tuple[int, int], name_of: NameOf
) -> tuple[list[str], list[tuple[int, int]]]:
    """People in a sentence: the article's actors, by their mentions or by their surname."""
    names: list[str] = []
    taken: list[tuple[int, int]] = []
    doc_id, text = processed.article.doc_id, processed.article.text

    speakers = {a.speaker for a in processed.attributions if a.speaker}

    def add(actor: str, start: int, end: int) -> None:
        taken.append((start, end))
        label = name_of(doc_id, actor)
        # A one-word "person" who says nothing is most often a country or a party the
        # entity recogniser took for a person ("talks with Velmar's prime minister").
        if len(label.split()) < 2 and actor not in speakers:
            return
        if label not in names:
            names.append(label)

    spans = _actor_spans(processed)
    for s, e, actor in sorted(spans):
        if span[0] <= s and e <= span[1]:
            add(actor, s, e)
    by_surname: dict[str, str] = {}
    for _, _, name in spans:
        surname = actor_surname(name)
        if surname is not None:
            by_surname.setdefault(surname, name)
    for run, s, e in name_mentions(text[span[0] : span[1]]):
        start, end = s + span[0], e + span[0]
        run_surname = actor_surname(run)
        if run_surname is None or any(a < end and start < b for a, b in taken):
            continue
        known = by_surname.get(run_surname)
        if known is not None:
            add(known, start, end)
    if _PRONOUN_START.match(text, span[0]) and not any(s == span[0] for s, _ in taken):
        # "He made the remarks in a meeting with ...": he is the speaker just quoted.
        before = [a for a in processed.attributions if a.speaker and a.content[0] < span[0]]
        if before:
            speaker = max(before, key=lambda a: a.content[0]).speaker
            assert speaker is not None
            label = name_of(doc_id, speaker)
            if label not in names:
                names.insert(0, label)
    return names, taken


def _person_name(run: str) -> str:
    """ "Foreign Minister Ilse Varden" -> "Ilse Varden": titles are not part of the name."""
    words = run.split()
    while len(words) > 1 and words[0].lower() in TITLE_WORDS:
        words.pop(0)
    return " ".join(words)


def find_events(processed: ProcessedArticle, name_of: NameOf | None = None) -> list[Event]:
    """The meetings and public addresses an article reports, in text order."""
    label: NameOf = name_of or (lambda _doc, name: name)
    text = processed.article.text
    dateline = _dateline(processed)
    events: list[Event] = []
    spans_seen: list[tuple[int, int]] = []
    for span in sentence_spans(text):
        spans_seen.append(span)
        sentence = text[span[0] : span[1]]
        if _ALSO_PRESENT.search(sentence) and events:
            names, _ = _participants(processed, span, label)
            extra = names or [_person_name(n) for n, _, _ in name_mentions(sentence)][:1]
            events[-1].participants.extend(n for n in extra if n not in events[-1].participants)
            continue
        # "meeting" words outrank an address frame ("Speaking during a meeting with ..."),
        # which outranks a bare "talks" ("told parliament ... if talks fail").
        kind = (
            "meeting"
            if _MEETING.search(sentence)
            else "address"
            if _ADDRESS.search(sentence)
            else "meeting"
            if _TALKS.search(sentence)
            else None
        )
        if kind is None:
            continue
        names, taken = _participants(processed, span, label)
        if not names:
            continue
        date = _first_date(text, span, dateline)
        if date is None and len(spans_seen) <= 3 and _REFERS_BACK.search(sentence):
            # "She made the remarks during talks ...": the day is in the lede.
            date = _first_date(text, spans_seen[0], dateline)
        place = _place_in(text, span, taken)
        if date is None and place is None:
            continue  # "fruitless talks with X": a mention of talks, not a report of one
        events.append(
            Event(
                kind=kind,
                doc_id=processed.article.doc_id,
                sentence=span,
                participants=names,
                place=place,
                date=date,
            )
        )
    return events


def _first_date(text: str, span: tuple[int, int], dateline: dt.date | None) -> DateMention | None:
    dates = find_dates(text[span[0] : span[1]], dateline)
    if not dates:
        return None
    first = dates[0]
    return DateMention(first.start + span[0], first.end + span[0], first.text, first.date)


def statement_setting(
    processed: ProcessedArticle, attribution: Attribution, events: Sequence[Event]
) -> StatementSetting | None:
    """The date and place a statement was made, when the text says; None when it does not."""
    text = processed.article.text
    spans = sentence_spans(text)
    anchor = attribution.cue or attribution.source or attribution.content
    sentence = next((s for s in spans if s[0] <= anchor[0] < s[1]), None)
    if sentence is not None:
        # Only the frame counts: a date inside the quoted words is what was said, not when.
        pieces = [(sentence[0], attribution.content[0]), (attribution.content[1], sentence[1])]
        dateline = _dateline(processed)
        date = None
        place = None
        _, taken = _participants(processed, sentence, lambda _d, n: n)
        for start, end in pieces:
            if end <= start:
                continue
            found = find_dates(text[start:end], dateline)
            if found and date is None:
                f = found[0]
                date = DateMention(f.start + start, f.end + start, f.text, f.date)
            place = place or _place_in(text, (start, end), taken)
        if date is not None or place is not None:
            return StatementSetting(date, place, "sentence")
    if events:
        event = events[0]
        if event.date is not None or event.place is not None:
            return StatementSetting(event.date, event.place, "event")
    return None
