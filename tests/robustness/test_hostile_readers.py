"""The readers on hostile files: a correct result or one clear error naming the file (and line).

The fast slice runs in ``make test``; ``make fuzz`` (``QUOTETRACE_FUZZ=1``) writes the
full-size corpus and runs the property tests with many more examples.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from collections import Counter
from pathlib import Path

import pytest
from hostile_corpus import FUZZ, GOOD_ARTICLE, examples, write_hostile_folder
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from quotetrace.errors import InputError, UnreadableInputError
from quotetrace.ingest import ReadReport, decode_bytes, iter_located_articles, read_file

pytestmark = pytest.mark.fuzz

# Arabic presentation forms: what a wrong legacy-charset guess turned bad UTF-8 into.
PRESENTATION_FORMS = [(0xFB50, 0xFDFF), (0xFE70, 0xFEFF)]


def _presentation_forms(text: str) -> int:
    return sum(1 for ch in text if any(lo <= ord(ch) <= hi for lo, hi in PRESENTATION_FORMS))


def test_the_hostile_folder_gives_each_file_its_result(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    if not FUZZ:
        monkeypatch.setenv("QUOTETRACE_MAX_FILE_BYTES", "1000000")
    expected = write_hostile_folder(tmp_path / "in")
    report = ReadReport()
    located = list(iter_located_articles([str(tmp_path / "in")], None, report))
    ids = Counter(article.doc_id for _, article in located)
    either = set(expected.either)
    assert ids - Counter(either) == Counter(expected.good)
    got = {(e.code, e.source) for e in report.errors if e.source not in either}
    assert got == set(expected.bad)
    for error in report.errors:
        # One line each, naming where, what and how to fix; never a traceback's text.
        assert error.source and "\n" not in error.render() and "Traceback" not in error.render()
        assert error.hint


def test_mostly_utf8_decodes_as_utf8_with_replacement() -> None:
    text = "date 2026-03-02 Vell Post - " + GOOD_ARTICLE
    raw = text.encode("utf-8")
    broken = raw[:40] + b"\xe2\x80" + raw[40:90] + b"\xff" + raw[90:]
    decoded = decode_bytes(broken, "mostly-utf8.txt")
    assert decoded.count("\ufffd") == 2
    assert decoded.replace("\ufffd", "") == text
    assert _presentation_forms(decoded) == 0


def test_a_legacy_file_is_still_detected() -> None:
    # No valid UTF-8 multi-byte character at all: cp1252 is the likelier truth.
    text = "The café owners said the plan was “a fine idea” — for now, said Müller."
    assert decode_bytes(text.encode("cp1252"), "legacy.txt") == text


@pytest.mark.parametrize("codec", ["utf-16", "utf-16-le", "utf-16-be"])
def test_utf16_with_and_without_bom(codec: str) -> None:
    text = "Ελλάδα and Україна: “We agree,” Mayor Haldane said in Lisvek."
    assert decode_bytes(text.encode(codec), f"{codec}.txt") == text


def test_a_file_that_vanishes_mid_run_is_named_and_the_rest_go_on(tmp_path: Path) -> None:
    for name in ("a.txt", "b.txt", "c.txt"):
        (tmp_path / name).write_text(GOOD_ARTICLE, "utf-8")
    report = ReadReport()
    seen = []
    for _, article in iter_located_articles([str(tmp_path)], None, report):
        seen.append(Path(article.doc_id).name)
        if len(seen) == 1:
            (tmp_path / "b.txt").unlink()  # listed by the walk, gone before it is read
    assert seen == ["a.txt", "c.txt"]
    [error] = report.errors
    assert isinstance(error, UnreadableInputError) and error.source == str(tmp_path / "b.txt")


def test_an_unreadable_file_is_named(tmp_path: Path) -> None:
    """chmod 000 stops every user but root; as root, the reader runs as ``nobody`` (in a
    folder under /tmp that nobody may enter, since pytest's own is root's alone)."""
    if os.geteuid() == 0:
        tmp_path = Path(tempfile.mkdtemp(prefix="qt-unreadable-", dir="/tmp"))
    locked = tmp_path / "locked.txt"
    locked.write_text(GOOD_ARTICLE, "utf-8")
    good = tmp_path / "good.txt"
    good.write_text(GOOD_ARTICLE, "utf-8")
    locked.chmod(0)
    code = (
        "import sys; from quotetrace.ingest import ReadReport, iter_articles\n"
        "r = ReadReport(); ids = [a.doc_id for a in iter_articles(sys.argv[1:], None, r)]\n"
        "print(ids); print([(e.code, e.source) for e in r.errors])\n"
    )
    user = None
    if os.geteuid() == 0:
        user = 65534  # nobody: needs to read the venv and the test folder
        tmp_path.chmod(0o755)
        for parent in tmp_path.parents:
            if not os.stat(parent).st_mode & 0o001:
                pytest.skip(f"running as root and {parent} is not searchable by nobody")
    try:
        done = subprocess.run(
            [sys.executable, "-c", code, str(locked), str(good)],
            capture_output=True,
            text=True,
            user=user,
            check=False,
        )
    except PermissionError as exc:
        pytest.skip(f"running as root and nobody cannot run this Python ({exc})")
    finally:
        locked.chmod(0o644)
        if user is not None:
            shutil.rmtree(tmp_path, ignore_errors=True)
    if done.returncode != 0 and user is not None:
        pytest.skip(f"cannot run the reader as nobody here: {done.stderr.strip()[-200:]}")
    assert done.returncode == 0, done.stderr
    ids, errors = done.stdout.strip().splitlines()
    assert ids == repr([str(good)])
    assert errors == repr([("input/unreadable", str(locked))])


# -------------------------------------------------------------------------- properties
@settings(
    max_examples=examples(40, 1500),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(data=st.binary(max_size=3000), suffix=st.sampled_from([".txt", ".jsonl", ".html"]))
def test_any_bytes_give_articles_or_named_errors(tmp_path: Path, data: bytes, suffix: str) -> None:
    path = tmp_path / f"any{suffix}"
    path.write_bytes(data)
    errors: list[InputError] = []
    for article in read_file(path, str(path), errors.append):
        assert article.text.strip()
    for error in errors:
        assert isinstance(error, InputError)
        assert error.source is not None and error.source.startswith(str(path))


UTF8_TEXT = st.text(st.characters(codec="utf-8"), min_size=1, max_size=400)


@settings(max_examples=examples(40, 1500), deadline=None)
@given(text=UTF8_TEXT, junk=st.lists(st.sampled_from([b"\xff", b"\xc3", b"\xe2\x80"]), max_size=3))
def test_utf8_with_a_few_bad_bytes_keeps_its_text(text: str, junk: list[bytes]) -> None:
    raw = (text + " “quoted” ").encode("utf-8")
    broken = raw + b"".join(junk)
    try:
        decoded = decode_bytes(broken, "p.txt")
    except InputError:
        return  # empty, or binary by its control characters: a clear error is fine
    if "\x00" not in text:
        assert decoded.startswith(text)
