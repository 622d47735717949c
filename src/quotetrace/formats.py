"""Writing extraction results: JSONL per FORMAT.md, CSV a row per statement, terminal tables."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable
from typing import IO, Any

from .models import ProcessedArticle

__all__ = ["CSV_COLUMNS", "csv_rows", "jsonl_line", "render_table", "write_csv"]

CSV_COLUMNS = (
    "doc_id",
    "date",
    "outlet",
    "kind",
    "speaker",
    "cue",
    "source",
    "content",
    "content_start",
    "content_end",
    "confidence",
)


def jsonl_line(item: ProcessedArticle, *, include_text: bool = True) -> str:
    return json.dumps(item.to_json(include_text=include_text), ensure_ascii=False)


def csv_rows(item: ProcessedArticle) -> Iterable[dict[str, Any]]:
    for att in item.attributions:
        yield {
            "doc_id": item.article.doc_id,
            "date": item.article.date or "",
            "outlet": item.article.outlet or "",
            "kind": att.kind,
            "speaker": att.speaker or "",
            "cue": item.snippet(att.cue),
            "source": item.snippet(att.source),
            "content": item.snippet(att.content),
            "content_start": att.content[0],
            "content_end": att.content[1],
            "confidence": f"{att.confidence:.3f}",
        }


def write_csv(items: Iterable[ProcessedArticle], out: IO[str], header: bool = True) -> None:
    writer = csv.DictWriter(out, fieldnames=list(CSV_COLUMNS))
    if header:
        writer.writeheader()
    for item in items:
        writer.writerows(csv_rows(item))


def _one_line(text: str, limit: int) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


def render_table(item: ProcessedArticle, width: int = 120, statement_chars: int = 400) -> str:
    """The terminal view of one article: a header line, then a row per statement."""
    from rich.console import Console
    from rich.table import Table

    art = item.article
    parts = [p for p in (art.date, art.outlet) if p]
    title = f"{art.doc_id}" + (f"  ({' · '.join(parts)})" if parts else "")
    table = Table(title=title, title_justify="left", show_lines=False, expand=False)
    table.add_column("#", justify="right", no_wrap=True)
    table.add_column("speaker", overflow="fold", max_width=24)
    table.add_column("cue", overflow="fold", max_width=18)
    table.add_column("kind", no_wrap=True)
    table.add_column("statement", overflow="fold", ratio=1)
    for n, att in enumerate(item.attributions, 1):
        table.add_row(
            str(n),
            att.speaker or "—",
            _one_line(item.snippet(att.cue), 40) or "—",
            att.kind,
            _one_line(item.snippet(att.content), statement_chars),
        )
    if not item.attributions:
        table.caption = "no statements found"
    buffer = io.StringIO()
    Console(file=buffer, width=width, no_color=True, highlight=False, soft_wrap=False).print(table)
    return buffer.getvalue()
