"""The two fictional news sites of the crawl tests, and the crawl settings they run with."""

from __future__ import annotations

from news_sites import (
    COURIER,
    COURIER_ARTICLES,
    HTTP_DATE,
    LEDGER,
    LEDGER_ARTICLES,
    NewsSite,
    Route,
    article_page,
    atom_feed,
    gzipped,
    index_page,
    news_sitemap,
    plain_sitemap,
    rss_feed,
    sitemap_index,
)

from quotetrace.crawl import CrawlConfig, FetchConfig

# Small enough to keep the tests quick, large enough to measure in the server's log.
DELAY = 0.15
TIMEOUT = 0.6


def crawl_config(**fetch: object) -> CrawlConfig:
    settings: dict[str, object] = {
        "user_agent": "quotetrace-test/1.0",
        "delay": DELAY,
        "connect_timeout": TIMEOUT,
        "read_timeout": TIMEOUT,
        "total_timeout": 3 * TIMEOUT,
        "retries": 1,
        "backoff": 0.05,
        "max_retry_wait": 5.0,
    }
    settings.update(fetch)
    return CrawlConfig(fetch=FetchConfig(**settings), commit_every=3)  # type: ignore[arg-type]


def _page(site: str, path: str, articles: dict[str, tuple[str, str, list[str]]]) -> Route:
    title, date, paragraphs = articles[path]
    return Route(article_page(title, site, date, paragraphs))


def build_ledger() -> NewsSite:
    """RSS (with an ETag) and Atom (with Last-Modified); robots.txt keeps out /private/."""
    site = NewsSite(LEDGER)
    base = site.base
    site.add(
        "/robots.txt", Route("User-agent: *\nDisallow: /private/\n", content_type="text/plain")
    )
    site.add(
        "/feed.xml",
        Route(
            rss_feed(
                LEDGER,
                base,
                [
                    ("/news/ferry-fares", "Ferry fares to rise", "Mon, 30 Nov 2026 07:00:00 GMT"),
                    ("/news/library-hours", "Library on Sundays", "Sun, 29 Nov 2026 07:00:00 GMT"),
                    ("/private/staff-memo", "Staff memo", "Sun, 29 Nov 2026 06:00:00 GMT"),
                    ("/news/removed", "A story taken down", "Sat, 28 Nov 2026 07:00:00 GMT"),
                    ("/section/sport", "Sport", "Sat, 28 Nov 2026 06:00:00 GMT"),
                    (
                        "/news/old-pier?utm_source=rss",
                        "Pier closed",
                        "Sat, 28 Nov 2026 05:00:00 GMT",
                    ),
                    ("/news/slow", "Market indoors", "Tue, 01 Dec 2026 07:00:00 GMT"),
                ],
            ),
            content_type="application/rss+xml",
            etag='"ledger-feed-v1"',
        ),
    )
    site.add(
        "/atom.xml",
        Route(
            atom_feed(
                LEDGER,
                base,
                [
                    ("/news/library-hours#comments", "Library on Sundays", "2026-11-29T07:00:00Z"),
                    ("/news/choir-tour", "Choir heads abroad", "2026-11-27T07:00:00Z"),
                ],
            ),
            content_type="application/atom+xml",
            last_modified=HTTP_DATE,
        ),
    )
    for path in ("/news/ferry-fares", "/news/library-hours", "/news/pier-repairs"):
        site.add(path, _page(LEDGER, path, LEDGER_ARTICLES))
    choir = _page(LEDGER, "/news/choir-tour", LEDGER_ARTICLES)
    choir.fail_first, choir.fail_status, choir.retry_after = 1, 429, "1"
    site.add("/news/choir-tour", choir)
    site.add(
        "/news/old-pier?utm_source=rss",
        Route(b"", status=301, headers={"Location": "/news/pier-repairs"}),
    )
    site.add("/news/old-pier", Route(b"", status=301, headers={"Location": "/news/pier-repairs"}))
    site.add("/section/sport", Route(index_page(LEDGER, [("/news/ferry-fares", "Fares")])))
    site.add("/private/staff-memo", Route("<html><body><p>Do not crawl me.</p></body></html>"))
    site.add("/news/slow", Route("<html><body>late</body></html>", delay=1.5))
    return site


def build_courier() -> NewsSite:
    """A sitemap index over a news sitemap and a gzipped one; no robots.txt (404)."""
    site = NewsSite(COURIER)
    base = site.base
    site.add(
        "/sitemap_index.xml",
        Route(
            sitemap_index(base, ["/sitemap-news.xml", "/sitemap-archive.xml.gz"]),
            content_type="application/xml",
        ),
    )
    site.add(
        "/sitemap-news.xml",
        Route(
            news_sitemap(
                base,
                [
                    ("/2026/12/dam-repairs", "Dam inspection finds cracks", "2026-12-01T06:00:00Z"),
                    ("/2026/12/school-meals", "Free school meals", "2026-12-01T05:00:00Z"),
                ],
            ),
            content_type="application/xml",
            last_modified=HTTP_DATE,
        ),
    )
    site.add(
        "/sitemap-archive.xml.gz",
        Route(
            gzipped(
                plain_sitemap(
                    base,
                    [
                        "/2026/11/bus-lanes",
                        "/2026/11/bus-lanes-print",
                        "/files/budget.pdf",
                        "/2026/11/server-error",
                    ],
                )
            ),
            content_type="application/gzip",
            etag='"archive-1"',
        ),
    )
    site.add(
        "/broken-feed.xml",
        Route(
            '<?xml version="1.0"?><rss version="2.0"><channel><title>Broken</title>'
            "<item><title>Unclosed<link>x</link></item></channel>",
            content_type="application/rss+xml",
        ),
    )
    for path in ("/2026/12/dam-repairs", "/2026/12/school-meals", "/2026/11/bus-lanes"):
        site.add(path, _page(COURIER, path, COURIER_ARTICLES))
    # The print view of an article: the same text under another URL.
    site.add("/2026/11/bus-lanes-print", _page(COURIER, "/2026/11/bus-lanes", COURIER_ARTICLES))
    site.add(
        "/files/budget.pdf", Route(b"%PDF-1.4 fictional budget", content_type="application/pdf")
    )
    site.add("/2026/11/server-error", Route(b"oops", status=500, content_type="text/plain"))
    return site
