"""``quotetrace serve``: the JSON API and the web pages over a store."""

from __future__ import annotations

import os
import sys

import typer

from ..settings import get_setting
from .app import app, reports_errors

SERVE_HELP = """Serve the JSON API (/api, documented at /docs) and the web pages (/) over a store.

Read-only unless started with a token: then POST /api/articles adds articles, and only with
the header "Authorization: Bearer <token>". Give the token through the environment
(QUOTETRACE_API_TOKEN) rather than on the command line, where other users can see it.
Listens on 127.0.0.1 unless told otherwise; Ctrl-C stops the server.

Examples:

    quotetrace serve --db news.db

    QUOTETRACE_API_TOKEN=$(openssl rand -hex 16) quotetrace serve --db news.db --port 8080
"""


@app.command("serve", help=SERVE_HELP)
@reports_errors
def serve_command(
    db: str | None = typer.Option(
        None, "--db", help="the store: a SQLite path or a postgresql:// URL [env QUOTETRACE_DB]"
    ),
    host: str = typer.Option("127.0.0.1", "--host", help="address to listen on"),
    port: int = typer.Option(8000, "--port", min=1, max=65535, help="port to listen on"),
    token: str | None = typer.Option(
        None,
        "--token",
        envvar="QUOTETRACE_API_TOKEN",
        help="enable POST /api/articles for this bearer token [env QUOTETRACE_API_TOKEN]",
        show_default=False,
    ),
    workers: int | None = typer.Option(
        None,
        "--workers",
        min=1,
        max=64,
        help="worker processes; 1 serves from this process [env QUOTETRACE_WEB_WORKERS]",
    ),
) -> None:
    import uvicorn

    from ..web import create_app

    store_url = db or str(get_setting("db"))
    # Opened here in every case: a bad --db or token is one Error: line before any worker.
    web_app = create_app(store_url, token=token or None)
    processes = workers if workers is not None else int(get_setting("web_workers"))
    shown = f"[{host}]" if ":" in host else host
    print(
        f"quotetrace: serving http://{shown}:{port}/ with {processes} worker process(es)"
        "  (API docs at /docs; Ctrl-C stops)"
    )
    if token:
        print("quotetrace: writes enabled: POST /api/articles with the token", file=sys.stderr)
    if host not in ("127.0.0.1", "localhost", "::1"):
        print(f"quotetrace: listening on {host}: reachable from other machines", file=sys.stderr)
    sys.stdout.flush()
    log_level = os.environ.get("QUOTETRACE_LOG_LEVEL", "warning")
    from ..web.http_protocol import ShapedHttpProtocol

    if processes == 1:
        uvicorn.run(
            web_app,
            host=host,
            port=port,
            http=ShapedHttpProtocol,
            log_level=log_level,
            access_log=False,
        )
        return
    from ..web.served import APP_FACTORY

    web_app.state.store.close()  # each worker opens its own
    os.environ["QUOTETRACE_DB"] = store_url
    os.environ["QUOTETRACE_API_TOKEN"] = token or ""
    uvicorn.run(
        APP_FACTORY,
        factory=True,
        workers=processes,
        http=ShapedHttpProtocol,
        host=host,
        port=port,
        log_level=log_level,
        access_log=False,
    )
