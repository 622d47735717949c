"""Readers: files, directories and JSONL records in; ``Article`` records out.

Three layouts are read:

* the crawl layout of the seed article, one report per file::

      date 2023-11-06 Islam Times - Leader of the Islamic Revolution ... said ...

  whose header gives the date and the outlet; the text is the body after the header;
* plain text without a header;
* JSONL per ``FORMAT.md``: ``{"doc_id", "text", "meta": {"date", "outlet", ...}}`` a line;
* saved HTML pages (``html.py``) and web archives, ``.warc`` / ``.warc.gz`` (``warc.py``).

A bad input never stops the others: each problem becomes one ``InputError`` naming the file
(and line) and what to do, handed to ``on_error``; the caller decides the exit status.
"""

from __future__ import annotations

import json
import os
import re
import stat
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import (
    BinaryInputError,
    ConfigError,
    EmptyInputError,
    EncodingError,
    InputError,
    MalformedRecordError,
    OversizedInputError,
    UnreadableInputError,
)
from ..models import Article
from ..settings import get_setting
from .decoding import mostly_utf8, sniff_utf16
from .html import HTML_SUFFIXES, article_from_html
from .outlets import outlet_name
from .record_checks import check_writable, wrong_type
from .warc import WarcCounts, WarcReadProgress, is_warc_path, iter_warc_articles

__all__ = [
    "JSONL_SUFFIXES",
    "TEXT_SUFFIXES",
    "ReadReport",
    "crawl_header",
    "decode_bytes",
    "iter_articles",
    "iter_located_articles",
    "parse_crawl_text",
    "read_file",
    "read_located",
    "warc_files",
]

TEXT_SUFFIXES = frozenset({".txt", ".text"})
JSONL_SUFFIXES = frozenset({".jsonl", ".ndjson"})

# `date 2023-11-06 Islam Times - body`: the outlet is everything up to the first " - ".
_CRAWL_HEADER = re.compile(
    r"\A\s*date\s+(?P<date>\d{4}-\d{2}-\d{2})\s+(?P<outlet>[^\n]{1,120}?)\s+[-–—]\s+"
)
# The header as crawls write it inside records: `date 2024-01-05 ` alone, or followed by the
# outlet and a dash (`date 2023-11-15 Sky News - `); the record's own meta may name the outlet.
_CRAWL_DATE = re.compile(r"\A\s*date\s+(?P<date>\d{4}-\d{2}-\d{2})\s+")
_BINARY_SNIFF = 8192

ErrorHandler = Callable[[InputError], None]


@dataclass
class ReadReport:
    """What a read produced besides articles: counts and the errors met."""

    files: int = 0
    articles: int = 0
    errors: list[InputError] = field(default_factory=list)
    # WARC records read and skipped (requests, redirects, PDFs, ...): one summary, not errors.
    warc: WarcCounts = field(default_factory=WarcCounts)


def decode_bytes(data: bytes, source: str) -> str:
    """Decode a file's bytes, detecting the encoding rather than assuming one.

    UTF-16 is read by its BOM or its NUL pattern; then UTF-8 is tried (it is what nearly every
    crawl writes, and a strict decode never guesses wrong), then UTF-8 with U+FFFD for a few
    invalid bytes (``decoding.mostly_utf8``); only text with no valid UTF-8 multi-byte
    character at all goes to charset-normalizer.
    """
    if not data.strip():
        raise EmptyInputError("the file is empty", "give a file with text in it", source=source)
    utf16 = sniff_utf16(data)
    if utf16 is not None:
        text = data.decode(utf16, errors="replace").lstrip("\ufeff")
        if not text.strip():
            raise EmptyInputError("the file is empty", "give a file with text in it", source=source)
        if _looks_binary(text):
            raise BinaryInputError(
                "the file does not look like text", "give a text, JSONL or HTML file", source=source
            )
        return text
    head = data[:_BINARY_SNIFF]
    if b"\x00" in head:
        raise BinaryInputError(
            "the file is binary (it contains NUL bytes), not text",
            "give a text, JSONL or HTML file",
            source=source,
        )
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    # A few bad bytes in a UTF-8 file become U+FFFD rather than a guessed legacy charset.
    repaired = mostly_utf8(data)
    if repaired is not None:
        return repaired
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None:
        raise EncodingError(
            "the text encoding could not be detected",
            "convert the file to UTF-8, e.g. iconv -f latin1 -t utf-8",
            source=source,
        )
    text = str(best)
    if _looks_binary(text):
        raise BinaryInputError(
            "the file does not look like text", "give a text, JSONL or HTML file", source=source
        )
    return text


