"""Coreference of people and organisations inside one article (the ``quotetrace_coref`` component).

``doc._.coref_entities`` lists each person and organisation with all its mentions and one
canonical name; ``entity_at(doc, i)`` finds the entity a token belongs to. See docs/coref.md.
"""

from __future__ import annotations

from .component import CorefComponent, entity_at, install_coref_extension

__all__ = ["CorefComponent", "entity_at", "install_coref_extension"]
