"""Training the v2 attribution model from attribution JSONL (FORMAT.md) with gold spans.

    quotetrace train --train polnear/train.jsonl --dev polnear/dev.jsonl --out model/

1. Parse every training article once and let the open-vocabulary rules propose candidates.
2. Label each candidate by matching it one-to-one against the gold attributions: a candidate
   is right when its content overlaps a gold content with word-overlap F1 >= 0.5 (the partial
   match of the shared scorer).
3. Fit an L2-regularised logistic regression (L-BFGS, deterministic: no random state at all).
4. Choose the decision threshold that maximises end-to-end F1 on the dev set only.

Only weights are written; no training text ever leaves the training run.
"""

from __future__ import annotations

import bisect
import re
import time
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import ConfigError
from ..ingest import iter_articles
from ..models import Article
from .extractor import Candidate
from .learned import (
    FEATURE_VERSION,
    PACKAGED_WEIGHTS,
    SEQUENCE_FILE,
    AttributionModel,
    LearnedAttributor,
    candidate_features,
    keep_confident,
    overlap_f1,
)
from .sequence import (
    SequenceTagger,
    TaggedSpan,
    fit_calibration,
    gold_tags,
    token_features,
    token_range,
    train_tagger,
)
from .source_linker import SourceLinker, link_options

__all__ = ["GoldDoc", "TrainingReport", "evaluate_candidates", "fit_logistic", "train_model"]

_WORD = re.compile(r"\w+")
Span = tuple[int, int]


@dataclass
class GoldDoc:
    """One article with its gold (content, source) spans and, in the same order, its cues."""

    article: Article
    gold: list[tuple[Span, Span | None]]
    cues: list[Span | None] = field(default_factory=list)


@dataclass
class TrainingReport:
    examples: int
    positives: int
    features: int
    threshold: float
    dev: dict[str, float]
    seconds: float


def read_gold(path: str) -> list[GoldDoc]:
    """Articles and their gold attributions; the text stays in memory only."""
    import json

    docs: list[GoldDoc] = []
    records = {}
    with open(path, encoding="utf-8") as handle:
        for line in handle:
            if line.strip():
                rec = json.loads(line)
                records[str(rec["doc_id"])] = rec
    for article in iter_articles([path]):
        rec = records[article.doc_id]
        gold = []
        cues: list[Span | None] = []
        for att in rec.get("attributions") or []:
            content = att.get("content")
            if not content:
                continue
            source, cue = att.get("source"), att.get("cue")
            src = (int(source[0]), int(source[1])) if source else None
            gold.append(((int(content[0]), int(content[1])), src))
            cues.append((int(cue[0]), int(cue[1])) if cue else None)
        docs.append(GoldDoc(article, gold, cues))
    if not docs:
        raise ConfigError(f"{path} has no articles", "give attribution JSONL per FORMAT.md")
    return docs


class _Words:
    """Word-token ranges of a text, to compare spans the way the shared scorer does."""

    def __init__(self, text: str) -> None:
        spans = [m.span() for m in _WORD.finditer(text)]
        self.starts = [s for s, _ in spans]
        self.ends = [e for _, e in spans]

    def range(self, span: Span) -> Span:
        i = bisect.bisect_right(self.ends, span[0])
        j = bisect.bisect_left(self.starts, span[1])
        return (i, max(i, j))


def match(
    text: str, gold: Sequence[tuple[Span, Span | None]], predicted: Sequence[Span]
) -> list[tuple[int, int]]:
    """One-to-one pairs (gold index, predicted index), best word overlap first."""
    words = _Words(text)
    granges = [words.range(g[0]) for g in gold]
    pranges = [words.range(p) for p in predicted]
    pairs = []
    for gi, gr in enumerate(granges):
        for pi, pr in enumerate(pranges):
            f = overlap_f1(gr, pr)
            if f >= 0.5:
                pairs.append((-f, gi, pi))
    pairs.sort()
    used_g: set[int] = set()
    used_p: set[int] = set()
    out = []
    for _, gi, pi in pairs:
        if gi not in used_g and pi not in used_p:
            used_g.add(gi)
            used_p.add(pi)
            out.append((gi, pi))
    return out


