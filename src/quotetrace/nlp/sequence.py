"""A token tagger that finds the reports no rule frame proposes, and their sources.

The candidates of the rules are one view of a text: a cue, a frame, a span. Many reports in
news have no frame the rules know ("The plan drew fire across the aisle", a content that
runs over three sentences of a transcript). PolNeAR marks every token as content, source,
cue or nothing, so a linear-chain CRF can learn those marks directly. It reads the parse
(words, tags, dependencies, the lexicon class of heads and ancestors, quotation marks) and
the rule candidates with the learned model's scores ("inside a candidate scored 0.8, at its
first token"), and tags each token:

    B / I   content begins / continues     S   source     C   cue     O   none

Its content spans that no kept candidate already covers are added as attributions (rule
``sequence``), with the mean marginal probability of their tags as confidence. A span's
source is chosen by the learned ``SourceLinker`` (``source_linker.py``) among the sources of
rule candidates over the same words, the tokens tagged S nearby, the subject of the verb that
governs the span and a speaker inside it; a model without a linker takes the covering
candidate's source, or else the nearest tokens tagged S.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import numpy as np
from spacy.tokens import Doc

from .candidates import Candidate, overlap_f1
from .cues import lexicon_class
from .quote_marks import QuoteRegion, find_quote_regions, kind_of
from .source_linker import SourceLinker, link_options, phrase_head, source_gaps

__all__ = [
    "SequenceTagger",
    "TaggedSpan",
    "fit_calibration",
    "gold_tags",
    "token_features",
    "token_range",
    "train_tagger",
]

Span = tuple[int, int]
# The rule candidates whose words overlap a tagged span this much give it their source.
LINK_OVERLAP = 0.5
# A tagged span without such a candidate takes S tokens at most this many tokens away.
SOURCE_WINDOW = 20
# Tagged spans this similar to a kept candidate are the same report.
SAME_REPORT = 0.3


_BUCKETS = tuple(str(k) for k in range(10))


def _bucket(p: float) -> str:
    k = int(p * 10)
    return _BUCKETS[k] if 0 <= k <= 9 else str(min(9, k))


def _in_quotes(all_regions: list[QuoteRegion], starts_at: np.ndarray) -> np.ndarray:
    """Per token (by its start offset): inside a quotation of speech? The last region that
    starts at or before the token decides, as a bisect over the region starts would."""
    regions = [r for r in all_regions if r.is_speech]
    if not regions:
        return np.zeros(len(starts_at), dtype=bool)
    starts = np.array([r.inner_start for r in regions], dtype=np.int64)
    ends = np.array([r.inner_end for r in regions], dtype=np.int64)
    j = np.searchsorted(starts, starts_at, side="right") - 1
    at = np.maximum(j, 0)
    return (j >= 0) & (starts[at] <= starts_at) & (starts_at < ends[at])


# A candidate on a token: its score, where the token is in it, its rule, and what its
# features say of it: (where, rule, score bucket), the same for every token in that place.
_Cover = tuple[float, str, str, tuple[str, str, str]]


def _cover(p: float, where: str, rule: str, bucket: str) -> _Cover:
    return (p, where, rule, (where, rule, bucket))


def _coverage(doc: Doc, cands: Sequence[Candidate]) -> list[list[_Cover]]:
    """Per token, the candidates touching it (see ``_Cover``)."""
    cov: list[list[_Cover]] = [[] for _ in range(len(doc))]
    for cand in cands:
        span = doc.char_span(cand.content[0], cand.content[1], alignment_mode="expand")
        if span is None or not len(span):
            continue
        p, rule = cand.confidence, cand.rule
        b = _bucket(p)
        first, inner, last = (_cover(p, where, rule, b) for where in ("B", "I", "L"))
        for i in range(span.start, span.end):
            cov[i].append(first if i == span.start else (last if i == span.end - 1 else inner))
        if span.end < len(doc):
            cov[span.end].append(_cover(p, "after", rule, b))
        if span.start > 0:
            cov[span.start - 1].append(_cover(p, "before", rule, b))
        for part, where in ((cand.cue, "cue"), (cand.source, "src")):
            if part is not None:
                placed = _cover(p, where, rule, b)
                for i in range(part[0], part[1]):
                    cov[i].append(placed)
    return cov


# A feature is a ``str`` for training and the tests, and its UTF-8 ``bytes`` for tagging:
# pycrfsuite encodes every ``str`` it is given, and an article gives it some 14,000 of them
# per 500 tokens; encoded once per distinct string here, the tagger copies the bytes as they are.
Feature = TypeVar("Feature", bound=str | bytes)


def _same(name: str) -> str:
    return name


def _utf8(name: str) -> bytes:
    return name.encode("utf-8")


def token_features(
    doc: Doc, cands: Sequence[Candidate], regions: list[QuoteRegion] | None = None
) -> list[list[str]]:
    """One list of feature names per token: the token, its parse, and the candidates on it.

    This runs on every token of every article, so it is built column by column: each
    feature string is formatted once per distinct value in the article (numpy maps the
    tokens to their values), never through a Token object, and a token's list is joined
    from ready-made pieces. The names and their order are the model's: training
    (``gold_tags``, ``train_tagger``) and tagging read the same lists.
    """
    return _token_features(doc, cands, regions, _same)


def _token_features(
    doc: Doc,
    cands: Sequence[Candidate],
    regions: list[QuoteRegion] | None,
    form: Callable[[str], Feature],
) -> list[list[Feature]]:
    """``token_features`` with every name passed through ``form`` (``str`` or UTF-8)."""
    n = len(doc)
    if not n:
        return []
    cols = doc.to_array(
        ["LOWER", "POS", "TAG", "DEP", "LEMMA", "HEAD", "SENT_START", "IDX", "IS_SPACE"]
    )
    strings = doc.vocab.strings
    low_names, low_of = _distinct(cols[:, 0], strings)
    pos_names, pos_of = _distinct(cols[:, 1], strings)
    tag_names, tag_of = _distinct(cols[:, 2], strings)
    dep_names, dep_of = _distinct(cols[:, 3], strings)
    lemma_names, lemma_of = _distinct(cols[:, 4], strings)
    # Heads are offsets, stored unsigned: read them back as signed.
    head = np.arange(n) + cols[:, 5].astype("int64")
    lex_names = [lexicon_class(lem.lower()) for lem in lemma_names]
    head_lemma_of = lemma_of[head]
    if regions is None:
        regions = find_quote_regions(doc.text)
    quoted = _in_quotes(regions, cols[:, 7].astype(np.int64)).astype(np.int64)

    def each(prefix: str, names: list[str], index: np.ndarray) -> list[Feature]:
        return _each(prefix, names, index, form)

    q_names = ["False", "True"]
    w_f = each("w=", low_names, low_of)
    pos_f = each("pos=", pos_names, pos_of)
    dep_f = each("dep=", dep_names, dep_of)
    n_dep = len(dep_names)
    dep_pair = dep_of * n_dep + dep_of[head]
    parse_f = list(
        zip(
            w_f,
            pos_f,
            each("tag=", tag_names, tag_of),
            dep_f,
            each("hlemma=", [x.lower() for x in lemma_names], head_lemma_of),
            each("lex=", lex_names, lemma_of),
            each("hlex=", lex_names, head_lemma_of),
            _pairs(dep_pair, n_dep, dep_names, form),
            each("q=", q_names, quoted),
            strict=True,
        )
    )
    anc = _ancestor_features(head, dep_of, dep_names, _lex_index(lex_names, lemma_of), form)
    flag_sets = [tuple(form(x) for x in flags) for flags in _FLAG_SETS]
    flags = _flags(cols[:, 6] == 1, cols[:, 8].astype(bool), flag_sets)
    # A token's coverage features come from the two best candidates on it; tokens with the
    # same two (in place, rule and score bucket) share them, made once.
    covered: dict[Any, tuple[tuple[Feature, ...], tuple[Feature, Feature, Feature, Feature]]] = {}
    cov_f: list[tuple[Feature, ...]] = []
    cover: list[tuple[Feature, Feature, Feature, Feature]] = []  # cov0=... from -2, -1, 1, 2
    for entries in _coverage(doc, cands):
        if len(entries) > 1:
            top = sorted(entries, reverse=True)
            key: Any = (top[0][3], top[1][3])
        else:
            key = entries[0][3] if entries else None
        made = covered.get(key)
        if made is None:
            if key is None:
                marks: list[tuple[str, str, str]] = []
            else:
                marks = [key] if len(entries) == 1 else list(key)
            feats_of, brief = _coverage_features(marks)
            made = covered[key] = (
                tuple(form(x) for x in feats_of),
                (form("-2:" + brief), form("-1:" + brief), form("1:" + brief), form("2:" + brief)),
            )
        cov_f.append(made[0])
        cover.append(made[1])
    # What the neighbours show: the next tokens in full, those two away in brief.
    c_2, c_1, c1, c2 = (list(c) for c in zip(*cover, strict=True))

    def in_full(at: str, brief: list[Feature]) -> Any:
        # a neighbour's word, tag, dependency, quote flags and coverage, seen from ``at``
        return zip(
            each(at + ":w=", low_names, low_of),
            each(at + ":pos=", pos_names, pos_of),
            each(at + ":dep=", dep_names, dep_of),
            each(at + ":q=", q_names, quoted),
            brief,
            strict=True,
        )

    before1, after1 = in_full("-1", c_1), in_full("1", c1)
    before2 = zip(each("-2:pos=", pos_names, pos_of), c_2, strict=True)
    after2 = zip(each("2:pos=", pos_names, pos_of), c2, strict=True)
    # Token i sees token i - 2 .. i + 2; past either end, a pad.
    edge = min(2, n)
    seen_2 = [(form("-2:pad"),)] * edge + list(before2)[: n - edge]
    seen_1 = [(form("-1:pad"),), *list(before1)[: n - 1]]
    seen1 = [*list(after1)[1:], (form("1:pad"),)]
    seen2 = list(after2)[2:] + [(form("2:pad"),)] * edge
    return [
        [*p, *f, *a, *c, *m2, *m1, *p1, *p2]
        for p, f, a, c, m2, m1, p1, p2 in zip(
            parse_f, flags, anc, cov_f, seen_2, seen_1, seen1, seen2, strict=True
        )
    ]


_FLAG_SETS = tuple(
    tuple(
        name
        for bit, name in zip((4, 2, 1), ("sent-start", "sent-end", "para-end"), strict=True)
        if code & bit
    )
    for code in range(8)
)


def _flags(
    sent_start: np.ndarray, space: np.ndarray, sets: list[tuple[Feature, ...]]
) -> list[tuple[Feature, ...]]:
    """Per token: "sent-start" (also the first token), "sent-end" (the next starts a
    sentence), "para-end" (the next is a space token: the parse keeps line breaks)."""
    starts = sent_start.copy()
    starts[0] = True
    ends = np.zeros_like(starts)
    ends[:-1] = sent_start[1:]
    para = np.zeros_like(starts)
    para[:-1] = space[1:]
    codes = starts.astype(np.int64) * 4 + ends * 2 + para
    return [sets[k] for k in codes.tolist()]


def _distinct(column: np.ndarray, strings: Any) -> tuple[list[str], np.ndarray]:
    """The distinct strings of an attribute column, and each token's index among them."""
    keys, index = np.unique(column, return_inverse=True)
    return [strings[k] if k else "" for k in keys.tolist()], index.reshape(-1)


