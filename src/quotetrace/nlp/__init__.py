"""The attribution engine: a spaCy component and the rules and resolution behind it."""

from .pipeline import extract_articles, load_bare_pipeline, load_pipeline

__all__ = ["extract_articles", "load_bare_pipeline", "load_pipeline"]
