"""Fictional news sites served on 127.0.0.1 for the crawl tests, logging every request.

``NewsSite`` is a threaded ``http.server`` on a free port with a table of routes. Each route
says what to answer (body, status, headers), how slowly, whether to honour conditional GETs
(``etag`` / ``last_modified``), and whether to fail the first N requests (with a
``Retry-After``). Every request is logged with its arrival time (``time.monotonic()``), path
and headers, so tests can assert what the crawler did from the server's side.

All articles, feeds and sitemaps here are invented for these tests.
"""

from __future__ import annotations

import gzip
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from xml.sax.saxutils import escape


@dataclass
class Route:
    body: bytes | str | Callable[[], bytes | str] = b""
    status: int = 200
    content_type: str = "text/html; charset=utf-8"
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0  # seconds before answering (timeouts)
    drip: float = 0.0  # seconds between 100-byte pieces of the body (a trickling server)
    etag: str | None = None
    last_modified: str | None = None
    fail_first: int = 0  # answer the first N requests with fail_status
    fail_status: int = 503
    retry_after: str | None = None
    served: int = 0


@dataclass(frozen=True)
class LoggedRequest:
    at: float
    method: str
    path: str
    headers: dict[str, str]
    status: int
    delay: float  # how long the server waited before answering


class NewsSite:
    """One fictional site. ``base`` is ``http://127.0.0.1:<port>``."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.routes: dict[str, Route] = {}
        self.log: list[LoggedRequest] = []
        self._lock = threading.Lock()
        site = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self) -> None:
                site._serve(self)

            def log_message(self, format: str, *args: Any) -> None:
                return None

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.port = self.server.server_address[1]
        self.base = f"http://127.0.0.1:{self.port}"
        self._thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def start(self) -> NewsSite:
        self._thread.start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()
        self._thread.join(timeout=5)

    def url(self, path: str) -> str:
        return self.base + path

    def add(self, path: str, route: Route) -> None:
        self.routes[path] = route

    def requests_for(self, path: str) -> list[LoggedRequest]:
        with self._lock:
            return [r for r in self.log if r.path == path]

    def paths(self) -> list[str]:
        with self._lock:
            return [r.path for r in self.log]

    def _serve(self, handler: BaseHTTPRequestHandler) -> None:
        arrived = time.monotonic()
        headers = {k.lower(): v for k, v in handler.headers.items()}
        route = self.routes.get(handler.path)
        status, body, extra = self._answer(route, headers)
        with self._lock:
            delay = route.delay if route is not None else 0.0
            self.log.append(LoggedRequest(arrived, "GET", handler.path, headers, status, delay))
        if route is not None and route.delay:
            time.sleep(route.delay)
        try:
            handler.send_response(status)
            for key, value in extra.items():
                handler.send_header(key, value)
            handler.send_header("Content-Length", str(len(body)))
            handler.end_headers()
            if route is not None and route.drip:
                for start in range(0, len(body), 100):
                    handler.wfile.write(body[start : start + 100])
                    handler.wfile.flush()
                    time.sleep(route.drip)
            else:
                handler.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the crawler gave up (a timeout test): nothing to answer to

    def _answer(
        self, route: Route | None, headers: dict[str, str]
    ) -> tuple[int, bytes, dict[str, str]]:
        if route is None:
            return 404, b"<html><body>Not found</body></html>", {"Content-Type": "text/html"}
        with self._lock:
            route.served += 1
            served = route.served
        if served <= route.fail_first:
            extra = {"Content-Type": "text/plain"}
            if route.retry_after is not None:
                extra["Retry-After"] = route.retry_after
            return route.fail_status, b"try again later", extra
        extra = {"Content-Type": route.content_type, **route.headers}
        if route.etag:
            extra["ETag"] = route.etag
            if headers.get("if-none-match") == route.etag:
                return 304, b"", {"ETag": route.etag}
        if route.last_modified:
            extra["Last-Modified"] = route.last_modified
            if headers.get("if-modified-since") == route.last_modified:
                return 304, b"", {"Last-Modified": route.last_modified}
        body = route.body() if callable(route.body) else route.body
        return route.status, body.encode("utf-8") if isinstance(body, str) else body, extra


# -- fictional content ----------------------------------------------------------------------


def article_page(title: str, site_name: str, date: str, paragraphs: list[str]) -> str:
    body = "\n".join(f"<p>{escape(p)}</p>" for p in paragraphs)
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{escape(title)} | {escape(site_name)}</title>
<meta property="og:site_name" content="{escape(site_name)}">
<meta property="og:title" content="{escape(title)}">
<meta name="date" content="{date}">
</head><body>
<nav><a href="/">Home</a> <a href="/section/local">Local</a> <a href="/section/sport">Sport</a></nav>
<article><h1>{escape(title)}</h1>
<p class="byline">Published {date}</p>
{body}
</article>
<footer>Copyright {escape(site_name)}. All rights reserved.</footer>
</body></html>"""


