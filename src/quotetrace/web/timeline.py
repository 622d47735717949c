"""The actor page's timeline: statements per day by outlet, as a small server-drawn SVG.

Drawn on the server so the page needs no plotting library and no inline script (the
Content-Security-Policy forbids both). Each outlet gets a colour *and* a marker shape and a
line dash, and the legend repeats shape and dash, so the plot reads without colour; a table of
the same numbers sits under it for screen readers.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from .queries import DailyCount

__all__ = ["MARKERS", "TimelinePlot", "timeline_plot"]

MARKERS = ("circle", "square", "triangle", "diamond", "cross", "star")
DASHES = ("", "6 3", "2 3", "8 3 2 3", "1 2", "10 4")
WIDTH, HEIGHT = 640, 240
LEFT, RIGHT, TOP, BOTTOM = 44, 24, 16, 40
PAD = 16  # px kept free at both ends of the x axis, for the markers
NUDGE = 7  # px between outlets' markers on one day, so equal counts do not hide each other


@dataclass(frozen=True)
class Series:
    outlet: str
    number: int  # 1-based: picks colour class, marker and dash
    marker: str
    dash: str
    points: tuple[tuple[float, float, int, str], ...]  # x, y, count, day
    path: str


@dataclass(frozen=True)
class TimelinePlot:
    width: int
    height: int
    series: tuple[Series, ...]
    x_ticks: tuple[tuple[float, str], ...]
    y_ticks: tuple[tuple[float, int], ...]
    days: tuple[str, ...]
    table: tuple[tuple[str, tuple[int, ...]], ...]  # day -> count per series


def timeline_plot(counts: Sequence[DailyCount]) -> TimelinePlot | None:
    """Lay out the plot; ``None`` when there is nothing dated to draw."""
    if not counts:
        return None
    days = sorted({c.day for c in counts})
    outlets = sorted({c.outlet for c in counts}, key=lambda o: (o == "", o.casefold()))
    first, last = days[0], days[-1]
    span = max(1, (last - first).days)
    top = max(c.statements for c in counts)
    inner_w, inner_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM

    def x(day: dt.date) -> float:
        if first == last:
            return LEFT + inner_w / 2
        return round(LEFT + PAD + (inner_w - 2 * PAD) * (day - first).days / span, 1)

    def y(n: int) -> float:
        return round(TOP + inner_h * (1 - n / top), 1)

    by_outlet: dict[str, dict[dt.date, int]] = {o: {} for o in outlets}
    for c in counts:
        by_outlet[c.outlet][c.day] = c.statements
    series = []
    for i, outlet in enumerate(outlets):
        nudge = (i - (len(outlets) - 1) / 2) * NUDGE
        pts = tuple(
            (round(x(d) + nudge, 1), y(n), n, d.isoformat())
            for d, n in sorted(by_outlet[outlet].items())
        )
        path = " ".join(
            f"{'M' if k == 0 else 'L'}{px},{py}" for k, (px, py, _, _) in enumerate(pts)
        )
        series.append(
            Series(
                outlet=outlet or "(no outlet)",
                number=i % 8 + 1,
                marker=MARKERS[i % len(MARKERS)],
                dash=DASHES[i % len(DASHES)],
                points=pts,
                path=path,
            )
        )
    step = max(1, len(days) // 6)
    x_ticks = tuple((x(d), d.isoformat()) for d in days[::step])
    y_step = max(1, top // 4)
    y_ticks = tuple((y(n), n) for n in range(0, top + 1, y_step))
    table = tuple((d.isoformat(), tuple(by_outlet[o].get(d, 0) for o in outlets)) for d in days)
    return TimelinePlot(
        WIDTH, HEIGHT, tuple(series), x_ticks, y_ticks, tuple(d.isoformat() for d in days), table
    )
