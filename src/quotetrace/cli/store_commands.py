"""``quotetrace ingest | search | export | actors``: the store from the command line."""

from __future__ import annotations

import json
import os
import shutil
import sys
from enum import StrEnum
from pathlib import Path
from typing import Any

import typer

from ..settings import get_setting
from .app import app, print_error, reports_errors
from .progress import RateBar, RecordBar, record_bar_for

DB_HELP = "the store: a SQLite path or a postgresql:// URL [env QUOTETRACE_DB]"
# Private-use markers around the matched words: never in news text, styled at the end.
_HIT_ON, _HIT_OFF = "\ue000", "\ue001"


def _db(db: str | None) -> str:
    return db or str(get_setting("db"))


def _open(db: str | None) -> Any:
    from ..store import Store

    return Store.open(_db(db))


class TableOrJson(StrEnum):
    table = "table"
    json = "json"


class Kind(StrEnum):
    direct = "direct"
    indirect = "indirect"
    mixed = "mixed"


class Order(StrEnum):
    relevance = "relevance"
    newest = "newest"


class ExportFormat(StrEnum):
    jsonl = "jsonl"
    csv = "csv"
    parquet = "parquet"


# -- ingest --------------------------------------------------------------------------------

INGEST_HELP = """Read articles, extract who said what, and store it all.

Reads what `quotetrace extract` reads (crawl-layout text, plain text, JSONL, directories)
plus saved web pages (.html, .htm) and web archives (.warc, .warc.gz). Articles already in the store are skipped without being
parsed again, so running the same command twice adds nothing, and a run that was stopped
(even with kill -9) resumes where it stopped. Work is committed every --commit-every
articles. Bad files are reported and skipped; the exit status is then 1.

Examples:

    quotetrace ingest news/ wire.jsonl

    quotetrace ingest crawl/2023-11/ --db postgresql://me@localhost/news --n-process 2
"""


@app.command("ingest", help=INGEST_HELP)
@reports_errors
def ingest_command(
    paths: list[Path] = typer.Argument(
        ..., help="files or directories to read", show_default=False
    ),
    db: str | None = typer.Option(None, "--db", help=DB_HELP),
    model: str | None = typer.Option(
        None, "--model", help="spaCy model to parse with [env QUOTETRACE_MODEL]"
    ),
    n_process: int | None = typer.Option(
        None, "--n-process", min=1, help="parser processes [env QUOTETRACE_N_PROCESS]"
    ),
    commit_every: int | None = typer.Option(
        None, "--commit-every", min=1, help="articles per transaction [env QUOTETRACE_COMMIT_EVERY]"
    ),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="no progress bar or summary"),
) -> None:
    from ..ingest import ReadReport
    from ..store.ingest import ingest_paths

    store = _open(db)
    sources = [os.fspath(p) for p in paths]
    bar = RateBar("ingesting") if not quiet and sys.stderr.isatty() else None
    reading = record_bar_for(sources) if not quiet else None
    read_report = ReadReport()
    try:
        report = ingest_paths(
            store,
            sources,
            model=model,
            n_process=n_process,
            commit_every=commit_every or int(get_setting("commit_every")),
            on_error=print_error,
            progress=_AfterReading(reading, bar),
            read_report=read_report,
            warc_progress=reading,
        )
        from ..stories.store_sync import has_unplaced_articles, update_store_stories

        if report.added.articles_added or has_unplaced_articles(store):
            # New articles join the stories already stored (or start their own); so do the
            # ones a killed run stored but did not get to place.
            update_store_stories(store)
    finally:
        if reading is not None:
            reading.stop()
        if bar is not None:
            bar.stop()
        store.close()
    added = report.added
    if not quiet and (skipped := read_report.warc.summary()) is not None:
        print(skipped, file=sys.stderr)
    if not quiet:
        print(
            f"read {report.read} article(s): {added.articles_added} stored"
            f" ({added.new_versions} as new versions), {report.already_stored} already stored;"
            f" {added.statements_added} statement(s), {added.actors_created} new actor(s);"
            f" {report.seconds:.1f} s",
            file=sys.stderr,
        )
    if report.errors:
        print(
            f"{len(report.errors)} problem(s) reported above; everything else was stored",
            file=sys.stderr,
        )
        raise typer.Exit(1)