def index_page(site_name: str, links: list[tuple[str, str]]) -> str:
    items = "\n".join(f'<li><a href="{href}">{escape(text)}</a></li>' for href, text in links)
    return f"""<!DOCTYPE html>
<html><head><title>Sport | {escape(site_name)}</title></head><body>
<nav><a href="/">Home</a></nav><h1>Sport</h1><ul>{items}</ul></body></html>"""


def rss_feed(title: str, base: str, items: list[tuple[str, str, str]]) -> str:
    entries = "\n".join(
        f"<item><title>{escape(t)}</title><link>{base}{path}</link><pubDate>{date}</pubDate></item>"
        for path, t, date in items
    )
    return f"""<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>{escape(title)}</title><link>{base}/</link>
<description>Local news</description>
{entries}
</channel></rss>"""


def atom_feed(title: str, base: str, items: list[tuple[str, str, str]]) -> str:
    entries = "\n".join(
        f'<entry><title>{escape(t)}</title><link rel="alternate" href="{base}{path}"/>'
        f"<id>{base}{path}</id><updated>{date}</updated></entry>"
        for path, t, date in items
    )
    return f"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>{escape(title)}</title>
<id>{base}/</id><updated>2026-11-30T08:00:00Z</updated>
{entries}
</feed>"""


def news_sitemap(base: str, items: list[tuple[str, str, str]]) -> str:
    entries = "\n".join(
        f"<url><loc>{base}{path}</loc><news:news><news:publication>"
        f"<news:name>Hillside Courier</news:name><news:language>en</news:language>"
        f"</news:publication><news:publication_date>{date}</news:publication_date>"
        f"<news:title>{escape(t)}</news:title></news:news></url>"
        for path, t, date in items
    )
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"
        xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">
{entries}
</urlset>"""


def plain_sitemap(base: str, paths: list[str]) -> str:
    entries = "\n".join(
        f"<url><loc>{base}{p}</loc><lastmod>2026-11-28</lastmod></url>" for p in paths
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
        f"{entries}\n</urlset>"
    )


def sitemap_index(base: str, paths: list[str]) -> str:
    entries = "\n".join(f"<sitemap><loc>{base}{p}</loc></sitemap>" for p in paths)
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
        f"{entries}\n</sitemapindex>"
    )


def gzipped(text: str) -> bytes:
    return gzip.compress(text.encode("utf-8"))


HTTP_DATE = formatdate(1_790_000_000, usegmt=True)

LEDGER = "The Lakeside Ledger"
COURIER = "Hillside Courier"

