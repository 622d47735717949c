"""Writing and reading the store: idempotent adds, versions, round trips, bad records."""

from __future__ import annotations

import dataclasses

import pytest
from store_builders import Quote, Said, harbour_story, report

from quotetrace.errors import MalformedRecordError, StoreError
from quotetrace.models import Article, Attribution, ProcessedArticle
from quotetrace.store import Store, article_hash


def test_adding_the_same_articles_twice_adds_nothing(store: Store) -> None:
    first = store.add_processed(harbour_story())
    assert (first.articles_added, first.statements_added) == (3, 6)
    before = store.counts()
    again = store.add_processed(harbour_story())
    assert again.articles_added == 0 and again.articles_skipped == 3
    assert again.statements_added == again.mentions_added == again.actors_created == 0
    assert store.counts() == before


def test_the_same_article_twice_in_one_batch_is_stored_once(store: Store) -> None:
    story = harbour_story()
    result = store.add_processed([story[0], story[0], story[1]])
    assert result.articles_added == 2 and result.articles_skipped == 1
    assert store.counts()["articles"] == 2


def test_a_changed_article_becomes_a_new_version(store: Store) -> None:
    original = harbour_story()[0]
    store.add_processed([original])
    corrected = report(
        original.article.doc_id,
        "Lakeside Gazette",
        "2024-03-14",
        [Said("Harbour council chair Mara Voss", "said", "the ferry vote would wait six weeks")],
    )
    result = store.add_processed([corrected])
    assert result.articles_added == 1 and result.new_versions == 1
    current = store.article_by_doc_id(original.article.doc_id)
    first = store.article_by_doc_id(original.article.doc_id, version=1)
    assert current is not None and first is not None
    assert (current.version, current.is_current) == (2, True)
    assert (first.version, first.is_current) == (1, False)
    assert first.text == original.article.text
    # Searches and exports see the newest version only.
    assert [h.statement.content_text for h in store.search("weeks").hits] == [
        "the ferry vote would wait six weeks"
    ]
    assert store.search("engineers").hits == []
    assert [p.article.version for p in store.iter_processed()] == [2]
    assert len(list(store.iter_processed(current_only=False))) == 2
    # Re-adding the old version is not a change: it is already stored.
    assert store.add_processed([original]).articles_added == 0


def test_two_versions_in_one_batch_leave_the_last_one_current(store: Store) -> None:
    a = report("desk/1", "Desk", "2024-01-01", [Said("Mayor Ines Paro", "said", "roads open")])
    b = report("desk/1", "Desk", "2024-01-01", [Said("Mayor Ines Paro", "said", "roads shut")])
    store.add_processed([a, b])
    current = store.article_by_doc_id("desk/1")
    assert current is not None and current.version == 2
    assert [x.version for x in store.articles(current_only=False)] == [1, 2]
    assert [x.is_current for x in store.articles(current_only=False)] == [False, True]


def test_stored_articles_come_back_exactly(store: Store) -> None:
    story = harbour_story()
    store.add_processed(story)
    back = list(store.iter_processed())
    assert [b.processed for b in back] == story
    first = back[0]
    assert len(first.statement_ids) == len(story[0].attributions)
    assert all(a is not None for a in first.statement_actor_ids)
    by_article = list(store.iter_processed(article_ids=[back[2].article.id, back[0].article.id]))
    assert [b.article.id for b in by_article] == [back[0].article.id, back[2].article.id]
    record = first.to_json()
    assert record["doc_id"] == "gazette/harbour-1"
    assert record["attributions"][0]["statement_id"] == first.statement_ids[0]


def test_articles_and_statements_are_filtered(store: Store) -> None:
    store.add_processed(harbour_story())
    assert [a.doc_id for a in store.articles(outlet="ellin courier")] == ["courier/ferry-vote"]
    assert [a.doc_id for a in store.articles(since="2024-04")] == ["wire/ellin-0315"]
    assert len(store.articles(until="2024-03")) == 2
    said = store.statements(speaker="Teodor Lind")
    assert {s.outlet for s in said} == {"Lakeside Gazette", "Ellin Courier"}
    assert {s.kind for s in store.statements(kind="direct")} == {"direct"}
    assert store.statements(limit=2, offset=1)[0].id == store.statements()[1].id
    one = store.statements()[0]
    assert one.content_text in (store.article(one.article_id) or pytest.fail()).text


