"""Actors with their coreference chains (nlp/actor_chains.py): what the coreference component
adds to the speaker rules' actors, and how it travels through records."""

from __future__ import annotations

from typing import Any

import pytest
import spacy
from spacy.tokens import Doc

from quotetrace.coref.component import install_coref_extension
from quotetrace.models import Actor, Article
from quotetrace.nlp.actor_chains import with_coref_chains
from quotetrace.nlp.windows import WindowResult, join_windows

NLP = spacy.blank("en")
TEXT = "Mira Okafor opened it . She said Jon Bell helped her ."


def _span(word: str, nth: int = 0) -> list[int]:
    start = -1
    for _ in range(nth + 1):
        start = TEXT.index(word, start + 1)
    return [start, start + len(word)]


def _doc(entities: list[dict[str, Any]] | None) -> Doc:
    install_coref_extension()
    doc = NLP(TEXT)
    doc._.coref_entities = entities
    return doc


def _entity(name: str, label: str, mentions: list[list[int]], named: bool = True) -> dict[str, Any]:
    return {"id": 0, "name": name, "label": label, "named": named, "mentions": mentions}


RULE_ACTORS = [
    {"id": 0, "name": "Mira Okafor", "label": "PERSON", "mentions": [_span("Mira Okafor")]}
]


def test_without_the_component_the_actors_are_the_rules() -> None:
    assert with_coref_chains(_doc(None), RULE_ACTORS) is RULE_ACTORS


def test_an_actor_takes_the_rest_of_its_chain_and_a_named_one_is_added() -> None:
    okafor = _entity("Mira Okafor", "PERSON", [_span("Mira Okafor"), _span("She"), _span("her")])
    bell = _entity("Jon Bell", "PERSON", [_span("Jon Bell")])
    thing = _entity("it", "ORG", [_span("it")], named=False)
    out = with_coref_chains(_doc([okafor, bell, thing]), RULE_ACTORS)
    first, added = out
    assert first["mentions"] == [_span("Mira Okafor"), _span("She"), _span("her")]
    assert first["chain"] == [_span("She"), _span("her")]
    assert added == {
        "id": 1,
        "name": "Jon Bell",
        "label": "PERSON",
        "mentions": [_span("Jon Bell")],
        "chain": [_span("Jon Bell")],
    }
    assert RULE_ACTORS[0]["mentions"] == [_span("Mira Okafor")], "the input is not changed"


def test_people_interviewed_together_are_a_group_of_their_actors() -> None:
    # the component's entity for the "we" of an interview's two answerers names its members
    we = dict(
        _entity("Mira Okafor and Jon Bell", "PERSON", [_span("it")]),
        members=["Mira Okafor", "Jon Bell"],
    )
    bell = _entity("Jon Bell", "PERSON", [_span("Jon Bell")])
    out = with_coref_chains(_doc([we, bell]), RULE_ACTORS)
    [group] = [a for a in out if a["name"] == "Mira Okafor and Jon Bell"]
    [jon] = [a for a in out if a["name"] == "Jon Bell"]
    assert group["members"] == [0, jon["id"]], "the two people's actors, not the group itself"
    # a member the article has no actor for: no members (a name alone, as before)
    lone = dict(we, members=["Mira Okafor", "Ada Quist"])
    [alone] = [a for a in with_coref_chains(_doc([lone]), RULE_ACTORS) if "and" in a["name"]]
    assert "members" not in alone


def test_a_group_actor_never_takes_a_chain() -> None:
    group = [
        {
            "id": 0,
            "name": "Mira Okafor and Jon Bell",
            "label": "PERSON",
            "mentions": [_span("Mira Okafor")],
            "members": [1, 2],
        }
    ]
    okafor = _entity("Mira Okafor", "PERSON", [_span("Mira Okafor"), _span("She")])
    [same] = with_coref_chains(_doc([okafor]), group)
    assert same["mentions"] == [_span("Mira Okafor")] and "chain" not in same


def test_records_keep_the_chain_apart_from_the_rules_mentions() -> None:
    actor = Actor(0, "Mira Okafor", "PERSON", ((0, 11),), chain=((24, 27),))
    assert actor.to_json()["mentions"] == [[0, 11], [24, 27]]
    assert actor.to_json()["chain"] == [[24, 27]]
    assert "chain" not in Actor(0, "Mira Okafor", "PERSON", ((0, 11),)).to_json()
    # long articles: the windows' chains are shifted and joined like their mentions
    joined = join_windows(
        Article("a1", TEXT), [WindowResult(0, (), (actor,)), WindowResult(100, (), (actor,))]
    )
    [one] = joined.actors
    assert one.mentions == ((0, 11), (100, 111)) and one.chain == ((24, 27), (124, 127))


@pytest.mark.model
def test_extract_with_coreference_gives_each_actor_its_chain(coref_nlp: Any) -> None:
    from quotetrace.nlp.pipeline import extract_articles

    text = (
        "Councillor Mira Okafor opened the library on Monday. Okafor said the town had "
        "waited ten years. Her deputy thanked her."
    )
    [done] = extract_articles([Article("lib-1", text)], coref_nlp)
    [okafor] = [a for a in done.actors if "Okafor" in a.name]
    chain = [text[s:e] for s, e in okafor.chain]
    assert "her" in chain or "Her" in chain
    assert not set(okafor.chain) & set(okafor.mentions), "the rules' mentions stay apart"
    assert set(okafor.chain) <= {tuple(m) for m in okafor.to_json()["mentions"]}


def test_the_chain_comes_out_of_mentions_whether_lists_or_tuples() -> None:
    # JSON gives lists; a Doc back from another process (msgpack) may give tuples
    for spans in ([[0, 11], [24, 27]], [(0, 11), (24, 27)]):
        chain = [spans[1]]
        assert Actor.split_chain(spans, chain) == (((0, 11),), ((24, 27),))
    assert Actor.split_chain([[0, 11]], None) == (((0, 11),), ())
