"""``quotetrace stories``: one story across outlets, side by side."""

from __future__ import annotations

import json
import os
import shutil
import sys
from collections.abc import Iterator
from enum import StrEnum
from pathlib import Path
from typing import Any

import typer

from ..errors import InputError, MalformedRecordError, StoreError
from ..models import Actor, Article, Attribution, ProcessedArticle
from ..settings import get_setting
from .app import app, print_error, reports_errors

DB_HELP = "the store: a SQLite path or a postgresql:// URL [env QUOTETRACE_DB]"


class StoriesFormat(StrEnum):
    table = "table"
    json = "json"


STORIES_HELP = """Group articles into stories and compare how each outlet told each one.

A story is the reports of one event across outlets and days. For each story: the outlets
that covered it, every statement each reported, the same statement lined up across outlets
with its word-level differences (added, dropped, changed words; quoted or not; the cue each
outlet chose), the names each outlet used for each actor, and the events (who met whom,
where, when).

Without PATHS, the stories of the store (--db): articles ingested since the last run join
the stories already stored (their story ids are written to the store), then every story with
at least --min-articles articles is shown. With PATHS, the articles are read (and extracted,
unless they are `quotetrace extract --format jsonl` output) and nothing is stored.

Examples:

    quotetrace ingest news/ && quotetrace stories

    quotetrace stories --db news.db --format json > stories.json

    quotetrace stories seed.txt retelling-1.txt retelling-2.txt

    quotetrace stories --story s-1a2b3c4d5e6f --db news.db
"""


@app.command("stories", help=STORIES_HELP)
@reports_errors
def stories_command(
    paths: list[Path] = typer.Argument(
        None, help="articles to read instead of the store", show_default=False
    ),
    db: str | None = typer.Option(None, "--db", help=DB_HELP),
    output_format: StoriesFormat = typer.Option(
        StoriesFormat.table, "--format", "-f", help="table (terminal) or json"
    ),
    min_articles: int = typer.Option(
        2, "--min-articles", min=1, help="show stories with at least this many articles"
    ),
    story: str | None = typer.Option(None, "--story", help="show only this story id"),
    recompute: bool = typer.Option(
        False, "--recompute", help="store: cluster every article again, not only new ones"
    ),
    model: str | None = typer.Option(
        None, "--model", help="spaCy model to parse with [env QUOTETRACE_MODEL]"
    ),
) -> None:
    if paths:
        reports = _reports_from_paths(paths, model, min_articles)
        if story is not None:
            reports = [r for r in reports if r["story_id"] == story]
    else:
        reports = _reports_from_store(db, recompute, min_articles, story)
    if output_format is StoriesFormat.json:
        json.dump(reports, sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
        return
    from ..stories.rendering import render_story_table

    width = max(100, shutil.get_terminal_size((160, 24)).columns)
    if not reports:
        print(
            f"no stories with {min_articles} or more articles"
            + (f" and id {story}" if story else ""),
            file=sys.stderr,
        )
    for report in reports:
        sys.stdout.write(render_story_table(report, width=width))
        sys.stdout.write("\n")


def _reports_from_store(
    db: str | None, recompute: bool, min_articles: int, story: str | None
) -> list[dict[str, Any]]:
    from ..store import Store
    from ..stories.store_sync import stored_story_reports, update_store_stories

    target = db or str(get_setting("db"))
    if "://" not in target and not Path(target).exists():
        # Opening would create an empty store: say what to do instead.
        raise StoreError(
            f"there is no store at {target}",
            "ingest articles first (quotetrace ingest PATH --db ...), or give PATHS to read",
        )
    with Store.open(target) as store:
        update = update_store_stories(store, recompute=recompute)
        if update.articles_written:
            print(
                f"{update.new_articles} new article(s) placed in stories; "
                f"{update.articles_written} article(s) given a story id",
                file=sys.stderr,
            )
        return stored_story_reports(store, min_articles=min_articles, story_id=story)


def _reports_from_paths(
    paths: list[Path], model: str | None, min_articles: int
) -> list[dict[str, Any]]:
    from ..ingest import ReadReport, iter_articles
    from ..stories.service import build_story_reports

    processed: list[ProcessedArticle] = []
    plain: list[Path] = []
    for path in paths:
        extracted = _extracted_records(path)
        if extracted is None:
            plain.append(path)
        else:
            processed.extend(extracted)
    errors = 0
    if plain:
        report = ReadReport()
        articles = list(iter_articles([os.fspath(p) for p in plain], print_error, report))
        errors = len(report.errors)
        if articles:
            from ..nlp.pipeline import extract_articles, load_pipeline

            processed.extend(extract_articles(articles, load_pipeline(model)))
    if not processed:
        raise InputError("no articles found in the given paths", "give .txt or .jsonl files")
    reports = build_story_reports(processed, min_articles=min_articles)
    if errors:
        print(f"{errors} input problem(s) reported above; the rest was used", file=sys.stderr)
    return reports


def _extracted_records(path: Path) -> list[ProcessedArticle] | None:
    """Records of `quotetrace extract --format jsonl` (they carry attributions), else None."""
    if path.suffix.lower() not in (".jsonl", ".ndjson") or not path.is_file():
        return None
    try:
        with path.open(encoding="utf-8") as fh:
            first = next((line for line in fh if line.strip()), "")
    except (OSError, UnicodeDecodeError):
        return None  # the readers report it properly
    try:
        if "attributions" not in json.loads(first) or "text" not in json.loads(first):
            return None
    except (json.JSONDecodeError, TypeError):
        return None
    return list(_read_extracted(path))


def _read_extracted(path: Path) -> Iterator[ProcessedArticle]:
    with path.open(encoding="utf-8") as fh:
        for n, line in enumerate(fh, 1):
            if not line.strip():
                continue
            where = f"{path}:{n}"
            try:
                record = json.loads(line)
                meta = record.get("meta") or {}
                article = Article(
                    doc_id=str(record["doc_id"]),
                    text=str(record["text"]),
                    date=meta.get("date"),
                    outlet=meta.get("outlet"),
                    title=meta.get("title"),
                    meta=meta,
                )
                attributions = tuple(Attribution.from_json(a) for a in record["attributions"])
                actors = tuple(
                    Actor(
                        actor_id=int(a["id"]),
                        name=str(a["name"]),
                        label=str(a.get("label", "")),
                        mentions=tuple((int(s), int(e)) for s, e in a.get("mentions", [])),
                    )
                    for a in record.get("actors", [])
                )
            except (json.JSONDecodeError, KeyError, TypeError, ValueError, AssertionError) as exc:
                print_error(
                    MalformedRecordError(
                        f"not an extracted record ({exc.__class__.__name__}: {exc})",
                        "give the output of `quotetrace extract --format jsonl`",
                        source=where,
                    )
                )
                continue
            yield ProcessedArticle(article, attributions, actors)