def _each(
    prefix: str, names: list[str], index: np.ndarray, form: Callable[[str], Feature]
) -> list[Feature]:
    """``prefix + names[index[i]]`` for every token, each distinct string made once."""
    made = np.array([form(prefix + x) for x in names], dtype=object)
    return made[index].tolist()  # type: ignore[no-any-return]


def _pairs(
    codes: np.ndarray, width: int, names: list[str], form: Callable[[str], Feature]
) -> list[Feature]:
    """``dep+hdep=<own>|<head's>`` for every token, from ``own * width + head's`` codes."""
    keys, index = np.unique(codes, return_inverse=True)
    made = [form(f"dep+hdep={names[k // width]}|{names[k % width]}") for k in keys.tolist()]
    return np.array(made, dtype=object)[index.reshape(-1)].tolist()  # type: ignore[no-any-return]


def _lex_index(lex_names: list[str], lemma_of: np.ndarray) -> tuple[list[str], np.ndarray]:
    """The distinct lexicon classes, and each token's index among them."""
    classes = sorted(set(lex_names))
    of_lemma = np.array([classes.index(x) for x in lex_names], dtype=np.int64)
    return classes, of_lemma[lemma_of]


def _ancestor_features(
    head: np.ndarray,
    dep_of: np.ndarray,
    dep_names: list[str],
    lex: tuple[list[str], np.ndarray],
    form: Callable[[str], Feature],
) -> list[tuple[Feature, ...]]:
    """Per token, up to three ``anc=>dep>dep|lex`` features: the dependency path to the
    first, second and third ancestor and that ancestor's lexicon class (fewer near a root).

    Each step's (path, class) pairs are coded as integers, so a string is made once per
    distinct pair in the article and handed to the tokens by numpy indexing."""
    lex_names, lex_of = lex
    n = len(head)
    n_dep, n_lex = len(dep_names), len(lex_names)
    steps: list[list[Any]] = []
    node = np.arange(n)
    alive = np.ones(n, dtype=bool)
    depths = np.zeros(n, dtype=np.int64)
    path = np.zeros(n, dtype=np.int64)  # the deps so far, in base n_dep + 1 (0: none)
    paths = {0: ""}  # path code -> ">dep>dep", each made once from the one a step shorter
    for _ in range(3):
        up = head[node]
        alive &= up != node
        if not alive.any():
            break
        depths += alive
        path = path * (n_dep + 1) + dep_of[node] + 1
        node = up
        codes = np.where(alive, path * n_lex + lex_of[node], -1)
        keys, index = np.unique(codes, return_inverse=True)
        made: list[Any] = []
        for k in keys.tolist():
            if k < 0:
                made.append(None)
                continue
            code, klass = divmod(k, n_lex)
            made.append(form(f"anc={_path_name(code, n_dep, dep_names, paths)}|{lex_names[klass]}"))
        steps.append(np.array(made, dtype=object)[index.reshape(-1)].tolist())
    if not steps:
        return [()] * n
    # A token near the root has fewer steps: only its first ``depth`` are features.
    return [t[:k] for t, k in zip(zip(*steps, strict=True), depths.tolist(), strict=True)]


