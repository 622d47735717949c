"""The learned attributor (quotetrace.Attributor.v2): its model file, the token tagger, training.

Parses are built by hand where no model is needed; the training test parses four short
fictional articles with the real pipeline.
"""

from __future__ import annotations

import json
import pickle
from pathlib import Path

import pytest
import spacy
from spacy.tokens import Doc

from quotetrace.errors import ModelError
from quotetrace.nlp.extractor import Candidate
from quotetrace.nlp.learned import SEQUENCE_FILE, AttributionModel
from quotetrace.nlp.sequence import (
    SequenceTagger,
    fit_calibration,
    gold_tags,
    token_features,
    token_range,
    train_tagger,
)
from quotetrace.nlp.source_linker import LinkOption, SourceLinker, link_options
from quotetrace.nlp.training import fit_logistic

VOCAB = spacy.blank("en").vocab
LEMMAS = {"said": "say", "will": "will"}


def _doc(words: list[str], heads: list[int], deps: list[str], pos: list[str]) -> Doc:
    doc = Doc(VOCAB, words=words, heads=heads, deps=deps, pos=pos, sent_starts=None)
    for tok in doc:
        tok.lemma_ = LEMMAS.get(tok.lower_, tok.lower_)
    return doc


# "The mayor of Orlen said the bridge will reopen ." — parsed by hand.
WORDS = ["The", "mayor", "of", "Orlen", "said", "the", "bridge", "will", "reopen", "."]
HEADS = [1, 4, 1, 2, 4, 6, 8, 8, 4, 4]
DEPS = ["det", "nsubj", "prep", "pobj", "ROOT", "det", "nsubj", "aux", "ccomp", "punct"]
POS = ["DET", "NOUN", "ADP", "PROPN", "VERB", "DET", "NOUN", "AUX", "VERB", "PUNCT"]


def _sentence() -> Doc:
    return _doc(WORDS, HEADS, DEPS, POS)


def _candidate(doc: Doc, confidence: float) -> Candidate:
    return Candidate(
        content=(doc[5].idx, doc[8].idx + len(doc[8].text)),
        source=(0, 2),
        cue=(4, 5),
        rule="clause",
        confidence=confidence,
        source_head=1,
        cue_head=4,
    )


def test_token_features_show_the_parse_and_the_candidates() -> None:
    doc = _sentence()
    feats = token_features(doc, [_candidate(doc, 0.83)])
    assert len(feats) == len(doc)
    assert "w=said" in feats[4] and "lex=speech" in feats[4]
    assert "cov0=cue|8" in feats[4]
    assert "cov0=B|8" in feats[5]  # the content's first token, a candidate scored 0.8x
    assert "cov0=src|8" in feats[1]
    assert "anc=>ccomp|speech" in feats[8]  # the clause hangs on a verb of saying
    assert "cov=none" in feats[3] or any(f.startswith("cov0=") for f in feats[3])
    assert "-1:pad" in feats[0] and "1:pad" in feats[-1]


def test_gold_tags_content_wins_over_its_frame() -> None:
    doc = _sentence()
    content = (doc[5].idx, doc[8].idx + len(doc[8].text))
    tags = gold_tags(doc, [(content, (doc[0].idx, doc[1].idx + 5))], [(doc[4].idx, doc[4].idx + 4)])
    assert tags == ["S", "S", "O", "O", "C", "B", "I", "I", "I", "O"]
    # A frame inside the content (an interrupted quotation) stays content.
    whole = (doc[0].idx, doc[8].idx + len(doc[8].text))
    tags = gold_tags(doc, [(whole, (doc[0].idx, doc[1].idx + 5))], [None])
    assert tags[:9] == ["B"] + ["I"] * 8


def _trained_tagger(tmp_path: Path) -> SequenceTagger:
    """A CRF fitted on the hand-parsed sentence, where the candidate is missing from the input.

    With no candidate to lean on, the tagger must learn the report from the parse alone.
    """
    doc = _sentence()
    content = (doc[5].idx, doc[8].idx + len(doc[8].text))
    tags = gold_tags(doc, [(content, (doc[0].idx, doc[1].idx + 5))], [(doc[4].idx, doc[4].idx + 4)])
    plain = _doc(
        ["The", "bridge", "will", "reopen", "."],
        [1, 3, 3, 3, 3],
        ["det", "nsubj", "aux", "ROOT", "punct"],
        ["DET", "NOUN", "AUX", "VERB", "PUNCT"],
    )
    sequences = [(token_features(doc, []), tags), (token_features(plain, []), ["O"] * 5)] * 5
    path = tmp_path / SEQUENCE_FILE
    train_tagger(sequences, path, max_iterations=50)
    return SequenceTagger(path.read_bytes(), 0.5)


