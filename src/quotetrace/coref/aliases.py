"""Names a person or organisation is "known as": "Jerome ..., commonly known as Saint Jerome",
"Jenna Mourey, better known by her pseudonym Jenna Marbles", "the singer, who is known as Lulu".

Such a name is the same entity as what it describes, whatever the recogniser labelled it
("Saint Jerome" as a place), and it is the name the entity goes by: the article says so.
Found on the parse's arrays; Python only looks at the few "known" tokens of an article.
"""

from __future__ import annotations

import numpy as np
from spacy.attrs import DEP, HEAD, LEMMA
from spacy.tokens import Doc, Token

from .mentions import NAME, Mentions

__all__ = ["alias_links"]

# "known by her pseudonym X", "known under the name X"
_NAME_NOUNS = frozenset({"pseudonym", "nickname", "name", "moniker", "alias", "title"})


def alias_links(doc: Doc, m: Mentions) -> list[tuple[int, int]]:
    """(described mention, alias name mention) pairs, in text order."""
    if len(m) == 0:
        return []
    strings = doc.vocab.strings
    arr = doc.to_array([LEMMA, DEP, HEAD])
    know = strings.add("know")
    heads = m.head.tolist()
    by_head = {h: k for k, h in enumerate(heads)}
    form = m.form.tolist()
    out: list[tuple[int, int]] = []
    for i in np.flatnonzero(arr[:, 0] == know).tolist():
        verb = doc[i]
        if verb.tag_ != "VBN":
            continue
        described = _described(verb, by_head)
        if described is None:
            continue
        for alias in _aliases(verb):
            k = by_head.get(alias)
            if k is not None and form[k] == NAME and k != described:
                out.append((described, k))
    return out


def _described(verb: Token, by_head: dict[int, int]) -> int | None:
    """The mention "known" says something of: the noun it modifies ("Jerome, known as", "the
    singer, who is known as") or the subject of "X is known as"."""
    dep = verb.dep_
    if dep in ("acl", "relcl"):
        return by_head.get(verb.head.i)
    for child in verb.children:
        if child.dep_ in ("nsubjpass", "nsubj"):
            return by_head.get(child.i)
    return None


def _aliases(verb: Token) -> list[int]:
    """The names after "known as" / "known by (her pseudonym) X"."""
    found: list[int] = []
    for prep in verb.children:
        if prep.dep_ not in ("prep", "agent") or prep.lower_ not in ("as", "by", "under"):
            continue
        for obj in prep.children:
            if obj.dep_ != "pobj":
                continue
            if obj.pos_ == "PROPN":
                found.append(obj.i)
            elif obj.lemma_.lower() in _NAME_NOUNS:
                found.extend(c.i for c in obj.children if c.dep_ == "appos")
    return found
