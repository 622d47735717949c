"""Fixtures shared by the test suite.

The spaCy model is the slow part of every model test, so it is loaded once per session. Tests
that use ``nlp`` carry ``@pytest.mark.model`` (``pytest -m "not model"`` runs without it).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from spacy.language import Language

REPO_ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def nlp() -> Language:
    """The quotetrace pipeline (model + components), loaded once for the whole session."""
    from quotetrace.nlp.pipeline import load_pipeline

    return load_pipeline()


@pytest.fixture(scope="session")
def coref_nlp() -> Language:
    """The pipeline with ``quotetrace_coref`` added (it is off by default)."""
    from quotetrace.nlp.pipeline import load_pipeline

    return load_pipeline(coref=True)
