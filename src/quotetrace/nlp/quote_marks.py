"""Quotation marks: where the quoted regions of a text are, and which of them are quotes.

News text is messy: curly and straight marks mix, a quote running over several paragraphs is
left open at each paragraph end and reopened at the next, a stray mark may never close, and
single marks are used both for quotes and for scare quotes (‘Israeli’). The scanner never gives
up on a document: an open mark that never closes ends its region at the end of its paragraph.

A region is *speech* when it can hold a quotation: any double-quoted region, or a single-quoted
one of at least ``MIN_SINGLE_QUOTE_WORDS`` words. Shorter single-quoted regions are scare
quotes: they do not make a statement direct or mixed.

Some outlets (British ones above all) quote with single marks throughout, often the straight
apostrophe: ``He wrote: 'We are shocked.'``. A text with no double mark at all and at least
``MIN_PRIMARY_SINGLE_OPENINGS`` single openings is read that way: its single marks, straight or
curly, are its quotation marks, and a quotation left open at a paragraph's end continues when
the next paragraph reopens it, as with double marks. Short ones stay scare quotes
(``MIN_SINGLE_QUOTE_WORDS``), as British style uses them too. An apostrophe is told from a mark by
its neighbours: "Ruiz's", "don't" and "the '80s" open or close nothing, and neither does the
plural possessive ("the players' union").
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable
from dataclasses import dataclass, replace

__all__ = ["QUOTE_CHARS", "QuoteRegion", "find_quote_regions", "kind_of", "kinds_of"]

DOUBLE_OPEN = "“„«"
DOUBLE_CLOSE = "”»"
STRAIGHT = '"'
SINGLE_OPEN = "‘"
SINGLE_CLOSE = "’"
QUOTE_CHARS = "\"“”„‟«»‘’‚‛'`"
MIN_SINGLE_QUOTE_WORDS = 4
MIN_PRIMARY_SINGLE_OPENINGS = 2
_WORD = re.compile(r"\w+")
_DOUBLE_MARKS = '"“”„«»'
# A single mark that opens: at a line start or after a space, bracket or colon, before a
# word that is not a decade ("the '80s").
_SINGLE_OPENING = re.compile(r"(?:^|(?<=[\s(\[:]))['‘](?=\w)(?!\d+s\b)", re.MULTILINE)


@dataclass(frozen=True)
class QuoteRegion:
    """``start``/``end`` include the marks; ``inner_*`` exclude them."""

    start: int
    end: int
    inner_start: int
    inner_end: int
    closed: bool
    double: bool
    words: int
    continues: bool = False  # reopened at the start of the next paragraph
    # Single marks that open a paragraph or follow a colon quote by their place, however
    # short ("'Rest well.'"); elsewhere a short single-quoted word is a scare quote.
    by_layout: bool = False

    @property
    def is_speech(self) -> bool:
        return self.double or self.by_layout or self.words >= MIN_SINGLE_QUOTE_WORDS


def _paragraphs(text: str) -> list[tuple[int, int]]:
    spans, start = [], 0
    for match in re.finditer(r"\n", text):
        spans.append((start, match.start()))
        start = match.end()
    spans.append((start, len(text)))
    return [(s, e) for s, e in spans if e > s]


def _region(text: str, s: int, e: int, closed: bool, double: bool) -> QuoteRegion:
    inner_s, inner_e = s + 1, e - 1 if closed else e
    while inner_s < inner_e and (text[inner_s].isspace() or text[inner_s] in QUOTE_CHARS):
        inner_s += 1
    while inner_e > inner_s and (text[inner_e - 1].isspace() or text[inner_e - 1] in QUOTE_CHARS):
        inner_e -= 1
    words = len(_WORD.findall(text, inner_s, inner_e))
    return QuoteRegion(s, e, inner_s, inner_e, closed, double, words)


def _double_regions(text: str, para: tuple[int, int]) -> list[QuoteRegion]:
    out: list[QuoteRegion] = []
    open_at: int | None = None
    for i in range(para[0], para[1]):
        ch = text[i]
        if ch == STRAIGHT:
            if open_at is None:
                open_at = i
            else:
                out.append(_region(text, open_at, i + 1, True, True))
                open_at = None
        elif ch in DOUBLE_OPEN:
            if open_at is not None and text[open_at] == STRAIGHT:
                continue
            if open_at is not None:
                # Two openers in a row: the first was stray. Keep going from the second.
                out.append(_region(text, open_at, i, False, True))
            open_at = i
        elif ch in DOUBLE_CLOSE and open_at is not None:
            out.append(_region(text, open_at, i + 1, True, True))
            open_at = None
    if open_at is not None:
        out.append(_region(text, open_at, para[1], False, True))
    return out


def _single_regions(
    text: str, para: tuple[int, int], taken: list[QuoteRegion]
) -> list[QuoteRegion]:
    out: list[QuoteRegion] = []
    starts = [r.start for r in taken]
    i = text.find(SINGLE_OPEN, para[0], para[1])
    while i >= 0:
        k = bisect.bisect_right(starts, i) - 1
        inside = k >= 0 and taken[k].start <= i < taken[k].end
        prev_ok = i == 0 or not text[i - 1].isalnum()
        if not inside and prev_ok:
            # The closing mark is a ’ not followed by a letter: "Israel’s’" closes at the last.
            j = i + 1
            close = -1
            while True:
                j = text.find(SINGLE_CLOSE, j, para[1])
                if j < 0:
                    break
                if j + 1 >= len(text) or not text[j + 1].isalnum():
                    close = j
                    break
                j += 1
            if close > i:
                out.append(_region(text, i, close + 1, True, False))
                i = text.find(SINGLE_OPEN, close + 1, para[1])
                continue
        i = text.find(SINGLE_OPEN, i + 1, para[1])
    return out


def _primary_single(text: str) -> bool:
    """The text quotes with single marks: it has no double mark and opens single ones."""
    if "''" in text or any(mark in text for mark in _DOUBLE_MARKS):
        return False
    return len(_SINGLE_OPENING.findall(text)) >= MIN_PRIMARY_SINGLE_OPENINGS


def _single_close(text: str, start: int, end: int, may_stay_open: bool) -> int:
    """Where the single quotation opened before ``start`` closes in ``text[:end]``, or -1.

    A mark between "s" and a lower-case word is a plural possessive ("the players' union"),
    unless nothing later closes a quotation that cannot stay open.
    """
    possessive = -1
    for j in range(start, end):
        if text[j] not in "'’" or text[j - 1].isspace():
            continue
        after = text[j + 1] if j + 1 < len(text) else ""
        if after.isalnum():
            continue  # don't, Ruiz's
        if text[j - 1] in "sS" and after == " " and text[j + 2 : j + 3].islower():
            possessive = j if possessive < 0 else possessive
            continue
        return j
    return -1 if may_stay_open else possessive


def _primary_single_regions(text: str, para: tuple[int, int]) -> list[QuoteRegion]:
    """Single marks as a text's quotation marks: closed in the paragraph, or left open to be
    reopened in the next when they open the paragraph or follow its colon ("He wrote: 'We").
    An opening anywhere else that never closes is an apostrophe."""
    out: list[QuoteRegion] = []
    at = para[0]
    body = text[para[0] : para[1]]
    lead = len(body) - len(body.lstrip())
    while True:
        opening = _SINGLE_OPENING.search(text, at, para[1])
        if opening is None:
            return out
        s = opening.start()
        may_stay_open = s == para[0] + lead or text[para[0] : s].rstrip().endswith(":")
        close = _single_close(text, s + 1, para[1], may_stay_open)
        if close >= 0:
            region = _region(text, s, close + 1, True, False)
            out.append(replace(region, by_layout=may_stay_open))
            at = close + 1
        elif may_stay_open:
            out.append(replace(_region(text, s, para[1], False, False), by_layout=True))
            return out
        else:
            at = s + 1


def _whole_pair(text: str, region: QuoteRegion) -> QuoteRegion:
    """A region closed by '' ends after both apostrophes, not after the first."""
    end = region.end
    if region.closed and text[end - 1 : end + 1] == "''":
        return replace(region, end=end + 1)
    return region


def find_quote_regions(text: str) -> list[QuoteRegion]:
    """Every quoted region, in order of start, scare quotes included (see ``is_speech``)."""
    regions: list[QuoteRegion] = []
    # Some wires write double quotes as two apostrophes (''like this''): scan them as one
    # straight mark. The shadow text keeps every offset.
    shadow = text.replace("''", '" ') if "''" in text else text
    primary_single = _primary_single(text)
    for para in _paragraphs(text):
        if primary_single:
            regions.extend(_primary_single_regions(text, para))
            continue
        double = [_whole_pair(text, r) for r in _double_regions(shadow, para)]
        single = _single_regions(text, para, double)
        regions.extend(sorted(double + single, key=lambda r: r.start))
    # An unclosed quote at a paragraph end continues when the next paragraph opens one.
    out: list[QuoteRegion] = []
    for idx, region in enumerate(regions):
        nxt = regions[idx + 1] if idx + 1 < len(regions) else None
        if (
            not region.closed
            and (region.double or primary_single)
            and nxt is not None
            and (nxt.double or primary_single)
            and not text[region.end : nxt.start].strip()
        ):
            region = replace(region, continues=True)
        out.append(region)
    return out


def kind_of(span: tuple[int, int], regions: list[QuoteRegion], text: str) -> str:
    """direct: all words of ``span`` are quoted; indirect: none are; mixed otherwise.

    Only speech regions count: a scare-quoted ‘Israeli’ leaves a statement indirect.
    """
    return kinds_of([span], regions, text)[0]


def kinds_of(spans: Iterable[tuple[int, int]], regions: list[QuoteRegion], text: str) -> list[str]:
    """``kind_of`` of each span, the article's speech regions indexed once for all of them
    (an article has hundreds of candidates and as many regions)."""
    # A word is quoted when a speech region that opens before it also holds it. Regions
    # come in order of their start; the latest end among the regions up to each one tells
    # where to stop looking back, so a word costs a bisection, not a pass over the article.
    speech = [r for r in regions if r.is_speech]
    starts = [r.start for r in speech]
    reach: list[int] = []
    for r in speech:
        reach.append(max(r.end, reach[-1]) if reach else r.end)
    out = []
    for s, e in spans:
        inside = 0
        words = 0
        for match in _WORD.finditer(text, s, e):
            ws, we = match.span()
            words += 1
            j = bisect.bisect_right(starts, ws) - 1
            while j >= 0 and reach[j] >= we:
                r = speech[j]
                if r.inner_start <= ws and we <= r.end:
                    inside += 1
                    break
                j -= 1
        if inside == 0:
            out.append("indirect")
        else:
            out.append("direct" if inside == words else "mixed")
    return out
