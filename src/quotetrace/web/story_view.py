"""A story page: its outlets side by side, one row per statement as each outlet told it.

The content is ``quotetrace.stories.story_report`` over the story's stored articles: aligned
statements, their word-level differences against the group's reference version, and the
names each outlet uses. This module only lays that out for a table and adds the store's ids
(so each cell links to the statement in its article): in a version, the words it added or
changed are marked; in the reference, the words another outlet dropped or changed.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from ..errors import NotFoundError
from ..store import Store, StoredArticle
from ..stories import story_report
from ..stories.text import word_tokens

__all__ = [
    "MAX_REPORTS",
    "Piece",
    "StoryCell",
    "StoryRow",
    "StoryView",
    "load_story",
    "mark_words",
    "representative_reports",
]

MAX_REPORTS = 12


@dataclass(frozen=True)
class Piece:
    text: str
    mark: str | None = None  # "added" (this version's own words) or "differs" (in the reference)


@dataclass(frozen=True)
class StoryCell:
    statement_id: int | None
    article_id: int
    kind: str
    cue: str | None
    is_reference: bool
    pieces: tuple[Piece, ...]
    changes: tuple[dict[str, str], ...]
    # A paraphrase of the reference: its shared phrases are marked instead of the word diff,
    # and ``paraphrase`` lists the numbers, names, qualifiers and scare quotes it added/dropped.
    near_verbatim: bool = True
    paraphrase: dict[str, Any] | None = None
    partial: bool = False
    date: str | None = None


@dataclass(frozen=True)
class StoryRow:
    speaker: str | None
    cells: tuple[StoryCell | None, ...]  # one per column (article)
    quoted_differently: tuple[dict[str, Any], ...] = ()
    first_reported: dict[str, Any] | None = None

    @property
    def outlets(self) -> int:
        return sum(c is not None for c in self.cells)


@dataclass(frozen=True)
class StoryView:
    story_id: str
    title: str
    articles: tuple[StoredArticle, ...]
    rows: tuple[StoryRow, ...]
    names: dict[str, dict[str, list[str]]]
    report: dict[str, Any]
    reports_total: int

    def to_json(self) -> dict[str, Any]:
        """The stories stage's report, plus the store's article and statement ids."""
        out = dict(self.report)
        out["articles"] = [a.to_json(include_text=False) for a in self.articles]
        return out


def _find_run(tokens: Sequence[str], run: Sequence[str], start: int) -> int | None:
    for i in range(start, len(tokens) - len(run) + 1):
        if list(tokens[i : i + len(run)]) == list(run):
            return i
    return None


def mark_words(text: str, runs: Iterable[str], mark: str) -> tuple[Piece, ...]:
    """``text`` in pieces, the word runs (in order, as the diff lists them) marked ``mark``.

    >>> [p.text for p in mark_words("we will rebuild it", ["will"], "added") if p.mark]
    ['will']
    """
    tokens = word_tokens(text)
    lowered = [t.lower for t in tokens]
    marked: set[int] = set()
    cursor = 0
    for run in runs:
        words = [t.lower for t in word_tokens(run)]
        if not words:
            continue
        at = _find_run(lowered, words, cursor)
        if at is None:
            at = _find_run(lowered, words, 0)
        if at is None:
            continue
        marked.update(range(at, at + len(words)))
        cursor = at + len(words)
    pieces: list[Piece] = []
    pos = 0
    for i, tok in enumerate(tokens):
        if tok.start > pos:
            pieces.append(Piece(text[pos : tok.start]))
        pieces.append(Piece(tok.text, mark if i in marked else None))
        pos = tok.end
    if pos < len(text):
        pieces.append(Piece(text[pos:]))
    return tuple(pieces)


def _row(
    statement: dict[str, Any],
    columns: dict[str, int],
    ids: dict[tuple[str, int, int], int],
    article_ids: dict[str, int],
) -> StoryRow:
    diff = statement["differences"]
    versions = {v["doc_id"]: v for v in diff["versions"]}
    reference = diff["reference"]
    # Words of the reference that some other version dropped or changed, in diff order.
    reference_runs = [
        c["reference"]
        for v in diff["versions"]
        for c in v["changes"]
        if c["op"] in ("dropped", "changed")
    ]
    cells: list[StoryCell | None] = [None] * len(columns)
    for member in statement["members"]:
        doc_id = member["doc_id"]
        changes = versions.get(doc_id, {}).get("changes", [])
        is_reference = doc_id == reference and len(statement["members"]) > 1
        version = versions.get(doc_id, {})
        near = bool(version.get("near_verbatim", True))
        if is_reference:
            pieces = mark_words(member["text"], reference_runs, "differs")
        elif not near and version.get("paraphrase"):
            pieces = mark_words(member["text"], version["paraphrase"]["shared_phrases"], "shared")
        else:
            runs = [c["version"] for c in changes if c["op"] in ("added", "changed")]
            pieces = mark_words(member["text"], runs, "added")
        start, end = member["content"]
        cells[columns[doc_id]] = StoryCell(
            statement_id=ids.get((doc_id, start, end)),
            article_id=article_ids[doc_id],
            kind=member["kind"],
            cue=member["cue"],
            is_reference=is_reference,
            pieces=pieces,
            changes=tuple(changes) if near else (),
            near_verbatim=near,
            paraphrase=None if near or is_reference else version.get("paraphrase"),
            partial=bool(member.get("partial")),
            date=member.get("date"),
        )
    return StoryRow(
        statement["speaker"],
        tuple(cells),
        tuple(diff.get("quoted_differently", [])),
        diff.get("first_reported"),
    )


def representative_reports(
    stored: Sequence[StoredArticle], limit: int = MAX_REPORTS
) -> list[StoredArticle]:
    """At most ``limit`` reports: each outlet's first, then the next earliest.

    A story that runs for weeks may hold hundreds of reports; side by side, a dozen columns is
    what a screen (and the quadratic alignment) can take, and one per outlet is what the
    comparison is about.
    """
    by_date = sorted(stored, key=lambda a: (a.published is None, a.published, a.id))
    chosen: list[StoredArticle] = []
    outlets: set[str | None] = set()
    for article in by_date:
        if article.outlet not in outlets and len(chosen) < limit:
            chosen.append(article)
            outlets.add(article.outlet)
    for article in by_date:
        if len(chosen) >= limit:
            break
        if article not in chosen:
            chosen.append(article)
    return sorted(chosen, key=lambda a: (a.published is None, a.published, a.id))


def load_story(store: Store, story_id: str) -> StoryView:
    """A stored story, compared; ``NotFoundError`` when no current article belongs to it."""
    stored_articles = store.articles(story_id=story_id)
    if not stored_articles:
        raise NotFoundError(
            f"no story {story_id!r}", "list the stories at /api/stories", source="story"
        )
    chosen = representative_reports(stored_articles)
    stored = list(store.iter_processed(article_ids=[a.id for a in chosen]))
    report = story_report(story_id, [s.processed for s in stored])
    by_doc = {s.article.doc_id: s for s in stored}
    articles = tuple(by_doc[doc_id].article for doc_id in report["doc_ids"])
    columns = {doc_id: i for i, doc_id in enumerate(report["doc_ids"])}
    ids = {
        (s.article.doc_id, *att.content): sid
        for s in stored
        for att, sid in zip(s.processed.attributions, s.statement_ids, strict=True)
    }
    article_ids = {doc_id: s.article.id for doc_id, s in by_doc.items()}
    rows = tuple(_row(st, columns, ids, article_ids) for st in report["statements"])
    for statement in report["statements"]:
        for member in statement["members"]:
            start, end = member["content"]
            member["statement_id"] = ids.get((member["doc_id"], start, end))
            member["article_id"] = article_ids[member["doc_id"]]
    report["reports_total"] = len(stored_articles)
    return StoryView(
        story_id, report["title"], articles, rows, report["names"], report, len(stored_articles)
    )
