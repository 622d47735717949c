"""Names and titles: how a mention becomes an alias key that links actors across articles.

A mention either carries a personal name, possibly behind titles and honorifics
("Leader of the Islamic Revolution His Eminence Imam Sayyed Ali Khamenei" → ``ali khamenei``,
kind ``name``), or is a title alone ("Iran's Supreme Leader" → ``iran's supreme leader``,
kind ``title``). Pronouns and lower-case descriptions ("he", "the minister") say nothing about
who is meant outside their article and give no alias at all.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

from ..nlp.speaker_lexicon import ROLE_NOUNS

__all__ = [
    "AliasForm",
    "AliasKind",
    "link_key",
    "mention_forms",
    "normalise_mention",
    "normalise_text",
]

AliasKind = Literal["name", "title"]


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Words that precede a name as titles or honorifics; everything up to the last of them is
# dropped when a person's name follows.
_TITLE_WORDS = _words(
    """
    imam ayatollah grand sayyed sayyid seyed seyyed syed sheikh shaikh hojatoleslam mullah
    his her eminence excellency highness majesty mr mrs ms miss dr prof professor sir lord lady
    rev reverend father pope bishop archbishop cardinal patriarch rabbi cleric
    gen general lt col colonel maj major capt captain adm admiral commander
    sen senator rep representative gov governor mayor king queen prince princess emir sultan
    president vice prime minister secretary chancellor chairman chairwoman chair
    spokesman spokeswoman spokesperson leader chief ambassador envoy deputy speaker
    judge justice attorney director head supreme revolution islamic revolutionary
    foreign defence defense interior state national security adviser advisor
    former late acting
    of the and
    """
)
# Of those, the ones that style a person rather than name an office: a title that ends in
# them ("Leader of the Islamic Revolution His Eminence Imam") is cut back to the office.
_HONORIFICS = _words(
    """
    imam ayatollah grand sayyed sayyid seyed seyyed syed sheikh shaikh hojatoleslam mullah
    his her eminence excellency highness majesty mr mrs ms miss dr prof professor sir lord lady
    rev reverend father
    """
)
_STOPWORDS = frozenset({"of", "the", "and"})
# Words that end an organisation's name, never a person's ("General Motors", "Chief Council").
_ORGANISATION_HEADS = _words(
    "motors council committee commission ministry department agency union company corporation"
)
# Words in front of a description, capitalised at the start of a sentence: "A spokesman".
_DETERMINERS = _words("the a an another some one two three several many each this that these")
_PRONOUNS = _words(
    """
    i me my we us our you your he him his she her it its they them their this that these those
    who whom which one someone somebody
    """
)
# Lower-case particles that belong inside names ("Mohammed Shayyaa al-Sudani", "Ursula von
# der Leyen").
_PARTICLES = _words("al el bin ibn bint abu van von der den de da di du la le del della dos ter")
# The Arabic article is written "al-Sudani", "Al Sudani", "Al-Sudani" or left off ("Sudani").
_ARTICLES = frozenset({"al", "el", "ul"})
_DOUBLED = re.compile(r"(.)\1+")
_ACRONYM_IN_BRACKETS = re.compile(r"\s*\(([A-Z][A-Za-z&]{1,9})(?:\)|$)")
_APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "`": "'", "ʼ": "'", "‐": "-", "–": "-"})
_SPACED_DASH = re.compile(r"\s[—-]\s")
_TOKEN = re.compile(r"[^\W_][\w'\-.]*", re.UNICODE)


@dataclass(frozen=True)
class AliasForm:
    """A mention reduced to its linking key: ``norm`` is compared, ``display`` is shown."""

    display: str
    norm: str
    kind: AliasKind

    @property
    def tokens(self) -> list[str]:
        return self.norm.split()


def normalise_text(text: str) -> str:
    """Case, accents, apostrophes and spacing folded away: ``"Sayyed  Ali Khāmene’i"`` →
    ``"sayyed ali khamene'i"``."""
    folded = unicodedata.normalize("NFKD", text.translate(_APOSTROPHES))
    folded = "".join(ch for ch in folded if not unicodedata.combining(ch))
    words = [w.strip(".'-") for w in _TOKEN.findall(folded.casefold())]
    return " ".join(w for w in words if w)


@lru_cache(maxsize=65_536)
def link_key(norm: str) -> str:
    """What two spellings of one name share, for comparing names across articles: hyphens as
    spaces, the Arabic article and apostrophes dropped, y spelt i, doubled letters single.

    >>> link_key("volodymyr zelenskyy") == link_key("volodimir zelensky")
    True
    >>> link_key("jean-luc marchand"), link_key("mohammed shayyaa al-sudani")
    ('jean luc marchand', 'mohamed shaya sudani')
    """
    words = []
    for word in norm.replace("-", " ").split():
        if word in _ARTICLES:
            continue
        word = _DOUBLED.sub(r"\1", word.replace("'", "").replace("y", "i"))
        if word:
            words.append(word)
    return " ".join(words)


def _after_dateline(surface: str) -> str:
    """A mention that swallowed the dateline ("LISVEK, May 1 — Mayor Ines Paro") keeps only
    what follows the last spaced dash."""
    text = " ".join(surface.translate(_APOSTROPHES).split())
    return _SPACED_DASH.split(text)[-1]


def _is_name_token(token: str) -> bool:
    low = token.casefold().strip(".")
    if low in _TITLE_WORDS:
        return False
    if "-" in low and all(part in _TITLE_WORDS for part in low.split("-") if part):
        return False  # "Secretary-General", "Attorney-General"
    if low in _PARTICLES:
        return True
    head, _, rest = token.partition("-")
    if rest and head.casefold() in _PARTICLES:
        return rest[:1].isupper()
    return token[:1].isupper()


@lru_cache(maxsize=65_536)  # the same few thousand names recur in every batch
def normalise_mention(surface: str, label: str = "PERSON") -> AliasForm | None:
    """The alias a mention gives, or None when it names no one outside its article.

    >>> normalise_mention("Iraqi Prime Minister Mohammed Shayyaa al-Sudani")
    AliasForm(display='Mohammed Shayyaa al-Sudani', norm='mohammed shayyaa al-sudani', kind='name')
    >>> normalise_mention("Iran's Supreme Leader").kind
    'title'
    >>> normalise_mention("he") is None
    True
    """
    text = _after_dateline(surface)
    tokens = _TOKEN.findall(text)
    if not tokens:
        return None
    lowered = [t.casefold() for t in tokens]
    while tokens and lowered[0] in _DETERMINERS:
        tokens, lowered = tokens[1:], lowered[1:]
    if not tokens or all(t in _PRONOUNS for t in lowered):
        return None
    if not any(ch.isupper() for t in tokens for ch in t):
        return None  # "the minister": a description, not a name
    tokens = [t for i, t in enumerate(tokens) if i == 0 or t != tokens[i - 1]]  # "Japan Japan"
    if label not in ("PERSON", "PER", ""):
        # Organisations and places keep their whole name: "Foreign Ministry" is not a title.
        # Lower-case words in front describe it ("space agency JAXA", "head of the WMO").
        while len(tokens) > 1 and not tokens[0][:1].isupper():
            tokens = tokens[1:]
        if not tokens[0][:1].isupper():
            return None
        display = " ".join(tokens)
        return AliasForm(display, normalise_text(display), "name")
    tail: list[str] = []
    for token in reversed(tokens):
        if not _is_name_token(token):
            break
        tail.append(token)
    tail.reverse()
    while tail and (tail[0].casefold() in _PARTICLES or tail[0].endswith("'s")):
        tail = tail[1:]  # "Iran's Ali Khamenei" → "Ali Khamenei"
    if len(tail) == 1 and tail[0].casefold() in _ORGANISATION_HEADS:
        tail = tokens  # "General Motors" taken for a person is still not "Motors"
    if tail:
        display = " ".join(tail)
        return AliasForm(display, normalise_text(display), "name")
    return _title_form(tokens)


def _title_form(tokens: list[str]) -> AliasForm | None:
    while tokens and tokens[-1].casefold().strip(".") in _HONORIFICS:
        tokens = tokens[:-1]
    while tokens and tokens[0].casefold() in _STOPWORDS:
        tokens = tokens[1:]
    while tokens and tokens[-1].casefold() in _PARTICLES:
        tokens = tokens[:-1]  # "Al" of "Al Sudani" is the name's, not a title
    if not any(ch.isupper() for t in tokens for ch in t):
        return None  # "agency chief": a description
    words = [t.casefold().strip(".") for t in tokens]
    content = [w for w in words if w not in _STOPWORDS]
    if all(w in _TITLE_WORDS for w in words) and len(content) < 3:
        # "His Eminence", "the President", "Foreign Minister": who is meant depends on the
        # article; "Leader of the Islamic Revolution" does not.
        return None
    display = " ".join(tokens)
    norm = normalise_text(display)
    return AliasForm(display, norm, "title") if norm else None


# "the head of ...", "Chief of Staff of ...": a role noun then "of".
_ROLE_OF = re.compile(r"\s*(?:the\s+|a\s+|an\s+)?(?P<role>[\w-]+)\s+of\s", re.IGNORECASE)


@lru_cache(maxsize=65_536)
def mention_forms(surface: str, label: str = "PERSON") -> tuple[AliasForm, ...]:
    """Every alias a mention gives: its name, and the title in front of the name if any.

    >>> [f.norm for f in mention_forms("Iran's Supreme Leader Ayatollah Ali Khamenei")]
    ['ali khamenei', "iran's supreme leader"]

    An acronym in brackets is a name of its own: "World Meteorological Organization (WMO)"
    gives ``world meteorological organization`` and ``wmo``.
    """
    person = label in ("PERSON", "PER", "")
    role_of = _ROLE_OF.match(surface)
    if person and role_of and role_of.group("role").casefold() in ROLE_NOUNS:
        # "The head of the World Meteorological Organization (WMO)" is a title the person
        # holds, never a name of theirs: the organisation's names would merge the two.
        text = " ".join(_TOKEN.findall(_ACRONYM_IN_BRACKETS.sub("", surface)))
        return (AliasForm(text, normalise_text(text), "title"),) if text else ()
    acronyms = _ACRONYM_IN_BRACKETS.findall(surface)
    if acronyms and person:
        # An acronym said of a person is their organisation's ("Taalas (WMO)").
        return mention_forms(_ACRONYM_IN_BRACKETS.sub("", surface), label)
    if acronyms:
        rest = _ACRONYM_IN_BRACKETS.sub("", surface)
        extra = tuple(AliasForm(a, normalise_text(a), "name") for a in acronyms)
        return (*mention_forms(rest, label), *extra)
    form = normalise_mention(surface, label)
    if form is None:
        return ()
    if form.kind != "name" or label not in ("PERSON", "PER", ""):
        return (form,)
    tokens = _TOKEN.findall(_after_dateline(surface))
    prefix = tokens[: len(tokens) - len(form.display.split())]
    while prefix and prefix[0].casefold() in _DETERMINERS:
        prefix = prefix[1:]
    title = _title_form(prefix) if prefix else None
    return (form, title) if title else (form,)
