"""A dateline is never the speaker: "SANTORRE, April 16 (HPA) - X urged ..." is X urging."""

from __future__ import annotations

from typing import Any

import pytest

from quotetrace.nlp.component import _DATELINE


@pytest.mark.model
@pytest.mark.parametrize(
    "opening",
    [
        "VELMORA, March 10 (CNS) - ",
        "VELMORA (CNS) — ",
        "PORT ELLIN, Oct. 3 - ",
    ],
)
def test_dateline_is_not_the_speaker(nlp: Any, opening: str) -> None:
    text = (
        opening + "Port director Anna Feld urged the council to dredge the harbour before winter."
    )
    doc = nlp(text)
    [att] = doc._.attributions
    assert att["speaker"] == "Anna Feld"
    assert text[att["content"][0] : att["content"][1]].startswith("the council to dredge")


@pytest.mark.parametrize(
    "text",
    [
        "Leader of the Islamic Revolution His Eminence Imam Sayyed Ali Khamenei said ...",
        "US President Ilse Korvanen said on Monday ...",
        "The mayor said the pier - closed since May - would reopen.",
    ],
)
def test_ordinary_openings_are_not_datelines(text: str) -> None:
    assert _DATELINE.match(text) is None


@pytest.mark.model
@pytest.mark.parametrize("headlines", [1, 2])
def test_dateline_after_the_headline_is_not_the_speaker(nlp: Any, headlines: int) -> None:
    # crawled text opens with the headline (and maybe a standfirst) before the dateline
    top = ["Harbour Must Be Dredged: Port Chief", "Winter storms threaten the docks"][:headlines]
    text = (
        "\n\n".join(top)
        + "\n\nVELMORA (CNS) – The head of the Velmora Port Authority said on Friday that the"
        " harbour had to be dredged before winter.\n\nSpeaking to reporters, port director Anna"
        " Feld said the work would take a month."
    )
    doc = nlp(text)
    sources = [text[a["source"][0] : a["source"][1]] for a in doc._.attributions]
    assert "The head of the Velmora Port Authority" in sources
    assert not any("CNS" in s or "VELMORA" in s for s in sources)


def test_a_dateline_is_looked_for_in_the_first_paragraphs_only() -> None:
    from spacy.lang.en import English

    from quotetrace.nlp.component import _find_dateline

    nlp = English()
    opening = "\n\n".join(["Headline", "Standfirst", "VELMORA (CNS) – The mayor said so."])
    found = _find_dateline(nlp(opening))
    assert found is not None and opening[found.end() :].startswith("The mayor")
    later = "\n\n".join(["Headline", "One.", "Two.", "VELMORA (CNS) – The mayor said so."])
    assert _find_dateline(nlp(later)) is None
