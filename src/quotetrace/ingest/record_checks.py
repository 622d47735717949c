"""Checks on one JSONL record's fields, so a wrong type or an unwritable string gets a message
that says which field is wrong and how, rather than a crash further down the line.

JSON can carry what no output can: a lone surrogate (``"\\ud800"``) decodes to a ``str`` that
cannot be written as UTF-8, so ``extract --format jsonl`` would fail on it long after the read;
an integer of thousands of digits cannot even be turned into a ``doc_id`` string.
"""

from __future__ import annotations

import json
from typing import Any

from ..errors import MalformedRecordError

__all__ = ["check_writable", "json_type", "wrong_type"]


def json_type(value: Any) -> str:
    """The JSON name of a decoded value's type: "a string", "a list", "null", ..."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "an object"
    return type(value).__name__


def wrong_type(field: str, value: Any, wanted: str, hint: str, where: str) -> MalformedRecordError:
    return MalformedRecordError(
        f'the record\'s "{field}" is {json_type(value)}, not {wanted}', hint, source=where
    )


def check_writable(record: dict[str, Any], where: str) -> None:
    """Refuse a record whose strings cannot be written out as UTF-8 again."""
    try:
        json.dumps(record, ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError:
        raise MalformedRecordError(
            "the record contains an unpaired surrogate (a \\ud800-style escape)",
            "fix the escape in the input; text must be valid Unicode",
            source=where,
        ) from None
    except (ValueError, TypeError, RecursionError) as exc:
        raise MalformedRecordError(
            f"the record cannot be written back as JSON ({exc.__class__.__name__})",
            "keep values to strings, numbers, lists and objects",
            source=where,
        ) from None
