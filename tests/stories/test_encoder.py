"""The packaged sentence encoder (quotetrace[semantic]); skipped without the extra."""

from __future__ import annotations

import importlib.util

import numpy as np
import pytest

from quotetrace.stories.encoder import load_encoder

encoder = load_encoder()
pytestmark = pytest.mark.skipif(encoder is None, reason="the semantic extra is not installed")

SENTENCES = [
    "The Harbour Board is directly involved in raising the tolls.",
    "The board is unequivocally implicated in the higher tolls.",
    "Rain is expected over the northern valleys on Friday.",
]


def test_a_paraphrase_is_closer_than_an_unrelated_sentence() -> None:
    assert encoder is not None
    v = encoder.encode(SENTENCES)
    assert v.shape == (3, 384)
    assert np.allclose(np.linalg.norm(v, axis=1), 1.0, atol=1e-5)
    assert v[0] @ v[1] > 0.5 > v[0] @ v[2]


@pytest.mark.skipif(
    importlib.util.find_spec("sentence_transformers") is None,
    reason="sentence-transformers is not installed",
)
def test_numpy_forward_pass_matches_sentence_transformers() -> None:
    from sentence_transformers import SentenceTransformer

    assert encoder is not None
    reference = SentenceTransformer(str(encoder.model_dir), device="cpu")
    texts = [*SENTENCES, "word " * 300]  # the last one is truncated at 256 tokens by both
    expected = reference.encode(texts, normalize_embeddings=True)
    assert np.abs(encoder.encode(texts) - expected).max() < 1e-4
