"""Cheap text features shared by clustering, alignment and naming.

Everything here works on plain strings with regular expressions: clustering has to stay fast
on 100,000 articles, so it cannot afford a parse, and the features it needs (content words,
names, sentence boundaries) are visible on the surface of news text.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator
from dataclasses import dataclass

__all__ = [
    "STOPWORDS",
    "TITLE_WORDS",
    "Token",
    "content_stems",
    "name_keys",
    "name_mentions",
    "normalise_name",
    "sentence_spans",
    "stem",
    "word_tokens",
    "wordset",
]


def wordset(words: str) -> frozenset[str]:
    """A set of words written as one string, the way word lists read best."""
    return frozenset(words.split())


# Function words carry no topic: two articles sharing "the", "said" and "that" say nothing
# about being the same story. Kept short and neutral on purpose (no topic words here).
STOPWORDS = wordset(
    """a an the and or but if of to in on at by for with from as into onto over under about
    after before during than then that this these those there here it its it's is are was were
    be been being has have had do does did not no nor so too very can could would should will
    shall may might must also just only even still yet again ever he she they we you i me him
    her them us his hers their theirs our ours your yours my mine who whom whose which what
    when where why how all any both each few more most other some such own same s said says
    saying say told tell tells added adding according one two three up down out off all
    while since because whether though although however per via mr mrs ms"""
)

_WORD = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9'’\-]*[A-Za-z0-9])?")
_SENTENCE_END = re.compile(r"[.!?][”\"’']?(?=\s+|[A-Z“‘\"]|$)")
_SUFFIXES = (
    "ations",
    "ation",
    "ments",
    "ment",
    "ities",
    "ity",
    "ing",
    "ies",
    "ied",
    "ed",
    "es",
    "s",
)


@dataclass(frozen=True)
class Token:
    """A word with its character span in the text it came from."""

    text: str
    start: int
    end: int

    @property
    def lower(self) -> str:
        return self.text.lower().replace("’", "'")


def word_tokens(text: str, offset: int = 0) -> list[Token]:
    """Words (letters, digits, inner apostrophes and hyphens) with spans shifted by ``offset``."""
    return [Token(m.group(), m.start() + offset, m.end() + offset) for m in _WORD.finditer(text)]


def stem(word: str) -> str:
    """A crude, language-neutral stem so "involved" meets "involvement" and "Gaza's" meets "Gaza".

    Possessives go, a few English suffixes go, and the rest is cut at seven letters: enough to
    keep "masterminding" and "mastermind" together without a dictionary.
    """
    w = word.lower().replace("’", "'")
    if w.endswith("'s"):
        w = w[:-2]
    w = w.strip("'-")
    for suffix in _SUFFIXES:
        if len(w) - len(suffix) >= 4 and w.endswith(suffix):
            w = w[: -len(suffix)]
            break
    return w[:7]


def content_stems(text: str) -> list[str]:
    """Stems of the words that carry meaning, in order."""
    out = []
    for m in _WORD.finditer(text):
        low = m.group().lower().replace("’", "'")
        if low in STOPWORDS or low.removesuffix("'s") in STOPWORDS:
            continue
        if len(low) < 2 and not low.isdigit():
            continue
        out.append(stem(low))
    return out


@functools.lru_cache(maxsize=256)
def sentence_spans(text: str) -> tuple[tuple[int, int], ...]:
    """Sentence spans by punctuation, also where crawled text glued two sentences ("Gaza.He").

    Cached (hence a tuple): events and statement settings ask for one article's sentences
    many times.
    """
    spans: list[tuple[int, int]] = []
    for para_match in re.finditer(r"[^\n]+", text):
        start = para_match.start()
        para_end = para_match.end()
        for m in _SENTENCE_END.finditer(text, para_match.start(), para_end):
            end = m.end()
            # "U.S." and initials ("George W. Bush") do not end a sentence.
            before = text[max(start, m.start() - 3) : m.start()]
            if re.search(r"(?:^|[\s.])[A-Z]$", before):
                continue
            if text[start:end].strip():
                spans.append(_strip(text, start, end))
            start = end
        if text[start:para_end].strip():
            spans.append(_strip(text, start, para_end))
    return tuple(spans)


def _strip(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


_NOT_NAMES = wordset(
    """The A An In On At By For With From As After Before During But And Or If When While
    Since Despite Although However Meanwhile Elsewhere According This That These Those It
    He She They We I You His Her Their Our Its Monday Tuesday Wednesday Thursday Friday Saturday
    Sunday January February March April May June July August September October November
    December Mr Mrs Ms Dr Yesterday Today Tomorrow Last Next Earlier Later Also Both Such"""
)


_NAME_WORD = re.compile(r"[A-Za-z](?:[A-Za-z’'\-]*[A-Za-z])?")
_PARTICLES = frozenset({"al", "bin", "ibn", "de", "van", "von", "der", "la", "del", "of"})


def name_mentions(text: str) -> Iterator[tuple[str, int, int]]:
    """Capitalised word runs that look like names: ("Mohammed Shia al-Sudani", start, end).

    A run's leading function word ("The", "In", "On") is dropped, so "In Tehran" gives
    "Tehran"; month and weekday names are never names. Words are joined only across single
    spaces, so a name never runs over a full stop or a comma.
    """
    run: list[tuple[str, int, int]] = []

    def flush() -> Iterator[tuple[str, int, int]]:
        words = list(run)
        run.clear()
        while words and (words[0][0] in _NOT_NAMES or words[0][0].lower() in _PARTICLES):
            words.pop(0)
        while words and (words[-1][0] in _NOT_NAMES or words[-1][0].lower() in _PARTICLES):
            words.pop()
        if not words:
            return
        start, end = words[0][1], words[-1][2]
        if text[end - 2 : end] in ("’s", "'s"):
            end -= 2
        if end > start:
            yield text[start:end], start, end

    for m in _NAME_WORD.finditer(text):
        word = m.group()
        capital = word[0].isupper() or (word.lower() in _PARTICLES and bool(run))
        if word.lower().startswith("al-") and len(word) > 3 and word[3].isupper():
            capital = True
        joined = bool(run) and text[run[-1][2] : m.start()] == " "
        if capital and word in _NOT_NAMES:
            capital = False  # "His" in "Revolution His Eminence" starts a new name
        if capital and (joined or not run):
            run.append((word, m.start(), m.end()))
            continue
        yield from flush()
        if capital:
            run.append((word, m.start(), m.end()))
    yield from flush()


_TITLES = wordset(
    """president prime minister foreign defence defense interior secretary leader supreme
    ayatollah imam sayyed sayyid sheikh his her eminence excellency mr mrs ms dr general gen
    king queen prince crown emir sultan chancellor mayor governor senator spokesperson
    spokesman spokeswoman chief deputy vice minister's iranian iraqi american israeli the of
    revolution islamic"""
)


def normalise_name(name: str) -> str:
    """The key two outlets' spellings of one name share: "al-Sudani" and "Sudani" give "sudani"."""
    low = name.lower().replace("’", "'").strip(" .,'\"“”‘")
    low = re.sub(r"'s$", "", low)
    low = re.sub(r"\b(?:al|el)-", "", low)
    return re.sub(r"\s+", " ", low)


def name_keys(name: str) -> set[str]:
    """Words of a name that identify its bearer: titles and honorifics removed.

    "Iran's Supreme Leader, Ayatollah Ali Khamenei" gives {"ali", "khamenei", "iran"}; two names
    of one person in two outlets share their surname at least.
    """
    words = re.findall(r"[a-z0-9]+", normalise_name(name).replace("'s", ""))
    return {w for w in words if w not in _TITLES and len(w) > 2}


TITLE_WORDS = _TITLES  # public name: events strip titles from participants' names
