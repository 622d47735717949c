"""An article's page shows each speaker's chain of mentions; an actor's page the names it was
resolved from and the outlets that used each (pages and API, on a hand-built store)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from quotetrace.models import Actor, Article, Attribution, ProcessedArticle
from quotetrace.store import Store
from quotetrace.web import create_app


def _span(text: str, piece: str, after: int = 0) -> tuple[int, int]:
    start = text.index(piece, after)
    return start, start + len(piece)


def _harbour(
    doc_id: str, outlet: str, text: str, said: list[tuple[str, str, str]], names: list[str]
) -> ProcessedArticle:
    """``said``: (source, cue, content) substrings; ``names``: Mara Voss's mentions in order."""
    pos, mentions = 0, []
    for name in names:
        mentions.append(_span(text, name, pos))
        pos = mentions[-1][1]
    attributions = tuple(
        Attribution(
            "indirect",
            _span(text, content),
            _span(text, source),
            _span(text, cue),
            "Mara Voss",
            0.9,
            actor_id=0,
        )
        for source, cue, content in said
    )
    return ProcessedArticle(
        Article(doc_id, text, "2031-05-02", outlet, f"{outlet} report", {}),
        attributions,
        (Actor(0, "Mara Voss", "PERSON", tuple(mentions)),),
    )


@pytest.fixture
def client(tmp_path: Path) -> Iterator[TestClient]:
    first = (
        "Harbour chair Mara Voss said the ferry would wait a month. "
        "She added that the vote was close. Later the chair said the engineers were right."
    )
    second = "Mara Voss said the ferry would run in June. Voss said the fares stay."
    db = tmp_path / "mentions.db"
    with Store.open(str(db)) as store:
        store.add_processed(
            [
                _harbour(
                    "lake/1",
                    "Lakeside Gazette",
                    first,
                    [
                        ("Harbour chair Mara Voss", "said", "the ferry would wait a month"),
                        ("She", "added", "that the vote was close"),
                        ("the chair", "said", "the engineers were right"),
                    ],
                    ["Harbour chair Mara Voss", "She", "the chair"],
                ),
                _harbour(
                    "ellin/2",
                    "Ellin Courier",
                    second,
                    [
                        ("Mara Voss", "said", "the ferry would run in June"),
                        ("Voss", "said", "the fares stay"),
                    ],
                    ["Mara Voss", "Voss"],
                ),
            ]
        )
    with TestClient(create_app(str(db)), raise_server_exceptions=False) as c:
        yield c


def test_article_page_shows_the_chain_of_mentions_in_order(client: TestClient) -> None:
    [article] = [
        a for a in client.get("/api/articles").json()["results"] if a["doc_id"] == "lake/1"
    ]
    page = client.get(f"/articles/{article['id']}").text
    chain = re.search(r'<ol class="chain"[^>]*>(.*?)</ol>', page, re.S)
    assert chain is not None
    assert re.findall(r'class="jump-mention"[^>]*>([^<]*)</a>', chain.group(1)) == [
        "Harbour chair Mara Voss",
        "She",
        "the chair",
    ]
    # Each mention is framed in the text, inside its statement's highlight, and linked.
    framed = re.findall(r'<span class="mention" id="(m-\d+)"[^>]*>([^<]*)</span>', page)
    assert [t for _, t in framed] == ["Harbour chair Mara Voss", "She", "the chair"]
    assert all(f'href="#{anchor}"' in page for anchor, _ in framed)

    api = client.get(f"/api/articles/{article['id']}").json()
    [speaker] = api["mention_chains"]
    assert speaker["speaker"] == "Mara Voss"
    assert [m["text"] for m in speaker["mentions"]] == [
        "Harbour chair Mara Voss",
        "She",
        "the chair",
    ]


def test_actor_page_lists_the_names_it_was_resolved_from_by_outlet(client: TestClient) -> None:
    [voss] = client.get("/api/actors?q=voss").json()["results"]
    detail = client.get(f"/api/actors/{voss['id']}").json()
    sources = {
        s["name"]: {o["outlet"]: o["count"] for o in s["outlets"]} for s in detail["name_sources"]
    }
    assert sources["Mara Voss"] == {"Lakeside Gazette": 1, "Ellin Courier": 1}
    assert sources["Voss"] == {"Ellin Courier": 1}
    assert (
        "She" not in sources and "the chair" not in sources
    )  # pronouns and descriptions are no names
    page = client.get(f"/actors/{voss['id']}").text
    table = re.search(r'<table class="names resolved-names">(.*?)</table>', page, re.S)
    assert table is not None
    rows = re.findall(
        r'<th scope="row">([^<]*?)\s*(?:<span[^>]*>\(title\)</span>)?</th>\s*<td>(.*?)</td>',
        table.group(1),
        re.S,
    )
    names = {name.strip(): cells for name, cells in rows}
    assert (
        "Mara Voss" in names
        and "Lakeside Gazette" in names["Mara Voss"]
        and "Ellin Courier" in names["Mara Voss"]
    )
    assert "Voss" in names and "Lakeside Gazette" not in names["Voss"]
