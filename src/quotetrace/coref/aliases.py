"""Names a person or organisation is "known as": "Jerome ..., commonly known as Saint Jerome",
"Jenna Mourey, better known by her pseudonym Jenna Marbles", "the singer, who is known as Lulu".

Such a name is the same entity as what it describes, whatever the recogniser labelled it
("Saint Jerome" as a place), and it is the name the entity goes by: the article says so.
Found on the parse's arrays; Python only looks at the few "known" tokens of an article.

Acronyms introduced in brackets ("Major League Baseball (MLB)", "the consortium of Dutch
academic libraries (UKB)") are the same entity too, but a short form: the full name still names
it, and the acronym said alone later joins it as the same name said again.
"""

from __future__ import annotations

import numpy as np
from spacy.attrs import DEP, HEAD, LEMMA
from spacy.tokens import Doc, Token

from .mentions import NAME, NOMINAL, Mentions

__all__ = ["acronym_links", "alias_links", "family_names"]

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


# words an acronym may skip: "Union of Rationalist Atheists and Agnostics (UAAR)"
_SKIPPABLE = frozenset({"of", "the", "and", "for", "&", "de", "la", "in", "on"})


def acronym_links(doc: Doc, m: Mentions) -> list[tuple[int, int]]:
    """(described, acronym) mention pairs of "Full Name (FN)" and "the description (FN)": the
    acronym one token in brackets right after the mention, with at least two capitals; after a
    name, its capitals are the name's initials in order."""
    if len(m) == 0:
        return []
    starts, ends, form = m.start.tolist(), m.end.tolist(), m.form.tolist()
    ending_at: dict[int, int] = {}  # the longest mention ending at each token
    for k, e in enumerate(ends):
        ending_at.setdefault(e, k)
    out: list[tuple[int, int]] = []
    n = len(doc)
    for k in range(len(m)):
        s = starts[k]
        if form[k] != NAME or ends[k] != s + 1 or s < 1 or s + 1 >= n:
            continue
        if doc[s - 1].text != "(" or doc[s + 1].text != ")":
            continue
        word = doc[s].text
        capitals = [c for c in word if c.isupper() or c.isdigit()]
        if sum(1 for c in capitals if c.isupper()) < 2:
            continue
        described = ending_at.get(s - 1)
        if described is None or described == k:
            continue
        if form[described] == NAME:
            if not _initials_spell(doc[starts[described] : ends[described]].text, capitals):
                continue
        elif form[described] != NOMINAL:
            continue
        out.append((described, k))
    return out


def _initials_spell(name: str, capitals: list[str]) -> bool:
    """Whether ``capitals`` are the initials of ``name``'s words in order, starting with its
    first word that counts ("the Computing Research Association" -> C R A)."""
    words = [w for w in name.replace("-", " ").split() if w]
    while words and words[0].lower() in _SKIPPABLE:
        words = words[1:]
    if not words or words[0][0].upper() != capitals[0]:
        return False
    i = 0
    for w in words:
        if i < len(capitals) and w[0].upper() == capitals[i]:
            i += 1
        elif w.lower() not in _SKIPPABLE:
            return False
    return i == len(capitals)


def family_names(doc: Doc, m: Mentions) -> list[int]:
    """The mentions that name a family by its surname in the plural ("the Sams" where the
    article names Thomas Sam and Manju Sam): at least two people of the article, with
    different first names, bear the surname."""
    if len(m) == 0:
        return []
    starts, ends, form = m.start.tolist(), m.end.tolist(), m.form.tolist()
    ner, first = m.ner.tolist(), m.first_id.tolist()
    bearers: dict[str, set[int]] = {}  # surname -> the first names it goes with
    for k in range(len(m)):
        if form[k] == NAME and ner[k] == 1 and first[k] and ends[k] - starts[k] >= 2:
            bearers.setdefault(doc[ends[k] - 1].lower_, set()).add(first[k])
    out: list[int] = []
    for k in range(len(m)):
        s = starts[k]
        if form[k] != NAME or ends[k] != s + 1 or s < 1 or doc[s - 1].lower_ != "the":
            continue
        word = doc[s].lower_
        for stem in (word[:-1], word[:-2]) if word.endswith("s") else ():
            if len(bearers.get(stem, ())) >= 2:
                out.append(k)
                break
    return out
