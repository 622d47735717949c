"""The pages in a real browser: Playwright driving Debian's Chromium, headless.

A uvicorn server on a free loopback port serves the fixture store; every page is opened,
a highlighted statement is clicked and reached by keyboard, a search is typed, the hostile
article is poked at, and each page is checked at phone width. Screenshots of the pages go to
build/screenshots/ (and to docs/screenshots/ with QUOTETRACE_UPDATE_SCREENSHOTS=1, for the
README).
"""

from __future__ import annotations

import os
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
REPO = Path(__file__).resolve().parents[2]

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not CHROMIUM.exists(),
        reason="needs Debian's Chromium at /usr/bin/chromium (apt-get install chromium; "
        ".ci/services.sh installs it)",
    ),
]

playwright_api = pytest.importorskip(
    "playwright.sync_api", reason="needs the playwright package (the dev extra)"
)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="module")
def base_url(demo_db: Path) -> Iterator[str]:
    import uvicorn

    from quotetrace.web import create_app

    port = _free_port()
    config = uvicorn.Config(
        create_app(str(demo_db)), host="127.0.0.1", port=port, log_level="warning"
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the test server did not start")
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=10)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with playwright_api.sync_playwright() as p:
        chromium = p.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        yield chromium
        chromium.close()


class Watched:
    """A page that records console errors, uncaught exceptions and dialogs."""

    def __init__(self, browser: Any, width: int = 1200, height: int = 900) -> None:
        self.context = browser.new_context(viewport={"width": width, "height": height})
        self.page = self.context.new_page()
        self.problems: list[str] = []
        self.page.on(
            "console",
            lambda m: (
                self.problems.append(f"console {m.type}: {m.text}")
                if m.type in ("error", "warning")
                else None
            ),
        )
        self.page.on("pageerror", lambda e: self.problems.append(f"pageerror: {e}"))
        self.page.on(
            "dialog", lambda d: (self.problems.append(f"dialog: {d.message}"), d.dismiss())
        )

    def open(self, url: str) -> Any:
        response = self.page.goto(url)
        assert response is not None and response.status == 200, url
        return self.page

    def close(self) -> None:
        self.context.close()


@pytest.fixture
def watched(browser: Any) -> Iterator[Watched]:
    w = Watched(browser)
    yield w
    w.close()


def _ids(base_url: str, watched: Watched) -> dict[str, Any]:
    api = watched.context.request
    herald = api.get(f"{base_url}/api/articles?q=Every week").json()["results"][0]
    hostile = api.get(f"{base_url}/api/articles?q=spokesman").json()["results"][0]
    brandt = api.get(f"{base_url}/api/actors?q=brandt").json()["results"][0]
    story = api.get(f"{base_url}/api/stories").json()["results"][0]
    return {
        "herald": herald["id"],
        "hostile": hostile["id"],
        "brandt": brandt["id"],
        "story": story["id"],
    }


def page_urls(base_url: str, ids: dict[str, Any]) -> dict[str, str]:
    return {
        "home": f"{base_url}/",
        "search": f"{base_url}/search?q=spillway",
        "article": f"{base_url}/articles/{ids['herald']}",
        "actor": f"{base_url}/actors/{ids['brandt']}",
        "outlet": f"{base_url}/outlets/Coastal%20Herald",
        "story": f"{base_url}/stories/{ids['story']}",
    }


def _screenshot_dirs() -> list[Path]:
    dirs = [REPO / "build" / "screenshots"]
    if os.environ.get("QUOTETRACE_UPDATE_SCREENSHOTS") == "1":
        dirs.append(REPO / "docs" / "screenshots")
    for d in dirs:
        d.mkdir(parents=True, exist_ok=True)
    return dirs


def test_every_page_opens_cleanly_and_is_screenshotted(base_url: str, watched: Watched) -> None:
    urls = page_urls(base_url, _ids(base_url, watched))
    headings = {
        "home": "Who said what",
        "search": "Search statements",
        "article": "Velmora mayor vows to keep the old dam open",
        "actor": "Ilse Brandt",
        "outlet": "Coastal Herald",
        "story": "Velmora mayor vows to keep the old dam open",
    }
    dirs = _screenshot_dirs()
    for name, url in urls.items():
        page = watched.open(url)
        assert page.locator("h1").first.inner_text() == headings[name], name
        if name == "article":  # show the who-said-what panel filled in
            page.locator("mark.stmt").nth(1).click()
        for d in dirs:
            page.screenshot(path=str(d / f"{name}.png"), full_page=True)
    assert watched.problems == []  # no CSP violation, no script error on any page


