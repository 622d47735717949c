"""The quote-mark scanner on its own: no model, characters in, regions out."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from quotetrace.nlp.quote_marks import QuoteRegion, find_quote_regions, kind_of


def inner(text: str, region: QuoteRegion) -> str:
    return text[region.inner_start : region.inner_end].rstrip(",.")


def speech(text: str) -> list[str]:
    return [inner(text, r) for r in find_quote_regions(text) if r.is_speech]


@pytest.mark.parametrize(
    "text",
    [
        "“We will rebuild the pier,” the mayor said.",
        '"We will rebuild the pier," the mayor said.',
        "''We will rebuild the pier,'' the mayor said.",
        "„We will rebuild the pier”, the mayor said.",
        "«We will rebuild the pier», the mayor said.",
    ],
    ids=["curly", "straight", "two-apostrophes", "low-opening", "guillemets"],
)
def test_double_quote_styles(text: str) -> None:
    [region] = find_quote_regions(text)
    assert region.double and region.closed and region.is_speech
    assert inner(text, region) == "We will rebuild the pier"
    # The marks themselves are outside the inner span and inside the outer one.
    assert text[region.start] in "“\"'„«"
    assert text[region.end - 1] in "”\"'»"


def test_two_apostrophes_keep_offsets() -> None:
    text = "Later, ''the ferry runs twice a day,'' Ruth Ambler said."
    [region] = find_quote_regions(text)
    assert text[region.start : region.start + 2] == "''"
    assert text[region.end - 2 : region.end] == "''"
    assert inner(text, region) == "the ferry runs twice a day"


def test_quote_over_several_paragraphs_continues() -> None:
    text = (
        "“We found the crack on Sunday.\n\n"
        "“It ran the whole length of the pier.\n\n"
        "“By Thursday the pier will carry traffic again.”"
    )
    regions = find_quote_regions(text)
    assert [inner(text, r) for r in regions] == [
        "We found the crack on Sunday",
        "It ran the whole length of the pier",
        "By Thursday the pier will carry traffic again",
    ]
    assert [r.closed for r in regions] == [False, False, True]
    assert [r.continues for r in regions] == [True, True, False]


def test_open_quote_without_reopening_ends_at_its_paragraph() -> None:
    text = "Hart said the “shelters would stay open.\n\nImre said there was no money left."
    [region] = find_quote_regions(text)
    assert not region.closed and not region.continues
    assert region.end == text.index("\n\n")
    assert inner(text, region) == "shelters would stay open"


def test_stray_mark_does_not_swallow_the_rest() -> None:
    paragraphs = [
        "Hart said the “shelters would stay open all winter.",
        "“The council has spent its reserve,” Imre said.",
        "Calder said the clinics were ready.",
        "“Nobody will be turned away,” Korth said.",
    ]
    text = "\n\n".join(paragraphs)
    assert speech(text) == [
        "shelters would stay open all winter",
        "The council has spent its reserve",
        "Nobody will be turned away",
    ]


def test_stray_closing_mark_is_ignored() -> None:
    text = "Hart said the shelters” would stay open. Imre said “there is no money left”."
    assert speech(text) == ["there is no money left"]


def test_lone_marks_give_no_crash() -> None:
    for text in ("”", "‘", "’", "“", "''", "x “ y", "“\n\n“", '"'):
        for region in find_quote_regions(text):
            assert 0 <= region.start <= region.inner_start <= region.inner_end <= region.end
            assert region.end <= len(text)


def test_scare_quotes_are_not_speech() -> None:
    text = "He said the ‘Israeli’ war and ‘Israel’s’ crimes were one policy."
    regions = find_quote_regions(text)
    assert [inner(text, r) for r in regions] == ["Israeli", "Israel’s"]
    assert not any(r.is_speech for r in regions)


def test_long_single_quote_is_speech() -> None:
    text = "The minister said ‘we will never give up the port’ on Friday."
    [region] = find_quote_regions(text)
    assert not region.double and region.is_speech
    assert inner(text, region) == "we will never give up the port"


def test_apostrophes_are_not_quotes() -> None:
    text = "It's the mayor's plan, and the union’s too; nobody's quoting anyone."
    assert find_quote_regions(text) == []


def test_single_quote_inside_double_is_part_of_it() -> None:
    text = "“He told us ‘we will never give up the port’ and left,” she wrote."
    [region] = find_quote_regions(text)
    assert region.double
    assert inner(text, region) == "He told us ‘we will never give up the port’ and left"


def test_regions_are_in_order() -> None:
    text = "“One,” she said. ‘Two is the number of the beast’ and “three” and ‘four’."
    starts = [r.start for r in find_quote_regions(text)]
    assert starts == sorted(starts) and len(starts) == 4


# --------------------------------------------------------------------------- kind_of
def span_of(text: str, part: str) -> tuple[int, int]:
    start = text.index(part)
    return start, start + len(part)


@pytest.mark.parametrize(
    "text, part, kind",
    [
        ("“The bridge will open in May,” Hart said.", "The bridge will open in May,", "direct"),
        ("Hart said the bridge will open in May.", "the bridge will open in May", "indirect"),
        (
            "Imre said the stadium was “a monument to waste” and should go.",
            "the stadium was “a monument to waste” and should go",
            "mixed",
        ),
        (
            "Imre said the stadium was “a monument to waste” and should go.",
            "a monument to waste",
            "direct",
        ),
        (
            "He said the ‘Israeli’ war on the strip was planned elsewhere.",
            "the ‘Israeli’ war on the strip was planned elsewhere",
            "indirect",
        ),
        (
            "Pohl said the 'joint commission' had no member from the valley.",
            "the 'joint commission' had no member from the valley",
            "indirect",
        ),
        (
            "“A,” he said. “B and C.”",
            "A,” he said. “B and C.",
            "mixed",
        ),
        ("Hart said “.", "“.", "indirect"),
    ],
    ids=[
        "quoted",
        "plain",
        "partial-quote",
        "inside-partial",
        "scare-curly",
        "scare-straight",
        "frame-inside",
        "no-words",
    ],
)
def test_kind_of(text: str, part: str, kind: str) -> None:
    assert kind_of(span_of(text, part), find_quote_regions(text), text) == kind


def test_kind_of_quote_over_paragraphs_is_direct() -> None:
    text = "“We found the crack on Sunday.\n\n“By Thursday the pier will carry traffic again.”"
    regions = find_quote_regions(text)
    # Every word from the first opening mark to the last closing one is quoted.
    assert kind_of((1, len(text) - 1), regions, text) == "direct"
    for region in regions:
        assert kind_of((region.inner_start, region.inner_end), regions, text) == "direct"


QUOTEY = st.text(
    alphabet=st.sampled_from(list("ab ,.\n'\"“”‘’„«»")) | st.characters(codec="utf-8"),
    max_size=200,
)


@given(QUOTEY)
def test_any_text_gives_well_formed_regions(text: str) -> None:
    """Whatever the marks, the scanner returns ordered regions inside the text, and kind_of
    classifies any span without raising."""
    regions = find_quote_regions(text)
    last = -1
    for region in regions:
        assert 0 <= region.start <= region.inner_start <= region.inner_end <= region.end
        assert region.end <= len(text)
        assert region.start >= last
        last = region.start
    assert kind_of((0, len(text)), regions, text) in ("direct", "indirect", "mixed")


def _kind_by_definition(span: tuple[int, int], regions: list[QuoteRegion], text: str) -> str:
    """A word is quoted when some speech region holds it; no shortcuts."""
    words = [m.span() for m in re.compile(r"\w+").finditer(text, span[0], span[1])]
    quoted = [
        any(r.is_speech and r.inner_start <= ws and we <= r.end for r in regions)
        for ws, we in words
    ]
    if not any(quoted):
        return "indirect"
    return "direct" if all(quoted) else "mixed"


@given(QUOTEY, st.integers(0, 200), st.integers(0, 200))
def test_kind_of_agrees_with_its_definition(text: str, a: int, b: int) -> None:
    """kind_of looks a word's quotation up by bisection; it must say what a scan of every
    region says, for any text and any span of it."""
    start, end = sorted((min(a, len(text)), min(b, len(text))))
    regions = find_quote_regions(text)
    assert kind_of((start, end), regions, text) == _kind_by_definition((start, end), regions, text)


BRITISH = (
    "Coach Dana Whitlow said the club was 'in shock after a terrible week'.\n\n"
    "She wrote online: 'We are heartbroken by the loss of our captain.\n\n"
    "'The players' union will hold a vigil on Friday, and we'll all be there.\n\n"
    "'Rest well, skipper.'\n\n"
    "It's the club's third loss since the '90s, fans said."
)


def test_single_marks_quote_a_text_without_double_ones() -> None:
    regions = find_quote_regions(BRITISH)
    assert [inner(BRITISH, r) for r in regions] == [
        "in shock after a terrible week",
        "We are heartbroken by the loss of our captain",
        "The players' union will hold a vigil on Friday, and we'll all be there",
        "Rest well, skipper",
    ]
    assert all(r.is_speech and not r.double for r in regions)
    # Reopened paragraphs continue the quotation, as with double marks.
    assert [r.continues for r in regions] == [False, True, True, False]
    assert kind_of((BRITISH.index("Rest"), BRITISH.index("skipper") + 7), regions, BRITISH) == (
        "direct"
    )


def test_an_unclosed_apostrophe_opens_nothing() -> None:
    text = "Fans said it's 'the club's best year since the '90s and nobody's doubting it.\n\n"
    text += "She said 'we won it twice' and 'we will win it again'."
    assert speech(text) == ["we won it twice", "we will win it again"]


def test_one_double_mark_keeps_single_marks_as_scare_quotes() -> None:
    text = BRITISH + '\n\nThe "captain" was 31.'
    regions = find_quote_regions(text)
    assert [inner(text, r) for r in regions] == ["captain"]