class _AfterReading:
    """The ingest progress: the records bar of the first read ends before the articles bar."""

    def __init__(self, reading: RecordBar | None, bar: RateBar | None) -> None:
        self._reading, self._bar = reading, bar

    def start(self, total: int) -> None:
        if self._reading is not None:
            self._reading.stop()
        if self._bar is not None:
            self._bar.start(total)

    def advance(self, done: int) -> None:
        if self._bar is not None:
            self._bar.advance(done)


# -- search --------------------------------------------------------------------------------

SEARCH_HELP = """Full-text search over the stored statements.

QUERY: words (all must occur; "regimes" finds "regime"), "a phrase", OR between words,
-word to exclude, word* for a prefix. An empty QUERY ("") lists statements by the filters.
Text alone is ranked by relevance; with filters the newest statements come first
(--order changes either).
--speaker takes a name, any alias the store knows ("Imam Khamenei") or an actor id.
Dates take YYYY, YYYY-MM or YYYY-MM-DD; --until is inclusive.

Examples:

    quotetrace search regime --speaker "Ali Khamenei" --since 2023-11 --until 2023-11

    quotetrace search Iraq --outlet Xinhua --format json

    quotetrace search '"ceasefire talks" -Qatar' --kind direct --limit 50
"""


@app.command("search", help=SEARCH_HELP)
@reports_errors
def search_command(
    query: str = typer.Argument(..., help="what to look for ('' for everything)"),
    speaker: str | None = typer.Option(None, "--speaker", help="name, alias or actor id"),
    outlet: str | None = typer.Option(None, "--outlet", help="outlet name (any case)"),
    since: str | None = typer.Option(None, "--since", help="first day, e.g. 2023-11-01"),
    until: str | None = typer.Option(None, "--until", help="last day, e.g. 2023-11-30"),
    kind: Kind | None = typer.Option(None, "--kind", help="direct, indirect or mixed"),
    limit: int = typer.Option(20, "--limit", "-n", min=1, max=10_000, help="results per page"),
    offset: int = typer.Option(0, "--offset", min=0, help="skip this many results"),
    order: Order | None = typer.Option(
        None,
        "--order",
        help="relevance or newest [default: relevance for text alone, newest with filters]",
        show_default=False,
    ),
    output_format: TableOrJson = typer.Option(TableOrJson.table, "--format", "-f"),
    db: str | None = typer.Option(None, "--db", help=DB_HELP),
) -> None:
    as_json = output_format is TableOrJson.json
    with _open(db) as store:
        page = store.search(
            query,
            speaker=speaker,
            outlet=outlet,
            since=since,
            until=until,
            kind=kind.value if kind else None,
            limit=limit,
            offset=offset,
            mark=("«", "»") if as_json else (_HIT_ON, _HIT_OFF),
            count=True,
            order=order.value if order else None,
        )
    if as_json:
        print(json.dumps(page.to_json(), ensure_ascii=False, indent=2))
        return
    _print_hits(page)


