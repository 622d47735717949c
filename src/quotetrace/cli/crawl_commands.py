"""``quotetrace fetch | watch``: articles from feeds, sitemaps and pages on the web."""

from __future__ import annotations

import re
import signal
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from types import FrameType
from typing import Any

import typer

from ..errors import ConfigError, EmptyInputError, UnreadableInputError
from ..settings import get_setting
from .app import app, reports_errors
from .store_commands import DB_HELP, _open

FETCH_HELP = """Fetch the articles that feeds and sitemaps list (or pages given directly) and store them.

Each URL may be an RSS/Atom feed, an XML sitemap (Google News sitemaps and sitemap indexes
included, gzipped or not) or an article page; what it is is read from what the server sends.
Fetching is polite: robots.txt is obeyed, one site gets at most one request every --delay
seconds, feeds and pages are asked for with If-None-Match / If-Modified-Since when the store
remembers their validators, 429/5xx/timeouts are retried with backoff (honouring Retry-After).

A URL whose article is stored is never fetched again; a page whose text is stored under
another URL is not stored twice. Progress lives in the store (table crawl_urls), so a run
stopped with Ctrl-C or kill resumes where it stopped when run again. Ends with counts per
site; the exit status is 1 when a fetch failed (HTTP errors, timeouts, broken feeds).

Examples:

    quotetrace fetch https://news.example.org/rss.xml https://example.net/news-sitemap.xml

    quotetrace fetch https://news.example.org/rss.xml --delay 2 --warc-out crawl/
"""

WATCH_HELP = """Run `fetch` over the feeds in a file every --every, until stopped.

FEEDS is a text file with one feed, sitemap or page URL a line (blank lines and lines
starting with # are ignored); it is read again each round, so edits take effect without a
restart. One line per round is logged with its counts. Ctrl-C (or kill) stops it between or
during rounds without harm; --once or --max-rounds N make it end by itself (cron, tests).

Examples:

    quotetrace watch feeds.txt --every 15m --db news.db

    quotetrace watch feeds.txt --once --quiet
"""

_DURATION = re.compile(r"(\d+(?:\.\d+)?)\s*(h|m|s|ms)?", re.I)
_UNIT_SECONDS = {"h": 3600.0, "m": 60.0, "s": 1.0, "ms": 0.001, None: 1.0}


def parse_duration(text: str) -> float:
    """Seconds in ``15m``, ``1h30m``, ``45s``, ``500ms`` or a bare number of seconds."""
    compact = text.strip().replace(" ", "")
    pos, total = 0, 0.0
    while pos < len(compact):
        match = _DURATION.match(compact, pos)
        if match is None:
            break
        unit = match.group(2).lower() if match.group(2) else None
        total += float(match.group(1)) * _UNIT_SECONDS[unit]
        pos = match.end()
    if not compact or pos != len(compact) or total <= 0:
        raise ConfigError(f"--every {text!r} is not a duration", "write e.g. 15m, 1h, 90s or 1h30m")
    return total


def _raise_interrupt(_signum: int, _frame: FrameType | None) -> None:
    raise KeyboardInterrupt


def _stop_on_sigterm() -> None:
    # `kill` stops a crawl the way Ctrl-C does: between two committed steps.
    signal.signal(signal.SIGTERM, _raise_interrupt)


def _crawl_config(
    *,
    user_agent: str | None,
    delay: float | None,
    timeout: float | None,
    retries: int,
    max_bytes: int | None,
    max_pages: int | None,
    commit_every: int | None,
) -> Any:
    from ..crawl import CrawlConfig, FetchConfig

    read_timeout = timeout if timeout is not None else int(get_setting("crawl_timeout_ms")) / 1000
    fetch = FetchConfig(
        user_agent=user_agent or str(get_setting("crawl_user_agent")),
        delay=delay if delay is not None else int(get_setting("crawl_delay_ms")) / 1000,
        connect_timeout=read_timeout,
        read_timeout=read_timeout,
        total_timeout=3 * read_timeout,
        max_bytes=max_bytes or int(get_setting("crawl_max_page_bytes")),
        retries=retries,
        backoff=max(0.05, min(1.0, read_timeout / 10)),
    )
    return CrawlConfig(
        fetch=fetch,
        commit_every=commit_every or min(20, int(get_setting("commit_every"))),
        max_pages=max_pages,
    )


