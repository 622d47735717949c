"""What a reader wants to know when two outlets word one statement differently.

A word diff is right for copies and trims ("− the"), and noise for paraphrases (a long list
of "changed: X → Y"). For a paraphrase this module gives instead

* the **shared phrases**: runs of two or more words both versions have, in order;
* what the version **added** and **dropped** against the reference, in kinds that change what
  a statement says: numbers, names, qualifiers (adverbs in -ly such as "definitely",
  "unequivocally"; negations; modal verbs) and scare quotes (a short run in quote marks);
* whether two outlets that both **put the statement in quote marks** quote the same words
  (one quoting a trimmed part of the other's quote is the same words), the check a
  fact-checker makes. It is reported as a difference between outlets, not as an error of
  either: quotetrace compares outlets, it does not know what was said.

The kinds are grammar (digits, capitals, -ly, "not", "would"), not a list of loaded words.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from ..models import ProcessedArticle
from ..nlp.quote_marks import find_quote_regions
from .text import name_mentions, wordset

__all__ = [
    "NEAR_VERBATIM",
    "QuotedWords",
    "is_near_verbatim",
    "paraphrase_summary",
    "quoted_words",
    "quotes_differ",
]

# Word-sequence ratio from which a version reads as a copy of the reference, so its word diff
# is short enough to read; below it the version is shown as a paraphrase.
NEAR_VERBATIM = 0.6

_WORD = re.compile(r"[A-Za-z0-9]+(?:['’][A-Za-z]+)?")
_NUMBER = re.compile(r"\d+(?:[.,]\d+)*(?:\s*(?:%|percent|per cent))?")
_SCARE = re.compile(r"[‘“\"']([^‘’“”\"']{1,40})[’”\"']")
_NEGATIONS = wordset("not no never none nothing nobody neither nor without n't")
_MODALS = wordset("will would could can may might must should shall cannot won't wouldn't")
# -ly words that are not adverbs of manner or degree.
_NOT_ADVERBS = wordset("only family july italy supply reply ally rally early daily weekly monthly")


def _words(text: str) -> list[str]:
    return [m.group().lower().replace("’", "'") for m in _WORD.finditer(text)]


def is_near_verbatim(reference: str, version: str) -> bool:
    ratio = difflib.SequenceMatcher(a=_words(reference), b=_words(version), autojunk=False).ratio()
    return ratio >= NEAR_VERBATIM


def _shared_phrases(reference: str, version: str) -> list[str]:
    ref, ver = _words(reference), _words(version)
    matcher = difflib.SequenceMatcher(a=ref, b=ver, autojunk=False)
    return [" ".join(ref[b.a : b.a + b.size]) for b in matcher.get_matching_blocks() if b.size >= 2]


def _qualifiers(text: str) -> set[str]:
    out = set()
    for word in _words(text):
        adverb = word.endswith("ly") and len(word) >= 5 and word not in _NOT_ADVERBS
        if adverb or word in _NEGATIONS or word in _MODALS or word.endswith("n't"):
            out.add(word)
    return out


def _names(text: str) -> set[str]:
    return {name for name, _, _ in name_mentions(text)}


def _numbers(text: str) -> set[str]:
    return {m.group().replace(",", "") for m in _NUMBER.finditer(text)}


def _scare_quotes(text: str) -> set[str]:
    """Short runs in quote marks inside a statement (‘Israeli’, “main loser”)."""
    stripped = text.strip()
    out = set()
    for m in _SCARE.finditer(stripped):
        inner = m.group(1).strip()
        if m.start() == 0 and m.end() == len(stripped):
            continue  # the whole statement is the quote
        if 1 <= len(inner.split()) <= 4:
            out.add(inner)
    return out


def _diff_sets(
    reference: set[str], version: set[str], *, fold: bool = True
) -> tuple[list[str], list[str]]:
    def key(s: str) -> str:
        return s.lower() if fold else s

    ref_keys = {key(s) for s in reference}
    ver_keys = {key(s) for s in version}
    added = sorted(s for s in version if key(s) not in ref_keys)
    dropped = sorted(s for s in reference if key(s) not in ver_keys)
    return added, dropped


def paraphrase_summary(reference: str, version: str) -> dict[str, Any]:
    """Shared phrases, and the numbers, names, qualifiers and scare quotes added or dropped."""
    added: dict[str, list[str]] = {}
    dropped: dict[str, list[str]] = {}
    for kind, extract in (
        ("numbers", _numbers),
        ("names", _names),
        ("qualifiers", _qualifiers),
        ("scare_quotes", _scare_quotes),
    ):
        plus, minus = _diff_sets(extract(reference), extract(version))
        if kind == "names":
            # "Israel" and "Israeli", "Biden" and "Joe Biden": a name kept in another form.
            ref_text, ver_text = reference.lower(), version.lower()
            plus = [n for n in plus if n.lower() not in ref_text]
            minus = [n for n in minus if n.lower() not in ver_text]
        if plus:
            added[kind] = plus
        if minus:
            dropped[kind] = minus
    return {
        "shared_phrases": _shared_phrases(reference, version),
        "added": added,
        "dropped": dropped,
    }


@dataclass(frozen=True)
class QuotedWords:
    """The words one outlet put inside quote marks for one statement."""

    doc_id: str
    outlet: str
    segments: tuple[str, ...]

    @property
    def text(self) -> str:
        return " … ".join(self.segments)


def quoted_words(processed: ProcessedArticle, content: tuple[int, int]) -> QuotedWords | None:
    """The quoted runs of a statement's content (speech quotes, not scare quotes), or None."""
    text = processed.article.text
    start, end = content
    segments = []
    for region in find_quote_regions(text):
        if region.inner_end <= start or region.inner_start >= end or not region.is_speech:
            continue
        s, e = max(region.inner_start, start), min(region.inner_end, end)
        inner = text[s:e].strip(" ,.;:")
        if len(_words(inner)) >= 3:
            segments.append(inner)
    if not segments:
        return None
    article = processed.article
    return QuotedWords(article.doc_id, article.outlet or article.doc_id, tuple(segments))


