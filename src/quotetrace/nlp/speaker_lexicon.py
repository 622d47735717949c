"""Word lists and name helpers for speaker resolution.

Kept apart from the resolver so the lists can be read and edited on their own: the nouns that
name a role ("the agency chief"), a document ("the statement"), or a group ("the pair"); and
the organisation acronyms a report may use without ever spelling out ("NASA", "the UN").
"""

from __future__ import annotations

import re
from functools import lru_cache
from importlib import resources

__all__ = [
    "DOCUMENT_NOUNS",
    "GROUP_WORDS",
    "ROLE_NOUNS",
    "ROLE_SYNONYMS",
    "acronym_of",
    "known_acronyms",
    "spelled_out_acronyms",
]

# A noun that names a position someone holds: "UAW president", "the head of the WMO", "the
# agency chief". The speaker is the person holding it, never the organisation around it.
ROLE_NOUNS = frozenset(
    """president head chief leader boss chair chairman chairwoman chairperson director
    secretary-general director-general secretary minister spokesman spokeswoman spokesperson
    ceo founder governor mayor commissioner coach manager premier chancellor envoy ambassador
    executive official officer commander captain general judge prosecutor attorney lawyer
    administrator representative delegate negotiator adviser advisor deputy vice-president
    king queen monarch emir pope cleric ayatollah imam""".split()
)
# Role nouns that say "the one at the top" in other words: the WMO "chief" is its
# "Secretary-General", the union's "head" its "President".
_TOP = {
    "head",
    "chief",
    "leader",
    "boss",
    "chair",
    "chairman",
    "chairwoman",
    "chairperson",
    "president",
    "secretary-general",
    "director-general",
    "director",
    "ceo",
}
ROLE_SYNONYMS: dict[str, frozenset[str]] = {word: frozenset(_TOP - {word}) for word in _TOP}

# A noun that names something issued rather than someone: the speaker is its issuer.
DOCUMENT_NOUNS = frozenset(
    """statement report announcement ruling review post tweet release letter memo memorandum
    filing study survey communique communiqué notice decision order judgment judgement verdict
    document paper bulletin advisory assessment analysis update press briefing transcript
    declaration resolution petition complaint lawsuit indictment affidavit""".split()
)

# Words that refer back to two or more people named together: "the two", "the pair".
GROUP_WORDS = frozenset({"two", "pair", "both", "duo", "trio", "three", "couple"})

_SMALL = frozenset({"of", "for", "and", "the", "on", "in", "de", "du", "des", "&"})
# "World Meteorological Organization (WMO)", "the department of correctional services (DCS)":
# up to eight words followed by an acronym in brackets; the initials decide how many words.
_BRACKETED = re.compile(
    r"(?P<full>(?:[\w’'.&-]+\s+){1,8}?)\(\s*(?P<short>[A-Z][A-Za-z&]{1,9})\s*\)"
)
_WORDS_BEFORE = re.compile(r"[\w’'.&-]+")


def acronym_of(words: list[str]) -> str:
    """Initials of a multi-word name, small words skipped: "Japan Aerospace Exploration
    Agency" gives "JAEA"; ``""`` for a single word."""
    kept = [w for w in words if w.lower() not in _SMALL and w[:1].isalpha()]
    if len(kept) < 2:
        return ""
    return "".join(w[0].upper() for w in kept)


def spelled_out_acronyms(text: str) -> dict[str, list[str]]:
    """Acronyms the text spells out itself, ``{"WMO": ["World", "Meteorological", ...]}``.

    The name is the shortest run of words right before the brackets whose initials are the
    acronym ("the UN's World Meteorological Organization (WMO)" gives the organisation, not
    the UN's); a name written in lower case is title-cased.
    """
    found: dict[str, list[str]] = {}
    for match in re.finditer(r"\(\s*(?P<short>[A-Z][A-Za-z&]{1,9})\s*\)", text):
        short = match.group("short")
        before = _WORDS_BEFORE.findall(text[max(0, match.start() - 120) : match.start()])[-9:]
        before = [w.strip(".") for w in before]
        for start in range(len(before) - 1, -1, -1):
            tail = before[start:]
            if tail[0].lower() in _SMALL:
                continue
            if acronym_of(tail) == short.upper() or _loose_initials(tail, short):
                if all(w.islower() or w.lower() in _SMALL for w in tail):
                    tail = [w if w.lower() in _SMALL else w.capitalize() for w in tail]
                found.setdefault(short, [_strip_possessive(w) for w in tail])
                break
    return found


def _strip_possessive(word: str) -> str:
    return re.sub(r"(?:'s|’s)$", "", word)


def _loose_initials(words: list[str], short: str) -> bool:
    # "Kenya Power and Lighting Company (KPLC)" is exact; "Department of Correctional
    # Services (DoCS)" mixes case: compare the acronym's capitals with the words' initials.
    capitals = "".join(c for c in short if c.isupper())
    initials = "".join(w[0].upper() for w in words if w.lower() not in _SMALL and w[:1].isalpha())
    return len(capitals) >= 2 and capitals == initials and capitals != short.upper()


@lru_cache(maxsize=1)
def known_acronyms() -> dict[str, list[str]]:
    """Widely used organisation acronyms (``data/acronyms.txt``: ``ACRONYM<TAB>Full Name``).

    For a report that writes "NASA" or "the UN" and never the full name; an acronym the text
    spells out itself always wins over this table.
    """
    table: dict[str, list[str]] = {}
    data = resources.files("quotetrace.nlp").joinpath("data/acronyms.txt").read_text("utf-8")
    for line in data.splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        short, _, full = line.partition("\t")
        if full.strip():
            table[short.strip()] = full.split()
    return table
