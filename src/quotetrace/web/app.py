"""The web app: one FastAPI application serving the JSON API (``/api``) and the pages.

::

    from quotetrace.web import create_app
    app = create_app("news.db")                 # read-only
    app = create_app("news.db", token="s3cret")  # plus POST /api/articles with that token

Every error, on every route, is one shape: ``{"error": {"code", "message", "hint", "source"}}``
from ``QuotetraceError.to_dict()`` (404s and parameter errors too; pages render the same four
fields as HTML). Every response carries a strict Content-Security-Policy: scripts and styles
from this server only, no inline script, so text from an article can never run as code even if
it slipped past the template's escaping.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI, Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from jinja2 import Environment, FileSystemLoader, select_autoescape
from starlette.datastructures import MutableHeaders
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from ..errors import (
    BadRequestError,
    ForbiddenError,
    NotFoundError,
    QuotetraceError,
    StoreUnavailableError,
    WebError,
)
from ..store import Store
from . import api, pages
from .limits import RequestLimits

__all__ = ["CONTENT_SECURITY_POLICY", "create_app", "error_status"]

log = logging.getLogger("quotetrace.web")

HERE = Path(__file__).parent
CONTENT_SECURITY_POLICY = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
)
# Swagger UI (/docs) is FastAPI's page: it loads its bundle from a CDN and starts it with an
# inline script. It shows only our own OpenAPI schema, never article text.
_DOCS_POLICY = (
    "default-src 'self'; script-src 'self' 'unsafe-inline' https://cdn.jsdelivr.net; "
    "style-src 'self' https://cdn.jsdelivr.net; img-src 'self' data: https://fastapi.tiangolo.com; "
    "frame-ancestors 'none'"
)
_SECURITY_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
}


class SecurityHeaders:
    """Adds the CSP and friends to every response (plain ASGI: no per-request task overhead)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        policy = _DOCS_POLICY if scope["path"] == "/docs" else CONTENT_SECURITY_POLICY

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                headers["Content-Security-Policy"] = policy
                for name, value in _SECURITY_HEADERS.items():
                    headers.setdefault(name, value)
            await send(message)

        await self.app(scope, receive, send_with_headers)


def error_status(exc: QuotetraceError) -> int:
    """HTTP status for a library error: a web error says its own; the rest are bad input."""
    if isinstance(exc, WebError):
        return exc.status
    if isinstance(exc, StoreUnavailableError):
        return 503  # the database went away: the request was fine, try again later
    return 400


def _templates() -> Jinja2Templates:
    env = Environment(
        loader=FileSystemLoader(HERE / "templates"),
        autoescape=select_autoescape(default=True, default_for_string=True),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    return Jinja2Templates(env=env)


def _wants_json(request: Request) -> bool:
    path = request.url.path
    return path.startswith("/api") or path == "/openapi.json" or not request.app.state.pages


def create_app(
    store_url: str | None, token: str | None = None, *, pages_on: bool = True
) -> FastAPI:
    """The app over the store at ``store_url``; writes enabled only when ``token`` is given."""
    if token is not None and len(token) < 8:
        raise ForbiddenError(
            "the API token is too short",
            "use at least 8 characters, e.g. from `openssl rand -hex 16`",
        )
    store = Store.open(store_url)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        yield
        store.close()

    app = FastAPI(
        title="quotetrace",
        description="Who said what in the news, and how each outlet told it.",
        version="0.1.0",
        docs_url="/docs",
        redoc_url=None,
        lifespan=lifespan,
    )
    app.state.store = store
    app.state.token = token
    app.state.pages = pages_on
    app.state.templates = _templates()

    app.add_middleware(RequestLimits)  # inside SecurityHeaders: refusals get its headers
    app.add_middleware(SecurityHeaders)

    def render_error(request: Request, exc: QuotetraceError, status: int) -> Response:
        if _wants_json(request):
            return JSONResponse({"error": exc.to_dict()}, status_code=status)
        templates: Jinja2Templates = request.app.state.templates
        return templates.TemplateResponse(
            request, "error.html", {"error": exc.to_dict(), "status": status}, status_code=status
        )

    @app.exception_handler(QuotetraceError)
    async def on_library_error(request: Request, exc: QuotetraceError) -> Response:
        return render_error(request, exc, error_status(exc))

    @app.exception_handler(StarletteHTTPException)
    async def on_http_error(request: Request, exc: StarletteHTTPException) -> Response:
        err: WebError
        if exc.status_code == 404:
            err = NotFoundError(
                f"nothing at {request.url.path}", "see /docs for the API, / for the pages"
            )
        elif exc.status_code == 405:
            err = WebError(
                f"{request.method} is not allowed on {request.url.path}",
                "writing needs a server started with --token"
                if request.method == "POST" and request.app.state.token is None
                else "see /docs for the methods each path takes",
            )
            err.code = "web/method-not-allowed"
        else:
            err = WebError(str(exc.detail), "")
            err.code = f"web/http-{exc.status_code}"
        return render_error(request, err, exc.status_code)

    @app.exception_handler(RequestValidationError)
    async def on_bad_parameters(request: Request, exc: RequestValidationError) -> Response:
        problems = []
        for item in exc.errors():
            where = ".".join(str(p) for p in item.get("loc", ()) if p != "body")
            problems.append(f"{where}: {item.get('msg', 'invalid')}")
        err = BadRequestError(
            "invalid request: " + "; ".join(problems),
            "fix the parameter; /docs lists each one with its type",
            source=request.url.path,
        )
        return render_error(request, err, 422)

    @app.exception_handler(Exception)
    async def on_crash(request: Request, exc: Exception) -> Response:
        log.exception("unhandled error on %s", request.url.path)
        err = WebError("internal error", "this is a bug in quotetrace; the server log has details")
        err.code = "web/internal"
        return render_error(request, err, 500)

    @app.get("/favicon.ico", include_in_schema=False)
    def favicon() -> Response:
        # Browsers ask for it on every site; "no content" keeps their consoles free of 404s.
        return Response(status_code=204)

    app.include_router(api.router)
    if token is not None:
        app.include_router(api.write_router)
    if pages_on:
        app.include_router(pages.router)
        app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")
    return app
