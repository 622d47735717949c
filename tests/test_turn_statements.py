"""An interview's answers as statements of the person answering (nlp/turn_statements.py).
Docs are made from plain text with a blank pipeline; the turns are set by hand."""

from __future__ import annotations

from typing import Any

import spacy

from quotetrace.coref.turns import Turn, set_turns
from quotetrace.nlp.turn_statements import add_turn_statements

NLP = spacy.blank("en")
TEXT = (
    "How did the harvest go?\n\n"
    "It was the best in a decade.\n\nThe rain came on time, she said.\n\n"
    "Will you expand?\n\n"
    "We will add two fields."
)


def _turns() -> list[Turn]:
    spans = []
    for piece, who in (
        ("How did the harvest go?", "Wikinews"),
        ("It was the best in a decade.\n\nThe rain came on time, she said.", "LenaMarsh"),
        ("Will you expand?", "Wikinews"),
        ("We will add two fields.", "LenaMarsh"),
    ):
        start = TEXT.index(piece)
        spans.append(Turn(start, start + len(piece), who))
    return spans


def _doc() -> Any:
    doc = NLP(TEXT)
    set_turns(doc, _turns())
    return doc


def _texts(attributions: list[dict[str, Any]]) -> list[str]:
    return [TEXT[a["content"][0] : a["content"][1]] for a in attributions]


def test_each_answer_paragraph_is_a_statement_of_the_one_answering() -> None:
    attributions, actors = add_turn_statements(_doc(), [], [])
    assert _texts(attributions) == [
        "It was the best in a decade.",
        "The rain came on time, she said.",
        "We will add two fields.",
    ], "the questions are not statements; each paragraph of an answer is one"
    assert {a["speaker"] for a in attributions} == {"Lena Marsh"}
    assert {a["kind"] for a in attributions} == {"direct"}
    assert all(a["source"] is None and a["rule"] == "speaker-turn" for a in attributions)
    [lena] = actors
    assert lena["name"] == "Lena Marsh" and {a["actor_id"] for a in attributions} == {lena["id"]}


def test_what_the_rules_found_keeps_their_reading_and_a_named_actor_is_reused() -> None:
    start = TEXT.index("The rain")
    found = [
        {
            "kind": "indirect",
            "content": [start, start + len("The rain came on time")],
            "speaker": "Ana Ruiz",
            "actor_id": 4,
        }
    ]
    actors = [{"id": 3, "name": "Lena Marsh", "label": "PERSON", "mentions": [[0, 4]]}]
    attributions, out = add_turn_statements(_doc(), found, actors)
    texts = _texts(attributions)
    assert "The rain came on time, she said." not in texts, "two thirds already attributed"
    assert "The rain came on time" in texts and len(out) == 1
    assert {a["actor_id"] for a in attributions if a.get("rule") == "speaker-turn"} == {3}
    assert actors[0] == out[0] and out[0] is not actors[0], "the input is not changed"


def test_without_turns_nothing_changes() -> None:
    found: list[dict[str, Any]] = []
    actors: list[dict[str, Any]] = []
    doc = NLP(TEXT)
    assert add_turn_statements(doc, found, actors) == (found, actors)