def test_tagger_adds_a_report_the_candidates_missed_and_links_its_source(tmp_path: Path) -> None:
    tagger = _trained_tagger(tmp_path)
    doc = _sentence()
    spans, sources = tagger.tag(doc, [])
    assert [doc.text[s.content[0] : s.content[1]] for s in spans] == ["the bridge will reopen"]
    assert sources == [(0, 2)]
    added = tagger.add_reports(doc, [], [])
    assert len(added) == 1
    assert added[0].rule == "sequence" and added[0].source == (0, 2)
    assert 0.5 <= added[0].confidence <= 1.0
    # A kept candidate with the same content is the same report: nothing is added.
    kept = [_candidate(doc, 0.9)]
    assert tagger.add_reports(doc, kept, kept) == kept
    # Below the threshold nothing is added either.
    assert tagger.add_reports(doc, [], [], threshold=1.01) == []


def test_calibration_follows_how_often_spans_were_right() -> None:
    # Spans of tag probability 0.9 were right 3 times in 4; of 0.6, once in 4.
    points = ([(0.9, 1)] * 3 + [(0.9, 0)] + [(0.6, 1)] + [(0.6, 0)] * 3) * 20
    a, b = fit_calibration(points)
    assert a > 0
    tagger = SequenceTagger(b"", 0.5, (a, b))
    assert tagger.confidence(0.9) == pytest.approx(0.75, abs=0.02)
    assert tagger.confidence(0.6) == pytest.approx(0.25, abs=0.02)
    assert SequenceTagger(b"", 0.5).confidence(0.7) == 0.7  # uncalibrated: the tag probability
    one_class = fit_calibration([(0.8, 1)] * 5)  # finite, and the same every time
    assert all(abs(v) < 100 for v in one_class) and one_class == fit_calibration([(0.8, 1)] * 5)


def test_tagger_pickles_without_its_open_handle(tmp_path: Path) -> None:
    tagger = _trained_tagger(tmp_path)
    tagger.tag(_sentence(), [])
    copy = pickle.loads(pickle.dumps(tagger))
    assert copy.model == tagger.model and copy.threshold == tagger.threshold
    assert copy.tag(_sentence(), [])[1] == [(0, 2)]


def test_model_file_round_trip_with_its_tagger(tmp_path: Path) -> None:
    (tmp_path / "t").mkdir()
    tagger = _trained_tagger(tmp_path / "t")
    tagger.calibration = (4.0, -3.0)
    model = AttributionModel({"lemma=say": 1.5}, -0.5, 0.4, {"note": "toy"}, sequence=tagger)
    out = tmp_path / "model"
    out.mkdir()
    model.save(out / "attributor-v2.json")
    assert (out / SEQUENCE_FILE).read_bytes() == tagger.model
    loaded = AttributionModel.load(out)
    assert loaded.weights == {"lemma=say": 1.5} and loaded.threshold == 0.4
    assert loaded.sequence is not None and loaded.sequence.threshold == tagger.threshold
    assert loaded.sequence.calibration == (4.0, -3.0)
    (out / SEQUENCE_FILE).unlink()
    with pytest.raises(ModelError, match=r"attributor-v2\.crf"):
        AttributionModel.load(out)


def _options(
    content: tuple[int, int], frames: list[Candidate], sources: list[tuple[int, int]]
) -> dict[tuple[int, int] | None, LinkOption]:
    doc = _sentence()
    ranges = [(token_range(doc, c.content), c) for c in frames]
    current = frames[0].source if frames else (sources[0] if sources else None)
    return {o.source: o for o in link_options(doc, content, ranges, sources, current)}


def test_link_options_merge_every_way_a_source_is_found() -> None:
    doc = _sentence()
    # The frame over the same words, the source tokens the tagger marked, and the subject of
    # the governing verb are one mention: one option that knows all three.
    options = _options((5, 9), [_candidate(doc, 0.3)], [(0, 2)])
    assert set(options) == {(0, 2), None}
    both = options[(0, 2)].features
    assert {"F", "S", "SYN", "cur", "types=F+S+SYN", "gov=True|nsubj"} <= set(both)
    assert options[(0, 2)].frame is not None and options[None].frame is None
    assert "NONE" in options[None].features
    # With nothing marked, the governing verb's subject still is one ("The mayor of Orlen").
    options = _options((5, 9), [], [])
    assert set(options) == {(0, 4), None}
    assert "types=SYN" in options[(0, 4)].features
    # A speaker inside the content (a frame inside a quotation) is one too.
    options = _options((0, 9), [], [])
    assert "IN|lex=speech" in options[(0, 4)].features


