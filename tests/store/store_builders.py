"""Hand-built extraction results for store tests: no model, fictional news.

``report(...)`` writes an article from statements and returns the ``ProcessedArticle`` the
extractor would have produced, with exact character offsets, e.g.::

    report("lakeside/1", "Lakeside Gazette", "2024-03-14", [
        Said("Harbour chair Mara Voss", "said", "the vote would wait a month"),
        Quote("We need the engineers' report first", "Voss", "told reporters"),
    ])
"""

from __future__ import annotations

from dataclasses import dataclass, field

from quotetrace.models import Actor, Article, Attribution, Kind, ProcessedArticle


@dataclass(frozen=True)
class Said:
    """``<source> <cue> <content>.`` as indirect speech."""

    source: str
    cue: str
    content: str
    speaker: str | None = None
    label: str = "PERSON"


@dataclass(frozen=True)
class Quote:
    """``“<content>,” <source> <cue>.`` as a direct quote."""

    content: str
    source: str
    cue: str
    speaker: str | None = None
    label: str = "PERSON"


@dataclass
class _Builder:
    text: str = ""
    attributions: list[Attribution] = field(default_factory=list)
    actors: dict[str, tuple[int, str, list[tuple[int, int]]]] = field(default_factory=dict)

    def add(self, piece: str) -> tuple[int, int]:
        start = len(self.text)
        self.text += piece
        return start, len(self.text)

    def actor(self, name: str, label: str, span: tuple[int, int]) -> int:
        if name not in self.actors:
            self.actors[name] = (len(self.actors), label, [])
        self.actors[name][2].append(span)
        return self.actors[name][0]


def report(
    doc_id: str,
    outlet: str | None,
    date: str | None,
    statements: list[Said | Quote],
    *,
    lead: str = "",
    title: str | None = None,
    meta: dict[str, object] | None = None,
) -> ProcessedArticle:
    b = _Builder()
    if lead:
        b.add(lead + " ")
    for st in statements:
        speaker = st.speaker or st.source
        kind: Kind
        if isinstance(st, Said):
            source = b.add(st.source)
            b.add(" ")
            cue = b.add(st.cue)
            b.add(" ")
            content = b.add(st.content)
            b.add(". ")
            kind = "indirect"
        else:
            b.add("“")
            content = b.add(st.content)
            b.add(",” ")
            source = b.add(st.source)
            b.add(" ")
            cue = b.add(st.cue)
            b.add(". ")
            kind = "direct"
        actor_id = b.actor(speaker, st.label, source)
        b.attributions.append(
            Attribution(kind, content, source, cue, speaker, 0.875, actor_id=actor_id)
        )
    text = b.text.rstrip()
    actors = tuple(
        Actor(actor_id, name, label, tuple(spans))
        for name, (actor_id, label, spans) in b.actors.items()
    )
    article = Article(doc_id, text, date, outlet, title, dict(meta or {}))
    return ProcessedArticle(article, tuple(b.attributions), actors)


def harbour_story() -> list[ProcessedArticle]:
    """One fictional event told by three outlets, with the speakers named differently."""
    return [
        report(
            "gazette/harbour-1",
            "Lakeside Gazette",
            "2024-03-14",
            [
                Said(
                    "Harbour council chair Mara Voss",
                    "said",
                    "the vote on the ferry terminal would wait a month",
                    speaker="Mara Voss",
                ),
                Quote("We need the engineers' report first", "Voss", "told reporters", "Mara Voss"),
                Said(
                    "Opposition councillor Teodor Lind",
                    "warned",
                    "that the delay would cost the town its summer ferry season",
                    speaker="Teodor Lind",
                ),
            ],
            title="Harbour council delays ferry vote",
        ),
        report(
            "courier/ferry-vote",
            "Ellin Courier",
            "2024-03-15",
            [
                Said(
                    "Council chair Mara Voss",
                    "said",
                    "the regime of inspections at the harbour had to finish first",
                    speaker="Mara Voss",
                ),
                Quote(
                    "The summer season is lost if we wait",
                    "Lind",
                    "said",
                    "Teodor Lind",
                ),
            ],
        ),
        report(
            "wire/ellin-0315",
            "Northern Wire",
            "2024-04-02",
            [
                Said(
                    "The harbour council chair",
                    "said",
                    "the ferry terminal regimes of other towns were no model for Port Ellin",
                    speaker="Mara Voss",
                ),
            ],
        ),
    ]


_CITIES = ["Port Ellin", "Lisvek", "Harrow", "Santorre", "Meridian", "Northreach"]
_PEOPLE = [
    ("Harbour chair", "Mara Voss"),
    ("Councillor", "Teodor Lind"),
    ("Trade envoy", "Olla Brenn"),
    ("Mayor", "Ines Paro"),
    ("Chief engineer", "Ana Brill"),
    ("Minister", "Dara Quill"),
]
_THINGS = ["ferry terminal", "grain agreement", "rail tunnel", "toll bridge", "water plan"]
_OUTLETS = ["Lakeside Gazette", "Ellin Courier", "Northern Wire", "Valley Times"]


def tiny_wire_corpus(n: int) -> list[dict[str, object]]:
    """``n`` short fictional wire reports as FORMAT.md input records (about 40 words each)."""
    records: list[dict[str, object]] = []
    for i in range(n):
        title, name = _PEOPLE[i % len(_PEOPLE)]
        thing = _THINGS[(i // 3) % len(_THINGS)]
        city = _CITIES[(i // 7) % len(_CITIES)]
        surname = name.split()[-1]
        text = (
            f"{city.upper()}, May {1 + i % 28} — {title} {name} said on Tuesday that the "
            f"{thing} would open in week {i % 50 + 1}. “We have waited {i % 9 + 2} years for "
            f"this {thing},” {surname} told reporters after meeting number {i}."
        )
        records.append(
            {
                "doc_id": f"wire/{i:05d}",
                "text": text,
                "meta": {
                    "date": f"2024-05-{1 + i % 28:02d}",
                    "outlet": _OUTLETS[i % len(_OUTLETS)],
                },
            }
        )
    return records
