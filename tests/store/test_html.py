"""Saved web pages: the article's text, date, outlet and title; hostile pages are errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from quotetrace.errors import InputError
from quotetrace.ingest import iter_articles
from quotetrace.ingest.html import article_from_html, looks_like_html

PAGE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<title>Ferry vote delayed | Lakeside Gazette</title>
<meta property="og:site_name" content="Lakeside Gazette">
<meta property="og:title" content="Harbour council delays ferry vote">
<meta property="article:published_time" content="2024-03-14T09:30:00+00:00">
<link rel="canonical" href="https://www.lakeside-gazette.example/news/ferry-vote">
<script>window.tracking = {"page": "news"};</script>
</head><body>
<nav><ul><li><a href="/">Home</a></li><li><a href="/sport">Sport</a></li></ul></nav>
<div class="cookie">We use cookies. <button>Accept</button></div>
<article>
<h1>Harbour council delays ferry vote</h1>
<p class="byline">By Ilse Marrow</p>
<p>PORT ELLIN, March 14 — The harbour council put off its vote on the new ferry terminal on
Thursday, its chair Mara Voss said after a three-hour session.</p>
<p>“We need the engineers' report before anyone signs anything,” Voss told reporters outside
the town hall.</p>
<p>Opposition councillor Teodor Lind warned that the delay would cost the town its summer
ferry season and said his group would table a motion next week.</p>
</article>
<aside>Most read: Lakeside weather turns cold</aside>
<footer>© 2024 Lakeside Gazette · Contact · Privacy</footer>
</body></html>
"""


def test_the_main_text_date_outlet_and_title_are_read() -> None:
    article = article_from_html(PAGE, "pages/ferry.html")
    assert article.doc_id == "pages/ferry.html"
    assert "put off its vote on the new ferry terminal" in article.text
    assert "Teodor Lind warned" in article.text
    for boilerplate in ("cookies", "Most read", "Privacy", "window.tracking", "Sport"):
        assert boilerplate not in article.text
    assert article.date == "2024-03-14"
    assert article.outlet == "Lakeside Gazette"
    assert article.title == "Harbour council delays ferry vote"
    assert article.meta["url"] == "https://www.lakeside-gazette.example/news/ferry-vote"


def test_the_host_name_is_the_outlet_when_the_page_names_none() -> None:
    page = PAGE.replace('<meta property="og:site_name" content="Lakeside Gazette">', "")
    page = page.replace("| Lakeside Gazette", "")
    assert article_from_html(page, "p.html").outlet == "lakeside-gazette.example"


@pytest.mark.parametrize(
    ("name", "html"),
    [
        ("empty body", "<html><body></body></html>"),
        ("navigation only", "<html><body><nav><a href='/'>Home</a></nav></body></html>"),
        ("script only", "<html><head><script>" + "var a=1;" * 5000 + "</script></head></html>"),
        ("deep nesting", "<html><body>" + "<div>" * 100_000 + "x" + "</div>" * 100_000),
        ("many elements", "<html><body>" + "<p>a</p>" * 250_000 + "</body></html>"),
        ("unclosed everything", "<html><body><p><b><i><table><tr><td><div><span>Voss said"),
        ("huge attribute", "<html><body><p title='" + "x" * 2_000_000 + "'>hi</p></body></html>"),
        ("not html at all", "\x01\x02\x03 binary-ish garbage ���"),
        ("entity bomb", "<html><body>" + "&amp;" * 100_000 + "</body></html>"),
    ],
)
def test_hostile_pages_are_input_errors_not_crashes(name: str, html: str) -> None:
    with pytest.raises(InputError) as caught:
        article_from_html(html, f"{name}.html")
    assert caught.value.source == f"{name}.html"


def test_directories_with_pages_are_read_and_bad_pages_reported(tmp_path: Path) -> None:
    (tmp_path / "good.html").write_text(PAGE, encoding="utf-8")
    (tmp_path / "old.htm").write_text(PAGE.replace("2024-03-14", "2023-01-02"), encoding="utf-8")
    (tmp_path / "index.html").write_text("<html><body><nav>Home</nav></body></html>")
    (tmp_path / "binary.html").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00IHDR" * 20)
    errors: list[InputError] = []
    articles = list(iter_articles([tmp_path], errors.append))
    assert sorted(a.doc_id for a in articles) == [
        str(tmp_path / "good.html"),
        str(tmp_path / "old.htm"),
    ]
    assert sorted(Path(e.source or "").name for e in errors) == ["binary.html", "index.html"]


def test_html_is_recognised() -> None:
    assert looks_like_html(PAGE)
    assert looks_like_html("<!-- saved --> <html><body></body></html>")
    assert not looks_like_html("date 2023-11-06 Islam Times - text")
