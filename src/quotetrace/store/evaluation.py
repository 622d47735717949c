"""Speaker names across the store: ``make eval``'s cross-outlet step.

    python -m quotetrace.store.evaluation ../shared/data/crossoutlet/gold.jsonl \
        --scorer ../shared/eval/score.py [--json] [--keep DIR]

The gold texts (their attributions dropped) are read exactly as ``quotetrace extract`` reads
them, scored once as the extractor gives them, then ingested into a fresh temporary store,
grouped into stories, and exported as JSONL with each statement's ``speaker`` replaced by the
store-wide actor's canonical name (``speaker_canonical``; the article's own speaker where the
store links the statement to no actor). Both go through the shared scorer, so the table says
what linking actors across the store does to the speaker names: it may fix an article's
"Zelenskyy" or "Fain", and it must never make the names worse.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..evaluation import load_scorer

if TYPE_CHECKING:
    from spacy.language import Language

__all__ = ["extract_predictions", "main", "measure", "store_predictions"]

_GROUPS = ("all", "direct", "indirect+mixed")


def store_predictions(
    gold_path: Path, workdir: Path, nlp: Language | None = None
) -> dict[str, dict[str, Any]]:
    """Ingest the gold texts into a new store under ``workdir``; its export, speaker = store's."""
    from ..ingest import iter_articles
    from ..nlp.pipeline import load_pipeline
    from ..stories.store_sync import update_store_stories
    from .export import export_store
    from .ingest import ingest_articles
    from .store import Store

    nlp = nlp or load_pipeline(None)
    exported = workdir / "store-export.jsonl"
    with Store.open(f"sqlite:///{workdir / 'eval.db'}") as store:
        ingest_articles(store, lambda on_error: iter_articles([str(gold_path)], on_error), nlp=nlp)
        update_store_stories(store)
        export_store(store, "jsonl", exported, include_text=False)
    predicted: dict[str, dict[str, Any]] = {}
    for line in exported.read_text(encoding="utf-8").splitlines():
        record = json.loads(line)
        for att in record["attributions"]:
            if att.get("speaker_canonical"):
                att["article_speaker"] = att["speaker"]  # kept for reading the errors
                att["speaker"] = att["speaker_canonical"]
        predicted[record["doc_id"]] = record
    return predicted


def extract_predictions(gold_path: Path, nlp: Language | None = None) -> dict[str, dict[str, Any]]:
    from ..ingest import iter_articles
    from ..nlp.pipeline import extract_articles, load_pipeline

    nlp = nlp or load_pipeline(None)
    return {
        p.article.doc_id: p.to_json(include_text=False)
        for p in extract_articles(iter_articles([str(gold_path)]), nlp)
    }


def measure(
    gold_path: Path, scorer_path: Path, keep: Path | None = None, nlp: Language | None = None
) -> dict[str, Any]:
    """Speaker name accuracy (overall, direct, indirect+mixed) from extract and from the store."""
    scorer = load_scorer(scorer_path)
    gold = scorer.load_jsonl(str(gold_path))
    results: dict[str, Any] = {}
    with tempfile.TemporaryDirectory(prefix="quotetrace-eval-") as tmp:
        workdir = keep or Path(tmp)
        workdir.mkdir(parents=True, exist_ok=True)
        runs = {
            "extract": extract_predictions(gold_path, nlp),
            "store": store_predictions(gold_path, workdir, nlp),
        }
        for name, predicted in runs.items():
            if keep is not None:
                with (keep / f"{name}.pred.jsonl").open("w", encoding="utf-8") as out:
                    for record in predicted.values():
                        out.write(json.dumps(record, ensure_ascii=False) + "\n")
            scores = scorer.evaluate(gold, predicted)
            results[name] = {
                group: {
                    "speaker_acc": scores[group]["speaker_acc"],
                    "content_partial_f1": scores[group]["content_partial"]["f1"],
                    "end_to_end_f1": scores[group]["end_to_end"]["f1"],
                }
                for group in _GROUPS
            }
    return results


def _table(results: dict[str, Any]) -> str:
    lines = [f"{'speaker name acc (matched)':<28}" + "".join(f"{g:>16}" for g in _GROUPS)]
    for name, label in (("extract", "quotetrace extract"), ("store", "store export")):
        row = results[name]
        lines.append(
            f"{label:<28}"
            + "".join(f"{100 * (row[g]['speaker_acc'] or 0.0):>16.1f}" for g in _GROUPS)
        )
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m quotetrace.store.evaluation")
    parser.add_argument("gold", type=Path, help="gold JSONL (e.g. crossoutlet/gold.jsonl)")
    parser.add_argument("--scorer", type=Path, required=True, help="the shared eval/score.py")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    parser.add_argument("--keep", type=Path, help="keep the store and predictions in this folder")
    args = parser.parse_args(argv)
    for path in (args.gold, args.scorer):
        if not path.is_file():
            print(f"Error: {path}: no such file — give the shared data's path", file=sys.stderr)
            return 2
    results = measure(args.gold, args.scorer, args.keep)
    print(json.dumps(results, indent=2) if args.json else _table(results))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
