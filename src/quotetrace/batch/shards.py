"""Parquet shards: what a batch run writes, one file per table per shard.

A batch output directory reads like three datasets and a manifest::

    OUT/
      manifest.json
      articles/shard-00000.parquet     one row per article (text and meta kept)
      statements/shard-00000.parquet   one row per attribution, with its snippets
      mentions/shard-00000.parquet     one row per actor mention

so ``pyarrow.dataset.dataset("OUT/statements")``, DuckDB or ``dask.dataframe.read_parquet``
read a table across every shard. The schemas are explicit: a shard whose articles hold no
statement still writes a valid, empty ``statements`` file with the same columns, so no reader
ever has to infer types from data that happens to be missing.

Files are written under a temporary name and renamed into place, and a failed write takes back
what it placed, so a shard's files are complete or absent; the manifest is what says a shard
is finished.
"""

from __future__ import annotations

import json
import os
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from ..errors import ShardError
from ..models import Actor, Article, Attribution, ProcessedArticle

__all__ = [
    "ARTICLES_SCHEMA",
    "MENTIONS_SCHEMA",
    "STATEMENTS_SCHEMA",
    "TABLES",
    "ShardCounts",
    "iter_processed",
    "read_shard",
    "shard_file",
    "shard_name",
    "shard_tables",
    "write_shard",
]

SHARD_FORMAT_VERSION = 1

ARTICLES_SCHEMA = pa.schema(
    [
        pa.field("doc_id", pa.string(), nullable=False),
        pa.field("position", pa.int32(), nullable=False),
        pa.field("date", pa.string()),
        pa.field("outlet", pa.string()),
        pa.field("title", pa.string()),
        pa.field("text", pa.large_string(), nullable=False),
        pa.field("meta_json", pa.string(), nullable=False),
        pa.field("n_statements", pa.int32(), nullable=False),
    ],
    metadata={"quotetrace.table": "articles", "quotetrace.version": str(SHARD_FORMAT_VERSION)},
)

STATEMENTS_SCHEMA = pa.schema(
    [
        pa.field("doc_id", pa.string(), nullable=False),
        pa.field("index", pa.int32(), nullable=False),
        pa.field("kind", pa.string(), nullable=False),
        pa.field("content_start", pa.int32(), nullable=False),
        pa.field("content_end", pa.int32(), nullable=False),
        pa.field("source_start", pa.int32()),
        pa.field("source_end", pa.int32()),
        pa.field("cue_start", pa.int32()),
        pa.field("cue_end", pa.int32()),
        pa.field("speaker", pa.string()),
        pa.field("confidence", pa.float64(), nullable=False),
        pa.field("actor_id", pa.int32()),
        pa.field("content", pa.string(), nullable=False),
        pa.field("source", pa.string()),
        pa.field("cue", pa.string()),
        pa.field("date", pa.string()),
        pa.field("outlet", pa.string()),
    ],
    metadata={"quotetrace.table": "statements", "quotetrace.version": str(SHARD_FORMAT_VERSION)},
)

MENTIONS_SCHEMA = pa.schema(
    [
        pa.field("doc_id", pa.string(), nullable=False),
        pa.field("actor_id", pa.int32(), nullable=False),
        pa.field("actor_position", pa.int32(), nullable=False),
        pa.field("name", pa.string(), nullable=False),
        pa.field("label", pa.string(), nullable=False),
        # An actor with no mention in the text keeps one row with null offsets.
        pa.field("start", pa.int32()),
        pa.field("end", pa.int32()),
        pa.field("text", pa.string()),
    ],
    metadata={"quotetrace.table": "mentions", "quotetrace.version": str(SHARD_FORMAT_VERSION)},
)

TABLES: dict[str, pa.Schema] = {
    "articles": ARTICLES_SCHEMA,
    "statements": STATEMENTS_SCHEMA,
    "mentions": MENTIONS_SCHEMA,
}


@dataclass(frozen=True)
class ShardCounts:
    """Rows written per table for one shard (kept in the manifest)."""

    articles: int
    statements: int
    mentions: int

    def to_json(self) -> dict[str, int]:
        return {"articles": self.articles, "statements": self.statements, "mentions": self.mentions}


def shard_name(shard_id: int) -> str:
    return f"shard-{shard_id:05d}"


def shard_file(out_dir: Path, table: str, shard_id: int) -> Path:
    return out_dir / table / f"{shard_name(shard_id)}.parquet"


def _span_part(span: tuple[int, int] | None, i: int) -> int | None:
    return span[i] if span is not None else None


