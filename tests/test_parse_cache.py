"""Training's parse cache is keyed by what a parse depends on: the corpus, the model and
quotetrace's own parse-time components (``PARSE_VERSION``)."""

from __future__ import annotations

from pathlib import Path

import pytest
import spacy

from quotetrace.nlp import pipeline
from quotetrace.nlp.pipeline import parse_cache_file


def test_the_cache_file_changes_with_corpus_model_and_parse_version(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    a, b = tmp_path / "a.jsonl", tmp_path / "b.jsonl"
    a.write_text('{"doc_id": "1", "text": "One."}\n', encoding="utf-8")
    b.write_text('{"doc_id": "1", "text": "Two."}\n', encoding="utf-8")
    nlp = spacy.blank("en")
    nlp.meta["name"] = "core_web_sm_test"
    first = parse_cache_file(tmp_path, "train", a, nlp)
    assert first.parent == tmp_path and "core_web_sm_test" in first.name
    assert parse_cache_file(tmp_path, "train", b, nlp) != first
    assert parse_cache_file(tmp_path, "dev", a, nlp) != first
    other = spacy.blank("en")
    other.meta["name"] = "core_web_md_test"
    assert parse_cache_file(tmp_path, "train", a, other) != first
    monkeypatch.setattr(pipeline, "PARSE_VERSION", pipeline.PARSE_VERSION + 1)
    assert parse_cache_file(tmp_path, "train", a, nlp) != first