def _source_ok(gold: Span | None, cand: Candidate, doc: Any) -> bool:
    return _same_source(gold, cand.source, doc)


def _same_source(gold: Span | None, source: Span | None, doc: Any) -> bool:
    """Does the token span ``source`` share a character with the gold source (or both none)?"""
    if source is None or gold is None:
        return gold is None and source is None
    first, last = doc[source[0]], doc[source[1] - 1]
    s, e = first.idx, last.idx + len(last.text)
    return bool(max(gold[0], s) < min(gold[1], e))


def fit_logistic(
    rows: list[list[int]], labels: list[int], n_features: int, l2: float
) -> tuple[list[float], float]:
    """L2-regularised logistic regression by L-BFGS; zero start, so the result is reproducible."""
    import numpy as np
    from scipy.optimize import minimize
    from scipy.sparse import csr_matrix

    indptr = [0]
    indices: list[int] = []
    for row in rows:
        indices.extend(row)
        indptr.append(len(indices))
    x = csr_matrix(
        (np.ones(len(indices)), np.array(indices, dtype=np.int64), np.array(indptr)),
        shape=(len(rows), n_features),
    )
    y = np.array(labels, dtype=np.float64)

    def loss(params: Any) -> tuple[float, Any]:
        w, b = params[:-1], params[-1]
        z = x @ w + b
        p = 1.0 / (1.0 + np.exp(-z))
        eps = 1e-12
        value = -np.sum(y * np.log(p + eps) + (1 - y) * np.log(1 - p + eps)) + 0.5 * l2 * w @ w
        grad_z = p - y
        grad = np.empty_like(params)
        grad[:-1] = x.T @ grad_z + l2 * w
        grad[-1] = grad_z.sum()
        return float(value), grad

    result = minimize(
        loss, np.zeros(n_features + 1), jac=True, method="L-BFGS-B", options={"maxiter": 500}
    )
    params = result.x
    return [float(v) for v in params[:-1]], float(params[-1])


def evaluate_candidates(
    scored: Iterable[tuple[GoldDoc, Any, list[Candidate]]],
    threshold: float,
    extend: Callable[[int, Any, list[Candidate], list[Candidate]], list[Candidate]] | None = None,
) -> dict[str, float]:
    """Partial-match and end-to-end P/R/F1 of scored candidates kept at ``threshold``.

    ``extend(i, doc, kept, candidates)`` may add to what document ``i`` keeps (the tagger).
    """
    n_gold = n_pred = tp = e2e = 0
    for n, (gdoc, doc, cands) in enumerate(scored):
        kept = keep_confident(doc, cands, threshold)
        if extend is not None:
            kept = extend(n, doc, kept, cands)
        pairs = match(gdoc.article.text, gdoc.gold, [c.content for c in kept])
        n_gold += len(gdoc.gold)
        n_pred += len(kept)
        tp += len(pairs)
        e2e += sum(_source_ok(gdoc.gold[gi][1], kept[pi], doc) for gi, pi in pairs)

    def prf(hits: int) -> tuple[float, float, float]:
        p = hits / n_pred if n_pred else 0.0
        r = hits / n_gold if n_gold else 0.0
        return p, r, (2 * p * r / (p + r) if p + r else 0.0)

    p, r, f = prf(tp)
    ep, er, ef = prf(e2e)
    return {"partial_p": p, "partial_r": r, "partial_f1": f, "e2e_p": ep, "e2e_r": er, "e2e_f1": ef}


