"""Speakers' chains of mentions on an article, and the names an actor was resolved from.

Both the article page and ``/api/articles/{id}`` show, for each speaker of the article, every
mention the extractor linked to that speaker (its name, its titles, its pronouns) in text
order; both the actor page and ``/api/actors/{id}`` list each name the actor was resolved
from with the outlets that used it.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from ..store import Store, StoredStatement
from ..store.actor_queries import article_mentions
from .highlight import MentionLink, mention_chains, speaker_key

__all__ = ["chains_json", "speaker_chains"]


def speaker_chains(
    store: Store, article_id: int, text: str, statements: Sequence[StoredStatement]
) -> dict[str, list[MentionLink]]:
    """Speaker key (as ``speaker_key`` gives it) -> that speaker's mentions in the article."""
    speakers = list(dict.fromkeys(speaker_key(st) for st in statements))
    by_doc_actor = {st.doc_actor_id: speaker_key(st) for st in statements if st.doc_actor_id}
    spans: list[tuple[int, int, str]] = []
    for m in article_mentions(store, article_id):
        key = f"actor:{m.actor_id}" if m.actor_id is not None else by_doc_actor.get(m.doc_actor_id)
        if key is not None:
            spans.append((m.start, m.end, key))
    return mention_chains(text, spans, speakers)


def chains_json(
    chains: dict[str, list[MentionLink]], statements: Sequence[StoredStatement]
) -> list[dict[str, Any]]:
    names = {speaker_key(st): (st.actor_id, st.actor_name or st.speaker) for st in statements}
    return [
        {
            "actor_id": names[key][0],
            "speaker": names[key][1],
            "mentions": [{"start": m.start, "end": m.end, "text": m.text} for m in chain],
        }
        for key, chain in chains.items()
    ]
