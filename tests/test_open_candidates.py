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
