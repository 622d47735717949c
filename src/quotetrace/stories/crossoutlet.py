"""Stories and alignment on real cross-outlet reporting: ``make eval``'s crossoutlet step.

    python -m quotetrace.stories.crossoutlet [--data DIR] [--json] [--fit]

The data is ``../shared/data/crossoutlet`` (six real stories, four outlets each, 56
same-statement groups; see its README): it is read, never copied into the project. Three
figures, each scored by the shared scorer (``../shared/eval/score_stories.py``, imported, not
copied) on a prediction in the shape ``quotetrace stories --format json`` prints:

* ``gold statements``: alignment alone, on the gold statements of each gold story, each
  carrying the speaker the extractor gave the statement it found there (or none): speaker
  errors stay in, extraction errors do not;
* ``end to end``: the texts without their attributions, extracted by the spaCy pipeline,
  clustered into stories and aligned - what ``quotetrace ingest`` then ``quotetrace stories``
  gives;
* each twice: **leave-one-story-out** (the story scored by a model fitted and tuned on the
  other five, plus the project's fixture stories) and **in-sample** (the shipped model, fitted
  on all six). The first is the honest figure; the second shows how much tuning flatters.

``--fit`` refits the shipped weights (``weights/alignment.json``) for both modes.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import sys
import tempfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from itertools import combinations, product
from pathlib import Path
from typing import Any

import numpy as np

from ..errors import InputError
from ..ingest import iter_articles
from ..models import Attribution, ProcessedArticle
from .actors import StoryActors
from .alignment import AlignmentParams, PairTable, group_statements, pair_table
from .alignment_model import WEIGHTS_PATH, PairModel, fit_pair_model, shipped_model
from .encoder import encoder_mode
from .service import build_story_reports, story_report

__all__ = ["CrossOutlet", "load_crossoutlet", "main"]

DEFAULT_DATA = Path("../shared/data/crossoutlet")
DEFAULT_SCORER = Path("../shared/eval/score_stories.py")
GoldKey = tuple[str, int]


@dataclass
class CrossOutlet:
    """The gold stories, the extracted articles and the gold-statement articles."""

    data: Path
    stories: list[dict[str, Any]]
    extracted: dict[str, ProcessedArticle]
    gold_statements: dict[str, ProcessedArticle]

    def story_ids(self) -> list[str]:
        return [s["story_id"] for s in self.stories]

    def story(self, story_id: str) -> dict[str, Any]:
        return next(s for s in self.stories if s["story_id"] == story_id)

    def gold_docs(self, story_id: str) -> list[ProcessedArticle]:
        return [self.gold_statements[d] for d in self.story(story_id)["doc_ids"]]

    def gold_groups(self, story_id: str) -> list[set[GoldKey]]:
        return [
            {(m["doc_id"], int(m["attribution"])) for m in g["members"]}
            for g in self.story(story_id)["same_statement_groups"]
        ]


def _overlap(a: tuple[int, int], b: tuple[int, int]) -> float:
    inter = min(a[1], b[1]) - max(a[0], b[0])
    return max(0, inter) / max(1, max(a[1], b[1]) - min(a[0], b[0]))


def _with_gold_statements(extracted: ProcessedArticle, gold: dict[str, Any]) -> ProcessedArticle:
    """The gold statements, each with the speaker the extractor gave the one it found there."""
    attributions = []
    for g in gold["attributions"]:
        content = (int(g["content"][0]), int(g["content"][1]))
        best = max(
            extracted.attributions,
            key=lambda a: _overlap(a.content, content),
            default=None,
        )
        found = best is not None and _overlap(best.content, content) >= 0.3
        attributions.append(
            Attribution(
                kind=g["kind"],
                content=content,
                source=tuple(g["source"]) if g.get("source") else None,
                cue=tuple(g["cue"]) if g.get("cue") else None,
                speaker=best.speaker if found and best is not None else None,
                confidence=1.0,
            )
        )
    return replace(extracted, attributions=tuple(attributions))


def load_crossoutlet(data: Path = DEFAULT_DATA, nlp: Any = None) -> CrossOutlet:
    gold_path, stories_path = data / "gold.jsonl", data / "stories.json"
    for path in (gold_path, stories_path):
        if not path.is_file():
            raise InputError(
                "the crossoutlet data is not there",
                "run from the project root beside ../shared, or pass --data",
                source=str(path),
            )
    from ..nlp.pipeline import extract_articles, load_pipeline

    articles = list(iter_articles([str(gold_path)]))  # the reader ignores the attributions
    extracted = {
        p.article.doc_id: p for p in extract_articles(articles, nlp or load_pipeline(None))
    }
    gold = {}
    with gold_path.open(encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                record = json.loads(line)
                gold[record["doc_id"]] = _with_gold_statements(extracted[record["doc_id"]], record)
    stories = json.loads(stories_path.read_text(encoding="utf-8"))
    return CrossOutlet(data, stories, extracted, gold)


# -- the shared scorer ------------------------------------------------------------------------


def _score(co: CrossOutlet, predicted: list[dict[str, Any]], scorer: Path) -> dict[str, Any]:
    """The shared scorer's figures for a ``quotetrace stories --format json`` prediction."""
    sys.path.insert(0, str(scorer.parent))
    try:
        import score_stories  # type: ignore[import-not-found]  # the shared scorer, not a copy
    finally:
        sys.path.pop(0)
    with tempfile.TemporaryDirectory() as tmp:
        pred = Path(tmp) / "pred.json"
        pred.write_text(json.dumps(predicted), encoding="utf-8")
        out = io.StringIO()
        with contextlib.redirect_stdout(out):
            score_stories.main(
                str(co.data / "stories.json"), str(co.data / "gold.jsonl"), str(pred)
            )
    result: dict[str, Any] = json.loads(out.getvalue())
    return result


