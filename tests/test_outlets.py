"""Outlet names and URL normalisation: one name per site, one spelling per page."""

from __future__ import annotations

from pathlib import Path

import pytest

from quotetrace.errors import ConfigError
from quotetrace.ingest.outlets import load_outlet_table, normalize_url, outlet_name


@pytest.mark.parametrize(
    ("url", "site_name"),
    [
        (None, "Islam Times"),
        (None, "islamtimes.org"),
        (None, "  ISLAM   times "),
        (None, "IslamTimes"),
        ("islamtimes.org", None),
        ("www.islamtimes.org", None),
        ("https://www.islamtimes.org/en/news/1100412/leader-says", None),
        ("http://en.islamtimes.org:80/x", None),
        ("https://www.islamtimes.org/en/news/1", "Islam Times - English"),
        ("https://www.islamtimes.org/en/news/1", "islamtimes"),
    ],
)
def test_one_name_per_site_however_it_arrives(url: str | None, site_name: str | None) -> None:
    assert outlet_name(url, site_name) == "Islam Times"


def test_the_page_site_name_is_used_when_the_table_does_not_know_the_site() -> None:
    url = "https://news.vellmoor-ledger.example/2025/04/15/bridge"
    assert outlet_name(url, "The Vellmoor Ledger") == "The Vellmoor Ledger"
    assert outlet_name(None, "The  Vellmoor Ledger\n") == "The Vellmoor Ledger"


def test_the_domain_is_the_fallback() -> None:
    assert outlet_name("https://www.vellmoor-ledger.com/a/b?x=1") == "vellmoor-ledger.com"
    assert outlet_name("https://m.vellmoor-ledger.com/a") == "vellmoor-ledger.com"
    assert outlet_name("vellmoor-ledger.com") == "vellmoor-ledger.com"
    # Subdomains other than www/m/amp name a different site and stay.
    assert outlet_name("https://sport.vellmoor-ledger.com/") == "sport.vellmoor-ledger.com"


@pytest.mark.parametrize("url", [None, "", "   ", "not a url", "file:///tmp/page.html"])
def test_nothing_usable_gives_none(url: str | None) -> None:
    assert outlet_name(url, None) is None
    assert outlet_name(url, "  ") is None


def test_a_name_that_is_not_a_domain_keeps_its_spelling_when_no_url() -> None:
    assert outlet_name("not a url", "Harrow Valley Gazette") == "Harrow Valley Gazette"


def test_outlet_name_is_idempotent() -> None:
    for given in ["islamtimes.org", "Islam Times", "www.vellmoor.com", "Harrow Valley Gazette"]:
        once = outlet_name(None, given)
        assert once is not None and outlet_name(None, once) == once


def test_the_users_file_is_read_on_top_of_the_packaged_table(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    extra = tmp_path / "outlets.txt"
    extra.write_text(
        "# mine\nThe Vellmoor Ledger = vellmoor-ledger.com, Vellmoor Ledger\n"
        "IT English = islamtimes.org\n",
        encoding="utf-8",
    )
    monkeypatch.setenv("QUOTETRACE_OUTLETS_FILE", str(extra))
    assert outlet_name("https://www.vellmoor-ledger.com/a") == "The Vellmoor Ledger"
    assert outlet_name(None, "vellmoor ledger") == "The Vellmoor Ledger"
    assert outlet_name("https://islamtimes.org/en") == "IT English"
    monkeypatch.delenv("QUOTETRACE_OUTLETS_FILE")
    assert outlet_name("https://www.vellmoor-ledger.com/a") == "vellmoor-ledger.com"


def test_a_bad_users_file_is_a_config_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    bad = tmp_path / "outlets.txt"
    bad.write_text("Vellmoor Ledger vellmoor.com\n", encoding="utf-8")
    monkeypatch.setenv("QUOTETRACE_OUTLETS_FILE", str(bad))
    with pytest.raises(ConfigError, match=r"outlets.txt:1"):
        load_outlet_table()
    monkeypatch.setenv("QUOTETRACE_OUTLETS_FILE", str(tmp_path / "missing.txt"))
    with pytest.raises(ConfigError, match="cannot be read"):
        outlet_name("https://x.example.com/")


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("HTTPS://WWW.Example.ORG/News/A", "https://www.example.org/News/A"),
        ("https://example.org:443/a", "https://example.org/a"),
        ("http://example.org:80/a", "http://example.org/a"),
        ("http://example.org:8080/a", "http://example.org:8080/a"),
        ("https://example.org:80/a", "https://example.org:80/a"),
        ("https://example.org", "https://example.org/"),
        ("https://example.org/a#comments", "https://example.org/a"),
        (
            "https://example.org/a?utm_source=feed&id=7&UTM_Medium=rss&fbclid=abc&page=2",
            "https://example.org/a?id=7&page=2",
        ),
        ("https://example.org/a?utm_campaign=x", "https://example.org/a"),
        ("https://example.org/a?q=a%20b&gclid=1", "https://example.org/a?q=a%20b"),
        ("https://example.org/Path/With%2FSlash/", "https://example.org/Path/With%2FSlash/"),
        ("https://user:pw@Example.org:443/a", "https://user:pw@example.org/a"),
        ("https://example.org./a", "https://example.org/a"),
        ("  https://example.org/a  ", "https://example.org/a"),
        ("example.org/a", "example.org/a"),
    ],
)
def test_normalize_url(given: str, expected: str) -> None:
    assert normalize_url(given) == expected
    assert normalize_url(expected) == expected


def test_normalize_url_survives_a_bad_port() -> None:
    assert normalize_url("https://example.org:99999/a") == "https://example.org:99999/a"


def test_the_module_docstring_examples_hold() -> None:
    import doctest

    import quotetrace.ingest.outlets as module

    result = doctest.testmod(module)
    assert result.attempted >= 5 and result.failed == 0
