"""Candidates the open-vocabulary rules propose for the learned model: passives and layout frames.

Fictional text. These candidates exist only with ``open_vocabulary``: the rules-only
attributor (v1) must not propose them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from quotetrace.nlp.extractor import Candidate, RuleAttributor

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

pytestmark = pytest.mark.model

TEXT = (
    "Mayor Ana Ruiz: Harbor Bridge Will Reopen by Spring\n\n"
    "HOST: Welcome back to the evening bulletin.\n\n"
    "“We will rebuild the span before the floods.” ― Tomas Vidal\n\n"
    "The repair plan was endorsed by the county board on Monday. "
    "The old ferry route was abandoned last year."
)


def _found(nlp: Language, open_vocabulary: bool) -> tuple[Doc, list[Candidate]]:
    with nlp.select_pipes(disable=["quotetrace"]):
        doc = nlp(TEXT)
    return doc, RuleAttributor(open_vocabulary=open_vocabulary)(doc)


def _by_rule(doc: Doc, found: list[Candidate], rule: str) -> list[tuple[str, str | None]]:
    return [
        (
            doc.text[c.content[0] : c.content[1]],
            doc[c.source[0] : c.source[1]].text if c.source else None,
        )
        for c in found
        if c.rule == rule
    ]


@pytest.fixture(scope="module")
def open_found(nlp: Language) -> tuple[Doc, list[Candidate]]:
    return _found(nlp, True)


def test_colon_label_is_the_source(open_found: tuple[Doc, list[Candidate]]) -> None:
    doc, found = open_found
    assert _by_rule(doc, found, "colon-frame") == [
        ("Harbor Bridge Will Reopen by Spring", "Mayor Ana Ruiz"),
        ("Welcome back to the evening bulletin.", "HOST"),
    ]


def test_dash_signature_is_the_source(open_found: tuple[Doc, list[Candidate]]) -> None:
    doc, found = open_found
    assert _by_rule(doc, found, "dash-frame") == [
        ("We will rebuild the span before the floods.", "Tomas Vidal")
    ]


def test_passive_by_agent_is_the_source(open_found: tuple[Doc, list[Candidate]]) -> None:
    doc, found = open_found
    assert _by_rule(doc, found, "passive-agent") == [("The repair plan", "the county board")]
    assert ("The old ferry route", None) in _by_rule(doc, found, "passive")


def test_rules_only_mode_proposes_none_of_them(nlp: Language) -> None:
    _, found = _found(nlp, False)
    new_rules = {"colon-frame", "dash-frame", "passive", "passive-agent", "passive-clause"}
    assert not [c for c in found if c.rule in new_rules]


PHRASE_TEXT = (
    "The dockworkers' union complained about the new shift schedule on Monday. "
    "Mayor Ana Ruiz has been critical of the harbor plan since March. "
    "Councillor Obi is a staunch opponent of the ferry tax. "
    "The board's demand for an audit went unanswered. "
    "In a new poll, Mayor Ruiz leads her rival by six points. "
    "In his eyes, the ferry plan is already dead.\n\n"
    "The governor added:\n\n"
    "It is a shame. The county knew about the cracks for years and did nothing."
)


@pytest.fixture(scope="module")
def phrase_found(nlp: Language) -> tuple[Doc, list[Candidate]]:
    with nlp.select_pipes(disable=["quotetrace"]):
        doc = nlp(PHRASE_TEXT)
    return doc, RuleAttributor(open_vocabulary=True)(doc)


def test_prep_object_is_what_the_stance_is_about(
    phrase_found: tuple[Doc, list[Candidate]],
) -> None:
    doc, found = phrase_found
    assert ("the new shift schedule", "The dockworkers' union") in _by_rule(
        doc, found, "prep-object"
    )


def test_copula_stance_reads_the_adjective_or_noun(
    phrase_found: tuple[Doc, list[Candidate]],
) -> None:
    doc, found = phrase_found
    assert _by_rule(doc, found, "copula-prep") == [
        ("the harbor plan", "Mayor Ana Ruiz"),
        ("the ferry tax", "Councillor Obi"),
    ]
    heads = {doc[c.cue_head].lemma_ for c in found if c.rule == "copula-prep" and c.cue_head}
    assert heads == {"critical", "opponent"}


def test_owned_noun_with_a_preposition(phrase_found: tuple[Doc, list[Candidate]]) -> None:
    doc, found = phrase_found
    assert ("an audit", "The board's") in _by_rule(doc, found, "noun-prep")


def test_in_frame_source_is_the_poll_or_the_owner(
    phrase_found: tuple[Doc, list[Candidate]],
) -> None:
    doc, found = phrase_found
    assert _by_rule(doc, found, "in-frame") == [
        ("Mayor Ruiz leads her rival by six points", "a new poll"),
        ("the ferry plan is already dead", "his"),
    ]


def test_colon_block_is_the_next_paragraph(phrase_found: tuple[Doc, list[Candidate]]) -> None:
    doc, found = phrase_found
    assert _by_rule(doc, found, "colon-block") == [
        (
            "It is a shame. The county knew about the cracks for years and did nothing.",
            "The governor",
        )
    ]


def test_rules_only_mode_proposes_no_phrase_frames(nlp: Language) -> None:
    with nlp.select_pipes(disable=["quotetrace"]):
        doc = nlp(PHRASE_TEXT)
    rules = {"prep-object", "copula-prep", "noun-prep", "in-frame", "colon-block"}
    assert not [c for c in RuleAttributor()(doc) if c.rule in rules]


# (text, what each open-vocabulary rule proposes there, rules the v1 attributor must not use)
OPEN_ONLY = [
    pytest.param(
        "Ruiz wrote a memoir of her years at the harbor. "
        "Councillor Obi has also commented on the bridge's collapse.",
        {
            "listed-object": [
                ("a memoir of her years", "Ruiz"),
                ("on the bridge's collapse", "Councillor Obi"),
            ]
        },
        {"listed-object", "prep-object"},
        id="listed-verb-with-object-or-preposition",
    ),
    pytest.param(
        "The ferry plan drew sharp criticism from the dockworkers' union.",
        {"noun-from": [("The ferry plan", "the dockworkers' union")]},
        {"noun-from"},
        id="noun-from-the-giver",
    ),
    pytest.param(
        "Ruiz cited damaging comments the governor had made about the bridge. "
        "Supporters of the mayor have also questioned the health of the governor.",
        {
            "event-object": [("damaging comments the governor had made about the bridge", "Ruiz")],
            "bare-object": [("the health of the governor", "Supporters of the mayor")],
        },
        {"event-object", "bare-object"},
        id="event-and-bare-objects-apart",
    ),
    pytest.param(
        "As Mayor Ruiz put it in a statement, the bridge is a lifeline for the harbor.",
        {"as-frame": [("the bridge is a lifeline for the harbor.", "Mayor Ruiz")]},
        {"as-frame"},
        id="as-frame-content-is-the-clause",
    ),
    pytest.param(
        "The dockworkers' union endorses Ruiz. Obi asked him.",
        {"object-name": [("Ruiz", "The dockworkers' union")]},
        {"object-name"},
        id="a-name-alone-as-object",
    ),
]


@pytest.mark.parametrize("text, expected, v1_never", OPEN_ONLY)
def test_open_vocabulary_only_rules(
    nlp: Language,
    text: str,
    expected: dict[str, list[tuple[str, str | None]]],
    v1_never: set[str],
) -> None:
    with nlp.select_pipes(disable=["quotetrace"]):
        doc = nlp(text)
    found = RuleAttributor(open_vocabulary=True)(doc)
    for rule, proposed in expected.items():
        assert _by_rule(doc, found, rule) == proposed
    assert not [c for c in RuleAttributor()(doc) if c.rule in v1_never]


def test_object_ends_before_the_writers_aside(nlp: Language) -> None:
    with nlp.select_pipes(disable=["quotetrace"]):
        doc = nlp("Councillor Obi praised the 1994 harbor bill, which prompted the county to act.")
    assert ("the 1994 harbor bill", "Councillor Obi") in _by_rule(
        doc, RuleAttributor(open_vocabulary=True)(doc), "object"
    )
    # The rules-only attributor keeps its spans as they were.
    assert ("the 1994 harbor bill, which prompted the county to act", "Councillor Obi") in (
        _by_rule(doc, RuleAttributor()(doc), "object")
    )


def test_clause_ends_before_a_trailing_participle(nlp: Language) -> None:
    with nlp.select_pipes(disable=["quotetrace"]):
        doc = nlp(
            "Ruiz argued that the county had ignored the cracks, prompting calls for an audit."
        )
    clauses = _by_rule(doc, RuleAttributor(open_vocabulary=True)(doc), "clause")
    assert clauses == [("that the county had ignored the cracks", "Ruiz")]
    # The rules-only attributor cuts only a participle of speech (", stressing that ...").
    assert _by_rule(doc, RuleAttributor()(doc), "clause") == [
        ("that the county had ignored the cracks, prompting calls for an audit", "Ruiz")
    ]


def test_about_phrase_after_an_object(nlp: Language) -> None:
    with nlp.select_pipes(disable=["quotetrace"]):
        doc = nlp("Obi asked the aide about the audit. Ruiz took offense at the remark.")
    found = RuleAttributor(open_vocabulary=True)(doc)
    assert _by_rule(doc, found, "prep-after-object") == [
        ("the audit", "Obi"),
        ("the remark", "Ruiz"),
    ]
    assert not [c for c in RuleAttributor()(doc) if c.rule == "prep-after-object"]
