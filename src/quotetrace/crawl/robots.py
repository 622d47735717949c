"""robots.txt, read once per site per run and obeyed for every URL fetched there.

What a site's robots.txt fetch says decides, as RFC 9309 has it:

* 2xx: the rules in the file (``urllib.robotparser``), including a ``Crawl-delay`` for our
  user agent, which slows the per-host rate limit down (never speeds it up);
* 4xx (no robots.txt, or forbidden to read): no rules, everything may be fetched;
* 5xx, a timeout, a refused connection: the site is treated as fully disallowed until the
  file is read again (a crawler that cannot read the rules must not guess them).

Rules are kept for ``ttl`` seconds (an hour by default), then read again.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlsplit
from urllib.robotparser import RobotFileParser

__all__ = ["RobotsRules", "SiteRules", "site_of"]

# Longest Crawl-delay we honour as given; beyond it a site would stall the whole run.
MAX_CRAWL_DELAY = 60.0


def site_of(url: str) -> str:
    """``scheme://host[:port]`` of a URL: the unit robots.txt and the rate limit apply to."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}".lower()


@dataclass
class SiteRules:
    """The rules of one site: a parser, or allow-all / disallow-all."""

    parser: RobotFileParser | None
    allow_all: bool
    crawl_delay: float | None = None
    why: str = ""

    def allowed(self, user_agent: str, url: str) -> bool:
        if self.parser is None:
            return self.allow_all
        return self.parser.can_fetch(user_agent, url)


# fetch_text(url) -> (HTTP status or None when unreachable, body text)
RobotsFetch = Callable[[str], tuple[int | None, str]]


class RobotsRules:
    """robots.txt per site, fetched on first use through ``fetch_text``."""

    def __init__(self, user_agent: str, fetch_text: RobotsFetch, ttl: float = 3600.0) -> None:
        self.user_agent = user_agent
        self._fetch_text = fetch_text
        self._ttl = ttl
        self._sites: dict[str, tuple[float, SiteRules]] = {}

    def rules_for(self, url: str) -> SiteRules:
        """The site's rules, read again once they are ``ttl`` seconds old (a long ``watch``
        sees a site's changed robots.txt within the hour)."""
        site = site_of(url)
        now = time.monotonic()
        found = self._sites.get(site)
        if found is None or now - found[0] > self._ttl:
            found = (now, self._load(site))
            self._sites[site] = found
        return found[1]

    def allowed(self, url: str) -> bool:
        return self.rules_for(url).allowed(self.user_agent, url)

    def _load(self, site: str) -> SiteRules:
        status, text = self._fetch_text(site + "/robots.txt")
        if status is None or status >= 500:
            return SiteRules(None, allow_all=False, why="robots.txt unreachable")
        if 400 <= status < 500:
            return SiteRules(None, allow_all=True, why=f"robots.txt {status}")
        if not 200 <= status < 300:
            return SiteRules(None, allow_all=True, why=f"robots.txt {status}")
        parser = RobotFileParser()
        parser.parse(text.splitlines())
        delay = parser.crawl_delay(self.user_agent)
        crawl_delay = min(float(delay), MAX_CRAWL_DELAY) if delay is not None else None
        return SiteRules(parser, allow_all=True, crawl_delay=crawl_delay, why="robots.txt")