def train_model(
    train_path: str,
    dev_path: str,
    out_dir: Path,
    *,
    l2_grid: Sequence[float] = (0.5, 1.0, 2.0, 4.0),
    mix_grid: Sequence[float] = (0.0, 0.25, 0.5, 0.75, 1.0),
    min_count: int = 2,
    model: str | None = None,
    cache_dir: Path | None = None,
    progress: Callable[[str], None] = lambda _msg: None,
    with_tagger: bool = True,
) -> TrainingReport:
    """Train, tune on dev, and write ``out_dir/attributor-v2.json``."""
    from .pipeline import load_pipeline, parse_cache_file

    started = time.perf_counter()
    l2 = l2_grid[0]
    # The v1 rules need no weights: training must not depend on a model it is replacing.
    nlp = load_pipeline(model, config={"attributor": {"@misc": "quotetrace.Attributor.v1"}})
    proposer = LearnedAttributor(AttributionModel({}, 0.0, 0.0))

    def parsed(path: str, docs: list[GoldDoc], what: str) -> list[Any]:
        """Parses of ``docs``, from ``cache_dir`` when the same corpus was parsed before."""
        from spacy.tokens import DocBin

        cached = None
        if cache_dir is not None:
            cached = parse_cache_file(cache_dir, what, path, nlp)
            if cached.exists():
                progress(f"{what}: parses from {cached}")
                return list(DocBin().from_disk(cached).get_docs(nlp.vocab))
        out = []
        texts = (d.article.text for d in docs)
        with nlp.select_pipes(disable=["quotetrace"]):
            for n, doc in enumerate(nlp.pipe(texts, batch_size=32), 1):
                out.append(doc)
                if n % 100 == 0:
                    progress(f"{what}: parsed {n}/{len(docs)} articles")
        if cached is not None:
            cached.parent.mkdir(parents=True, exist_ok=True)
            DocBin(docs=out).to_disk(cached)
        return out

    def parse(path: str, what: str) -> list[tuple[GoldDoc, Any, list[Candidate]]]:
        docs = read_gold(path)
        return [
            (g, d, proposer.rules(d)) for g, d in zip(docs, parsed(path, docs, what), strict=True)
        ]

    train = parse(train_path, "train")
    feats: list[list[str]] = []
    content_right: list[int] = []
    e2e_right: list[int] = []
    doc_rows: list[range] = []
    for gdoc, doc, cands in train:
        doc_rows.append(range(len(feats), len(feats) + len(cands)))
        pairs = match(gdoc.article.text, gdoc.gold, [c.content for c in cands])
        matched = {pi: gi for gi, pi in pairs}
        for i, cand in enumerate(cands):
            feats.append(candidate_features(doc, cand, gdoc.article.text))
            content_right.append(int(i in matched))
            e2e_right.append(int(i in matched and _source_ok(gdoc.gold[matched[i]][1], cand, doc)))
    counts = Counter(f for row in feats for f in set(row))
    vocab = sorted(f for f, c in counts.items() if c >= min_count)
    index = {f: i for i, f in enumerate(vocab)}
    rows = [sorted({index[f] for f in row if f in index}) for row in feats]
    dev = parse(dev_path, "dev")
    dev_feats = [
        [candidate_features(doc, c, g.article.text) for c in cands] for g, doc, cands in dev
    ]
    fitted, best_t, best = AttributionModel({}, 0.0, 0.5), 0.5, {"e2e_f1": -1.0, "partial_f1": 0.0}
    mix = 1.0
    # Two views of "right": the content matches (what partial F1 counts), and content and
    # source both match (end to end). One model is fitted for each; their logits are mixed,
    # which is again one linear model. The regularisation, the mix and the threshold are
    # chosen on dev, for the best sum of partial and end-to-end F1.
    for strength in l2_grid:
        progress(f"fitting {len(rows)} candidates x {len(vocab)} features, l2={strength}")
        w_content, b_content = fit_logistic(rows, content_right, len(vocab), strength)
        w_e2e, b_e2e = fit_logistic(rows, e2e_right, len(vocab), strength)
        for alpha in mix_grid:
            weights = [alpha * a + (1 - alpha) * b for a, b in zip(w_content, w_e2e, strict=True)]
            trial = AttributionModel(
                {f: round(w, 5) for f, w in zip(vocab, weights, strict=True) if abs(w) >= 1e-4},
                round(alpha * b_content + (1 - alpha) * b_e2e, 5),
                0.5,
            )
            for (_, _, cands), rows_feats in zip(dev, dev_feats, strict=True):
                for cand, f in zip(cands, rows_feats, strict=True):
                    cand.confidence = trial.probability(f)
            for step in range(10, 91):
                t = step / 100
                scores = evaluate_candidates(dev, t)
                if scores["e2e_f1"] + scores["partial_f1"] > best["e2e_f1"] + best["partial_f1"]:
                    fitted, best_t, best, l2, mix = trial, t, scores, strength, alpha
    fitted.threshold = best_t
    if with_tagger:
        rows_right = (rows, content_right, e2e_right)
        _score_out_of_fold(train, feats, doc_rows, rows_right, vocab, l2, mix, progress)
        for (_, _, cands), rows_feats in zip(dev, dev_feats, strict=True):
            for cand, f in zip(cands, rows_feats, strict=True):
                cand.confidence = fitted.probability(f)
        best = _fit_tagger(train, dev, fitted, out_dir, best, progress)
    seconds = time.perf_counter() - started
    fitted.meta = {
        "train": Path(train_path).name,
        "dev": Path(dev_path).name,
        "examples": len(rows),
        "positives": sum(content_right),
        "positives_end_to_end": sum(e2e_right),
        "mix": mix,
        "l2": l2,
        "l2_grid": list(l2_grid),
        "min_count": min_count,
        "feature_version": FEATURE_VERSION,
        "dev_scores": {k: round(v, 4) for k, v in best.items()},
        "tagger": with_tagger,
    }  # no timings: the same data must give a byte-identical file
    out_dir.mkdir(parents=True, exist_ok=True)
    fitted.save(out_dir / PACKAGED_WEIGHTS)
    return TrainingReport(len(rows), sum(content_right), len(fitted.weights), best_t, best, seconds)