def _looks_binary(text: str) -> bool:
    sample = text[:_BINARY_SNIFF]
    if not sample:
        return False
    control = sum(1 for ch in sample if ord(ch) < 32 and ch not in "\n\r\t\f")
    return control / len(sample) > 0.05


@dataclass(frozen=True)
class CrawlHeader:
    """The crawl header at the start of a text: where the body starts, what the header says."""

    end: int
    date: str
    outlet: str | None


def crawl_header(text: str, outlet: str | None = None) -> CrawlHeader | None:
    """The crawl header of ``text``, if it starts with one (``date YYYY-MM-DD [Outlet - ]``).

    ``outlet`` is what the record's own meta says: when given, only that outlet followed by a
    dash counts as the header's outlet part, so a dateline after a bare date ("date
    2024-01-20 Tokyo, Japan - ...") stays in the body. Without it, the seed's layout is read.
    """
    if outlet is None:
        full = _CRAWL_HEADER.match(text)
        if full:
            return CrawlHeader(full.end(), full.group("date"), full.group("outlet").strip())
    dated = _CRAWL_DATE.match(text)
    if dated is None:
        return None
    end = dated.end()
    if outlet:
        named = re.compile(re.escape(outlet) + r"\s+[-–—]\s+", re.IGNORECASE).match(text, end)
        if named:
            return CrawlHeader(named.end(), dated.group("date"), outlet)
    return CrawlHeader(end, dated.group("date"), None)


def parse_crawl_text(text: str, doc_id: str) -> Article:
    """An article from text that may start with the crawl header."""
    text = text.lstrip("\ufeff")
    match = _CRAWL_HEADER.match(text)
    if match:
        body = text[match.end() :].rstrip()
        if not body.strip():
            raise EmptyInputError(
                "the article has a header but no body", "check the crawl output", source=doc_id
            )
        return Article(
            doc_id=doc_id,
            text=body,
            date=match.group("date"),
            outlet=outlet_name(None, match.group("outlet")),
            title=_guess_title(body),
        )
    body = text.strip("\ufeff")
    if not body.strip():
        raise EmptyInputError("the file is empty", "give a file with text in it", source=doc_id)
    return Article(doc_id=doc_id, text=body, title=_guess_title(body))


def _guess_title(body: str) -> str | None:
    """A short first line standing alone above a blank line is the headline."""
    first, sep, _ = body.partition("\n\n")
    first = first.strip()
    if sep and first and "\n" not in first and len(first) <= 200:
        return first.rstrip(".")
    return None


def _read_bytes(path: Path, source: str) -> bytes:
    limit = int(get_setting("max_file_bytes"))
    try:
        info = path.stat()
        if not stat.S_ISREG(info.st_mode):
            # A FIFO or a device would block the read or never end.
            raise UnreadableInputError(
                "not a regular file (a pipe, socket or device)",
                "give a regular text, JSONL or HTML file",
                source=source,
            )
        size = info.st_size
        if size > limit:
            raise OversizedInputError(
                f"the file is {size:,} bytes, over the {limit:,}-byte limit",
                "split it, or raise QUOTETRACE_MAX_FILE_BYTES",
                source=source,
            )
        return path.read_bytes()
    except OSError as exc:
        raise UnreadableInputError(
            f"cannot read the file ({exc.strerror or exc})",
            "check that it exists and is readable",
            source=source,
        ) from None


def _is_jsonl(path: Path, text: str) -> bool:
    if path.suffix.lower() in JSONL_SUFFIXES:
        return True
    if path.suffix.lower() in TEXT_SUFFIXES:
        return False
    return text.lstrip().startswith("{")


