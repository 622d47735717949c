"""Finding article URLs in what an outlet publishes for machines: RSS/Atom feeds and sitemaps.

One function, ``discover(body, url)``, looks at a fetched document and says what it is:

* an RSS 2.0 / RSS 1.0 (RDF) / Atom feed: its entries' links, with their titles and dates;
* an XML sitemap (``<urlset>``), Google News sitemaps included (``<news:news>`` gives the
  title and publication date), or a gzipped one;
* a sitemap index (``<sitemapindex>``): the sitemaps it lists, to be fetched in turn;
* anything else (HTML): not a listing, so the caller treats it as a page.

Feeds and sitemaps come from the open web, so the XML is parsed defensively: documents that
declare entities are refused (the "billion laughs" and external-entity attacks both need one),
entities are never resolved, nothing is loaded from the network, huge trees are refused, and
a gzipped sitemap is inflated only up to a byte cap (a gzip bomb stops there).
"""

from __future__ import annotations

import re
import zlib
from dataclasses import dataclass, field
from email.utils import parsedate_to_datetime
from typing import Any, Literal
from urllib.parse import urljoin

from ..errors import MalformedRecordError, OversizedInputError

__all__ = [
    "DiscoveredLink",
    "Listing",
    "discover",
    "inflate_gzip",
    "iso_date",
    "looks_like_xml_listing",
]

ListingKind = Literal["feed", "sitemap", "sitemap-index", "page"]

_ENTITY_DECLARATION = re.compile(rb"<!ENTITY", re.I)
_XML_SNIFF = re.compile(
    rb"\A(\xef\xbb\xbf)?\s*(<\?xml[^>]*>\s*)?(<!--.*?-->\s*)*"
    rb"(<!DOCTYPE[^>\[]*(\[.*?\])?\s*>\s*)?(<!--.*?-->\s*)*<(?P<root>[\w:.-]+)",
    re.S | re.I,
)
_LISTING_ROOTS = {"rss", "rdf", "feed", "urlset", "sitemapindex"}
_GZIP_MAGIC = b"\x1f\x8b"


@dataclass(frozen=True)
class DiscoveredLink:
    """One URL a listing points to, with what the listing says about it."""

    url: str
    title: str | None = None
    date: str | None = None  # ISO date (YYYY-MM-DD) when the listing gives one


@dataclass
class Listing:
    """What a fetched document is, and the links it lists (none for a page)."""

    kind: ListingKind
    links: list[DiscoveredLink] = field(default_factory=list)
    title: str | None = None  # the feed's own title (its outlet's name, usually)


def _local(tag: Any) -> str:
    """An element's name without its namespace (``{http://...}loc`` -> ``loc``)."""
    if not isinstance(tag, str):
        return ""  # comments and processing instructions
    return tag.rsplit("}", 1)[-1].lower()


def inflate_gzip(body: bytes, limit: int, source: str) -> bytes:
    """The inflated bytes of a gzip body, refusing to inflate past ``limit`` bytes."""
    inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
    try:
        out = inflater.decompress(body, limit + 1)
    except zlib.error as exc:
        raise MalformedRecordError(
            f"the gzip data is corrupt ({exc})", "check the sitemap URL", source=source
        ) from None
    if len(out) > limit:
        raise OversizedInputError(
            f"the gzipped document inflates past {limit:,} bytes",
            "raise --max-bytes if the sitemap is genuinely this large",
            source=source,
        )
    return out


def looks_like_xml_listing(body: bytes) -> bool:
    """Whether the body starts like a feed or sitemap (cheap sniff, no parse)."""
    if body[:2] == _GZIP_MAGIC:
        return True
    match = _XML_SNIFF.match(body[:65536])
    if match is None:
        return False
    root = match.group("root").decode("ascii", "replace")
    return root.rsplit(":", 1)[-1].lower() in _LISTING_ROOTS


def discover(body: bytes, url: str, *, max_bytes: int = 50_000_000) -> Listing:
    """What ``body`` (fetched from ``url``) is, and the links it lists.

    Raises ``MalformedRecordError`` for a feed or sitemap whose XML is broken or unsafe.
    """
    if body[:2] == _GZIP_MAGIC:
        body = inflate_gzip(body, max_bytes, url)
    if not looks_like_xml_listing(body):
        return Listing("page")
    root = _parse_xml(body, url)
    name = _local(root.tag)
    if name in ("urlset", "sitemapindex"):
        return _sitemap(root, url, name)
    if name == "feed":
        return _atom(root, url)
    return _rss(root, url)


