"""Differences a reader cares about, on fictional statements written for these tests."""

from __future__ import annotations

from quotetrace.models import Article, ProcessedArticle
from quotetrace.stories.paraphrase import (
    is_near_verbatim,
    paraphrase_summary,
    quoted_words,
    quotes_differ,
)


def test_a_paraphrase_lists_added_qualifiers_numbers_and_names() -> None:
    reference = "the Harbour Board is directly involved in raising the tolls by 12 percent"
    version = "the Board is unequivocally implicated in raising tolls by 15 percent, Mayor Ostrow's office"
    summary = paraphrase_summary(reference, version)
    assert "unequivocally" in summary["added"]["qualifiers"]
    assert "directly" in summary["dropped"]["qualifiers"]
    assert summary["added"]["numbers"] == ["15 percent"]
    assert summary["dropped"]["numbers"] == ["12 percent"]
    assert "Mayor Ostrow" in summary["added"]["names"]
    assert "raising" in " ".join(summary["shared_phrases"]) or summary["shared_phrases"]


def test_scare_quotes_and_negations_count_as_differences() -> None:
    summary = paraphrase_summary(
        "the ‘Velmari’ plan will never work", "the Velmari plan could work"
    )
    assert summary["dropped"]["scare_quotes"] == ["Velmari"]
    assert {"never", "will"} <= set(summary["dropped"]["qualifiers"])
    assert summary["added"]["qualifiers"] == ["could"]


def test_near_verbatim_versus_paraphrase() -> None:
    assert is_near_verbatim(
        "We are ready to sign before the summer", "We are ready to sign before summer"
    )
    assert not is_near_verbatim(
        "We are ready to sign before the summer", "his readiness to conclude a deal soon"
    )


def _article(doc_id: str, text: str) -> ProcessedArticle:
    return ProcessedArticle(Article(doc_id, text, outlet=doc_id.title()), ())


def test_two_outlets_quoting_different_words_are_flagged_a_trim_is_not() -> None:
    a_text = 'Osterholt said: "We will never accept a dam that starves our fields."'
    b_text = 'Osterholt said: "We shall never accept any dam that starves our fields."'
    c_text = 'Osterholt said she would "never accept a dam" there.'
    a, b, c = _article("a", a_text), _article("b", b_text), _article("c", c_text)
    qa = quoted_words(a, (16, len(a_text)))
    qb = quoted_words(b, (16, len(b_text)))
    qc = quoted_words(c, (14, len(c_text)))
    assert qa is not None and qb is not None and qc is not None
    flagged = quotes_differ(qa, qb)
    assert flagged is not None
    assert {"op": "changed", "reference": "will", "version": "shall"} in flagged["changes"]
    assert {"op": "changed", "reference": "a", "version": "any"} in flagged["changes"]
    assert quotes_differ(qa, qc) is None  # "never accept a dam" lies within a's quote