def _article_from_record(record: Any, where: str) -> Article:
    if not isinstance(record, dict):
        raise MalformedRecordError(
            "the line is not a JSON object",
            'write one {"doc_id", "text"} object a line',
            source=where,
        )
    doc_id, text = record.get("doc_id"), record.get("text")
    if doc_id is None or doc_id == "":
        raise MalformedRecordError(
            "the record has no doc_id", 'add a "doc_id" string to every record', source=where
        )
    if not isinstance(doc_id, str | int) or isinstance(doc_id, bool):
        raise wrong_type("doc_id", doc_id, "a string", "write the doc_id as a string", where)
    if text is None:
        raise MalformedRecordError(
            "the record has no text", 'add the article as a "text" string', source=where
        )
    if not isinstance(text, str):
        raise wrong_type("text", text, "a string", "write the article text as a string", where)
    if not text.strip():
        raise EmptyInputError("the record's text is empty", "drop the record", source=where)
    meta = record.get("meta")
    meta = {} if meta is None else meta
    if not isinstance(meta, dict):
        raise wrong_type(
            "meta", meta, "an object", 'write meta as {"date": ..., "outlet": ...}', where
        )
    for key in ("date", "outlet", "title"):
        value = meta.get(key)
        if value is not None and not isinstance(value, str | int | float):
            raise wrong_type(
                f"meta.{key}", value, "a string", f"write meta.{key} as a string", where
            )
    check_writable(record, where)
    date, outlet, title = meta.get("date"), meta.get("outlet"), meta.get("title")
    if date is None or outlet is None:
        # FORMAT.md: what the record's meta lacks, the text's own header may give; the meta
        # wins where both say something. The text keeps its header (offsets are into it as
        # given); the pipeline reads the header as layout, not prose.
        header = crawl_header(text, outlet if isinstance(outlet, str) else None)
        if header is not None:
            date = date if date is not None else header.date
            outlet = outlet if outlet is not None else header.outlet
    extra = {k: v for k, v in meta.items() if k not in ("date", "outlet", "title")}
    given = str(outlet) if outlet is not None else None
    url = meta.get("url")
    outlet = outlet_name(url if isinstance(url, str) else None, given)
    if given is not None and outlet != given:
        # One name per site in the store; the spelling the record carried is kept beside it.
        extra.setdefault("outlet_given", given)
    return Article(
        doc_id=str(doc_id),
        text=text,
        date=str(date) if date is not None else None,
        outlet=outlet,
        title=str(title) if title is not None else None,
        meta=extra,
    )


def _unparsable(exc: BaseException, where: str) -> MalformedRecordError:
    if isinstance(exc, json.JSONDecodeError):
        problem = f"malformed JSON ({exc.msg} at column {exc.colno})"
    elif isinstance(exc, RecursionError):
        problem = "malformed JSON (nested too deeply to read)"
    else:
        problem = f"malformed JSON ({exc})"
    return MalformedRecordError(
        problem, "fix or remove the line; every line must be one JSON object", source=where
    )


def _iter_jsonl(text: str, source: str, on_error: ErrorHandler) -> Iterator[tuple[str, Article]]:
    # JSON lines end at "\n" only: str.splitlines() would also break inside a record at
    # U+2028, U+2029 or U+0085, which JSON may carry raw.
    for lineno, line in enumerate(text.split("\n"), 1):
        line = line.rstrip("\r")
        if not line.strip():
            continue
        where = f"{source}:{lineno}"
        try:
            record = json.loads(line)
        except (RecursionError, ValueError) as exc:
            # ValueError covers JSONDecodeError and an integer too long to convert;
            # RecursionError, nesting too deep for the parser.
            on_error(_unparsable(exc, where))
            continue
        try:
            yield where, _article_from_record(record, where)
        except InputError as exc:
            on_error(exc)


def read_file(
    path: Path,
    source: str,
    on_error: ErrorHandler,
    *,
    warc_counts: WarcCounts | None = None,
    warc_progress: WarcReadProgress | None = None,
) -> Iterator[Article]:
    """Articles in one file; problems go to ``on_error``, never up the stack."""
    for _, article in read_located(
        path, source, on_error, warc_counts=warc_counts, warc_progress=warc_progress
    ):
        yield article


