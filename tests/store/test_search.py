"""Full-text search with filters, on both backends, with the same answers."""

from __future__ import annotations

import pytest
from store_builders import Quote, Said, harbour_story, report

from quotetrace.errors import StoreError
from quotetrace.store import Store
from quotetrace.store.search import fts5_query, parse_date_bound


@pytest.fixture
def filled(store: Store) -> Store:
    store.add_processed(harbour_story())
    store.add_processed(
        [
            report(
                "wire/iraq-1",
                "Xinhua",
                "2023-11-07",
                [
                    Said(
                        "Foreign ministry spokesman Dara Quill",
                        "said",
                        "Iraq's new grain agreement would be signed in Baghdad next week",
                        speaker="Dara Quill",
                    ),
                    Quote(
                        "Iraq and its neighbours share one river",
                        "Quill",
                        "added",
                        "Dara Quill",
                    ),
                ],
            ),
            report(
                "wire/iraq-2",
                "Northern Wire",
                "2023-11-20",
                [Said("Trade envoy Olla Brenn", "said", "Iraq had paid for the first shipments")],
            ),
        ]
    )
    return store


def _texts(page: object) -> list[str]:
    return [h.statement.content_text for h in page.hits]  # type: ignore[attr-defined]


def test_words_are_stemmed_and_marked(filled: Store) -> None:
    page = filled.search("regimes", mark=("[", "]"), count=True)
    assert page.total == 2
    assert {h.statement.outlet for h in page.hits} == {"Ellin Courier", "Northern Wire"}
    assert all("[regime" in h.snippet for h in page.hits)
    assert all(h.score is not None for h in page.hits)


def test_filters_by_speaker_alias_outlet_and_dates(filled: Store) -> None:
    # "Voss" is an alias of Mara Voss learned from the coverage.
    assert len(filled.search("", speaker="Voss").hits) == 4
    assert _texts(filled.search("regime", speaker="Voss", outlet="ellin courier")) == [
        "the regime of inspections at the harbour had to finish first"
    ]
    in_november = filled.search("Iraq", since="2023-11", until="2023-11-10")
    assert {h.statement.doc_id for h in in_november.hits} == {"wire/iraq-1"}
    assert len(filled.search("Iraq", outlet="Xinhua").hits) == 2
    assert _texts(filled.search("Iraq", outlet="Xinhua", kind="direct")) == [
        "Iraq and its neighbours share one river"
    ]
    assert filled.search("Iraq", speaker="Nobody Known").hits == []


def test_query_syntax(filled: Store) -> None:
    assert len(filled.search('"summer ferry season"').hits) == 1
    assert len(filled.search("grain OR shipments").hits) == 2
    assert _texts(filled.search("Iraq -river -grain")) == ["Iraq had paid for the first shipments"]
    # Punctuation from news text never breaks the query parser.
    assert len(filled.search("Iraq's").hits) >= 1
    assert filled.search('NEAR( ) " * : ^ {col}:').hits == []
    with pytest.raises(StoreError, match="at least one word"):
        filled.search("-river")


def test_pages_do_not_overlap(filled: Store) -> None:
    everything = filled.search("", limit=100, count=True)
    assert everything.total == len(everything.hits) == 9
    pages = [filled.search("", limit=4, offset=o).hits for o in (0, 4, 8)]
    ids = [h.statement.id for page in pages for h in page]
    assert ids == [h.statement.id for h in everything.hits]
    assert len(set(ids)) == 9


def test_an_empty_query_lists_newest_first(filled: Store) -> None:
    dates = [h.statement.published for h in filled.search("", limit=100).hits]
    assert dates == sorted(dates, reverse=True)


def test_bad_arguments_are_clear_errors(filled: Store) -> None:
    with pytest.raises(StoreError, match="not a date"):
        filled.search("x", since="last tuesday")
    with pytest.raises(StoreError, match="unknown kind"):
        filled.search("x", kind="sarcastic")
    with pytest.raises(StoreError, match="limit"):
        filled.search("x", limit=0)


