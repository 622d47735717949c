"""Fixtures for the batch tests: fictional articles from ``bench/generate.py``."""

from __future__ import annotations

from pathlib import Path
from types import ModuleType

import pytest
from batch_fixtures import load_generator, write_records


@pytest.fixture(scope="session")
def generator() -> ModuleType:
    return load_generator()


@pytest.fixture(scope="session")
def corpus_200(tmp_path_factory: pytest.TempPathFactory, generator: ModuleType) -> Path:
    """200 short generated articles as one JSONL file (the size the CI test asks for)."""
    records = generator.generate_records(200, seed=11, sentences=4)
    return write_records(tmp_path_factory.mktemp("corpus") / "generated.jsonl", records)


@pytest.fixture(scope="session")
def corpus_small(tmp_path_factory: pytest.TempPathFactory, generator: ModuleType) -> Path:
    """A few dozen articles for the resume and failure tests."""
    records = generator.generate_records(36, seed=5, sentences=3)
    return write_records(tmp_path_factory.mktemp("small") / "small.jsonl", records)
