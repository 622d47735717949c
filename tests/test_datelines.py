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