@pytest.mark.parametrize(
    ("query", "expression"),
    [
        ("regime", '"regime"'),
        ("Iraq's grain", '"Iraq\'s" "grain"'),
        ('"direct involvement" US', '"direct involvement" "US"'),
        ("grain OR rice", '"grain" OR "rice"'),
        ("OR grain OR", '"grain"'),
        ("regime -Israel", '"regime" NOT "Israel"'),
        ("negot*", '"negot" *'),
        ('say "', '"say"'),
        ("", ""),
    ],
)
def test_fts5_query_quotes_every_term(query: str, expression: str) -> None:
    assert fts5_query(query) == expression


def test_date_bounds() -> None:
    import datetime as dt

    assert parse_date_bound("2023") == dt.date(2023, 1, 1)
    assert parse_date_bound("2023", end=True) == dt.date(2023, 12, 31)
    assert parse_date_bound("2024-02", end=True) == dt.date(2024, 2, 29)
    assert parse_date_bound("2023-11-06T10:00:00") == dt.date(2023, 11, 6)
    assert parse_date_bound(None) is None


def test_ranking_window_and_count_cap_bound_the_work(store: Store) -> None:
    """Relevance is ranked among the newest N matches; counting stops at the cap."""
    from quotetrace.store.search import StatementFilter, search_statements

    rows = [
        report(f"d/{i}", "Desk", "2024-01-01", [Said(f"Clerk Avo Ren{i}", "said", text)])
        for i, text in enumerate(
            [
                "toll toll toll toll on the bridge",  # oldest: the most relevant
                "a toll on the road",
                "the toll was paid",
                "no toll today",
            ]
        )
    ]
    store.add_processed(rows)
    with store.engine.connect() as conn:
        everything, total = search_statements(
            conn, "toll", StatementFilter(), limit=10, offset=0, count=True
        )
        assert everything[0].row.content_text.startswith("toll toll")
        assert total is not None and (total.count, total.exact) == (4, True)
        newest, capped = search_statements(
            conn,
            "toll",
            StatementFilter(),
            limit=2,
            offset=0,
            count=True,
            candidates=3,
            count_cap=2,
        )
        assert len(newest) == 2
        assert all(not f.row.content_text.startswith("toll toll") for f in newest)
        assert capped is not None and (capped.count, capped.exact) == (2, False)
    page = store.search("toll", count=True)
    assert page.total == 4 and page.total_is_exact


def test_date_filters_find_everything_whatever_the_ingest_order(store: Store) -> None:
    """Articles arrive out of date order, in several batches; a date-filtered search still
    finds every match in the range, and only those."""
    import random

    days = [f"2023-{m:02d}-{d:02d}" for m in (1, 3, 5, 7) for d in (2, 15, 27)]
    random.Random(4).shuffle(days)
    items = [
        report(f"o/{i}", "Desk", day, [Said(f"Clerk Ada Wren{i % 2}", "said", f"the levee {i}")])
        for i, day in enumerate(days)
    ]
    for start in range(0, len(items), 5):
        store.add_processed(items[start : start + 5])
    for since, until in (("2023-03", "2023-05"), ("2023-01-15", "2023-01-27"), ("2023-07", None)):
        lo, hi = parse_date_bound(since), parse_date_bound(until, end=True)
        assert lo is not None
        want = {
            p.article.doc_id
            for p in items
            if lo.isoformat() <= str(p.article.date) <= (hi.isoformat() if hi else "9999")
        }
        assert want
        for order in ("newest", "relevance"):
            got = store.search("levee", since=since, until=until, order=order, limit=100)
            assert {h.statement.doc_id for h in got.hits} == want, (since, until, order)
    assert store.search("levee", since="2024-01").hits == []
    newest = store.search("levee", outlet="Desk", limit=100).hits
    assert [h.statement.id for h in newest] == sorted(
        (h.statement.id for h in newest), reverse=True
    )
