"""The store: articles, statements, mentions and actors, in SQLite or PostgreSQL.

See ``docs/store.md`` for the Python API and the schema.
"""

from .admission import article_hash, check_processed, check_storable
from .engine import DEFAULT_DB
from .records import (
    ActorAlias,
    ActorDetail,
    ActorSummary,
    AddResult,
    OutletSummary,
    SearchHit,
    SearchPage,
    StoredArticle,
    StoredProcessed,
    StoredStatement,
)
from .store import Store

__all__ = [
    "DEFAULT_DB",
    "ActorAlias",
    "ActorDetail",
    "ActorSummary",
    "AddResult",
    "OutletSummary",
    "SearchHit",
    "SearchPage",
    "Store",
    "StoredArticle",
    "StoredProcessed",
    "StoredStatement",
    "article_hash",
    "check_processed",
    "check_storable",
]
