"""The crawl state table behaves the same on SQLite and PostgreSQL (upserts, resume query)."""

from __future__ import annotations

from quotetrace.crawl import CrawlState
from quotetrace.store import Store

FEED = "http://127.0.0.1:9/feed.xml"


def _page(n: int) -> str:
    return f"http://127.0.0.1:9/news/{n}"


def test_listed_urls_are_pending_once_and_outcomes_are_kept(store: Store) -> None:
    state = CrawlState(store)
    links = [(_page(n), f"Title {n}", "2026-11-30") for n in range(3)]
    assert state.add_pending(links, kind="page", root=FEED) == 3
    assert state.add_pending(links, kind="page", root=FEED) == 0  # known ones left be

    state.mark(_page(0), "done", "stored", kind="page", text_hash="a" * 64, doc_id=_page(0))
    state.mark(_page(1), "failed", "timeout", kind="page")
    state.mark(_page(2), "failed", "http-404", kind="page")
    resumable = {row.url: row for row in state.resumable([FEED], max_attempts=3)}
    # Done and permanently failed URLs are not taken up again; a timeout is.
    assert list(resumable) == [_page(1)]
    assert resumable[_page(1)].attempts == 1 and resumable[_page(1)].root == FEED
    assert resumable[_page(1)].listed_title == "Title 1"

    state.mark(_page(1), "failed", "timeout", kind="page")
    state.mark(_page(1), "failed", "timeout", kind="page")
    assert state.resumable([FEED], max_attempts=3) == []  # three tries, then it rests
    assert state.url_with_text("a" * 64) == _page(0)
    assert state.counts() == {"done": 1, "failed": 2}


def test_a_feed_keeps_its_validators_until_it_answers_without_them(store: Store) -> None:
    state = CrawlState(store)
    state.mark(FEED, "done", "listed", kind="feed", etag='"v1"', last_modified="Mon, 30 Nov")
    row = state.get(FEED)
    assert row is not None and (row.etag, row.last_modified, row.kind) == (
        '"v1"',
        "Mon, 30 Nov",
        "feed",
    )
    state.mark(FEED, "done", "listed", kind="feed", etag='"v2"')
    row = state.get(FEED)
    assert row is not None and (row.etag, row.last_modified, row.attempts) == ('"v2"', None, 2)