def _print_hits(page: Any) -> None:
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    width = shutil.get_terminal_size((120, 24)).columns
    console = Console(width=max(80, width), highlight=False, soft_wrap=False)
    shown = f"{page.offset + 1}-{page.offset + len(page.hits)}" if page.hits else "0"
    total = f"{page.total:,}" if page.total_is_exact else f"at least {page.total:,}"
    table = Table(title=f"{total} match(es), showing {shown}", title_justify="left")
    for name, options in (
        ("#", {"justify": "right", "no_wrap": True}),
        ("date", {"no_wrap": True}),
        ("outlet", {"max_width": 18, "overflow": "fold"}),
        ("speaker", {"max_width": 22, "overflow": "fold"}),
        ("kind", {"no_wrap": True}),
        ("statement", {"ratio": 1, "overflow": "fold"}),
    ):
        table.add_column(name, **options)
    for n, hit in enumerate(page.hits, page.offset + 1):
        st = hit.statement
        snippet = Text()
        for i, part in enumerate(hit.snippet.replace(_HIT_OFF, _HIT_ON).split(_HIT_ON)):
            snippet.append(" ".join(part.split("\n")), style="bold reverse" if i % 2 else "")
        table.add_row(
            str(n),
            st.date or "—",
            st.outlet or "—",
            st.actor_name or st.speaker or "—",
            st.kind,
            snippet,
        )
    console.print(table)


# -- export --------------------------------------------------------------------------------

EXPORT_HELP = """Write the store out as JSONL, CSV or Parquet.

JSONL follows FORMAT.md (an article a line, with the store's ids as extra keys); CSV and
Parquet have a row per statement. Only the newest version of each article is written.

Examples:

    quotetrace export --format jsonl -o statements.jsonl

    quotetrace export --format parquet -o statements.parquet --db postgresql://me@localhost/news
"""


@app.command("export", help=EXPORT_HELP)
@reports_errors
def export_command(
    output: Path = typer.Option(..., "--output", "-o", help="file to write", show_default=False),
    fmt: ExportFormat = typer.Option(ExportFormat.jsonl, "--format", "-f"),
    no_text: bool = typer.Option(False, "--no-text", help="jsonl: leave the article text out"),
    db: str | None = typer.Option(None, "--db", help=DB_HELP),
) -> None:
    from ..store.export import export_store

    with _open(db) as store:
        n_articles, n_statements = export_store(store, fmt.value, output, include_text=not no_text)
    print(
        f"wrote {n_articles} article(s), {n_statements} statement(s) to {output}",
        file=sys.stderr,
    )


# -- actors --------------------------------------------------------------------------------

actors_app = typer.Typer(
    name="actors",
    help="""The people and organisations in the store, and the names each outlet uses.

Examples:

    quotetrace actors list Khamenei

    quotetrace actors show 3

    quotetrace actors merge 3 17 22

    quotetrace actors split 3 --alias "Iraqi prime minister" --name "Mohammed Shia al-Sudani"
""",
    no_args_is_help=True,
)
app.add_typer(actors_app, name="actors")


@actors_app.command(
    "list",
    help="Actors across the store, most quoted first, with the name variants linked to each "
    "and how many outlets name it; QUERY keeps those with a matching name or alias.\n\n"
    "Example:\n\n    quotetrace actors list Khamenei --limit 10",
)
@reports_errors
def actors_list(
    query: str | None = typer.Argument(None, help="part of a name or alias"),
    limit: int = typer.Option(50, "--limit", "-n", min=1),
    offset: int = typer.Option(0, "--offset", min=0),
    output_format: TableOrJson = typer.Option(TableOrJson.table, "--format", "-f"),
    db: str | None = typer.Option(None, "--db", help=DB_HELP),
) -> None:
    from ..store.actor_queries import actor_variants

    with _open(db) as store:
        found = store.actors(query, limit=limit, offset=offset)
        variants = actor_variants(store, [a.id for a in found])
    if output_format is TableOrJson.json:
        listed = [
            {**a.to_json(), "names": variants[a.id][0], "outlets": variants[a.id][1]} for a in found
        ]
        print(json.dumps(listed, ensure_ascii=False, indent=2))
        return
    from rich.console import Console
    from rich.table import Table

    table = Table(title=f"{len(found)} actor(s)", title_justify="left")
    columns = ("id", "name", "label", "statements", "mentions", "aliases", "names", "outlets")
    for column in columns:
        table.add_column(column, justify="left" if column in ("name", "names") else "right")
    for a in found:
        names, outlets = variants[a.id]
        table.add_row(
            str(a.id),
            a.name,
            a.label,
            str(a.statements),
            str(a.mentions),
            str(a.aliases),
            " · ".join(names),
            str(len(outlets)),
        )
    Console(highlight=False).print(table)


