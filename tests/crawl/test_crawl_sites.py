"""Two crawls of two fictional sites, checked from the server's request log and the store."""

from __future__ import annotations

import itertools
from typing import TYPE_CHECKING

import pytest
from crawl_fixtures import DELAY, TIMEOUT, crawl_config
from news_sites import (
    LEDGER,
    LEDGER_LATE_ARTICLE,
    NewsSite,
    Route,
    article_page,
    plain_sitemap,
    sitemap_index,
)

from quotetrace.crawl import Crawler, CrawlState
from quotetrace.store import Store

if TYPE_CHECKING:
    from spacy.language import Language


LEDGER_STORED = [
    "/news/ferry-fares",
    "/news/library-hours",
    "/news/pier-repairs",
    "/news/choir-tour",
]
COURIER_STORED = ["/2026/12/dam-repairs", "/2026/12/school-meals", "/2026/11/bus-lanes"]


def _targets(ledger: NewsSite, courier: NewsSite) -> list[str]:
    return [
        ledger.url("/feed.xml"),
        ledger.url("/atom.xml"),
        courier.url("/sitemap_index.xml"),
        courier.url("/broken-feed.xml"),
    ]


def _gaps(site: NewsSite) -> list[float]:
    times = sorted(r.at for r in site.log)
    return [b - a for a, b in itertools.pairwise(times)]


@pytest.mark.model
def test_two_runs_store_every_article_once_politely(
    ledger: NewsSite, courier: NewsSite, db_path: str, nlp: Language
) -> None:
    with Store.open(db_path) as store, Crawler(store, crawl_config(), nlp=nlp) as crawler:
        first = crawler.run(_targets(ledger, courier))
        first_log = {site.name: len(site.log) for site in (ledger, courier)}

        a, b = first.sites[ledger.base], first.sites[courier.base]
        assert (a.listings, b.listings) == (2, 3)  # feed + atom; index's two sitemaps + index
        assert a.stored == 4 and b.stored == 3
        assert a.robots == 1 and a.not_article == 1 and b.not_article == 1
        assert a.http_errors == {404: 1} and a.timeouts == 1
        assert b.http_errors == {500: 1} and b.duplicate == 1
        assert b.other_errors == {"broken-listing": 1}
        assert first.failures == 4

        # The slow page recovers and the feeds stay as they were.
        title, date, paragraphs = LEDGER_LATE_ARTICLE
        ledger.routes["/news/slow"].body = article_page(title, LEDGER, date, paragraphs)
        ledger.routes["/news/slow"].delay = 0.0
        second = crawler.run(_targets(ledger, courier))

        a2, b2 = second.sites[ledger.base], second.sites[courier.base]
        assert a2.stored == 1 and b2.stored == 0  # the page that timed out, retried
        assert a2.not_modified == 2 and b2.not_modified == 2  # feed, atom; two sitemaps
        assert b2.http_errors == {500: 1}  # a 5xx is retried on the next run; a 404 is not
        assert a2.http_errors == {}

        stored = {a.doc_id for a in store.articles(limit=100)}

    expected = {ledger.url(p) for p in [*LEDGER_STORED, "/news/slow"]} | {
        courier.url(p) for p in COURIER_STORED
    }
    assert stored == expected

    # Every article page answered 200 exactly once over both runs (the slow page's first
    # two answers came after the crawler had given up on them).
    for site, paths in ((ledger, [*LEDGER_STORED, "/news/slow"]), (courier, COURIER_STORED)):
        for path in paths:
            ok = [r for r in site.requests_for(path) if r.status == 200 and r.delay < TIMEOUT]
            assert len(ok) == 1, (path, site.requests_for(path))

    # robots.txt: read once per site (kept for an hour), and /private/ never requested.
    assert not [p for p in ledger.paths() if p.startswith("/private/")]
    assert len(ledger.requests_for("/robots.txt")) == 1
    assert len(courier.requests_for("/robots.txt")) == 1
    assert ledger.log[0].path == courier.log[0].path == "/robots.txt"  # before anything else
    # Normalised before fetching: the tracking parameter never reached the server.
    assert not [p for p in ledger.paths() if "utm_" in p]

    # The rate limit held: no two requests to one site closer than the delay.
    for site in (ledger, courier):
        assert min(_gaps(site)) >= DELAY * 0.95, site.name
    # The 429 was retried after its Retry-After (1 s), not after the 0.05 s backoff.
    choir = ledger.requests_for("/news/choir-tour")
    assert [r.status for r in choir] == [429, 200]
    assert choir[1].at - choir[0].at >= 0.95

    # The second run asked conditionally and got 304s; pages stored were not asked again.
    second_run = {
        name: site.log[first_log[name] :]
        for name, site in ((ledger.name, ledger), (courier.name, courier))
    }
    by_path = {(name, r.path): r for name, log in second_run.items() for r in log}
    assert by_path[(ledger.name, "/feed.xml")].headers["if-none-match"] == '"ledger-feed-v1"'
    assert "if-modified-since" in by_path[(ledger.name, "/atom.xml")].headers
    assert "if-modified-since" in by_path[(courier.name, "/sitemap-news.xml")].headers
    assert (
        by_path[(courier.name, "/sitemap-archive.xml.gz")].headers["if-none-match"] == '"archive-1"'
    )
    assert {r.status for r in second_run[ledger.name] if r.path.endswith(".xml")} == {304}
    second_pages = {r.path for log in second_run.values() for r in log}
    assert second_pages & {*LEDGER_STORED, *COURIER_STORED, "/news/removed"} == set()
    assert len(ledger.requests_for("/news/slow")) == 3  # timed out twice (one retry), then ok


