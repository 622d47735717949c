"""Export to JSONL, CSV and Parquet: every current statement once, with the store's ids."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from store_builders import Said, harbour_story, report

from quotetrace.errors import StoreError
from quotetrace.models import ProcessedArticle
from quotetrace.store import Store
from quotetrace.store.export import PARQUET_COLUMNS, export_store


def _filled(store: Store) -> list[ProcessedArticle]:
    story = harbour_story()
    store.add_processed(story)
    # A superseded version must not be exported.
    store.add_processed(
        [
            report(
                story[2].article.doc_id, "Northern Wire", "2024-04-03", [Said("Voss", "said", "ok")]
            )
        ]
    )
    return story


def test_jsonl_has_one_format_md_record_per_current_article(store: Store, tmp_path: Path) -> None:
    story = _filled(store)
    target = tmp_path / "out.jsonl"
    assert export_store(store, "jsonl", target) == (3, 6)
    records = [json.loads(line) for line in target.read_text(encoding="utf-8").splitlines()]
    assert [r["doc_id"] for r in records] == [p.article.doc_id for p in story]
    first = records[0]
    assert first["text"] == story[0].article.text
    assert first["meta"]["outlet"] == "Lakeside Gazette"
    attribution = first["attributions"][0]
    assert set(attribution) >= {"kind", "content", "source", "cue", "speaker", "statement_id"}
    start, end = attribution["content"]
    assert first["text"][start:end] == "the vote on the ferry terminal would wait a month"
    assert records[2]["version"] == 2
    no_text = tmp_path / "no-text.jsonl"
    export_store(store, "jsonl", no_text, include_text=False)
    assert all("text" not in json.loads(line) for line in no_text.read_text().splitlines())


def test_csv_has_a_row_per_statement_with_actor_names(store: Store, tmp_path: Path) -> None:
    _filled(store)
    target = tmp_path / "out.csv"
    assert export_store(store, "csv", target) == (3, 6)
    with target.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == 6
    # The bare "Voss" of another article stays its own actor until a story puts it beside
    # "Mara Voss" (test_actor_linking).
    assert {r["actor"] for r in rows} == {"Mara Voss", "Teodor Lind", "Voss"}
    assert all(r["speaker_canonical"] == r["actor"] for r in rows)
    assert all(r["speaker_actor_id"] == r["actor_id"] for r in rows)
    assert rows[0]["content"] == "the vote on the ferry terminal would wait a month"
    assert len({r["statement_id"] for r in rows}) == 6


def test_parquet_is_typed_and_complete(store: Store, tmp_path: Path) -> None:
    _filled(store)
    target = tmp_path / "out.parquet"
    assert export_store(store, "parquet", target) == (3, 6)
    table = pq.read_table(target)
    assert table.num_rows == 6
    assert table.schema.names == [name for name, _ in PARQUET_COLUMNS]
    assert str(table.schema.field("content_start").type) == "int32"
    assert set(table.column("outlet").to_pylist()) == {
        "Lakeside Gazette",
        "Ellin Courier",
        "Northern Wire",
    }


def test_an_empty_store_exports_empty_but_valid_files(store: Store, tmp_path: Path) -> None:
    assert export_store(store, "parquet", tmp_path / "e.parquet") == (0, 0)
    assert pq.read_table(tmp_path / "e.parquet").num_rows == 0
    assert export_store(store, "jsonl", tmp_path / "e.jsonl") == (0, 0)
    assert (tmp_path / "e.jsonl").read_text() == ""


def test_a_failed_export_leaves_no_file(store: Store, tmp_path: Path) -> None:
    _filled(store)
    with pytest.raises(StoreError, match="unknown export format"):
        export_store(store, "xml", tmp_path / "out.xml")
    with pytest.raises(StoreError, match="does not exist"):
        export_store(store, "jsonl", tmp_path / "missing" / "out.jsonl")
    target = tmp_path / "keep.jsonl"
    target.write_text("previous export\n")

    def explode() -> None:
        raise RuntimeError("interrupted")

    original = store.iter_processed

    def failing(**kwargs: object):  # type: ignore[no-untyped-def]
        yield from original()
        explode()

    store.iter_processed = failing  # type: ignore[method-assign]
    with pytest.raises(RuntimeError):
        export_store(store, "jsonl", target)
    assert target.read_text() == "previous export\n"
    assert [p.name for p in tmp_path.iterdir() if "jsonl" in p.name] == ["keep.jsonl"]