def test_outlets_count_articles_and_statements(store: Store) -> None:
    store.add_processed(harbour_story())
    assert [(o.outlet, o.articles, o.statements) for o in store.outlets()] == [
        ("Ellin Courier", 1, 2),
        ("Lakeside Gazette", 1, 3),
        ("Northern Wire", 1, 1),
    ]


def test_story_ids_are_written_back(store: Store) -> None:
    store.add_processed(harbour_story())
    arts = store.articles()
    sts = store.statements()
    store.set_story_ids(
        articles_to_story={a.id: "harbour-vote" for a in arts},
        statements_to_story={sts[0].id: "harbour-vote/voss-delay"},
    )
    assert {a.story_id for a in store.articles()} == {"harbour-vote"}
    assert len(store.articles(story_id="harbour-vote")) == 3
    assert [s.id for s in store.statements(story_id="harbour-vote/voss-delay")] == [sts[0].id]


@pytest.mark.parametrize(
    "bad_text",
    ["A NUL \x00 inside the text, said the mayor.", "A lone surrogate \ud800 in the text."],
)
def test_unstorable_text_is_refused_without_touching_the_store(store: Store, bad_text: str) -> None:
    store.add_processed(harbour_story()[:1])
    before = store.counts()
    bad = ProcessedArticle(Article("bad/1", bad_text, outlet="Desk"), ())
    with pytest.raises(MalformedRecordError):
        store.add_processed([harbour_story()[1], bad])
    assert store.counts() == before


def test_a_span_outside_the_text_is_refused(store: Store) -> None:
    good = harbour_story()[0]
    broken = dataclasses.replace(
        good,
        attributions=(Attribution("direct", (5, 10_000), None, None, None, 0.5),),
    )
    with pytest.raises(StoreError, match="outside"):
        store.add_processed([broken])
    assert store.counts()["articles"] == 0


def test_a_failed_batch_rolls_back_completely(store: Store) -> None:
    """A database error half-way through a batch leaves nothing of the batch behind."""
    store.add_processed(harbour_story()[:1])
    before = store.counts()
    doomed = report("desk/9", "Desk", None, [Quote("It will hold", "Engineer Ana Brill", "said")])
    original = store._add_parts

    def fail_late(*args: object, **kwargs: object) -> None:
        original(*args, **kwargs)  # type: ignore[arg-type]
        raise RuntimeError("disk on fire")

    store._add_parts = fail_late  # type: ignore[method-assign]
    with pytest.raises(RuntimeError):
        store.add_processed([doomed])
    store._add_parts = original  # type: ignore[method-assign]
    assert store.counts() == before
    # The in-memory alias index was dropped with the transaction: linking still works.
    assert store.add_processed([doomed]).articles_added == 1
    assert store.actors("Brill")[0].statements == 1


def test_the_hash_covers_everything_the_input_said() -> None:
    base = Article("a/1", "Text.", "2024-01-01", "Desk", "T", {"k": 1})
    variants = [
        dataclasses.replace(base, doc_id="a/2"),
        dataclasses.replace(base, text="Text!"),
        dataclasses.replace(base, date="2024-01-02"),
        dataclasses.replace(base, outlet="Other"),
        dataclasses.replace(base, title=None),
        dataclasses.replace(base, meta={"k": 2}),
    ]
    hashes = {article_hash(v) for v in variants}
    assert article_hash(base) not in hashes and len(hashes) == len(variants)
    assert article_hash(base) == article_hash(dataclasses.replace(base, meta={"k": 1}))


def test_two_writers_at_once_store_each_article_once(store_url: str) -> None:
    """Two processes ingesting overlapping inputs: the loser of a race retries and skips."""
    import threading

    Store.open(store_url).close()
    batches = [
        [report(f"race/{i}", "Desk", None, [Said(f"Clerk Ivo Marr{i % 3}", "said", f"item {i}")])]
        for i in range(30)
    ]
    errors: list[BaseException] = []

    def write() -> None:
        try:
            with Store.open(store_url) as mine:
                for batch in batches:
                    mine.add_processed(batch)
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=write) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    with Store.open(store_url) as store:
        counts = store.counts()
        assert (counts["articles"], counts["statements"]) == (30, 30)