def _print_message(line: str) -> None:
    print(f"Error: {line}", file=sys.stderr)


def _print_summary(report: Any) -> None:
    from rich.console import Console
    from rich.table import Table

    table = Table(title=None, show_edge=False, pad_edge=False)
    for name in (
        "site",
        "listings",
        "new URLs",
        "fetched",
        "stored",
        "already",
        "duplicate",
        "not modified",
        "robots.txt",
        "not article",
        "errors",
    ):
        table.add_column(name, justify="left" if name in ("site", "errors") else "right")
    for site, c in sorted(report.sites.items()):
        table.add_row(
            site,
            *(
                str(n)
                for n in (
                    c.listings,
                    c.listed,
                    c.fetched,
                    c.stored,
                    c.already,
                    c.duplicate,
                    c.not_modified,
                    c.robots,
                    c.not_article,
                )
            ),
            c.errors_text() or "0",
        )
    Console(file=sys.stderr, width=160, highlight=False).print(table)
    print(report.one_line(), file=sys.stderr)


def _update_stories(store: Any, report: Any) -> None:
    if report.total().stored:
        from ..stories.store_sync import update_store_stories

        update_store_stories(store)


RETRIES_HELP = "retries per request on 429, 5xx and timeouts (exponential backoff)"


@app.command("fetch", help=FETCH_HELP)
@reports_errors
def fetch_command(
    urls: list[str] = typer.Argument(..., help="feed, sitemap or page URLs", show_default=False),
    db: str | None = typer.Option(None, "--db", help=DB_HELP),
    user_agent: str | None = typer.Option(
        None, "--user-agent", help="User-Agent header [env QUOTETRACE_CRAWL_USER_AGENT]"
    ),
    delay: float | None = typer.Option(
        None,
        "--delay",
        min=0.0,
        help="seconds between requests to one site [env QUOTETRACE_CRAWL_DELAY_MS]",
    ),
    timeout: float | None = typer.Option(
        None,
        "--timeout",
        min=0.01,
        help="connect/read timeout in seconds [env QUOTETRACE_CRAWL_TIMEOUT_MS]",
    ),
    retries: int = typer.Option(2, "--retries", min=0, max=10, help=RETRIES_HELP),
    max_bytes: int | None = typer.Option(
        None,
        "--max-bytes",
        min=1,
        help="largest response kept [env QUOTETRACE_CRAWL_MAX_PAGE_BYTES]",
    ),
    max_pages: int | None = typer.Option(
        None,
        "--max-pages",
        min=1,
        help="fetch at most this many pages this run (the rest stay pending)",
    ),
    warc_out: Path | None = typer.Option(
        None, "--warc-out", help="also keep every response in a .warc.gz file in this folder"
    ),
    model: str | None = typer.Option(
        None, "--model", help="spaCy model to parse with [env QUOTETRACE_MODEL]"
    ),
    commit_every: int | None = typer.Option(
        None, "--commit-every", min=1, help="articles per store transaction"
    ),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="no summary table"),
) -> None:
    from ..crawl import Crawler

    config = _crawl_config(
        user_agent=user_agent,
        delay=delay,
        timeout=timeout,
        retries=retries,
        max_bytes=max_bytes,
        max_pages=max_pages,
        commit_every=commit_every,
    )
    _stop_on_sigterm()
    store = _open(db)
    try:
        with Crawler(
            store,
            config,
            model=model,
            warc_dir=str(warc_out) if warc_out else None,
            on_message=_print_message,
        ) as crawler:
            try:
                report = crawler.run(urls)
            except KeyboardInterrupt:
                print(
                    "interrupted: everything stored so far is kept; run the same command"
                    " again to resume",
                    file=sys.stderr,
                )
                raise typer.Exit(130) from None
            _update_stories(store, report)
    finally:
        store.close()
    if not quiet:
        _print_summary(report)
    if report.failures:
        raise typer.Exit(1)


