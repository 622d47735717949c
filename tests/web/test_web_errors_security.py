"""One error shape everywhere; untrusted text stays inert; no injection; the write needs the token."""

from __future__ import annotations

import json
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from fastapi.testclient import TestClient
from web_fixtures import FIXTURE, TOKEN

from quotetrace.errors import ForbiddenError
from quotetrace.store import Store
from quotetrace.web import CONTENT_SECURITY_POLICY, create_app
from quotetrace.web.ingest import MAX_RECORDS

ERROR_KEYS = {"code", "message", "hint", "source"}


def assert_error(response: Any, status: int, code: str) -> dict[str, Any]:
    assert response.status_code == status, response.text
    body = response.json()
    assert set(body) == {"error"}, body
    assert set(body["error"]) == ERROR_KEYS, body
    assert body["error"]["code"] == code
    assert body["error"]["message"]
    return dict(body["error"])


# -- the error shape -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "status", "code"),
    [
        ("/api/articles/999", 404, "web/not-found"),
        ("/api/actors/999", 404, "web/not-found"),
        ("/api/stories/s-000000000000", 404, "web/not-found"),
        ("/api/outlets/Nowhere%20Times", 404, "web/not-found"),
        ("/api/no-such-endpoint", 404, "web/not-found"),
        ("/api/articles/abc", 422, "web/bad-request"),
        ("/api/articles/0", 422, "web/bad-request"),
        ("/api/statements?limit=0", 422, "web/bad-request"),
        ("/api/statements?limit=100000", 422, "web/bad-request"),
        ("/api/statements?offset=-1", 422, "web/bad-request"),
        ("/api/statements?kind=sarcastic", 422, "web/bad-request"),
        ("/api/statements?since=yesterday", 400, "store"),
        ("/api/articles?until=2026-13-45", 400, "store"),
        ("/api/statements?q=" + "x" * 600, 422, "web/bad-request"),
    ],
)
def test_every_api_error_has_one_shape(
    client: TestClient, url: str, status: int, code: str
) -> None:
    error = assert_error(client.get(url), status, code)
    if status == 422:
        assert error["hint"] and error["source"]


def test_wrong_method_and_readonly_post_have_the_shape(client: TestClient) -> None:
    error = assert_error(client.post("/api/articles", content=b"{}"), 405, "web/method-not-allowed")
    assert "--token" in error["hint"]
    assert_error(client.delete("/api/articles/1"), 405, "web/method-not-allowed")


def test_pages_render_errors_as_html_with_the_same_fields(client: TestClient) -> None:
    response = client.get("/articles/999")
    assert response.status_code == 404
    assert response.headers["content-type"].startswith("text/html")
    assert "no article 999" in response.text and 'data-code="web/not-found"' in response.text
    assert client.get("/no/such/page").status_code == 404


def test_every_response_carries_the_security_headers(client: TestClient) -> None:
    for url in ("/", "/api/articles", "/api/articles/999", "/static/app.js", "/search?q=dam"):
        response = client.get(url)
        assert response.headers["content-security-policy"] == CONTENT_SECURITY_POLICY, url
        assert response.headers["x-content-type-options"] == "nosniff"
    policy = CONTENT_SECURITY_POLICY
    assert "script-src 'self';" in policy and "unsafe-inline" not in policy


# -- untrusted text renders inert ----------------------------------------------------------


