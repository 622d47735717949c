"""Fictional news for benchmarks and tests: several outlets reporting the same invented events.

Every name, place, outlet and sentence here is made up for quotetrace; nothing is taken from
real coverage. The articles imitate what the extractor meets in crawled news: a dateline
header (``date 2026-03-02 Northgate Herald - ...``), direct quotes with curly marks, reported
speech with "said that", "stressed", "according to", pronoun sources, and the missing space
after a full stop that crawlers leave behind ("in Vantor.Prime Minister Voss said ...").

Deterministic: the same ``seed`` gives the same articles, so a benchmark run can be repeated.

    python bench/generate.py 1000 -o build/generated.jsonl
    python bench/generate.py 50 --layout crawl -o build/generated-crawl/

Library use::

    from generate import generate_records
    records = generate_records(200, seed=7, sentences=5)
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

__all__ = ["crawl_text", "generate_records", "write_crawl_dir", "write_jsonl"]


@dataclass(frozen=True)
class Person:
    title: str
    first: str
    last: str
    pronoun: str  # "he" / "she"
    role: str  # how later sentences refer to the office: "the prime minister"

    @property
    def full(self) -> str:
        return f"{self.title} {self.first} {self.last}"


PEOPLE = (
    Person("Prime Minister", "Adela", "Voss", "she", "the prime minister"),
    Person("Foreign Minister", "Tomas", "Reinholt", "he", "the foreign minister"),
    Person("President", "Ilyas", "Marandi", "he", "the president"),
    Person("Mayor", "Corinne", "Haldane", "she", "the mayor"),
    Person("Defence Minister", "Otto", "Brandvik", "he", "the defence minister"),
    Person("Envoy", "Saskia", "Dervell", "she", "the envoy"),
    Person("General", "Rafiq", "Solberg", "he", "the general"),
    Person("Health Minister", "Nadia", "Okonjo-Field", "she", "the health minister"),
    Person("Governor", "Piet", "Lammerts", "he", "the governor"),
    Person("Senator", "Mireille", "Casterbridge", "she", "the senator"),
    Person("Trade Commissioner", "Jun", "Arakawa", "he", "the commissioner"),
    Person("Chief Justice", "Halvard", "Engstrom", "he", "the chief justice"),
)

OUTLETS = (
    "Northgate Herald",
    "Veloria Today",
    "The Karstan Ledger",
    "Coastline Wire",
    "Daily Meridian",
    "Harbour Post",
    "Eastwind News",
    "Solent Observer",
)

PLACES = ("Vantor", "Marrowgate", "Port Elise", "Kessling", "Orvane", "Tallis Bay", "Dunmore")
COUNTRIES = ("Veloria", "Karstan", "Ostmark", "Lunaria", "Tessaly", "Brennic Union")
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")

# Topics: what the event is about, as parts the sentence builders combine.
TOPICS: dict[str, dict[str, tuple[str, ...]]] = {
    "water": {
        "subject": (
            "the new reservoir",
            "the river authority",
            "the dam project on the Orla",
            "the joint water commission",
        ),
        "predicate": (
            "will be finished before the dry season",
            "must publish every measurement it takes",
            "cannot be allowed to stall again",
            "has already cost twice the agreed budget",
            "would protect farms on both banks",
        ),
        "object": ("clean water", "a fair share of the river", "reliable irrigation"),
        "noun": "water-sharing talks",
    },
    "trade": {
        "subject": (
            "the tariff agreement",
            "the new customs corridor",
            "the grain export quota",
            "the port expansion",
        ),
        "predicate": (
            "will lower prices for ordinary families",
            "has been delayed by bureaucrats on both sides",
            "must include protections for small farmers",
            "could double freight traffic within two years",
            "was never meant to punish our neighbours",
        ),
        "object": ("open markets", "a stable currency", "fair tariffs"),
        "noun": "trade negotiations",
    },
    "floods": {
        "subject": (
            "the relief convoy",
            "the emergency fund",
            "the coastal barrier",
            "the evacuation plan",
        ),
        "predicate": (
            "reached the worst-hit villages overnight",
            "is still short of doctors and clean tents",
            "should have been approved years ago",
            "will be reviewed by an independent panel",
            "saved thousands of homes in the lowlands",
        ),
        "object": ("shelter before winter", "honest answers", "rebuilt bridges"),
        "noun": "flood response",
    },
    "election": {
        "subject": (
            "the electoral commission",
            "the vote count in the northern districts",
            "the new voter register",
            "the televised debate",
        ),
        "predicate": (
            "was conducted without serious irregularities",
            "must be repeated in three constituencies",
            "left too many young voters off the rolls",
            "will be audited by foreign observers",
            "showed that the campaign is far from over",
        ),
        "object": ("a transparent count", "a peaceful transition", "their ballots respected"),
        "noun": "disputed election",
    },
    "health": {
        "subject": (
            "the vaccination drive",
            "the hospital in the capital",
            "the fever outbreak in the east",
            "the new clinic network",
        ),
        "predicate": (
            "has reached more than half of the children it targeted",
            "is running out of beds and oxygen",
            "was brought under control within a month",
            "needs another year of steady funding",
            "will stay open through the holidays",
        ),
        "object": ("medicine in every district", "more trained nurses", "free treatment"),
        "noun": "outbreak response",
    },
}

# Attribution frames. {S} source mention, {C} a clause, {Q} a quotation, {P} a person's pronoun.
DIRECT_FRAMES = (
    "“{Q},” {S} said.",
    "“{Q},” {S} told reporters.",
    "{S} said: “{Q}.”",
    "“{Q},” {S} added, “and we will say so again tomorrow.”",
    "“{Q},” said {S}.",
)
INDIRECT_FRAMES = (
    "{S} said {C}.",
    "{S} said that {C}.",
    "{S} stressed that {C}.",
    "{S} warned that {C}.",
    "According to {S}, {C}.",
    "{S} also expressed hope that {C}.",
    "{C}, {S} insisted.",
)
QUOTE_OPENERS = (
    "We have waited long enough for {O}",
    "Our people deserve {O}, and they deserve it now",
    "Nobody in this room wants to delay {O}",
    "This is not about politics, it is about {O}",
    "I will not sign anything that puts {O} at risk",
    "We came here to talk about {O}, not about the past",
)
FILLER = (
    "The talks lasted nearly three hours.",
    "{place} has hosted several rounds of negotiations this year.",
    "Officials from {country} did not respond to a request for comment.",
    "The meeting took place behind closed doors.",
    "Hundreds of people gathered outside the building during the visit.",
    "A joint statement is expected later in the week.",
)


def _clause(rng: random.Random, topic: dict[str, tuple[str, ...]]) -> str:
    return f"{rng.choice(topic['subject'])} {rng.choice(topic['predicate'])}"


def _quote(rng: random.Random, topic: dict[str, tuple[str, ...]]) -> str:
    opener = rng.choice(QUOTE_OPENERS).format(O=rng.choice(topic["object"]))
    if rng.random() < 0.5:
        clause = _clause(rng, topic)
        opener = f"{opener}. {clause[0].upper()}{clause[1:]}"
    return opener


def _mention(rng: random.Random, person: Person, first: bool) -> str:
    if first:
        return person.full
    return rng.choice((person.last, person.pronoun, person.role, f"{person.title} {person.last}"))


def _capitalise(sentence: str) -> str:
    return sentence[0].upper() + sentence[1:]


@dataclass(frozen=True)
class _Event:
    number: int
    date: str
    place: str
    country: str
    weekday: str
    topic: str
    host: Person
    guest: Person


def _events(rng: random.Random) -> Iterator[_Event]:
    number = 0
    while True:
        host, guest = rng.sample(PEOPLE, 2)
        month, day = rng.randint(1, 12), rng.randint(1, 28)
        yield _Event(
            number=number,
            date=f"2026-{month:02d}-{day:02d}",
            place=rng.choice(PLACES),
            country=rng.choice(COUNTRIES),
            weekday=rng.choice(WEEKDAYS),
            topic=rng.choice(sorted(TOPICS)),
            host=host,
            guest=guest,
        )
        number += 1


def _article_body(rng: random.Random, event: _Event, sentences: int) -> str:
    topic = TOPICS[event.topic]
    introduced: set[str] = set()

    def source(person: Person) -> str:
        first = person.last not in introduced
        introduced.add(person.last)
        mention = _mention(rng, person, first)
        return mention

    lead_source = source(event.host)
    parts = [
        f"{lead_source} said {_clause(rng, topic)}, stressing that {_clause(rng, topic)}.",
        f"{_capitalise(event.host.pronoun)} made the remarks in a meeting with "
        f"{source(event.guest)} in {event.place} on {event.weekday}.",
    ]
    while len(parts) < sentences:
        roll = rng.random()
        speaker = event.host if rng.random() < 0.6 else event.guest
        if roll < 0.35:
            frame = rng.choice(DIRECT_FRAMES)
            parts.append(_capitalise(frame.format(Q=_quote(rng, topic), S=source(speaker))))
        elif roll < 0.8:
            frame = rng.choice(INDIRECT_FRAMES)
            parts.append(_capitalise(frame.format(C=_clause(rng, topic), S=source(speaker))))
        else:
            parts.append(rng.choice(FILLER).format(place=event.place, country=event.country))
    # Crawled text: paragraphs, and sometimes no space after a full stop inside one.
    body = []
    for i, sentence in enumerate(parts):
        if i == 0:
            body.append(sentence)
        elif i % 4 == 0:
            body.append("\n\n" + sentence)
        elif rng.random() < 0.3:
            body.append(sentence)
        else:
            body.append(" " + sentence)
    return "".join(body)


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def generate_records(
    n: int, seed: int = 0, sentences: int = 12, outlets_per_event: int = 4
) -> list[dict[str, Any]]:
    """``n`` FORMAT.md input records: each event told by ``outlets_per_event`` outlets.

    ``meta.story`` names the event, so story clustering can be checked against it.
    """
    rng = random.Random(seed)
    records: list[dict[str, Any]] = []
    events = _events(rng)
    while len(records) < n:
        event = next(events)
        for outlet in rng.sample(OUTLETS, outlets_per_event):
            if len(records) == n:
                break
            length = max(3, sentences + rng.randint(-sentences // 4, sentences // 4))
            body = _article_body(rng, event, length)
            noun = TOPICS[event.topic]["noun"]
            records.append(
                {
                    "doc_id": f"gen/{_slug(outlet)}/{event.number:06d}",
                    "text": body,
                    "meta": {
                        "date": event.date,
                        "outlet": outlet,
                        "title": f"{event.host.last} and {event.guest.last} meet for {noun}",
                        "story": f"event-{event.number:06d}",
                    },
                }
            )
    return records


def crawl_text(record: dict[str, Any]) -> str:
    """The record as a crawl-layout file: ``date YYYY-MM-DD Outlet - body``."""
    meta = record["meta"]
    return f"date {meta['date']} {meta['outlet']} - {record['text']}\n"


def write_jsonl(records: list[dict[str, Any]], path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8") as out:
        for record in records:
            out.write(json.dumps(record, ensure_ascii=False) + "\n")


def write_crawl_dir(records: list[dict[str, Any]], directory: Path) -> list[Path]:
    directory.mkdir(parents=True, exist_ok=True)
    paths = []
    for i, record in enumerate(records):
        path = directory / f"{i:06d}-{_slug(record['meta']['outlet'])}.txt"
        path.write_text(crawl_text(record), encoding="utf-8")
        paths.append(path)
    return paths


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("n", type=int, help="number of articles")
    parser.add_argument("-o", "--output", type=Path, required=True)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--sentences", type=int, default=12, help="sentences per article")
    parser.add_argument("--layout", choices=("jsonl", "crawl"), default="jsonl")
    args = parser.parse_args(argv)
    records = generate_records(args.n, seed=args.seed, sentences=args.sentences)
    if args.layout == "jsonl":
        write_jsonl(records, args.output)
    else:
        write_crawl_dir(records, args.output)
    words = sum(len(r["text"].split()) for r in records)
    print(f"{len(records)} articles, {words} words -> {args.output}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
