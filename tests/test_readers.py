"""Readers: crawl-layout text, plain text, JSONL and directories in; ``Article`` records out.

No model is loaded here. Bad inputs are checked for the one thing that matters to a user: the
error names the file (and line) and says what is wrong, and the other inputs are still read.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from quotetrace.errors import (
    BinaryInputError,
    EmptyInputError,
    InputError,
    MalformedRecordError,
    OversizedInputError,
    UnreadableInputError,
)
from quotetrace.formats import jsonl_line
from quotetrace.ingest import ReadReport, iter_articles
from quotetrace.ingest.outlets import outlet_name
from quotetrace.models import Article, ProcessedArticle

REPO = Path(__file__).resolve().parent.parent
DEMO = REPO / "demo"

BODY = (
    "Mayor Lena Hart said the bridge over the Vell would reopen in May.\n\n"
    "“We will not wait for another winter,” she told reporters on Monday."
)


def read(*paths: str | Path) -> tuple[list[Article], ReadReport]:
    report = ReadReport()
    articles = list(iter_articles([str(p) for p in paths], None, report))
    return articles, report


def only_error(report: ReadReport) -> InputError:
    assert len(report.errors) == 1, [e.render() for e in report.errors]
    return report.errors[0]


# ------------------------------------------------------------------------------ layouts
def test_crawl_header_gives_date_and_outlet(tmp_path: Path) -> None:
    path = tmp_path / "herald.txt"
    path.write_text(" date 2025-04-15 Norhaven Herald - " + BODY, encoding="utf-8")
    [article], report = read(path)
    assert (article.date, article.outlet) == ("2025-04-15", "Norhaven Herald")
    assert article.text == BODY
    assert article.doc_id == str(path)
    assert report.errors == [] and (report.files, report.articles) == (1, 1)


def test_outlet_with_hyphenated_body(tmp_path: Path) -> None:
    path = tmp_path / "wire.txt"
    path.write_text("date 2025-04-14 Northreach Wire - A two-day summit - the first.", "utf-8")
    [article], _ = read(path)
    assert article.outlet == "Northreach Wire"
    assert article.text == "A two-day summit - the first."


@pytest.mark.skipif(not DEMO.is_dir(), reason="demo data not present")
def test_demo_articles_are_all_crawl_layout() -> None:
    articles, report = read(DEMO / "articles")
    assert report.errors == []
    assert len(articles) >= 4
    for article in articles:
        assert article.date is not None and article.date.startswith("2025-04-1")
        assert article.outlet and article.outlet in {
            "Lisvek Herald",
            "Santorre Courier",
            "Northreach Wire",
            "Meridian Post",
            "Harrow Valley Gazette",
        }
        assert not article.text.startswith("date ")


def test_plain_text_without_header(tmp_path: Path) -> None:
    path = tmp_path / "plain.txt"
    path.write_text("\n" + BODY + "\n\n", encoding="utf-8")
    [article], _ = read(path)
    assert article.text.strip() == BODY
    assert article.date is None and article.outlet is None


def test_jsonl_with_meta(tmp_path: Path) -> None:
    path = tmp_path / "wire.jsonl"
    records = [
        {
            "doc_id": "hpa/2025-04-14/1",
            "text": BODY,
            "meta": {"date": "2025-04-14", "outlet": "Harbor Press Agency", "split": "dev"},
        },
        {"doc_id": 17, "text": "Hart said the bridge would reopen."},
    ]
    path.write_text("\n".join(json.dumps(r) for r in records) + "\n", encoding="utf-8")
    first, second = read(path)[0]
    assert first.doc_id == "hpa/2025-04-14/1"
    assert (first.date, first.outlet, first.text) == ("2025-04-14", "Harbor Press Agency", BODY)
    assert first.meta == {"split": "dev"}
    assert first.output_meta() == records[0]["meta"]
    assert second.doc_id == "17" and second.date is None


def test_jsonl_without_meta_reads_the_header_in_the_text(tmp_path: Path) -> None:
    path = tmp_path / "crawl.jsonl"
    record = {"doc_id": "c1", "text": "date 2025-04-15 Lisvek Herald - " + BODY}
    path.write_text(json.dumps(record, ensure_ascii=False) + "\n", encoding="utf-8")
    [article], _ = read(path)
    assert (article.date, article.outlet) == ("2025-04-15", "Lisvek Herald")


def test_record_meta_wins_and_the_header_fills_what_it_lacks(tmp_path: Path) -> None:
    path = tmp_path / "crawl.jsonl"
    records = [
        {
            "doc_id": "c1",
            "text": "date 2025-04-15 Lisvek Herald - " + BODY,
            "meta": {"outlet": "LH"},
        },
        {"doc_id": "c2", "text": " date 2025-04-16 " + BODY, "meta": {"outlet": "Lisvek Herald"}},
        {
            "doc_id": "c3",
            "text": "date 2025-04-17 Velmora, Cadoria - " + BODY,
            "meta": {"outlet": "LH"},
        },
    ]
    path.write_text("\n".join(json.dumps(r) for r in records) + "\n", encoding="utf-8")
    first, second, third = read(path)[0]
    assert (first.date, first.outlet) == ("2025-04-15", "LH")
    assert (second.date, second.outlet) == ("2025-04-16", "Lisvek Herald")
    assert (third.date, third.outlet) == ("2025-04-17", "LH")


@pytest.mark.parametrize(
    ("text", "outlet", "body_start"),
    [
        ("date 2025-04-15 Lisvek Herald - Hart said so.", None, "Hart said"),
        ("date 2025-04-15 Lisvek Herald - Hart said so.", "Lisvek Herald", "Hart said"),
        (" date 2025-04-16 Hart said so.", "Lisvek Herald", "Hart said"),
        # a dateline after a bare date is the body's, not the outlet
        ("date 2025-04-17 Velmora, Cadoria - Hart said so.", "LH", "Velmora, Cadoria"),
    ],
)
def test_crawl_header_inside_a_text(text: str, outlet: str | None, body_start: str) -> None:
    from quotetrace.ingest.readers import crawl_header
    from quotetrace.models import Article
    from quotetrace.nlp.pipeline import text_to_parse

    header = crawl_header(text, outlet)
    assert header is not None and text[header.end :].startswith(body_start)
    masked = text_to_parse(Article("d", text, outlet=outlet))
    assert len(masked) == len(text) and masked.lstrip().startswith(body_start)
    assert crawl_header("Hart said the date 2025-04-15 was set.") is None


def test_directory_is_read_recursively(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    corpus = tmp_path / "corpus"
    (corpus / "north" / "deep").mkdir(parents=True)
    (corpus / "a.txt").write_text("date 2025-04-15 Lisvek Herald - " + BODY, "utf-8")
    (corpus / "north" / "b.txt").write_text(BODY, "utf-8")
    (corpus / "north" / "deep" / "c.jsonl").write_text(
        json.dumps({"doc_id": "wire-1", "text": BODY}) + "\n", "utf-8"
    )
    (corpus / ".hidden.txt").write_text(BODY, "utf-8")
    (corpus / "image.png").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00")
    monkeypatch.chdir(tmp_path)
    articles, report = read("corpus")
    assert [a.doc_id for a in articles] == [
        os.path.join("corpus", "a.txt"),
        os.path.join("corpus", "north", "b.txt"),
        "wire-1",
    ]
    assert report.errors == [] and report.files == 3


# ---------------------------------------------------------------------------- encodings
LATIN_TEXT = (
    "date 2025-04-15 Gazette de Vell - Le maire André Müller a déclaré que le pont serait "
    "réouvert en mai. « Nous n'attendrons pas un autre hiver », a-t-il ajouté, à côté de "
    "Señora Peña et de l'équipe de la société Hôtel Étoile."
)


@pytest.mark.parametrize(
    "encoding, text",
    [
        ("latin-1", LATIN_TEXT),
        (
            "cp1252",
            "date 2025-04-15 Vell Post - “We will pay €40 million,” the mayor’s "
            "office said. The café owners said the plan was “a fine idea” — for now.",
        ),
        (
            "utf-16",
            "date 2025-04-15 Vell Post - “Wir bauen die Brücke”, sagte André Müller. "
            "Ελλάδα and Україна sent no comment.",
        ),
        ("utf-8-sig", LATIN_TEXT),
    ],
    ids=["latin-1", "cp1252", "utf-16-bom", "utf-8-bom"],
)
def test_encodings_are_detected(tmp_path: Path, encoding: str, text: str) -> None:
    path = tmp_path / f"article-{encoding}.txt"
    path.write_bytes(text.encode(encoding))
    if encoding == "utf-16":
        assert path.read_bytes()[:2] in (b"\xff\xfe", b"\xfe\xff")
    [article], report = read(path)
    assert report.errors == []
    assert article.text == text.split(" - ", 1)[1]
    assert article.date == "2025-04-15"


# --------------------------------------------------------------------------- bad inputs
def test_binary_file(tmp_path: Path) -> None:
    bad = tmp_path / "scan.txt"
    bad.write_bytes(b"date 2025\x00\x01\x02\x00\xff" * 20)
    good = tmp_path / "good.txt"
    good.write_text(BODY, "utf-8")
    articles, report = read(bad, good)
    assert [a.doc_id for a in articles] == [str(good)]
    error = only_error(report)
    assert isinstance(error, BinaryInputError)
    assert error.source == str(bad) and "binary" in error.render()


@pytest.mark.parametrize("content", [b"", b"   \n\t\n  "], ids=["empty", "whitespace"])
def test_empty_file(tmp_path: Path, content: bytes) -> None:
    bad = tmp_path / "empty.txt"
    bad.write_bytes(content)
    articles, report = read(bad)
    assert articles == []
    error = only_error(report)
    assert isinstance(error, EmptyInputError) and error.source == str(bad)


def test_header_without_body(tmp_path: Path) -> None:
    bad = tmp_path / "header.txt"
    bad.write_text("date 2025-04-15 Lisvek Herald -  \n\n", "utf-8")
    articles, report = read(bad)
    assert articles == []
    assert isinstance(only_error(report), EmptyInputError)


def test_oversized_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("QUOTETRACE_MAX_FILE_BYTES", "200")
    big = tmp_path / "big.txt"
    big.write_text(BODY * 5, "utf-8")
    small = tmp_path / "small.txt"
    small.write_text("Hart said the bridge would reopen.", "utf-8")
    articles, report = read(big, small)
    assert [a.doc_id for a in articles] == [str(small)]
    error = only_error(report)
    assert isinstance(error, OversizedInputError)
    assert error.source == str(big)
    assert "QUOTETRACE_MAX_FILE_BYTES" in error.render()


def test_malformed_json_line_keeps_the_others(tmp_path: Path) -> None:
    path = tmp_path / "wire.jsonl"
    lines = [
        json.dumps({"doc_id": "w1", "text": BODY}),
        '{"doc_id": "w2", "text": "cut off',
        json.dumps({"doc_id": "w3", "text": BODY}),
    ]
    path.write_text("\n".join(lines) + "\n", "utf-8")
    articles, report = read(path)
    assert [a.doc_id for a in articles] == ["w1", "w3"]
    error = only_error(report)
    assert isinstance(error, MalformedRecordError)
    assert error.source == f"{path}:2"
    assert error.render().startswith(f"{path}:2: malformed JSON")


@pytest.mark.parametrize(
    "line, problem",
    [
        ('["a list"]', "not a JSON object"),
        ('{"text": "Hart said so."}', "no doc_id"),
        ('{"doc_id": "w9"}', "no text"),
        ('{"doc_id": "w9", "text": "Hart said so.", "meta": "2025"}', "meta"),
        ('{"doc_id": "w9", "text": "   "}', "empty"),
    ],
    ids=["not-object", "no-doc-id", "no-text", "meta-not-object", "empty-text"],
)
def test_bad_records_name_file_and_line(tmp_path: Path, line: str, problem: str) -> None:
    path = tmp_path / "wire.jsonl"
    path.write_text(json.dumps({"doc_id": "w1", "text": BODY}) + "\n" + line + "\n", "utf-8")
    articles, report = read(path)
    assert [a.doc_id for a in articles] == ["w1"]
    error = only_error(report)
    assert error.source == f"{path}:2"
    assert problem in error.message


def test_missing_path(tmp_path: Path) -> None:
    good = tmp_path / "good.txt"
    good.write_text(BODY, "utf-8")
    missing = tmp_path / "nowhere.txt"
    articles, report = read(missing, good)
    assert [a.doc_id for a in articles] == [str(good)]
    error = only_error(report)
    assert isinstance(error, UnreadableInputError) and error.source == str(missing)


def test_unreadable_file(tmp_path: Path) -> None:
    path = tmp_path / "locked.txt"
    path.write_text(BODY, "utf-8")
    path.chmod(0)
    try:
        if os.access(path, os.R_OK):
            pytest.skip("running as root: chmod 000 does not stop reading")
        articles, report = read(path)
        assert articles == []
        error = only_error(report)
        assert isinstance(error, UnreadableInputError) and error.source == str(path)
    finally:
        path.chmod(0o644)


def test_errors_go_to_the_handler_too(tmp_path: Path) -> None:
    seen: list[InputError] = []
    report = ReadReport()
    articles = list(iter_articles([str(tmp_path / "nowhere.txt")], seen.append, report))
    assert articles == [] and len(seen) == 1 and seen == report.errors


# ---------------------------------------------------------------------- JSONL round trip
# str.splitlines() also breaks at these; see test_line_separators_inside_text below.
UNICODE_LINE_BREAKS = "\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"
CHARS = st.characters(codec="utf-8", exclude_characters=UNICODE_LINE_BREAKS)
TEXTS = st.text(CHARS, min_size=1).filter(lambda t: t.strip() != "")
META_VALUES = st.text(CHARS)


@settings(max_examples=60, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    doc_id=st.text(CHARS, min_size=1, max_size=40),
    text=TEXTS,
    date=META_VALUES,
    outlet=META_VALUES,
    extra=st.dictionaries(
        st.text(CHARS, min_size=1, max_size=10).filter(
            lambda k: k not in ("date", "outlet", "title", "url")
        ),
        st.one_of(st.integers(), st.booleans(), META_VALUES),
        max_size=3,
    ),
)
def test_any_text_round_trips_through_jsonl(
    tmp_path: Path, doc_id: str, text: str, date: str, outlet: str, extra: dict[str, object]
) -> None:
    """What ``extract --format jsonl`` writes, the reader reads back unchanged."""
    meta = {"date": date, "outlet": outlet, **extra}
    article = Article(doc_id, text, date=date, outlet=outlet, meta=dict(extra))
    path = tmp_path / "round.jsonl"
    path.write_text(jsonl_line(ProcessedArticle(article, ())) + "\n", encoding="utf-8")
    [back], report = read(path)
    assert report.errors == []
    assert (back.doc_id, back.text) == (doc_id, text)
    # The outlet comes back as its one name per site, the spelling the record gave beside it.
    expected = {k: v for k, v in meta.items() if k != "outlet"}
    named = outlet_name(None, outlet)
    if named is not None:
        expected["outlet"] = named
    if named != outlet:
        expected["outlet_given"] = outlet
    assert back.output_meta() == expected
    # What the reader gives back round-trips unchanged.
    path.write_text(jsonl_line(ProcessedArticle(back, ())) + "\n", encoding="utf-8")
    [again], report = read(path)
    assert report.errors == [] and again == back


@pytest.mark.parametrize("separator", ["\u2028", "\u2029", "\x85"])
def test_line_separators_inside_text(tmp_path: Path, separator: str) -> None:
    text = f"Hart said the bridge{separator}would reopen in May."
    path = tmp_path / "sep.jsonl"
    path.write_text(jsonl_line(ProcessedArticle(Article("s1", text), ())) + "\n", "utf-8")
    [back], report = read(path)
    assert report.errors == [] and back.text == text


# ------------------------------------------------------------------------------- outlets
def test_every_reader_gives_one_outlet_name_per_site(tmp_path: Path) -> None:
    """The crawl header, a JSONL record and a saved page of one site give one outlet."""
    crawl = tmp_path / "crawl.txt"
    crawl.write_text("date 2023-11-06 islamtimes.org - " + BODY, encoding="utf-8")
    records = tmp_path / "records.jsonl"
    records.write_text(
        json.dumps({"doc_id": "r1", "text": BODY, "meta": {"outlet": "ISLAM TIMES"}})
        + "\n"
        + json.dumps(
            {"doc_id": "r2", "text": BODY, "meta": {"url": "https://www.islamtimes.org/en/1"}}
        )
        + "\n",
        encoding="utf-8",
    )
    page = tmp_path / "page.html"
    page.write_text(
        "<html><head><title>Bridge to reopen</title>"
        '<link rel="canonical" href="https://www.islamtimes.org/en/news/2/bridge">'
        '<meta property="og:site_name" content="islamtimes"></head><body><article>'
        f"<h1>Bridge to reopen</h1><p>{BODY}</p><p>{BODY}</p></article></body></html>",
        encoding="utf-8",
    )
    articles, report = read(crawl, records, page)
    assert report.errors == []
    assert [a.outlet for a in articles] == ["Islam Times"] * 4
    assert articles[1].meta["outlet_given"] == "ISLAM TIMES"
    assert "outlet_given" not in articles[2].meta
