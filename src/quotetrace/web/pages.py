"""The HTML pages: server-rendered Jinja2 templates (autoescaped) and one small script.

Article text is untrusted input: it reaches the page only through template variables, which
Jinja escapes, and the statement highlights are built from offsets (``highlight.py``), never by
inserting markup into the text. Search snippets come back from the store with private-use mark
characters around the matched words; the template splits on them, so no HTML is ever parsed out
of stored text.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal
from urllib.parse import quote, urlencode

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates

from ..errors import NotFoundError
from ..store import Store
from ..store.actor_queries import name_sources
from .highlight import article_segments, speaker_key, speaker_styles
from .limits import MAX_ROW_ID
from .mention_view import speaker_chains
from .queries import actor_daily_counts, article_listing, outlet_top_speakers, story_listing
from .timeline import timeline_plot

__all__ = ["SNIPPET_MARK", "router", "snippet_pieces"]

router = APIRouter(include_in_schema=False)

# Private-use code points cannot occur in news text, so they mark matches unambiguously.
SNIPPET_MARK = ("\ue000", "\ue001")
PAGE_SIZE = 20


def snippet_pieces(snippet: str) -> list[tuple[str, bool]]:
    """``"a \ue000b\ue001 c"`` -> ``[("a ", False), ("b", True), (" c", False)]``."""
    out: list[tuple[str, bool]] = []
    for i, part in enumerate(snippet.split(SNIPPET_MARK[0])):
        if i == 0:
            out.append((part.replace(SNIPPET_MARK[1], ""), False))
            continue
        hit, _, rest = part.partition(SNIPPET_MARK[1])
        out.append((hit, True))
        out.append((rest.replace(SNIPPET_MARK[1], ""), False))
    return [(t, m) for t, m in out if t]


def _pager_urls(request: Request, page: int, total: int) -> dict[str, str | None]:
    """Links to the previous and next page, relative to this server (never from the Host header)."""

    def url(number: int) -> str:
        params = {**request.query_params, "page": str(number)}
        return quote(request.url.path) + "?" + urlencode(params)

    return {
        "prev_url": url(page - 1) if page > 1 else None,
        "next_url": url(page + 1) if page * PAGE_SIZE < total else None,
    }


def _render(request: Request, name: str, **context: Any) -> HTMLResponse:
    templates: Jinja2Templates = request.app.state.templates
    response: HTMLResponse = templates.TemplateResponse(request, name, context)
    return response


def _store(request: Request) -> Store:
    store: Store = request.app.state.store
    return store


@router.get("/", response_class=HTMLResponse)
def home(request: Request) -> HTMLResponse:
    store = _store(request)
    recent, total = article_listing(store, limit=10)
    stories, n_stories = story_listing(store, limit=10)
    return _render(
        request,
        "index.html",
        counts=store.counts(),
        outlets=store.outlets(),
        actors=store.actors(limit=12),
        recent=recent,
        total_articles=total,
        stories=stories,
        n_stories=n_stories,
    )


@router.get("/search", response_class=HTMLResponse)
def search(
    request: Request,
    q: Annotated[str, Query(max_length=500)] = "",
    speaker: Annotated[str, Query(max_length=300)] = "",
    outlet: Annotated[str, Query(max_length=300)] = "",
    since: Annotated[str, Query(max_length=10)] = "",
    until: Annotated[str, Query(max_length=10)] = "",
    kind: Literal["", "direct", "indirect", "mixed"] = "",
    page: Annotated[int, Query(ge=1, le=10_000)] = 1,
) -> HTMLResponse:
    store = _store(request)
    result = store.search(
        q,
        speaker=speaker or None,
        outlet=outlet or None,
        since=since or None,
        until=until or None,
        kind=kind or None,
        limit=PAGE_SIZE,
        offset=(page - 1) * PAGE_SIZE,
        mark=SNIPPET_MARK,
        count=True,
    )
    hits = [(h, snippet_pieces(h.snippet)) for h in result.hits]
    total = result.total or 0
    params = {
        "q": q,
        "speaker": speaker,
        "outlet": outlet,
        "since": since,
        "until": until,
        "kind": kind,
    }
    return _render(
        request,
        "search.html",
        params=params,
        hits=hits,
        total=total,
        page=page,
        pages=max(1, -(-total // PAGE_SIZE)),
        outlets=[o.outlet for o in store.outlets() if o.outlet],
        **_pager_urls(request, page, total),
    )


@router.get("/articles/{article_id}", response_class=HTMLResponse)
def article_page(
    request: Request, article_id: Annotated[int, Path(ge=1, le=MAX_ROW_ID)]
) -> HTMLResponse:
    store = _store(request)
    article = store.article(article_id)
    if article is None:
        raise NotFoundError(
            f"no article {article_id}", "start from the home page", source="article"
        )
    statements = store.statements(article_id=article_id, current_only=False)
    styles = speaker_styles(statements)
    chains = speaker_chains(store, article_id, article.text, statements)
    segments = article_segments(article.text, statements, chains)
    by_speaker: dict[str, list[Any]] = {}
    for st in statements:
        by_speaker.setdefault(speaker_key(st), []).append(st)
    return _render(
        request,
        "article.html",
        article=article,
        segments=segments,
        styles=styles,
        speaker_key=speaker_key,
        by_speaker=by_speaker,
        statements=statements,
        chains=chains,
    )


@router.get("/actors/{actor_id}", response_class=HTMLResponse)
def actor_page(
    request: Request,
    actor_id: Annotated[int, Path(ge=1, le=MAX_ROW_ID)],
    page: Annotated[int, Query(ge=1, le=10_000)] = 1,
) -> HTMLResponse:
    store = _store(request)
    detail = store.actor(actor_id)
    if detail is None:
        raise NotFoundError(f"no actor {actor_id}", "start from the home page", source="actor")
    # Newest first, a page at a time: a much-quoted actor has thousands of statements.
    said = store.search(
        "", actor_id=actor_id, limit=PAGE_SIZE, offset=(page - 1) * PAGE_SIZE, count=True
    )
    total = said.total or 0
    names_by_outlet: dict[str, list[tuple[str, int]]] = {}
    for outlet, surface, n in detail.outlet_names:
        names_by_outlet.setdefault(outlet or "(no outlet)", []).append((surface, n))
    return _render(
        request,
        "actor.html",
        detail=detail,
        statements=[h.statement for h in said.hits],
        total=total,
        plot=timeline_plot(actor_daily_counts(store, actor_id)),
        names_by_outlet=names_by_outlet,
        name_sources=name_sources(store, actor_id),
        **_pager_urls(request, page, total),
    )


@router.get("/outlets/{name:path}", response_class=HTMLResponse)
def outlet_page(
    request: Request,
    name: Annotated[str, Path(max_length=300)],
    page: Annotated[int, Query(ge=1, le=10_000)] = 1,
) -> HTMLResponse:
    store = _store(request)
    summary = next(
        (o for o in store.outlets() if (o.outlet or "").casefold() == name.casefold()), None
    )
    if summary is None:
        raise NotFoundError(f"no outlet {name!r}", "start from the home page", source="outlet")
    articles, total = article_listing(
        store, outlet=name, limit=PAGE_SIZE, offset=(page - 1) * PAGE_SIZE
    )
    top = outlet_top_speakers(store, name, limit=15)
    return _render(
        request,
        "outlet.html",
        summary=summary,
        articles=articles,
        total=total,
        top=top,
        top_max=max((t.statements for t in top), default=1),
        page=page,
        **_pager_urls(request, page, total),
    )


@router.get("/stories/{story_id}", response_class=HTMLResponse)
def story_page(request: Request, story_id: Annotated[str, Path(max_length=100)]) -> HTMLResponse:
    from .story_view import load_story

    view = load_story(_store(request), story_id)
    return _render(request, "story.html", view=view)