def test_clicking_a_highlighted_statement_shows_speaker_cue_and_kind(
    base_url: str, watched: Watched
) -> None:
    ids = _ids(base_url, watched)
    page = watched.open(f"{base_url}/articles/{ids['herald']}")
    marks = page.locator("mark.stmt")
    assert marks.count() == 4
    quote = page.locator("mark.stmt", has_text="Every week we wait")
    quote.click()
    info = page.locator("#stmt-info")
    assert info.locator(".info-speaker").inner_text() == "Tomas Okafor (2)"
    assert info.locator(".info-cue").inner_text() == "said"
    assert info.locator(".info-kind").inner_text() == "direct"
    assert "active" in (quote.get_attribute("class") or "")
    # The side list jumps to a statement and describes it.
    page.locator("a.jump", has_text="that the north wall").click()
    assert info.locator(".info-cue").inner_text() == "warned"
    assert page.evaluate("document.activeElement.id") == page.evaluate(
        "document.querySelector('mark.stmt.active').id"
    )
    # Hovering describes too.
    page.locator("mark.stmt").first.hover()
    assert info.locator(".info-speaker").inner_text() == "Ilse Brandt (1)"
    assert watched.problems == []


def test_statements_are_reachable_by_keyboard(base_url: str, watched: Watched) -> None:
    ids = _ids(base_url, watched)
    page = watched.open(f"{base_url}/articles/{ids['herald']}")
    for _ in range(40):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.matches('mark.stmt')"):
            break
    else:
        pytest.fail("no highlighted statement reached with Tab")
    page.keyboard.press("Enter")
    assert page.locator("#stmt-info .info-speaker").inner_text() == "Ilse Brandt (1)"
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.matches('mark.stmt')")
    assert page.locator("#stmt-info .info-kind").inner_text() == "direct"


def test_searching_from_the_home_page(base_url: str, watched: Watched) -> None:
    page = watched.open(f"{base_url}/")
    page.fill("#top-q", "spillway")
    page.press("#top-q", "Enter")
    page.wait_for_url("**/search?q=spillway")
    assert page.locator(".count").inner_text() == "3 statements"
    results = page.locator("li.result")
    assert results.count() == 3
    assert results.locator("mark").first.inner_text().lower() == "spillway"
    first = results.first.inner_text()
    assert "Ilse Brandt" in first and "said" in first
    # Narrow with the filter form, then follow a hit into its article.
    page.select_option("#f-outlet", "River Post")
    page.click(".filters button[type=submit]")
    page.wait_for_url("**outlet=River+Post**")
    assert page.locator("li.result").count() == 1
    page.locator("li.result a", has_text="in the article").click()
    page.wait_for_url("**/articles/*#st-*")
    assert page.locator("#stmt-info .info-speaker").inner_text().startswith("Ilse Brandt (")
    assert page.locator("mark.stmt.active").inner_text() == "We will repair the spillway"
    assert watched.problems == []


def test_hostile_article_runs_nothing(base_url: str, watched: Watched) -> None:
    ids = _ids(base_url, watched)
    for url in (
        f"{base_url}/articles/{ids['hostile']}",
        f"{base_url}/search?q=dam",
        f"{base_url}/outlets/Night%20%3Cb%3EWire%3C%2Fb%3E",
        f"{base_url}/",
    ):
        page = watched.open(url)
        for i in range(page.locator("mark.stmt").count()):
            page.locator("mark.stmt").nth(i).click()
        # Every event a planted handler could wait for, on every element of the page.
        page.evaluate(
            """() => document.querySelectorAll('body *').forEach((el) => {
                for (const type of ['mouseover', 'mouseenter', 'focus', 'load', 'error']) {
                    el.dispatchEvent(new Event(type));
                }
            })"""
        )
        assert page.evaluate("typeof window.__pwned") == "undefined", url
        assert page.locator("img, iframe").count() == 0, url
    page = watched.open(f"{base_url}/articles/{ids['hostile']}")
    assert "<script>window.__pwned = 'text'</script>" in page.locator("#article-text").inner_text()
    assert watched.problems == []


