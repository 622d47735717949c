"""Stories: which articles report one event, and new articles joining stories incrementally."""

from __future__ import annotations

import random

from quotetrace.models import Article
from quotetrace.stories import (
    ClusteringParams,
    StoryIndex,
    article_features,
    assign_to_stories,
    cluster_articles,
    story_id_for,
)
from quotetrace.stories.clustering import parse_day
from quotetrace.stories.evaluation import GoldSet, pairwise_scores


def _partition(stories: dict[str, list[str]]) -> dict[str, str]:
    return {doc: story for story, docs in stories.items() for doc in docs}


def test_gold_stories_are_found(gold: GoldSet) -> None:
    scores = pairwise_scores(gold.story_of, _partition(cluster_articles(gold.articles)))
    assert scores["f1"] >= 0.9, scores


def test_same_speaker_other_event_stays_apart(gold: GoldSet) -> None:
    """Osterholt speaks about the dam a week later; Brenik presents a budget the next day."""
    story = _partition(cluster_articles(gold.articles))
    assert story["kaldora-herald-2024-03-19.txt"] != story["kaldora-herald-2024-03-11.txt"]
    assert story["velmar-wire-2024-03-12-budget.txt"] != story["velmar-wire-2024-03-11.txt"]
    assert story["selwyn-gazette-2024-09-13-festival.txt"] != story["selwyn-gazette-2024-09-14.txt"]
    assert story["estria-herald-2024-10-07-rail.txt"] != story["estria-herald-2024-10-07.txt"]
    # A wire story re-run five days later is still the story.
    assert story["sunday-digest-2024-02-10.txt"] == story["northline-science-2024-02-05.txt"]


def test_incremental_ingest_gives_the_batch_result(gold: GoldSet) -> None:
    articles = sorted(gold.articles, key=lambda p: (p.article.date or "", p.article.doc_id))
    batch = _partition(cluster_articles(articles))
    index = StoryIndex()
    first = assign_to_stories(articles[::2], index)
    second = assign_to_stories(articles[1::2], index)
    incremental = _partition(index.stories())
    assert pairwise_scores(batch, incremental)["f1"] == 1.0
    assert set(first) | set(second) == set(batch)


def test_story_id_comes_from_the_first_article(gold: GoldSet) -> None:
    index = StoryIndex()
    assign_to_stories(gold.articles, index)
    story = index.story_of("velmar-wire-2024-03-11.txt")
    members = index.stories()[story]
    first = min(members, key=lambda d: (parse_day(_date(gold, d)) or 0, d))
    assert story == story_id_for(first)


def _date(gold: GoldSet, doc_id: str) -> str | None:
    return next(p.article.date for p in gold.articles if p.article.doc_id == doc_id)


def test_known_story_ids_are_kept(gold: GoldSet) -> None:
    """Seeding with stored ids: new articles join them and the ids do not change."""
    lune = [p for p in gold.articles if gold.story_of[p.article.doc_id] == "lune-dam"]
    index = StoryIndex()
    for p in lune[:2]:
        index.add(p, story_id="stored-lune")
    assert index.story_of(lune[0].article.doc_id) == "stored-lune"
    assigned = assign_to_stories(lune[2:], index)
    assert set(assigned.values()) == {"stored-lune"}


def test_adding_an_article_twice_changes_nothing(gold: GoldSet) -> None:
    index = StoryIndex()
    assign_to_stories(gold.articles, index)
    before = index.stories()
    assign_to_stories(gold.articles[:5], index)
    assert index.stories() == before
    assert len(index) == len(gold.articles)


def _word(rng: random.Random, syllables: int) -> str:
    parts = ["ka", "lo", "mi", "ren", "tas", "vo", "dri", "nel", "sor", "pau", "zen", "qui"]
    parts += ["bar", "tel", "mon", "ux", "fra", "gil", "hos", "wen", "yar", "cle", "dun", "pri"]
    return "".join(rng.choice(parts) for _ in range(syllables))


def test_unrelated_synthetic_articles_stay_apart() -> None:
    """Random articles on the same days, with a few shared words and names, are no story."""
    rng = random.Random(3)
    vocabulary = [_word(rng, 3) for _ in range(4000)]
    names = [f"{_word(rng, 2).title()} {_word(rng, 3).title()}" for _ in range(1500)]
    articles = [
        Article(
            doc_id=f"doc{n}",
            text=" ".join(rng.choice(vocabulary) for _ in range(120))
            + ". "
            + " said ".join(rng.choice(names) for _ in range(4)),
            date=f"2024-01-{1 + n % 28:02d}",
        )
        for n in range(300)
    ]
    stories = cluster_articles(articles)
    assert len(stories) == len(articles)


def test_features_use_names_and_speakers(gold: GoldSet) -> None:
    feats = article_features(gold.articles[0])
    assert "osterholt" in feats.names and "brenik" in feats.names
    assert "osterholt" in feats.speakers
    assert feats.day == parse_day("2024-03-11")


def test_dateline_gap_separates_independent_reports() -> None:
    params = ClusteringParams()
    index = StoryIndex(params)
    text = "Minister Ana Lopes met President Rui Costa in Porto Alegre to discuss the port deal."
    a = article_features(Article("a", text, date="2024-01-01"))
    b = article_features(Article("b", text.replace("discuss", "debate"), date="2024-01-30"))
    assert index.link_score(a, b) == 0.0
    c = article_features(Article("c", text, date="2024-01-02"))
    assert index.link_score(a, c) >= params.link


def test_parse_day_accepts_iso_dates_only() -> None:
    assert parse_day("2023-11-06") == parse_day("2023-11-06T10:00:00")
    assert parse_day("Monday") is None
    assert parse_day(None) is None


def test_articles_without_words_stay_alone() -> None:
    articles = [Article(f"e{n}", "— … —", date="2024-01-01") for n in range(50)]
    articles += [Article("x", "", date=None)]
    assert len(cluster_articles(articles)) == len(articles)


def test_streaming_index_forgets_old_weeks_but_not_stories(gold: GoldSet) -> None:
    articles = sorted(gold.articles, key=lambda p: (p.article.date or "", p.article.doc_id))
    full = StoryIndex()
    streaming = StoryIndex(streaming=True)
    assign_to_stories(articles, full)
    assign_to_stories(articles, streaming)
    assert streaming.stories() == full.stories()
    assert len(streaming) == len(full) == len(articles)
    assert len(streaming.features) < len(full.features)  # months of articles were dropped
