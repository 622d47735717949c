"""How the pair clues become one probability: a logistic model, fitted, shipped as JSON.

The weights (``weights/alignment.json``) are fitted by
``python -m quotetrace.stories.crossoutlet --fit`` on the statement pairs of the six
crossoutlet stories (gold statements, the extractor's speakers) plus the project's fixture
stories, one model per mode (``semantic``: with the sentence encoder; ``lexical``: without).
The threshold and the group mean-link floor are chosen on the same stories by grouped
pairwise F1. The figures the docs give are leave-one-story-out: each crossoutlet story scored
by a model fitted without it.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from .alignment_features import FEATURES

__all__ = ["WEIGHTS_PATH", "PairModel", "fit_pair_model", "shipped_model"]

WEIGHTS_PATH = Path(__file__).parent / "weights" / "alignment.json"


@dataclass(frozen=True)
class PairModel:
    """Logistic regression over standardised features, plus the grouping thresholds."""

    mode: str
    mean: tuple[float, ...]
    scale: tuple[float, ...]
    coef: tuple[float, ...]
    intercept: float
    threshold: float = 0.5
    group_mean: float = 0.3
    part_threshold: float = 0.7
    # Two statements of one article in one group: an article that repeats a statement
    # (headline and body, a quote and its paraphrase) - when their meaning is this close.
    same_article: float = 2.0

    def probabilities(self, features: np.ndarray) -> np.ndarray:
        if features.size == 0:
            return np.zeros(0)
        z = (features - np.asarray(self.mean)) / np.asarray(self.scale)
        logits = z @ np.asarray(self.coef) + self.intercept
        out: np.ndarray = 1.0 / (1.0 + np.exp(-np.clip(logits, -30, 30)))
        return out

    def to_json(self) -> dict[str, Any]:
        return {
            "mode": self.mode,
            "features": list(FEATURES),
            "mean": list(self.mean),
            "scale": list(self.scale),
            "coef": list(self.coef),
            "intercept": self.intercept,
            "threshold": self.threshold,
            "group_mean": self.group_mean,
            "part_threshold": self.part_threshold,
            "same_article": self.same_article,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> PairModel:
        if list(data["features"]) != list(FEATURES):
            raise ValueError("the alignment weights were fitted on other features")
        return cls(
            mode=str(data["mode"]),
            mean=tuple(float(x) for x in data["mean"]),
            scale=tuple(float(x) for x in data["scale"]),
            coef=tuple(float(x) for x in data["coef"]),
            intercept=float(data["intercept"]),
            threshold=float(data["threshold"]),
            group_mean=float(data["group_mean"]),
            part_threshold=float(data["part_threshold"]),
            same_article=float(data.get("same_article", 2.0)),
        )


def fit_pair_model(
    mode: str,
    features: np.ndarray,
    labels: Sequence[int],
    *,
    l2: float = 1.0,
    steps: int = 3000,
) -> PairModel:
    """L2-regularised logistic regression by gradient descent (Newton would do; this is enough).

    Lexical mode fits with the meaning columns zeroed, so they carry no weight.
    """
    x = np.asarray(features, dtype=np.float64)
    y = np.asarray(labels, dtype=np.float64)
    mean = x.mean(axis=0)
    scale = x.std(axis=0)
    scale[scale < 1e-6] = 1.0
    z = (x - mean) / scale
    w = np.zeros(z.shape[1])
    b = 0.0
    # Positives are rare (a few hundred of thousands of pairs): weigh them up so the model
    # separates them, the threshold then sets the balance.
    pos = max(1.0, y.sum())
    sample = np.where(y > 0, (len(y) - pos) / pos, 1.0)
    sample /= sample.mean()
    rate = 0.5
    for _ in range(steps):
        p = 1.0 / (1.0 + np.exp(-np.clip(z @ w + b, -30, 30)))
        err = (p - y) * sample
        grad_w = z.T @ err / len(y) + l2 * w / len(y)
        grad_b = float(err.mean())
        w -= rate * grad_w
        b -= rate * grad_b
    return PairModel(
        mode=mode,
        mean=tuple(float(v) for v in mean),
        scale=tuple(float(v) for v in scale),
        coef=tuple(float(v) for v in w),
        intercept=b,
    )


@functools.lru_cache(maxsize=4)
def shipped_model(mode: str) -> PairModel:
    data = json.loads(WEIGHTS_PATH.read_text(encoding="utf-8"))
    return PairModel.from_json(data[mode])
