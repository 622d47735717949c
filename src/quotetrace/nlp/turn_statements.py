"""An interview's answers as statements of the person answering.

An interview or a transcript that gives its speaker turns (a record's ``meta.turns``, on the
Doc as ``doc._.turns``) says who speaks each stretch of text without any "she said" in it:
every paragraph of an answer is a direct statement of the turn's speaker. The interviewer's
questions are not statements (the interviewer is the speaker whose turns are mostly
questions), and a paragraph that the rules already attributed (a quote of someone else inside
an answer) keeps their reading.
"""

from __future__ import annotations

import re
from typing import Any

from spacy.tokens import Doc

from ..coref.turns import Turn, questions_by_speaker, speaker_words, turns_of
from .actor_chains import one_person_named
from .speakers import canonical_name

__all__ = ["TURN_CONFIDENCE", "TURN_SPEAKER_CONFIDENCE", "add_turn_statements"]

TURN_CONFIDENCE = 0.9  # the layout says it is speech; only where it starts and ends can be off
TURN_SPEAKER_CONFIDENCE = 0.9  # the turn names its speaker
_PARAGRAPH = re.compile(r"[^\n]+(?:\n(?!\s*\n)[^\n]+)*")


def add_turn_statements(
    doc: Doc,
    attributions: list[dict[str, Any]],
    actors: list[dict[str, Any]],
    text: str | None = None,
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """``attributions`` and ``actors`` with the answers' paragraphs added; unchanged when the
    doc has no turns. ``text`` is ``doc.text``, when the caller has it already."""
    turns = turns_of(doc)
    if not turns:
        return attributions, actors
    text = doc.text if text is None else text
    asking = _interviewers(turns, text)
    taken = sorted((int(a["content"][0]), int(a["content"][1])) for a in attributions)
    attributions, actors = list(attributions), [dict(a) for a in actors]
    added = False
    for turn in turns:
        if turn.speaker in asking:
            continue
        actor = _actor_for(turn.speaker, actors)
        for match in _PARAGRAPH.finditer(text, turn.start, turn.end):
            start, end = match.span()
            start += len(match.group()) - len(match.group().lstrip())
            end -= len(match.group()) - len(match.group().rstrip())
            if end <= start or _covered(taken, start, end):
                continue
            attributions.append(
                {
                    "kind": "direct",
                    "content": [start, end],
                    "source": None,
                    "cue": None,
                    "speaker": actor["name"],
                    "confidence": TURN_CONFIDENCE,
                    "actor_id": actor["id"],
                    "rule": "speaker-turn",
                    "speaker_confidence": TURN_SPEAKER_CONFIDENCE,
                }
            )
            added = True
    if added:
        attributions.sort(key=lambda a: (a["content"][0], a["content"][1]))
    return attributions, actors


def _interviewers(turns: list[Turn], text: str) -> set[str]:
    """The speakers most of whose turns end in a question mark."""
    asked = questions_by_speaker(turns, text)
    return {who for who, qs in asked.items() if sum(qs) * 2 > len(qs)}


def _actor_for(label: str, actors: list[dict[str, Any]]) -> dict[str, Any]:
    """The article's actor the turn label names (same last name), else a new one."""
    words, _titles = canonical_name(speaker_words(label))
    name = " ".join(words) or label
    found = one_person_named(actors, name)
    if found is not None:
        return found
    actor = {
        "id": max((int(a["id"]) for a in actors), default=-1) + 1,
        "name": name,
        "label": "PERSON",
        "mentions": [],
    }
    actors.append(actor)
    return actor


def _covered(taken: list[tuple[int, int]], start: int, end: int) -> bool:
    """Whether attributions already found cover half the paragraph or more."""
    covered = 0
    for s, e in taken:
        if s >= end:
            break
        covered += max(0, min(e, end) - max(s, start))
    return covered * 2 >= end - start
