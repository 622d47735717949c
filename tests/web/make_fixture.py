"""Writes tests/web/fixtures/articles.jsonl: short fictional reports with hand-set attributions.

The web tests and ``bench/web_load.py`` need a store whose statements are known exactly, and
must not depend on the extractor's current quality (or on loading the spaCy model), so each
attribution here is given by the substrings of its content, source and cue. Run this after
editing the articles: ``python tests/web/make_fixture.py``.

Everything below is invented: the town of Velmora, its dam and the people quoted.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

HERE = Path(__file__).parent
OUT = HERE / "fixtures" / "articles.jsonl"

# (speaker, source text, cue text, content text, kind); actor names map to ids below.
Statement = tuple[str | None, str | None, str | None, str, str]

ARTICLES: list[dict[str, Any]] = [
    {
        "doc_id": "herald-0310",
        "outlet": "Coastal Herald",
        "date": "2026-03-10",
        "title": "Velmora mayor vows to keep the old dam open",
        "text": (
            "VELMORA, March 10 - The mayor of Velmora, Ilse Brandt, said on Tuesday that "
            "the town would not close the Harrow Dam before the spring floods. "
            "“We will repair the spillway, not abandon it,” Brandt told reporters at the town hall. "
            "Engineer Tomas Okafor warned that the north wall was cracking faster than expected. "
            "“Every week we wait costs us a metre of concrete,” Okafor said."
        ),
        "statements": [
            (
                "Ilse Brandt",
                "The mayor of Velmora, Ilse Brandt",
                "said",
                "that the town would not close the Harrow Dam before the spring floods",
                "indirect",
            ),
            (
                "Ilse Brandt",
                "Brandt",
                "told",
                "We will repair the spillway, not abandon it",
                "direct",
            ),
            (
                "Tomas Okafor",
                "Engineer Tomas Okafor",
                "warned",
                "that the north wall was cracking faster than expected",
                "indirect",
            ),
            (
                "Tomas Okafor",
                "Okafor",
                "said",
                "Every week we wait costs us a metre of concrete",
                "direct",
            ),
        ],
    },
    {
        "doc_id": "ledger-0310",
        "outlet": "Daily Ledger",
        "date": "2026-03-10",
        "title": "Harrow Dam to stay open, mayor says",
        "text": (
            "VELMORA (Daily Ledger) - Mayor Ilse Brandt said the Harrow Dam would stay open "
            "through the spring floods. “We will repair the spillway and we will not abandon "
            "it,” the mayor said. Tomas Okafor, the engineer who inspected the dam, said the "
            "north wall was cracking. Water minister Reza Halloran said the state would pay "
            "for half of the repairs."
        ),
        "statements": [
            (
                "Ilse Brandt",
                "Mayor Ilse Brandt",
                "said",
                "the Harrow Dam would stay open through the spring floods",
                "indirect",
            ),
            (
                "Ilse Brandt",
                "the mayor",
                "said",
                "We will repair the spillway and we will not abandon it",
                "direct",
            ),
            (
                "Tomas Okafor",
                "Tomas Okafor, the engineer who inspected the dam",
                "said",
                "the north wall was cracking",
                "indirect",
            ),
            (
                "Reza Halloran",
                "Water minister Reza Halloran",
                "said",
                "the state would pay for half of the repairs",
                "indirect",
            ),
        ],
    },
    {
        "doc_id": "riverpost-0311",
        "outlet": "River Post",
        "date": "2026-03-11",
        "title": "Minister promises money for Harrow Dam",
        "text": (
            "Water minister Reza Halloran on Wednesday promised that the state would pay half "
            "the cost of repairing the Harrow Dam. “Velmora will not face this alone,” "
            "Halloran said in a statement. The mayor, Ilse Brandt, welcomed the offer. "
            "“We will repair the spillway,” she said."
        ),
        "statements": [
            (
                "Reza Halloran",
                "Water minister Reza Halloran",
                "promised",
                "that the state would pay half the cost of repairing the Harrow Dam",
                "indirect",
            ),
            ("Reza Halloran", "Halloran", "said", "Velmora will not face this alone", "direct"),
            ("Ilse Brandt", "she", "said", "We will repair the spillway", "direct"),
        ],
    },
    {
        "doc_id": "herald-0312",
        "outlet": "Coastal Herald",
        "date": "2026-03-12",
        "title": "Engineers begin work on Harrow spillway",
        "text": (
            "VELMORA, March 12 - Work on the Harrow Dam spillway began on Thursday. "
            "“The first crews are on the wall today,” said Tomas Okafor. "
            "Ilse Brandt said the town's patience had paid off."
        ),
        "statements": [
            (
                "Tomas Okafor",
                "Tomas Okafor",
                "said",
                "The first crews are on the wall today",
                "direct",
            ),
            ("Ilse Brandt", "Ilse Brandt", "said", "the town's patience had paid off", "indirect"),
        ],
    },
    {
        # Hostile input: markup, event handlers and javascript: links in every text field.
        "doc_id": "hostile-0313",
        "outlet": "Night <b>Wire</b>",
        "date": "2026-03-13",
        "title": "<script>window.__pwned = 'title'</script>Dam <img src=x onerror=\"window.__pwned='img'\">",
        "text": (
            "<script>window.__pwned = 'text'</script> A spokesman, <a href=\"javascript:window.__pwned='link'\">"
            "Victor Lund</a>, said that <img src=x onerror=\"window.__pwned='onerror'\"> the "
            "dam was safe. “<svg onload=\"window.__pwned='svg'\">Nothing to see</svg>,” Lund said."
        ),
        "statements": [
            (
                "<i onmouseover=\"window.__pwned='speaker'\">Victor Lund</i>",
                "A spokesman, <a href=\"javascript:window.__pwned='link'\">Victor Lund</a>",
                "said",
                "that <img src=x onerror=\"window.__pwned='onerror'\"> the dam was safe",
                "indirect",
            ),
            (
                "<i onmouseover=\"window.__pwned='speaker'\">Victor Lund</i>",
                "Lund",
                "said",
                "<svg onload=\"window.__pwned='svg'\">Nothing to see</svg>",
                "direct",
            ),
        ],
    },
]


def _span(text: str, needle: str | None, after: int = 0) -> list[int] | None:
    if needle is None:
        return None
    start = text.find(needle, after)
    if start < 0:
        start = text.find(needle)
    if start < 0:
        raise ValueError(f"{needle!r} is not in the text")
    return [start, start + len(needle)]


def _nearest(text: str, needle: str | None, anchor: list[int]) -> list[int] | None:
    """The occurrence of ``needle`` closest to ``anchor`` (a cue sits next to its source)."""
    if needle is None:
        return None
    starts = [i for i in range(len(text)) if text.startswith(needle, i)]
    if not starts:
        raise ValueError(f"{needle!r} is not in the text")

    def distance(i: int) -> tuple[int, bool]:
        before = i < anchor[0]
        return (anchor[0] - i - len(needle) if before else i - anchor[1]), before

    best = min(starts, key=distance)
    return [best, best + len(needle)]


def record(entry: dict[str, Any]) -> dict[str, Any]:
    text = entry["text"]
    speakers = list(dict.fromkeys(s[0] for s in entry["statements"] if s[0]))
    actor_ids = {name: i for i, name in enumerate(speakers)}
    attributions = []
    mentions: dict[str, list[list[int]]] = {name: [] for name in speakers}
    pos = 0
    for speaker, source, cue, content, kind in entry["statements"]:
        content_span = _span(text, content, pos)
        assert content_span is not None
        source_span = _span(text, source, max(0, pos - 40))
        cue_span = _nearest(text, cue, source_span or content_span)
        pos = content_span[1]
        if speaker and source_span:
            # The mention is the name inside a longer source ("The mayor of Velmora, Ilse
            # Brandt" names "Ilse Brandt"), or the source itself ("the mayor", "Brandt").
            inner = text.find(speaker, source_span[0], source_span[1])
            if inner >= 0:
                mentions[speaker].append([inner, inner + len(speaker)])
            else:
                mentions[speaker].append(source_span)
        attributions.append(
            {
                "kind": kind,
                "content": content_span,
                "source": source_span,
                "cue": cue_span,
                "speaker": speaker,
                "confidence": 0.9,
                "actor_id": actor_ids.get(speaker) if speaker else None,
            }
        )
    return {
        "doc_id": entry["doc_id"],
        "text": text,
        "meta": {"date": entry["date"], "outlet": entry["outlet"], "title": entry["title"]},
        "attributions": attributions,
        "actors": [
            {"id": actor_ids[name], "name": name, "label": "PERSON", "mentions": mentions[name]}
            for name in speakers
        ],
    }


def main() -> None:
    OUT.parent.mkdir(parents=True, exist_ok=True)
    with OUT.open("w", encoding="utf-8") as fh:
        for entry in ARTICLES:
            fh.write(json.dumps(record(entry), ensure_ascii=False) + "\n")
    print(f"wrote {len(ARTICLES)} records to {OUT}")


if __name__ == "__main__":
    main()
