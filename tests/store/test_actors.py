"""Actors across articles: names, titles and co-occurrence link speakers; people fix the rest."""

from __future__ import annotations

import pytest
from store_builders import Quote, Said, report

from quotetrace.errors import StoreError
from quotetrace.store import Store
from quotetrace.store.actor_names import mention_forms, normalise_mention


@pytest.mark.parametrize(
    ("surface", "norm", "kind"),
    [
        ("Ali Khamenei", "ali khamenei", "name"),
        ("Imam Khamenei", "khamenei", "name"),
        ("Ayatollah Ali Khamenei", "ali khamenei", "name"),
        (
            "Leader of the Islamic Revolution His Eminence Imam Sayyed Ali Khamenei",
            "ali khamenei",
            "name",
        ),
        ("Iran's Supreme Leader", "iran's supreme leader", "title"),
        ("Iran’s Supreme Leader", "iran's supreme leader", "title"),
        ("Iraqi Prime Minister Mohammed Shayyaa al-Sudani", "mohammed shayyaa al-sudani", "name"),
        ("The Iraqi prime minister", "iraqi prime minister", "title"),
        ("President Raisi", "raisi", "name"),
        ("Ursula von der Leyen", "ursula von der leyen", "name"),
        ("Hôtel-de-Ville spokeswoman Zoë Ardent", "zoe ardent", "name"),
    ],
)
def test_mentions_become_alias_keys(surface: str, norm: str, kind: str) -> None:
    form = normalise_mention(surface)
    assert form is not None
    assert (form.norm, form.kind) == (norm, kind)


@pytest.mark.parametrize(
    "surface",
    [
        "he",
        "She",
        "they",
        "the minister",
        "A spokesman",
        "Two officials",
        "His Eminence",
        "the President",
        "",
        "  ",
    ],
)
def test_pronouns_and_descriptions_give_no_alias(surface: str) -> None:
    assert normalise_mention(surface) is None


def test_a_title_before_a_name_is_an_alias_too() -> None:
    forms = mention_forms("Iran's Supreme Leader Ayatollah Ali Khamenei")
    assert [(f.norm, f.kind) for f in forms] == [
        ("ali khamenei", "name"),
        ("iran's supreme leader", "title"),
    ]


def test_organisations_keep_their_whole_name() -> None:
    form = normalise_mention("the Foreign Ministry", "ORG")
    assert form is not None and form.norm == "foreign ministry"


def _leader_coverage() -> list:  # type: ignore[type-arg]
    return [
        report(
            "voice/1",
            "Riverside Voice",
            "2023-11-06",
            [
                Said(
                    "Iran's Supreme Leader Ayatollah Ali Khamenei",
                    "said",
                    "the regime would not outlast the winter",
                    speaker="Ali Khamenei",
                ),
                Quote("Patience is our weapon", "Imam Khamenei", "said", "Ali Khamenei"),
            ],
        ),
        # Only the title: linked through the first article, where it stood before the name.
        report(
            "post/2",
            "Hill Post",
            "2023-11-08",
            [
                Said(
                    "Iran's Supreme Leader",
                    "said",
                    "talks with the regime in the west were pointless",
                    speaker="Iran's Supreme Leader",
                )
            ],
        ),
        # A spelling variant of the full name: fuzzy match.
        report(
            "times/3",
            "Valley Times",
            "2023-11-09",
            [Said("Ayatollah Ali Khamene'i", "said", "the winter would be hard")],
        ),
        # A surname alone: linked once a story puts it beside the full name.
        report("desk/4", "Desk", "2023-11-10", [Said("Khamenei", "said", "the gates stay shut")]),
        # Someone else entirely.
        report(
            "desk/5",
            "Desk",
            "2023-11-10",
            [Said("Mayor Ines Paro", "said", "the regime of tolls would end")],
        ),
    ]


def test_speakers_link_to_one_actor_across_articles(store: Store) -> None:
    store.add_processed(_leader_coverage())
    [leader_id] = store.resolve_speaker("Ali Khamenei")
    [bare] = [s for s in store.statements() if s.doc_id == "desk/4"]
    assert bare.actor_id != leader_id  # no story yet: which Khamenei is the context's call
    ids = {a.doc_id: a.id for a in store.articles()}
    store.set_story_ids(articles_to_story={ids["voice/1"]: "s-1", ids["desk/4"]: "s-1"})
    leader = store.resolve_speaker("Ali Khamenei")
    assert len(leader) == 1
    said = store.statements(actor_id=leader[0])
    assert [s.doc_id for s in said] == ["voice/1", "voice/1", "post/2", "times/3", "desk/4"]
    assert {s.actor_name for s in said} == {"Ali Khamenei"}
    assert store.resolve_speaker("Iran's Supreme Leader") == leader
    assert store.resolve_speaker("Imam Khamenei") == leader
    assert store.resolve_speaker(str(leader[0])) == leader
    paro = store.statements(speaker="Ines Paro")
    assert len(paro) == 1 and paro[0].actor_id not in leader
    regime = store.search(
        "regime", speaker="Iran's Supreme Leader", since="2023-11", until="2023-11"
    )
    assert {h.statement.doc_id for h in regime.hits} == {"voice/1", "post/2"}


