"""Word-level differences between versions, found by comparison only."""

from __future__ import annotations

import pytest
from story_helpers import story_docs

from quotetrace.stories import align_statements, compare_group, word_changes
from quotetrace.stories.evaluation import GoldSet


@pytest.mark.parametrize(
    ("reference", "version", "expected"),
    [
        (
            "Operation Al-Aqsa Flood was a heroic operation",
            "Operation Al-Aqsa Storm was a heroic operation",
            [("changed", "Flood", "Storm")],
        ),
        (
            "The river has fed our valleys for a thousand years, and no wall will change that",
            "The river has fed our valleys for a thousand years",
            [("dropped", "and no wall will change that", "")],
        ),
        (
            "inflation remained far too high",
            "inflation remained far too high for comfort",
            [("added", "", "for comfort")],
        ),
        # The complementiser of reported speech is grammar, not wording.
        ("that Kaldora will never accept a dam", "Kaldora will never accept a dam", []),
        ("We are ready", "we are READY", []),
    ],
)
def test_word_changes(reference: str, version: str, expected: list[tuple[str, str, str]]) -> None:
    got = [(c.op, c.reference, c.version) for c in word_changes(reference, version)]
    assert got == expected


def test_group_comparison_shows_cues_quotes_and_absences(gold: GoldSet) -> None:
    docs = story_docs(gold, "lune-dam")
    by_id = {p.article.doc_id: p for p in docs}
    outlets = [(p.article.doc_id, p.article.outlet or "") for p in docs]
    groups = align_statements(docs)
    group = next(g for g in groups if any("never accept" in m.text for m in g.members))
    diff = compare_group(group, by_id, outlets)
    versions = {v["outlet"]: v for v in diff["versions"]}
    assert versions["Kaldora Herald"]["cue"] == "said"
    assert versions["Velmar Wire Service"]["cue"] == "claimed"
    assert versions["Coastline Post"]["cue"] == "stressed"
    assert not any(v["quoted"] for v in versions.values())
    assert [m["outlet"] for m in diff["missing_from"]] == ["Northern Ledger"]
    coastline = versions["Coastline Post"]["changes"]
    assert {"op": "changed", "reference": "will", "version": "would"} in coastline
    assert {"op": "dropped", "reference": "of water", "version": ""} in coastline


def test_quote_turned_into_reported_speech_is_marked(gold: GoldSet) -> None:
    docs = story_docs(gold, "lune-dam")
    by_id = {p.article.doc_id: p for p in docs}
    outlets = [(p.article.doc_id, p.article.outlet or "") for p in docs]
    group = next(
        g for g in align_statements(docs) if any("ready to sign" in m.text for m in g.members)
    )
    versions = {v["outlet"]: v for v in compare_group(group, by_id, outlets)["versions"]}
    assert versions["Kaldora Herald"]["quoted"] is True
    assert versions["Northern Ledger"]["quoted"] is False
    assert versions["Northern Ledger"]["cue"] == "expressed"
