"""A story's report: names per outlet, the JSON shape, the evaluation script."""

from __future__ import annotations

import json

from story_helpers import story_docs

from quotetrace.models import Actor, Article, Attribution, ProcessedArticle
from quotetrace.stories import build_story_reports, story_report
from quotetrace.stories.evaluation import GoldSet, main, pairwise_scores


def test_names_each_outlet_used_for_speakers_and_others(gold: GoldSet) -> None:
    report = story_report("lune", story_docs(gold, "lune-dam"))
    names = report["names"]
    osterholt = names["Mira Osterholt"]
    assert "The Kaldoran leader" in osterholt["Velmar Wire Service"]
    assert "The president" in osterholt["Kaldora Herald"]
    assert "Osterholt" in osterholt["Northern Ledger"]
    brenik = names["Tomas Brenik"]
    assert "the Velmari prime minister" in brenik["Northern Ledger"]
    # Actors who never speak are listed too, with every outlet's wording.
    assert "Velmar" in names
    assert "the Velmari government" in names["Velmar"]["Kaldora Herald"]


def _said(doc_id: str, outlet: str, text: str, content: str, speaker: str) -> ProcessedArticle:
    start = text.index(content)
    source = text.index(speaker)
    att = Attribution(
        kind="indirect",
        content=(start, start + len(content)),
        source=(source, source + len(speaker)),
        cue=None,
        speaker=speaker,
        confidence=1.0,
    )
    actor = Actor(0, speaker, "PERSON", ((source, source + len(speaker)),))
    return ProcessedArticle(Article(doc_id, text, "2024-03-11", outlet), (att,), (actor,))


def test_names_come_from_comparison_not_from_a_list() -> None:
    """Two versions that differ by one name make the two names one actor's names."""
    a = _said(
        "a",
        "Kaldora Herald",
        "Mira Osterholt said the Tarrow regime cannot win the water war without foreign aid.",
        "the Tarrow regime cannot win the water war without foreign aid",
        "Mira Osterholt",
    )
    b = _said(
        "b",
        "Coastline Post",
        "Mira Osterholt said Velmar cannot win the water war without foreign aid.",
        "Velmar cannot win the water war without foreign aid",
        "Mira Osterholt",
    )
    report = story_report("s", [a, b])
    [group] = report["statements"]
    [_, version] = group["differences"]["versions"]
    assert version["changes"] == [
        {"op": "changed", "reference": "the Tarrow regime", "version": "Velmar"}
    ]
    names = report["names"]
    velmar = names.get("Velmar") or names["Tarrow"]
    assert velmar == {"Kaldora Herald": ["the Tarrow regime"], "Coastline Post": ["Velmar"]}


def test_report_json_shape(gold: GoldSet) -> None:
    reports = build_story_reports(gold.articles, min_articles=2)
    assert len(reports) == len({s for s in gold.story_of.values()}) - 6  # 6 single-article
    for report in reports:
        assert {"story_id", "title", "doc_ids", "statements", "names", "events"} <= set(report)
        docs = {p.article.doc_id: p for p in gold.articles}
        for statement in report["statements"]:
            assert "speaker" in statement and "differences" in statement
            for member in statement["members"]:
                start, end = member["content"]
                assert docs[member["doc_id"]].article.text[start:end] == member["text"]
    json.dumps(reports)  # serialisable as it is


def test_story_events_merge_reports_of_one_meeting(gold: GoldSet) -> None:
    report = story_report("lune", story_docs(gold, "lune-dam"))
    meetings = [e for e in report["events"] if e["type"] == "meeting"]
    assert len(meetings) == 1
    [meeting] = meetings
    assert {"Mira Osterholt", "Tomas Brenik"} <= set(meeting["participants"])
    assert meeting["place"] == "Ardenne" and meeting["date"] == "2024-03-11"
    assert len(meeting["reported_by"]) >= 3


def test_pairwise_scores() -> None:
    gold = {"a": "1", "b": "1", "c": "2", "d": "2"}
    assert pairwise_scores(gold, {"a": "x", "b": "x", "c": "y", "d": "y"})["f1"] == 1.0
    merged = pairwise_scores(gold, {"a": "x", "b": "x", "c": "x", "d": "x"})
    assert merged["recall"] == 1.0 and merged["precision"] == 2 / 6
    split = pairwise_scores(gold, {"a": "x", "b": "y", "c": "z", "d": "w"})
    assert split["recall"] == 0.0 and split["f1"] == 0.0


def test_evaluation_script_gates_at_0_9(capsys: object) -> None:
    from tests_paths import STORY_FIXTURES

    assert main(["--fixtures", str(STORY_FIXTURES), "--json"]) == 0
    out = json.loads(capsys.readouterr().out)  # type: ignore[attr-defined]
    assert out["clustering"]["f1"] >= 0.9 and out["alignment"]["f1"] >= 0.9