def test_linker_picks_the_best_scored_source(tmp_path: Path) -> None:
    options = list(_options((5, 9), [], [(0, 2)]).values())
    assert SourceLinker({"NONE": 2.0}, 0.0).pick(options).source is None
    assert SourceLinker({"S": 2.0}, 0.0).pick(options).source == (0, 2)
    # Inside the tagger: the added report takes the linker's choice.
    tagger = _trained_tagger(tmp_path)
    tagger.linker = SourceLinker({"NONE": 2.0}, 0.0)
    added = tagger.add_reports(_sentence(), [], [])
    assert len(added) == 1 and added[0].source is None and added[0].cue is None
    tagger.linker = SourceLinker({"SYN": 2.0}, 0.0)
    assert tagger.add_reports(_sentence(), [], [])[0].source == (0, 2)  # merged with S
    # The model file keeps the linker.
    model = AttributionModel({"lemma=say": 1.5}, -0.5, 0.4, sequence=tagger)
    model.save(tmp_path / "attributor-v2.json")
    loaded = AttributionModel.load(tmp_path)
    assert loaded.sequence is not None and loaded.sequence.linker == tagger.linker


def test_model_file_errors_name_the_file(tmp_path: Path) -> None:
    bad = tmp_path / "attributor-v2.json"
    bad.write_text("{not json")
    with pytest.raises(ModelError, match=r"attributor-v2\.json"):
        AttributionModel.load(bad)
    bad.write_text(json.dumps({"format": "something-else"}))
    with pytest.raises(ModelError, match="not a quotetrace v2 model"):
        AttributionModel.load(bad)
    bad.write_text(json.dumps({"format": "quotetrace.Attributor.v2", "feature_version": -1}))
    with pytest.raises(ModelError, match="feature version -1"):
        AttributionModel.load(bad)


def test_packaged_model_loads_with_its_tagger() -> None:
    model = AttributionModel.load(None)
    assert model.weights and 0.0 < model.threshold < 1.0
    if model.meta.get("tagger"):
        assert model.sequence is not None and 0.0 < model.sequence.threshold < 1.0


def test_fit_logistic_separates_and_is_reproducible() -> None:
    rows = [[0], [0], [0, 2], [1], [1], [1, 2]]
    labels = [1, 1, 1, 0, 0, 0]
    w1, b1 = fit_logistic(rows, labels, 3, 0.5)
    w2, b2 = fit_logistic(rows, labels, 3, 0.5)
    assert (w1, b1) == (w2, b2)
    assert w1[0] > 0 > w1[1]
    assert abs(w1[2]) < abs(w1[0])  # seen on both sides: little evidence either way


ARTICLES = [
    (
        "VELMORA, March 3 (Tidewire) - The harbour minister, Ona Brask, said the new pier would "
        "open in May. Critics said the budget was too small.",
        [("the new pier would open in May", "said"), ("the budget was too small", "said")],
    ),
    (
        "ORLEN, March 4 (Gazette) - Mayor Tomas Ilic said the bridge would reopen on Friday. "
        "The council, he added, had approved the repairs.",
        [
            ("the bridge would reopen on Friday", "said"),
            ("The council, he added, had approved the repairs", "added"),
        ],
    ),
    (
        "KESTRA, March 5 (Tidewire) - Union leader Mara Voss warned that dock workers would "
        "strike. Port officials said talks would continue.",
        [("that dock workers would strike", "warned"), ("talks would continue", "said")],
    ),
    (
        "VELMORA, March 6 (Gazette) - Ona Brask told reporters the ferry fares would fall. "
        "Residents said the change was welcome.",
        [("the ferry fares would fall", "told"), ("the change was welcome", "said")],
    ),
]


def _gold_jsonl(path: Path) -> None:
    """The fictional articles above with their gold content and cue spans (no sources)."""
    lines = []
    for n, (text, reports) in enumerate(ARTICLES):
        atts = []
        for content, cue in reports:
            start = text.index(content)
            at = text.rindex(cue, 0, start + len(content))
            atts.append(
                {
                    "content": [start, start + len(content)],
                    "source": None,
                    "cue": [at, at + len(cue)],
                }
            )
        lines.append(json.dumps({"doc_id": f"fiction/{n}", "text": text, "attributions": atts}))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


@pytest.mark.model
def test_training_writes_a_loadable_model_and_is_deterministic(tmp_path: Path) -> None:
    from quotetrace.nlp.training import train_model

    gold = tmp_path / "gold.jsonl"
    _gold_jsonl(gold)
    first = train_model(str(gold), str(gold), tmp_path / "a", l2_grid=(1.0,), min_count=1)
    train_model(str(gold), str(gold), tmp_path / "b", l2_grid=(1.0,), min_count=1)
    a = sorted(p.name for p in (tmp_path / "a").iterdir())
    assert "attributor-v2.json" in a
    for name in a:
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes()
    model = AttributionModel.load(tmp_path / "a")
    assert first.positives > 0 and first.dev["partial_f1"] > 0.5
    assert model.meta["examples"] == first.examples
