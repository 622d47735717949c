"""A tokenizer guard: text with no whitespace for a long stretch is tokenized in pieces.

spaCy's tokenizer strips prefixes and suffixes off each whitespace-delimited chunk one at a
time, searching the rest of the chunk each time, so its cost grows with the square of the
chunk's length: 10,000 quote marks in a row take about 9 s, 100,000 would take a quarter of an
hour. No word is that long; such a run is broken or hostile input. The guard cuts every run
of more than ``MAX_RUN`` non-whitespace characters into pieces of ``MAX_RUN``, tokenizes the
text between cuts with spaCy's own tokenizer and joins the pieces into one ``Doc`` whose text
is the original, character for character (so every offset stays valid). A text without such a
run goes to spaCy's tokenizer untouched, so ordinary articles get exactly the tokens they
always got.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from itertools import pairwise
from typing import Any

from spacy.tokens import Doc

__all__ = ["MAX_RUN", "GuardedTokenizer", "guard_cuts"]

MAX_RUN = 200
_LONG_RUN = re.compile(rf"\S{{{MAX_RUN + 1},}}")


def guard_cuts(text: str) -> list[int]:
    """Offsets at which to cut ``text`` so that no piece holds a longer run than ``MAX_RUN``."""
    cuts: list[int] = []
    for match in _LONG_RUN.finditer(text):
        cuts.extend(range(match.start() + MAX_RUN, match.end(), MAX_RUN))
    return cuts


class GuardedTokenizer:
    """Wraps a spaCy tokenizer (see the module docstring); everything else is delegated."""

    def __init__(self, inner: Callable[[str], Doc]) -> None:
        self.inner = inner

    def __call__(self, text: str) -> Doc:
        cuts = guard_cuts(text)
        if not cuts:
            return self.inner(text)
        bounds = [0, *cuts, len(text)]
        pieces = [self.inner(text[a:b]) for a, b in pairwise(bounds)]
        return Doc.from_docs([p for p in pieces if len(p)], ensure_whitespace=False)

    def pipe(self, texts: Any, batch_size: int = 1000) -> Any:
        for text in texts:
            yield self(text)

    def __getattr__(self, name: str) -> Any:
        # to_disk, from_bytes, vocab, rules...: the wrapped tokenizer's own.
        return getattr(self.inner, name)
