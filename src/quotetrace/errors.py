"""The one error hierarchy of quotetrace.

Library code raises these; the CLI prints ``Error: <what> — <how to fix>`` and exits non-zero;
the JSON API returns ``{"error": {"code", "message", "hint"}}``. Every error carries the same
three parts, so all three surfaces say the same thing::

    QuotetraceError                 code
    ├── InputError                  input/*      a file or record we cannot read
    │   ├── UnreadableInputError    input/unreadable
    │   ├── BinaryInputError        input/binary
    │   ├── EmptyInputError         input/empty
    │   ├── OversizedInputError     input/too-large
    │   ├── EncodingError           input/encoding
    │   ├── MalformedRecordError    input/malformed
    │   └── ExtractionError         input/extraction  the extractor failed on this article
    ├── ModelError                  model/*      the spaCy model cannot be loaded
    ├── ConfigError                 config/*     a setting has a bad value
    ├── StoreError                  store/*      the database refused or is inconsistent
    │   └── StoreUnavailableError   store/unavailable  the database cannot be reached (HTTP 503)
    └── BatchError                  batch        a batch run cannot start or finish
        ├── ShardError              batch/shard  a shard cannot be written or read
        └── ClusterError            batch/cluster  the Dask cluster cannot be reached or started
    └── WebError                    web/*        an HTTP request the API cannot serve
        ├── NotFoundError           web/not-found      no such page, article, actor or story
        ├── BadRequestError         web/bad-request    a parameter or body is invalid
        ├── UnauthorizedError       web/unauthorized   the write endpoint needs the token
        └── ForbiddenError          web/forbidden      the token is wrong or writes are off
"""

from __future__ import annotations

__all__ = [
    "BadRequestError",
    "BatchError",
    "BinaryInputError",
    "ClusterError",
    "ConfigError",
    "EmptyInputError",
    "EncodingError",
    "ExtractionError",
    "ForbiddenError",
    "InputError",
    "MalformedRecordError",
    "ModelError",
    "NotFoundError",
    "OversizedInputError",
    "QuotetraceError",
    "ShardError",
    "StoreError",
    "StoreUnavailableError",
    "UnauthorizedError",
    "UnreadableInputError",
    "WebError",
]


class QuotetraceError(Exception):
    """Base class: ``message`` says what went wrong, ``hint`` how to fix it."""

    code = "error"

    def __init__(self, message: str, hint: str = "", *, source: str | None = None) -> None:
        self.message = message
        self.hint = hint
        self.source = source
        super().__init__(self.render())

    def render(self) -> str:
        where = f"{self.source}: " if self.source else ""
        fix = f" — {self.hint}" if self.hint else ""
        return f"{where}{self.message}{fix}"

    def to_dict(self) -> dict[str, str | None]:
        return {
            "code": self.code,
            "message": self.message,
            "hint": self.hint or None,
            "source": self.source,
        }


class InputError(QuotetraceError):
    code = "input"


class UnreadableInputError(InputError):
    code = "input/unreadable"


class BinaryInputError(InputError):
    code = "input/binary"


class EmptyInputError(InputError):
    code = "input/empty"


class OversizedInputError(InputError):
    code = "input/too-large"


class EncodingError(InputError):
    code = "input/encoding"


class MalformedRecordError(InputError):
    code = "input/malformed"


class ExtractionError(InputError):
    code = "input/extraction"


class ModelError(QuotetraceError):
    code = "model"


class ConfigError(QuotetraceError):
    code = "config"


class StoreError(QuotetraceError):
    code = "store"


class StoreUnavailableError(StoreError):
    """The database went away (server stopped, connection lost) and retrying did not help."""

    code = "store/unavailable"


class BatchError(QuotetraceError):
    code = "batch"


class ShardError(BatchError):
    code = "batch/shard"


class ClusterError(BatchError):
    code = "batch/cluster"


class WebError(QuotetraceError):
    """An HTTP request the JSON API or the web pages cannot serve (see ``quotetrace.web``)."""

    code = "web"
    status = 400


class NotFoundError(WebError):
    code = "web/not-found"
    status = 404


class BadRequestError(WebError):
    code = "web/bad-request"
    status = 400


class UnauthorizedError(WebError):
    code = "web/unauthorized"
    status = 401


class ForbiddenError(WebError):
    code = "web/forbidden"
    status = 403