def _normal(text: str) -> list[str]:
    # "leader-to-leader" and "leader to leader" are the same words in other punctuation.
    return _words(text.replace("-", " "))


def _contained(small: Sequence[str], big: Sequence[str]) -> bool:
    n = len(small)
    return any(list(big[i : i + n]) == list(small) for i in range(len(big) - n + 1))


def quotes_differ(a: QuotedWords, b: QuotedWords) -> dict[str, Any] | None:
    """Both quote the statement; unless one's quoted words lie within the other's, the words
    that differ (as the word diff from ``a`` to ``b`` spells them)."""
    a_all = [w for s in a.segments for w in _normal(s)]
    b_all = [w for s in b.segments for w in _normal(s)]
    if all(_contained(_normal(s), b_all) for s in a.segments) or all(
        _contained(_normal(s), a_all) for s in b.segments
    ):
        return None
    matcher = difflib.SequenceMatcher(a=a_all, b=b_all, autojunk=False)
    changes = []
    blocks = [blk for blk in matcher.get_matching_blocks() if blk.size]
    if blocks:
        # Inside the stretch both quote; what lies outside it is one quoting more than the other.
        lo_a, hi_a = blocks[0].a, blocks[-1].a + blocks[-1].size
        lo_b, hi_b = blocks[0].b, blocks[-1].b + blocks[-1].size
        inner = difflib.SequenceMatcher(a=a_all[lo_a:hi_a], b=b_all[lo_b:hi_b], autojunk=False)
        for op, i1, i2, j1, j2 in inner.get_opcodes():
            if op != "equal":
                changes.append(
                    {
                        "op": {"replace": "changed", "delete": "dropped", "insert": "added"}[op],
                        "reference": " ".join(a_all[lo_a + i1 : lo_a + i2]),
                        "version": " ".join(b_all[lo_b + j1 : lo_b + j2]),
                    }
                )
    return {
        "doc_ids": [a.doc_id, b.doc_id],
        "outlets": [a.outlet, b.outlet],
        "quoted": {a.doc_id: a.text, b.doc_id: b.text},
        "changes": changes,
    }
