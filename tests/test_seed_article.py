"""The seed article: every statement found, each with its canonical speaker."""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

import pytest

SEED = (
    Path(__file__).resolve().parent.parent.parent / "shared" / "seed" / "islamtimes-2023-11-06.txt"
)

pytestmark = [
    pytest.mark.shared,
    pytest.mark.model,
    pytest.mark.skipif(not SEED.exists(), reason="../shared/seed is not present"),
]


@pytest.fixture(scope="module")
def seed(nlp: Any) -> Any:
    from quotetrace.ingest import iter_articles
    from quotetrace.nlp.pipeline import extract_articles

    [result] = extract_articles(iter_articles([str(SEED)]), nlp)
    return result


def test_the_same_as_a_record_whose_text_keeps_the_crawl_header(
    seed: Any, nlp: Any, tmp_path: Path
) -> None:
    import json

    from quotetrace.ingest import iter_articles
    from quotetrace.nlp.pipeline import extract_articles

    record = tmp_path / "seed.jsonl"
    text = SEED.read_text(encoding="utf-8")
    record.write_text(json.dumps({"doc_id": "seed", "text": text}) + "\n", encoding="utf-8")
    [result] = extract_articles(iter_articles([str(record)]), nlp)
    assert (result.article.date, result.article.outlet) == ("2023-11-06", "Islam Times")
    assert result.article.text == text  # offsets stay into the text as given
    as_record = [(a.speaker, result.snippet(a.content)) for a in result.attributions]
    as_file = [(a.speaker, seed.snippet(a.content)) for a in seed.attributions]
    assert as_record == as_file


def test_header_gives_date_and_outlet(seed: Any) -> None:
    assert seed.article.date == "2023-11-06"
    assert seed.article.outlet == "Islam Times"
    assert seed.article.text.startswith("Leader of the Islamic Revolution")


def test_all_eighteen_statements_with_their_speakers(seed: Any) -> None:
    speakers = Counter(a.speaker for a in seed.attributions)
    assert speakers == {"Ali Khamenei": 13, "Mohammed Shayyaa al-Sudani": 5}


@pytest.mark.parametrize(
    ("cue", "content_start", "speaker"),
    [
        ("said", "the United States is directly involved", "Ali Khamenei"),
        ("stressing", "that the Tel Aviv regime is the real loser", "Ali Khamenei"),
        ("expressed confidence", "that the Americans are definitely complicit", "Ali Khamenei"),
        ("said", "Since the very first days", "Ali Khamenei"),
        ("According to", "Iran and Iraq can have an effective role", "Ali Khamenei"),
        ("hailed", "the progress made in the economic", "Ali Khamenei"),
        ("advised", "both sides to continue the progress", "Ali Khamenei"),
        ("said", "Operation Al-Aqsa Flood was a heroic operation", "Mohammed Shayyaa al-Sudani"),
        ("described", "as a collective revenge", "Mohammed Shayyaa al-Sudani"),
        (
            "said",
            "The Iraqi government has made great political efforts",
            "Mohammed Shayyaa al-Sudani",
        ),
    ],
)
def test_statement(seed: Any, cue: str, content_start: str, speaker: str) -> None:
    found = [
        a
        for a in seed.attributions
        if seed.snippet(a.content).lstrip("‘“").startswith(content_start)
    ]
    assert found, f"no statement starting {content_start!r}"
    assert seed.snippet(found[0].cue) == cue
    assert found[0].speaker == speaker


def test_quote_is_direct_and_scare_quotes_are_not(seed: Any) -> None:
    kinds = {seed.snippet(a.content)[:20]: a.kind for a in seed.attributions}
    assert kinds["Since the very first"] == "direct"
    # ‘Israeli’ is a scare quote: the statement stays reported speech.
    assert kinds["the United States is"] == "indirect"
