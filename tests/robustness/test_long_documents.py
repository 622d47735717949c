"""Long documents in windows, a ceiling, hostile text in the tokenizer, failures kept apart."""

from __future__ import annotations

import string
from collections.abc import Iterator
from contextlib import contextmanager
from itertools import pairwise
from typing import TYPE_CHECKING

import pytest
from hostile_corpus import GOOD_ARTICLE, examples, fuzz_only
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from quotetrace.errors import ExtractionError, OversizedInputError, QuotetraceError
from quotetrace.models import Actor, Article, Attribution
from quotetrace.nlp.guarded_tokenizer import MAX_RUN, guard_cuts
from quotetrace.nlp.pipeline import extract_articles
from quotetrace.nlp.windows import WindowResult, join_windows, split_windows

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

pytestmark = pytest.mark.fuzz

# Short fictional articles, each naming its own speakers: paragraphs that stand alone.
PARAGRAPHS = [
    "Mayor Corinne Haldane said the bridge over the Vell would reopen in May.",
    "“We will not wait another winter,” Councillor Piet Lammerts said on Monday.",
    "Envoy Saskia Dervell told reporters that the talks in Lisvek had stalled.",
    "According to General Rafiq Solberg, the convoy reached Santorre before dawn.",
    "Senator Mireille Casterbridge urged the council to publish the contracts.",
]


def _long_text(paragraphs: int) -> str:
    return "\n\n".join(PARAGRAPHS[i % len(PARAGRAPHS)] for i in range(paragraphs))


# ------------------------------------------------------------------------- the windows
@settings(max_examples=examples(200, 3000), deadline=None)
@given(
    text=st.text(st.sampled_from(string.ascii_letters + " .!?\n\n\t“”"), max_size=3000),
    window=st.integers(1, 400),
)
def test_windows_cover_the_text_exactly_and_stay_under_the_size(text: str, window: int) -> None:
    spans = split_windows(text, window)
    assert spans[0][0] == 0 and spans[-1][1] == len(text)
    for (_, end), (start, _) in pairwise(spans):
        assert end == start
    assert all(0 < e - s <= window for s, e in spans) or text == ""


def test_windows_cut_at_paragraphs_then_sentences_then_spaces() -> None:
    text = "a" * 60 + ". " + "b" * 20 + "\n\n" + "c" * 60
    assert split_windows(text, 100)[0] == (0, 84)  # after the paragraph break
    text = "a" * 60 + ". " + "b" * 60
    assert split_windows(text, 100)[0] == (0, 62)  # after the sentence end
    text = "a" * 60 + " " + "b" * 60
    assert split_windows(text, 100)[0] == (0, 61)  # after the space
    assert split_windows("x" * 250, 100) == [(0, 100), (100, 200), (200, 250)]


def test_joined_windows_shift_offsets_and_merge_actors_by_name() -> None:
    article = Article("long", "x" * 200)
    first = WindowResult(
        0,
        [Attribution("indirect", (10, 20), (0, 5), (6, 9), "Ann Vell", 0.9, actor_id=0)],
        [Actor(0, "Ann Vell", "PERSON", ((0, 5),))],
    )
    second = WindowResult(
        100,
        [
            Attribution("direct", (30, 40), (0, 4), (5, 9), "Bo Lisk", 0.8, actor_id=0),
            Attribution("indirect", (50, 60), (41, 44), None, "Ann Vell", 0.7, actor_id=1),
        ],
        [Actor(0, "Bo Lisk", "PERSON", ((0, 4),)), Actor(1, "Ann Vell", "PERSON", ((41, 44),))],
    )
    joined = join_windows(article, [first, second])
    assert [a.content for a in joined.attributions] == [(10, 20), (130, 140), (150, 160)]
    assert [a.actor_id for a in joined.attributions] == [0, 1, 0]
    assert [(a.actor_id, a.name, a.mentions) for a in joined.actors] == [
        (0, "Ann Vell", ((0, 5), (141, 144))),
        (1, "Bo Lisk", ((100, 104),)),
    ]


# ---------------------------------------------------------------- with the real model
@contextmanager
def _max_length(nlp: Language, value: int) -> Iterator[None]:
    before = nlp.max_length
    nlp.max_length = value
    try:
        yield
    finally:
        nlp.max_length = before


@pytest.mark.model
def test_a_text_over_the_parsers_limit_is_extracted_in_windows(nlp: Language) -> None:
    """What was spaCy's E088 traceback: the windows stay under ``nlp.max_length``."""
    text = _long_text(60)
    whole = next(extract_articles([Article("whole", text)], nlp))
    with _max_length(nlp, 1500):
        [windowed, short] = extract_articles(
            [Article("long", text), Article("short", GOOD_ARTICLE)], nlp
        )
    assert len(text) > 1500 and short.article.doc_id == "short" and short.attributions

    def found(item: object) -> set[tuple[str, str, str | None]]:
        return {
            (a.kind, text[a.content[0] : a.content[1]], a.speaker)
            for a in item.attributions  # type: ignore[attr-defined]
        }

    # Every paragraph names its own speaker, so the windows find what the whole text gives.
    assert found(windowed) == found(whole) and len(windowed.attributions) >= 60
    ids = [a.actor_id for a in windowed.actors]
    assert len(ids) == len(set(ids)) == len({a.name for a in windowed.actors})
    for att in windowed.attributions:
        assert att.actor_id is None or windowed.actors[att.actor_id].name == att.speaker
    for actor in windowed.actors:
        for start, end in actor.mentions:
            assert 0 <= start < end <= len(text)


