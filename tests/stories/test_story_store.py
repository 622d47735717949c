"""Story ids in the store: written once, kept stable, new articles join by dateline window."""

from __future__ import annotations

from dataclasses import replace

from story_helpers import story_docs

from quotetrace.models import ProcessedArticle
from quotetrace.store import Store
from quotetrace.stories.evaluation import GoldSet
from quotetrace.stories.store_sync import stored_story_reports, update_store_stories


def _renamed(p: ProcessedArticle, doc_id: str, outlet: str) -> ProcessedArticle:
    return replace(p, article=replace(p.article, doc_id=doc_id, outlet=outlet))


def test_update_is_incremental_and_idempotent(gold: GoldSet, store_url: str) -> None:
    with Store.open(store_url) as store:
        store.add_processed(gold.articles)
        first = update_store_stories(store)
        assert first.new_articles == len(gold.articles) and first.seeded_articles == 0
        assert first.stories == len(set(gold.story_of.values()))
        assert update_store_stories(store).articles_written == 0

        lune = story_docs(gold, "lune-dam")
        stored_id = store.article_by_doc_id(lune[0].article.doc_id).story_id  # type: ignore[union-attr]
        rewrite = _renamed(lune[1], "harbour-times-2024-03-11.txt", "Harbour Times")
        store.add_processed([rewrite])
        update = update_store_stories(store)
        assert update.new_articles == 1 and update.articles_written == 1
        # Only the stored articles within two weeks of the new one are read back.
        march = [p for p in gold.articles if (p.article.date or "").startswith("2024-03")]
        assert update.seeded_articles == len(march)
        joined = store.article_by_doc_id("harbour-times-2024-03-11.txt")
        assert joined is not None and joined.story_id == stored_id


def test_stored_reports_group_by_story(gold: GoldSet, store_url: str) -> None:
    with Store.open(store_url) as store:
        store.add_processed(gold.articles)
        update_store_stories(store)
        reports = stored_story_reports(store, min_articles=2)
        sizes = sorted(len(r["doc_ids"]) for r in reports)
        gold_sizes = sorted(
            n
            for n in (list(gold.story_of.values()).count(s) for s in set(gold.story_of.values()))
            if n >= 2
        )
        assert sizes == gold_sizes
        one = stored_story_reports(store, story_id=reports[0]["story_id"])
        assert [r["story_id"] for r in one] == [reports[0]["story_id"]]
