"""The JSON API through the ASGI client: listings, filters, pagination, details, stories."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient


def get_json(client: TestClient, url: str, status: int = 200) -> Any:
    response = client.get(url)
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/json")
    return response.json()


def test_articles_are_listed_newest_first_with_counts(client: TestClient) -> None:
    page = get_json(client, "/api/articles")
    assert page["total"] == 5
    assert page["next"] is None
    dates = [a["date"] for a in page["results"]]
    assert dates == sorted(dates, reverse=True)
    herald = next(a for a in page["results"] if a["doc_id"] == "herald-0310")
    assert herald["statements"] == 4
    assert "text" not in herald


def test_articles_paginate_with_a_next_link(client: TestClient) -> None:
    first = get_json(client, "/api/articles?limit=2")
    assert len(first["results"]) == 2 and first["total"] == 5
    assert "offset=2" in first["next"]
    second = get_json(client, first["next"].replace("http://testserver", ""))
    third = get_json(client, second["next"].replace("http://testserver", ""))
    assert third["next"] is None
    seen = [a["id"] for p in (first, second, third) for a in p["results"]]
    assert sorted(seen) == sorted(set(seen)) and len(seen) == 5


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("q=minister", {"ledger-0310", "riverpost-0311"}),
        ("q=SPILLWAY", {"herald-0310", "ledger-0310", "riverpost-0311", "herald-0312"}),
        ("q=100%25", set()),  # a literal %, not a pattern
        ("outlet=coastal herald", {"herald-0310", "herald-0312"}),
        ("since=2026-03-11&until=2026-03-12", {"riverpost-0311", "herald-0312"}),
        (
            "since=2026-03",
            {"herald-0310", "ledger-0310", "riverpost-0311", "herald-0312", "hostile-0313"},
        ),
    ],
)
def test_article_filters(client: TestClient, query: str, expected: set[str]) -> None:
    page = get_json(client, f"/api/articles?{query}")
    assert {a["doc_id"] for a in page["results"]} == expected
    assert page["total"] == len(expected)


def test_an_article_comes_with_its_statements(client: TestClient) -> None:
    listing = get_json(client, "/api/articles?q=Every week we wait")
    article_id = listing["results"][0]["id"]
    article = get_json(client, f"/api/articles/{article_id}")
    assert article["doc_id"] == "herald-0310"
    assert article["text"].startswith("VELMORA, March 10")
    contents = [s["content_text"] for s in article["statements"]]
    assert "Every week we wait costs us a metre of concrete" in contents
    for st in article["statements"]:
        start, end = st["content"]
        assert article["text"][start:end] == st["content_text"]


def test_statement_search_ranks_and_marks_matches(client: TestClient) -> None:
    page = get_json(client, "/api/statements?q=spillway")
    assert page["total"] == 3
    assert all("«spillway»" in hit["snippet"] for hit in page["results"])
    assert {hit["outlet"] for hit in page["results"]} == {
        "Coastal Herald",
        "Daily Ledger",
        "River Post",
    }


@pytest.mark.parametrize(
    ("query", "total"),
    [
        ("speaker=Brandt", 6),  # an alias finds the actor
        ("speaker=Ilse Brandt&outlet=River Post", 1),
        ("kind=direct", 7),
        ("q=state&kind=indirect", 2),
        ("q=spillway&since=2026-03-11", 1),
        ("q=spillway -abandon", 1),
    ],
)
def test_statement_filters(client: TestClient, query: str, total: int) -> None:
    assert get_json(client, f"/api/statements?{query}")["total"] == total


def test_statements_paginate(client: TestClient) -> None:
    first = get_json(client, "/api/statements?limit=5")
    assert first["total"] == 15 and len(first["results"]) == 5 and first["next"]
    last = get_json(client, "/api/statements?limit=5&offset=10")
    assert last["next"] is None and len(last["results"]) == 5


def test_actors_and_one_actor(client: TestClient) -> None:
    page = get_json(client, "/api/actors")
    names = [a["name"] for a in page["results"]]
    assert names[:3] == ["Ilse Brandt", "Tomas Okafor", "Reza Halloran"]
    brandt = page["results"][0]
    detail = get_json(client, f"/api/actors/{brandt['id']}")
    assert detail["statements"] == 6
    surfaces = {(o["outlet"], o["surface"]) for o in detail["outlet_names"]}
    assert ("Daily Ledger", "the mayor") in surfaces
    assert ("Coastal Herald", "Brandt") in surfaces
    per_day = {(d["date"], d["outlet"]): d["statements"] for d in detail["daily"]}
    assert per_day[("2026-03-10", "Coastal Herald")] == 2
    assert per_day[("2026-03-12", "Coastal Herald")] == 1
    assert sum(per_day.values()) == 6


def test_actor_search_pages_with_next(client: TestClient) -> None:
    page = get_json(client, "/api/actors?limit=1")
    assert len(page["results"]) == 1 and page["next"]
    assert get_json(client, "/api/actors?q=okafor")["results"][0]["name"] == "Tomas Okafor"


def test_outlets_and_one_outlet(client: TestClient) -> None:
    page = get_json(client, "/api/outlets")
    assert page["total"] == 4
    assert page["results"][0] == {"outlet": "Coastal Herald", "articles": 2, "statements": 6}
    post = get_json(client, "/api/outlets/river post")
    assert post["top_speakers"][0]["name"] == "Reza Halloran"
    assert post["top_speakers"][0]["statements"] == 2


def test_stories_align_statements_across_outlets(client: TestClient) -> None:
    stories = get_json(client, "/api/stories")
    assert stories["total"] == 2
    dam = stories["results"][0]
    assert dam["articles"] == 4
    assert dam["outlets"] == ["Coastal Herald", "Daily Ledger", "River Post"]
    story = get_json(client, f"/api/stories/{dam['id']}")
    assert [a["doc_id"] for a in story["articles"]] == story["doc_ids"]
    spillway = next(
        s
        for s in story["statements"]
        if any(m["text"] == "We will repair the spillway" for m in s["members"])
    )
    assert {m["outlet"] for m in spillway["members"]} == {
        "Coastal Herald",
        "Daily Ledger",
        "River Post",
    }
    assert all(isinstance(m["statement_id"], int) for m in spillway["members"])
    changes = [c for v in spillway["differences"]["versions"] for c in v["changes"]]
    assert {"op": "dropped", "reference": "not abandon it", "version": ""} in changes


def test_openapi_documents_every_endpoint(client: TestClient) -> None:
    schema = get_json(client, "/openapi.json")
    for path in (
        "/api/articles",
        "/api/articles/{article_id}",
        "/api/statements",
        "/api/actors",
        "/api/actors/{actor_id}",
        "/api/outlets",
        "/api/stories",
        "/api/stories/{story_id}",
    ):
        assert path in schema["paths"], path
    assert "post" not in schema["paths"]["/api/articles"]  # read-only server
    assert client.get("/docs").status_code == 200
