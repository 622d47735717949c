"""Who a statement's speaker is when the source is not a name: roles, acronyms, documents,
groups, and quotes with no frame of their own. Fictional reports, one behaviour each.

Acronyms and lexicons are also checked without a model.
"""

from __future__ import annotations

from typing import Any

import pytest

from quotetrace.nlp.speaker_lexicon import acronym_of, known_acronyms, spelled_out_acronyms
from quotetrace.nlp.speakers import SPEAKER_CONFIDENCE, canonical_name


def test_acronyms_spelled_out_in_the_text() -> None:
    text = (
        "Officials of the Cadorian Harbour Safety Board (CHSB) met the head of the "
        "Velmora Port Authority's Tidal Research Unit (TRU). The "
        "department of coastal works (DCW) said nothing."
    )
    found = spelled_out_acronyms(text)
    assert found["CHSB"] == ["Cadorian", "Harbour", "Safety", "Board"]
    assert found["TRU"] == ["Tidal", "Research", "Unit"]  # not the port authority's words
    assert found["DCW"] == ["Department", "of", "Coastal", "Works"]  # lower case title-cased
    assert "NO" not in spelled_out_acronyms("It said (NO) more.")


def test_initials_and_the_shipped_table() -> None:
    assert acronym_of(["Cadorian", "Harbour", "Safety", "Board"]) == "CHSB"
    assert acronym_of(["Board"]) == ""
    assert known_acronyms()["UN"] == ["United", "Nations"]


def test_a_bracketed_acronym_is_not_part_of_the_name() -> None:
    assert canonical_name(["National", "Tide", "Centre", "(NTC"])[0] == [
        "National",
        "Tide",
        "Centre",
    ]


def test_speaker_confidence_orders_the_ways() -> None:
    ways = ["name", "title", "pronoun", "continuation", "description", "none"]
    values = [SPEAKER_CONFIDENCE[w] for w in ways]
    assert values == sorted(values, reverse=True) and values[-1] == 0.0


def _statement(result: Any, word: str) -> Any:
    """The one statement whose content holds ``word``."""
    [found] = [a for a in result.attributions if word in result.snippet(a.content)]
    return found


def _extract(nlp: Any, text: str) -> Any:
    from quotetrace.models import Article
    from quotetrace.nlp.pipeline import extract_articles

    [result] = extract_articles([Article("t", text)], nlp)
    return result


@pytest.mark.model
def test_a_role_goes_to_its_holder_not_the_organisation(nlp: Any) -> None:
    result = _extract(
        nlp,
        "Dockers union president Ilse Marvek said on Monday that the strike would end.\n\n"
        "Union Vice President Tomas Reuel said the vote was close.\n\n"
        "The union president said that members would return on Friday.",
    )
    statement = _statement(result, "members")
    assert statement.speaker == "Ilse Marvek"  # not the union, not its vice president
    assert statement.speaker_confidence == SPEAKER_CONFIDENCE["title"]


@pytest.mark.model
def test_an_acronym_speaks_with_its_full_name(nlp: Any) -> None:
    result = _extract(
        nlp,
        "The Cadorian Harbour Safety Board (CHSB) opened an inquiry on Tuesday.\n\n"
        "The CHSB said that the ferry had been overloaded.",
    )
    statement = _statement(result, "overloaded")
    assert statement.speaker == "Cadorian Harbour Safety Board"


@pytest.mark.model
def test_a_document_speaks_for_its_issuer(nlp: Any) -> None:
    result = _extract(
        nlp,
        "The Velmora Port Authority closed the east pier on Monday.\n\n"
        "A statement from the Velmora Port Authority said that repairs would take a month.",
    )
    statement = _statement(result, "repairs")
    assert statement.speaker == "Velmora Port Authority"
    assert statement.via == "statement"


@pytest.mark.model
def test_the_pair_is_a_group_with_members(nlp: Any) -> None:
    result = _extract(
        nlp,
        "Mayor Maria Santos and Governor John Keller met in Velmora on Monday.\n\n"
        "The two said that the bridge would reopen in May.",
    )
    statement = _statement(result, "bridge")
    assert statement.speaker == "Maria Santos and John Keller"
    actors = result.to_json()["actors"]
    group = next(a for a in actors if a["name"] == statement.speaker)
    members = {a["name"] for a in actors if a["id"] in group["members"]}
    assert members == {"Maria Santos", "John Keller"}


