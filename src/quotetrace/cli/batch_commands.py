"""``quotetrace batch`` and ``quotetrace load``: extraction at scale, then into the store."""

from __future__ import annotations

import os
import sys
from enum import StrEnum
from pathlib import Path

import typer

from ..errors import ShardError
from ..settings import get_setting
from .app import app, print_error, reports_errors
from .progress import RateBar, RecordBar, record_bar_for


class EngineChoice(StrEnum):
    local = "local"
    dask = "dask"


BATCH_HELP = """Extract every article into Parquet shards, on this machine or on a Dask cluster.

Reads what `quotetrace ingest` reads (crawl-layout text, plain text, JSONL, HTML, WARC,
directories) and writes OUT/articles, OUT/statements and OUT/mentions as Parquet datasets, one file per
shard of --shard-size articles, plus OUT/manifest.json. The model is loaded once per worker.
A WARC is cut into ranges of --shard-size HTML pages that the workers read in parallel.

--engine local runs nlp.pipe with --workers processes on this machine. --engine dask starts a
local Dask cluster of --workers processes (on 127.0.0.1, stopped at the end), or with
--address joins a running scheduler; then OUT must be a directory every worker can write.

Running the same command again skips finished shards. A shard that fails is retried
(--retries), then reported; the other shards go on, and the exit status is 1.
Load the result into the store with `quotetrace load OUT`.

Examples:

    quotetrace batch news/ wire.jsonl --out shards/ --workers 2

    quotetrace batch crawl/ --out shards/ --engine dask --workers 2

    quotetrace batch /shared/crawl --out /shared/shards --engine dask --address tcp://10.0.0.5:8786
"""

LOAD_HELP = """Load the shards of a `quotetrace batch` run into the store.

Nothing is parsed again. Actors are linked as `quotetrace ingest` links them, and the new
articles are placed in stories (--no-stories leaves that to the next `quotetrace stories`).
Articles the store already holds are skipped, so loading twice adds nothing and an
interrupted load is resumed by running it again. Shards the batch did not finish are left out
and named.

Examples:

    quotetrace load shards/

    quotetrace load /shared/shards --db postgresql://me@localhost/news
"""


class _AfterPlanning:
    """The batch progress: the WARC records bar of the plan ends before the articles bar."""

    def __init__(self, planning: RecordBar | None, bar: RateBar | None) -> None:
        self._planning, self._bar = planning, bar

    def start(self, total: int, already_done: int) -> None:
        if self._planning is not None:
            self._planning.stop()
        if self._bar is not None:
            self._bar.start(total, already_done)

    def advance(self, articles: int) -> None:
        if self._bar is not None:
            self._bar.advance(articles)


def _default_workers() -> int:
    return max(1, os.cpu_count() or 1)


