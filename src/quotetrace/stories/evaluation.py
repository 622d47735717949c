"""Scoring stories and statement alignment against a gold set: ``make eval``'s story step.

Run ``python -m quotetrace.stories.evaluation [--fixtures DIR] [--extractor] [--json]``.

The gold set (``tests/fixtures/stories`` by default) is a folder of articles in the crawl
layout (``date YYYY-MM-DD Outlet - body``) plus ``gold.json``: for each article file, its story
and every statement it reports (speaker, and content, cue and source as exact substrings),
statements that report the same thing by the same speaker sharing a group id.

Both tasks are scored as pairwise precision, recall and F1: a pair of articles (statements) is
a true positive when gold and prediction both put it in one story (group). Alignment is scored
twice: on the gold statements (the alignment stage alone) and, with ``--extractor``, on the
statements the spaCy extractor finds, each matched to the gold statement its content overlaps
most (end to end; an unmatched gold statement counts as a singleton).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import combinations
from pathlib import Path
from typing import Any

from ..errors import InputError, MalformedRecordError
from ..ingest import parse_crawl_text
from ..models import Actor, Attribution, CharSpan, ProcessedArticle
from ..nlp.quote_marks import find_quote_regions, kind_of
from .alignment import align_statements
from .clustering import cluster_articles
from .text import sentence_spans

__all__ = [
    "GoldSet",
    "load_gold_set",
    "main",
    "pairwise_scores",
    "score_alignment",
    "score_clustering",
]

DEFAULT_FIXTURES = Path("tests/fixtures/stories")


@dataclass(frozen=True)
class GoldSet:
    """Gold articles (with gold statements as attributions), stories and statement groups."""

    articles: list[ProcessedArticle]
    story_of: dict[str, str]
    group_of: dict[tuple[str, int], str]  # (doc_id, attribution index) -> gold group


def _find(text: str, needle: str, within: CharSpan, where: str) -> CharSpan:
    start = text.find(needle, within[0], within[1])
    if start < 0:
        start = text.find(needle)
    if start < 0:
        raise MalformedRecordError(
            f"{needle!r} is not in the article", "fix gold.json", source=where
        )
    return start, start + len(needle)


def _gold_article(path: Path, entry: dict[str, Any]) -> tuple[ProcessedArticle, list[str]]:
    article = parse_crawl_text(path.read_text(encoding="utf-8"), path.name)
    text = article.text
    sentences = sentence_spans(text)
    regions = find_quote_regions(text)
    attributions, groups = [], []
    actors: dict[str, list[CharSpan]] = {}
    for st in entry["statements"]:
        content = _find(text, st["content"], (0, len(text)), path.name)
        sentence = next((s for s in sentences if s[0] <= content[0] < s[1]), (0, len(text)))
        frame = (min(sentence[0], content[0]), max(sentence[1], content[1]))
        source = _find(text, st["source"], frame, path.name) if st.get("source") else None
        cue = _find(text, st["cue"], frame, path.name) if st.get("cue") else None
        kind = kind_of(content, regions, text)
        attributions.append(
            Attribution(
                kind=kind,  # type: ignore[arg-type]
                content=content,
                source=source,
                cue=cue,
                speaker=st.get("extracted_speaker", st["speaker"]),
                confidence=1.0,
            )
        )
        groups.append(st["group"])
        if source is not None:
            actors.setdefault(st.get("extracted_speaker", st["speaker"]), []).append(source)
    actor_records = tuple(
        Actor(actor_id=i, name=name, label="PERSON", mentions=tuple(sorted(set(spans))))
        for i, (name, spans) in enumerate(actors.items())
    )
    return ProcessedArticle(article, tuple(attributions), actor_records), groups


def load_gold_set(fixtures: Path = DEFAULT_FIXTURES) -> GoldSet:
    gold_path = fixtures / "gold.json"
    try:
        gold = json.loads(gold_path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise InputError(
            f"cannot read the gold set ({exc.strerror})",
            "run from the project root or pass --fixtures",
            source=str(gold_path),
        ) from None
    articles, story_of, group_of = [], {}, {}
    for name, entry in gold["articles"].items():
        processed, groups = _gold_article(fixtures / "articles" / name, entry)
        articles.append(processed)
        story_of[name] = entry["story"]
        for i, group in enumerate(groups):
            group_of[(name, i)] = group
    return GoldSet(articles, story_of, group_of)


def pairwise_scores(
    gold: dict[Any, str], predicted: dict[Any, str], items: Iterable[Any] | None = None
) -> dict[str, float]:
    """Pairwise P/R/F1 of a predicted partition against a gold one over the same items."""
    keys = sorted(items if items is not None else gold, key=repr)
    tp = fp = fn = 0
    for a, b in combinations(keys, 2):
        same_gold = gold[a] == gold[b]
        same_pred = predicted.get(a, ("alone", a)) == predicted.get(b, ("alone", b))
        tp += same_gold and same_pred
        fp += same_pred and not same_gold
        fn += same_gold and not same_pred
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": precision, "recall": recall, "f1": f1, "pairs": tp + fn}


def score_clustering(gold: GoldSet) -> dict[str, float]:
    stories = cluster_articles(gold.articles)
    predicted = {doc: story for story, docs in stories.items() for doc in docs}
    return pairwise_scores(gold.story_of, predicted)


def _gold_stories(gold: GoldSet) -> list[list[ProcessedArticle]]:
    by_story: dict[str, list[ProcessedArticle]] = {}
    for processed in gold.articles:
        by_story.setdefault(gold.story_of[processed.article.doc_id], []).append(processed)
    return list(by_story.values())


def score_alignment(
    gold: GoldSet,
    predicted_articles: Sequence[ProcessedArticle] | None = None,
    *,
    matched_only: bool = False,
) -> dict[str, float]:
    """Alignment inside each gold story (so clustering errors do not count twice).

    ``matched_only`` scores only the gold statements the extractor found, separating what
    alignment gets wrong from what extraction missed.
    """
    by_doc = {p.article.doc_id: p for p in predicted_articles or gold.articles}
    predicted: dict[tuple[str, int], Any] = {}
    for story in _gold_stories(gold):
        docs = [by_doc[p.article.doc_id] for p in story]
        mapping = _match_to_gold(story, docs) if predicted_articles is not None else None
        for n, group in enumerate(align_statements(docs)):
            for member in group.members:
                key = (member.doc_id, member.index)
                if mapping is not None:
                    gold_key = mapping.get(key)
                    if gold_key is None:
                        continue
                    key = gold_key
                predicted[key] = (story[0].article.doc_id, n)
    items = list(predicted) if matched_only else None
    return pairwise_scores(gold.group_of, predicted, items)


def _match_to_gold(
    gold_docs: Sequence[ProcessedArticle], predicted_docs: Sequence[ProcessedArticle]
) -> dict[tuple[str, int], tuple[str, int]]:
    """Predicted statement -> the gold statement its content overlaps most (one to one)."""
    mapping = {}
    for gold_doc, pred_doc in zip(gold_docs, predicted_docs, strict=True):
        doc_id = gold_doc.article.doc_id
        taken: set[int] = set()
        candidates = []
        for i, pred in enumerate(pred_doc.attributions):
            for j, ref in enumerate(gold_doc.attributions):
                overlap = min(pred.content[1], ref.content[1]) - max(
                    pred.content[0], ref.content[0]
                )
                if overlap > 0:
                    size = max(pred.content[1], ref.content[1]) - min(
                        pred.content[0], ref.content[0]
                    )
                    candidates.append((overlap / size, i, j))
        for ratio, i, j in sorted(candidates, reverse=True):
            if ratio < 0.5 or j in taken or (doc_id, i) in mapping:
                continue
            taken.add(j)
            mapping[(doc_id, i)] = (doc_id, j)
    return mapping


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m quotetrace.stories.evaluation",
        description="Pairwise P/R/F1 of story clustering and statement alignment on a gold set.",
    )
    parser.add_argument("--fixtures", type=Path, default=DEFAULT_FIXTURES)
    parser.add_argument("--extractor", action="store_true", help="also score end to end")
    parser.add_argument("--json", action="store_true", help="print JSON")
    parser.add_argument(
        "--min-f1", type=float, default=0.9, help="exit 1 when a gold-statement F1 is below"
    )
    args = parser.parse_args(argv)
    try:
        gold = load_gold_set(args.fixtures)
    except InputError as exc:
        print(f"Error: {exc.render()}", file=sys.stderr)
        return 2
    results = {
        "articles": len(gold.articles),
        "stories": len(set(gold.story_of.values())),
        "statements": len(gold.group_of),
        "clustering": score_clustering(gold),
        "alignment": score_alignment(gold),
    }
    if args.extractor:
        from ..nlp.pipeline import extract_articles

        extracted = list(extract_articles([p.article for p in gold.articles]))
        results["alignment_end_to_end"] = score_alignment(gold, extracted)
        results["alignment_found_statements"] = score_alignment(gold, extracted, matched_only=True)
        results["clustering_extracted"] = pairwise_scores(
            gold.story_of,
            {d: s for s, ds in cluster_articles(extracted).items() for d in ds},
        )
    if args.json:
        print(json.dumps(results, indent=2))
    else:
        print(
            f"gold set: {args.fixtures} ({results['articles']} articles, "
            f"{results['stories']} stories, {results['statements']} statements)"
        )
        print(f"{'task':<28} {'P':>6} {'R':>6} {'F1':>6} {'gold pairs':>10}")
        for name, value in results.items():
            if isinstance(value, dict):
                print(
                    f"{name:<28} {value['precision']:6.3f} {value['recall']:6.3f} "
                    f"{value['f1']:6.3f} {int(value['pairs']):>10}"
                )
    gated = [results["clustering"], results["alignment"]]
    return 0 if all(float(v["f1"]) >= args.min_f1 for v in gated) else 1  # type: ignore[index]


if __name__ == "__main__":
    raise SystemExit(main())
