"""Speaker turns of interviews and transcripts: who is talking in each stretch of the text.

An interview or a court transcript gives its speakers outside the running text (a record's
``meta.turns``: ``[{"span": [start, end], "speaker": "Richman"}, ...]``, or "Q:" / "A:" and
"Name:" labels that a reader turned into turns). Inside a turn, "I", "me" and "my" are the
turn's speaker and "you" is the person spoken to; no model can find that in the words alone,
so coreference takes it from the turns (``doc._.turns``) when they are there.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from spacy.tokens import Doc

__all__ = [
    "Turn",
    "install_turns_extension",
    "questions_by_speaker",
    "set_turns",
    "speaker_words",
    "turns_from_meta",
    "turns_of",
]

# "GeneralElizabethBPrelogar" -> General Elizabeth B Prelogar; "McAdam" stays one word
_CAMEL = re.compile(r"(?:Mc|Mac|O')?[A-Z][a-z]+|[A-Z](?![a-z])|[a-z]+|\d+|[^\W\d_]+")


@dataclass(frozen=True)
class Turn:
    start: int  # character offsets into the text, [start, end)
    end: int
    speaker: str  # as given ("Richman", "GeneralElizabethBPrelogar", "Mario J. Lucero")

    def asks(self, text: str) -> bool:
        """Whether the turn is a question (its words in ``text`` end with "?")."""
        return text[self.start : self.end].rstrip().endswith("?")


def questions_by_speaker(turns: Sequence[Turn], text: str) -> dict[str, list[bool]]:
    """Each speaker's turns, in order, as whether each one is a question (who interviews)."""
    asked: dict[str, list[bool]] = {}
    for t in turns:
        asked.setdefault(t.speaker, []).append(t.asks(text))
    return asked


def install_turns_extension() -> None:
    if not Doc.has_extension("turns"):
        Doc.set_extension("turns", default=None)


def turns_from_meta(meta: Mapping[str, Any], text_length: int) -> list[Turn]:
    """The well-formed turns of a record's ``meta.turns``, in text order; malformed entries
    (no span, no speaker, outside the text) are skipped rather than failing the article."""
    raw = meta.get("turns")
    if not isinstance(raw, list):
        return []
    out: list[Turn] = []
    for item in raw:
        if not isinstance(item, Mapping):
            continue
        span, speaker = item.get("span"), item.get("speaker")
        if not isinstance(speaker, str) or not speaker.strip():
            continue
        if not isinstance(span, Sequence) or len(span) != 2:
            continue
        try:
            start, end = int(span[0]), int(span[1])
        except (TypeError, ValueError):
            continue
        start, end = max(0, start), min(text_length, end)
        if end > start:
            out.append(Turn(start, end, " ".join(speaker.split())))
    out.sort(key=lambda t: (t.start, t.end))
    return out


def set_turns(doc: Doc, turns: Sequence[Turn], offset: int = 0) -> None:
    """Put ``turns`` on ``doc`` (a window starting at character ``offset`` of the article keeps
    the turns that overlap it, shifted to its own offsets)."""
    install_turns_extension()
    n = len(doc.text)
    kept = []
    for t in turns:
        start, end = max(0, t.start - offset), min(n, t.end - offset)
        if end > start:
            kept.append([start, end, t.speaker])
    doc._.turns = kept


def turns_of(doc: Doc) -> list[Turn]:
    if not Doc.has_extension("turns"):
        return []
    raw = doc._.turns
    if not raw:
        return []
    return [Turn(int(s), int(e), str(who)) for s, e, who in raw]


def speaker_words(label: str) -> list[str]:
    """The words of a speaker label: "GeneralElizabethBPrelogar" -> ["General", "Elizabeth",
    "B", "Prelogar"]; a label with spaces keeps its words ("Mario J. Lucero")."""
    words: list[str] = []
    for part in label.split():
        if part[:1].isupper() and any(c.isupper() for c in part[1:]) and not part.isupper():
            words.extend(_CAMEL.findall(part))
        else:
            words.append(part)
    return words


class TurnIndex:
    """Which turn a character offset is in, and who is spoken to there."""

    def __init__(self, turns: Sequence[Turn], text: str) -> None:
        self.turns = list(turns)
        self._starts = [t.start for t in self.turns]
        self._text = text
        self._asks = [t.asks(text) for t in self.turns]

    def __bool__(self) -> bool:
        return bool(self.turns)

    def at(self, char: int) -> int:
        """The index of the turn containing ``char``, or -1."""
        k = bisect.bisect_right(self._starts, char) - 1
        if k >= 0 and self.turns[k].start <= char < self.turns[k].end:
            return k
        return -1

    def addressee(self, k: int) -> str | None:
        """The speaker spoken to in turn ``k``: a question goes to whoever answers next, any
        other turn to whoever spoke before (the question it answers)."""
        me = self.turns[k].speaker
        asks = self._asks[k]
        ahead = [t.speaker for t in self.turns[k + 1 :] if t.speaker != me][:1]
        behind = [t.speaker for t in reversed(self.turns[:k]) if t.speaker != me][:1]
        first, second = (ahead, behind) if asks else (behind, ahead)
        either = first or second
        return either[0] if either else None

    def joint_answerers(self, most: int = 4) -> frozenset[str]:
        """The speakers an interviewer talks to together: after the interviewer's question
        (an interviewer is a speaker at least two thirds of whose turns, and at least two, are
        questions), the next turns that are answers, by two or more speakers in a row ("How
        did you two meet?" -- Mario, then Isabel). Their "we" is the group of them. Empty when
        no question is answered so, or when more than ``most`` speakers do (a panel of experts
        answering one by one, each "we" their own)."""
        asked = questions_by_speaker(self.turns, self._text)
        interviewers = {
            who for who, qs in asked.items() if len(qs) >= 2 and 3 * sum(qs) >= 2 * len(qs)
        }
        joint: set[str] = set()
        for k, t in enumerate(self.turns):
            if t.speaker not in interviewers or not self._asks[k]:
                continue
            answering: list[str] = []
            for nxt, asks in zip(self.turns[k + 1 :], self._asks[k + 1 :], strict=True):
                if nxt.speaker in interviewers or asks:
                    break
                if nxt.speaker not in answering:
                    answering.append(nxt.speaker)
            if len(answering) >= 2:
                joint.update(answering)
        return frozenset(joint) if len(joint) <= most else frozenset()
