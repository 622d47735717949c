"""Exporting the store: JSONL per FORMAT.md, CSV or Parquet a row per statement.

JSONL is one article a line, exactly the record ``quotetrace extract --format jsonl`` writes,
plus the store's ids as extra keys (``article_id``, ``version``, and per attribution
``statement_id``, ``store_actor_id`` and the store-wide speaker, ``speaker_actor_id`` and
``speaker_canonical``; CSV and Parquet carry the same two columns): the scorer ignores them, and a JSONL export read back
gives the same articles and attributions.

Files are written next to the target and renamed into place at the end, so an export that
fails half-way never leaves a half-written file behind.
"""

from __future__ import annotations

import csv
import json
import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any, Literal

from ..errors import StoreError
from ..formats import CSV_COLUMNS, csv_rows
from .records import StoredProcessed
from .store import Store

__all__ = ["EXPORT_FORMATS", "PARQUET_COLUMNS", "export_store"]

ExportFormat = Literal["jsonl", "csv", "parquet"]
EXPORT_FORMATS: tuple[ExportFormat, ...] = ("jsonl", "csv", "parquet")
# ``actor_id`` / ``actor`` came first; ``speaker_actor_id`` / ``speaker_canonical`` say the same
# under the names the JSONL export uses, so one reader handles every format.
STORE_CSV_COLUMNS = (
    *CSV_COLUMNS,
    "statement_id",
    "article_id",
    "actor_id",
    "actor",
    "speaker_actor_id",
    "speaker_canonical",
)
_PARQUET_ROWS_PER_GROUP = 50_000
# json.dumps leaves these unescaped, yet str.splitlines() and many JSONL readers break lines
# at them: escaped, one record stays one line whatever the article text contains.
_LINE_BREAKS_ESCAPED = str.maketrans({"\u2028": "\\u2028", "\u2029": "\\u2029", "\x85": "\\u0085"})

PARQUET_COLUMNS: tuple[tuple[str, str], ...] = (
    ("statement_id", "int64"),
    ("article_id", "int64"),
    ("doc_id", "string"),
    ("version", "int32"),
    ("date", "string"),
    ("outlet", "string"),
    ("title", "string"),
    ("kind", "string"),
    ("speaker", "string"),
    ("actor_id", "int64"),
    ("actor", "string"),
    ("content", "string"),
    ("source", "string"),
    ("cue", "string"),
    ("content_start", "int32"),
    ("content_end", "int32"),
    ("source_start", "int32"),
    ("source_end", "int32"),
    ("cue_start", "int32"),
    ("cue_end", "int32"),
    ("confidence", "float64"),
    ("story_id", "string"),
    ("speaker_actor_id", "int64"),
    ("speaker_canonical", "string"),
)


@contextmanager
def _replace_atomically(target: Path, mode: str) -> Iterator[IO[Any]]:
    directory = target.parent if str(target.parent) else Path(".")
    if not directory.is_dir():
        raise StoreError(
            f"the folder {str(directory)!r} does not exist", "create it or choose another -o path"
        )
    fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.", dir=directory)
    try:
        if "b" in mode:
            handle: IO[Any] = os.fdopen(fd, mode)
        else:
            handle = os.fdopen(fd, mode, encoding="utf-8", newline="")
        with handle:
            yield handle
        os.replace(tmp_name, target)
    except BaseException:
        Path(tmp_name).unlink(missing_ok=True)
        raise


def _actor_names(store: Store) -> dict[int, str]:
    names: dict[int, str] = {}
    offset = 0
    while True:
        page = store.actors(limit=5000, offset=offset)
        names.update((a.id, a.name) for a in page)
        if len(page) < 5000:
            return names
        offset += len(page)


