"""Two ingest processes writing into one store at the same time, on both backends.

The processes are real (each a fresh interpreter with its own model and its own connection)
and their inputs overlap: both read the middle of the corpus, so both extract those articles
and race to store them. Small transactions (``--commit-every 3``) make the writers take turns
many times. The result must equal one uninterrupted ingest of the whole corpus: every article
once, each with exactly its statements, and every speaker one actor (not one per process).

The writers meet after their first commits (meeting_writers.py): started as two ``quotetrace
ingest`` commands, one could finish before the other had loaded its model on a busy machine,
and then nothing raced at all.
"""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
import sqlalchemy as sa
from meeting_writers import run_meeting_writers
from store_builders import tiny_wire_corpus

from quotetrace.store import Store
from quotetrace.store.ingest import ingest_paths
from quotetrace.store.schema import actors, articles

if TYPE_CHECKING:
    from spacy.language import Language

pytestmark = pytest.mark.model

CORPUS_SIZE = 400
# Writer A takes articles [0, 260), writer B [140, 400): 120 articles both of them store.
# Each starts with its own part and ends with the shared one, so that both reach the shared
# articles at about the same time (the race). Both commit their first batch (of their own
# part) before either commits a second, so their own parts' commits interleave.
A_END, B_START = 260, 140
COMMIT_EVERY = 3

PerArticle = dict[str, list[tuple[int, int, str, str | None]]]


def _write_jsonl(path: Path, records: list[dict[str, object]]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return path


def per_article(store: Store) -> PerArticle:
    return {
        p.article.doc_id: [
            (a.content[0], a.content[1], a.kind, a.speaker) for a in p.processed.attributions
        ]
        for p in store.iter_processed()
    }


@pytest.fixture(scope="module")
def halves(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, Path]:
    folder = tmp_path_factory.mktemp("writers")
    records = tiny_wire_corpus(CORPUS_SIZE)
    return (
        _write_jsonl(folder / "a.jsonl", records[:A_END]),
        _write_jsonl(folder / "b.jsonl", records[A_END:] + records[B_START:A_END]),
        _write_jsonl(folder / "all.jsonl", records),
    )


@pytest.fixture(scope="module")
def reference(
    halves: tuple[Path, Path, Path], tmp_path_factory: pytest.TempPathFactory, nlp: Language
) -> tuple[PerArticle, dict[str, int]]:
    with Store.open(str(tmp_path_factory.mktemp("ref") / "ref.db")) as ref:
        ingest_paths(ref, [str(halves[2])], nlp=nlp)
        return per_article(ref), ref.counts()


def test_two_ingest_processes_store_everything_once(
    store_url: str,
    halves: tuple[Path, Path, Path],
    reference: tuple[PerArticle, dict[str, int]],
) -> None:
    expected, expected_counts = reference
    Store.open(store_url).close()  # the schema first: two fresh processes would both migrate
    began = time.monotonic()
    outcomes = run_meeting_writers(store_url, [str(p) for p in halves[:2]], COMMIT_EVERY)
    seconds = time.monotonic() - began
    for outcome in outcomes:
        assert outcome.failure is None, outcome.failure  # e.g. StoreUnavailableError: locked
        assert outcome.errors == [], outcome.errors

    with Store.open(store_url) as store:
        stored = per_article(store)
        counts = store.counts()
        with store.engine.connect() as conn:
            order = list(conn.execute(sa.select(articles.c.doc_id).order_by(articles.c.id)))
            doubled_actors = list(
                conn.execute(
                    sa.select(sa.func.lower(actors.c.name), sa.func.count())
                    .group_by(sa.func.lower(actors.c.name))
                    .having(sa.func.count() > 1)
                )
            )
    # The writers really overlapped: commits of A's own part and of B's own part interleave.
    only_a = [i for i, (doc,) in enumerate(order) if int(doc.split("/")[1]) < B_START]
    only_b = [i for i, (doc,) in enumerate(order) if int(doc.split("/")[1]) >= A_END]
    overlapped = min(only_b) < max(only_a) and min(only_a) < max(only_b)
    assert overlapped, (
        f"the two ingests ran one after the other ({seconds:.0f} s): A's own articles at "
        f"commit positions {min(only_a)}-{max(only_a)}, B's at {min(only_b)}-{max(only_b)}"
    )
    # Between them the two writers stored each article once.
    assert sum(o.stored for o in outcomes) == CORPUS_SIZE

    assert stored == expected  # 0 lost, 0 changed
    assert counts["articles"] == CORPUS_SIZE  # 0 duplicated
    assert counts["statements"] == expected_counts["statements"]
    assert counts["mentions"] == expected_counts["mentions"]
    assert doubled_actors == []  # each speaker one actor, whichever process met them first
    assert counts["actors"] == expected_counts["actors"]