Scored = list[tuple[GoldDoc, Any, list[Candidate]]]


def _score_out_of_fold(
    train: Scored,
    feats: list[list[str]],
    doc_rows: list[range],
    rows_right: tuple[list[list[int]], list[int], list[int]],
    vocab: list[str],
    l2: float,
    mix: float,
    progress: Callable[[str], None],
) -> None:
    """Score each half of the training articles with a model fitted on the other half.

    The tagger learns how far to trust a candidate's score; scores from a model that saw the
    same article would teach it to trust them too much.
    """
    rows, content_right, e2e_right = rows_right
    half = len(train) // 2
    for held in (range(0, half), range(half, len(train))):
        progress(f"tagger: scoring articles {held.start}-{held.stop - 1} out of fold")
        fit = [i for d in range(len(train)) if d not in held for i in doc_rows[d]]
        sub_rows = [rows[i] for i in fit]
        w_content, b_content = fit_logistic(
            sub_rows, [content_right[i] for i in fit], len(vocab), l2
        )
        w_e2e, b_e2e = fit_logistic(sub_rows, [e2e_right[i] for i in fit], len(vocab), l2)
        weights = {
            f: mix * a + (1 - mix) * b for f, a, b in zip(vocab, w_content, w_e2e, strict=True)
        }
        model = AttributionModel(weights, mix * b_content + (1 - mix) * b_e2e, 0.5)
        for d in held:
            for cand, i in zip(train[d][2], doc_rows[d], strict=True):
                cand.confidence = model.probability(feats[i])


def _fit_tagger(
    train: Scored,
    dev: Scored,
    fitted: AttributionModel,
    out_dir: Path,
    scores: dict[str, float],
    progress: Callable[[str], None],
) -> dict[str, float]:
    """Train the token tagger, then tune both thresholds on dev; keep it only if it helps."""
    out_dir.mkdir(parents=True, exist_ok=True)
    path = out_dir / SEQUENCE_FILE
    progress("tagger: fitting the CRF over the training articles' tokens")
    train_tagger(_tagged_tokens(train), path)
    tagger = SequenceTagger(path.read_bytes(), 0.5)
    tagger.linker = _fit_linker(train, fitted.threshold, out_dir, progress)
    progress("tagger: tuning the thresholds on dev")
    tagged = [tagger.tag(doc, cands) for _, doc, cands in dev]
    best = scores
    best_pair: tuple[float, float | None] = (fitted.threshold, None)
    for t_cand in [round(fitted.threshold + k / 100, 2) for k in range(-10, 11, 2)]:
        for t_seq in [k / 100 for k in range(50, 100, 5)]:

            def extend(
                i: int, doc: Any, kept: list[Candidate], cands: list[Candidate], t: float = t_seq
            ) -> list[Candidate]:
                return tagger.add_reports(doc, kept, cands, tagged[i], t)

            trial = evaluate_candidates(dev, t_cand, extend)
            if trial["e2e_f1"] + trial["partial_f1"] > best["e2e_f1"] + best["partial_f1"]:
                best, best_pair = trial, (t_cand, t_seq)
    fitted.threshold, chosen = best_pair
    if chosen is None:
        path.unlink()  # the candidates alone did better on dev: no tagger ships
        return best
    tagger.threshold = chosen
    tagger.calibration = fit_calibration(_tagged_outcomes(dev, fitted.threshold, tagger, tagged))
    fitted.sequence = tagger
    return best


