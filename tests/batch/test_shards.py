"""Shards without a model: explicit schemas, empty shards, round trips, atomic writes."""

from __future__ import annotations

from pathlib import Path

import pyarrow.parquet as pq
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from quotetrace.batch import read_shard, write_shard
from quotetrace.batch.shards import TABLES, shard_file
from quotetrace.errors import ShardError
from quotetrace.models import Actor, Article, Attribution, ProcessedArticle

TEXT = (
    "“We will rebuild the bridge,” Mayor Corinne Haldane said on Monday. She said the toll is gone."
)


def _processed(doc_id: str = "gen/a/1", meta: dict[str, object] | None = None) -> ProcessedArticle:
    article = Article(doc_id, TEXT, "2026-03-02", "Harbour Post", "Bridge", meta or {"story": "e1"})
    direct = Attribution("direct", (1, 27), (30, 51), (52, 56), "Corinne Haldane", 0.93, 1)
    indirect = Attribution("indirect", (77, 93), (68, 71), (72, 76), "Corinne Haldane", 0.8, 1)
    orphan = Attribution("indirect", (77, 93), None, None, None, 0.4, None)
    actor = Actor(1, "Corinne Haldane", "PERSON", ((30, 51), (68, 71)))
    silent = Actor(2, "Harbour Council", "ORG", ())
    return ProcessedArticle(article, (direct, indirect, orphan), (actor, silent))


def test_round_trip_keeps_every_field(tmp_path: Path) -> None:
    items = [_processed("gen/a/1"), _processed("gen/a/2", {"split": "dev", "n": [1, 2]})]
    counts = write_shard(tmp_path, 3, items)
    assert (counts.articles, counts.statements, counts.mentions) == (2, 6, 6)
    assert read_shard(tmp_path, 3) == items


def test_statement_rows_carry_the_snippets(tmp_path: Path) -> None:
    write_shard(tmp_path, 0, [_processed()])
    rows = pq.read_table(shard_file(tmp_path, "statements", 0)).to_pylist()
    assert rows[0]["content"] == "We will rebuild the bridge"
    assert rows[0]["source"] == "Mayor Corinne Haldane"
    assert rows[0]["cue"] == "said"
    assert rows[2]["source"] is None and rows[2]["actor_id"] is None


def test_an_empty_shard_writes_valid_files_with_the_full_schema(tmp_path: Path) -> None:
    counts = write_shard(tmp_path, 7, [])
    assert (counts.articles, counts.statements, counts.mentions) == (0, 0, 0)
    for table, schema in TABLES.items():
        written = pq.read_table(shard_file(tmp_path, table, 7))
        assert written.num_rows == 0
        assert written.schema.equals(schema, check_metadata=False)
    assert read_shard(tmp_path, 7) == []


def test_articles_without_statements_leave_an_empty_statements_file(tmp_path: Path) -> None:
    quiet = ProcessedArticle(Article("gen/q/1", "The talks lasted three hours."), ())
    write_shard(tmp_path, 0, [quiet])
    assert pq.read_table(shard_file(tmp_path, "statements", 0)).num_rows == 0
    assert pq.read_table(shard_file(tmp_path, "articles", 0)).num_rows == 1
    assert read_shard(tmp_path, 0) == [quiet]


def test_a_write_that_fails_leaves_no_partial_files(tmp_path: Path) -> None:
    blocker = shard_file(tmp_path, "mentions", 1)
    blocker.mkdir(parents=True)  # a directory where the file must go: the rename fails
    with pytest.raises(ShardError, match="cannot write shard-00001"):
        write_shard(tmp_path, 1, [_processed()])
    leftovers = sorted(p.name for p in tmp_path.rglob("*") if p.is_file())
    assert leftovers == []


def test_reading_a_missing_shard_names_the_file(tmp_path: Path) -> None:
    with pytest.raises(ShardError, match=r"shard-00004\.parquet"):
        read_shard(tmp_path, 4)


_texts = st.text(min_size=1, max_size=60)


@settings(max_examples=40, deadline=None)
@given(
    texts=st.lists(_texts, min_size=0, max_size=4),
    outlet=st.none() | st.text(max_size=20),
    confidence=st.floats(min_value=0, max_value=1, allow_nan=False),
)
def test_round_trip_any_text(
    tmp_path_factory: pytest.TempPathFactory,
    texts: list[str],
    outlet: str | None,
    confidence: float,
) -> None:
    items = []
    for i, text in enumerate(texts):
        end = len(text)
        att = Attribution("mixed", (0, end), None, (0, min(1, end)), None, confidence)
        actor = Actor(i, text[:5], "PERSON", ((0, end),))
        items.append(ProcessedArticle(Article(f"d{i}", text, None, outlet), (att,), (actor,)))
    out = tmp_path_factory.mktemp("hyp")
    write_shard(out, 0, items)
    assert read_shard(out, 0) == items
