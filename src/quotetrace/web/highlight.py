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

__all__ = [
    "PALETTE_SIZE",
    "MentionLink",
    "Part",
    "Segment",
    "SpeakerStyle",
    "article_segments",
    "mention_chains",
    "speaker_styles",
]

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
class Part:
    """A piece of a segment; ``mention`` set when it is one of a speaker's mentions."""

    text: str
    mention: MentionLink | None = None


@dataclass(frozen=True)
class MentionLink:
    """One mention in a speaker's chain: ``key`` is the speaker's, ``number`` its place."""

    start: int
    end: int
    text: str
    key: str
    number: int

    @property
    def anchor(self) -> str:
        return f"m-{self.start}"


@dataclass(frozen=True)
class Segment:
    text: str
    statement: StoredStatement | None = None
    role: Role | None = None
    parts: tuple[Part, ...] = ()


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


def mention_chains(
    text: str, spans: Sequence[tuple[int, int, str]], speakers: Sequence[str]
) -> dict[str, list[MentionLink]]:
    """Each speaker's chain of mentions (names, titles, pronouns) in text order.

    ``spans`` are ``(start, end, speaker key)``; keys not among ``speakers`` (actors who
    said nothing here) and overlapping spans (the first one wins) are left out.

    >>> [m.text for m in mention_chains("Ana said. She left.", [(0, 3, "a"), (10, 13, "a")], ["a"])["a"]]
    ['Ana', 'She']
    """
    chains: dict[str, list[MentionLink]] = {key: [] for key in speakers}
    last_end = -1
    for start, end, key in sorted(spans):
        if key not in chains or start < last_end or not 0 <= start < end <= len(text):
            continue
        chain = chains[key]
        chain.append(MentionLink(start, end, text[start:end], key, len(chain) + 1))
        last_end = end
    return {key: chain for key, chain in chains.items() if chain}


def _parts(seg_start: int, seg_text: str, links: Sequence[MentionLink]) -> tuple[Part, ...]:
    out: list[Part] = []
    pos = seg_start
    seg_end = seg_start + len(seg_text)
    for link in links:
        start, end = max(link.start, seg_start), min(link.end, seg_end)
        if start >= end:
            continue
        if start > pos:
            out.append(Part(seg_text[pos - seg_start : start - seg_start]))
        out.append(Part(seg_text[start - seg_start : end - seg_start], link))
        pos = end
    if pos < seg_end or not out:
        out.append(Part(seg_text[pos - seg_start :]))
    return tuple(out)


def article_segments(
    text: str,
    statements: Sequence[StoredStatement],
    chains: dict[str, list[MentionLink]] | None = None,
) -> list[Segment]:
    """``text`` as consecutive segments covering it exactly, statement parts marked; each
    segment's ``parts`` mark the speakers' mentions inside it (a mention may fall inside a
    statement's content, cue or source: it is marked within that highlight).

    >>> article_segments("ab", [])
    [Segment(text='ab', statement=None, role=None, parts=(Part(text='ab', mention=None),))]
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
    links = sorted((m for chain in (chains or {}).values() for m in chain), key=lambda m: m.start)
    out: list[Segment] = []
    pos = 0

    def add(start: int, end: int, st: StoredStatement | None, role: Role | None) -> None:
        inside = [m for m in links if m.start < end and start < m.end]
        out.append(Segment(text[start:end], st, role, _parts(start, text[start:end], inside)))

    for start, end, st, role in taken:
        if start > pos:
            add(pos, start, None, None)
        add(start, end, st, role)
        pos = end
    if pos < len(text) or not out:
        add(pos, len(text), None, None)
    return out
