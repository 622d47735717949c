"""The coreference component (quotetrace_coref): mentions, linking, names, serialisation.

Parses are built by hand where no spaCy model is needed (the packaged weights are used as
shipped); the model-marked tests run the real pipeline on short fictional articles.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import spacy
from spacy.tokens import Doc

from quotetrace.coref import entity_at
from quotetrace.coref.component import CorefComponent
from quotetrace.coref.mentions import NAME, NOMINAL, PRONOUN, detect_mentions
from quotetrace.coref.model import CorefModel
from quotetrace.coref.training import align, fit, read_gum
from quotetrace.errors import ConfigError, ModelError

NLP = spacy.blank("en")
MODEL = CorefModel.load()
LEMMAS = {"said": "say", "met": "meet", "thanked": "thank", "was": "be", "would": "would"}

Token = tuple[str, int, str, str, str, str]  # word, head, dep, pos, tag, entity IOB


def _doc(tokens: list[Token], sent_starts: list[int]) -> Doc:
    words = [t[0] for t in tokens]
    doc = Doc(
        NLP.vocab,
        words=words,
        heads=[t[1] for t in tokens],
        deps=[t[2] for t in tokens],
        pos=[t[3] for t in tokens],
        tags=[t[4] for t in tokens],
        ents=[t[5] for t in tokens],
        lemmas=[LEMMAS.get(w.lower(), w.lower()) for w in words],
        sent_starts=[i in sent_starts for i in range(len(words))],
    )
    return doc


# "Ana Ruiz met Tom Lee . She said he was late . Lee , the agency chief , thanked Ruiz ."
TWO_PEOPLE: list[Token] = [
    ("Ana", 1, "compound", "PROPN", "NNP", "B-PERSON"),
    ("Ruiz", 2, "nsubj", "PROPN", "NNP", "I-PERSON"),
    ("met", 2, "ROOT", "VERB", "VBD", "O"),
    ("Tom", 4, "compound", "PROPN", "NNP", "B-PERSON"),
    ("Lee", 2, "dobj", "PROPN", "NNP", "I-PERSON"),
    (".", 2, "punct", "PUNCT", ".", "O"),
    ("She", 7, "nsubj", "PRON", "PRP", "O"),
    ("said", 7, "ROOT", "VERB", "VBD", "O"),
    ("he", 9, "nsubj", "PRON", "PRP", "O"),
    ("was", 7, "ccomp", "AUX", "VBD", "O"),
    ("late", 9, "acomp", "ADJ", "JJ", "O"),
    (".", 7, "punct", "PUNCT", ".", "O"),
    ("Lee", 18, "nsubj", "PROPN", "NNP", "B-PERSON"),
    (",", 12, "punct", "PUNCT", ",", "O"),
    ("the", 16, "det", "DET", "DT", "O"),
    ("agency", 16, "compound", "NOUN", "NN", "O"),
    ("chief", 12, "appos", "NOUN", "NN", "O"),
    (",", 12, "punct", "PUNCT", ",", "O"),
    ("thanked", 18, "ROOT", "VERB", "VBD", "O"),
    ("Ruiz", 18, "dobj", "PROPN", "NNP", "B-PERSON"),
    (".", 18, "punct", "PUNCT", ".", "O"),
]

# "The company said it would close ."
COMPANY: list[Token] = [
    ("The", 1, "det", "DET", "DT", "O"),
    ("company", 2, "nsubj", "NOUN", "NN", "O"),
    ("said", 2, "ROOT", "VERB", "VBD", "O"),
    ("it", 5, "nsubj", "PRON", "PRP", "O"),
    ("would", 5, "aux", "AUX", "MD", "O"),
    ("close", 2, "ccomp", "VERB", "VB", "O"),
    (".", 2, "punct", "PUNCT", ".", "O"),
]

# "Imam Sayyed Ali Khamenei spoke ."
HONORIFIC: list[Token] = [
    ("Imam", 3, "compound", "PROPN", "NNP", "B-PERSON"),
    ("Sayyed", 3, "compound", "PROPN", "NNP", "I-PERSON"),
    ("Ali", 3, "compound", "PROPN", "NNP", "I-PERSON"),
    ("Khamenei", 4, "nsubj", "PROPN", "NNP", "I-PERSON"),
    ("spoke", 4, "ROOT", "VERB", "VBD", "O"),
    (".", 4, "punct", "PUNCT", ".", "O"),
]


def _two_people() -> Doc:
    return _doc(TWO_PEOPLE, [0, 6, 12])


def _resolved(doc: Doc) -> list[dict[str, Any]]:
    return CorefComponent(NLP, "quotetrace_coref", MODEL)(doc)._.coref_entities  # type: ignore[no-any-return]


def _entity_with_head(entities: list[dict[str, Any]], head: int) -> dict[str, Any]:
    [ent] = [e for e in entities if head in e["heads"]]
    return ent


def test_mentions_cover_names_nominals_and_pronouns() -> None:
    doc = _two_people()
    m = detect_mentions(doc)
    by_head = {int(h): int(f) for h, f in zip(m.head, m.form, strict=True)}
    assert by_head[1] == NAME and by_head[4] == NAME and by_head[19] == NAME
    assert by_head[6] == PRONOUN and by_head[8] == PRONOUN
    assert by_head[16] == NOMINAL
    # a name's span is the entity; a nominal's runs from its determiner to its head
    k = int(np.flatnonzero(m.head == 16)[0])
    assert (int(m.start[k]), int(m.end[k])) == (14, 17)
    assert 15 not in by_head  # "agency" is a compound modifier, not a mention of its own
    assert int(m.appos_of[k]) == int(np.flatnonzero(m.head == 12)[0])


def test_names_partial_names_and_pronouns_resolve_to_two_people() -> None:
    entities = _resolved(_two_people())
    people = [e for e in entities if e["label"] == "PERSON"]
    assert sorted(e["name"] for e in people) == ["Ana Ruiz", "Tom Lee"]
    ruiz = _entity_with_head(entities, 1)
    lee = _entity_with_head(entities, 4)
    assert 19 in ruiz["heads"], "the partial name 'Ruiz' joins 'Ana Ruiz'"
    assert 12 in lee["heads"], "the partial name 'Lee' joins 'Tom Lee'"
    assert 16 in lee["heads"], "the apposition 'the agency chief' is Lee"
    she, he = _entity_with_head(entities, 6), _entity_with_head(entities, 8)
    assert she["id"] != he["id"], "'she' and 'he' never end in one entity"
    assert she["named"] and he["named"]
    # every list of an entity runs in parallel, and offsets are the text's
    text = _two_people().text
    for ent in entities:
        assert len(ent["mentions"]) == len(ent["tokens"]) == len(ent["heads"]) == len(ent["forms"])
    lee_texts = [text[s:e] for s, e in lee["mentions"]]
    assert lee_texts[0] == "Tom Lee" and "the agency chief" in lee_texts
    assert [e["id"] for e in entities] == list(range(1, len(entities) + 1))
    firsts = [e["tokens"][0][0] for e in entities]
    assert firsts == sorted(firsts)


def test_an_unnamed_organisation_is_named_by_its_description() -> None:
    [ent] = _resolved(_doc(COMPANY, [0]))
    assert ent["name"] == "The company"
    assert ent["named"] is False
    assert ent["label"] == "ORG"
    assert ent["forms"] == ["nominal", "pronoun"]


def test_canonical_name_drops_honorifics() -> None:
    [ent] = _resolved(_doc(HONORIFIC, [0]))
    assert ent["name"] == "Ali Khamenei"
    assert ent["named"] is True


def test_entity_at_finds_heads_then_the_smallest_containing_mention() -> None:
    doc = _two_people()
    _resolved(doc)
    assert entity_at(doc, 4)["name"] == "Tom Lee"  # type: ignore[index]
    assert entity_at(doc, 3)["name"] == "Tom Lee"  # type: ignore[index]  # inside "Tom Lee"
    assert entity_at(doc, 15)["name"] == "Tom Lee"  # type: ignore[index]  # "the agency chief"
    assert entity_at(doc, 2) is None  # "met"


def test_entity_at_without_the_component_is_none() -> None:
    doc = _doc(COMPANY, [0])
    assert entity_at(doc, 1) is None


def test_component_bytes_and_disk_round_trip(tmp_path: Path) -> None:
    nlp = spacy.blank("en")
    nlp.add_pipe("quotetrace_coref")
    before = nlp.get_pipe("quotetrace_coref")(_two_people())._.coref_entities
    nlp.to_disk(tmp_path / "pipeline")
    loaded = spacy.load(tmp_path / "pipeline")
    assert loaded.pipe_names == ["quotetrace_coref"]
    assert loaded.get_pipe("quotetrace_coref")(_two_people())._.coref_entities == before
    component = nlp.get_pipe("quotetrace_coref")
    data = component.to_bytes()
    other = CorefComponent(nlp, "copy", MODEL).from_bytes(data)
    assert other.to_bytes() == data
    assert other(_two_people())._.coref_entities == before


def test_registered_model_reads_a_weights_directory(tmp_path: Path) -> None:
    (tmp_path / "coref-v1.json").write_text(MODEL.to_json(), encoding="utf-8")
    nlp = spacy.blank("en")
    nlp.add_pipe(
        "quotetrace_coref",
        config={"model": {"@misc": "quotetrace.Coref.v1", "weights": str(tmp_path)}},
    )
    assert nlp.get_pipe("quotetrace_coref").model.to_json() == MODEL.to_json()


def test_bad_weights_are_a_model_error(tmp_path: Path) -> None:
    bad = tmp_path / "coref-v1.json"
    bad.write_text("{not json", encoding="utf-8")
    with pytest.raises(ModelError, match=r"coref-v1\.json"):
        CorefModel.load(bad)
    other = json.loads(MODEL.to_json())
    other["features"] = other["features"][:-1]
    bad.write_text(json.dumps(other), encoding="utf-8")
    with pytest.raises(ModelError, match="another feature set"):
        CorefModel.load(bad)


def test_alignment_prefers_the_span_with_the_gold_head() -> None:
    gold = [((0, 17), (4, 7)), ((0, 11), (4, 11))]  # "the company's CEO" / "the company"
    pred = [(0, 11), (14, 17), (0, 17)]
    pairs = align(gold, pred)
    assert pairs[0] == 1 and pairs[2] == 0  # one-to-one: "the company" keeps its own gold


def test_fit_is_deterministic() -> None:
    from scipy.sparse import csr_matrix

    from quotetrace.coref.features import CATEGORIES, N_BASE

    rng = np.random.default_rng(7)
    dense = (rng.random((60, len(CATEGORIES) * N_BASE)) < 0.05).astype(float)
    y = (dense[:, 0] + dense[:, 1] > 0).astype(float)
    w1, b1 = fit(csr_matrix(dense), y, 1.0)
    w2, b2 = fit(csr_matrix(dense), y, 1.0)
    assert np.array_equal(w1, w2) and b1 == b2
    assert w1.shape == (len(CATEGORIES), N_BASE)


def test_read_gum_names_the_bad_line(tmp_path: Path) -> None:
    path = tmp_path / "gum.jsonl"
    path.write_text('{"doc_id": "a", "text": "x", "mentions": []}\n{"doc_id": 3}\n')
    with pytest.raises(ConfigError, match=r"gum\.jsonl:2"):
        read_gum(str(path))


ARTICLE = (
    "Councillor Mira Okafor opened the new library in Velmora on Monday. "
    "Okafor said she had waited ten years for it. Her deputy, Jon Bell, praised the builders. "
    "He said they had finished early. The council said it would open two more."
)


@pytest.mark.model
def test_pipeline_resolves_a_fictional_article(coref_nlp: Any) -> None:
    nlp = coref_nlp
    assert nlp.pipe_names.index("quotetrace_coref") < nlp.pipe_names.index("quotetrace")
    doc = nlp(ARTICLE)
    names = {e["name"]: e for e in doc._.coref_entities}
    okafor = names["Mira Okafor"]
    assert okafor["label"] == "PERSON"
    texts = [ARTICLE[s:e] for s, e in okafor["mentions"]]
    assert "Okafor" in texts and "she" in texts
    bell = names["Jon Bell"]
    assert "He" in [ARTICLE[s:e] for s, e in bell["mentions"]]
    she = ARTICLE.index(" she ") + 1
    token = next(t.i for t in doc if t.idx == she)
    assert entity_at(doc, token)["name"] == "Mira Okafor"  # type: ignore[index]


@pytest.mark.model
def test_pipeline_without_coref(monkeypatch: pytest.MonkeyPatch) -> None:
    from quotetrace.nlp.pipeline import load_pipeline

    monkeypatch.setenv("QUOTETRACE_COREF", "0")
    assert "quotetrace_coref" not in load_pipeline().pipe_names
    monkeypatch.delenv("QUOTETRACE_COREF")
    assert "quotetrace_coref" not in load_pipeline().pipe_names  # off by default


def test_entities_survive_a_docbin() -> None:
    from spacy.tokens import DocBin

    doc = _two_people()
    before = _resolved(doc)
    data = DocBin(docs=[doc], store_user_data=True).to_bytes()
    [back] = DocBin().from_bytes(data).get_docs(NLP.vocab)
    # msgpack gives tuples for lists; the content is the same
    assert json.loads(json.dumps(list(back._.coref_entities))) == before