@pytest.mark.model
def test_the_ceiling_names_the_document_and_the_others_go_on(
    nlp: Language, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("QUOTETRACE_MAX_DOCUMENT_CHARS", "1000")
    articles = [Article("a", GOOD_ARTICLE), Article("huge", _long_text(40)), Article("b", "x.")]
    errors: list[QuotetraceError] = []
    done = list(extract_articles(articles, nlp, on_error=errors.append))
    assert [d.article.doc_id for d in done] == ["a", "b"]
    [error] = errors
    assert isinstance(error, OversizedInputError) and error.source == "huge"
    assert "QUOTETRACE_MAX_DOCUMENT_CHARS" in error.render()
    with pytest.raises(OversizedInputError):
        list(extract_articles(articles, nlp))


@pytest.mark.model
def test_a_document_the_pipeline_fails_on_is_named_and_the_others_go_on(
    nlp: Language,
) -> None:
    """A fault put into a real pipeline (a component that raises on one marked document)."""
    from spacy.language import Language as SpacyLanguage

    from quotetrace.nlp.pipeline import load_pipeline

    @SpacyLanguage.component("quotetrace_test_fault")
    def fault(doc: Doc) -> Doc:
        if "FAULT-HERE" in doc.text:
            raise ValueError("injected fault")
        return doc

    faulty = load_pipeline()
    faulty.add_pipe("quotetrace_test_fault", first=True)
    articles = [Article(f"a{i}", GOOD_ARTICLE) for i in range(5)]
    articles.insert(2, Article("bad", GOOD_ARTICLE + " FAULT-HERE"))
    errors: list[QuotetraceError] = []
    done = list(
        extract_articles(
            articles,
            faulty,
            batch_size=4,
            on_error=errors.append,
            describe=lambda a: f"f:{a.doc_id}",
        )
    )
    assert [d.article.doc_id for d in done] == ["a0", "a1", "a2", "a3", "a4"]
    [error] = errors
    assert isinstance(error, ExtractionError) and error.source == "f:bad"
    assert "injected fault" in error.message


@pytest.mark.model
def test_a_flood_of_quote_marks_is_linear_not_quadratic(nlp: Language) -> None:
    text = "“" * 12_000 + "\n\n" + GOOD_ARTICLE
    [done] = extract_articles([Article("flood", text)], nlp)
    assert all(0 <= a.content[0] <= a.content[1] <= len(text) for a in done.attributions)
    assert any(a.speaker and "Haldane" in a.speaker for a in done.attributions)


@pytest.mark.model
@fuzz_only
def test_a_real_megabyte_article_and_100k_quote_marks(nlp: Language) -> None:
    text = _long_text(16_000)  # about 1.2 million characters: over spaCy's default limit
    assert len(text) > nlp.max_length
    flood = "“" * 100_000
    [long, quotes] = extract_articles([Article("long", text), Article("flood", flood)], nlp)
    assert len(long.attributions) >= 15_000
    assert quotes.article.doc_id == "flood"


# ------------------------------------------------------------------------ properties
@pytest.mark.model
@settings(
    max_examples=examples(60, 2000),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(text=st.text(st.sampled_from("“”\"' ab.\n"), max_size=1500))
def test_the_tokenizer_guard_keeps_the_text(nlp: Language, text: str) -> None:
    doc = nlp.tokenizer(text)
    assert doc.text == text
    if guard_cuts(text):
        assert max(len(t.text) for t in doc) <= MAX_RUN


@pytest.mark.model
@settings(
    max_examples=examples(25, 400),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    text=st.text(min_size=1, max_size=600).filter(lambda t: t.strip() != "")
    | st.lists(st.sampled_from([*PARAGRAPHS, "“", "”", " he said ", "\u200f", "\x00"]))
    .map("".join)
    .filter(lambda t: t.strip() != "")
)
def test_any_text_extracts_with_offsets_inside_it(nlp: Language, text: str) -> None:
    [done] = extract_articles([Article("any", text)], nlp)
    size = len(text)
    for att in done.attributions:
        for span in (att.content, att.source, att.cue):
            if span is not None:
                assert 0 <= span[0] <= span[1] <= size
        assert att.actor_id is None or 0 <= att.actor_id < len(done.actors)
    for actor in done.actors:
        assert all(0 <= s <= e <= size for s, e in actor.mentions)
