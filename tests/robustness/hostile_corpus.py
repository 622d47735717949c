"""A folder of hostile input files, written by the tests themselves, with what each must give.

Every file gets either a correct result (``good``: the doc ids it must yield) or one clear
error (``bad``: the error code, and the file, or file and line, it must name). The sizes
scale: ``make test`` writes small versions (``FUZZ`` off), ``make fuzz`` the full ones
(100,000 quote marks, 10,000 nested elements, a 50 MB JSONL line).

All text here is fictional and written for these tests.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from pathlib import Path

import pytest

__all__ = [
    "FUZZ",
    "GOOD_ARTICLE",
    "Expected",
    "examples",
    "fuzz_only",
    "write_hostile_folder",
]

FUZZ = os.environ.get("QUOTETRACE_FUZZ", "") == "1"
fuzz_only = pytest.mark.skipif(not FUZZ, reason="full-size hostile input: run `make fuzz`")


def examples(fast: int, fuzz: int) -> int:
    """Hypothesis examples: few in ``make test``, many in ``make fuzz``."""
    return fuzz if FUZZ else fast


GOOD_ARTICLE = (
    "Mayor Corinne Haldane said the new bridge over the Vell river would reopen in May. "
    "“We will not wait another winter,” she told reporters in Lisvek on Monday.\n\n"
    "Councillor Piet Lammerts said the repairs had cost more than planned."
)


@dataclass
class Expected:
    """What reading the folder must give: good doc ids, and (code, where) per bad input."""

    good: list[str] = field(default_factory=list)
    bad: list[tuple[str, str]] = field(default_factory=list)
    # Files whose only requirement is no traceback: an article or a clear error, either way.
    either: list[str] = field(default_factory=list)


def _record(doc_id: object, text: object, **meta: object) -> str:
    out: dict[str, object] = {"doc_id": doc_id, "text": text}
    if meta:
        out["meta"] = meta
    return json.dumps(out, ensure_ascii=False)


def write_hostile_folder(root: Path, *, full: bool = FUZZ) -> Expected:
    """Write the hostile and good files under ``root``; return what reading must give."""
    root.mkdir(parents=True, exist_ok=True)
    ex = Expected()

    def good_file(name: str, data: bytes) -> None:
        (root / name).write_bytes(data)
        ex.good.append(str(root / name))

    def bad_file(name: str, data: bytes, code: str) -> None:
        (root / name).write_bytes(data)
        ex.bad.append((code, str(root / name)))

    crawl = "date 2026-03-02 Vell Post - " + GOOD_ARTICLE
    good_file("good-crawl.txt", crawl.encode("utf-8"))
    good_file("good-utf16-bom.txt", crawl.encode("utf-16"))
    good_file("good-utf16le-nobom.txt", crawl.encode("utf-16-le"))
    good_file("good-utf16be-nobom.txt", crawl.encode("utf-16-be"))
    # Mostly UTF-8 (curly quotes and all) with a truncated character and a stray byte.
    raw = crawl.encode("utf-8")
    good_file("mostly-utf8.txt", raw[:40] + b"\xe2\x80" + raw[40:90] + b"\xff" + raw[90:])
    # Control characters (not NUL) and direction / zero-width marks inside the prose.
    good_file("controls.txt", GOOD_ARTICLE.replace(" said ", " said\x01\x07 ", 1).encode())
    marks = GOOD_ARTICLE.replace("Haldane", "Hal\u200bdane\u200f").replace(
        "bridge", "\u202ebridge\u202c"
    )
    good_file("rtl-zero-width.txt", ("\u2066" + marks + "\u2069").encode("utf-8"))
    quotes = 100_000 if full else 3_000
    ex.either.append(str(root / "quote-flood.txt"))
    (root / "quote-flood.txt").write_text("“" * quotes + "\n\n" + GOOD_ARTICLE, "utf-8")

    bad_file("nul.txt", b"Mayor\x00Haldane said\x00" * 50, "input/binary")
    bad_file("empty.txt", b"", "input/empty")
    depth = 10_000 if full else 2_000
    deep = "<html><body>" + "<div>" * depth + "<p>hi</p>" + "</div>" * depth + "</body></html>"
    ex.either.append(str(root / "deep.html"))
    (root / "deep.html").write_text(deep, "utf-8")
    scripts = "<html><head><script>var a = 1;</script></head><body>"
    scripts += "<script>document.write('x')</script>" * 20 + "</body></html>"
    bad_file("scripts-only.html", scripts.encode(), "input/empty")

    # One huge JSONL line: over QUOTETRACE_MAX_FILE_BYTES (20 MB by default; the fast slice
    # sets the limit lower, see the tests).
    line_chars = 50_000_000 if full else 2_000_000
    with (root / "huge-line.jsonl").open("w", encoding="utf-8") as fh:
        fh.write(_record("huge", "Haldane said so. " * (line_chars // 17)) + "\n")
    ex.bad.append(("input/too-large", str(root / "huge-line.jsonl")))

    wire = root / "malformed.jsonl"
    lines = [
        _record("w-good", GOOD_ARTICLE, date="2026-03-02", outlet="Vell Wire"),
        _record(["a", "list"], GOOD_ARTICLE),
        _record({"an": "object"}, GOOD_ARTICLE),
        _record(1.5, GOOD_ARTICLE),
        _record(True, GOOD_ARTICLE),
        _record(None, GOOD_ARTICLE),
        _record("w-num-text", 42),
        _record("w-list-text", ["Haldane said so."]),
        _record("w-null-text", None),
        json.dumps({"doc_id": "w-list-meta", "text": GOOD_ARTICLE, "meta": [1, 2]}),
        json.dumps({"doc_id": "w-str-meta", "text": GOOD_ARTICLE, "meta": "2026"}),
        json.dumps({"doc_id": "w-num-meta", "text": GOOD_ARTICLE, "meta": 7}),
        _record("w-list-date", GOOD_ARTICLE, date=["2026", "03"]),
        _record("w-bad-date", GOOD_ARTICLE, date="the day after the summit"),
        _record("w-impossible-date", GOOD_ARTICLE, date="2026-02-30"),
        '{"doc_id": "w-surrogate", "text": "Haldane said \\ud800 so."}',
        '{"doc_id": ' + "9" * 5000 + ', "text": "x"}',
        "[" * 100_000 + "]" * 100_000,
        '{"doc_id": "w-cut", "text": "Haldane sa',
        _record("w-dup", GOOD_ARTICLE),
        _record("w-dup", GOOD_ARTICLE.replace("May", "June")),
    ]
    wire.write_text("\n".join(lines) + "\n", "utf-8")
    ex.good += ["w-good", "w-bad-date", "w-impossible-date", "w-dup", "w-dup"]
    ex.bad += [
        ("input/malformed", f"{wire}:{n}") for n in (2, 3, 4, 5, 7, 8, 10, 11, 12, 13, 16, 17)
    ]
    ex.bad += [("input/malformed", f"{wire}:{n}") for n in (6, 9, 18, 19)]
    # The same doc_id in another file: kept as given, like every doc_id.
    (root / "other.jsonl").write_text(_record("w-dup", GOOD_ARTICLE + " Again.") + "\n", "utf-8")
    ex.good.append("w-dup")

    # Symlinks: a loop, a dangling link, and a directory link back up (never followed).
    os.symlink(root / "loop-b.txt", root / "loop-a.txt")
    os.symlink(root / "loop-a.txt", root / "loop-b.txt")
    ex.bad += [("input/unreadable", str(root / "loop-a.txt"))]
    ex.bad += [("input/unreadable", str(root / "loop-b.txt"))]
    os.symlink(root / "nowhere.txt", root / "dangling.txt")
    ex.bad.append(("input/unreadable", str(root / "dangling.txt")))
    (root / "sub").mkdir()
    os.symlink(root, root / "sub" / "up")
    # A named pipe would block a reader forever.
    os.mkfifo(root / "pipe.txt")
    ex.bad.append(("input/unreadable", str(root / "pipe.txt")))
    return ex
