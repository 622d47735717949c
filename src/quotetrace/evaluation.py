"""Precision and recall at confidence thresholds, with the shared scorer.

    python -m quotetrace.evaluation GOLD.jsonl PRED.jsonl --scorer ../shared/eval/score.py

``make eval`` prints this table under the scorer's own: it shows what ``--min-confidence``
buys; with ``--speakers`` (on gold that names speakers, e.g. ``crossoutlet``), the speaker name
accuracy at ``--min-speaker-confidence`` thresholds. The scorer is loaded from its path, never
copied into the project.
"""

from __future__ import annotations

import argparse
import importlib.util
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

__all__ = ["SPEAKER_THRESHOLDS", "THRESHOLDS", "load_scorer", "speaker_table", "threshold_table"]

THRESHOLDS = (0.0, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9)
SPEAKER_THRESHOLDS = (0.0, 0.3, 0.6, 0.7, 0.75, 0.8, 0.85, 0.9, 0.95)


def load_scorer(path: Path) -> ModuleType:
    spec = importlib.util.spec_from_file_location("quotetrace_shared_score", path)
    if spec is None or spec.loader is None:
        raise SystemExit(f"cannot load the scorer at {path}")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look themselves up there
    sys.path.insert(0, str(path.parent))  # it imports its neighbour quotes.py
    try:
        spec.loader.exec_module(module)
    finally:
        sys.path.remove(str(path.parent))
    return module


def _kept(
    pred: dict[str, Any], field: str, threshold: float, *, missing: float
) -> dict[str, dict[str, Any]]:
    """The predictions with only the attributions whose ``field`` (``missing`` when absent)
    reaches ``threshold``."""

    def value(att: dict[str, Any]) -> float:
        got = att.get(field)
        return missing if got is None else float(got)

    return {
        doc_id: {
            **doc,
            "attributions": [a for a in doc.get("attributions", []) if value(a) >= threshold],
        }
        for doc_id, doc in pred.items()
    }


def threshold_table(scorer: ModuleType, gold: dict[str, Any], pred: dict[str, Any]) -> str:
    lines = [
        f"{'min confidence':>14} {'predicted':>9} {'partial P':>9} {'partial R':>9} "
        f"{'partial F1':>10} {'e2e P':>6} {'e2e R':>6} {'e2e F1':>6}"
    ]
    for t in THRESHOLDS:
        kept = _kept(pred, "confidence", t, missing=1.0)
        res = scorer.evaluate(gold, kept)["all"]
        cp, e2e = res["content_partial"], res["end_to_end"]
        lines.append(
            f"{t:>14.2f} {res['n_pred']:>9d} {100 * cp['p']:>9.1f} {100 * cp['r']:>9.1f} "
            f"{100 * cp['f1']:>10.1f} {100 * e2e['p']:>6.1f} {100 * e2e['r']:>6.1f} "
            f"{100 * e2e['f1']:>6.1f}"
        )
    return "\n".join(lines)


def speaker_table(scorer: ModuleType, gold: dict[str, Any], pred: dict[str, Any]) -> str:
    """Speaker name accuracy of the statements kept at each ``--min-speaker-confidence``."""
    lines = [
        f"{'min speaker conf':>16} {'kept':>6} {'speaker acc':>11} {'direct':>7} {'indirect':>8}"
    ]
    for t in SPEAKER_THRESHOLDS:
        kept = _kept(pred, "speaker_confidence", t, missing=0.0)
        res = scorer.evaluate(gold, kept)

        def pct(group: str, res: dict[str, Any] = res) -> str:
            acc = res[group].get("speaker_acc")
            return "-" if acc is None else f"{100 * acc:.1f}"

        lines.append(
            f"{t:>16.2f} {res['all']['n_pred']:>6d} {pct('all'):>11} {pct('direct'):>7} "
            f"{pct('indirect+mixed'):>8}"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("gold", type=Path)
    parser.add_argument("pred", type=Path)
    parser.add_argument("--scorer", type=Path, required=True)
    parser.add_argument("--speakers", action="store_true", help="speaker accuracy table")
    args = parser.parse_args(argv)
    scorer = load_scorer(args.scorer)
    gold, pred = scorer.load_jsonl(str(args.gold)), scorer.load_jsonl(str(args.pred))
    if args.speakers:
        print("speaker name accuracy by speaker confidence (--min-speaker-confidence):")
        print(speaker_table(scorer, gold, pred))
        return
    print("precision and recall by confidence (quotetrace extract --min-confidence):")
    print(threshold_table(scorer, gold, pred))


if __name__ == "__main__":
    main()
