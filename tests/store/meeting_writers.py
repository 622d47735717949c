"""Two ingest processes into one store, each made to wait for the other after its first commit.

Started as separate processes (``spawn``: a fresh interpreter each, its own model and its own
engine), they run what ``quotetrace ingest`` runs: ``ingest_paths`` with a pipeline loaded up
front, then the story placement. The only addition is where they meet: the ingest's progress
callback, which ``ingest_paths`` calls right after each batch committed, holds a writer at its
first commit until the other writer has committed too. So whatever the machine's load, however
long one process takes to start or load its model, both writers have stored a batch before
either stores a second, and each then still has most of its input to write while the other
writes too: the overlap is guaranteed, not hoped for. Nothing in the store is replaced or
told about this; it only sees two writers committing in turn.
"""

from __future__ import annotations

import multiprocessing
import queue
import time
import traceback
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from quotetrace.nlp.pipeline import load_pipeline
from quotetrace.store import Store
from quotetrace.store.ingest import ingest_paths
from quotetrace.stories.store_sync import has_unplaced_articles, update_store_stories

if TYPE_CHECKING:
    from multiprocessing.queues import Queue
    from multiprocessing.synchronize import Barrier

__all__ = ["WriterOutcome", "run_meeting_writers"]

# Longest a writer waits for the other at the meeting point: loading the model on a busy
# machine takes seconds, not minutes; past this the other writer is taken to be stuck.
MEETING_SECONDS = 300.0
# Longest the whole run may take before the test gives up on the writers.
RUN_SECONDS = 900.0


@dataclass
class WriterOutcome:
    """What one writer reports: its input, the errors ingest reported, a traceback if it died."""

    part: str
    stored: int = 0
    errors: list[str] = field(default_factory=list)
    failure: str | None = None


class _MeetAfterFirstCommit:
    """An ``IngestProgress`` that waits for the other writer once, after the first commit."""

    def __init__(self, meeting: Barrier) -> None:
        self._meeting = meeting
        self._met = False

    def start(self, total: int) -> None:
        return None

    def advance(self, done: int) -> None:
        if not self._met:
            self._met = True
            self._meeting.wait(MEETING_SECONDS)


def _write(
    url: str,
    part: str,
    commit_every: int,
    meeting: Barrier,
    outcomes: Queue[WriterOutcome],
) -> None:
    """One writer process: ingest ``part`` into ``url`` as ``quotetrace ingest`` would."""
    outcome = WriterOutcome(part)
    try:
        nlp = load_pipeline()
        with Store.open(url) as store:
            report = ingest_paths(
                store,
                [part],
                nlp=nlp,
                n_process=1,
                commit_every=commit_every,
                progress=_MeetAfterFirstCommit(meeting),
            )
            # What the CLI's ingest does next: place the new articles in stories.
            if report.added.articles_added or has_unplaced_articles(store):
                update_store_stories(store)
        outcome.stored = report.added.articles_added
        outcome.errors = [str(e) for e in report.errors]
    except BaseException:
        meeting.abort()  # the other writer must not wait for one that is gone
        outcome.failure = traceback.format_exc()
    outcomes.put(outcome)


def run_meeting_writers(url: str, parts: list[str], commit_every: int) -> list[WriterOutcome]:
    """Ingest each of ``parts`` into ``url`` in its own process, all at once; their outcomes."""
    context = multiprocessing.get_context("spawn")
    meeting = context.Barrier(len(parts))
    outcomes: Queue[WriterOutcome] = context.Queue()
    writers = [
        context.Process(target=_write, args=(url, part, commit_every, meeting, outcomes))
        for part in parts
    ]
    for writer in writers:
        writer.start()
    received: list[WriterOutcome] = []
    deadline = time.monotonic() + RUN_SECONDS
    try:
        while len(received) < len(writers):
            try:
                received.append(outcomes.get(timeout=1.0))
                continue
            except queue.Empty:
                pass
            # A writer killed without reporting (a crash in native code): stop the others too.
            if any(w.exitcode not in (None, 0) for w in writers):
                meeting.abort()
            gone = all(w.exitcode is not None for w in writers)
            if (gone and outcomes.empty()) or time.monotonic() > deadline:
                raise AssertionError(
                    f"{len(received)} of {len(writers)} writers reported "
                    f"(exit codes {[w.exitcode for w in writers]})"
                )
    finally:
        for writer in writers:
            writer.join(30)
            if writer.is_alive():
                writer.kill()
                writer.join()
    return sorted(received, key=lambda o: parts.index(o.part))
