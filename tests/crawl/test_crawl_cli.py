"""``quotetrace fetch`` and ``watch`` as a user runs them: real processes, real signals."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from crawl_fixtures import crawl_config
from news_sites import LEDGER, LEDGER_ARTICLES, NewsSite, Route, article_page, rss_feed
from typer.testing import CliRunner

from quotetrace.cli import app
from quotetrace.crawl import Crawler, CrawlState
from quotetrace.store import Store

if TYPE_CHECKING:
    from spacy.language import Language

pytestmark = pytest.mark.model

FAST = ["--delay", "0.1", "--timeout", "0.6", "--retries", "1"]


def _command() -> list[str]:
    script = Path(sys.executable).parent / "quotetrace"
    return [str(script)] if script.exists() else [sys.executable, "-m", "quotetrace.cli"]


def _run(*args: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*_command(), *args], capture_output=True, text=True, timeout=timeout, check=False
    )


def _tidy_site(paths: list[str], delay: float = 0.0) -> NewsSite:
    """A site whose feed lists only good articles (each answered after ``delay`` s)."""
    site = NewsSite(LEDGER)
    site.add("/robots.txt", Route("User-agent: *\nDisallow:\n", content_type="text/plain"))
    items = [(p, LEDGER_ARTICLES[p][0], "Mon, 30 Nov 2026 07:00:00 GMT") for p in paths]
    site.add(
        "/feed.xml",
        Route(rss_feed(LEDGER, site.base, items), content_type="application/rss+xml", etag='"t1"'),
    )
    for path in paths:
        title, date, paragraphs = LEDGER_ARTICLES[path]
        site.add(path, Route(article_page(title, LEDGER, date, paragraphs), delay=delay))
    return site.start()


def test_fetch_reports_per_site_counts_and_fails_with_status_1(
    ledger: NewsSite, courier: NewsSite, tmp_path: Path
) -> None:
    db = str(tmp_path / "cli.db")
    warcs = tmp_path / "warc"
    done = _run(
        "fetch",
        ledger.url("/feed.xml"),
        courier.url("/sitemap_index.xml"),
        courier.url("/broken-feed.xml"),
        "not a url",
        "--db",
        db,
        "--warc-out",
        str(warcs),
        *FAST,
    )
    assert done.returncode == 1, done.stderr
    assert "Traceback" not in done.stderr
    err = done.stderr
    assert f"Error: {ledger.url('/news/removed')}: HTTP 404" in err
    assert f"Error: {ledger.url('/news/slow')}: timed out" in err
    assert f"Error: {courier.url('/broken-feed.xml')}: the XML is not well-formed" in err
    assert "Error: not a url: not an http(s) URL" in err
    assert ledger.base in err and courier.base in err  # the per-site table
    assert "HTTP 404×1, timeout×1" in err and "HTTP 500×1, broken-listing×1" in err
    assert "6 stored" in err  # ferry, library, pier (redirect), dam, meals, bus lanes

    with Store.open(db) as store:
        assert store.counts()["articles"] == 6
        outlets = {a.outlet for a in store.articles(limit=10)}
    assert outlets == {"The Lakeside Ledger", "Hillside Courier"}

    # The raw responses are kept, request and response records, readable by warcio.
    from warcio.archiveiterator import ArchiveIterator

    [warc] = list(warcs.glob("*.warc.gz"))
    with warc.open("rb") as stream:
        records = [
            (r.rec_type, r.rec_headers.get_header("WARC-Target-URI"))
            for r in ArchiveIterator(stream)
        ]
    responses = {uri for kind, uri in records if kind == "response"}
    assert ledger.url("/feed.xml") in responses and ledger.url("/news/ferry-fares") in responses
    assert courier.url("/sitemap-archive.xml.gz") in responses
    assert sum(kind == "request" for kind, _ in records) == len(responses)


def test_watch_runs_rounds_and_logs_one_line_each(tmp_path: Path) -> None:
    site = _tidy_site(["/news/ferry-fares", "/news/library-hours"])
    try:
        feeds = tmp_path / "feeds.txt"
        feeds.write_text(f"# the outlets we follow\n{site.url('/feed.xml')}\n\n", encoding="utf-8")
        db = str(tmp_path / "watch.db")
        done = _run("watch", str(feeds), "--every", "0.5s", "--max-rounds", "2", "--db", db, *FAST)
    finally:
        site.stop()
    assert done.returncode == 0, done.stderr
    rounds = [line for line in done.stderr.splitlines() if " round " in line]
    assert len(rounds) == 2
    assert "round 1: 1 listing(s), 2 new URL(s), 2 fetched, 2 stored" in rounds[0]
    assert "round 2: 0 listing(s), 0 new URL(s), 0 fetched, 0 stored" in rounds[1]
    assert "1 not modified" in rounds[1]
    feed_asks = site.requests_for("/feed.xml")
    assert len(feed_asks) == 2 and feed_asks[1].headers.get("if-none-match") == '"t1"'
    assert feed_asks[1].at - feed_asks[0].at >= 0.5 * 0.95


def test_watch_refuses_a_missing_feeds_file_with_one_line(tmp_path: Path) -> None:
    runner = CliRunner()
    missing = tmp_path / "nope.txt"
    done = runner.invoke(app, ["watch", str(missing), "--once", "--db", str(tmp_path / "x.db")])
    assert (done.exit_code == 1 and done.exception is None) or isinstance(
        done.exception, SystemExit
    )
    assert done.output.startswith(f"Error: {missing}: cannot read the feeds file")
    done = runner.invoke(app, ["watch", str(missing), "--every", "soon"])
    assert done.exit_code == 1 and "--every 'soon' is not a duration" in done.output
    empty = tmp_path / "empty.txt"
    empty.write_text("# nothing yet\n", encoding="utf-8")
    done = runner.invoke(app, ["watch", str(empty), "--once", "--db", str(tmp_path / "x.db")])
    assert done.exit_code == 1 and "the feeds file lists no URL" in done.output


def test_a_killed_fetch_resumes_without_fetching_stored_pages_again(
    tmp_path: Path, nlp: Language
) -> None:
    paths = list(LEDGER_ARTICLES)
    site = _tidy_site(paths, delay=0.3)
    db = str(tmp_path / "killed.db")
    try:
        args = [
            *_command(),
            "fetch",
            site.url("/feed.xml"),
            "--db",
            db,
            "--commit-every",
            "1",
            # Pages answer after 0.3 s: a timeout well above that keeps a busy machine from
            # turning the slow answers into timeouts.
            "--delay",
            "0.1",
            "--timeout",
            "3",
        ]
        process = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        # One article is stored before the next page is asked for (--commit-every 1), so by
        # the third page request two articles are committed.
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if len([p for p in site.paths() if p.startswith("/news/")]) >= 3:
                break
            time.sleep(0.02)
        os.kill(process.pid, signal.SIGKILL)
        process.wait(timeout=10)
        before = [p for p in site.paths() if p.startswith("/news/")]
        assert len(before) == 3, before

        with Store.open(db) as store:
            stored_at_kill = {a.doc_id for a in store.articles(limit=10)}
            state_at_kill = CrawlState(store).counts()
        assert len(stored_at_kill) == 2 and state_at_kill == {"done": 3, "pending": 2}  # feed + 2

        patient = crawl_config(connect_timeout=3.0, read_timeout=3.0, total_timeout=9.0)
        with Store.open(db) as store, Crawler(store, patient, nlp=nlp) as crawler:
            report = crawler.run([site.url("/feed.xml")])
        assert report.failures == 0 and report.total().stored == len(paths) - 2
        after = [p for p in site.paths() if p.startswith("/news/")][len(before) :]
    finally:
        site.stop()
    # The resumed run asked only for what was not stored: the page in flight and the rest.
    assert sorted(after) == sorted(p for p in paths if site.url(p) not in stored_at_kill)
    with Store.open(db) as store:
        assert sorted(a.doc_id for a in store.articles(limit=10)) == sorted(
            site.url(p) for p in paths
        )
        assert CrawlState(store).counts() == {"done": 1 + len(paths)}
