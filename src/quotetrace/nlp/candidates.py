"""Candidates and the parse spans they are cut from, shared by every rule module.

A ``Candidate`` is one attribution as the rules see it: content in characters, source and cue
in tokens, the rule that found it and a confidence. The helpers here turn a dependency
subtree into a trimmed character span, find the mention a subject heads, and read the clause
shapes reports come in ("said in a statement that ...", "wants to ...", "X's claim that ...").
"""

from __future__ import annotations

from dataclasses import dataclass, field

from spacy.tokens import Doc, Token

from .cues import MEDIUM_NOUNS, REASON_MARKS, SPEECH_VERBS
from .quote_marks import QUOTE_CHARS
from .speaker_lexicon import ROLE_NOUNS

__all__ = [
    "Candidate",
    "dedupe",
    "framed",
    "noun_phrase",
    "overlap_f1",
    "span_chars",
    "span_text",
    "subtree_bounds",
]

SUBJECT_DEPS = frozenset({"nsubj", "csubj"})
_TRIM = set(QUOTE_CHARS) | set(",;:—–-(")
_END_TRIM = set(",;:—–-(") | {" "}


@dataclass
class Candidate:
    """One attribution in token offsets; ``content`` in characters once quotes are applied."""

    content: tuple[int, int]  # characters, end-exclusive
    source: tuple[int, int] | None  # tokens [start, end)
    cue: tuple[int, int] | None  # tokens [start, end)
    rule: str
    confidence: float
    source_head: int | None = None
    cue_head: int | None = None
    kind: str = "indirect"
    pieces: list[tuple[int, int]] = field(default_factory=list)


def span_chars(doc: Doc, start: int, end: int) -> tuple[int, int]:
    """Characters of tokens [start, end), trimmed of punctuation and space at both ends."""
    while start < end and (doc[start].is_space or doc[start].text in _TRIM):
        start += 1
    while end > start and (doc[end - 1].is_space or doc[end - 1].text in _END_TRIM):
        end -= 1
    if end <= start:
        return (0, 0)
    return (doc[start].idx, doc[end - 1].idx + len(doc[end - 1].text))


def subtree_bounds(tok: Token) -> tuple[int, int]:
    return tok.left_edge.i, tok.right_edge.i + 1


def noun_phrase(tok: Token) -> tuple[int, int]:
    """The mention a subject token heads, without a trailing relative clause. A description
    takes the name in apposition to it ("Velland's foreign minister, Ada Korth"); a name
    stands without the description that follows it."""
    start = tok.left_edge.i
    end = tok.i + 1
    for child in tok.rights:
        if child.dep_ in ("compound", "flat", "nummod", "case") or (
            child.dep_ == "prep" and child.text.lower() == "of"
        ):
            end = child.right_edge.i + 1
        elif child.dep_ == "punct" and child.i == end and child.text == ",":
            continue
        elif child.dep_ == "appos" and child.left_edge.i <= end + 1 and tok.pos_ != "PROPN":
            end = child.right_edge.i + 1
        else:
            break
    return start, end


def framed(
    content: tuple[int, int],
    speaker: Token,
    cue: tuple[int, int],
    cue_head: int,
    rule: str,
    confidence: float = 0.0,
) -> Candidate:
    """A candidate whose source is the mention ``speaker`` heads."""
    return Candidate(
        content=content,
        source=noun_phrase(speaker),
        cue=cue,
        rule=rule,
        confidence=confidence,
        source_head=speaker.i,
        cue_head=cue_head,
    )


def overlap_f1(a: tuple[int, int], b: tuple[int, int]) -> float:
    """Dice overlap of two spans: 1.0 identical, 0.0 disjoint."""
    inter = min(a[1], b[1]) - max(a[0], b[0])
    if inter <= 0:
        return 0.0
    return 2.0 * inter / ((a[1] - a[0]) + (b[1] - b[0]))


def _medium_clause(verb: Token) -> Token | None:
    """ "said in a statement that ...": the parser may hang the clause on the medium noun."""
    for child in verb.rights:
        if child.dep_ == "prep" and child.lower_ == "in":
            obj = next((g for g in child.children if g.dep_ == "pobj"), None)
            if obj is not None and obj.lemma_.lower() in MEDIUM_NOUNS:
                return _that_clause(obj)
    return None


def _infinitive(verb: Token) -> Token | None:
    for child in verb.rights:
        if child.dep_ == "xcomp" and any(a.lower_ == "to" for a in child.lefts):
            return child
    return None


def _is_infinitive(tok: Token) -> bool:
    return any(a.lower_ == "to" and a.dep_ == "aux" for a in tok.lefts)


def _has_as_phrase(verb: Token) -> bool:
    return any(c.dep_ == "prep" and c.lower_ == "as" for c in verb.rights) and any(
        c.dep_ in ("dobj", "obj") for c in verb.rights
    )


def _widen_clause(verb: Token, clause: Token, start: int, end: int) -> tuple[int, int]:
    """Parts of the report the parse hangs on the cue verb instead of the clause.

    "The middle fifth paid 9 percent, the agency said, and the bottom fifth paid 1 percent"
    (a conjoined clause) and "X said the claim smacked of hypocrisy, because ..." (a reason).
    """
    for child in verb.rights:
        if child.i < end:
            continue
        if (
            child.dep_ == "conj"
            and clause.i < verb.i
            and any(g.dep_ in SUBJECT_DEPS for g in child.children)
        ) or (
            child.dep_ == "advcl"
            and clause.i > verb.i
            and any(m.dep_ == "mark" and m.lower_ in REASON_MARKS for m in child.children)
        ):
            end = child.right_edge.i + 1
    return start, end


