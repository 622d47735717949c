"""The pages as HTML (no browser): what each shows, and the helpers that lay them out."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from fastapi.testclient import TestClient

from quotetrace.store import StoredStatement
from quotetrace.web.highlight import article_segments, speaker_styles
from quotetrace.web.pages import SNIPPET_MARK, snippet_pieces
from quotetrace.web.queries import DailyCount
from quotetrace.web.story_view import mark_words
from quotetrace.web.timeline import timeline_plot


def statement(
    sid: int,
    content: tuple[int, int],
    speaker: str | None,
    actor: int | None,
    cue: tuple[int, int] | None = None,
) -> StoredStatement:
    return StoredStatement(
        id=sid,
        article_id=1,
        doc_id="d",
        ordinal=sid,
        kind="direct",
        content=content,
        source=None,
        cue=cue,
        content_text="",
        source_text=None,
        cue_text=None,
        speaker=speaker,
        confidence=1.0,
        doc_actor_id=None,
        actor_id=actor,
        actor_name=speaker,
        outlet=None,
        date=None,
        published=None,
        title=None,
    )


def test_segments_cover_the_text_and_the_first_of_overlapping_statements_wins() -> None:
    text = "0123456789abcdefghij"
    a = statement(1, (2, 8), "A", 1, cue=(9, 11))
    b = statement(2, (5, 12), "B", 2)  # overlaps a: still listed, not highlighted
    c = statement(3, (14, 18), None, None)
    segments = article_segments(text, [a, b, c])
    assert "".join(s.text for s in segments) == text
    marked = [(s.text, s.statement.id if s.statement else None, s.role) for s in segments]
    assert ("234567", 1, "content") in marked
    assert ("9a", 1, "cue") in marked
    assert ("efgh", 3, "content") in marked
    assert all(sid != 2 for _, sid, _ in marked)


def test_speakers_get_numbers_in_order_and_unknown_speakers_none() -> None:
    sts = [
        statement(1, (0, 1), "A", 1),
        statement(2, (2, 3), None, None),
        statement(3, (4, 5), "B", 2),
        statement(4, (6, 7), "A", 1),
    ]
    styles = speaker_styles(sts)
    assert [(s.name, s.number, s.css_class) for s in styles.values()] == [
        ("A", 1, "spk-1"),
        ("unknown speaker", 0, "spk-none"),
        ("B", 2, "spk-2"),
    ]
    many = [statement(i, (i, i + 1), f"S{i}", i) for i in range(1, 11)]
    assert [s.number for s in speaker_styles(many).values()] == [1, 2, 3, 4, 5, 6, 7, 8, 1, 2]


def test_snippet_marks_split_without_parsing_html() -> None:
    on, off = SNIPPET_MARK
    assert snippet_pieces(f"a <b>{on}dam{off}</b> c") == [
        ("a <b>", False),
        ("dam", True),
        ("</b> c", False),
    ]
    assert snippet_pieces("plain") == [("plain", False)]


def test_mark_words_follows_the_diff_runs_in_order() -> None:
    pieces = mark_words("we will, we will rebuild", ["will rebuild"], "added")
    assert [p.text for p in pieces if p.mark] == ["will", "rebuild"]
    assert "".join(p.text for p in pieces) == "we will, we will rebuild"


def test_timeline_gives_every_outlet_a_marker_and_a_dash() -> None:
    day = dt.date(2026, 3, 10)
    plot = timeline_plot(
        [
            DailyCount(day, "A", 2),
            DailyCount(day + dt.timedelta(days=2), "A", 1),
            DailyCount(day, "B", 1),
        ]
    )
    assert plot is not None
    assert [s.outlet for s in plot.series] == ["A", "B"]
    assert len({s.marker for s in plot.series}) == 2 and len({s.dash for s in plot.series}) == 2
    assert plot.table == (("2026-03-10", (2, 1)), ("2026-03-12", (1, 0)))
    assert timeline_plot([]) is None


def test_article_page_highlights_every_statement(client: TestClient) -> None:
    article = client.get("/api/articles?q=Every week").json()["results"][0]
    page = client.get(f"/articles/{article['id']}").text
    marks = re.findall(r'<mark id="st-(\d+)" class="stmt (spk-\d) kind-(\w+)"', page)
    assert len(marks) == 4
    assert {m[1] for m in marks} == {"spk-1", "spk-2"}  # two speakers, two styles
    assert 'data-speaker="Ilse Brandt"' in page and 'data-cue="warned"' in page
    assert page.count('class="jump"') == 4  # the side list of who said what
    assert 'class="cue-mark spk-1"' in page


def test_search_page_lists_hits_with_speaker_outlet_date(client: TestClient) -> None:
    page = client.get("/search?q=spillway&outlet=River Post").text
    assert "1 statement" in page
    assert "<mark>spillway</mark>" in page
    assert "River Post" in page and "2026-03-11" in page and "Ilse Brandt" in page
    assert 'option value="River Post" selected' in page


def test_actor_page_plots_and_names(client: TestClient) -> None:
    brandt = client.get("/api/actors?q=brandt").json()["results"][0]
    page = client.get(f"/actors/{brandt['id']}").text
    assert page.count('<g class="series series-') == 3  # three outlets quoted her
    assert "the mayor" in page and "Daily Ledger" in page
    assert page.count('<li class="result">') == 6


def test_outlet_and_story_pages(client: TestClient) -> None:
    outlet = client.get("/outlets/Coastal%20Herald").text
    assert "Whom it quoted most" in outlet and "Tomas Okafor" in outlet
    story_id = client.get("/api/stories").json()["results"][0]["id"]
    story = client.get(f"/stories/{story_id}").text
    assert '<ins class="diff">and</ins>' in story  # the Ledger added words to the quote
    assert "not reported" in story
    assert story.count('<th scope="col">') >= 5


def test_home_page_links_everything(client: TestClient) -> None:
    page = client.get("/").text
    assert "5 articles from 4 outlets" in page
    assert "/actors/" in page and "/outlets/" in page and "/stories/" in page


def test_actor_statements_come_a_page_at_a_time(client: TestClient) -> None:
    brandt = client.get("/api/actors?q=brandt").json()["results"][0]
    first = client.get(f"/actors/{brandt['id']}").text
    assert "Everything Ilse Brandt said (6), newest first" in first
    assert 'rel="next"' not in first
    dates = re.findall(r"<time>([\d-]+)</time>", first.split('id="h-statements"')[1])
    assert dates == sorted(dates, reverse=True)
    second = client.get(f"/actors/{brandt['id']}?page=2").text
    assert second.count('<li class="result">') == 0 and 'rel="prev"' in second


def test_a_long_story_shows_each_outlets_first_report(demo_db: Path) -> None:
    from quotetrace.store import Store
    from quotetrace.web.story_view import representative_reports

    with Store.open(str(demo_db)) as store:
        first = store.article_by_doc_id("herald-0310")
        assert first is not None and first.story_id is not None
        reports = store.articles(story_id=first.story_id)
    assert len(reports) == 4
    assert [a.doc_id for a in representative_reports(reports, limit=3)] == [
        "herald-0310",
        "ledger-0310",
        "riverpost-0311",
    ]
    assert len(representative_reports(reports, limit=12)) == 4


def test_pager_links_are_relative_and_encoded() -> None:
    from starlette.requests import Request

    from quotetrace.web.pages import _pager_urls

    request = Request(
        {
            "type": "http",
            "method": "GET",
            "scheme": "http",
            "server": ("127.0.0.1", 8000),
            "root_path": "",
            "path": "/outlets/Night <b>Wire</b>",
            "query_string": b"q=dam&page=2",
            "headers": [(b"host", b"evil.example")],
        }
    )
    urls = _pager_urls(request, 2, 45)
    assert urls == {
        "prev_url": "/outlets/Night%20%3Cb%3EWire%3C/b%3E?q=dam&page=1",
        "next_url": "/outlets/Night%20%3Cb%3EWire%3C/b%3E?q=dam&page=3",
    }
    assert _pager_urls(request, 3, 45)["next_url"] is None
