"""Store-wide actor linking: spelling variants merge, different people stay apart, labels
come from every mention, and the result does not depend on the order of ingestion."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
from store_builders import Quote, Said, report

from quotetrace.models import ProcessedArticle
from quotetrace.store import Store
from quotetrace.store.actor_labels import choose_label
from quotetrace.store.actor_names import link_key, normalise_mention


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Volodymyr Zelensky", "Volodymyr Zelenskyy"),
        ("Volodymyr Zelenskiy", "Volodimir Zelensky"),
        ("Jean-Luc Marchand", "Jean Luc Marchand"),
        ("Zoë Ardent", "Zoe Ardent"),
        ("al-Sudani", "Al Sudani"),
        ("S. Rao", "S Rao"),
    ],
)
def test_spelling_variants_share_a_link_key(a: str, b: str) -> None:
    fa, fb = normalise_mention(a), normalise_mention(b)
    assert fa is not None and fb is not None
    assert link_key(fa.norm) == link_key(fb.norm)


@pytest.mark.parametrize(
    ("a", "b"),
    [("Serena Williams", "Rowan Williams"), ("Jean Marchand", "Joan Marchand")],
)
def test_different_people_keep_different_keys(a: str, b: str) -> None:
    assert link_key(a.casefold()) != link_key(b.casefold())


def _one(doc_id: str, outlet: str, source: str, content: str, **kw: str) -> ProcessedArticle:
    return report(doc_id, outlet, "2031-03-02", [Said(source, "said", content, **kw)])


def _actor_of(store: Store, doc_id: str) -> int | None:
    [st] = [s for s in store.statements() if s.doc_id == doc_id]
    return st.actor_id


def _variants() -> list[ProcessedArticle]:
    return [
        _one("v/1", "Lisvek Herald", "President Volodymyr Zelensky", "the bridge is open"),
        _one("v/2", "Harbor Press", "Volodymyr Zelenskyy", "the bridge will hold"),
        _one("v/3", "Meridian Post", "Volodymyr Zelenskyy", "the river is high"),
        _one("m/1", "Lisvek Herald", "Jean-Luc Marchand", "the port reopens"),
        _one("m/2", "Harbor Press", "Mayor Jean Luc Marchand", "the port is shut"),
        _one("r/1", "Lisvek Herald", "agency chief S. Rao", "the budget holds"),
        _one("r/2", "Harbor Press", "S Rao", "the budget is late"),
        _one("r/3", "Meridian Post", "Sunita Rao", "the budget passed"),
        _one("w/1", "Lisvek Herald", "Serena Williams", "the final was close"),
        _one("w/2", "Harbor Press", "Archbishop Rowan Williams", "the choir sang"),
        _one("w/3", "Meridian Post", "Williams", "the weather was kind"),
    ]


def test_variants_of_one_person_become_one_actor(store: Store) -> None:
    store.add_processed(_variants())
    zelensky = {_actor_of(store, d) for d in ("v/1", "v/2", "v/3")}
    marchand = {_actor_of(store, d) for d in ("m/1", "m/2")}
    rao = {_actor_of(store, d) for d in ("r/1", "r/2", "r/3")}
    assert len(zelensky) == len(marchand) == len(rao) == 1
    [z] = zelensky
    detail = store.actor(z or 0)
    assert detail is not None
    # The fullest name, and of two equally full ones the one more articles use.
    assert detail.summary.name == "Volodymyr Zelenskyy"
    assert detail.summary.label == "PERSON"
    [r] = rao
    assert store.actor(r or 0).summary.name == "Sunita Rao"  # type: ignore[union-attr]


def test_different_people_with_one_surname_stay_apart(store: Store) -> None:
    store.add_processed(_variants())
    serena, rowan, bare = (_actor_of(store, d) for d in ("w/1", "w/2", "w/3"))
    assert len({serena, rowan, bare}) == 3
    ids = {a.doc_id: a.id for a in store.articles()}
    # A story that holds both full names gives the bare surname to neither...
    store.set_story_ids(
        articles_to_story={ids["w/1"]: "s-both", ids["w/2"]: "s-both", ids["w/3"]: "s-both"}
    )
    assert _actor_of(store, "w/3") == bare
    # ... a story with only one of them gives it to her.
    store.set_story_ids(articles_to_story={ids["w/2"]: "s-rowan"})
    assert _actor_of(store, "w/3") == serena
    assert store.actor(bare or 0) is None  # the one-word actor had nothing else: folded in
    assert _actor_of(store, "w/2") == rowan


def test_an_initial_that_fits_two_people_links_to_neither(store: Store) -> None:
    store.add_processed(
        [
            _one("i/1", "Desk", "Sunita Rao", "the plan works"),
            _one("i/2", "Desk", "Sanjay Rao", "the plan fails"),
            _one("i/3", "Desk", "S. Rao", "the plan waits"),
        ]
    )
    assert len({_actor_of(store, d) for d in ("i/1", "i/2", "i/3")}) == 3


def test_a_full_name_contradicting_an_actor_starts_its_own(store: Store) -> None:
    store.add_processed(
        [
            _one("c/1", "Desk", "S. Rao", "the plan works"),
            _one("c/2", "Desk", "Sunita Rao", "the plan fails"),
            _one("c/3", "Desk", "Sanjay Rao", "the plan waits"),
        ]
    )
    first, second, third = (_actor_of(store, d) for d in ("c/1", "c/2", "c/3"))
    assert first == second != third


def test_a_surname_in_the_same_article_joins_the_full_name(store: Store) -> None:
    item = report(
        "a/1",
        "Desk",
        None,
        [
            Said("Coach Dana Okafor", "said", "the team is ready", speaker="Dana Okafor"),
            Quote("We train at dawn", "Okafor", "said", speaker="Okafor"),
        ],
    )
    store.add_processed([item])
    assert len({s.actor_id for s in store.statements()}) == 1


def _labelled() -> list[ProcessedArticle]:
    return [
        _one("l/1", "Desk", "Atlas Stadium", "the match goes ahead", label="PERSON"),
        _one("l/2", "Desk", "Harbor Workers Union", "the strike ends", label="PERSON"),
        _one("l/3", "Desk", "Harbor Workers Union", "the strike goes on", label="PERSON"),
        # A person an article's NER took for an organisation, twice; "he" says otherwise.
        _one("l/4", "Desk", "Tomas Brenner", "the deal is done", label="ORG"),
        _one("l/5", "Desk", "Tomas Brenner", "the deal is off", label="ORG"),
        report(
            "l/6",
            "Desk",
            None,
            [
                Said("Tomas Brenner", "said", "the talks resume"),
                Said("He", "said", "the talks end", speaker="Tomas Brenner"),
                Said("he", "added", "nobody won", speaker="Tomas Brenner"),
            ],
        ),
    ]


def test_labels_come_from_every_mention_with_priors(store: Store) -> None:
    store.add_processed(_labelled())
    labels = {s.doc_id: store.actor(s.actor_id or 0).summary.label for s in store.statements()}  # type: ignore[union-attr]
    assert labels["l/1"] == "FAC"
    assert labels["l/2"] == labels["l/3"] == "ORG"
    assert labels["l/4"] == labels["l/6"] == "PERSON"


@pytest.mark.parametrize(
    ("votes", "name", "label"),
    [
        ({"PERSON": 4}, "The Moon", "LOC"),
        ({"PERSON": 2}, "Sea Falcon ship", "PRODUCT"),
        ({"PERSON": 1, "ORG": 3}, "Mara Voss", "ORG"),
        ({"PERSON": 1, "ORG": 3, "he": 2}, "Mara Voss", "PERSON"),
        ({"PERSON": 3, "he": 1}, "Department of Roads", "ORG"),
        ({"PERSON": 1}, "NASA", "ORG"),
    ],
)
def test_label_priors(votes: dict[str, int], name: str, label: str) -> None:
    assert choose_label(Counter(votes), name) == label


def _partition(store: Store) -> tuple[set[frozenset[str]], dict[str, tuple[str, str]]]:
    groups: dict[int | None, set[str]] = {}
    named: dict[str, tuple[str, str]] = {}
    for st in store.statements():
        key = f"{st.doc_id}#{st.ordinal}"
        groups.setdefault(st.actor_id, set()).add(key)
        if st.actor_id is not None:
            detail = store.actor(st.actor_id)
            assert detail is not None
            named[key] = (detail.summary.name, detail.summary.label)
    return {frozenset(g) for g in groups.values()}, named


def test_order_of_ingestion_does_not_change_the_actors(store_url: str, tmp_path: Path) -> None:
    """Forward on each backend (then again: nothing changes), backward on a second SQLite
    store: the same statements share an actor, under the same name and label."""
    items = [*_variants(), *_labelled()]
    with Store.open(store_url) as forward:
        for item in items:
            forward.add_processed([item])
        ahead = _partition(forward)
        before = forward.counts()
        forward.add_processed(items)
        assert forward.counts() == before
        assert _partition(forward) == ahead
    with Store.open(str(tmp_path / "reverse.db")) as backward:
        for item in reversed(items):
            backward.add_processed([item])
        assert _partition(backward) == ahead
