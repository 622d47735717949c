"""How an error names a document: its file (and line), and its doc_id when that differs."""

from __future__ import annotations

from ..models import Article

__all__ = ["located_name"]


def located_name(place: str | None, article: Article) -> str:
    """``wire.jsonl:3 (doc_id w3)``; a text file's doc_id is its path, so just the path."""
    if place is None or place == article.doc_id:
        return article.doc_id
    return f"{place} (doc_id {article.doc_id})"
