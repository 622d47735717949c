"""Statement alignment: one statement across outlets, and what must stay apart."""

from __future__ import annotations

from story_helpers import story_docs

from quotetrace.models import ProcessedArticle
from quotetrace.stories import StatementGroup, align_statements
from quotetrace.stories.actors import StoryActors, actor_surname
from quotetrace.stories.evaluation import GoldSet, score_alignment


def _group_of(groups: list[StatementGroup], doc_id: str, needle: str) -> StatementGroup:
    for group in groups:
        for m in group.members:
            if m.doc_id == doc_id and needle in m.text:
                return group
    raise AssertionError(f"no statement with {needle!r} in {doc_id}")


def test_gold_alignment_f1(gold: GoldSet) -> None:
    scores = score_alignment(gold)
    assert scores["f1"] >= 0.9, scores


def test_trimmed_paraphrased_and_reported_versions_align(gold: GoldSet) -> None:
    groups = align_statements(story_docs(gold, "lune-dam"))
    summer = _group_of(groups, "kaldora-herald-2024-03-11.txt", "ready to sign")
    # verbatim quote, trimmed quote, and the quote turned into reported speech
    assert set(summer.doc_ids) == {
        "kaldora-herald-2024-03-11.txt",
        "velmar-wire-2024-03-11.txt",
        "coastline-post-2024-03-12.txt",
        "northern-ledger-2024-03-12.txt",
    }
    gamble = _group_of(groups, "northern-ledger-2024-03-12.txt", "reckless gamble")
    assert "kaldora-herald-2024-03-11.txt" in gamble.doc_ids


def test_same_words_from_two_speakers_stay_apart(gold: GoldSet) -> None:
    """Solberg and Calder both announce the exchange: two statements, not one."""
    groups = align_statements(story_docs(gold, "prisoner-swap"))
    solberg = _group_of(groups, "dornland-post-2024-06-20.txt", "agreed on Thursday")
    calder = _group_of(groups, "trasvia-news-2024-06-20.txt", "would exchange 40")
    assert solberg is not calder


def test_one_version_per_article(gold: GoldSet) -> None:
    for story in set(gold.story_of.values()):
        for group in align_statements(story_docs(gold, story)):
            assert len(group.doc_ids) == len(set(group.doc_ids))


def test_unresolved_title_joins_the_named_actor(gold: GoldSet) -> None:
    """Valmont Courier's "the minister" is Serrat, whom two other outlets name."""
    docs = story_docs(gold, "valmont-strike")
    actors = StoryActors.build(docs)
    groups = align_statements(docs, actors)
    pressure = _group_of(groups, "valmont-courier-2024-10-07.txt", "negotiate under pressure")
    assert len(pressure.doc_ids) == 3
    assert pressure.actor is not None and actors.label(pressure.actor) == "Paulo Serrat"
    assert actors.same(("valmont-courier-2024-10-07.txt", "the minister"), pressure.actor)


def test_actor_surnames_drop_titles() -> None:
    assert actor_surname("Leader of the Islamic Revolution Imam Sayyed Ali Khamenei") == "khamenei"
    assert actor_surname("Al-Sudani") == actor_surname("Mohammed Shia al-Sudani") == "sudani"
    assert actor_surname("the minister") is None


def test_an_article_without_statements_gives_no_groups(by_doc: dict[str, ProcessedArticle]) -> None:
    p = by_doc["kaldora-herald-2024-03-11.txt"]
    bare = ProcessedArticle(p.article, ())
    assert align_statements([bare]) == []


def _with_actor(doc_id: str, name: str) -> ProcessedArticle:
    from quotetrace.models import Actor, Article

    text = f"{name} attended the meeting."
    return ProcessedArticle(
        Article(doc_id, text), (), (Actor(0, name, "PERSON", ((0, len(name)),)),)
    )


def test_a_one_word_name_joins_the_only_fuller_name() -> None:
    actors = StoryActors.build([_with_actor("a", "Ebrahim"), _with_actor("b", "Ebrahim Raisi")])
    assert actors.same(("a", "Ebrahim"), ("b", "Ebrahim Raisi"))
    assert actors.label(("a", "Ebrahim")) == "Ebrahim Raisi"


def test_a_one_word_name_shared_by_two_people_joins_neither() -> None:
    docs = [
        _with_actor("a", "Mohammed"),
        _with_actor("b", "Mohammed Sudani"),
        _with_actor("c", "Mohammed Karimi"),
    ]
    actors = StoryActors.build(docs)
    assert not actors.same(("a", "Mohammed"), ("b", "Mohammed Sudani"))
    assert not actors.same(("a", "Mohammed"), ("c", "Mohammed Karimi"))


def test_a_role_resolved_to_a_country_joins_the_named_person(gold: GoldSet) -> None:
    """The extractor made "the Velmari prime minister" the ORG "Velmari"; the article also
    names Tomas Brenik. The aligned statement makes the role Brenik all the same."""
    from dataclasses import replace

    from quotetrace.models import Actor

    docs = story_docs(gold, "lune-dam")
    ledger = next(p for p in docs if p.article.doc_id == "northern-ledger-2024-03-12.txt")
    text = ledger.article.text
    brenik = text.index("Tomas Brenik")
    attributions = tuple(
        replace(a, speaker="Velmari") if a.speaker == "Tomas Brenik" else a
        for a in ledger.attributions
    )
    role = next(a.source for a in attributions if a.speaker == "Velmari")
    assert role is not None
    actors_list = (
        *(a for a in ledger.actors if a.name != "Tomas Brenik"),
        Actor(90, "Tomas Brenik", "PERSON", ((brenik, brenik + len("Tomas Brenik")),)),
        Actor(91, "Velmari", "ORG", (role,)),
    )
    changed = replace(ledger, attributions=attributions, actors=actors_list)
    docs = [changed if p is ledger else p for p in docs]
    actors = StoryActors.build(docs)
    groups = align_statements(docs, actors)
    summer = _group_of(groups, "northern-ledger-2024-03-12.txt", "readiness to sign")
    assert len(summer.doc_ids) == 4
    assert actors.same(("northern-ledger-2024-03-12.txt", "Velmari"), summer.actor)  # type: ignore[arg-type]