@actors_app.command(
    "show",
    help="One actor: its aliases, and which outlet calls it what, how often.\n\n"
    "Example:\n\n    quotetrace actors show 3 --format json",
)
@reports_errors
def actors_show(
    actor_id: int = typer.Argument(..., help="actor id (see `actors list`)"),
    output_format: TableOrJson = typer.Option(TableOrJson.table, "--format", "-f"),
    db: str | None = typer.Option(None, "--db", help=DB_HELP),
) -> None:
    from ..errors import StoreError

    with _open(db) as store:
        detail = store.actor(actor_id)
    if detail is None:
        raise StoreError(f"no actor with id {actor_id}", "list them: quotetrace actors list")
    if output_format is TableOrJson.json:
        print(json.dumps(detail.to_json(), ensure_ascii=False, indent=2))
        return
    from rich.console import Console
    from rich.table import Table

    s = detail.summary
    console = Console(highlight=False)
    console.print(
        f"[bold]{s.name}[/bold] (actor {s.id}, {s.label or 'no label'}): "
        f"{s.statements} statement(s), {s.mentions} mention(s)"
    )
    aliases = Table(title="aliases", title_justify="left")
    for column in ("alias", "kind", "mentions"):
        aliases.add_column(column)
    for a in detail.aliases:
        aliases.add_row(a.alias, a.kind, str(a.mentions))
    console.print(aliases)
    names = Table(title="what each outlet calls them", title_justify="left")
    for column in ("outlet", "surface form", "count"):
        names.add_column(column)
    for outlet, surface, count in detail.outlet_names:
        names.add_row(outlet or "—", " ".join(surface.split()), str(count))
    console.print(names)


@actors_app.command(
    "merge",
    help="Fold OTHER actors into KEEP: their statements, mentions and aliases move over, "
    "and later ingests link those aliases to KEEP.\n\n"
    "Example:\n\n    quotetrace actors merge 3 17 22",
)
@reports_errors
def actors_merge(
    keep: int = typer.Argument(..., help="the actor that stays"),
    others: list[int] = typer.Argument(..., help="actors folded into it"),
    db: str | None = typer.Option(None, "--db", help=DB_HELP),
) -> None:
    with _open(db) as store:
        merged = store.merge_actors(keep, others)
    print(f"merged {merged} actor(s) into {keep}", file=sys.stderr)


@actors_app.command(
    "split",
    help="Give some aliases of an actor, and what was said under them, to a new actor.\n\n"
    "Example:\n\n"
    '    quotetrace actors split 3 --alias "Iraqi prime minister" --name "Mohammed al-Sudani"',
)
@reports_errors
def actors_split(
    actor_id: int = typer.Argument(..., help="the actor to split"),
    aliases: list[str] = typer.Option(..., "--alias", "-a", help="an alias to move (repeat)"),
    name: str | None = typer.Option(None, "--name", help="the new actor's name"),
    db: str | None = typer.Option(None, "--db", help=DB_HELP),
) -> None:
    with _open(db) as store:
        new_id = store.split_actor(actor_id, aliases, name)
    print(f"split off actor {new_id}", file=sys.stderr)


@actors_app.command(
    "rename",
    help="Change an actor's canonical name.\n\nExample:\n\n"
    '    quotetrace actors rename 3 "Ali Khamenei"',
)
@reports_errors
def actors_rename(
    actor_id: int = typer.Argument(...),
    name: str = typer.Argument(...),
    db: str | None = typer.Option(None, "--db", help=DB_HELP),
) -> None:
    with _open(db) as store:
        store.rename_actor(actor_id, name)
