"""``quotetrace datasette-metadata``: describe the SQLite store for Datasette."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import typer

from ..errors import StoreError, UnreadableInputError
from ..settings import get_setting
from .app import app, fail, reports_errors

DATASETTE_HELP = """Write a Datasette metadata.json describing the store's tables and columns.

The SQLite store opens in Datasette as it is; with this file Datasette shows what every table
and column means, searches statements by full text and facets them by kind and speaker.
Datasette is not needed to write the file.

Examples:

    quotetrace datasette-metadata --db news.db -o metadata.json

    datasette news.db --metadata metadata.json
"""


@app.command("datasette-metadata", help=DATASETTE_HELP)
@reports_errors
def datasette_metadata_command(
    db: str | None = typer.Option(None, "--db", help="the SQLite store [env QUOTETRACE_DB]"),
    output: Path | None = typer.Option(None, "--output", "-o", help="write here, not stdout"),
    title: str | None = typer.Option(None, "--title", help="the title Datasette shows"),
) -> None:
    from ..store import Store
    from ..store.datasette import datasette_metadata

    target = db or str(get_setting("db"))
    if "://" in target:
        raise fail(
            StoreError(
                "Datasette reads SQLite files, not a PostgreSQL store",
                "give --db a SQLite file path",
                source=target,
            )
        )
    if not Path(target).is_file():
        raise fail(
            UnreadableInputError(
                "no such store",
                "give --db the SQLite file `quotetrace ingest` wrote",
                source=target,
            )
        )
    with Store.open(target, upgrade=False):
        pass  # refuses a file that is not a quotetrace store, with the store's own error
    text = json.dumps(datasette_metadata(target, title=title), indent=2, ensure_ascii=False)
    if output is None:
        sys.stdout.write(text + "\n")
        return
    try:
        output.write_text(text + "\n", encoding="utf-8")
    except OSError as exc:
        raise fail(
            UnreadableInputError(
                f"cannot write the output ({exc.strerror})",
                "choose a writable path",
                source=str(output),
            )
        ) from None