@pytest.mark.model
def test_user_agent_is_sent_and_matched_against_robots(
    ledger: NewsSite, db_path: str, nlp: Language
) -> None:
    ledger.routes[
        "/robots.txt"
    ].body = "User-agent: quotetrace-test\nDisallow: /news/\n\nUser-agent: *\nDisallow:\n"
    with Store.open(db_path) as store, Crawler(store, crawl_config(), nlp=nlp) as crawler:
        report = crawler.run([ledger.url("/feed.xml")])
        counts = CrawlState(store).counts()
    assert {r.headers["user-agent"] for r in ledger.log} == {"quotetrace-test/1.0"}
    assert not [p for p in ledger.paths() if p.startswith("/news/")]
    # The five /news/ items are refused; the group for our agent replaces the `*` group, so
    # /private/ is allowed to us here (and turns out not to be an article).
    assert report.sites[ledger.base].robots == 5
    assert report.sites[ledger.base].not_article == 2
    assert counts == {"done": 1, "failed": 7}  # the feed; 5 refused, 2 not articles


def test_a_sitemap_index_that_lists_itself_is_read_once(db_path: str) -> None:
    site = NewsSite("Loop Site")
    site.add("/robots.txt", Route("User-agent: *\nDisallow:\n", content_type="text/plain"))
    site.add("/index.xml", Route(sitemap_index(site.base, ["/index.xml", "/inner.xml"])))
    site.add("/inner.xml", Route(sitemap_index(site.base, ["/index.xml", "/pages.xml"])))
    site.add("/pages.xml", Route(plain_sitemap(site.base, ["/files/a.pdf"])))
    site.add("/files/a.pdf", Route(b"%PDF-1.4", content_type="application/pdf"))
    site.start()
    try:
        with Store.open(db_path) as store, Crawler(store, crawl_config()) as crawler:
            report = crawler.run([site.url("/index.xml")])
    finally:
        site.stop()
    assert site.paths() == ["/robots.txt", "/index.xml", "/inner.xml", "/pages.xml", "/files/a.pdf"]
    counts = report.sites[site.base]
    assert (counts.listings, counts.listed, counts.not_article, counts.failures) == (3, 1, 1, 0)
