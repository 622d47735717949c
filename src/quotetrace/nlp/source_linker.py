"""Who said what the token tagger found: a learned choice among the possible sources.

A content span the tagger adds has no frame of its own. Its source may be the source of a
rule candidate over the same words, a run of tokens the tagger marked as source before or
after it, the subject of the verb that governs it, a speaker inside it (a frame inside an
interrupted quotation), or nobody. Taking the covering candidate, else the nearest source
tokens, was right for about half of the spans the tagger adds on PolNeAR train; a logistic
model over those options (``SourceLinker``), trained on the spans an out-of-fold tagger adds
on train, chooses better.

Each option is a source span (or None) with the feature names of every way it was found.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from spacy.tokens import Doc, Token

from .candidates import Candidate, noun_phrase, overlap_f1
from .cues import lexicon_class

__all__ = ["LinkOption", "SourceLinker", "link_options", "phrase_head", "source_gaps"]

Span = tuple[int, int]
# Rule candidates sharing this much of a span's words may give it their source.
FRAME_OVERLAP = 0.3
# Source tokens the tagger marked at most this far from the span are options.
SOURCE_REACH = 30
_SUBJECTS = ("nsubj", "nsubjpass", "csubj")


@dataclass
class LinkOption:
    """A possible source (None: nobody), the frame that proposes it, and its features."""

    source: Span | None
    frame: Candidate | None
    features: list[str]


def _bucket(x: float, edges: Sequence[float]) -> str:
    for edge in edges:
        if x <= edge:
            return str(edge)
    return "more"


def _root(doc: Doc, start: int, end: int) -> Token | None:
    return next((t for t in doc[start:end] if not start <= t.head.i < end or t.head is t), None)


def _governing_subject(root: Token | None, start: int, end: int) -> Token | None:
    """The subject of the nearest verb above the span ("X argued in a memo that <span>"),
    whose ``root`` is its token with a head outside it."""
    if root is None or start <= root.head.i < end:
        return None
    head = root.head
    for _ in range(3):
        subject = next(
            (c for c in head.children if c.dep_ in _SUBJECTS and not start <= c.i < end), None
        )
        if subject is not None:
            return subject
        if head.head is head:
            return None
        head = head.head
    return None


def source_gaps(tokens: Span, sources: Sequence[Span]) -> list[tuple[int, str, Span]]:
    """(tokens between, side "L"/"R", run) of each source run outside the content ``tokens``,
    in the order of ``sources``."""
    start, end = tokens
    out = []
    for src in sources:
        if src[1] <= start:
            out.append((start - src[1], "L", src))
        elif src[0] >= end:
            out.append((src[0] - end, "R", src))
    return out


def phrase_head(doc: Doc, span: Span) -> Token:
    """The token of a mention whose head lies outside it."""
    return _root(doc, span[0], span[1]) or doc[span[1] - 1]


def link_options(
    doc: Doc,
    tokens: Span,
    ranges: Sequence[tuple[Span, Candidate]],
    sources: Sequence[Span],
    current: Span | None,
) -> list[LinkOption]:
    """Every possible source of the content at token range ``tokens``.

    ``ranges`` are the rule candidates with their token ranges, ``sources`` the token runs the
    tagger marked as source, ``current`` the source the plain rule would take.
    """
    start, end = tokens
    found: dict[Span | None, LinkOption] = {}

    def add(source: Span | None, frame: Candidate | None, feats: list[str]) -> None:
        option = found.setdefault(source, LinkOption(source, frame, []))
        if option.frame is None:
            option.frame = frame
        option.features.extend(feats)

    overlaps = ((overlap_f1(tokens, r), c) for r, c in ranges)
    frames = sorted(
        (f for f in overlaps if f[0] >= FRAME_OVERLAP), key=lambda f: (-f[0], -f[1].confidence)
    )
    for rank, (overlap, cand) in enumerate(frames[:4]):
        add(
            cand.source,
            cand,
            [
                "F",
                f"F|ov={_bucket(overlap, (0.4, 0.5, 0.6, 0.8, 1.0))}",
                f"F|conf={int(cand.confidence * 10)}",
                f"F|rule={cand.rule}",
                f"F|rank={rank}",
                f"F|rank+ov={rank}|{overlap >= 0.5}",
            ],
        )
    near = sorted(n for n in source_gaps(tokens, sources) if n[0] <= SOURCE_REACH)
    for rank, (gap, side, src) in enumerate(near[:4]):
        add(
            src,
            None,
            [
                "S",
                f"S|gap={_bucket(gap, (0, 1, 2, 4, 8, 15, 30))}{side}",
                f"S|rank={rank}",
                f"S|rank+side={rank}{side}",
                f"S|len={min(3, src[1] - src[0])}",
            ],
        )
    for tok in doc[start:end]:
        if tok.dep_ == "nsubj" and start <= tok.head.i < end:
            cls = lexicon_class(tok.head.lemma_.lower())
            if cls != "none":
                add(noun_phrase(tok), None, ["IN", f"IN|lex={cls}"])
    root = _root(doc, start, end)
    subject = _governing_subject(root, start, end)
    if subject is not None:
        key = next(
            (s for s in found if s is not None and s[0] <= subject.i < s[1]), noun_phrase(subject)
        )
        add(key, None, ["SYN", f"SYN|dep={subject.dep_}"])
    add(None, None, ["NONE", f"none|frames={min(len(frames), 3)}|near={min(len(near), 3)}"])
    for option in found.values():
        feats = list(dict.fromkeys(option.features))
        kinds = "+".join(sorted({f for f in feats if "|" not in f}))
        feats.append("types=" + kinds)
        if option.source is not None:
            feats += _source_features(doc, option.source, kinds, root, start)
        if option.source == current:
            feats += ["cur", "cur+types=" + kinds]
        option.features = feats
    return list(found.values())


def _source_features(
    doc: Doc, source: Span, kinds: str, root: Token | None, start: int
) -> list[str]:
    head = phrase_head(doc, source)
    verb_class = lexicon_class(head.head.lemma_.lower())
    governs = False
    if root is not None:
        tok = root
        for _ in range(4):
            if tok.head is tok:
                break
            tok = tok.head
            if tok.i == head.head.i:
                governs = True
                break
    same_sentence = doc[source[0]].sent.start == doc[start].sent.start
    feats = [
        f"h|pos={head.pos_}",
        f"h|ent={head.ent_type_}",
        f"h|dep={head.dep_}",
        f"h|types+pos={kinds}|{head.pos_}",
        f"h|hlex={verb_class}|{head.dep_}",
        f"h|hlex+types={verb_class}|{kinds}",
        f"gov={governs}|{head.dep_}",
        f"gov+types={governs}|{kinds}",
        f"samesent={same_sentence}",
        f"samesent+types={same_sentence}|{kinds}",
    ]
    if head.pos_ == "PRON":
        feats.append("h|pron=" + head.lower_)
    return feats


@dataclass
class SourceLinker:
    """Logistic weights over ``link_options`` features; the best-scored option wins."""

    weights: dict[str, float]
    bias: float

    def score(self, option: LinkOption) -> float:
        return self.bias + sum(self.weights.get(f, 0.0) for f in option.features)

    def pick(self, options: Sequence[LinkOption]) -> LinkOption:
        # Ties go to the earlier option: frames first, then source tokens, then nobody.
        return max(options, key=self.score)

    def to_json(self) -> dict[str, Any]:
        return {"bias": self.bias, "weights": dict(sorted(self.weights.items()))}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> SourceLinker:
        return cls(
            weights={str(k): float(v) for k, v in data["weights"].items()},
            bias=float(data["bias"]),
        )
