"""What a crawl did, counted per site: the summary ``fetch`` prints and ``watch`` logs."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

__all__ = ["CrawlReport", "SiteCounts"]


@dataclass
class SiteCounts:
    """One site's counts. ``failures`` holds what makes the exit status 1."""

    listings: int = 0  # feeds and sitemaps read
    listed: int = 0  # article URLs they listed (new to the store's crawl state)
    fetched: int = 0  # pages answered with a body
    stored: int = 0  # articles stored
    already: int = 0  # URLs skipped because their article is stored already
    duplicate: int = 0  # fetched, but the same article is stored under another URL
    not_modified: int = 0  # 304 to a conditional GET
    robots: int = 0  # not fetched: robots.txt disallows
    not_article: int = 0  # fetched, but the page holds no article
    timeouts: int = 0
    http_errors: Counter[int] = field(default_factory=Counter)
    other_errors: Counter[str] = field(default_factory=Counter)  # broken XML, too large, ...

    @property
    def failures(self) -> int:
        return self.timeouts + sum(self.http_errors.values()) + sum(self.other_errors.values())

    def errors_text(self) -> str:
        parts = [f"HTTP {status}×{n}" for status, n in sorted(self.http_errors.items())]
        if self.timeouts:
            parts.append(f"timeout×{self.timeouts}")
        parts += [f"{kind}×{n}" for kind, n in sorted(self.other_errors.items())]
        return ", ".join(parts)


@dataclass
class CrawlReport:
    sites: dict[str, SiteCounts] = field(default_factory=dict)
    statements_added: int = 0
    seconds: float = 0.0
    interrupted: bool = False
    messages: list[str] = field(default_factory=list)  # one line per failure, for the log

    def site(self, site: str) -> SiteCounts:
        found = self.sites.get(site)
        if found is None:
            found = self.sites[site] = SiteCounts()
        return found

    def total(self) -> SiteCounts:
        out = SiteCounts()
        for counts in self.sites.values():
            for name in (
                "listings",
                "listed",
                "fetched",
                "stored",
                "already",
                "duplicate",
                "not_modified",
                "robots",
                "not_article",
                "timeouts",
            ):
                setattr(out, name, getattr(out, name) + getattr(counts, name))
            out.http_errors.update(counts.http_errors)
            out.other_errors.update(counts.other_errors)
        return out

    @property
    def failures(self) -> int:
        return sum(c.failures for c in self.sites.values())

    def one_line(self) -> str:
        """The round's counts on one line (``watch`` logs one per round)."""
        t = self.total()
        errors = t.errors_text()
        return (
            f"{t.listings} listing(s), {t.listed} new URL(s), {t.fetched} fetched,"
            f" {t.stored} stored, {t.already} already stored, {t.duplicate} duplicate(s),"
            f" {t.not_modified} not modified, {t.robots} skipped by robots.txt,"
            f" {t.not_article} not an article, {t.failures} error(s)"
            + (f" ({errors})" if errors else "")
            + f"; {self.statements_added} statement(s); {self.seconds:.1f} s"
        )