def _tagged_tokens(
    train: Scored, held: range = range(0)
) -> Iterable[tuple[list[list[str]], list[str]]]:
    """The tagger's training sequences: token features and gold tags, ``held`` left out."""
    for k, (gdoc, doc, cands) in enumerate(train):
        if k not in held:
            yield token_features(doc, cands), gold_tags(doc, gdoc.gold, gdoc.cues)


# The spans out-of-fold taggers add from this mean tag probability on teach the linker: more
# than the tuned threshold lets through, so that it sees enough of them.
LINKER_SPANS_FROM = 0.5


def _fit_linker(
    train: Scored, threshold: float, out_dir: Path, progress: Callable[[str], None]
) -> SourceLinker | None:
    """The source linker, fitted on the spans out-of-fold taggers add to the training articles.

    A tagger tags the articles it learned from too well; the spans a tagger trained on the
    other half adds look like those it adds to new text. None when there are too few.
    """
    if len(train) < 4:
        return None
    half = len(train) // 2
    examples: list[list[str]] = []
    labels: list[int] = []
    for held in (range(0, half), range(half, len(train))):
        progress(f"linker: tagging articles {held.start}-{held.stop - 1} out of fold")
        path = out_dir / f"linker-fold-{held.start}.crf"
        train_tagger(_tagged_tokens(train, held), path)
        fold = SequenceTagger(path.read_bytes(), LINKER_SPANS_FROM)
        path.unlink()
        for k in held:
            gdoc, doc, cands = train[k]
            spans, sources = fold.tag(doc, cands)
            kept = keep_confident(doc, cands, threshold)
            added = fold.new_spans(doc, kept, spans)
            if not added:
                continue  # most articles: no span to link, so no ranges or matching needed
            contents = [c.content for c in kept] + [s.content for s in added]
            gold_of = {pi: gi for gi, pi in match(gdoc.article.text, gdoc.gold, contents)}
            ranges = [(token_range(doc, c.content), c) for c in cands]
            for j, span in enumerate(added):
                gi = gold_of.get(len(kept) + j)
                if gi is None:
                    continue  # not a report: no source to learn
                current = fold.plain_link(span, ranges, sources).source
                options = link_options(doc, span.tokens, ranges, sources, current)
                right = [int(_same_source(gdoc.gold[gi][1], o.source, doc)) for o in options]
                if any(right):
                    examples.extend(o.features for o in options)
                    labels.extend(right)
    if not labels:
        return None
    progress(f"linker: fitting {len(labels)} source options")
    vocab = sorted({f for row in examples for f in row})
    index = {f: i for i, f in enumerate(vocab)}
    rows = [sorted({index[f] for f in row}) for row in examples]
    weights, bias = fit_logistic(rows, labels, len(vocab), 1.0)
    return SourceLinker(
        {f: round(w, 5) for f, w in zip(vocab, weights, strict=True) if abs(w) >= 1e-4},
        round(bias, 5),
    )


def _tagged_outcomes(
    dev: Scored,
    threshold: float,
    tagger: SequenceTagger,
    tagged: list[tuple[list[TaggedSpan], list[Span]]],
) -> list[tuple[float, int]]:
    """(mean tag probability, content matched a gold one) of every span the tagger adds."""
    points = []
    for (gdoc, doc, cands), found in zip(dev, tagged, strict=True):
        final = tagger.add_reports(doc, keep_confident(doc, cands, threshold), cands, found)
        right = {pi for _, pi in match(gdoc.article.text, gdoc.gold, [c.content for c in final])}
        by_content = {s.content: s.confidence for s in found[0]}
        for i, cand in enumerate(final):
            if cand.rule == "sequence" and cand.content in by_content:
                points.append((by_content[cand.content], int(i in right)))
    return points
