"""Feeds and sitemaps read into links; unsafe or broken XML refused with a clear error."""

from __future__ import annotations

import gzip

import pytest
from news_sites import atom_feed, news_sitemap, plain_sitemap, rss_feed, sitemap_index

from quotetrace.crawl import discover
from quotetrace.crawl.discovery import iso_date
from quotetrace.errors import MalformedRecordError, OversizedInputError

BASE = "http://127.0.0.1:8"


def test_rss_items_give_absolute_links_titles_and_dates() -> None:
    body = rss_feed("Ledger", BASE, [("/a", "First", "Mon, 30 Nov 2026 07:00:00 GMT")])
    listing = discover(body.encode(), BASE + "/feed.xml")
    assert listing.kind == "feed" and listing.title == "Ledger"
    [link] = listing.links
    assert (link.url, link.title, link.date) == (BASE + "/a", "First", "2026-11-30")


def test_rss_guid_permalink_and_relative_links() -> None:
    body = (
        b'<?xml version="1.0"?><rss version="2.0"><channel><title>T</title>'
        b"<item><guid>https://news.example.test/x/1</guid></item>"
        b'<item><guid isPermaLink="false">tag:1</guid></item>'
        b"<item><link>/relative/2</link></item>"
        b"<item><link>javascript:alert(1)</link></item>"
        b"</channel></rss>"
    )
    links = [link.url for link in discover(body, BASE + "/dir/feed.xml").links]
    assert links == ["https://news.example.test/x/1", BASE + "/relative/2"]


def test_rdf_rss1_items_beside_the_channel() -> None:
    body = (
        b'<?xml version="1.0"?><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"'
        b' xmlns="http://purl.org/rss/1.0/" xmlns:dc="http://purl.org/dc/elements/1.1/">'
        b"<channel><title>R</title></channel>"
        b'<item rdf:about="http://127.0.0.1:8/r/1"><title>One</title>'
        b"<dc:date>2026-11-02T10:00:00Z</dc:date></item></rdf:RDF>"
    )
    [link] = discover(body, BASE + "/index.rdf").links
    assert (link.url, link.date) == (BASE + "/r/1", "2026-11-02")


def test_atom_alternate_links() -> None:
    body = atom_feed("A", BASE, [("/e/1", "Entry", "2026-11-29T07:00:00Z")])
    listing = discover(body.encode(), BASE + "/atom.xml")
    assert listing.kind == "feed"
    assert [(x.url, x.date) for x in listing.links] == [(BASE + "/e/1", "2026-11-29")]


def test_news_sitemap_titles_and_publication_dates() -> None:
    body = news_sitemap(BASE, [("/n/1", "Dam cracks", "2026-12-01T06:00:00Z")])
    listing = discover(body.encode(), BASE + "/sitemap-news.xml")
    assert listing.kind == "sitemap"
    assert [(x.url, x.title, x.date) for x in listing.links] == [
        (BASE + "/n/1", "Dam cracks", "2026-12-01")
    ]


def test_sitemap_index_and_gzipped_sitemap() -> None:
    index = discover(sitemap_index(BASE, ["/s1.xml"]).encode(), BASE + "/index.xml")
    assert index.kind == "sitemap-index" and [x.url for x in index.links] == [BASE + "/s1.xml"]
    packed = gzip.compress(plain_sitemap(BASE, ["/p/1", "/p/2"]).encode())
    listing = discover(packed, BASE + "/s.xml.gz")
    assert [x.url for x in listing.links] == [BASE + "/p/1", BASE + "/p/2"]


def test_html_is_a_page_not_a_listing() -> None:
    assert discover(b"<!DOCTYPE html><html><body>x</body></html>", BASE).kind == "page"


def test_broken_xml_names_the_url() -> None:
    with pytest.raises(MalformedRecordError, match="not well-formed") as caught:
        discover(b'<?xml version="1.0"?><rss><channel><item></channel>', BASE + "/bad.xml")
    assert caught.value.source == BASE + "/bad.xml"


def test_entity_declarations_are_refused() -> None:
    bomb = (
        b'<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY a "aaaaaaaaaa">'
        b'<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]><rss><channel><title>&b;</title>'
        b"</channel></rss>"
    )
    with pytest.raises(MalformedRecordError, match="declares entities"):
        discover(bomb, BASE + "/bomb.xml")
    external = (
        b'<?xml version="1.0"?><!DOCTYPE urlset [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
        b"<urlset><url><loc>&x;</loc></url></urlset>"
    )
    with pytest.raises(MalformedRecordError, match="declares entities"):
        discover(external, BASE + "/xxe.xml")


def test_a_gzip_bomb_stops_at_the_cap() -> None:
    packed = gzip.compress(b"<urlset>" + b" " * 2_000_000 + b"</urlset>")
    assert len(packed) < 10_000
    with pytest.raises(OversizedInputError, match="inflates past"):
        discover(packed, BASE + "/big.xml.gz", max_bytes=100_000)


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("Mon, 30 Nov 2026 07:00:00 GMT", "2026-11-30"),
        ("2026-11-29T07:00:00+01:00", "2026-11-29"),
        ("2026-11-28", "2026-11-28"),
        ("yesterday", None),
        (None, None),
    ],
)
def test_dates_from_feeds_and_sitemaps(given: str | None, expected: str | None) -> None:
    assert iso_date(given) == expected
