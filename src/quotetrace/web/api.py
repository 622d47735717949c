"""The JSON API under ``/api``: read-only listings and details, and the guarded write.

Lists share one envelope: ``{"total", "limit", "offset", "next", "results"}``; ``next`` is the
URL of the following page or ``null``. ``total`` is ``null`` where counting would cost a second
full query for little use (the actor search).
"""

from __future__ import annotations

import hmac
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import JSONResponse
from starlette.concurrency import run_in_threadpool

from ..errors import BadRequestError, ForbiddenError, NotFoundError, UnauthorizedError
from ..settings import get_setting
from ..store import Store
from ..store.actor_queries import name_sources
from .ingest import ingest_body
from .limits import MAX_ROW_ID
from .mention_view import chains_json, speaker_chains
from .queries import actor_daily_counts, article_listing, outlet_top_speakers, story_listing

__all__ = ["router", "write_router"]

router = APIRouter(prefix="/api", tags=["read"])
write_router = APIRouter(prefix="/api", tags=["write"])

Limit = Annotated[int, Query(ge=1, le=200, description="results per page")]
Offset = Annotated[int, Query(ge=0, le=10_000_000, description="results to skip")]
Text = Annotated[str | None, Query(max_length=500)]
DateBound = Annotated[
    str | None,
    Query(max_length=10, description="YYYY, YYYY-MM or YYYY-MM-DD", examples=["2023-11"]),
]
Kind = Literal["direct", "indirect", "mixed"]


def store_of(request: Request) -> Store:
    store: Store = request.app.state.store
    return store


def page(
    request: Request, results: list[Any], total: int | None, limit: int, offset: int, more: bool
) -> dict[str, Any]:
    nxt = None
    if more:
        nxt = str(request.url.include_query_params(offset=offset + limit, limit=limit))
    return {"total": total, "limit": limit, "offset": offset, "next": nxt, "results": results}


@router.get("/articles", summary="Articles, newest first")
def list_articles(
    request: Request,
    q: Text = None,
    outlet: Text = None,
    since: DateBound = None,
    until: DateBound = None,
    limit: Limit = 20,
    offset: Offset = 0,
) -> dict[str, Any]:
    """Current articles; ``q`` is a case-insensitive substring of the title or text."""
    rows, total = article_listing(
        store_of(request),
        query=q,
        outlet=outlet,
        since=since,
        until=until,
        limit=limit,
        offset=offset,
    )
    return page(request, [r.to_json() for r in rows], total, limit, offset, offset + limit < total)


@router.get("/articles/{article_id}", summary="One article with its statements")
def get_article(
    request: Request, article_id: Annotated[int, Path(ge=1, le=MAX_ROW_ID)]
) -> dict[str, Any]:
    store = store_of(request)
    article = store.article(article_id)
    if article is None:
        raise NotFoundError(
            f"no article {article_id}", "list them at /api/articles", source="article"
        )
    out = article.to_json()
    statements = store.statements(article_id=article_id, current_only=False)
    out["statements"] = [s.to_json() for s in statements]
    # Each speaker's mentions (name, titles, pronouns) in text order.
    chains = speaker_chains(store, article_id, article.text, statements)
    out["mention_chains"] = chains_json(chains, statements)
    return out


@router.get("/statements", summary="Search statements")
def search_statements(
    request: Request,
    q: Text = None,
    speaker: Text = None,
    outlet: Text = None,
    since: DateBound = None,
    until: DateBound = None,
    kind: Kind | None = None,
    limit: Limit = 20,
    offset: Offset = 0,
    min_speaker_confidence: Annotated[
        float | None, Query(ge=0.0, le=1.0, description="only speakers at least this sure")
    ] = None,
) -> dict[str, Any]:
    """Full text over statement content (words, ``"a phrase"``, ``OR``, ``-word``), best first;
    without ``q``, the filtered statements newest first. Matches are marked « » in ``snippet``."""
    result = store_of(request).search(
        q or "",
        speaker=speaker,
        outlet=outlet,
        since=since,
        until=until,
        kind=kind,
        limit=limit,
        offset=offset,
        count=True,
        min_speaker_confidence=min_speaker_confidence,
    )
    total = result.total or 0
    hits = [h.to_json() for h in result.hits]
    return page(request, hits, total, limit, offset, offset + limit < total)


@router.get("/actors", summary="Actors, most quoted first")
def list_actors(
    request: Request, q: Text = None, limit: Limit = 50, offset: Offset = 0
) -> dict[str, Any]:
    found = store_of(request).actors(q, limit=limit + 1, offset=offset)
    more = len(found) > limit
    return page(request, [a.to_json() for a in found[:limit]], None, limit, offset, more)


