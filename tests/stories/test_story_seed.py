"""The seed and two fictional re-tellings of its meeting: one story, and how they differ.

The seed is read from ../shared/seed (never copied into the project); the re-tellings are our
own fictional reports of the same meeting, under other outlet names, with other names for
the actors, other wording, and sentences dropped.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from tests_paths import SEED, STORY_FIXTURES

from quotetrace.ingest import iter_articles
from quotetrace.nlp.pipeline import extract_articles
from quotetrace.stories import build_story_reports

if TYPE_CHECKING:
    from spacy.language import Language

pytestmark = [
    pytest.mark.model,
    pytest.mark.shared,
    pytest.mark.skipif(not SEED.exists(), reason="../shared/seed is not present"),
]

RETELLINGS = sorted((STORY_FIXTURES / "seed_retellings").glob("*.txt"))


@pytest.fixture(scope="module")
def seed_story(nlp: Language) -> list[dict[str, Any]]:
    paths = [str(SEED), *(str(p) for p in RETELLINGS)]
    processed = list(extract_articles(iter_articles(paths, _raise), nlp))
    return build_story_reports(processed)


def _raise(exc: Exception) -> None:
    raise exc


def _outlet_names(report: dict[str, Any], actor: str) -> dict[str, list[str]]:
    names: dict[str, list[str]] = report["names"][actor]
    return names


def test_one_story(seed_story: list[dict[str, Any]]) -> None:
    assert len(seed_story) == 1
    [report] = seed_story
    outlets = {o["outlet"] for o in report["outlets"]}
    assert outlets == {"Islam Times", "Tigris Observer", "Caspian Wire"}


def test_each_outlet_names_the_leader_differently(seed_story: list[dict[str, Any]]) -> None:
    names = _outlet_names(seed_story[0], "Ali Khamenei")
    assert any("His Eminence" in n for n in names["Islam Times"])
    assert "Ayatollah Ali Khamenei" in names["Tigris Observer"]
    assert "the Leader" in names["Caspian Wire"]


def test_a_non_speaking_actor_is_named_too(seed_story: list[dict[str, Any]]) -> None:
    names = _outlet_names(seed_story[0], "Israel")
    assert "Israel" in names["Tigris Observer"]
    assert "the Zionist regime" in names["Caspian Wire"]
    assert "the Zionist regime" in names["Islam Times"]


def test_the_operation_is_named_differently(seed_story: list[dict[str, Any]]) -> None:
    changes = [
        {c["reference"], c["version"]}
        for s in seed_story[0]["statements"]
        for v in s["differences"]["versions"]
        for c in v["changes"]
        if c["op"] == "changed"
    ]
    assert {"Flood", "Storm"} in changes  # which is the reference depends on the order read


def test_dropped_statements_are_shown(seed_story: list[dict[str, Any]]) -> None:
    """Caspian Wire kept no word of the Al-Aqsa statement the other two reported."""
    [report] = seed_story
    operation = next(
        s
        for s in report["statements"]
        if any("Al-Aqsa" in m["text"] for m in s["members"]) and len(s["members"]) > 1
    )
    missing = [m["outlet"] for m in operation["differences"]["missing_from"]]
    assert missing == ["Caspian Wire"]


def test_the_meeting_is_one_event(seed_story: list[dict[str, Any]]) -> None:
    meetings = [e for e in seed_story[0]["events"] if e["type"] == "meeting"]
    assert meetings
    meeting = meetings[0]
    assert meeting["place"] == "Tehran" and meeting["date"] == "2023-11-06"
    assert {"Ali Khamenei", "Mohammed Shayyaa al-Sudani"} <= set(meeting["participants"])
    texts = {r["date_text"] for r in meeting["reported_by"]}
    assert {"on Monday", "yesterday"} <= texts


def test_retellings_exist() -> None:
    assert [Path(p).name for p in RETELLINGS] == [
        "caspian-wire-2023-11-07.txt",
        "tigris-observer-2023-11-06.txt",
    ]
