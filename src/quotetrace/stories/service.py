"""Stories as the library serves them: processed articles in, one JSON report per story out.

    reports = build_story_reports(processed_articles)
    reports[0]["statements"][0]["differences"]["versions"][1]["changes"]
    # [{"op": "changed", "reference": "Flood", "version": "Storm"}, ...]

A report is::

    {"story_id", "title", "doc_ids": [...], "outlets": [{"doc_id", "outlet", "date"}],
     "statements": [{"speaker", "members": [{"doc_id", "outlet", "content": [start, end],
                     "text", "kind", "cue", "when"}], "differences": {...}}],
     "names": {ACTOR: {OUTLET: [NAMES]}},
     "events": [{"type", "participants", "place", "date", "date_text", "reported_by"}]}

``content`` offsets are character offsets into the article text as ingested (FORMAT.md).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from ..models import ProcessedArticle
from .actors import StoryActors
from .alignment import AlignmentParams, StatementGroup, align_statements
from .clustering import ClusteringParams, StoryIndex, assign_to_stories
from .differences import compare_group
from .encoder import encoder_mode
from .events import Event, find_events, statement_setting
from .naming import story_names
from .text import sentence_spans

__all__ = ["build_story_reports", "story_report"]


def _title(docs: Sequence[ProcessedArticle]) -> str:
    for processed in docs:
        if processed.article.title:
            return processed.article.title
    text = docs[0].article.text
    spans = sentence_spans(text)
    first = text[spans[0][0] : spans[0][1]] if spans else text
    words = first.split()
    return " ".join(words[:16]) + (" …" if len(words) > 16 else "")


def _merge_events(events: list[Event], outlet_of: dict[str, str]) -> list[dict[str, Any]]:
    """One entry per event: reports of one meeting share a day or a participant."""
    merged: list[dict[str, Any]] = []
    for event in events:
        data = event.to_json()
        data["outlet"] = outlet_of.get(event.doc_id)
        target = None
        for entry in merged:
            same_day = (
                entry["date"] is None or data["date"] is None or entry["date"] == data["date"]
            )
            shared = set(entry["participants"]) & set(data["participants"])
            if entry["type"] == data["type"] and same_day and shared:
                target = entry
                break
        if target is None:
            merged.append(
                {
                    "type": data["type"],
                    "participants": list(data["participants"]),
                    "place": data["place"],
                    "date": data["date"],
                    "date_text": data["date_text"],
                    "reported_by": [
                        {
                            "doc_id": data["doc_id"],
                            "outlet": data["outlet"],
                            "sentence": data["sentence"],
                            "place": data["place"],
                            "date_text": data["date_text"],
                        }
                    ],
                }
            )
            continue
        target["participants"].extend(
            p for p in data["participants"] if p not in target["participants"]
        )
        target["place"] = target["place"] or data["place"]
        if target["date"] is None:
            target["date"], target["date_text"] = data["date"], data["date_text"]
        target["reported_by"].append(
            {
                "doc_id": data["doc_id"],
                "outlet": data["outlet"],
                "sentence": data["sentence"],
                "place": data["place"],
                "date_text": data["date_text"],
            }
        )
    return merged


def story_report(
    story_id: str,
    docs: Sequence[ProcessedArticle],
    alignment: AlignmentParams | None = None,
) -> dict[str, Any]:
    """Everything quotetrace says about one story, as JSON-ready data."""
    docs = sorted(docs, key=lambda p: (p.article.date or "9999", p.article.doc_id))
    by_id = {p.article.doc_id: p for p in docs}
    actors = StoryActors.build(docs)
    groups = align_statements(docs, actors, alignment)

    def label(doc_id: str, name: str) -> str:
        return actors.label((doc_id, name))

    events_by_doc = {p.article.doc_id: find_events(p, label) for p in docs}
    outlets = [(p.article.doc_id, p.article.outlet or p.article.doc_id) for p in docs]
    statements = [_statement_json(g, by_id, actors, events_by_doc, outlets) for g in groups]
    # Shared statements first (what the outlets have in common), then each outlet's own.
    statements.sort(key=lambda s: -len(s["members"]))
    return {
        "alignment_mode": (alignment.mode if alignment and alignment.mode else encoder_mode()),
        "story_id": story_id,
        "title": _title(docs),
        "doc_ids": [p.article.doc_id for p in docs],
        "outlets": [
            {"doc_id": p.article.doc_id, "outlet": p.article.outlet, "date": p.article.date}
            for p in docs
        ],
        "statements": statements,
        "names": story_names(docs, actors, groups),
        "events": _merge_events(
            [e for p in docs for e in events_by_doc[p.article.doc_id]], dict(outlets)
        ),
        "coverage": _coverage(docs, statements),
    }


def _coverage(
    docs: Sequence[ProcessedArticle], statements: list[dict[str, Any]]
) -> list[dict[str, Any]]:
    """Per article: which shared statements it carried, which it left out, which it was first
    (by dateline) to report. Statements are numbered as in ``statements``."""
    shared = [n for n, s in enumerate(statements) if len(s["members"]) > 1]
    out = []
    for p in docs:
        doc_id = p.article.doc_id
        carried = [n for n in shared if doc_id in {m["doc_id"] for m in statements[n]["members"]}]
        first = []
        for n in carried:
            fr = statements[n]["differences"].get("first_reported")
            if fr and fr["date"] == p.article.date:
                first.append(n)
        out.append(
            {
                "doc_id": doc_id,
                "outlet": p.article.outlet,
                "date": p.article.date,
                "carried": carried,
                "left_out": [n for n in shared if n not in carried],
                "first_to_report": first,
            }
        )
    return out


def _statement_json(
    group: StatementGroup,
    by_id: dict[str, ProcessedArticle],
    actors: StoryActors,
    events_by_doc: dict[str, list[Event]],
    outlets: list[tuple[str, str]],
) -> dict[str, Any]:
    members = []
    for m in group.members:
        processed = by_id[m.doc_id]
        setting = statement_setting(processed, m.attribution, events_by_doc[m.doc_id])
        members.append(
            {
                "doc_id": m.doc_id,
                "outlet": m.outlet,
                "content": list(m.content),
                "text": m.text,
                "kind": m.attribution.kind,
                "speaker": m.attribution.speaker,
                "cue": processed.snippet(m.attribution.cue) or None,
                "when": setting.to_json() if setting else None,
                "date": processed.article.date,
                # Here by one of its sentences; the whole statement is in another group too.
                "partial": (m.doc_id, m.index) in group.partial,
            }
        )
    return {
        "speaker": actors.label(group.actor) if group.actor else None,
        "members": members,
        "differences": compare_group(group, by_id, outlets),
    }


def build_story_reports(
    processed: Iterable[ProcessedArticle],
    index: StoryIndex | None = None,
    *,
    params: ClusteringParams | None = None,
    min_articles: int = 1,
) -> list[dict[str, Any]]:
    """Cluster articles into stories and report each; biggest stories first.

    ``index`` may hold earlier articles (incremental use): the new ones join its stories,
    and only stories with at least one of the given articles are reported.
    """
    items = list(processed)
    index = index if index is not None else StoryIndex(params or ClusteringParams())
    assigned = assign_to_stories(items, index)
    by_id = {p.article.doc_id: p for p in items}
    stories: dict[str, list[ProcessedArticle]] = {}
    for doc_id, story_id in assigned.items():
        stories.setdefault(story_id, []).append(by_id[doc_id])
    reports = [
        story_report(story_id, docs)
        for story_id, docs in stories.items()
        if len(docs) >= min_articles
    ]
    reports.sort(key=lambda r: (-len(r["doc_ids"]), r["outlets"][0]["date"] or "", r["story_id"]))
    return reports