def _gold_statement_prediction(
    co: CrossOutlet, models: dict[str, PairModel], mode: str
) -> list[dict[str, Any]]:
    """One predicted story per gold story, its statements aligned by that story's model."""
    out = []
    for story_id in co.story_ids():
        docs = co.gold_docs(story_id)
        report = story_report(story_id, docs, AlignmentParams(mode=mode, model=models[story_id]))
        out.append(report)
    return out


def _end_to_end_prediction(
    co: CrossOutlet, models: dict[str, PairModel], mode: str
) -> list[dict[str, Any]]:
    """Cluster the extracted articles, then align each story with the model of the gold story
    most of its articles belong to (so a held-out story never sees its own model)."""
    gold_story = {d: s["story_id"] for s in co.stories for d in s["doc_ids"]}
    reports = build_story_reports(co.extracted.values(), min_articles=2)
    out = []
    for report in reports:
        votes = [gold_story[d] for d in report["doc_ids"] if d in gold_story]
        story_id = max(set(votes), key=votes.count) if votes else co.story_ids()[0]
        docs = [co.extracted[d] for d in report["doc_ids"]]
        out.append(
            story_report(
                report["story_id"], docs, AlignmentParams(mode=mode, model=models[story_id])
            )
        )
    return out


# -- fitting and tuning -----------------------------------------------------------------------


@dataclass
class _StoryPairs:
    docs: list[ProcessedArticle]
    table: PairTable
    labels: np.ndarray
    gold_pairs: set[tuple[GoldKey, GoldKey]]


def _cross_pairs(groups: Iterable[Iterable[GoldKey]]) -> set[tuple[GoldKey, GoldKey]]:
    out = set()
    for group in groups:
        for a, b in combinations(sorted(set(group)), 2):
            if a[0] != b[0]:
                out.add((a, b))
    return out


def _story_pairs(
    docs: Sequence[ProcessedArticle], groups: list[set[GoldKey]], mode: str
) -> _StoryPairs:
    table = pair_table(docs, StoryActors.build(docs), mode)
    gold = _cross_pairs(groups)
    labels = []
    for i, j in table.index:
        a = (table.refs[i].doc_id, table.refs[i].index)
        b = (table.refs[j].doc_id, table.refs[j].index)
        labels.append(int((min(a, b), max(a, b)) in gold))
    return _StoryPairs(list(docs), table, np.asarray(labels), gold)


def _fixture_pairs(mode: str) -> list[_StoryPairs]:
    """The project's own fictional stories (tests/fixtures/stories), when they are there."""
    from .evaluation import DEFAULT_FIXTURES, load_gold_set

    if not (DEFAULT_FIXTURES / "gold.json").is_file():
        return []
    gold = load_gold_set(DEFAULT_FIXTURES)
    by_story: dict[str, list[ProcessedArticle]] = {}
    for p in gold.articles:
        by_story.setdefault(gold.story_of[p.article.doc_id], []).append(p)
    out = []
    for docs in by_story.values():
        ids = {p.article.doc_id for p in docs}
        groups: dict[str, set[GoldKey]] = {}
        for key, group in gold.group_of.items():
            if key[0] in ids:
                groups.setdefault(group, set()).add(key)
        out.append(_story_pairs(docs, list(groups.values()), mode))
    return out


def _grouped_f1(stories: Sequence[_StoryPairs], model: PairModel) -> float:
    tp = fp = fn = 0
    for sp in stories:
        table = replace(sp.table, actors=sp.table.actors.copy())
        probs = model.probabilities(sp.table.features)
        groups = group_statements(sp.docs, table, model, probs)
        predicted = _cross_pairs([(m.doc_id, m.index) for m in g.members] for g in groups)
        tp += len(predicted & sp.gold_pairs)
        fp += len(predicted - sp.gold_pairs)
        fn += len(sp.gold_pairs - predicted)
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return 2 * p * r / (p + r) if p + r else 0.0


THRESHOLDS = (0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95)
GROUP_MEANS = (0.1, 0.25, 0.4)
SAME_ARTICLE = (0.6, 0.7, 0.8, 0.9, 2.0)  # 2.0: never two statements of one article
PART_THRESHOLDS = (0.55, 0.6, 0.65, 0.7, 0.75, 0.8, 2.0)  # 2.0: never join by a sentence