def _parse_xml(body: bytes, url: str) -> Any:
    import lxml.etree

    if _ENTITY_DECLARATION.search(body):
        raise MalformedRecordError(
            "the XML declares entities, which a feed or sitemap never needs",
            "refused as unsafe (entity expansion); check the URL",
            source=url,
        )
    parser = lxml.etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=False,
        remove_comments=True,
        remove_pis=True,
    )
    try:
        return lxml.etree.fromstring(body, parser=parser)
    except lxml.etree.XMLSyntaxError as exc:
        raise MalformedRecordError(
            f"the XML is not well-formed ({exc})",
            "the publisher's feed or sitemap is broken; try again later or report it to them",
            source=url,
        ) from None


def _text(element: Any, *names: str) -> str | None:
    """The stripped text of the first child with one of these local names."""
    for child in element:
        if _local(child.tag) in names:
            value = "".join(child.itertext()).strip()
            if value:
                return value
    return None


def _find(element: Any, name: str) -> Any:
    for child in element:
        if _local(child.tag) == name:
            return child
    return None


def iso_date(value: str | None) -> str | None:
    """``YYYY-MM-DD`` from an RFC 822 date (RSS) or an ISO 8601 one (Atom, sitemaps)."""
    if not value:
        return None
    value = value.strip()
    if re.match(r"\d{4}-\d{2}-\d{2}", value):
        return value[:10]
    try:
        return parsedate_to_datetime(value).date().isoformat()
    except (TypeError, ValueError, IndexError):
        return None


def _absolute(base: str, href: str | None) -> str | None:
    if not href:
        return None
    href = href.strip()
    if not href:
        return None
    joined = urljoin(base, href)
    return joined if joined.startswith(("http://", "https://")) else None


def _rss(root: Any, url: str) -> Listing:
    """RSS 2.0 (``rss/channel/item``) and RSS 1.0 (``rdf:RDF/item``, items beside the channel)."""
    channel = _find(root, "channel")
    listing = Listing("feed", title=_text(channel, "title") if channel is not None else None)
    containers = [root] + ([channel] if channel is not None else [])
    for container in containers:
        for item in container:
            if _local(item.tag) != "item":
                continue
            link = _text(item, "link")
            if link is None:
                # A guid is a permalink unless it says otherwise (RSS 2.0); RDF items carry
                # their URL in rdf:about.
                guid = _find(item, "guid")
                if guid is not None and (guid.get("isPermaLink") or "true").lower() == "true":
                    link = (guid.text or "").strip() or None
                link = link or item.get("{http://www.w3.org/1999/02/22-rdf-syntax-ns#}about")
            absolute = _absolute(url, link)
            if absolute:
                date = iso_date(_text(item, "pubdate", "date", "published", "updated"))
                listing.links.append(DiscoveredLink(absolute, _text(item, "title"), date))
    return listing


def _atom(root: Any, url: str) -> Listing:
    listing = Listing("feed", title=_text(root, "title"))
    for entry in root:
        if _local(entry.tag) != "entry":
            continue
        href = None
        for link in entry:
            if _local(link.tag) == "link" and (link.get("rel") or "alternate") == "alternate":
                href = link.get("href")
                break
        absolute = _absolute(url, href)
        if absolute:
            date = iso_date(_text(entry, "published", "updated"))
            listing.links.append(DiscoveredLink(absolute, _text(entry, "title"), date))
    return listing


def _sitemap(root: Any, url: str, name: str) -> Listing:
    """``<urlset>`` (with Google News ``<news:news>`` blocks) or ``<sitemapindex>``."""
    listing = Listing("sitemap" if name == "urlset" else "sitemap-index")
    child_name = "url" if name == "urlset" else "sitemap"
    for entry in root:
        if _local(entry.tag) != child_name:
            continue
        absolute = _absolute(url, _text(entry, "loc"))
        if not absolute:
            continue
        title = None
        date = iso_date(_text(entry, "lastmod"))
        news = _find(entry, "news")
        if news is not None:
            title = _text(news, "title")
            date = iso_date(_text(news, "publication_date")) or date
        listing.links.append(DiscoveredLink(absolute, title, date))
    return listing
