"""How the versions of one statement differ, word by word, shown neutrally.

Each version is compared with the group's *reference*: the version closest to all the others
(the medoid), so no outlet is privileged by being first or biggest. The comparison is a
token-level ``difflib`` alignment: words the reference has and a version lacks are *dropped*,
words a version adds are *added*, and a run replaced by another run is *changed*
("Flood" -> "Storm"). Alongside: whether the version is quoted (the outlet put the words in
quote marks) and the cue the outlet chose ("said", "claimed", "stressed").

Nothing here knows which words are loaded: a difference is a difference between outlets.
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from ..models import ProcessedArticle
from .alignment import StatementGroup, StatementRef
from .paraphrase import is_near_verbatim, paraphrase_summary, quoted_words, quotes_differ
from .text import Token, word_tokens

__all__ = ["WordChange", "compare_group", "diff_tokens", "reference_of", "word_changes"]


@dataclass(frozen=True)
class WordChange:
    """One difference between the reference and a version.

    ``op`` is "changed", "dropped" (in the reference, not in the version) or "added";
    ``reference`` and ``version`` hold the words on each side ("" when a side has none).
    """

    op: str
    reference: str
    version: str

    def to_json(self) -> dict[str, str]:
        return {"op": self.op, "reference": self.reference, "version": self.version}


def diff_tokens(text: str) -> list[Token]:
    tokens = word_tokens(text)
    # Reported speech starts with the complementiser ("said that ..."); a quote never does.
    # It is grammar, not wording, so it is left out of the comparison.
    if tokens and tokens[0].lower == "that":
        tokens = tokens[1:]
    return tokens


def word_changes(reference: str, version: str) -> list[WordChange]:
    """Word-level differences from ``reference`` to ``version`` (case-insensitive)."""
    ref_tokens, ver_tokens = diff_tokens(reference), diff_tokens(version)
    matcher = difflib.SequenceMatcher(
        a=[t.lower for t in ref_tokens], b=[t.lower for t in ver_tokens], autojunk=False
    )
    changes = []
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            continue
        ref_words = " ".join(t.text for t in ref_tokens[i1:i2])
        ver_words = " ".join(t.text for t in ver_tokens[j1:j2])
        kind = {"replace": "changed", "delete": "dropped", "insert": "added"}[op]
        changes.append(WordChange(kind, ref_words, ver_words))
    return changes


def _ratio(a: StatementRef, b: StatementRef) -> float:
    return difflib.SequenceMatcher(
        a=[t.lower for t in diff_tokens(a.text)],
        b=[t.lower for t in diff_tokens(b.text)],
        autojunk=False,
    ).ratio()


def reference_of(group: StatementGroup) -> StatementRef:
    """The version most like all the others; ties go to the earliest in story order."""
    members = group.members
    if len(members) <= 2:
        return members[0]
    totals = [sum(_ratio(m, o) for o in members if o is not m) for m in members]
    best = max(range(len(members)), key=lambda i: (totals[i], -i))
    return members[best]


def _is_quoted(ref: StatementRef) -> bool:
    """Whether the outlet put (some of) the words in quote marks: direct or mixed."""
    return ref.attribution.kind != "indirect"


def compare_group(
    group: StatementGroup,
    docs: Mapping[str, ProcessedArticle],
    story_outlets: Sequence[tuple[str, str]],
) -> dict[str, Any]:
    """The differences of one statement group, as JSON.

    ``story_outlets`` lists the (doc_id, outlet) pairs of the story, so the statement's
    absence from an article is reported too ("missing_from").
    """
    reference = reference_of(group)
    versions = []
    quotes = []
    for member in group.members:
        processed = docs[member.doc_id]
        changes = [] if member is reference else word_changes(reference.text, member.text)
        near = member is reference or is_near_verbatim(reference.text, member.text)
        quoted = quoted_words(processed, member.content) if _is_quoted(member) else None
        if quoted is not None:
            quotes.append(quoted)
        versions.append(
            {
                "doc_id": member.doc_id,
                "outlet": member.outlet,
                "kind": member.attribution.kind,
                "quoted": _is_quoted(member),
                "cue": processed.snippet(member.attribution.cue) or None,
                "source": processed.snippet(member.attribution.source) or None,
                "words": len(diff_tokens(member.text)),
                "changes": [c.to_json() for c in changes],
                # Near-verbatim versions read best as the word diff above; paraphrases as
                # the shared phrases and what they add or drop (numbers, names, qualifiers).
                "near_verbatim": near,
                "paraphrase": None
                if member is reference
                else paraphrase_summary(reference.text, member.text),
                "partial": (member.doc_id, member.index) in group.partial,
                "quoted_words": quoted.text if quoted is not None else None,
            }
        )
    present = set(group.doc_ids)
    dates = {m.doc_id: docs[m.doc_id].article.date for m in group.members}
    dated = sorted(d for d in dates.values() if d)
    first = dated[0] if dated else None
    return {
        "reference": reference.doc_id,
        "versions": versions,
        "carried_by": [{"doc_id": m.doc_id, "outlet": m.outlet} for m in group.members],
        "first_reported": {
            "date": first,
            "outlets": sorted({m.outlet for m in group.members if dates[m.doc_id] == first}),
        }
        if first
        else None,
        # Two outlets that both put the statement in quote marks, with different words.
        "quoted_differently": [
            d
            for i, a in enumerate(quotes)
            for b in quotes[i + 1 :]
            if (d := quotes_differ(a, b)) is not None
        ],
        "missing_from": [
            {"doc_id": doc_id, "outlet": outlet}
            for doc_id, outlet in story_outlets
            if doc_id not in present
        ],
    }
