"""``quotetrace stories``: from extracted JSONL, and from the store with incremental ids."""

from __future__ import annotations

import json
from pathlib import Path

from story_helpers import story_docs
from typer.testing import CliRunner

from quotetrace.cli import app
from quotetrace.models import ProcessedArticle
from quotetrace.store import Store
from quotetrace.stories.evaluation import GoldSet

runner = CliRunner()


def _write_jsonl(path: Path, items: list[ProcessedArticle]) -> Path:
    path.write_text(
        "".join(json.dumps(p.to_json(), ensure_ascii=False) + "\n" for p in items),
        encoding="utf-8",
    )
    return path


def test_help_has_an_example() -> None:
    result = runner.invoke(app, ["stories", "--help"])
    assert result.exit_code == 0
    assert "Example" in result.output


def test_json_from_extracted_records(gold: GoldSet, tmp_path: Path) -> None:
    path = _write_jsonl(tmp_path / "extracted.jsonl", gold.articles)
    result = runner.invoke(app, ["stories", str(path), "--format", "json"])
    assert result.exit_code == 0, result.output
    reports = json.loads(result.stdout)
    multi = {s for s in gold.story_of.values() if list(gold.story_of.values()).count(s) > 1}
    assert len(reports) == len(multi)
    lune = next(r for r in reports if "kaldora-herald-2024-03-11.txt" in r["doc_ids"])
    assert sorted(lune["doc_ids"]) == sorted(p.article.doc_id for p in story_docs(gold, "lune-dam"))
    member = lune["statements"][0]["members"][0]
    assert set(member) >= {"doc_id", "content"} and len(member["content"]) == 2


def test_table_puts_outlets_side_by_side(gold: GoldSet, tmp_path: Path) -> None:
    path = _write_jsonl(tmp_path / "lune.jsonl", story_docs(gold, "lune-dam"))
    result = runner.invoke(app, ["stories", str(path)], env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    header = next(
        line
        for line in result.stdout.splitlines()
        if "Kaldora Herald" in line and "Velmar Wire Service" in line
    )
    assert header
    assert "claimed" in result.stdout and "Names each outlet used" in result.stdout


def test_bad_record_names_the_line(gold: GoldSet, tmp_path: Path) -> None:
    path = _write_jsonl(tmp_path / "mixed.jsonl", story_docs(gold, "lune-dam"))
    with path.open("a", encoding="utf-8") as fh:
        fh.write('{"doc_id": "x", "text": "t", "attributions": [{"kind": "direct"}]}\n')
    result = runner.invoke(app, ["stories", str(path), "--format", "json"])
    assert result.exit_code == 0
    assert f"{path}:5" in result.stderr and "not an extracted record" in result.stderr
    assert len(json.loads(result.stdout)) == 1


def test_store_stories_are_stored_and_grow_incrementally(gold: GoldSet, tmp_path: Path) -> None:
    db = str(tmp_path / "news.db")
    lune = story_docs(gold, "lune-dam")
    others = [p for p in gold.articles if gold.story_of[p.article.doc_id] != "lune-dam"]
    with Store.open(db) as store:
        store.add_processed(lune[:2] + others)
    first = runner.invoke(app, ["stories", "--db", db, "--format", "json"])
    assert first.exit_code == 0, first.output
    assert "given a story id" in first.stderr
    story_id = next(
        r["story_id"] for r in json.loads(first.stdout) if lune[0].article.doc_id in r["doc_ids"]
    )

    with Store.open(db) as store:
        store.add_processed(lune[2:])
    second = runner.invoke(app, ["stories", "--db", db, "--format", "json", "--story", story_id])
    assert second.exit_code == 0, second.output
    [report] = json.loads(second.stdout)
    assert sorted(report["doc_ids"]) == sorted(p.article.doc_id for p in lune)
    assert "2 new article(s)" in second.stderr

    third = runner.invoke(app, ["stories", "--db", db, "--format", "json"])
    assert third.stderr == ""  # nothing new: nothing written
    with Store.open(db) as store:
        stored = {a.doc_id: a.story_id for a in store.articles()}
        statements = store.statements(story_id=story_id)
    assert {stored[p.article.doc_id] for p in lune} == {story_id}
    assert len(statements) == sum(len(p.attributions) for p in lune)
    assert stored["velmar-wire-2024-03-12-budget.txt"] != story_id


def test_recompute_gives_the_same_stories(gold: GoldSet, tmp_path: Path) -> None:
    db = str(tmp_path / "news.db")
    with Store.open(db) as store:
        store.add_processed(gold.articles)
    first = runner.invoke(app, ["stories", "--db", db, "--format", "json", "--min-articles", "1"])
    again = runner.invoke(
        app, ["stories", "--db", db, "--format", "json", "--min-articles", "1", "--recompute"]
    )
    assert first.exit_code == again.exit_code == 0
    ids = lambda out: sorted(sorted(r["doc_ids"]) for r in json.loads(out))  # noqa: E731
    assert ids(first.stdout) == ids(again.stdout)
    assert len(json.loads(first.stdout)) == len(set(gold.story_of.values()))


def test_no_articles_is_an_error(tmp_path: Path) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_text("", encoding="utf-8")
    result = runner.invoke(app, ["stories", str(empty)])
    assert result.exit_code == 1
    assert "Error:" in result.stderr


def test_missing_store_is_not_created(tmp_path: Path) -> None:
    db = tmp_path / "none.db"
    result = runner.invoke(app, ["stories", "--db", str(db)])
    assert result.exit_code == 1
    assert "there is no store" in result.stderr and "quotetrace ingest" in result.stderr
    assert not db.exists()