def fit_and_tune(
    tune_on: Sequence[_StoryPairs], fit_also: Sequence[_StoryPairs], mode: str
) -> PairModel:
    """Fit the pair model on all given stories; choose its thresholds on ``tune_on`` only."""
    stories = [*tune_on, *fit_also]
    features = np.vstack([s.table.features for s in stories if len(s.table.index)])
    labels = np.concatenate([s.labels for s in stories if len(s.table.index)])
    if mode == "lexical":
        features = features.copy()
        features[:, :2] = 0.0
    model = fit_pair_model(mode, features, labels.tolist())
    # Coordinate search: the grouping thresholds first (no joining by a sentence), then the
    # sentence threshold given them.
    best: tuple[float, PairModel] | None = None
    for threshold, group_mean in product(THRESHOLDS, GROUP_MEANS):
        candidate = replace(model, threshold=threshold, group_mean=group_mean, part_threshold=2.0)
        f1 = _grouped_f1(tune_on, candidate)
        if best is None or f1 > best[0] + 1e-9:
            best = (f1, candidate)
    assert best is not None
    for same in SAME_ARTICLE:
        candidate = replace(best[1], same_article=same)
        f1 = _grouped_f1(tune_on, candidate)
        if f1 > best[0] + 1e-9:
            best = (f1, candidate)
    if mode == "semantic":
        for part in PART_THRESHOLDS:
            candidate = replace(best[1], part_threshold=part)
            f1 = _grouped_f1(tune_on, candidate)
            if f1 > best[0] + 1e-9:
                best = (f1, candidate)
    return best[1]


def loso_models(co: CrossOutlet, mode: str) -> dict[str, PairModel]:
    """For each crossoutlet story, the model fitted and tuned without it."""
    pairs = {s: _story_pairs(co.gold_docs(s), co.gold_groups(s), mode) for s in co.story_ids()}
    fixtures = _fixture_pairs(mode)
    return {
        held_out: fit_and_tune([p for s, p in pairs.items() if s != held_out], fixtures, mode)
        for held_out in co.story_ids()
    }


def fit_shipped(co: CrossOutlet, mode: str) -> PairModel:
    pairs = [_story_pairs(co.gold_docs(s), co.gold_groups(s), mode) for s in co.story_ids()]
    return fit_and_tune(pairs, _fixture_pairs(mode), mode)


# -- the command ------------------------------------------------------------------------------


def evaluate(co: CrossOutlet, mode: str, scorer: Path) -> dict[str, Any]:
    loso = loso_models(co, mode)
    shipped = shipped_model(mode)
    in_sample = dict.fromkeys(co.story_ids(), shipped)
    return {
        "mode": mode,
        "loso_gold_statements": _score(co, _gold_statement_prediction(co, loso, mode), scorer),
        "loso_end_to_end": _score(co, _end_to_end_prediction(co, loso, mode), scorer),
        "in_sample_gold_statements": _score(
            co, _gold_statement_prediction(co, in_sample, mode), scorer
        ),
        "in_sample_end_to_end": _score(co, _end_to_end_prediction(co, in_sample, mode), scorer),
    }


def _print_table(results: dict[str, Any]) -> None:
    print(f"crossoutlet stories ({results['mode']} alignment; shared scorer)")
    print(f"{'task':<36} {'P':>6} {'R':>6} {'F1':>6} {'groups':>9}")
    for name in (
        "loso_gold_statements",
        "loso_end_to_end",
        "in_sample_gold_statements",
        "in_sample_end_to_end",
    ):
        r = results[name]
        a = r["alignment_pairwise"]
        print(
            f"{'alignment ' + name:<36} {a['p']:6.3f} {a['r']:6.3f} {a['f1']:6.3f} "
            f"{r['groups_recovered']:>4}/{r['groups_total']:<4}"
        )
    c = results["loso_end_to_end"]["clustering_pairwise"]
    print(f"{'clustering end_to_end':<36} {c['p']:6.3f} {c['r']:6.3f} {c['f1']:6.3f}")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m quotetrace.stories.crossoutlet",
        description="Story clustering and statement alignment on the crossoutlet stories.",
    )
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--scorer", type=Path, default=DEFAULT_SCORER)
    parser.add_argument("--mode", choices=("semantic", "lexical"), default=None)
    parser.add_argument("--json", action="store_true", help="print JSON")
    parser.add_argument("--fit", action="store_true", help="refit weights/alignment.json")
    args = parser.parse_args(argv)
    try:
        co = load_crossoutlet(args.data)
    except InputError as exc:
        print(f"Error: {exc.render()}", file=sys.stderr)
        return 2
    if args.fit:
        weights = {m: fit_shipped(co, m).to_json() for m in ("semantic", "lexical")}
        WEIGHTS_PATH.parent.mkdir(parents=True, exist_ok=True)
        WEIGHTS_PATH.write_text(json.dumps(weights, indent=1) + "\n", encoding="utf-8")
        shipped_model.cache_clear()
        print(f"wrote {WEIGHTS_PATH}", file=sys.stderr)
    mode = args.mode or encoder_mode()
    results = evaluate(co, mode, args.scorer)
    if args.json:
        print(json.dumps(results, indent=2))
    else:
        _print_table(results)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
