"""Fictional web archives for the WARC tests, written with FastWARC's writer.

``news_warc`` writes what a crawl of a small fictional outlet looks like: a warcinfo record,
a request and a metadata record per fetch, three article pages (one of them served chunked and
gzip-compressed), an index page with no article on it, a PDF, a redirect and a 404.
"""

from __future__ import annotations

import datetime as dt
import gzip
import html
import importlib.util
import sys
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any

from quotetrace.ingest.warc_writer import WarcFileWriter

REPO_ROOT = Path(__file__).resolve().parents[2]
SITE = "https://www.vellmoor-ledger.example"
OUTLET = "The Vellmoor Ledger"


@dataclass(frozen=True)
class ExpectedArticle:
    url: str
    date: str
    title: str
    phrase: str  # a phrase of its text


ARTICLES = [
    ExpectedArticle(
        f"{SITE}/2025/03/04/quay-opening",
        "2025-03-04",
        "New quay to open in June",
        "The weather cost us the spring",
    ),
    ExpectedArticle(
        f"{SITE}/2025/03/05/ferry-fares",
        "2025-03-05",
        "Ferry fares to rise by a tenth",
        "Nobody likes paying more for the crossing",
    ),
    ExpectedArticle(
        f"{SITE}/2025/03/06/school-roof",
        "2025-03-06",
        "School roof repairs finished early",
        "The children are back in their own classrooms",
    ),
]

_BODIES = {
    ARTICLES[0].url: (
        "Harbour master Ilka Sorn said on Tuesday that the new quay at Dunmore would open in "
        "June, two months later than planned. “The weather cost us the spring,” Sorn told the "
        "harbour board. She said the contractors had promised to work through the Easter "
        "holiday to make up some of the lost time."
    ),
    ARTICLES[1].url: (
        "Fares on the Dunmore ferry will rise by ten percent in April, the island council "
        "announced on Wednesday. “Nobody likes paying more for the crossing,” councillor Per "
        "Halvik said, adding that fuel costs had doubled since the last rise. Islanders with "
        "a resident card will keep their discount, the council said."
    ),
    ARTICLES[2].url: (
        "Repairs to the roof of Dunmore primary school were finished a week early, head "
        "teacher Greta Lund said on Thursday. “The children are back in their own classrooms,” "
        "Lund said. The school had taught its older pupils in the church hall since the "
        "storm in January tore away part of the roof."
    ),
}


def article_page(expected: ExpectedArticle) -> bytes:
    body = _BODIES[expected.url]
    half = len(body) // 2
    cut = body.index(" ", half)
    return (
        "<!doctype html><html><head>"
        f"<title>{expected.title} | {OUTLET}</title>"
        f'<meta property="og:site_name" content="{OUTLET}">'
        f'<meta property="og:title" content="{expected.title}">'
        f'<meta property="article:published_time" content="{expected.date}T09:30:00Z">'
        "</head><body><nav><a href='/'>Home</a> <a href='/news'>News</a></nav>"
        f"<article><h1>{expected.title}</h1><p>{body[:cut]}</p><p>{body[cut + 1 :]}</p>"
        "</article><footer>© The Vellmoor Ledger</footer></body></html>"
    ).encode()


INDEX_PAGE = (
    b"<!doctype html><html><head><title>The Vellmoor Ledger</title></head><body>"
    b"<ul><li><a href='/a'>Quay</a></li><li><a href='/b'>Fares</a></li></ul></body></html>"
)
FETCHED = dt.datetime(2025, 3, 7, 6, 15, tzinfo=dt.UTC)
FETCH_DATE = "2025-03-07T06:15:00Z"


