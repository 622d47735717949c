"""The speaker gate: on real cross-outlet reporting, speaker name accuracy may only go up.

``crossoutlet`` (``../shared/data/crossoutlet``) names every statement's speaker; the shared
scorer's ``speaker name acc`` is the share of matched statements whose speaker names the gold
one. Minimums live in ``tests/eval_gate_speakers.json`` and only go up; skipped without
``../shared``.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared"
GATE = json.loads((Path(__file__).parent / "eval_gate_speakers.json").read_text())
GOLD = REPO / GATE["corpus"]

pytestmark = [
    pytest.mark.shared,
    pytest.mark.model,
    pytest.mark.skipif(not GOLD.exists(), reason="../shared/data/crossoutlet is not present"),
]


@pytest.fixture(scope="module")
def scores(nlp: Any) -> dict[str, Any]:
    sys.path.insert(0, str(SHARED / "eval"))
    try:
        import score  # the shared scorer, not a copy
    finally:
        sys.path.pop(0)
    from quotetrace.ingest import iter_articles
    from quotetrace.nlp.pipeline import extract_articles

    gold = score.load_jsonl(str(GOLD))
    predicted = {
        p.article.doc_id: p.to_json(include_text=False)
        for p in extract_articles(iter_articles([str(GOLD)]), nlp)
    }
    result: dict[str, Any] = score.evaluate(gold, predicted)
    return result


@pytest.mark.parametrize(
    ("key", "group", "path"),
    [
        ("speaker_acc", "all", ("speaker_acc",)),
        ("direct_speaker_acc", "direct", ("speaker_acc",)),
        ("content_partial_f1", "all", ("content_partial", "f1")),
        ("end_to_end_f1", "all", ("end_to_end", "f1")),
    ],
)
def test_does_not_drop(scores: dict[str, Any], key: str, group: str, path: tuple[str, ...]) -> None:
    got: Any = scores[group]
    for part in path:
        got = got[part]
    assert got >= GATE["minimum"][key], f"{key} fell to {got:.3f}"


def test_minimums_only_go_up() -> None:
    history = GATE["history"]
    for key, minimum in GATE["minimum"].items():
        assert history[-1]["minimum"][key] == minimum, "record a raised minimum in the history"
        assert minimum <= history[-1]["measured"][key] + 1e-9
        pinned = [h["minimum"][key] for h in history if key in h["minimum"]]
        assert pinned == sorted(pinned), f"the minimum {key} went down in the gate's history"
