"""Layout frames on hand-built parses: which colon lines are a speaker's label."""

from __future__ import annotations

import re

from spacy.tokens import Doc
from spacy.vocab import Vocab

from quotetrace.nlp.line_frames import line_frame_candidates


def _doc(text: str, tags: str) -> Doc:
    """``text`` split into words and punctuation, each given its tag from ``tags``."""
    found = list(re.finditer(r"\w+|[^\w\s]", text))
    words = [m.group() for m in found]
    spaces = [m.end() < len(text) and text[m.end()].isspace() for m in found]
    doc = Doc(Vocab(), words=words, spaces=spaces, tags=tags.split())
    assert doc.text == text
    return doc


def _labelled(doc: Doc) -> list[tuple[str, str]]:
    return [
        (doc[c.source[0] : c.source[1]].text, doc.text[c.content[0] : c.content[1]])
        for c in line_frame_candidates(doc, doc.text)
        if c.source is not None
    ]


def test_a_name_before_a_colon_labels_the_line() -> None:
    doc = _doc("Mayor Ruiz: Ferry Returns Soon", "NNP NNP : NNP NNP RB")
    assert _labelled(doc) == [("Mayor Ruiz", "Ferry Returns Soon")]


def test_a_verb_before_the_colon_is_a_frame_not_a_label() -> None:
    # "He wrote online: 'We are …'" is read by the rules, with "He" as the source; as a label
    # it would name the speaker "He wrote online".
    doc = _doc("He wrote online: 'We are shocked.'", "PRP VBD RB : `` PRP VBP JJ . ''")
    assert _labelled(doc) == []
    aside = _doc("A question remains: who pays?", "DT NN VBZ : WP VBZ .")
    assert _labelled(aside) == []
