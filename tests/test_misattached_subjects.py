"""A name the parser hung on the phrase before a subjectless "said" is the speaker:
"Speaking in Velmora, Ana Ruiz, head of the Korvan Space Agency (KSA), said …" parses "Ana
Ruiz" as conjoined with "Velmora". Parses by hand."""

from __future__ import annotations

from spacy.lang.en import English
from spacy.tokens import Doc

from quotetrace.nlp.candidates import _misattached_subject
from quotetrace.nlp.extractor import RuleAttributor

# word, head, dep, pos, entity (IOB)
SPEAKING = [
    ("Speaking", 17, "advcl", "VERB", "O"),
    ("in", 0, "prep", "ADP", "O"),
    ("Velmora", 1, "pobj", "PROPN", "B-GPE"),
    (",", 2, "punct", "PUNCT", "O"),
    ("Ana", 5, "compound", "PROPN", "B-PERSON"),
    ("Ruiz", 2, "conj", "PROPN", "I-PERSON"),
    (",", 5, "punct", "PUNCT", "O"),
    ("head", 5, "appos", "NOUN", "O"),
    ("of", 7, "prep", "ADP", "O"),
    ("the", 12, "det", "DET", "O"),
    ("Korvan", 12, "compound", "PROPN", "B-ORG"),
    ("Space", 12, "compound", "PROPN", "I-ORG"),
    ("Agency", 8, "pobj", "PROPN", "I-ORG"),
    ("(", 12, "punct", "PUNCT", "O"),
    ("KSA", 12, "appos", "PROPN", "O"),
    (")", 2, "punct", "PUNCT", "O"),
    (",", 17, "punct", "PUNCT", "O"),
    ("said", 17, "ROOT", "VERB", "O"),
    ("the", 19, "det", "DET", "O"),
    ("pier", 21, "nsubj", "NOUN", "O"),
    ("will", 21, "aux", "AUX", "O"),
    ("hold", 17, "ccomp", "VERB", "O"),
    (".", 17, "punct", "PUNCT", "O"),
]


def _parse(rows: list[tuple[str, int, str, str, str]]) -> Doc:
    words, heads, deps, pos, ents = (list(col) for col in zip(*rows, strict=True))
    lemmas = ["say" if w == "said" else w.lower() for w in words]
    vocab = English().vocab  # lexical attributes (is_punct) as the model's vocab has them
    return Doc(vocab, words=words, heads=heads, deps=deps, pos=pos, lemmas=lemmas, ents=ents)


def test_the_outermost_name_before_the_verb_is_its_subject() -> None:
    doc = _parse(SPEAKING)
    said = doc[17]
    # Not "KSA", the agency's acronym inside her apposition: the person it describes.
    assert _misattached_subject(said) == doc[5]
    assert RuleAttributor._subject_of(said) == doc[5]


def test_a_place_or_a_word_between_keeps_the_verb_without_a_subject() -> None:
    rows = list(SPEAKING)
    rows[4] = ("North", 5, "compound", "PROPN", "B-GPE")
    rows[5] = ("Velmora", 2, "conj", "PROPN", "I-GPE")
    assert _misattached_subject(_parse(rows)[17]) is None
    # "…, head of the agency, later said": "later" is no part of her name or apposition.
    rows = [*SPEAKING[:16], ("later", 18, "advmod", "ADV", "O")]
    rows += [(w, h + 1 if h > 16 else h, d, p, e) for w, h, d, p, e in SPEAKING[17:]]
    rows[0] = ("Speaking", 18, "advcl", "VERB", "O")
    assert _misattached_subject(_parse(rows)[18]) is None


def test_of_two_subjects_the_one_nearest_the_verb_is_its_own() -> None:
    # "The fund pays retirees, members with pensions, Ruiz said": the parser hangs both
    # "members" and "Ruiz" on "said" as subjects.
    rows = [
        ("The", 1, "det", "DET", "O"),
        ("fund", 2, "nsubj", "NOUN", "O"),
        ("pays", 10, "ccomp", "VERB", "O"),
        ("retirees", 2, "dobj", "NOUN", "O"),
        (",", 10, "punct", "PUNCT", "O"),
        ("members", 10, "nsubj", "NOUN", "O"),
        ("with", 5, "prep", "ADP", "O"),
        ("pensions", 6, "pobj", "NOUN", "O"),
        (",", 10, "punct", "PUNCT", "O"),
        ("Ruiz", 10, "nsubj", "PROPN", "B-PERSON"),
        ("said", 10, "ROOT", "VERB", "O"),
        (".", 10, "punct", "PUNCT", "O"),
    ]
    doc = _parse(rows)
    assert RuleAttributor._subject_of(doc[10]) == doc[9]
    assert RuleAttributor._subject_of(doc[2]) == doc[1]
