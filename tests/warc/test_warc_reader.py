"""Reading WARC files: article pages in, every other record counted and skipped. No model."""

from __future__ import annotations

import itertools
import shutil
import tracemalloc
from collections import Counter
from pathlib import Path

import pytest
from warc_builders import ARTICLES, FETCH_DATE, OUTLET, many_records_warc, news_warc

from quotetrace.ingest import ReadReport, iter_articles
from quotetrace.ingest.warc import (
    WarcCounts,
    iter_warc_articles,
    iter_warc_candidates,
    iter_warc_pages,
)
from quotetrace.models import Article

EXPECTED_SKIPS = Counter(
    {
        "warcinfo": 1,
        "request": 3,
        "metadata": 3,
        "redirect": 1,
        "http-error": 1,
        "not-html": 1,
        "not-article": 1,
    }
)


def read(*paths: Path) -> tuple[list[Article], ReadReport]:
    report = ReadReport()
    return list(iter_articles([str(p) for p in paths], None, report)), report


@pytest.mark.parametrize("name", ["crawl.warc", "crawl.warc.gz"])
def test_exactly_the_article_pages_become_articles(tmp_path: Path, name: str) -> None:
    path = news_warc(tmp_path / name)
    articles, report = read(path)
    assert report.errors == []
    assert [a.meta["url"] for a in articles] == [e.url for e in ARTICLES]
    for article, expected in zip(articles, ARTICLES, strict=True):
        assert article.date == expected.date
        assert article.outlet == OUTLET
        assert article.title == expected.title
        assert expected.phrase in " ".join(article.text.split())
        assert "Home" not in article.text and "©" not in article.text
        assert article.meta["fetch_date"] == FETCH_DATE and article.meta["format"] == "warc"
        assert article.doc_id.startswith("urn:uuid:")
    assert report.warc.records == 14 and report.warc.articles == 3
    assert report.warc.skipped == EXPECTED_SKIPS
    assert report.warc.summary() == (
        "14 WARC record(s): 3 article(s); skipped 1 warcinfo, 3 request, 3 metadata, "
        "1 redirect, 1 HTTP error (4xx/5xx), 1 not HTML (PDF, image, ...), 1 not an article"
    )


def test_doc_ids_are_the_record_ids_however_the_file_is_named(tmp_path: Path) -> None:
    path = news_warc(tmp_path / "crawl.warc.gz")
    first, _ = read(path)
    moved = tmp_path / "elsewhere" / "renamed.warc.gz"
    moved.parent.mkdir()
    shutil.copy(path, moved)
    again, _ = read(moved)
    assert [a.doc_id for a in first] == [a.doc_id for a in again]
    assert len({a.doc_id for a in first}) == 3
    assert first == again


def test_a_directory_walk_reads_warc_files_among_the_others(tmp_path: Path) -> None:
    news_warc(tmp_path / "crawl.warc.gz")
    (tmp_path / "note.txt").write_text("date 2025-03-04 Harbour Post - The quay is late.\n")
    articles, report = read(tmp_path)
    assert report.errors == [] and report.files == 2
    assert sorted(a.outlet or "" for a in articles) == ["Harbour Post", *[OUTLET] * 3]


def test_include_warc_false_leaves_warc_files_out(tmp_path: Path) -> None:
    news_warc(tmp_path / "crawl.warc")
    report = ReadReport()
    assert list(iter_articles([str(tmp_path)], None, report, include_warc=False)) == []
    assert report.files == 0


def test_a_file_that_is_not_a_warc_is_one_error_naming_it(tmp_path: Path) -> None:
    bad = tmp_path / "bad.warc.gz"
    bad.write_bytes(b"this is not a web archive\n" * 20)
    good = news_warc(tmp_path / "good.warc")
    articles, report = read(bad, good)
    assert len(articles) == 3
    [error] = report.errors
    assert error.source == str(bad) and "cannot be read" in error.message


def test_record_ranges_partition_the_articles(tmp_path: Path) -> None:
    """Cutting at candidate offsets gives every article exactly once, as batch shards do."""
    path = news_warc(tmp_path / "crawl.warc.gz")
    offsets = [c.offset for c in iter_warc_candidates(path)]
    assert len(offsets) == 4  # three articles and the index page
    whole = list(iter_warc_articles(path))
    bounds = [0, offsets[1], offsets[3], None]
    parts: list[Article] = []
    for start, end in itertools.pairwise(bounds):
        parts += iter_warc_articles(path, start=start or 0, end=end)
    assert parts == whole


def test_candidates_are_found_from_headers_alone(tmp_path: Path) -> None:
    path = news_warc(tmp_path / "crawl.warc")
    counts = WarcCounts()
    found = list(iter_warc_candidates(path, counts=counts))
    assert [c.url for c in found][:3] == [e.url for e in ARTICLES]
    assert counts.records == 14 and counts.articles == 0
    # The index page is a candidate until trafilatura finds no article in it.
    assert sum(counts.skipped.values()) == 14 - 4


def test_reading_stays_bounded_in_memory(tmp_path: Path) -> None:
    """A WARC of 300 pages of 100 kB (30 MB) is read holding about one record at a time."""
    path = many_records_warc(tmp_path / "many.warc", pages=300, body_bytes=100_000)
    assert path.stat().st_size > 30_000_000
    tracemalloc.start()
    try:
        pages = 0
        for page in iter_warc_pages(path):
            pages += 1
            assert len(page.html) > 90_000
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert pages == 300
    # A few copies of one 100 kB record (bytes, str), nowhere near the 30 MB file.
    assert peak < 2_000_000, peak


def test_the_records_bar_follows_every_warc_read(tmp_path: Path) -> None:
    from quotetrace.cli.progress import RecordBar

    first = news_warc(tmp_path / "a.warc.gz")
    second = news_warc(tmp_path / "b.warc")
    sizes = [(str(p), p.stat().st_size) for p in (first, second)]
    bar = RecordBar("reading", sizes)
    try:
        list(iter_articles([str(first), str(second)], None, warc_progress=bar))
    finally:
        bar.stop()
    assert bar.records == 28
    last_start = max(c.offset for c in iter_warc_candidates(second))
    # The bar stands in the second file, past its last candidate (offsets add up per file).
    assert sizes[0][1] + last_start < bar.position < sizes[0][1] + sizes[1][1]
