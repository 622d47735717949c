"""Which mention the rules give as an attribution's source, one fictional sentence per row.

The source is the mention in the text (a pronoun stays a pronoun); speaker resolution is
separate. Each row names the cue, the source expected for it, or None where the text names
nobody (the writer's impression, a question put by someone unnamed).
"""

from __future__ import annotations

from typing import Any

import pytest

from quotetrace.nlp.extractor import RuleAttributor

pytestmark = pytest.mark.model

ROWS = [
    pytest.param(
        "Harbour master Ines Koval opened the meeting by saying that the east pier would close.",
        "saying",
        "Harbour master Ines Koval",
        id="gerund-after-preposition",
    ),
    pytest.param(
        "Fishermen in Varno are more likely to say that the new quota is unfair.",
        "say",
        "Fishermen",
        id="infinitive-on-adjective",
    ),
    pytest.param(
        "The Velmora port authority issued a statement saying that dredging would begin soon.",
        "saying",
        "The Velmora port authority",
        id="participle-on-issued-document",
    ),
    pytest.param(
        "The Velmora port authority released an advertisement that urges residents to "
        "report illegal dumping.",
        "urges",
        "The Velmora port authority",
        id="relative-that-on-released-document",
    ),
    pytest.param(
        "“Keep the ferry running,” added another Varno fisherman.",
        "added",
        "another Varno fisherman",
        id="inverted-frame-name-parsed-as-object",
    ),
    pytest.param(
        "“The fleet will not survive another winter,” warned one of the skippers.",
        "warned",
        "one of the skippers",
        id="inverted-frame-number-as-speaker",
    ),
    pytest.param(
        "Asked whether the ferry would keep running, Koval said the timetable was under review.",
        "Asked",
        None,
        id="asked-participle-has-no-source",
    ),
    pytest.param(
        "The new quota seems to favour the large trawler fleets.",
        "seems",
        None,
        id="seems-is-the-writers-impression",
    ),
    pytest.param(
        "It appears that the council never voted on the contract.",
        "appears",
        None,
        id="it-appears-has-no-source",
    ),
    pytest.param(
        "Although Koval has admitted that the pier is old, she refuses to close it.",
        "admitted",
        "Koval",
        id="perfect-participle-keeps-its-subject",
    ),
    pytest.param(
        "The Varno fishing union issued a statement calling the new quota "
        "“a death sentence for small boats.”",
        "calling",
        "The Varno fishing union",
        id="quotation-framed-by-participle-on-issued-document",
    ),
    pytest.param(
        "Mayor Dana Holm, who said the pier was safe, left early.",
        "said",
        "who",
        id="relative-pronoun-is-the-mention",
    ),
]


@pytest.mark.parametrize(("text", "cue", "source"), ROWS)
def test_source_mention(nlp: Any, text: str, cue: str, source: str | None) -> None:
    doc = nlp(text)
    found = RuleAttributor(open_vocabulary=True)(doc)
    by_cue = {doc[c.cue[0] : c.cue[1]].text: c for c in found if c.cue is not None}
    assert cue in by_cue, f"no candidate with the cue {cue!r}; cues: {sorted(by_cue)}"
    cand = by_cue[cue]
    got = doc[cand.source[0] : cand.source[1]].text if cand.source is not None else None
    assert got == source