@router.get("/actors/{actor_id}", summary="One actor: names, counts, statements per day")
def get_actor(
    request: Request, actor_id: Annotated[int, Path(ge=1, le=MAX_ROW_ID)]
) -> dict[str, Any]:
    store = store_of(request)
    detail = store.actor(actor_id)
    if detail is None:
        raise NotFoundError(f"no actor {actor_id}", "list them at /api/actors", source="actor")
    out = detail.to_json()
    out["name_sources"] = [n.to_json() for n in name_sources(store, actor_id)]
    out["daily"] = [
        {"date": d.day.isoformat(), "outlet": d.outlet or None, "statements": d.statements}
        for d in actor_daily_counts(store, actor_id)
    ]
    return out


@router.get("/outlets", summary="Outlets, most articles first")
def list_outlets(request: Request, limit: Limit = 100, offset: Offset = 0) -> dict[str, Any]:
    everything = store_of(request).outlets()
    chosen = everything[offset : offset + limit]
    more = offset + limit < len(everything)
    return page(request, [o.to_json() for o in chosen], len(everything), limit, offset, more)


@router.get("/outlets/{name:path}", summary="One outlet: counts and whom it quoted most")
def get_outlet(request: Request, name: Annotated[str, Path(max_length=300)]) -> dict[str, Any]:
    store = store_of(request)
    summary = next(
        (o for o in store.outlets() if (o.outlet or "").casefold() == name.casefold()), None
    )
    if summary is None:
        raise NotFoundError(f"no outlet {name!r}", "list them at /api/outlets", source="outlet")
    out = summary.to_json()
    out["top_speakers"] = [
        {"actor_id": s.actor_id, "name": s.name, "statements": s.statements}
        for s in outlet_top_speakers(store, name)
    ]
    return out


@router.get("/stories", summary="Stories: articles of several outlets on one event")
def list_stories(request: Request, limit: Limit = 50, offset: Offset = 0) -> dict[str, Any]:
    rows, total = story_listing(store_of(request), limit=limit, offset=offset)
    return page(request, [r.to_json() for r in rows], total, limit, offset, offset + limit < total)


@router.get("/stories/{story_id}", summary="One story: statements aligned across outlets")
def get_story(request: Request, story_id: Annotated[str, Path(max_length=100)]) -> dict[str, Any]:
    from .story_view import load_story

    return load_story(store_of(request), story_id).to_json()


def _check_token(request: Request) -> None:
    expected: str = request.app.state.token
    header = request.headers.get("authorization", "")
    scheme, _, given = header.partition(" ")
    if not header:
        raise UnauthorizedError(
            "writing needs the server's token", "send the header Authorization: Bearer <token>"
        )
    if scheme.lower() != "bearer" or not hmac.compare_digest(
        given.strip().encode("utf-8"), expected.encode("utf-8")
    ):
        raise ForbiddenError("the token is wrong", "send the token the server was started with")


async def _read_body(request: Request, limit: int) -> bytes:
    declared = request.headers.get("content-length")
    too_big = BadRequestError(
        f"the request body is larger than {limit} bytes",
        "send fewer articles per request (QUOTETRACE_MAX_FILE_BYTES sets the limit)",
        source="request body",
    )
    too_big.status = 413
    if declared is not None and declared.isdigit() and int(declared) > limit:
        raise too_big
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise too_big
        chunks.append(chunk)
    return b"".join(chunks)


@write_router.post(
    "/articles",
    summary="Add articles (needs the token)",
    status_code=201,
    responses={401: {"description": "no token"}, 403: {"description": "wrong token"}},
)
async def post_articles(request: Request) -> JSONResponse:
    """Body: FORMAT.md records (one object, an array or JSONL). Records with ``attributions``
    are stored as they are; the others are extracted first. Adding an article twice adds
    nothing; a changed article with a known ``doc_id`` becomes its next version. A record the
    extractor fails on is left out and listed in ``errors``; the others are stored."""
    _check_token(request)
    body = await _read_body(request, int(get_setting("max_file_bytes")))
    result, doc_ids, failures = await run_in_threadpool(ingest_body, store_of(request), body)
    payload = {
        "doc_ids": doc_ids,
        "articles_added": result.articles_added,
        "articles_skipped": result.articles_skipped,
        "new_versions": result.new_versions,
        "statements_added": result.statements_added,
        "actors_created": result.actors_created,
        # Records the extractor failed on: left out, each in the API's error shape.
        "errors": [failure.to_dict() for failure in failures],
    }
    return JSONResponse(payload, status_code=201)
