"""uvicorn's HTTP protocol, with its one answer of its own in the API's error shape.

A request line uvicorn's parser cannot take (raw invalid UTF-8 or NUL bytes in the target, a
malformed header) never reaches the app: uvicorn answers ``400 Invalid HTTP request received.``
as plain text itself. This subclass sends the same status as
``{"error": {"code", "message", "hint", "source"}}``, so every 4xx a client sees has one shape.
"""

from __future__ import annotations

import json
from typing import Any

from ..errors import BadRequestError

__all__ = ["ShapedHttpProtocol"]


def _body(msg: str) -> bytes:
    err = BadRequestError(
        f"the request is not valid HTTP ({msg.rstrip('.')})",
        "percent-encode the URL (RFC 3986); raw non-ASCII or NUL bytes are not allowed",
        source="request line",
    )
    return json.dumps({"error": err.to_dict()}).encode("utf-8")


def _send_400(protocol: Any, msg: str) -> None:
    body = _body(msg)
    content = [b"HTTP/1.1 400 Bad Request\r\n"]
    for name, value in protocol.server_state.default_headers:
        content.extend([name, b": ", value, b"\r\n"])
    content.extend(
        [
            b"content-type: application/json\r\n",
            b"content-length: " + str(len(body)).encode("ascii") + b"\r\n",
            b"connection: close\r\n",
            b"\r\n",
            body,
        ]
    )
    protocol.transport.write(b"".join(content))
    protocol.transport.close()


try:
    from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol as _Base
except ImportError:  # uvicorn without httptools parses with h11
    from uvicorn.protocols.http.h11_impl import H11Protocol as _Base  # type: ignore[assignment]


class ShapedHttpProtocol(_Base):
    """For ``uvicorn.run(http=ShapedHttpProtocol)`` (a module attribute, so the worker
    processes uvicorn spawns find it by name)."""

    def send_400_response(self, msg: str) -> None:
        _send_400(self, msg)
