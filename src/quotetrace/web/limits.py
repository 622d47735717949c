"""Bounds on what one request may send, checked before routing (plain ASGI, no per-request task).

* the path at most ``MAX_PATH_BYTES`` and the query string at most ``MAX_QUERY_BYTES`` (raw,
  percent-encoded bytes): longer is ``414`` ``web/too-long``. Every parameter has a far
  smaller limit of its own (``q`` 500 characters), so no honest request comes near these;
  they stop a 100 KB URL before it is parsed into parameters at all;
* a NUL (raw or ``%00``) anywhere in the URL: ``400`` ``web/bad-request`` (PostgreSQL
  refuses NUL in text, SQLite would search for it; neither holds text with NUL);
* a declared body on any route but the write (``POST /api/articles``, which bounds its body
  itself by ``QUOTETRACE_MAX_FILE_BYTES``) at most ``MAX_READ_BODY_BYTES``: larger is ``413``.

Answers are in the API's one error shape, ``{"error": {"code", "message", "hint", "source"}}``.
"""

from __future__ import annotations

import json

from starlette.types import ASGIApp, Receive, Scope, Send

from ..errors import WebError

__all__ = [
    "MAX_PATH_BYTES",
    "MAX_QUERY_BYTES",
    "MAX_READ_BODY_BYTES",
    "MAX_ROW_ID",
    "RequestLimits",
]

# Row ids are PostgreSQL ``integer``s; a larger id names no row (and would overflow the driver).
MAX_ROW_ID = 2_147_483_647
MAX_PATH_BYTES = 4096
MAX_QUERY_BYTES = 16384
MAX_READ_BODY_BYTES = 65536
_WRITE_PATH = "/api/articles"


def _refusal(code: str, message: str, hint: str, source: str) -> bytes:
    err = WebError(message, hint, source=source)
    err.code = code
    return json.dumps({"error": err.to_dict()}).encode("utf-8")


class RequestLimits:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        refused = self._check(scope)
        if refused is None:
            await self.app(scope, receive, send)
            return
        status, body = refused
        await send(
            {
                "type": "http.response.start",
                "status": status,
                "headers": [
                    (b"content-type", b"application/json"),
                    (b"content-length", str(len(body)).encode()),
                ],
            }
        )
        await send({"type": "http.response.body", "body": body})

    @staticmethod
    def _check(scope: Scope) -> tuple[int, bytes] | None:
        raw_path: bytes = scope.get("raw_path") or scope["path"].encode("utf-8", "replace")
        query: bytes = scope.get("query_string", b"")
        if len(raw_path) > MAX_PATH_BYTES:
            return 414, _refusal(
                "web/too-long",
                f"the path is longer than {MAX_PATH_BYTES} bytes",
                "no path of this API is that long; check the URL",
                "path",
            )
        if len(query) > MAX_QUERY_BYTES:
            return 414, _refusal(
                "web/too-long",
                f"the query string is longer than {MAX_QUERY_BYTES} bytes",
                "search for fewer words (q takes at most 500 characters)",
                "query string",
            )
        if b"\x00" in raw_path + query or b"%00" in raw_path + query:
            # No text the store holds has NUL in it, and PostgreSQL refuses it in a
            # parameter: one answer on both backends, before any query runs.
            return 400, _refusal(
                "web/bad-request",
                "the URL contains a NUL character",
                "remove %00 from the URL",
                "path" if b"\x00" in raw_path or b"%00" in raw_path else "query string",
            )
        if scope["method"] == "POST" and scope["path"] == _WRITE_PATH:
            return None
        for name, value in scope.get("headers", ()):
            if name == b"content-length":
                declared = value.decode("latin-1").strip()
                if not declared.isdigit() or int(declared) > MAX_READ_BODY_BYTES:
                    return 413, _refusal(
                        "web/too-large",
                        f"the request body is larger than {MAX_READ_BODY_BYTES} bytes",
                        "this route reads no body; send the parameters in the query string",
                        "request body",
                    )
        return None