def export_store(
    store: Store,
    fmt: str,
    target: Path,
    *,
    include_text: bool = True,
    current_only: bool = True,
) -> tuple[int, int]:
    """Write every (current) article and statement to ``target``; (articles, statements)."""
    if fmt not in EXPORT_FORMATS:
        raise StoreError(
            f"unknown export format {fmt!r}", f"use one of {', '.join(EXPORT_FORMATS)}"
        )
    items = store.iter_processed(current_only=current_only)
    if fmt == "jsonl":
        with _replace_atomically(target, "w") as out:
            return _write_jsonl(items, out, include_text)
    names = _actor_names(store)
    if fmt == "csv":
        with _replace_atomically(target, "w") as out:
            return _write_csv(items, out, names)
    with _replace_atomically(target, "wb") as out:
        return _write_parquet(items, out, names)


def _write_jsonl(
    items: Iterator[StoredProcessed], out: IO[str], include_text: bool
) -> tuple[int, int]:
    n_articles = n_statements = 0
    for item in items:
        line = json.dumps(item.to_json(include_text=include_text), ensure_ascii=False)
        out.write(line.translate(_LINE_BREAKS_ESCAPED) + "\n")
        n_articles += 1
        n_statements += len(item.statement_ids)
    return n_articles, n_statements


def _write_csv(
    items: Iterator[StoredProcessed], out: IO[str], names: dict[int, str]
) -> tuple[int, int]:
    writer = csv.DictWriter(out, fieldnames=list(STORE_CSV_COLUMNS))
    writer.writeheader()
    n_articles = n_statements = 0
    for item in items:
        n_articles += 1
        for row, statement_id, actor_id in zip(
            csv_rows(item.processed), item.statement_ids, item.statement_actor_ids, strict=True
        ):
            row.update(
                statement_id=statement_id,
                article_id=item.article.id,
                actor_id="" if actor_id is None else actor_id,
                actor=names.get(actor_id, "") if actor_id is not None else "",
            )
            row.update(speaker_actor_id=row["actor_id"], speaker_canonical=row["actor"])
            writer.writerow(row)
            n_statements += 1
    return n_articles, n_statements


def _write_parquet(
    items: Iterator[StoredProcessed], out: IO[bytes], names: dict[int, str]
) -> tuple[int, int]:
    import pyarrow as pa
    import pyarrow.parquet as pq

    # An explicit schema: a store with no statements still writes a readable, typed file.
    schema = pa.schema([(name, pa.type_for_alias(kind)) for name, kind in PARQUET_COLUMNS])
    columns: dict[str, list[Any]] = {name: [] for name, _ in PARQUET_COLUMNS}
    n_articles = n_statements = 0
    with pq.ParquetWriter(out, schema) as writer:

        def flush() -> None:
            if columns["statement_id"]:
                writer.write_table(pa.table(columns, schema=schema))
                for values in columns.values():
                    values.clear()

        for item in items:
            n_articles += 1
            art = item.article
            for att, statement_id, actor_id in zip(
                item.processed.attributions,
                item.statement_ids,
                item.statement_actor_ids,
                strict=True,
            ):
                n_statements += 1
                row: dict[str, Any] = {
                    "statement_id": statement_id,
                    "article_id": art.id,
                    "doc_id": art.doc_id,
                    "version": art.version,
                    "date": art.date,
                    "outlet": art.outlet,
                    "title": art.title,
                    "kind": att.kind,
                    "speaker": att.speaker,
                    "actor_id": actor_id,
                    "actor": names.get(actor_id) if actor_id is not None else None,
                    "content": item.processed.snippet(att.content),
                    "source": item.processed.snippet(att.source) if att.source else None,
                    "cue": item.processed.snippet(att.cue) if att.cue else None,
                    "content_start": att.content[0],
                    "content_end": att.content[1],
                    "source_start": att.source[0] if att.source else None,
                    "source_end": att.source[1] if att.source else None,
                    "cue_start": att.cue[0] if att.cue else None,
                    "cue_end": att.cue[1] if att.cue else None,
                    "confidence": att.confidence,
                    "story_id": art.story_id,
                    "speaker_actor_id": actor_id,
                    "speaker_canonical": names.get(actor_id) if actor_id is not None else None,
                }
                for name, value in row.items():
                    columns[name].append(value)
                if len(columns["statement_id"]) >= _PARQUET_ROWS_PER_GROUP:
                    flush()
        flush()
    return n_articles, n_statements