class ActiveContent(HTMLParser):
    """Collects everything in a page that could run code."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        # The actor page's timeline is our own <svg>, so svg is not on the list: its
        # attributes are still checked below like every other tag's.
        our_script = tag == "script" and dict(attrs).get("src") == "/static/app.js"
        if tag in ("script", "iframe", "object", "embed", "img") and not our_script:
            self.found.append(f"<{tag} {attrs}>")
        for name, value in attrs:
            if name.startswith("on"):
                self.found.append(f"{tag}[{name}]")
            if (
                name in ("href", "src", "action")
                and value
                and value.strip().lower().startswith(("javascript:", "data:", "vbscript:"))
            ):
                self.found.append(f"{tag}[{name}={value}]")


def hostile_pages(client: TestClient) -> list[str]:
    hostile = client.get("/api/articles?q=spokesman").json()["results"][0]
    lund = client.get("/api/actors?q=lund").json()["results"][0]
    return [
        "/",
        f"/articles/{hostile['id']}",
        f"/actors/{lund['id']}",
        f"/stories/{hostile['story_id']}",
        "/outlets/" + quote("Night <b>Wire</b>"),
        "/search?q=dam",
        "/search?q=" + quote("<script>alert(1)</script>"),
        "/search?speaker=" + quote('"><img src=x onerror=alert(1)>'),
        "/no-such-page/" + quote("<script>alert(1)</script>"),
    ]


def test_hostile_article_text_renders_inert_on_every_page(client: TestClient) -> None:
    for url in hostile_pages(client):
        response = client.get(url)
        assert response.status_code in (200, 404), url
        parser = ActiveContent()
        parser.feed(response.text)
        assert parser.found == [], (url, parser.found)
        assert "window.__pwned" not in response.text or "&#39;" in response.text, url


def test_hostile_text_is_shown_escaped_not_dropped(client: TestClient) -> None:
    hostile = client.get("/api/articles?q=spokesman").json()["results"][0]
    page = client.get(f"/articles/{hostile['id']}").text
    assert "&lt;script&gt;window.__pwned = &#39;text&#39;&lt;/script&gt;" in page
    assert "&lt;img src=x onerror=" in page
    assert "Night &lt;b&gt;Wire&lt;/b&gt;" in page
    assert page.count('class="stmt ') == 2  # both statements still highlighted


# -- injection -----------------------------------------------------------------------------


INJECTIONS = [
    "' OR '1'='1",
    "x'; DROP TABLE statements; --",
    '" OR 1=1 --',
    "1; DELETE FROM articles",
    "%' OR 1=1 --",
    "statements_fts MATCH '*'",
    "NEAR(a b) OR *",
    "\\'; UPDATE actors SET name='pwned'; --",
]


@pytest.mark.parametrize("probe", INJECTIONS)
def test_injection_probes_change_nothing(demo_db: Path, client: TestClient, probe: str) -> None:
    with Store.open(str(demo_db)) as store:
        before = store.counts()
        names_before = [a.name for a in store.actors()]
    q = quote(probe)
    for url in (
        f"/api/statements?q={q}",
        f"/api/statements?speaker={q}",
        f"/api/statements?outlet={q}",
        f"/api/articles?q={q}",
        f"/api/articles?outlet={q}",
        f"/api/actors?q={q}",
        f"/api/outlets/{q}",
        f"/api/stories/{q}",
        f"/search?q={q}&speaker={q}",
    ):
        response = client.get(url)
        assert response.status_code in (200, 400, 404, 422), (url, response.text)
        if response.headers["content-type"].startswith("application/json") and (
            response.status_code == 200
        ):
            body = response.json()
            # A probe is a string to look for, never a condition that matches everything.
            assert body.get("total") in (0, None) or body["total"] < before["statements"], url
    with Store.open(str(demo_db)) as store:
        assert store.counts() == before
        assert [a.name for a in store.actors()] == names_before


def test_the_web_package_builds_no_sql_from_strings() -> None:
    """A cheap guard on top of the probes: no f-string or %-format near an execute()."""
    src = Path(__file__).resolve().parents[2] / "src" / "quotetrace" / "web"
    for path in src.glob("*.py"):
        text = path.read_text(encoding="utf-8")
        for marker in ("text(f", "execute(f", 'execute("', "exec_driver_sql", "sa.text("):
            assert marker not in text, (path.name, marker)


# -- the write endpoint --------------------------------------------------------------------

NEW_RECORD = {
    "doc_id": "post-0314",
    "text": "VELMORA - “The spillway is finished,” Tomas Okafor said on Saturday.",
    "meta": {"date": "2026-03-14", "outlet": "River Post", "title": "Spillway finished"},
    "attributions": [
        {
            "kind": "direct",
            "content": [10, 35],
            "source": [37, 49],
            "cue": [50, 54],
            "speaker": "Tomas Okafor",
            "confidence": 0.9,
            "actor_id": 0,
        }
    ],
    "actors": [{"id": 0, "name": "Tomas Okafor", "label": "PERSON", "mentions": [[37, 49]]}],
}


def post(client: TestClient, body: Any, token: str | None = TOKEN, raw: bytes | None = None) -> Any:
    headers = {"Authorization": f"Bearer {token}"} if token is not None else {}
    content = raw if raw is not None else json.dumps(body).encode("utf-8")
    return client.post("/api/articles", content=content, headers=headers)


def counts(db: Path) -> dict[str, int]:
    with Store.open(str(db)) as store:
        return store.counts()


def test_write_refuses_without_or_with_a_wrong_token(
    write_client: TestClient, fresh_db: Path
) -> None:
    before = counts(fresh_db)
    assert_error(post(write_client, NEW_RECORD, token=None), 401, "web/unauthorized")
    assert_error(post(write_client, NEW_RECORD, token="not-the-token"), 403, "web/forbidden")
    assert_error(post(write_client, NEW_RECORD, token=TOKEN + "x"), 403, "web/forbidden")
    basic = write_client.post(
        "/api/articles", content=json.dumps(NEW_RECORD), headers={"Authorization": f"Basic {TOKEN}"}
    )
    assert_error(basic, 403, "web/forbidden")
    assert counts(fresh_db) == before


def test_write_with_the_token_stores_once(write_client: TestClient, fresh_db: Path) -> None:
    before = counts(fresh_db)
    response = post(write_client, NEW_RECORD)
    assert response.status_code == 201, response.text
    assert response.json()["articles_added"] == 1 and response.json()["doc_ids"] == ["post-0314"]
    again = post(write_client, [NEW_RECORD])
    assert again.status_code == 201 and again.json()["articles_skipped"] == 1
    after = counts(fresh_db)
    assert after["articles"] == before["articles"] + 1
    assert after["statements"] == before["statements"] + 1
    hits = write_client.get("/api/statements?q=finished").json()
    assert hits["total"] == 1 and hits["results"][0]["actor"] == "Tomas Okafor"
    assert "post" in write_client.get("/openapi.json").json()["paths"]["/api/articles"]


def test_jsonl_bodies_are_accepted(write_client: TestClient, fresh_db: Path) -> None:
    lines = FIXTURE.read_bytes()  # all already stored: skipped, nothing doubled
    response = post(write_client, None, raw=lines)
    assert response.status_code == 201 and response.json()["articles_skipped"] == 5
    assert counts(fresh_db)["articles"] == 5


@pytest.mark.parametrize(
    ("raw", "status", "code"),
    [
        (b"", 400, "web/bad-request"),
        (b"\xff\xfe\x00binary", 400, "web/bad-request"),
        (b'{"doc_id": "a"}\n{not json', 400, "input/malformed"),
        (b"[1, 2]", 400, "input/malformed"),
        (b'{"doc_id": "a", "text": "   "}', 400, "input/empty"),
        (b'{"text": "no id"}', 400, "input/malformed"),
        (
            json.dumps(
                [NEW_RECORD, {**NEW_RECORD, "doc_id": "b", "attributions": [{"kind": "direct"}]}]
            ).encode(),
            400,
            "input/malformed",
        ),
        (
            json.dumps(
                {
                    **NEW_RECORD,
                    "attributions": [{**NEW_RECORD["attributions"][0], "content": [10, 999]}],
                }
            ).encode(),
            400,
            "store",
        ),  # the store checks every span against the text
        (
            json.dumps([{"doc_id": str(i), "text": "x"} for i in range(MAX_RECORDS + 1)]).encode(),
            400,
            "web/bad-request",
        ),
    ],
)
def test_bad_bodies_are_refused_and_store_nothing(
    write_client: TestClient, fresh_db: Path, raw: bytes, status: int, code: str
) -> None:
    before = counts(fresh_db)
    assert_error(post(write_client, None, raw=raw), status, code)
    assert counts(fresh_db) == before


def test_oversized_bodies_are_refused(
    write_client: TestClient, fresh_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("QUOTETRACE_MAX_FILE_BYTES", "1000")
    big = json.dumps({**NEW_RECORD, "text": "word " * 400}).encode()
    assert_error(post(write_client, None, raw=big), 413, "web/bad-request")


def test_a_short_token_is_refused(demo_db: Path) -> None:
    with pytest.raises(ForbiddenError):
        create_app(str(demo_db), token="short")


@pytest.mark.model
def test_raw_articles_are_extracted_on_post(
    write_client: TestClient, nlp: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    import quotetrace.web.ingest as ingest

    monkeypatch.setattr(ingest, "_PIPELINE", [nlp])  # the session's pipeline, not a second load
    record = {
        "doc_id": "raw-0315",
        "text": "“We are ready for the floods,” Ilse Brandt said on Sunday.",
        "meta": {"date": "2026-03-15", "outlet": "Daily Ledger"},
    }
    response = post(write_client, record)
    assert response.status_code == 201, response.text
    assert response.json()["statements_added"] >= 1
    hits = write_client.get("/api/statements?q=floods ready").json()["results"]
    assert any(h["doc_id"] == "raw-0315" for h in hits)


def test_a_crash_is_a_500_in_the_same_shape_without_details(
    demo_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = create_app(str(demo_db))

    def broken() -> None:
        raise RuntimeError("secret internals: /etc/passwd")

    monkeypatch.setattr(app.state.store, "outlets", broken)
    with TestClient(app, raise_server_exceptions=False) as crashing:
        error = assert_error(crashing.get("/api/outlets"), 500, "web/internal")
        assert "secret" not in json.dumps(error)
        page = crashing.get("/outlets/River%20Post")
        assert page.status_code == 500 and "secret" not in page.text
