"""Attributions framed by layout rather than by a verb, proposed for the learned model.

Two layouts carry a speaker with no speech verb at all:

* a line that opens with a short name and a colon: a headline ("Mayor Ruiz: Bridge Will
  Reopen"), a transcript turn ("HOST: Welcome back.");
* a quotation closed by a dash and a name on the same line ("“We will rebuild.” ― A. Ruiz").

A third carries a verb, but the statement is the next paragraph: "The mayor added:" closes
its line, and the block below, quoted or not, is what she said (``colon-block``).

Both are proposed only in open-vocabulary mode: the learned model decides which are reports.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from spacy.tokens import Doc, Token

from .candidates import Candidate, framed

__all__ = ["colon_block_candidates", "line_frame_candidates"]

# A speaker label: capitalised, a few words, no sentence punctuation before the colon.
_COLON_LINE = re.compile(
    r"^[\s\"“‘']*(?P<name>[A-Z][^\n:.!?;“”\"]{0,60}?)\s*:\s+(?P<content>\S[^\n]*)$"
)
# A closed quotation, then a dash and a name ("” ― Name", "” — Name.").
_DASH_LINE = re.compile(
    r"^[\s\"“]*(?P<content>\S[^\n]*?)\s*[”\"]\s*[―—–]\s*(?P<name>[A-Z][^\n“”\"]{0,60}?)[\s.]*$"
)
_MAX_NAME_WORDS = 7
_TRAILING = " \t\u00a0\"”’'"
_DASHES = "―—–"
_FINITE_VERB_TAGS = frozenset({"VBD", "VBZ", "VBP", "MD"})


def _tokens(doc: Doc, start: int, end: int) -> tuple[int, int] | None:
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is None or len(span) == 0:
        return None
    return span.start, span.end


def _name_head(doc: Doc, tokens: tuple[int, int]) -> int:
    """The name's head: its last non-punctuation token ("Gov. Ann Ruiz" -> "Ruiz")."""
    for i in range(tokens[1] - 1, tokens[0] - 1, -1):
        if not doc[i].is_punct:
            return i
    return tokens[1] - 1


def _has_finite_verb(doc: Doc, chars: tuple[int, int]) -> bool:
    """ "She wrote online: …" is a verb's frame, not a speaker's label: the rules read it."""
    tokens = _tokens(doc, *chars)
    if tokens is None:
        return False
    return any(doc[i].tag_ in _FINITE_VERB_TAGS for i in range(*tokens))


def _candidate(
    doc: Doc, name: tuple[int, int], content: tuple[int, int], cue_char: int, rule: str
) -> Candidate | None:
    source = _tokens(doc, *name)
    cue = _tokens(doc, cue_char, cue_char + 1)
    if source is None or cue is None or content[1] <= content[0]:
        return None
    return Candidate(
        content=content,
        source=source,
        cue=cue,
        rule=rule,
        # Above an unsourced quote frame of the same quotation: the layout names the speaker.
        confidence=0.9,
        source_head=_name_head(doc, source),
        cue_head=cue[0],
    )


def line_frame_candidates(doc: Doc, text: str) -> list[Candidate]:
    """Colon-labelled lines and dash-signed quotations, one candidate per line at most.

    ``text`` is ``doc.text``, which spaCy rebuilds on every access: the caller has it.
    """
    found: list[Candidate] = []
    offset = 0
    for line in text.split("\n"):
        line_start, offset = offset, offset + len(line) + 1
        cand: Candidate | None = None
        colon = _COLON_LINE.match(line)
        dash = None if colon is not None else _DASH_LINE.match(line)
        if colon is not None and len(colon.group("name").split()) <= _MAX_NAME_WORDS:
            content = (
                line_start + colon.start("content"),
                line_start + len(line.rstrip(_TRAILING)),
            )
            name = (line_start + colon.start("name"), line_start + colon.end("name"))
            cue_char = line_start + line.index(":", colon.end("name"))
            if not _has_finite_verb(doc, name):
                cand = _candidate(doc, name, content, cue_char, "colon-frame")
        elif dash is not None and len(dash.group("name").split()) <= _MAX_NAME_WORDS:
            content = (line_start + dash.start("content"), line_start + dash.end("content"))
            name = (line_start + dash.start("name"), line_start + dash.end("name"))
            cue_at = next(
                i for i in range(dash.end("content"), dash.start("name")) if line[i] in _DASHES
            )
            cand = _candidate(doc, name, content, line_start + cue_at, "dash-frame")
        if cand is not None:
            found.append(cand)
    return found


def colon_block_candidates(
    doc: Doc, text: str, subject_of: Callable[[Token], Token | None]
) -> list[Candidate]:
    """ "The governor added:" ending a paragraph: the next paragraph is the statement.

    The source is the subject of the sentence's main verb (``subject_of``); a line with no
    verb or no subject ("The text:") proposes nothing.
    """
    found: list[Candidate] = []
    lines = text.split("\n")
    offset = 0
    starts = []
    for line in lines:
        starts.append(offset)
        offset += len(line) + 1
    for n, line in enumerate(lines):
        body = line.rstrip(_TRAILING)
        if not body.endswith(":") or _COLON_LINE.match(line) is not None:
            continue
        nxt = next((m for m in range(n + 1, len(lines)) if lines[m].strip()), None)
        if nxt is None:
            continue
        colon = doc.char_span(starts[n] + len(body) - 1, starts[n] + len(body))
        if colon is None:
            continue
        root = colon[0].sent.root
        if root.pos_ not in ("VERB", "AUX"):
            continue
        subject = subject_of(root)
        if subject is None:
            continue
        block = lines[nxt]
        lead = len(block) - len(block.lstrip(_TRAILING + "“‘"))
        content = (starts[nxt] + lead, starts[nxt] + len(block.rstrip(_TRAILING)))
        if content[1] - content[0] < 8:
            continue
        found.append(framed(content, subject, (root.i, root.i + 1), root.i, "colon-block"))
    return found