def _path_name(code: int, n_dep: int, dep_names: list[str], paths: dict[int, str]) -> str:
    """``>dep>dep`` of a path code (its last step is the lowest digit), via ``paths``."""
    name = paths.get(code)
    if name is None:
        up, d = divmod(code, n_dep + 1)
        name = paths[code] = _path_name(up, n_dep, dep_names, paths) + ">" + dep_names[d - 1]
    return name


def _coverage_features(marks: list[tuple[str, str, str]]) -> tuple[tuple[str, ...], str]:
    """A token's features from the two best candidates on it, as (where, rule, score bucket)
    best first, and its brief ``cov0=``."""
    if not marks:
        return ("cov=none",), "cov0=none"
    feats: list[str] = []
    cover = ""
    for rank, (where, rule, b) in enumerate(marks[:2]):
        feats += [f"cov{rank}={where}|{b}", f"cov{rank}r={where}|{rule}"]
        if rank == 0:
            feats.append(f"cov0rp={where}|{rule}|{b}")
            cover = f"cov0={where}|{b}"
    return tuple(feats), cover


def gold_tags(
    doc: Doc, gold: Sequence[tuple[Span, Span | None]], cues: Sequence[Span | None]
) -> list[str]:
    """The tag of every token from gold (content, source) and cue character spans."""
    tags = ["O"] * len(doc)
    for (start, end), _ in gold:
        span = doc.char_span(start, end, alignment_mode="expand")
        if span is not None:
            for i in range(span.start, span.end):
                tags[i] = "B" if i == span.start else "I"
    # Content wins: a frame inside an interrupted quotation is part of the content.
    for part, tag in [(s, "S") for _, s in gold] + [(c, "C") for c in cues]:
        if part is None:
            continue
        span = doc.char_span(part[0], part[1], alignment_mode="expand")
        if span is not None:
            for i in range(span.start, span.end):
                if tags[i] == "O":
                    tags[i] = tag
    return tags


