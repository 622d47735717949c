"""Reading saved web pages: the article's main text by trafilatura, its date by htmldate.

A crawl saves pages as they were served: menus, comments, scripts, cookie banners, broken
markup, sometimes something hostile (a million nested ``<div>``s, a "page" that is binary).
Only the main text becomes the article; a page with no article in it, or one the parsers
choke on, becomes an ``InputError`` naming the file, never a crash.

The outlet is ``outlets.outlet_name`` of the page's URL and its own site name
(``og:site_name``): the outlet table's name, else the site name, else the domain; the title
is the page's headline.
"""

from __future__ import annotations

import re
from typing import Any

from ..errors import EmptyInputError, InputError, MalformedRecordError
from ..models import Article
from .outlets import outlet_name

__all__ = ["HTML_SUFFIXES", "article_from_html", "looks_like_html"]

HTML_SUFFIXES = frozenset({".html", ".htm"})

# Pages with more elements than this are refused rather than walked: real articles have a few
# thousand; a page with hundreds of thousands is broken or built to hurt parsers.
_MAX_TREE_SIZE = 200_000
_MIN_TEXT_CHARS = 40
_HTML_START = re.compile(r"\A\s*(<!--.*?-->\s*)*<(!doctype\s+html|html|head|body)\b", re.I | re.S)


def looks_like_html(text: str) -> bool:
    return bool(_HTML_START.match(text[:4096]))


def _canonical_url(tree: Any) -> str | None:
    for xpath in (
        '//link[@rel="canonical"]/@href',
        '//meta[@property="og:url"]/@content',
    ):
        found = tree.xpath(xpath)
        if found:
            return str(found[0]).strip() or None
    return None


def article_from_html(html: str, source: str, *, url: str | None = None) -> Article:
    """The article in one HTML page; ``doc_id`` is ``source`` (the path as given).

    ``url`` is where the page was fetched from when that is known (a WARC record's target
    URI): it names the outlet and is kept as ``meta.url``, before the page's own canonical URL.
    Raises ``InputError`` when the page cannot be parsed or holds no article text.
    """
    import lxml.etree
    import lxml.html
    from htmldate import find_date
    from trafilatura import bare_extraction

    if "\x00" in html:
        html = html.replace("\x00", "")
    try:
        tree = lxml.html.fromstring(html)
    except (lxml.etree.ParserError, ValueError, RecursionError) as exc:
        raise MalformedRecordError(
            f"the HTML cannot be parsed ({exc.__class__.__name__})",
            "check that the file is a saved web page",
            source=source,
        ) from None
    if sum(1 for _ in tree.iter()) > _MAX_TREE_SIZE:
        raise MalformedRecordError(
            f"the page has more than {_MAX_TREE_SIZE:,} elements",
            "save the article page alone, not a whole site",
            source=source,
        )
    try:
        document = bare_extraction(
            html,
            with_metadata=True,
            include_comments=False,
            include_tables=False,
        )
        date = find_date(html, url=url, original_date=True, extensive_search=False)
    except (InputError, KeyboardInterrupt):
        raise
    except Exception as exc:  # third-party parsers on hostile input raise anything
        raise MalformedRecordError(
            f"the HTML could not be read ({exc.__class__.__name__}: {exc})",
            "check that the file is a saved web page",
            source=source,
        ) from None
    text = (getattr(document, "text", None) or "").strip() if document is not None else ""
    letters = sum(ch.isalpha() for ch in text)
    if len(text) < _MIN_TEXT_CHARS or letters < 0.2 * len(text.replace(" ", "")):
        raise EmptyInputError(
            "no article text found in the HTML page",
            "give the page of an article, not an index or a login page",
            source=source,
        )
    title = (getattr(document, "title", None) or "").strip() or None
    sitename = (getattr(document, "sitename", None) or "").strip() or None
    url = url or (getattr(document, "url", None) or "").strip() or _canonical_url(tree)
    outlet = outlet_name(url, sitename)
    date = date or (getattr(document, "date", None) or None)
    meta: dict[str, Any] = {"format": "html"}
    if url:
        meta["url"] = url
    author = (getattr(document, "author", None) or "").strip()
    if author:
        meta["author"] = author
    return Article(doc_id=source, text=text, date=date, outlet=outlet, title=title, meta=meta)