def read_located(
    path: Path,
    source: str,
    on_error: ErrorHandler,
    *,
    warc_counts: WarcCounts | None = None,
    warc_progress: WarcReadProgress | None = None,
) -> Iterator[tuple[str, Article]]:
    """``read_file`` with where each article was found: the file, or ``file:line`` in JSONL.

    A reader bug on hostile bytes (anything but an ``InputError``) still ends as one error
    naming the file, so it cannot stop the other files.
    """
    try:
        if is_warc_path(path):
            # Streamed record by record: never read whole, so no size limit applies.
            try:
                for article in iter_warc_articles(
                    path, source, counts=warc_counts, progress=warc_progress
                ):
                    yield source, article
            except InputError as exc:
                on_error(exc)
            return
        yield from _read_located(path, source, on_error)
    except (KeyboardInterrupt, SystemExit, MemoryError, ConfigError):
        raise  # a bad setting is the run's problem, not this file's
    except Exception as exc:
        on_error(
            UnreadableInputError(
                f"the file could not be read ({exc.__class__.__name__}: {exc})",
                "report it with the file; the other inputs went on",
                source=source,
            )
        )


def _read_located(path: Path, source: str, on_error: ErrorHandler) -> Iterator[tuple[str, Article]]:
    try:
        text = decode_bytes(_read_bytes(path, source), source)
    except InputError as exc:
        on_error(exc)
        return
    if path.suffix.lower() in HTML_SUFFIXES:
        try:
            yield source, article_from_html(text, source)
        except InputError as exc:
            on_error(exc)
        return
    if _is_jsonl(path, text):
        yield from _iter_jsonl(text, source, on_error)
        return
    try:
        yield source, parse_crawl_text(text, source)
    except InputError as exc:
        on_error(exc)


def _walk(directory: Path, source: str) -> Iterator[tuple[Path, str]]:
    readable = TEXT_SUFFIXES | JSONL_SUFFIXES | HTML_SUFFIXES
    for root, dirs, files in os.walk(directory):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            if name.startswith("."):
                continue
            if Path(name).suffix.lower() not in readable and not is_warc_path(name):
                continue
            full = Path(root) / name
            rel = full.relative_to(directory)
            yield full, str(Path(source) / rel)


def warc_files(paths: Iterable[str | os.PathLike[str]]) -> list[tuple[Path, str]]:
    """The WARC files among ``paths`` (directories walked), as (path, source) in read order."""
    found: list[tuple[Path, str]] = []
    for given in paths:
        source = os.fspath(given)
        path = Path(source)
        targets = list(_walk(path, source)) if path.is_dir() else [(path, source)]
        found += [(p, s) for p, s in targets if is_warc_path(p) and p.is_file()]
    return found


def iter_articles(
    paths: Iterable[str | os.PathLike[str]],
    on_error: ErrorHandler | None = None,
    report: ReadReport | None = None,
    *,
    include_warc: bool = True,
    warc_progress: WarcReadProgress | None = None,
) -> Iterator[Article]:
    """Every article in ``paths`` (files, directories walked recursively, JSONL files, WARCs).

    ``doc_id`` is the path as given for a text file, the record's own ``doc_id`` for JSONL and
    the ``WARC-Record-ID`` for a WARC record. Errors are collected in ``report`` and passed to
    ``on_error``; without a handler they are only collected. ``include_warc=False`` leaves WARC
    files out (``quotetrace batch`` cuts them into record ranges itself).
    """
    for _, article in iter_located_articles(
        paths, on_error, report, include_warc=include_warc, warc_progress=warc_progress
    ):
        yield article


def iter_located_articles(
    paths: Iterable[str | os.PathLike[str]],
    on_error: ErrorHandler | None = None,
    report: ReadReport | None = None,
    *,
    include_warc: bool = True,
    warc_progress: WarcReadProgress | None = None,
) -> Iterator[tuple[str, Article]]:
    """``iter_articles`` with where each article was found (``file`` or ``file:line``)."""
    report = report if report is not None else ReadReport()

    def handle(exc: InputError) -> None:
        report.errors.append(exc)
        if on_error is not None:
            on_error(exc)

    for given in paths:
        source = os.fspath(given)
        path = Path(source)
        if path.is_dir():
            targets = list(_walk(path, source))
        elif path.exists() or path.is_symlink():
            targets = [(path, source)]
        else:
            handle(
                UnreadableInputError("no such file or directory", "check the path", source=source)
            )
            continue
        for file_path, file_source in targets:
            if not include_warc and is_warc_path(file_path):
                continue
            report.files += 1
            reading = read_located(
                file_path,
                file_source,
                handle,
                warc_counts=report.warc,
                warc_progress=warc_progress,
            )
            for located in reading:
                report.articles += 1
                yield located