def shard_tables(items: Sequence[ProcessedArticle]) -> dict[str, pa.Table]:
    """Arrow tables for one shard; empty inputs give empty tables with the full schema."""
    articles: dict[str, list[Any]] = defaultdict(list)
    statements: dict[str, list[Any]] = defaultdict(list)
    mentions: dict[str, list[Any]] = defaultdict(list)
    for position, item in enumerate(items):
        art = item.article
        articles["doc_id"].append(art.doc_id)
        articles["position"].append(position)
        articles["date"].append(art.date)
        articles["outlet"].append(art.outlet)
        articles["title"].append(art.title)
        articles["text"].append(art.text)
        articles["meta_json"].append(json.dumps(art.meta, ensure_ascii=False, sort_keys=True))
        articles["n_statements"].append(len(item.attributions))
        for index, att in enumerate(item.attributions):
            statements["doc_id"].append(art.doc_id)
            statements["index"].append(index)
            statements["kind"].append(att.kind)
            statements["content_start"].append(att.content[0])
            statements["content_end"].append(att.content[1])
            statements["source_start"].append(_span_part(att.source, 0))
            statements["source_end"].append(_span_part(att.source, 1))
            statements["cue_start"].append(_span_part(att.cue, 0))
            statements["cue_end"].append(_span_part(att.cue, 1))
            statements["speaker"].append(att.speaker)
            statements["confidence"].append(float(att.confidence))
            statements["actor_id"].append(att.actor_id)
            statements["content"].append(item.snippet(att.content))
            statements["source"].append(item.snippet(att.source) if att.source else None)
            statements["cue"].append(item.snippet(att.cue) if att.cue else None)
            statements["date"].append(art.date)
            statements["outlet"].append(art.outlet)
        for actor_position, actor in enumerate(item.actors):
            spans: Sequence[tuple[int, int] | None] = actor.mentions or (None,)
            for span in spans:
                mentions["doc_id"].append(art.doc_id)
                mentions["actor_id"].append(actor.actor_id)
                mentions["actor_position"].append(actor_position)
                mentions["name"].append(actor.name)
                mentions["label"].append(actor.label)
                mentions["start"].append(span[0] if span else None)
                mentions["end"].append(span[1] if span else None)
                mentions["text"].append(art.text[span[0] : span[1]] if span else None)
    columns = {"articles": articles, "statements": statements, "mentions": mentions}
    return {
        table: pa.Table.from_pydict({f.name: columns[table][f.name] for f in schema}, schema=schema)
        for table, schema in TABLES.items()
    }


def write_shard(out_dir: Path, shard_id: int, items: Sequence[ProcessedArticle]) -> ShardCounts:
    """Write one shard's three files; each appears complete or not at all."""
    tables = shard_tables(items)
    temporaries: list[tuple[Path, Path]] = []
    placed: list[Path] = []
    try:
        for table, data in tables.items():
            final = shard_file(out_dir, table, shard_id)
            final.parent.mkdir(parents=True, exist_ok=True)
            # The temporary name carries the pid: two attempts at one shard (a retry racing a
            # worker that was presumed dead) never write into the same file.
            temporary = final.with_name(f".{final.name}.{os.getpid()}.tmp")
            pq.write_table(data, temporary, compression="zstd")
            temporaries.append((temporary, final))
        for temporary, final in temporaries:
            os.replace(temporary, final)
            placed.append(final)
    except OSError as exc:
        # A shard is all three files or none: take back what this attempt already placed.
        for temporary, final in temporaries:
            temporary.unlink(missing_ok=True)
            if final in placed:
                final.unlink(missing_ok=True)
        raise ShardError(
            f"cannot write {shard_name(shard_id)} ({exc.strerror or exc})",
            "check that the output directory is writable and has free space",
            source=str(getattr(exc, "filename", None) or out_dir),
        ) from None
    return ShardCounts(
        articles=tables["articles"].num_rows,
        statements=tables["statements"].num_rows,
        mentions=tables["mentions"].num_rows,
    )


def _read_table(out_dir: Path, table: str, shard_id: int) -> pa.Table:
    path = shard_file(out_dir, table, shard_id)
    try:
        data = pq.read_table(path, schema=TABLES[table])
    except (OSError, pa.ArrowInvalid) as exc:
        raise ShardError(
            f"cannot read the shard file ({exc})",
            "re-run `quotetrace batch` with the same --out to rewrite missing shards",
            source=str(path),
        ) from None
    return data


def read_shard(out_dir: Path, shard_id: int) -> list[ProcessedArticle]:
    """The processed articles of one shard, in the order they were written."""
    articles = _read_table(out_dir, "articles", shard_id).sort_by("position").to_pylist()
    statements: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in _read_table(out_dir, "statements", shard_id).to_pylist():
        statements[row["doc_id"]].append(row)
    mentions: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in _read_table(out_dir, "mentions", shard_id).to_pylist():
        mentions[row["doc_id"]].append(row)
    items = []
    for row in articles:
        article = Article(
            doc_id=row["doc_id"],
            text=row["text"],
            date=row["date"],
            outlet=row["outlet"],
            title=row["title"],
            meta=json.loads(row["meta_json"]),
        )
        attributions = tuple(
            _attribution(s) for s in sorted(statements[row["doc_id"]], key=lambda s: s["index"])
        )
        items.append(ProcessedArticle(article, attributions, _actors(mentions[row["doc_id"]])))
    return items


def _span(start: int | None, end: int | None) -> tuple[int, int] | None:
    return (start, end) if start is not None and end is not None else None


def _attribution(row: dict[str, Any]) -> Attribution:
    return Attribution(
        kind=row["kind"],
        content=(row["content_start"], row["content_end"]),
        source=_span(row["source_start"], row["source_end"]),
        cue=_span(row["cue_start"], row["cue_end"]),
        speaker=row["speaker"],
        confidence=row["confidence"],
        actor_id=row["actor_id"],
    )


def _actors(rows: Iterable[dict[str, Any]]) -> tuple[Actor, ...]:
    grouped: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for row in rows:
        grouped[row["actor_position"]].append(row)
    actors = []
    for position in sorted(grouped):
        group = grouped[position]
        actors.append(
            Actor(
                actor_id=group[0]["actor_id"],
                name=group[0]["name"],
                label=group[0]["label"],
                mentions=tuple((r["start"], r["end"]) for r in group if r["start"] is not None),
            )
        )
    return tuple(actors)


def iter_processed(out_dir: Path, shard_ids: Iterable[int]) -> Iterator[ProcessedArticle]:
    """Every processed article in the given shards, shard by shard."""
    for shard_id in shard_ids:
        yield from read_shard(out_dir, shard_id)