def read_feed_list(path: Path) -> list[str]:
    """The URLs in a feeds file: one a line, blank lines and # comments ignored."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise UnreadableInputError(
            f"cannot read the feeds file ({getattr(exc, 'strerror', None) or exc})",
            "give a UTF-8 text file with one feed URL a line",
            source=str(path),
        ) from None
    urls = [
        line.strip()
        for line in text.splitlines()
        if line.strip() and not line.lstrip().startswith("#")
    ]
    if not urls:
        raise EmptyInputError(
            "the feeds file lists no URL", "write one feed URL a line", source=str(path)
        )
    return urls


def _stamp() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


@app.command("watch", help=WATCH_HELP)
@reports_errors
def watch_command(
    feeds: Path = typer.Argument(..., help="file with one feed/sitemap URL a line"),
    every: str = typer.Option("15m", "--every", help="time between the starts of two rounds"),
    once: bool = typer.Option(False, "--once", help="one round, then exit (for cron)"),
    max_rounds: int | None = typer.Option(
        None, "--max-rounds", min=1, help="stop after this many rounds"
    ),
    db: str | None = typer.Option(None, "--db", help=DB_HELP),
    user_agent: str | None = typer.Option(
        None, "--user-agent", help="User-Agent header [env QUOTETRACE_CRAWL_USER_AGENT]"
    ),
    delay: float | None = typer.Option(
        None,
        "--delay",
        min=0.0,
        help="seconds between requests to one site [env QUOTETRACE_CRAWL_DELAY_MS]",
    ),
    timeout: float | None = typer.Option(
        None,
        "--timeout",
        min=0.01,
        help="connect/read timeout in seconds [env QUOTETRACE_CRAWL_TIMEOUT_MS]",
    ),
    retries: int = typer.Option(2, "--retries", min=0, max=10, help=RETRIES_HELP),
    max_bytes: int | None = typer.Option(
        None,
        "--max-bytes",
        min=1,
        help="largest response kept [env QUOTETRACE_CRAWL_MAX_PAGE_BYTES]",
    ),
    max_pages: int | None = typer.Option(
        None, "--max-pages", min=1, help="fetch at most this many pages per round"
    ),
    warc_out: Path | None = typer.Option(
        None, "--warc-out", help="also keep every response in a .warc.gz file in this folder"
    ),
    model: str | None = typer.Option(
        None, "--model", help="spaCy model to parse with [env QUOTETRACE_MODEL]"
    ),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="no per-failure lines, only rounds"),
) -> None:
    from ..crawl import Crawler

    interval = parse_duration(every)
    rounds_wanted = 1 if once else max_rounds
    config = _crawl_config(
        user_agent=user_agent,
        delay=delay,
        timeout=timeout,
        retries=retries,
        max_bytes=max_bytes,
        max_pages=max_pages,
        commit_every=None,
    )
    read_feed_list(feeds)  # a missing or empty file is an error before anything starts
    _stop_on_sigterm()
    store = _open(db)
    failed_rounds = 0
    rounds = 0
    try:
        with Crawler(
            store,
            config,
            model=model,
            warc_dir=str(warc_out) if warc_out else None,
            on_message=None if quiet else _print_message,
        ) as crawler:
            while rounds_wanted is None or rounds < rounds_wanted:
                started = time.monotonic()
                rounds += 1
                try:
                    report = crawler.run(read_feed_list(feeds))
                    _update_stories(store, report)
                except KeyboardInterrupt:
                    print(f"{_stamp()} round {rounds}: interrupted; stopping", file=sys.stderr)
                    return
                failed_rounds += 1 if report.failures else 0
                print(f"{_stamp()} round {rounds}: {report.one_line()}", file=sys.stderr)
                if rounds_wanted is not None and rounds >= rounds_wanted:
                    break
                try:
                    time.sleep(max(0.0, interval - (time.monotonic() - started)))
                except KeyboardInterrupt:
                    print(f"{_stamp()} stopped after {rounds} round(s)", file=sys.stderr)
                    return
    finally:
        store.close()
    if failed_rounds:
        raise typer.Exit(1)
