"""The terminal view of a story: the outlets side by side.

For each statement that two or more outlets reported, one table with a column per outlet:
the name the outlet gave the speaker, its cue, whether it quoted, its words (the words that
differ from the reference version marked), and the word changes spelled out. Then the
statements only one outlet reported, the names each outlet used for each actor, and the
events (who met whom, where, when).
"""

from __future__ import annotations

import difflib
import io
from typing import Any

from rich.console import Console
from rich.table import Table
from rich.text import Text

from .differences import diff_tokens

__all__ = ["render_story_table"]


def _marked(text: str, reference: str, is_reference: bool) -> Text:
    """The version's words, those not in the reference underlined."""
    out = Text()
    if is_reference:
        out.append(text)
        return out
    ref = [t.lower for t in diff_tokens(reference)]
    tokens = diff_tokens(text)
    matcher = difflib.SequenceMatcher(a=ref, b=[t.lower for t in tokens], autojunk=False)
    differing: set[int] = set()
    for op, _, _, j1, j2 in matcher.get_opcodes():
        if op in ("replace", "insert"):
            differing.update(range(j1, j2))
    pos = 0
    for i, tok in enumerate(tokens):  # offsets into ``text``: it was tokenised on its own
        out.append(text[pos : tok.start])
        out.append(text[tok.start : tok.end], style="bold underline" if i in differing else "")
        pos = tok.end
    out.append(text[pos:])
    return out


def _change_summary(changes: list[dict[str, str]]) -> str:
    parts = []
    for c in changes:
        if c["op"] == "changed":
            parts.append(f"{c['reference']} → {c['version']}")
        elif c["op"] == "dropped":
            parts.append(f"− {c['reference']}")
        else:
            parts.append(f"+ {c['version']}")
    return "; ".join(parts) if parts else "(same words)"


def _paraphrase_summary(version: dict[str, Any]) -> str:
    """A paraphrase told by what it shares and what it adds or leaves out, not word churn."""
    para = version.get("paraphrase") or {}
    parts = ["paraphrase"]
    shared = para.get("shared_phrases") or []
    if shared:
        parts.append("shares: " + ", ".join(f"“{p}”" for p in shared[:4]))
    for side, label in (("added", "adds"), ("dropped", "leaves out")):
        for kind, items in (para.get(side) or {}).items():
            parts.append(f"{label} {kind.replace('_', ' ')}: " + ", ".join(items))
    return "; ".join(parts)


def _version_changes(version: dict[str, Any]) -> str:
    if version.get("near_verbatim", True):
        return _change_summary(version["changes"])
    return _paraphrase_summary(version)


def _statement_table(statement: dict[str, Any]) -> Table:
    diff = statement["differences"]
    versions = diff["versions"]
    members = {m["doc_id"]: m for m in statement["members"]}
    reference = members[diff["reference"]]
    speaker = statement["speaker"] or "unknown speaker"
    table = Table(
        title=Text(f"{speaker} — reported by {len(versions)} outlets", style="bold"),
        title_justify="left",
        show_lines=True,
        expand=True,
    )
    table.add_column("", style="dim", no_wrap=True)
    for v in versions:
        mark = " (reference)" if v["doc_id"] == diff["reference"] else ""
        table.add_column(f"{v['outlet']}{mark}", overflow="fold", ratio=1)
    table.add_row("speaker named", *[v["source"] or "—" for v in versions])
    table.add_row("cue", *[v["cue"] or "—" for v in versions])
    table.add_row("quoted", *["yes" if v["quoted"] else "no" for v in versions])
    table.add_row(
        "words",
        *[
            _marked(
                members[v["doc_id"]]["text"], reference["text"], v["doc_id"] == diff["reference"]
            )
            for v in versions
        ],
    )
    whens = [members[v["doc_id"]]["when"] for v in versions]
    if any(whens):
        table.add_row(
            "when, where",
            *[
                ", ".join(x for x in (w.get("date"), w.get("place")) if x) if w else "—"
                for w in whens
            ],
        )
    table.add_row(
        "changes",
        *["" if v["doc_id"] == diff["reference"] else _version_changes(v) for v in versions],
    )
    caption = []
    first = diff.get("first_reported")
    if first:
        caption.append(f"first reported by {', '.join(first['outlets'])} ({first['date']})")
    if diff["missing_from"]:
        caption.append("not reported by: " + ", ".join(m["outlet"] for m in diff["missing_from"]))
    for q in diff.get("quoted_differently", []):
        quoted = " / ".join(
            f"{o}: “{q['quoted'][d]}”" for d, o in zip(q["doc_ids"], q["outlets"], strict=True)
        )
        caption.append(f"both quote it, in different words — {quoted}")
    if caption:
        table.caption = "\n".join(caption)
        table.caption_justify = "left"
    return table


def _names_table(names: dict[str, dict[str, list[str]]], outlets: list[str]) -> Table:
    table = Table(
        title="Names each outlet used", title_justify="left", show_lines=True, expand=True
    )
    table.add_column("actor", style="bold", overflow="fold")
    for outlet in outlets:
        table.add_column(outlet, overflow="fold", ratio=1)
    for actor, per_outlet in names.items():
        table.add_row(actor, *["; ".join(per_outlet.get(o, [])) or "—" for o in outlets])
    return table


def _singles_table(singles: list[dict[str, Any]]) -> Table:
    table = Table(
        title="Reported by one outlet only", title_justify="left", show_lines=False, expand=True
    )
    table.add_column("outlet", no_wrap=True)
    table.add_column("speaker", overflow="fold", max_width=26)
    table.add_column("cue", overflow="fold", max_width=16)
    table.add_column("statement", overflow="fold", ratio=1)
    for statement in singles:
        m = statement["members"][0]
        table.add_row(m["outlet"], statement["speaker"] or "—", m["cue"] or "—", m["text"])
    return table


def render_story_table(report: dict[str, Any], width: int = 120) -> str:
    """One story as text for the terminal (no colour codes when written to a file)."""
    buffer = io.StringIO()
    console = Console(file=buffer, width=width, highlight=False, soft_wrap=False)
    outlets = []
    for o in report["outlets"]:
        name = o["outlet"] or o["doc_id"]
        if name not in outlets:
            outlets.append(name)
    console.rule(Text(report["title"], style="bold"))
    console.print(
        f"story {report['story_id']} · {len(report['doc_ids'])} article(s): "
        + "; ".join(
            f"{o['outlet'] or o['doc_id']} ({o['date'] or 'undated'})" for o in report["outlets"]
        )
    )
    for event in report["events"]:
        told = "; ".join(
            f"{r.get('outlet') or r['doc_id']}: {r['date_text']}"
            for r in event["reported_by"]
            if r["date_text"]
        )
        console.print(
            f"{event['type']}: {', '.join(event['participants'])}"
            f" · {event['place'] or 'place not stated'} · {event['date'] or 'date not stated'}"
            + (f" ({told})" if told else "")
        )
    shared = [s for s in report["statements"] if len(s["members"]) > 1]
    singles = [s for s in report["statements"] if len(s["members"]) == 1]
    for statement in shared:
        console.print(_statement_table(statement))
    if singles:
        console.print(_singles_table(singles))
    if report["names"]:
        console.print(_names_table(report["names"], outlets))
    return buffer.getvalue()
