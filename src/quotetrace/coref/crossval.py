"""How the coreference model does on documents its settings were not chosen on.

    python -m quotetrace.coref.crossval ../shared/data/gum/dev.jsonl \\
        --scorer ../shared/eval/score_mentions.py [--out build/gum-dev.coref-cv.jsonl]

The shipped linking settings (thresholds, the unnamed-chain rule, the keep share) are chosen on
GUM dev, so the figures ``evaluation.py`` prints there are in-sample. This is the honest
estimate: leave one document out, choose the settings on the others by the training objective
(the grid ``train-coref`` searches), predict the held-out document with them, and score all the
predictions together with the shared scorer. The pair weights (fitted on GUM train) and the
rules stay as shipped: only what is chosen on dev is cross-validated.

Every setting is scored once per document and the counts summed over each fold's documents, so
the whole run costs one pass of the grid over the set (about 20 s on GUM dev).
"""

from __future__ import annotations

import argparse
import dataclasses
import itertools
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

from .evaluation import actors_of, write_and_score
from .model import CorefModel
from .training import (
    _GRID,
    SETTINGS,
    _aligned,
    item_counts,
    objective,
    parse_gum,
    read_gum,
    scores,
    with_settings,
)

__all__ = ["Fold", "leave_one_out", "main"]


@dataclasses.dataclass(frozen=True)
class Fold:
    doc_id: str
    settings: dict[str, float]  # what the other documents chose
    actors: list[dict[str, Any]]  # the held-out document's prediction (score_mentions input)


def leave_one_out(
    gold_path: str,
    model: CorefModel,
    cache_dir: Path | None = None,
    spacy_model: str | None = None,
    progress: Callable[[str], None] = lambda _msg: None,
) -> list[Fold]:
    """One fold per document of ``gold_path``, in order (see the module docstring)."""
    docs = read_gum(gold_path)
    parsed = parse_gum(docs, gold_path, cache_dir, Path(gold_path).stem, spacy_model)
    items = [_aligned(g, d, model.mentions(d)) for g, d in zip(docs, parsed, strict=True)]
    grid = list(itertools.product(*_GRID))
    models = [with_settings(model, combo) for combo in grid]
    counts = np.array([[item_counts(it, mdl) for it in items] for mdl in models])
    progress(f"scored {len(grid)} settings on {len(items)} documents")
    everything = counts.sum(axis=1)
    folds = []
    for held, (gold, doc) in enumerate(zip(docs, parsed, strict=True)):
        rest = everything - counts[:, held]
        # the best setting on the other documents; ties go to the first in grid order, as in
        # train-coref
        best = max(range(len(grid)), key=lambda s: (objective(scores(rest[s])), -s))
        actors = actors_of(models[best].resolve(doc))
        folds.append(Fold(gold.doc_id, dict(zip(SETTINGS, grid[best], strict=True)), actors))
    return folds


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("gold", help="GUM entity JSONL the settings are chosen on (gum/dev.jsonl)")
    parser.add_argument("--scorer", help="path of score_mentions.py; without it, no scoring")
    parser.add_argument(
        "--out", help="where to write PRED JSONL (default build/gum-*.coref-cv.jsonl)"
    )
    parser.add_argument("--weights", default="packaged", help="weights file or directory")
    parser.add_argument("--version", type=int, default=5, choices=(1, 2, 3, 4, 5))
    parser.add_argument("--cache", type=Path, help="parse cache directory (as make train's)")
    parser.add_argument("--json", action="store_true", help="print the scorer's JSON")
    args = parser.parse_args(argv)

    model = CorefModel.load(args.weights, version=args.version)
    folds = leave_one_out(
        args.gold, model, args.cache, progress=lambda m: print(m, file=sys.stderr)
    )
    shipped = {k: getattr(model, k) for k in SETTINGS}
    for fold in folds:
        mark = "" if fold.settings == shipped else "  (not the shipped settings)"
        print(f"{fold.doc_id}: {fold.settings}{mark}", file=sys.stderr)
    out = Path(args.out or f"build/gum-{Path(args.gold).stem}.coref-cv.jsonl")
    predicted = [(fold.doc_id, fold.actors) for fold in folds]
    return write_and_score(predicted, args.gold, out, args.scorer, args.json)


if __name__ == "__main__":
    raise SystemExit(main())
