"""Long documents: cut into windows the parser can take, results joined back into one article.

spaCy refuses a text over ``nlp.max_length`` (E088) and its parser needs memory in proportion
to the text, so an article longer than ``QUOTETRACE_WINDOW_CHARS`` (a court filing, a live
blog, a transcript) is parsed as consecutive windows of at most that many characters. A window
ends at the last paragraph break that fits, else at the last sentence end, else at the last
whitespace, else hard at the limit; the windows cover the text exactly, with no gap and no
overlap, so every offset found in a window is its offset in the article plus the window's
start. Statements never straddle a paragraph break in practice, so cutting there loses
nothing but pronoun resolution across the cut.

The windows' results are joined: offsets shifted into the article, actors with the same
canonical name merged into one (mentions in text order), actor ids renumbered so they stay
unique within the article. An article of one window is returned exactly as the parser saw it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace

from ..models import Actor, Article, Attribution, CharSpan, ProcessedArticle

__all__ = [
    "MAX_UNBROKEN_CHARS",
    "WindowResult",
    "has_unbroken_stretch",
    "join_windows",
    "split_windows",
]

# The extractor's cost grows with the square of a sentence's length (every cue looks over its
# sentence); news sentences stay under a few hundred characters. A stretch this long without
# a full stop or a newline (10,000 quote marks, a "sentence" of 2,000 "he said") is broken or
# hostile input, and such an article is parsed in windows of this size, so its cost stays
# linear. Ordinary articles never have one and are parsed exactly as before.
MAX_UNBROKEN_CHARS = 4000
# Tried only where a stretch begins (the lookbehind: the text's start or a sentence end before
# it). Tried at every character, the search rescanned each sentence from each of its
# characters: 0.4% of the bare parse on PolNeAR dev, seconds on a long text with no full stop.
_UNBROKEN = re.compile(rf"(?<![^\n.!?…])[^\n.!?…]{{{MAX_UNBROKEN_CHARS + 1}}}")

# A paragraph break: a newline, optional blanks, another newline (and any blanks after).
_PARAGRAPH_BREAK = re.compile(r"\n[ \t\r\f\v]*\n\s*")
# A sentence end: terminal punctuation, closing quotes or brackets, then whitespace.
_SENTENCE_END = re.compile(r"[.!?…][\"'”’»)\]]*\s+")
_WHITESPACE = re.compile(r"\s+")
# A cut is only taken in the last part of a window, so windows stay near their full size
# (a paragraph break at character 10 of a 100,000-character window would waste the window).
_MIN_FILL = 0.5


def _last_cut(pattern: re.Pattern[str], text: str, lo: int, hi: int) -> int | None:
    """The end of the last match of ``pattern`` ending in ``(lo, hi]``, or None."""
    cut = None
    for match in pattern.finditer(text, lo, hi):
        cut = match.end()
    return cut if cut is not None and cut > lo else None


def has_unbroken_stretch(text: str) -> bool:
    """Whether ``text`` holds a stretch of over ``MAX_UNBROKEN_CHARS`` with no sentence end."""
    return _UNBROKEN.search(text) is not None


def split_windows(text: str, window_chars: int) -> list[tuple[int, int]]:
    """``(start, end)`` ranges covering ``text`` in order, each at most ``window_chars`` long."""
    if window_chars < 1:
        raise ValueError("window_chars must be positive")
    windows: list[tuple[int, int]] = []
    start, size = 0, len(text)
    while size - start > window_chars:
        hi = start + window_chars
        lo = start + int(window_chars * _MIN_FILL)
        cut = (
            _last_cut(_PARAGRAPH_BREAK, text, lo, hi)
            or _last_cut(_SENTENCE_END, text, lo, hi)
            or _last_cut(_WHITESPACE, text, lo, hi)
            or hi
        )
        windows.append((start, cut))
        start = cut
    windows.append((start, size))
    return windows


@dataclass(frozen=True)
class WindowResult:
    """What the component found in one window, offsets relative to the window's start."""

    start: int
    attributions: Sequence[Attribution]
    actors: Sequence[Actor]


def _shift(span: CharSpan | None, by: int) -> CharSpan | None:
    return None if span is None else (span[0] + by, span[1] + by)


def join_windows(article: Article, windows: Sequence[WindowResult]) -> ProcessedArticle:
    """One article's results from its windows' results (see the module docstring)."""
    names: dict[str, int] = {}
    mentions: list[list[CharSpan]] = []
    chains: list[list[CharSpan]] = []
    labels: list[str] = []
    ordered_names: list[str] = []
    attributions: list[Attribution] = []
    for window in windows:
        local_to_joined: dict[int, int] = {}
        for actor in window.actors:
            joined = names.get(actor.name)
            if joined is None:
                joined = names[actor.name] = len(ordered_names)
                ordered_names.append(actor.name)
                labels.append(actor.label)
                mentions.append([])
                chains.append([])
            local_to_joined[actor.actor_id] = joined
            mentions[joined].extend((s + window.start, e + window.start) for s, e in actor.mentions)
            chains[joined].extend((s + window.start, e + window.start) for s, e in actor.chain)
        for att in window.attributions:
            content = _shift(att.content, window.start)
            assert content is not None
            attributions.append(
                replace(
                    att,
                    content=content,
                    source=_shift(att.source, window.start),
                    cue=_shift(att.cue, window.start),
                    actor_id=(
                        local_to_joined.get(att.actor_id) if att.actor_id is not None else None
                    ),
                )
            )
    actors = tuple(
        Actor(
            actor_id=i,
            name=name,
            label=labels[i],
            mentions=tuple(mentions[i]),
            chain=tuple(chains[i]),
        )
        for i, name in enumerate(ordered_names)
    )
    return ProcessedArticle(article=article, attributions=tuple(attributions), actors=actors)