def train_tagger(
    sequences: Iterable[tuple[list[list[str]], list[str]]],
    path: Path,
    *,
    c1: float = 0.05,
    c2: float = 0.1,
    max_iterations: int = 150,
) -> None:
    """Fit the CRF by L-BFGS (no random state: the same data gives the same file)."""
    import pycrfsuite

    trainer = pycrfsuite.Trainer(verbose=False)
    for feats, tags in sequences:
        trainer.append(feats, tags)
    trainer.set_params(
        {
            "c1": c1,
            "c2": c2,
            "max_iterations": max_iterations,
            "feature.possible_transitions": True,
        }
    )
    trainer.train(str(path))


@dataclass
class TaggedSpan:
    """A content span the tagger found: characters, tokens, and its mean tag probability."""

    content: Span
    tokens: Span
    confidence: float


def token_range(doc: Doc, span: Span) -> Span:
    """Token range of a character span, for overlap in words."""
    found = doc.char_span(span[0], span[1], alignment_mode="expand")
    return (found.start, found.end) if found is not None else (0, 0)


class SequenceTagger:
    """A trained CRF (``attributor-v2.crf``) that adds the reports the candidates miss."""

    def __init__(
        self,
        model: bytes,
        threshold: float,
        calibration: tuple[float, float] | None = None,
        linker: SourceLinker | None = None,
    ) -> None:
        self.model = model
        # On the mean tag probability: spans below it are not reported.
        self.threshold = threshold
        # (a, b): a span's confidence is sigmoid(a * p + b), fitted on dev to how often spans
        # of mean tag probability p were right; tag probabilities alone are overconfident.
        self.calibration = calibration
        # Chooses an added span's source among its options; without it, the covering
        # candidate's source or else the nearest source tokens.
        self.linker = linker
        self._tagger: Any = None

    def __getstate__(self) -> dict[str, Any]:
        state = dict(self.__dict__)
        state["_tagger"] = None
        return state

    def confidence(self, p: float) -> float:
        """How likely a span of mean tag probability ``p`` is a report."""
        if self.calibration is None:
            return p
        a, b = self.calibration
        return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, a * p + b))))

    def _open(self) -> Any:
        if self._tagger is None:
            import pycrfsuite

            tagger = pycrfsuite.Tagger()
            tagger.open_inmemory(self.model)
            self._tagger = tagger
        return self._tagger

    def tag(
        self, doc: Doc, cands: Sequence[Candidate], regions: list[QuoteRegion] | None = None
    ) -> tuple[list[TaggedSpan], list[Span]]:
        """Content spans with their confidence, and the source token spans.

        ``regions`` are ``find_quote_regions(doc.text)`` when the caller has them already.
        """
        if not len(doc):
            return [], []
        tagger = self._open()
        tagger.set(_token_features(doc, cands, regions, _utf8))
        tags = tagger.tag()
        spans: list[TaggedSpan] = []
        sources: list[Span] = []
        i = 0
        while i < len(tags):
            tag = tags[i]
            j = i + 1
            if tag in ("B", "I"):
                while j < len(tags) and tags[j] == "I":
                    j += 1
                a, b = i, j
                while b > a and (doc[b - 1].is_punct or doc[b - 1].is_space):
                    b -= 1
                while a < b and (doc[a].is_punct or doc[a].is_space):
                    a += 1
                if b > a:
                    p = sum(tagger.marginal(tags[k], k) for k in range(a, b)) / (b - a)
                    last = doc[b - 1]
                    spans.append(TaggedSpan((doc[a].idx, last.idx + len(last.text)), (a, b), p))
            elif tag == "S":
                while j < len(tags) and tags[j] == "S":
                    j += 1
                sources.append((i, j))
            i = j
        return spans, sources

    def add_reports(
        self,
        doc: Doc,
        kept: list[Candidate],
        proposed: Sequence[Candidate],
        tagged: tuple[list[TaggedSpan], list[Span]] | None = None,
        threshold: float | None = None,
        *,
        text: str | None = None,
        regions: list[QuoteRegion] | None = None,
    ) -> list[Candidate]:
        """``kept`` and the tagged spans it misses, each linked to a source.

        ``tagged`` is ``tag(doc, proposed)`` when the caller has it already (training tries
        many thresholds on one tagging); ``threshold`` overrides the tuned one. ``text`` is
        ``doc.text`` and ``regions`` its ``find_quote_regions``, when the caller has them.
        """
        text = doc.text if text is None else text  # spaCy rebuilds it on every access
        if regions is None:  # for the tagger's features and the added kinds
            regions = find_quote_regions(text)
        tagged = tagged if tagged is not None else self.tag(doc, proposed, regions)
        spans = self.new_spans(doc, kept, tagged[0], threshold)
        # Only spans to link need the candidates' token ranges: most articles add none.
        ranges = [(token_range(doc, c.content), c) for c in proposed] if spans else []
        added: list[Candidate] = []
        for span in spans:
            cand = self._linked(doc, span, ranges, tagged[1])
            cand.kind = kind_of(cand.content, regions, text)
            added.append(cand)
        return sorted(kept + added, key=lambda c: c.content)

    def new_spans(
        self,
        doc: Doc,
        kept: Sequence[Candidate],
        spans: Sequence[TaggedSpan],
        threshold: float | None = None,
    ) -> list[TaggedSpan]:
        """The tagged spans confident enough that no kept candidate (or earlier span) covers."""
        limit = self.threshold if threshold is None else threshold
        taken = [token_range(doc, c.content) for c in kept]
        out = []
        for span in spans:
            if span.confidence < limit:
                continue
            if any(overlap_f1(span.tokens, t) >= SAME_REPORT for t in taken):
                continue
            out.append(span)
            taken.append(span.tokens)
        return out

    def _linked(
        self,
        doc: Doc,
        span: TaggedSpan,
        ranges: list[tuple[Span, Candidate]],
        sources: list[Span],
    ) -> Candidate:
        cand = self.plain_link(span, ranges, sources)
        if self.linker is None:
            return cand
        choice = self.linker.pick(link_options(doc, span.tokens, ranges, sources, cand.source))
        frame = choice.frame  # a rule candidate with this very source, if one proposed it
        source_head = None
        if frame is not None:
            source_head = frame.source_head
        elif choice.source is not None:
            source_head = phrase_head(doc, choice.source).i
        return Candidate(
            content=cand.content,
            source=choice.source,
            cue=frame.cue if frame is not None else None,
            rule="sequence",
            confidence=cand.confidence,
            source_head=source_head,
            cue_head=frame.cue_head if frame is not None else None,
        )

    def plain_link(
        self, span: TaggedSpan, ranges: list[tuple[Span, Candidate]], sources: list[Span]
    ) -> Candidate:
        """The span with the source of the candidate over the same words, or else of the
        nearest source tokens."""
        confidence = self.confidence(span.confidence)
        best = max(
            ranges, key=lambda r: (overlap_f1(span.tokens, r[0]), r[1].confidence), default=None
        )
        if best is not None and overlap_f1(span.tokens, best[0]) >= LINK_OVERLAP:
            frame = best[1]
            return Candidate(
                content=span.content,
                source=frame.source,
                cue=frame.cue,
                rule="sequence",
                confidence=confidence,
                source_head=frame.source_head,
                cue_head=frame.cue_head,
            )
        # The first of the nearest runs, in document order.
        nearest = min(
            (g for g in source_gaps(span.tokens, sources) if g[0] <= SOURCE_WINDOW),
            key=lambda g: g[0],
            default=None,
        )
        source = nearest[2] if nearest is not None else None
        return Candidate(
            content=span.content,
            source=source,
            cue=None,
            rule="sequence",
            confidence=confidence,
            source_head=source[1] - 1 if source is not None else None,
        )


def fit_calibration(points: Sequence[tuple[float, int]]) -> tuple[float, float]:
    """Platt scaling: (a, b) of the logistic curve through (tag probability, was right) points.

    Newton's method from zero on the two parameters, with a small ridge (so that points of
    one class only still give a finite answer) and steps no longer than 5; deterministic.
    """
    ridge = 1e-2
    a = b = 0.0
    for _ in range(100):
        ga, gb = ridge * a, ridge * b
        haa, hab, hbb = ridge, 0.0, ridge
        for x, y in points:
            q = 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, a * x + b))))
            ga += (q - y) * x
            gb += q - y
            w = q * (1.0 - q)
            haa += w * x * x
            hab += w * x
            hbb += w
        det = haa * hbb - hab * hab
        da = (hbb * ga - hab * gb) / det
        db = (haa * gb - hab * ga) / det
        step = max(abs(da), abs(db))
        if step > 5.0:
            da, db = da * 5.0 / step, db * 5.0 / step
        a, b = a - da, b - db
        if step < 1e-9:
            break
    return a, b