def _that_clause(noun: Token) -> Token | None:
    """The clause a stance noun introduces: "confidence [that the Americans are ...]"."""
    for child in noun.children:
        if child.dep_ in ("acl", "ccomp", "relcl") and any(
            m.lower_ == "that" and m.dep_ == "mark" for m in child.children
        ):
            return child
    return None


def _cut_trailing_participle(clause: Token, start: int, end: int, any_verb: bool = False) -> int:
    """End the content before a trailing ", stressing that ...": that is a statement of its own.

    With ``any_verb``, any participle set off by a comma ("..., engaging in old tactics") ends
    it: what the speaker did while saying it is the writer's, not the speaker's.
    """
    doc = clause.doc
    for tok in clause.subtree:
        if (
            tok.dep_ == "advcl"
            and tok.tag_ == "VBG"
            and (
                tok.lemma_.lower() in SPEECH_VERBS
                or (any_verb and tok.left_edge.i > 0 and doc[tok.left_edge.i - 1].text == ",")
            )
            and tok.left_edge.i > start
            and tok.right_edge.i + 1 >= end - 1
        ):
            end = min(end, tok.left_edge.i)
    return end


def span_text(doc: Doc, chars: tuple[int, int]) -> str:
    """``doc.text[start:end]`` without building ``doc.text``, which spaCy rebuilds from every
    token on each access (a quadratic cost when asked once per candidate)."""
    span = doc.char_span(chars[0], chars[1], alignment_mode="expand")
    if span is None:
        return ""
    first = span[0].idx
    return "".join(t.text_with_ws for t in span)[chars[0] - first : chars[1] - first]


def _enough_content(text: str, content: tuple[int, int]) -> bool:
    """Two words at least: a lone pronoun or name is an addressee, not a statement."""
    return len(text[content[0] : content[1]].split()) >= 2


def _inside(clause: Token, verb: Token) -> bool:
    return bool(clause.left_edge.i <= verb.i <= clause.right_edge.i)


def _overlap(s1: int, e1: int, s2: int, e2: int) -> float:
    inter = min(e1, e2) - max(s1, s2)
    if inter <= 0:
        return 0.0
    return inter / max(1, min(e1 - s1, e2 - s2))


def dedupe(found: list[Candidate]) -> list[Candidate]:
    """One statement per content: the most confident frame wins."""
    best: dict[tuple[int, int], Candidate] = {}
    for cand in found:
        key = cand.content
        if key[1] <= key[0]:
            continue
        old = best.get(key)
        if old is None or cand.confidence > old.confidence:
            best[key] = cand
    return list(best.values())


def _misparsed_role(verb: Token) -> bool:
    """A role noun the parser took for the verb ("KSA head Lena Brandt sent ..." as "KSA
    heads [that] Lena Brandt sent ..."): its subject ends right before it and the clause it
    governs has its own subject right after it. The frame is the clause's, not the role's."""
    if verb.text.lower() not in ROLE_NOUNS or verb.i == 0:
        return False
    before = any(c.dep_ in SUBJECT_DEPS and c.i == verb.i - 1 for c in verb.children)
    if not before:
        return False
    return any(
        clause.dep_ in ("ccomp", "xcomp", "conj")
        and clause.i > verb.i
        and any(c.dep_ in SUBJECT_DEPS and c.left_edge.i == verb.i + 1 for c in clause.children)
        for clause in verb.children
    )


# A name the recogniser labelled so, or not at all (it misses many): never a place or a date.
_SPEAKER_NAME_TYPES = frozenset({"PERSON", "ORG", ""})


def _misattached_subject(verb: Token) -> Token | None:
    """A name right before a subjectless speech verb, which the parser hung on the phrase
    before it: "Speaking in Geneva, Ana Ruiz, head of the agency, said" parses "Ana Ruiz" as
    conjoined with "Geneva". Only a name (not a place's), conjoined or in apposition, and only
    when what lies between it and the verb is its own apposition and punctuation."""
    if verb.lemma_.lower() not in SPEECH_VERBS or verb.i == 0:
        return None
    doc = verb.doc
    before = verb.i - 1
    while before >= 0 and doc[before].is_punct:
        before -= 1
    if before < 0:
        return None
    # The outermost such name: "Ana Ruiz, head of the Korvan Space Agency (KSA)," ends with
    # "KSA", inside Ana Ruiz's apposition; a name in apposition to a name is its other name.
    found = None
    tok = doc[before]
    while tok.head.i != tok.i and tok.i < verb.i:
        if (
            tok.pos_ == "PROPN"
            and (tok.dep_ == "conj" or (tok.dep_ == "appos" and tok.head.pos_ != "PROPN"))
            and tok.ent_type_ in _SPEAKER_NAME_TYPES
        ):
            covered = {t.i for c in tok.children if c.dep_ == "appos" for t in c.subtree}
            if all(doc[i].is_punct or i in covered for i in range(tok.i + 1, verb.i)):
                found = tok
        tok = tok.head
    return found
