"""An article's actors with their whole coreference chains.

The speaker rules make an actor for every person and organisation the article names, with the
mentions they read (names, sources of statements). When the ``quotetrace_coref`` component ran
before them, each actor also takes the rest of its chain (pronouns, possessives, descriptions,
appositions), and a named person or organisation that no rule made an actor of becomes one, so
that ``doc._.actors`` lists every actor with all its mentions. Speakers are never changed here:
a statement keeps the actor the rules gave it.
"""

from __future__ import annotations

import bisect
from typing import Any

from spacy.tokens import Doc

__all__ = ["one_person_named", "with_coref_chains"]

_LABELS = ("PERSON", "ORG")


def with_coref_chains(doc: Doc, actors: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """``actors`` (the resolver's dicts) with the coreference chains of ``doc`` added; the
    same list when the component did not run."""
    entities = doc._.coref_entities if Doc.has_extension("coref_entities") else None
    if not entities:
        return actors
    owned = sorted((s, e, k) for k, a in enumerate(actors) for s, e in a["mentions"])
    starts = [s for s, _, _ in owned]

    def owners(start: int, end: int) -> list[int]:
        # actors with a mention overlapping [start, end)
        hi = bisect.bisect_left(starts, end)
        return [k for s, e, k in owned[max(0, hi - 64) : hi] if s < end and start < e]

    out = [dict(a, mentions=[list(m) for m in a["mentions"]]) for a in actors]
    next_id = max((int(a["id"]) for a in actors), default=0) + 1
    groups: list[tuple[dict[str, Any], list[str]]] = []  # new group actors, their members' names
    for ent in entities:
        if ent["label"] not in _LABELS:
            continue
        votes: dict[int, int] = {}
        free: list[list[int]] = []
        for start, end in ent["mentions"]:
            hit = owners(start, end)
            for k in hit:
                votes[k] = votes.get(k, 0) + 1
            if not hit:
                free.append([start, end])
        if votes:
            # the actor most of the chain's mentions already are (a group actor never takes
            # a chain: its members' pronouns are theirs)
            best = max(votes, key=lambda k: (votes[k], -k))
            if out[best].get("members"):
                continue
            if free:
                out[best]["mentions"] = sorted(out[best]["mentions"] + free)
                out[best]["chain"] = sorted(out[best].get("chain", []) + free)
        elif ent["named"] and ent["name"] and free:
            actor = {
                "id": next_id,
                "name": ent["name"],
                "label": ent["label"],
                "mentions": free,
                "chain": list(free),
            }
            out.append(actor)
            next_id += 1
            if ent.get("members"):
                groups.append((actor, list(ent["members"])))
    people = [a for a in out if all(a is not group for group, _names in groups)]
    for actor, names in groups:
        # "Ana Ruiz and Tom Lee" (interviewed together) is a group of the two actors, so that
        # their pronouns stay theirs and each one's answers stay their own
        found = [one_person_named(people, name) for name in names]
        if all(a is not None for a in found):
            actor["members"] = sorted({int(a["id"]) for a in found if a is not None})
    return out


def one_person_named(actors: list[dict[str, Any]], name: str) -> dict[str, Any] | None:
    """The first actor that is not a group and whose name ends in the name's last word
    ("Tom Lee" for "TomLee"'s "Lee"), or None."""
    words = name.split()
    if not words:
        return None
    last = words[-1].casefold()
    for actor in actors:
        parts = str(actor["name"]).split()
        if not actor.get("members") and parts and parts[-1].casefold() == last:
            return actor
    return None