@pytest.mark.parametrize("name", ["home", "search", "article", "actor", "outlet", "story"])
def test_pages_fit_a_phone_screen(base_url: str, browser: Any, name: str) -> None:
    phone = Watched(browser, width=360, height=740)
    try:
        url = page_urls(base_url, _ids(base_url, phone))[name]
        page = phone.open(url)
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 1, f"{name} is {overflow}px wider than the phone"
        if name == "article":  # tapping works like clicking
            page.locator("mark.stmt").first.click()
            assert page.locator("#stmt-info .info-speaker").is_visible()
        assert phone.problems == []
    finally:
        phone.close()


def test_actor_plot_reads_without_colour(base_url: str, watched: Watched) -> None:
    ids = _ids(base_url, watched)
    page = watched.open(f"{base_url}/actors/{ids['brandt']}")
    legend = page.locator(".legend li")
    assert legend.count() == 3
    markers = {legend.nth(i).locator(".marker-name").inner_text() for i in range(3)}
    assert len(markers) == 3  # one shape per outlet, named in the legend
    dashes = {
        page.locator(".timeline g.series path").nth(i).get_attribute("stroke-dasharray")
        for i in range(3)
    }
    assert len(dashes) == 3
    page.locator("details summary").click()
    assert page.locator("table.numbers tbody tr").count() == 3  # three days


def test_a_speakers_chain_of_mentions_leads_to_each_mention_in_the_text(
    base_url: str, watched: Watched
) -> None:
    ids = _ids(base_url, watched)
    page = watched.open(f"{base_url}/articles/{ids['herald']}")
    chains = page.locator("ol.chain")
    assert chains.count() == 2  # Ilse Brandt and Tomas Okafor
    links = chains.first.locator("a.jump-mention")
    assert links.all_inner_texts() == ["Ilse Brandt", "Brandt"]
    links.nth(1).click()
    active = page.locator(".mention.active")
    assert active.count() == 1 and active.inner_text() == "Brandt"
    assert page.evaluate("location.hash") == "#" + (active.get_attribute("id") or "")
    # The mention sits in the article text, inside the quote's frame ("... Brandt told").
    assert page.locator("#article-text .mention").count() == 4
    # The speaker page: the names she was resolved from, with the outlets that used each.
    page = watched.open(f"{base_url}/actors/{ids['brandt']}")
    resolved = page.locator("table.resolved-names tbody tr")
    assert resolved.count() >= 2
    first = resolved.first
    assert first.locator("th").inner_text().startswith("Ilse Brandt")
    assert "Coastal Herald" in first.locator("td").inner_text()
    assert watched.problems == []


def test_story_page_shows_a_paraphrase_pair_readably(base_url: str, watched: Watched) -> None:
    """The Daily Ledger words the mayor's promise its own way: the page tags it a paraphrase,
    marks the phrases it shares with the reference, says what it leaves out ("not"), and
    flags that two outlets quote the spillway promise in different words."""
    page = watched.open(page_urls(base_url, _ids(base_url, watched))["story"])
    cell = page.locator("td.stmt-cell", has=page.locator(".para-tag")).first
    assert cell.is_visible()
    shared = [m.inner_text() for m in cell.locator("mark.shared").all()]
    assert "Harrow" in " ".join(shared) and "floods" in " ".join(shared)
    assert "leaves out qualifiers" in cell.locator("dl.para").inner_text()
    assert cell.locator("ul.changes").count() == 0  # no word churn for a paraphrase
    check = page.locator(".quote-check").first
    assert "Both quote it, in different words" in check.inner_text()
    assert "Coastal Herald" in check.inner_text() and "Daily Ledger" in check.inner_text()
    row = page.locator("tr", has=cell)
    for d in _screenshot_dirs():
        row.screenshot(path=str(d / "story-paraphrase.png"))
    assert watched.problems == []