# path -> (title, date, paragraphs); every one of these is an article the crawl must store.
LEDGER_ARTICLES: dict[str, tuple[str, str, list[str]]] = {
    "/news/ferry-fares": (
        "Ferry fares to rise in spring",
        "2026-11-30",
        [
            "Ferry fares across the lake will rise by eight percent in March, the harbour board"
            " announced on Monday.",
            "\u201cWe held prices for three winters, and the fuel bills caught up with us,\u201d"
            " said Marta Lindqvist, who chairs the board.",
            "Lindqvist added that season tickets for commuters would stay at their current price"
            " until the end of the year.",
            "Passenger groups said the increase would hit island families hardest.",
        ],
    ),
    "/news/library-hours": (
        "Library opens on Sundays",
        "2026-11-29",
        [
            "The central library in Lakeside will open on Sunday afternoons from January, the"
            " town council decided after a long debate.",
            "\u201cStudents asked for a quiet place to work at weekends, and we listened,\u201d"
            " councillor Obi Mensah told the meeting.",
            "Mensah said the extra hours would be paid for by closing one branch on Mondays.",
            "Staff representatives warned that the rota was already stretched thin.",
        ],
    ),
    "/news/pier-repairs": (
        "Old pier closed for repairs",
        "2026-11-28",
        [
            "The old wooden pier at the north beach is closed until April while engineers"
            " replace rotten beams, the parks office said.",
            "\u201cNobody should climb the fences; the deck can give way without warning,\u201d"
            " said site manager Petra Holm.",
            "Holm said the repaired pier would have a ramp so that wheelchairs can reach the"
            " fishing platform.",
            "Anglers who use the pier each morning will be moved to the east jetty meanwhile.",
        ],
    ),
    "/news/choir-tour": (
        "Youth choir heads abroad",
        "2026-11-27",
        [
            "The Lakeside youth choir will sing in four cities next summer after winning the"
            " regional contest in the autumn.",
            "\u201cThey rehearsed twice a week for a year and it shows,\u201d said conductor"
            " Ilse Brandt, who founded the choir a decade ago.",
            "Brandt said families would not have to pay for the trip thanks to a grant from the"
            " arts fund.",
            "The choir will give a farewell concert at the town hall in June.",
        ],
    ),
}

COURIER_ARTICLES: dict[str, tuple[str, str, list[str]]] = {
    "/2026/12/dam-repairs": (
        "Dam inspection finds cracks",
        "2026-12-01",
        [
            "Inspectors found hairline cracks in the spillway of the Hillside dam, the water"
            " authority said on Tuesday.",
            "\u201cThere is no danger to anyone downstream, but we will not wait for the cracks"
            " to grow,\u201d said chief engineer Tomas Varga.",
            "Varga said repairs would start in the dry months and take about six weeks.",
            "Farmers who draw water from the reservoir were told supplies would not be cut.",
        ],
    ),
    "/2026/12/school-meals": (
        "Free school meals extended",
        "2026-12-01",
        [
            "Every primary pupil in Hillside will get a free hot lunch from February, the"
            " education committee agreed.",
            "\u201cA hungry child cannot learn fractions,\u201d said committee member Rosa Delgado,"
            " who proposed the plan.",
            "Delgado said the kitchens at three schools would be rebuilt to cope with the extra"
            " meals.",
            "Parents welcomed the decision, though some asked how long the money would last.",
        ],
    ),
    "/2026/11/bus-lanes": (
        "New bus lanes on the ring road",
        "2026-11-30",
        [
            "Two new bus lanes will open on the Hillside ring road next month, the transport"
            " office said.",
            "\u201cBuses stuck in traffic are empty buses; give them a lane and people come"
            " back,\u201d said transport planner Anika Rao.",
            "Rao said cameras would fine drivers who use the lanes during rush hours.",
            "Shopkeepers on the ring road worry that delivery vans will have nowhere to stop.",
        ],
    ),
}

# Served at /news/slow: too slow in the first run (a timeout), an article in the second.
LEDGER_LATE_ARTICLE = (
    "Market moves indoors for winter",
    "2026-12-01",
    [
        "The Saturday market will move into the old tram depot from December, the market"
        " association said.",
        "\u201cTraders lost too many weekends to the rain last year,\u201d said association"
        " secretary Henrik Dahl.",
        "Dahl said the depot had room for sixty stalls and a small stage for local bands.",
        "The outdoor market will return to the square in April.",
    ],
)
