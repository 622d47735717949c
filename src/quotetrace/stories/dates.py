"""Dates in news text, resolved against the article's dateline.

News writes relative dates: a report dated Monday 2023-11-06 says "on Monday" for that day,
"yesterday" for Sunday, "last Tuesday" for 2023-10-31. The rules, in the order news uses them:

* "today", "this morning", "tonight" -> the dateline; "yesterday" -> one day before;
  "the day before yesterday" -> two; "tomorrow" -> one day after.
* "on Monday", "Monday", "this Monday" -> the latest Monday on or before the dateline (news
  reports what happened; a report dated Monday saying "on Monday" means that day).
* "last Monday" -> the latest Monday strictly before the dateline.
* "next Monday" -> the first Monday strictly after it.
* "November 5", "Nov. 5", "5 November", with or without a year, and ISO "2023-11-05". A date
  without a year takes the dateline's year, or the year before when that would put it more
  than a month after the dateline ("December 30" in a report of January 2).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

__all__ = ["DateMention", "find_dates", "resolve_relative"]

_WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
_MONTHS = {
    name: n
    for n, names in enumerate(
        [
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ],
        start=1,
    )
    for name in names
}
_MONTH = r"(?P<month>" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")\.?"
_WEEKDAY = r"(?P<weekday>" + "|".join(_WEEKDAYS) + r")"
_PART = r"(?:\s+(?:morning|afternoon|evening|night))?"

_PATTERNS = [
    ("iso", re.compile(r"\b(?P<iso>\d{4}-\d{2}-\d{2})\b")),
    (
        "month_day",
        re.compile(
            rf"\b{_MONTH}\s+(?P<day>\d{{1,2}})(?:st|nd|rd|th)?(?:,?\s+(?P<year>\d{{4}}))?\b", re.I
        ),
    ),
    (
        "day_month",
        re.compile(
            rf"\b(?P<day>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?{_MONTH}(?:,?\s+(?P<year>\d{{4}}))?\b",
            re.I,
        ),
    ),
    ("day_before_yesterday", re.compile(r"\bthe day before yesterday\b", re.I)),
    ("yesterday", re.compile(r"\byesterday" + _PART + r"\b", re.I)),
    ("today", re.compile(r"\b(?:today|tonight|this (?:morning|afternoon|evening))\b", re.I)),
    ("tomorrow", re.compile(r"\btomorrow\b", re.I)),
    (
        "weekday",
        re.compile(rf"\b(?P<rel>on|last|next|this|this past|past)?\s*{_WEEKDAY}{_PART}\b", re.I),
    ),
]


@dataclass(frozen=True)
class DateMention:
    """A date expression in a text, with the calendar day it names."""

    start: int
    end: int
    text: str
    date: dt.date

    def to_json(self) -> dict[str, object]:
        return {"text": self.text, "date": self.date.isoformat(), "span": [self.start, self.end]}


def resolve_relative(expression: str, dateline: dt.date | None) -> dt.date | None:
    """The day an expression names, or None: ``resolve_relative("last Tuesday", date(2023, 11, 6))``."""
    found = find_dates(expression, dateline)
    return found[0].date if found else None


def _weekday_date(rel: str, weekday: int, dateline: dt.date) -> dt.date:
    back = (dateline.weekday() - weekday) % 7
    if rel == "next":
        ahead = (weekday - dateline.weekday()) % 7 or 7
        return dateline + dt.timedelta(days=ahead)
    if rel in ("last", "past", "this past") and back == 0:
        back = 7
    return dateline - dt.timedelta(days=back)


def _calendar(match: re.Match[str], dateline: dt.date | None) -> dt.date | None:
    month = _MONTHS[match.group("month").lower().rstrip(".")]
    day = int(match.group("day"))
    year_text = match.group("year")
    if year_text:
        year = int(year_text)
    elif dateline is not None:
        year = dateline.year
    else:
        return None
    try:
        date = dt.date(year, month, day)
    except ValueError:
        return None
    if not year_text and dateline is not None and date > dateline + dt.timedelta(days=31):
        try:
            date = dt.date(year - 1, month, day)
        except ValueError:
            return None
    return date


def find_dates(text: str, dateline: dt.date | None) -> list[DateMention]:
    """Every date expression in ``text`` with the day it names, in text order.

    Relative expressions need the dateline; without one only absolute dates are found.
    """
    found: list[DateMention] = []
    taken: list[tuple[int, int]] = []
    for kind, pattern in _PATTERNS:
        for m in pattern.finditer(text):
            start, end = m.start(), m.end()
            if any(s < end and start < e for s, e in taken):
                continue
            date: dt.date | None = None
            if kind == "iso":
                try:
                    date = dt.date.fromisoformat(m.group("iso"))
                except ValueError:
                    date = None
            elif kind in ("month_day", "day_month"):
                date = _calendar(m, dateline)
            elif dateline is None:
                date = None
            elif kind == "day_before_yesterday":
                date = dateline - dt.timedelta(days=2)
            elif kind == "yesterday":
                date = dateline - dt.timedelta(days=1)
            elif kind == "today":
                date = dateline
            elif kind == "tomorrow":
                date = dateline + dt.timedelta(days=1)
            elif kind == "weekday":
                rel = (m.group("rel") or "on").lower()
                date = _weekday_date(rel, _WEEKDAYS.index(m.group("weekday").lower()), dateline)
                if m.group("rel") is None:
                    start = m.start("weekday")
            if date is not None:
                found.append(DateMention(start, end, text[start:end], date))
                taken.append((start, end))
    return sorted(found, key=lambda d: d.start)
