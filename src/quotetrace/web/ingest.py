"""``POST /api/articles``: add articles to the store over HTTP (only with the server's token).

The body is what ``quotetrace extract`` reads and writes: FORMAT.md records, as one JSON
object, a JSON array or JSONL. The records go through the same reader as files do
(``quotetrace.ingest.iter_articles``), so an HTTP client gets the same checks and the same
error messages as the CLI. A record that already carries ``attributions`` (the output of
``extract --format jsonl``) is stored as it is; the others are extracted here, with the spaCy
pipeline loaded on the first such request. New articles are then placed in stories
(``quotetrace.stories.store_sync``), as ``quotetrace stories`` would.
"""

from __future__ import annotations

import json
import tempfile
import threading
from pathlib import Path
from typing import Any

from ..errors import BadRequestError, InputError, MalformedRecordError, QuotetraceError
from ..ingest import iter_articles
from ..models import Actor, Article, Attribution, ProcessedArticle
from ..store import AddResult, Store

__all__ = ["MAX_RECORDS", "ingest_body", "parse_records"]

MAX_RECORDS = 500
_EXTRACT_LOCK = threading.Lock()  # one parse at a time: the pipeline is large and not shared
_PIPELINE: list[Any] = []  # the spaCy pipeline, loaded by the first request that needs it


def parse_records(body: bytes) -> list[dict[str, Any]]:
    """The JSON records in a request body: an object, an array of objects, or JSONL."""
    if not body.strip():
        raise BadRequestError(
            "the request body is empty",
            'send FORMAT.md records, e.g. {"doc_id": "a1", "text": "..."}',
            source="request body",
        )
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        raise BadRequestError(
            "the request body is not UTF-8", "send JSON encoded as UTF-8", source="request body"
        ) from None
    try:
        parsed: Any = json.loads(text)
        records = parsed if isinstance(parsed, list) else [parsed]
    except json.JSONDecodeError:
        records = []
        for lineno, line in enumerate(text.splitlines(), 1):
            if not line.strip():
                continue
            try:
                records.append(json.loads(line))
            except json.JSONDecodeError as exc:
                raise MalformedRecordError(
                    f"malformed JSON ({exc.msg} at column {exc.colno})",
                    "send one JSON object, a JSON array, or one object a line",
                    source=f"request body:{lineno}",
                ) from None
    if len(records) > MAX_RECORDS:
        raise BadRequestError(
            f"{len(records)} records in one request; at most {MAX_RECORDS}",
            "split the upload into several requests",
            source="request body",
        )
    for i, record in enumerate(records, 1):
        if not isinstance(record, dict):
            raise MalformedRecordError(
                "a record is not a JSON object",
                'send {"doc_id", "text", "meta"} objects',
                source=f"request body:{i}",
            )
    return records


def _articles(records: list[dict[str, Any]]) -> list[Article]:
    """Read the records with the file reader, so they get exactly its checks."""
    errors: list[InputError] = []
    with tempfile.TemporaryDirectory(prefix="quotetrace-post-") as tmp:
        path = Path(tmp) / "request.jsonl"
        with path.open("w", encoding="utf-8") as fh:
            for record in records:
                fh.write(json.dumps(record, ensure_ascii=False) + "\n")
        read = list(iter_articles([path], on_error=errors.append))
    if errors:
        first = errors[0]
        where = (first.source or "").replace(str(path), "request body")
        raise type(first)(first.message, first.hint, source=where or "request body")
    return read


def _preextracted(article: Article, record: dict[str, Any], where: str) -> ProcessedArticle:
    try:
        attributions = tuple(Attribution.from_json(a) for a in record["attributions"])
        actors: list[Actor] = []
        for a in record.get("actors") or []:
            # what coreference added ("chain") stays apart, as from the extractor
            mentions, chain = Actor.split_chain(a.get("mentions", []), a.get("chain"))
            actors.append(
                Actor(
                    actor_id=int(a["id"]),
                    name=str(a["name"]),
                    label=str(a.get("label", "PERSON")),
                    mentions=mentions,
                    chain=chain,
                )
            )
    except (KeyError, TypeError, ValueError, IndexError, AssertionError) as exc:
        raise MalformedRecordError(
            f"an attribution or actor is malformed ({type(exc).__name__}: {exc})",
            "write attributions and actors as FORMAT.md describes",
            source=where,
        ) from None
    return ProcessedArticle(article, attributions, tuple(actors))


def ingest_body(store: Store, body: bytes) -> tuple[AddResult, list[str], list[QuotetraceError]]:
    """Store the articles in ``body``; returns what changed, the doc ids stored, in order, and
    the errors of records the pipeline failed on (those are left out, the others stored).

    A body that is not valid records is refused whole (nothing is stored; the client fixes it
    and sends it again); a record that is valid but makes the extractor fail is one document's
    problem, and never stops the others.
    """
    records = parse_records(body)
    read = _articles(records)
    processed: list[ProcessedArticle | None] = []
    to_extract: list[tuple[int, Article]] = []
    for i, (record, article) in enumerate(zip(records, read, strict=True)):
        if isinstance(record.get("attributions"), list):
            processed.append(_preextracted(article, record, f"request body:{i + 1}"))
        else:
            processed.append(None)
            to_extract.append((i, article))
    failures: list[QuotetraceError] = []
    if to_extract:
        from ..nlp.pipeline import extract_articles, load_pipeline

        position = {id(article): i for i, article in to_extract}
        with _EXTRACT_LOCK:
            if not _PIPELINE:
                _PIPELINE.append(load_pipeline())
            extracted = extract_articles(
                [a for _, a in to_extract],
                _PIPELINE[0],
                n_process=1,
                on_error=failures.append,
                describe=lambda a: f"request body:{position[id(a)] + 1} (doc_id {a.doc_id})",
            )
            for done in extracted:
                processed[position[id(done.article)]] = done
    ready = [p for p in processed if p is not None]
    if failures and not ready:
        raise failures[0]
    added = store.add_processed(ready)
    if added.articles_added:
        # New articles join the stories already stored (or found new ones), so their story
        # pages exist as soon as the request returns.
        from ..stories.store_sync import update_store_stories

        update_store_stories(store)
    return added, [p.article.doc_id for p in ready], failures
