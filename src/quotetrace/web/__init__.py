"""The JSON API and the web pages over a quotetrace store (FastAPI; see ``docs/web.md``)."""

from .app import CONTENT_SECURITY_POLICY, create_app

__all__ = ["CONTENT_SECURITY_POLICY", "create_app"]
