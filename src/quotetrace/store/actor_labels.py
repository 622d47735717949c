"""An actor's label across the store: PERSON, ORG, or what kind of thing it is.

Each article's extractor labels its own actors from spaCy's entities, and those are often
wrong one article at a time ("Correctional Services" a PERSON, "Oscar Pistorius" an ORG). The
store sees every article: an actor's label is the majority of its document actors' labels, with
its pronouns voting too ("he"/"she" for a person, "it" against one), and priors from its name
that no majority overrides:

* a name that says what kind of thing it is — a stadium, a ship or lander, the Moon, a day —
  is not a PERSON (``FAC``, ``PRODUCT``, ``LOC``, ``EVENT``);
* a name with an organisation's word in it ("Department", "Agency", "Union", "Police") or
  an acronym never pronounced "he" or "she" ("UAW", "NASA") is an ORG.

>>> from collections import Counter
>>> choose_label(Counter({"PERSON": 3, "ORG": 1}), "Correctional Services")
'ORG'
>>> choose_label(Counter({"PERSON": 1}), "Smart Lander for Investigating Moon")
'PRODUCT'
>>> choose_label(Counter({"ORG": 2, "PERSON": 1, "he": 3}), "Oscar Pistorius")
'PERSON'
"""

from __future__ import annotations

from collections import Counter

__all__ = ["PRONOUN_VOTES", "choose_label", "pronoun_vote"]

# Mention surfaces that say whether an actor is a person; their counts are the actor's votes.
PRONOUN_VOTES: dict[str, str] = {
    **dict.fromkeys(("he", "him", "his", "himself", "she", "her", "hers", "herself"), "he"),
    **dict.fromkeys(("it", "its", "itself"), "it"),
}

_THING_WORDS: dict[str, str] = {
    **dict.fromkeys(
        """stadium arena airport station bridge plant factory centre center prison jail
        hospital palace house hall museum tower port harbour harbor dam building square
        street road avenue highway tunnel estate""".split(),
        "FAC",
    ),
    **dict.fromkeys(
        """ship vessel boat ferry tanker lander rover probe spacecraft satellite rocket
        telescope aircraft jet plane helicopter drone car truck train""".split(),
        "PRODUCT",
    ),
    **dict.fromkeys("moon mars earth sun venus jupiter river sea ocean lake mount".split(), "LOC"),
    **dict.fromkeys(
        "day festival olympics games cup championship championships marathon summit war".split(),
        "EVENT",
    ),
}
_ORG_WORDS = frozenset(
    """department ministry agency agencies services service organization organisation union
    workers council committee commission police government company corporation corp inc ltd
    llc group motors athletics association federation board authority institute university
    college school party court office bureau bank fund foundation news times press post
    network television radio club league army navy force forces assembly parliament senate
    congress administration""".split()
)
_PERSON_FIRST = ("PERSON", "ORG")


def pronoun_vote(surface: str) -> str | None:
    """``"he"`` or ``"it"`` when a mention is a personal or a neuter pronoun, else None."""
    return PRONOUN_VOTES.get(surface.strip().casefold())


def _words(name: str) -> list[str]:
    return [w.strip(".,'’()").casefold() for w in name.replace("-", " ").split()]


def _head_word(words: list[str]) -> str:
    for i, word in enumerate(words):
        if word in ("of", "for", "on", "in", "at") and i > 0:
            return words[i - 1]
    return words[-1] if words else ""


def _is_acronym(name: str) -> bool:
    bare = name.replace(".", "").replace("&", "")
    return 2 <= len(bare) <= 6 and bare.isalpha() and bare.isupper()


def choose_label(votes: Counter[str], name: str) -> str:
    """The store-wide label from document-actor labels and pronoun votes (``"he"``/``"it"``)."""
    words = _words(name)
    person = votes["PERSON"] + votes["he"]
    if votes["he"] == 0:
        # What kind of thing its head noun says: the last word before "of"/"for"
        # ("Smart Lander for Investigating Moon" is a lander, "Michigan Assembly Plant" a
        # plant, "Department of Correctional Services" a department).
        head = _head_word(words)
        if head in _THING_WORDS:
            return _THING_WORDS[head]
        if _is_acronym(name):
            return "ORG"
    if any(w in _ORG_WORDS for w in words):
        return "ORG"  # a "she" next to "Correctional Services" was resolved to the wrong actor
    if votes["he"] >= max(1, votes["it"]):
        return "PERSON"  # pronounced "he" or "she": a person, whatever one article's NER said
    scores = Counter(
        {label: n for label, n in votes.items() if label not in PRONOUN_VOTES.values()}
    )
    scores["PERSON"] = person
    scores["ORG"] += votes["it"]
    best = max(scores.values(), default=0)
    if best == 0:
        return "PERSON" if len(words) >= 2 else "ORG"
    tied = sorted(label for label, n in scores.items() if n == best)
    for label in _PERSON_FIRST:
        if label in tied:
            return label
    return tied[0]
