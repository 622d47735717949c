"""The store's notebook filters: plain records that become DataFrames. No model."""

from __future__ import annotations

import pytest
from store_builders import harbour_story

from quotetrace.store import Store, StoredStatement


@pytest.fixture
def filled(store: Store) -> Store:
    store.add_processed(harbour_story())
    return store


def test_statements_are_still_a_list_of_records(filled: Store) -> None:
    found = filled.statements(speaker="Mara Voss")
    assert isinstance(found, list) and all(isinstance(s, StoredStatement) for s in found)
    assert [s.outlet for s in found] == [
        "Lakeside Gazette",
        "Lakeside Gazette",
        "Ellin Courier",
        "Northern Wire",
    ]


def test_statement_filters_combine(filled: Store) -> None:
    by_outlet = filled.statements(speaker="Mara Voss", outlet="ellin courier")
    assert [s.content_text for s in by_outlet] == [
        "the regime of inspections at the harbour had to finish first"
    ]
    april = filled.statements(since="2024-04-01", until="2024-04-30")
    assert [s.doc_id for s in april] == ["wire/ellin-0315"]
    assert len(filled.statements(limit=2)) == 2


def test_q_is_full_text_with_the_search_syntax(filled: Store) -> None:
    ferry = filled.statements(q="ferry")
    assert {s.doc_id for s in ferry} == {"gazette/harbour-1", "wire/ellin-0315"}
    assert [s.doc_id for s in filled.statements(q="ferry", speaker="Teodor Lind")] == [
        "gazette/harbour-1"
    ]
    # "regimes" finds "regime", as in `quotetrace search`; in article order.
    assert [s.doc_id for s in filled.statements(q="regimes")] == [
        "courier/ferry-vote",
        "wire/ellin-0315",
    ]
    assert len(filled.statements(q="ferry OR season", limit=1)) == 1
    assert filled.statements(q="zeppelin") == []


def test_statements_to_pandas_and_polars(filled: Store) -> None:
    pd = pytest.importorskip("pandas")
    frame = filled.statements(outlet="Lakeside Gazette").to_pandas()
    assert len(frame) == 3
    assert {"speaker", "content_text", "outlet", "published", "confidence"} <= set(frame.columns)
    assert frame["speaker"].tolist() == ["Mara Voss", "Mara Voss", "Teodor Lind"]
    assert pd.api.types.is_datetime64_any_dtype(frame["published"])
    assert frame["published"].dt.strftime("%Y-%m-%d").unique().tolist() == ["2024-03-14"]
    empty = filled.statements(q="zeppelin").to_pandas()
    assert len(empty) == 0 and "speaker" in empty.columns
    pl = pytest.importorskip("polars")
    table = filled.statements(speaker="Teodor Lind").to_polars()
    assert table.height == 2 and table["outlet"].to_list() == ["Lakeside Gazette", "Ellin Courier"]
    assert table.schema["published"] == pl.Date


def test_actors_filtered_by_where_and_when_they_were_quoted(filled: Store) -> None:
    everyone = {a.name: a.statements for a in filled.actors()}
    assert everyone == {"Mara Voss": 4, "Teodor Lind": 2}
    courier = {a.name: a.statements for a in filled.actors(outlet="Ellin Courier")}
    assert courier == {"Mara Voss": 1, "Teodor Lind": 1}
    april = filled.actors(since="2024-04")
    assert [(a.name, a.statements) for a in april] == [("Mara Voss", 1)]
    assert [a.name for a in filled.actors("lind", outlet="Lakeside Gazette")] == ["Teodor Lind"]
    assert filled.actors(outlet="No Such Outlet") == []
    pytest.importorskip("pandas")
    frame = filled.actors(outlet="Ellin Courier").to_pandas()
    assert frame.columns.tolist() == ["id", "name", "label", "aliases", "statements", "mentions"]
    assert frame["statements"].sum() == 2
