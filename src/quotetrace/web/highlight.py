"""An article's text cut into pieces for the page: plain text, and each statement's parts.

The article page wraps every statement's content in a ``<mark>`` coloured by speaker, and its
cue and source in an underline of the same speaker. Statements may overlap (a quote inside a
longer reported statement); a piece of text can carry one highlight only, so the earlier
statement wins the overlap and the later one is still listed in the side panel.

Speakers get a *style number*, not a colour: the stylesheet gives each number a colour **and**
an underline pattern and the page prints the number beside the name, so colour is never the
only way to tell two speakers apart.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from ..store import StoredStatement

__all__ = ["PALETTE_SIZE", "Segment", "SpeakerStyle", "article_segments", "speaker_styles"]

PALETTE_SIZE = 8
Role = Literal["content", "cue", "source"]


@dataclass(frozen=True)
class SpeakerStyle:
    """How one speaker looks on a page: ``number`` 1..8 picks colour and underline pattern."""

    key: str
    name: str
    number: int
    actor_id: int | None

    @property
    def css_class(self) -> str:
        return f"spk-{self.number}" if self.number else "spk-none"


@dataclass(frozen=True)
class Segment:
    text: str
    statement: StoredStatement | None = None
    role: Role | None = None


def speaker_key(statement: StoredStatement) -> str:
    if statement.actor_id is not None:
        return f"actor:{statement.actor_id}"
    if statement.speaker:
        return "name:" + statement.speaker.casefold()
    return "unknown"


def speaker_name(statement: StoredStatement) -> str:
    return statement.actor_name or statement.speaker or "unknown speaker"


def speaker_styles(statements: Sequence[StoredStatement]) -> dict[str, SpeakerStyle]:
    """Speaker key -> style, numbered in order of first appearance; unknown speakers get 0."""
    styles: dict[str, SpeakerStyle] = {}
    for st in sorted(statements, key=lambda s: s.content[0]):
        key = speaker_key(st)
        if key in styles:
            continue
        number = 0 if key == "unknown" else (len(styles) - ("unknown" in styles)) % 8 + 1
        styles[key] = SpeakerStyle(key, speaker_name(st), number, st.actor_id)
    return styles


def article_segments(text: str, statements: Sequence[StoredStatement]) -> list[Segment]:
    """``text`` as consecutive segments covering it exactly, statement parts marked.

    >>> article_segments("ab", [])
    [Segment(text='ab', statement=None, role=None)]
    """
    spans: list[tuple[int, int, StoredStatement, Role]] = []
    for st in statements:
        spans.append((*st.content, st, "content"))
    for st in statements:
        if st.cue:
            spans.append((*st.cue, st, "cue"))
        if st.source:
            spans.append((*st.source, st, "source"))
    taken: list[tuple[int, int, StoredStatement, Role]] = []
    # Contents first (they matter most), then cues and sources where there is room.
    for start, end, st, role in sorted(
        spans, key=lambda s: (s[3] != "content", s[0], -(s[1] - s[0]))
    ):
        start, end = max(0, start), min(len(text), end)
        if start >= end or any(start < e and s < end for s, e, _, _ in taken):
            continue
        taken.append((start, end, st, role))
    taken.sort(key=lambda s: s[0])
    out: list[Segment] = []
    pos = 0
    for start, end, st, role in taken:
        if start > pos:
            out.append(Segment(text[pos:start]))
        out.append(Segment(text[start:end], st, role))
        pos = end
    if pos < len(text) or not out:
        out.append(Segment(text[pos:]))
    return out