def news_warc(path: Path) -> Path:
    """The fictional crawl; ``.gz`` paths are written gzip-compressed, one member a record."""
    with WarcFileWriter(path) as warc:
        warc.write_record(
            "warcinfo",
            None,
            b"software: tests\r\nformat: WARC/1.1\r\n",
            content_type="application/warc-fields",
        )
        for n, expected in enumerate(ARTICLES):
            warc.write_request(expected.url, date=FETCHED)
            page = article_page(expected)
            if n == 1:
                # Served chunked and gzip-compressed, as many servers do; later records follow.
                packed = gzip.compress(page)
                chunked = b"%x\r\n" % len(packed) + packed + b"\r\n0\r\n\r\n"
                warc.write_response(
                    expected.url,
                    chunked,
                    headers=[
                        ("Content-Type", "text/html; charset=utf-8"),
                        ("Transfer-Encoding", "chunked"),
                        ("Content-Encoding", "gzip"),
                    ],
                    date=FETCHED,
                )
            else:
                warc.write_response(expected.url, page, date=FETCHED)
            warc.write_record(
                "metadata",
                expected.url,
                b"fetchTimeMs: 41\r\n",
                content_type="application/warc-fields",
                date=FETCHED,
            )
        warc.write_response(f"{SITE}/", INDEX_PAGE, date=FETCHED)
        warc.write_response(
            f"{SITE}/reports/budget.pdf",
            b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << >>\n%%EOF\n",
            headers=[("Content-Type", "application/pdf")],
            date=FETCHED,
        )
        warc.write_response(
            f"{SITE}/quay",
            b"",
            status=301,
            reason="Moved Permanently",
            headers=[("Location", ARTICLES[0].url), ("Content-Type", "text/html")],
            date=FETCHED,
        )
        warc.write_response(
            f"{SITE}/2025/01/01/gone",
            b"<html><body><h1>Page not found</h1></body></html>",
            status=404,
            reason="Not Found",
            date=FETCHED,
        )
    return path


def many_records_warc(path: Path, pages: int, body_bytes: int) -> Path:
    """A WARC of ``pages`` request/response pairs with bodies of about ``body_bytes`` each."""
    filler = ("<p>" + "The ferry ran late again on Tuesday. " * 20 + "</p>").encode()
    body = b"<html><body>" + filler * max(1, body_bytes // len(filler)) + b"</body></html>"
    with WarcFileWriter(path) as warc:
        for n in range(pages):
            url = f"{SITE}/bulk/{n}"
            warc.write_request(url, date=FETCHED)
            warc.write_response(url, body, date=FETCHED)
    return path


def page_of_record(record: dict[str, Any]) -> bytes:
    """A generated FORMAT.md record (``bench/generate.py``) as its outlet's article page."""
    meta = record["meta"]
    paragraphs = "".join(f"<p>{html.escape(p)}</p>" for p in record["text"].split("\n\n"))
    return (
        "<!doctype html><html><head>"
        f"<title>{html.escape(meta['title'])}</title>"
        f'<meta property="og:site_name" content="{html.escape(meta["outlet"])}">'
        f'<meta property="article:published_time" content="{meta["date"]}">'
        "</head><body><nav><a href='/'>Home</a></nav>"
        f"<article><h1>{html.escape(meta['title'])}</h1>{paragraphs}</article>"
        "<footer>Contact us</footer></body></html>"
    ).encode()


def generated_warc(path: Path, records: list[dict[str, Any]]) -> Path:
    """Generated articles as a crawl: request, response and metadata per page, plus a 404,
    a redirect and a PDF after every tenth page."""
    with WarcFileWriter(path) as warc:
        for n, record in enumerate(records):
            url = f"https://news.example/{record['doc_id']}"
            warc.write_request(url, date=FETCHED)
            warc.write_response(url, page_of_record(record), date=FETCHED)
            warc.write_record(
                "metadata", url, b"fetchTimeMs: 12\r\n", content_type="application/warc-fields"
            )
            if n % 10 == 9:
                warc.write_response(f"{url}/gone", b"", status=404, reason="Not Found")
                warc.write_response(
                    f"{url}/old", b"", status=302, reason="Found", headers=[("Location", url)]
                )
                warc.write_response(
                    f"{url}.pdf",
                    b"%PDF-1.4\n%%EOF\n",
                    headers=[("Content-Type", "application/pdf")],
                )
    return path


def load_generator() -> ModuleType:
    """``bench/generate.py`` (fictional articles) as a module: bench/ holds scripts."""
    name = "qt_generate"
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.spec_from_file_location(name, REPO_ROOT / "bench" / "generate.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module  # dataclasses look their module up while being defined
    spec.loader.exec_module(module)
    return module
