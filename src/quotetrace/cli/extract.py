"""``quotetrace extract``: who said what in each article, as a table, JSONL or CSV."""

from __future__ import annotations

import os
import shutil
import sys
from contextlib import ExitStack
from enum import StrEnum
from pathlib import Path
from typing import IO

import typer

from ..errors import InputError, QuotetraceError, UnreadableInputError
from ..formats import jsonl_line, render_table, write_csv
from ..ingest import ReadReport, iter_located_articles
from ..ingest.located import located_name
from ..models import ProcessedArticle
from .app import app, fail, print_error, reports_errors
from .progress import RateBar, record_bar_for


class OutputFormat(StrEnum):
    table = "table"
    jsonl = "jsonl"
    csv = "csv"


EXTRACT_HELP = """Find every statement in the articles: who said it, the cue, direct or reported.

PATH may be a crawl-layout text file (`date 2023-11-06 Islam Times - ...`), a plain text
file, a JSONL file of {"doc_id", "text", "meta"} records, a saved web page (.html), a web
archive (.warc, .warc.gz: its HTML article pages; other records are counted in one summary
line), or a directory (read recursively).
Files that cannot be read are reported on stderr and skipped; the exit status is then 1.

Examples:

    quotetrace extract article.txt

    quotetrace extract news/ --format jsonl -o statements.jsonl

    quotetrace extract corpus.jsonl --format csv --min-confidence 0.7 > statements.csv
"""


@app.command("extract", help=EXTRACT_HELP)
@reports_errors
def extract_command(
    paths: list[Path] = typer.Argument(
        ..., help="files or directories to read", show_default=False
    ),
    output_format: OutputFormat = typer.Option(
        OutputFormat.table, "--format", "-f", help="table (terminal), jsonl (FORMAT.md) or csv"
    ),
    output: Path | None = typer.Option(None, "--output", "-o", help="write here, not stdout"),
    model: str | None = typer.Option(
        None, "--model", help="spaCy model to parse with [env QUOTETRACE_MODEL]"
    ),
    min_confidence: float = typer.Option(
        0.0, "--min-confidence", min=0.0, max=1.0, help="drop statements found with less"
    ),
    min_speaker_confidence: float = typer.Option(
        0.0,
        "--min-speaker-confidence",
        min=0.0,
        max=1.0,
        help="drop statements whose speaker is less sure than this",
    ),
    n_process: int | None = typer.Option(
        None, "--n-process", min=1, help="parser processes [env QUOTETRACE_N_PROCESS]"
    ),
    no_text: bool = typer.Option(False, "--no-text", help="jsonl: leave the article text out"),
) -> None:
    from ..nlp.pipeline import extract_articles, load_pipeline

    report = ReadReport()
    # Paths are kept as given: they are the doc_ids of text files.
    sources = [os.fspath(p) for p in paths]
    reading = record_bar_for(sources)
    try:
        located = list(iter_located_articles(sources, print_error, report, warc_progress=reading))
    finally:
        if reading is not None:
            reading.stop()
    if (skipped := report.warc.summary()) is not None:
        print(skipped, file=sys.stderr)
    articles = [article for _, article in located]
    where = {id(article): place for place, article in located}

    failures: list[QuotetraceError] = []

    def failed(exc: QuotetraceError) -> None:
        # A document the pipeline refuses or fails on is one more problem; the others go on.
        failures.append(exc)
        print_error(exc)

    nlp = load_pipeline(model) if articles else None
    with ExitStack() as stack:
        out: IO[str]
        if output is not None:
            try:
                out = stack.enter_context(output.open("w", encoding="utf-8", newline=""))
            except OSError as exc:
                raise fail(
                    UnreadableInputError(
                        f"cannot write the output ({exc.strerror})",
                        "choose a writable path",
                        source=str(output),
                    )
                ) from None
        else:
            out = sys.stdout
        results = (
            extract_articles(
                articles,
                nlp,
                n_process=n_process,
                on_error=failed,
                describe=lambda a: located_name(where.get(id(a)), a),
            )
            if nlp
            else iter(())
        )
        if len(articles) > 1:
            results = RateBar("extracting").track(results, len(articles))
        width = shutil.get_terminal_size((120, 24)).columns if output is None else 120
        first = True
        for item in results:
            item = _keep_confident(item, min_confidence, min_speaker_confidence)
            if output_format is OutputFormat.jsonl:
                out.write(jsonl_line(item, include_text=not no_text) + "\n")
            elif output_format is OutputFormat.csv:
                write_csv([item], out, header=first)
            else:
                out.write(render_table(item, width=max(80, width)))
            first = False
    problems = [*report.errors, *failures]
    if problems:
        bad = len({e.source.split(":")[0] if e.source else "" for e in problems})
        print(
            f"{len(problems)} problem(s) in {bad} input(s); the other inputs were processed",
            file=sys.stderr,
        )
        raise typer.Exit(1)
    if not articles:
        raise fail(InputError("no articles found in the given paths", "give .txt or .jsonl files"))


def _keep_confident(
    item: ProcessedArticle, threshold: float, speaker_threshold: float = 0.0
) -> ProcessedArticle:
    if threshold <= 0 and speaker_threshold <= 0:
        return item
    kept = tuple(
        a
        for a in item.attributions
        if a.confidence >= threshold and (a.speaker_confidence or 0.0) >= speaker_threshold
    )
    return ProcessedArticle(item.article, kept, item.actors)
