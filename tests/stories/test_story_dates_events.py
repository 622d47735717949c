"""Dates against the dateline; meetings with their participants; when each statement was made."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from quotetrace.models import ProcessedArticle
from quotetrace.stories import find_dates, find_events, resolve_relative, statement_setting

MONDAY = dt.date(2023, 11, 6)


@pytest.mark.parametrize(
    ("expression", "dateline", "expected"),
    [
        ("on Monday", MONDAY, "2023-11-06"),
        ("Monday", MONDAY, "2023-11-06"),
        ("on Sunday night", MONDAY, "2023-11-05"),
        ("yesterday", MONDAY, "2023-11-05"),
        ("yesterday morning", MONDAY, "2023-11-05"),
        ("the day before yesterday", MONDAY, "2023-11-04"),
        ("today", MONDAY, "2023-11-06"),
        ("tonight", MONDAY, "2023-11-06"),
        ("tomorrow", MONDAY, "2023-11-07"),
        ("last Tuesday", MONDAY, "2023-10-31"),
        ("last Monday", MONDAY, "2023-10-30"),
        ("on Tuesday", dt.date(2023, 11, 9), "2023-11-07"),
        ("last Tuesday", dt.date(2023, 11, 9), "2023-11-07"),
        ("next Friday", MONDAY, "2023-11-10"),
        ("November 5", MONDAY, "2023-11-05"),
        ("Nov. 5, 2022", MONDAY, "2022-11-05"),
        ("5 November", MONDAY, "2023-11-05"),
        ("2023-10-01", MONDAY, "2023-10-01"),
        ("December 30", dt.date(2024, 1, 2), "2023-12-30"),
    ],
)
def test_dates_resolve_against_the_dateline(
    expression: str, dateline: dt.date, expected: str
) -> None:
    resolved = resolve_relative(expression, dateline)
    assert resolved is not None and resolved.isoformat() == expected


def test_relative_dates_need_a_dateline() -> None:
    assert resolve_relative("yesterday", None) is None
    assert resolve_relative("March 3, 2024", None) == dt.date(2024, 3, 3)


def test_dates_are_found_in_running_text() -> None:
    text = "He said on Monday that talks held last Tuesday had failed; he flies out tomorrow."
    found = [(d.text, d.date.isoformat()) for d in find_dates(text, MONDAY)]
    assert found == [
        ("on Monday", "2023-11-06"),
        ("last Tuesday", "2023-10-31"),
        ("tomorrow", "2023-11-07"),
    ]
    assert find_dates("No date here, and May we go?", MONDAY) == []


def test_meeting_with_participants_place_and_date(by_doc: dict[str, ProcessedArticle]) -> None:
    p = by_doc["northern-ledger-2024-03-12.txt"]
    [event] = find_events(p)
    assert event.kind == "meeting"
    assert {"Mira Osterholt", "Tomas Brenik"} <= set(event.participants)
    assert event.place == "Ardenne"
    assert event.date is not None and event.date.date == dt.date(2024, 3, 11)  # "yesterday"
    assert event.date.text == "yesterday"


def test_also_present_joins_the_meeting(by_doc: dict[str, ProcessedArticle]) -> None:
    """ "She made the remarks during talks with ... Foreign Minister X also attended." """
    p = by_doc["kaldora-herald-2024-03-11.txt"]
    [event] = find_events(p)
    assert "Mira Osterholt" in event.participants  # "She", the speaker just quoted
    assert "Tomas Brenik" in event.participants
    assert event.place == "Ardenne"
    assert event.date is not None and event.date.date == dt.date(2024, 3, 11)  # from the lede


def test_talks_mentioned_in_passing_are_no_event(by_doc: dict[str, ProcessedArticle]) -> None:
    p = by_doc["kaldora-herald-2024-03-19.txt"]
    kinds = [e.kind for e in find_events(p)]
    assert "meeting" not in kinds


def test_statement_takes_its_own_sentence_date_and_place(
    by_doc: dict[str, ProcessedArticle],
) -> None:
    p = by_doc["kaldora-herald-2024-03-19.txt"]
    events = find_events(p)
    court, patience, _ = p.attributions
    s1 = statement_setting(p, court, events)
    assert s1 is not None and s1.source == "sentence"
    assert s1.date is not None and s1.date.date == dt.date(2024, 3, 19)
    s2 = statement_setting(p, patience, events)
    assert s2 is not None and s2.place == "Ardenne"


def test_statement_inherits_the_event(by_doc: dict[str, ProcessedArticle]) -> None:
    p = by_doc["velmar-wire-2024-03-11.txt"]
    events = find_events(p)
    setting = statement_setting(p, p.attributions[3], events)  # "The Kaldoran leader claimed"
    assert setting is not None and setting.source == "event"
    assert setting.place == "Ardenne"
    assert setting.date is not None and setting.date.date == dt.date(2024, 3, 11)


def test_no_setting_when_the_text_says_none(by_doc: dict[str, ProcessedArticle]) -> None:
    p = by_doc["kessel-daily-2024-05-02-cup.txt"]
    assert statement_setting(p, p.attributions[1], find_events(p)) is None


WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]


@given(
    dateline=st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2090, 1, 1)),
    weekday=st.sampled_from(WEEKDAYS),
)
def test_weekdays_resolve_into_the_week_before_the_dateline(
    dateline: dt.date, weekday: str
) -> None:
    on = resolve_relative(f"on {weekday}", dateline)
    last = resolve_relative(f"last {weekday}", dateline)
    following = resolve_relative(f"next {weekday}", dateline)
    assert on is not None and last is not None and following is not None
    for day in (on, last, following):
        assert day.strftime("%A") == weekday
    assert 0 <= (dateline - on).days <= 6
    assert 1 <= (dateline - last).days <= 7
    assert 1 <= (following - dateline).days <= 7