@app.command("batch", help=BATCH_HELP)
@reports_errors
def batch_command(
    paths: list[Path] = typer.Argument(
        ..., help="files or directories to read", show_default=False
    ),
    out: Path = typer.Option(..., "--out", "-o", help="directory for the shards and manifest"),
    engine: EngineChoice = typer.Option(EngineChoice.local, "--engine", help="local or dask"),
    workers: int | None = typer.Option(
        None, "--workers", "-w", min=1, help="worker processes [default: the number of CPUs]"
    ),
    address: str | None = typer.Option(
        None, "--address", help="join this Dask scheduler (tcp://HOST:8786) instead of starting one"
    ),
    shard_size: int | None = typer.Option(
        None, "--shard-size", min=1, help="articles per shard [env QUOTETRACE_SHARD_SIZE]"
    ),
    retries: int = typer.Option(1, "--retries", min=0, help="extra attempts for a failed shard"),
    model: str | None = typer.Option(
        None, "--model", help="spaCy model to parse with [env QUOTETRACE_MODEL]"
    ),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="no progress bar or summary"),
) -> None:
    from ..batch import BatchOptions, run_batch

    options = BatchOptions(
        engine=engine.value,
        workers=workers or _default_workers(),
        address=address,
        shard_size=shard_size or int(get_setting("shard_size")),
        retries=retries,
        model=model,
    )
    sources = [os.fspath(p) for p in paths]
    bar = RateBar("extracting") if not quiet and sys.stderr.isatty() else None
    planning = record_bar_for(sources, "planning") if not quiet else None
    try:
        result = run_batch(
            sources,
            out,
            options,
            on_error=print_error,
            progress=_AfterPlanning(planning, bar),
            warc_progress=planning,
        )
    finally:
        if planning is not None:
            planning.stop()
        if bar is not None:
            bar.stop()
    if not quiet and result.warc_summary is not None:
        print(result.warc_summary, file=sys.stderr)
    for document_error in result.document_errors:
        print(f"Error: {document_error}", file=sys.stderr)
    for failed in result.failed:
        print_error(
            ShardError(
                f"shard {failed.shard_id} failed after {failed.attempts} attempt(s): "
                f"{failed.error}",
                "fix the cause and run the same command again; only unfinished shards are redone",
                source=str(out),
            )
        )
    if not quiet and result.shards_total and result.shards_skipped == result.shards_total:
        print(
            f"all {result.shards_total} shard(s) ({result.articles_total} articles) were already"
            f" done -> {out}",
            file=sys.stderr,
        )
    elif not quiet:
        done = len(result.done)
        print(
            f"{result.articles_total} article(s) in {result.shards_total} shard(s):"
            f" {done} shard(s) written, {result.shards_skipped} already done,"
            f" {len(result.failed)} failed; {result.statements} statement(s);"
            f" {result.articles_per_second:.1f} articles/s on {options.engine}"
            f" (+{result.startup_seconds:.1f} s start-up) -> {out}",
            file=sys.stderr,
        )
    if result.read_errors or result.failed or result.document_errors:
        if result.document_errors:
            print(
                f"{len(result.document_errors)} document(s) failed and were left out of their"
                " shards; the other documents were written",
                file=sys.stderr,
            )
        if result.read_errors:
            print(
                f"{len(result.read_errors)} input problem(s) reported above; the other inputs"
                " were processed",
                file=sys.stderr,
            )
        raise typer.Exit(1)
    if result.shards_total == 0:
        from ..errors import InputError

        print_error(InputError("no articles found in the given paths", "give files to read"))
        raise typer.Exit(1)


@app.command("load", help=LOAD_HELP)
@reports_errors
def load_command(
    directory: Path = typer.Argument(
        ..., help="the --out directory of a batch run", show_default=False
    ),
    db: str | None = typer.Option(
        None, "--db", help="the store: a SQLite path or a postgresql:// URL [env QUOTETRACE_DB]"
    ),
    commit_every: int | None = typer.Option(
        None, "--commit-every", min=1, help="articles per transaction [env QUOTETRACE_COMMIT_EVERY]"
    ),
    no_stories: bool = typer.Option(
        False, "--no-stories", help="do not place the new articles in stories now"
    ),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="no progress bar or summary"),
) -> None:
    from ..batch.load import load_shards
    from ..store import Store

    bar = RateBar("loading") if not quiet and sys.stderr.isatty() else None
    store = Store.open(db or str(get_setting("db")))
    try:
        report = load_shards(
            directory,
            store,
            commit_every=commit_every or int(get_setting("commit_every")),
            link_stories=not no_stories,
            on_error=print_error,
            progress=bar,
        )
    finally:
        if bar is not None:
            bar.stop()
        store.close()
    if report.unfinished_shards:
        names = ", ".join(str(s) for s in report.unfinished_shards[:10])
        more = "…" if len(report.unfinished_shards) > 10 else ""
        print_error(
            ShardError(
                f"{len(report.unfinished_shards)} shard(s) are not finished and were not loaded"
                f" ({names}{more})",
                "run the same `quotetrace batch` command again, then load again",
                source=str(directory),
            )
        )
    if not quiet:
        print(
            f"read {report.read} article(s) from {report.shards} shard(s):"
            f" {report.articles_added} stored, {report.articles_skipped} already stored;"
            f" {report.statements_added} statement(s), {report.actors_created} new actor(s);"
            f" {report.rate:.1f} articles/s"
            + (
                f"; {report.articles_given_story} article(s) placed in {report.stories} stories"
                if report.stories is not None
                else ""
            ),
            file=sys.stderr,
        )
    if report.errors or report.unfinished_shards:
        raise typer.Exit(1)