def test_a_quote_paragraph_continues_the_speaker_before_it() -> None:
    # No parse is needed: the resolver sees two candidates, one framed by a name, one not.
    import spacy
    from spacy.tokens import Doc

    from quotetrace.nlp.candidates import Candidate
    from quotetrace.nlp.speakers import resolve_speakers

    words = ["Koval", "said", "the", "pier", "was", "unsafe", ".", "\n\n", "“", "We", "will"]
    words += ["rebuild", "it", ".", "”", "\n\n", "“", "Soon", ".", "”"]
    spaces = [
        w not in ("\n\n", "“") and nxt not in (".", "”", "\n\n")
        for w, nxt in zip(words, [*words[1:], ""], strict=True)
    ]
    doc = Doc(spacy.blank("en").vocab, words=words, spaces=spaces)
    for i, tok in enumerate(doc):
        tok.is_sent_start = i == 0 or doc[i - 1].text == "\n\n"
    doc.ents = [doc.char_span(0, 5, label="PERSON")]
    text = doc.text
    said = Candidate(
        (text.index("the pier"), text.index("unsafe") + 6), (0, 1), (1, 2), "clause", 0.9, 0, 1
    )
    first = text.index("We")
    quote = Candidate((first, text.index("”")), None, None, "quote", 0.8, kind="direct")
    far = text.index("Soon")
    attributions, _ = resolve_speakers(
        doc, [said, quote, Candidate((far, far + 4), None, None, "quote", 0.8, kind="direct")]
    )
    assert [a["speaker"] for a in attributions] == ["Koval", "Koval", "Koval"]
    assert attributions[1]["speaker_confidence"] == SPEAKER_CONFIDENCE["continuation"]
    assert attributions[0]["speaker_confidence"] == SPEAKER_CONFIDENCE["name"]


@pytest.mark.model
def test_a_namesake_named_later_is_not_the_speaker(nlp: Any) -> None:
    result = _extract(
        nlp,
        "President Daniel Okoro praised the runners on Sunday.\n\n"
        "President Okoro said that the marathon would be held again next year.\n\n"
        "First Lady Grace Okoro also wrote that the city was proud.",
    )
    statement = _statement(result, "marathon")
    assert statement.speaker == "Daniel Okoro"


@pytest.mark.model
def test_a_participle_frame_takes_the_name_in_apposition(nlp: Any) -> None:
    result = _extract(
        nlp,
        "Reacting to the verdict, the victim's father, Martin Delacroix, said that the family "
        "could finally rest.",
    )
    statement = _statement(result, "rest")
    assert statement.speaker == "Martin Delacroix"


@pytest.mark.model
def test_a_quote_whose_frame_was_missed_takes_the_name_after_it(nlp: Any) -> None:
    result = _extract(
        nlp,
        "Forecasters in Velmora were caught out by the storm.\n\n"
        "“If we had been warned, we could have saved the harbour,” Martin Delacroix, "
        "Velmora harbour master Martin Delacroix, told reporters on Friday in Lisvek.",
    )
    statement = _statement(result, "warned")
    assert statement.speaker == "Martin Delacroix"


def test_a_headline_verb_is_not_part_of_the_name() -> None:
    # "Korvanen Says Talks Will Resume": the recogniser may take "Says" into the name
    assert canonical_name(["Korvanen", "Says"])[0] == ["Korvanen"]
    assert canonical_name(["President", "Ilse", "Korvanen", "Warns"])[0] == ["Ilse", "Korvanen"]
    assert canonical_name(["Sayers"])[0] == ["Sayers"]


@pytest.mark.model
def test_a_party_and_state_in_brackets_are_not_the_name(nlp: Any) -> None:
    result = _extract(
        nlp,
        "Republicans were not worried. Sen. Ana Perez (R-Tex.) said she did not believe the "
        "attacks had cost the party the last election.\n\n"
        "The Cadorian Harbour Safety Board (CHSB) said that the ferry had been overloaded.",
    )
    assert _statement(result, "attacks").speaker == "Ana Perez"
    # after an organisation, the bracket still gives its acronym
    assert _statement(result, "overloaded").speaker == "Cadorian Harbour Safety Board"


def test_quote_marks_the_mention_took_are_not_the_name() -> None:
    assert canonical_name(["Ana", "Perez", "''"])[0] == ["Ana", "Perez"]
    assert canonical_name(["Sen.", "Ana", "Perez", "(", "R", "-", "Tex", ".", ")"])[0] == [
        "Ana",
        "Perez",
    ]
    assert canonical_name(["(", "AP", ")"])[0] == ["AP"]