def test_every_mention_keeps_its_surface_form_and_outlet(store: Store) -> None:
    store.add_processed(_leader_coverage())
    [leader] = store.resolve_speaker("Ali Khamenei")
    detail = store.actor(leader)
    assert detail is not None
    assert ("Hill Post", "Iran's Supreme Leader", 1) in detail.outlet_names
    assert ("Riverside Voice", "Imam Khamenei", 1) in detail.outlet_names
    assert ("Valley Times", "Ayatollah Ali Khamene'i", 1) in detail.outlet_names
    kinds = {a.norm: a.kind for a in detail.aliases}
    assert kinds["iran's supreme leader"] == "title"
    assert kinds["ali khamenei"] == "name"
    assert detail.summary.statements == 4  # the bare "Khamenei" of desk/4 waits for a story
    assert store.actors("khamen")[0].id == leader


def test_merge_moves_everything_and_later_ingests_follow(store: Store) -> None:
    store.add_processed(
        [
            report("a/1", "Desk", None, [Said("Chief engineer Ana Brill", "said", "it holds")]),
            report("a/2", "Desk", None, [Said("Anastasia Brill-Okoro", "said", "it leaks")]),
        ]
    )
    [brill] = store.resolve_speaker("Ana Brill")
    [okoro] = store.resolve_speaker("Anastasia Brill-Okoro")
    assert brill != okoro
    assert store.merge_actors(brill, [okoro]) == 1
    assert store.resolve_speaker("Anastasia Brill-Okoro") == (brill,)
    assert {s.actor_id for s in store.statements()} == {brill}
    assert store.actor(okoro) is None
    store.add_processed([report("a/3", "Desk", None, [Said("Anastasia Brill-Okoro", "said", "x")])])
    assert store.statements(article_id=store.articles()[-1].id)[0].actor_id == brill
    with pytest.raises(StoreError, match="no actor"):
        store.merge_actors(brill, [99_999])
    with pytest.raises(StoreError, match="nothing to merge"):
        store.merge_actors(brill, [brill])


def test_split_gives_a_title_and_its_statements_to_a_new_actor(store: Store) -> None:
    # The rules link "the Iraqi prime minister" to whoever held the title in the first
    # article; in a later article it is someone else, and a person splits it off.
    store.add_processed(
        [
            report(
                "i/1",
                "Desk",
                "2023-11-06",
                [
                    Said(
                        "Iraqi Prime Minister Hadi Amari",
                        "said",
                        "the border stays open",
                        speaker="Hadi Amari",
                    )
                ],
            ),
            report(
                "i/2",
                "Desk",
                "2031-01-01",
                [Said("The Iraqi Prime Minister", "said", "the border closes")],
            ),
        ]
    )
    [amari] = store.resolve_speaker("Hadi Amari")
    assert len(store.statements(actor_id=amari)) == 2
    with pytest.raises(StoreError, match="has no alias"):
        store.split_actor(amari, ["Prime Minister of Mars"])
    with pytest.raises(StoreError, match="empty"):
        store.split_actor(amari, ["Hadi Amari", "Iraqi Prime Minister"])
    new = store.split_actor(amari, ["Iraqi Prime Minister"], name="Iraqi prime minister (2031)")
    assert [s.content_text for s in store.statements(actor_id=amari)] == ["the border stays open"]
    assert [s.content_text for s in store.statements(actor_id=new)] == ["the border closes"]
    moved = store.actor(new)
    assert moved is not None and moved.summary.name == "Iraqi prime minister (2031)"
    assert [a.norm for a in moved.aliases] == ["iraqi prime minister"]
    store.rename_actor(new, "Lana Voe")
    assert store.resolve_speaker("Lana Voe") == (new,)


def test_alike_names_with_different_surnames_stay_apart(store: Store) -> None:
    store.add_processed(
        [
            report("b/1", "Desk", None, [Said("Judge Anna Berg", "said", "the case is closed")]),
            report("b/2", "Desk", None, [Said("Judge Anna Borg", "said", "the case is open")]),
            report("b/3", "Desk", None, [Said("Anna Marie Berg", "said", "the case is odd")]),
        ]
    )
    berg, borg = store.resolve_speaker("Anna Berg"), store.resolve_speaker("Anna Borg")
    assert len(berg) == len(borg) == 1 and berg != borg
    assert [s.doc_id for s in store.statements(actor_id=berg[0])] == ["b/1", "b/3"]
