"""The app as ``quotetrace serve`` runs it in several worker processes.

uvicorn starts each worker from an import string, so the store and the token reach the
workers through the environment (``QUOTETRACE_DB``, ``QUOTETRACE_API_TOKEN``) that the serve
command sets for them; each worker opens its own connection pool. The command opens the store
once itself before starting them, so a bad ``--db`` is one ``Error:`` line, not one traceback
per worker.
"""

from __future__ import annotations

import os

from fastapi import FastAPI

from ..settings import get_setting

__all__ = ["APP_FACTORY", "app_from_environment"]

APP_FACTORY = "quotetrace.web.served:app_from_environment"


def app_from_environment() -> FastAPI:
    from . import create_app

    token = os.environ.get("QUOTETRACE_API_TOKEN") or None
    return create_app(str(get_setting("db")), token=token)
