"""Reading the news where it lives: feeds and sitemaps, fetched politely, stored as articles.

See ``docs/crawl.md``. The command line is ``quotetrace fetch`` and ``quotetrace watch``;
the library entry point is ``Crawler``::

    from quotetrace.crawl import CrawlConfig, Crawler, FetchConfig
    from quotetrace.store import Store

    with Store.open("news.db") as store, Crawler(store, CrawlConfig(FetchConfig(delay=2))) as c:
        report = c.run(["https://news.example.org/feed.xml"])
        print(report.one_line())
"""

from .crawler import CrawlConfig, Crawler
from .discovery import DiscoveredLink, Listing, discover
from .fetcher import FetchConfig, FetchResult, PoliteFetcher
from .report import CrawlReport, SiteCounts
from .state import CrawlRow, CrawlState

__all__ = [
    "CrawlConfig",
    "CrawlReport",
    "CrawlRow",
    "CrawlState",
    "Crawler",
    "DiscoveredLink",
    "FetchConfig",
    "FetchResult",
    "Listing",
    "PoliteFetcher",
    "SiteCounts",
    "discover",
]
