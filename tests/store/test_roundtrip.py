"""Property tests: whatever goes into the store comes back out, through the API and export.

Articles are generated with hypothesis (any text, offsets, speakers, meta), stored, read back
with ``iter_processed`` and exported as JSONL; both must equal what went in, and storing the
same articles again must add nothing.
"""

from __future__ import annotations

import itertools
import json
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from quotetrace.models import Actor, Article, Attribution, ProcessedArticle
from quotetrace.store import Store
from quotetrace.store.export import export_store

# Characters a database can hold: no NUL, no lone surrogates (check_storable refuses those).
_TEXT_CHARS = st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00")
_text = st.text(_TEXT_CHARS, min_size=1, max_size=300)
_short = st.text(_TEXT_CHARS, min_size=1, max_size=30)
_json_scalar = st.none() | st.booleans() | st.integers(-(2**53), 2**53) | _short
_meta = st.dictionaries(
    st.text(_TEXT_CHARS, min_size=1, max_size=10).filter(lambda k: k not in ("date", "outlet")),
    _json_scalar | st.lists(_json_scalar, max_size=3),
    max_size=3,
)
_counter = itertools.count()


@st.composite
def _span(draw: st.DrawFn, size: int) -> tuple[int, int]:
    start = draw(st.integers(0, size))
    return start, draw(st.integers(start, size))


@st.composite
def processed_articles(draw: st.DrawFn) -> ProcessedArticle:
    text = draw(_text)
    size = len(text)
    actors = tuple(
        Actor(
            actor_id=i,
            name=draw(_short),
            label=draw(st.sampled_from(["PERSON", "ORG", "GPE", ""])),
            mentions=tuple(draw(st.lists(_span(size), max_size=3))),
        )
        for i in range(draw(st.integers(0, 3)))
    )
    attributions = tuple(
        Attribution(
            kind=draw(st.sampled_from(["direct", "indirect", "mixed"])),
            content=draw(_span(size)),
            source=draw(st.none() | _span(size)),
            cue=draw(st.none() | _span(size)),
            speaker=draw(st.none() | _short),
            confidence=draw(st.floats(0, 1, allow_nan=False)),
            actor_id=draw(st.none() | st.integers(0, max(len(actors) - 1, 0))) if actors else None,
            rule=draw(st.none() | st.sampled_from(["clause", "according-to", "quote"])),
        )
        for _ in range(draw(st.integers(0, 4)))
    )
    article = Article(
        # Unique per example, so every example adds to one store and can be found again.
        doc_id=f"{next(_counter)}:{draw(_short)}",
        text=text,
        date=draw(st.none() | st.dates().map(str) | _short),
        outlet=draw(st.none() | _short),
        title=draw(st.none() | _short),
        meta=draw(_meta),
    )
    return ProcessedArticle(article, attributions, actors)


def _stored(store: Store, doc_ids: list[str]) -> list[ProcessedArticle]:
    ids = []
    for doc_id in doc_ids:
        found = store.article_by_doc_id(doc_id)
        assert found is not None, doc_id
        ids.append(found.id)
    by_id = {p.article.id: p.processed for p in store.iter_processed(article_ids=ids)}
    return [by_id[i] for i in ids]


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(batch=st.lists(processed_articles(), min_size=1, max_size=4))
def test_what_is_stored_comes_back_and_is_not_stored_twice(
    store: Store, batch: list[ProcessedArticle]
) -> None:
    before = store.counts()
    added = store.add_processed(batch)
    assert added.articles_added == len(batch)
    assert added.statements_added == sum(len(p.attributions) for p in batch)
    assert _stored(store, [p.article.doc_id for p in batch]) == batch
    after = store.counts()
    again = store.add_processed(batch)
    assert again.articles_added == 0 and store.counts() == after
    assert after["articles"] == before["articles"] + len(batch)


@settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(batch=st.lists(processed_articles(), min_size=0, max_size=5))
def test_jsonl_export_is_the_format_md_record_of_each_article(
    store_url: str, tmp_path: Path, batch: list[ProcessedArticle]
) -> None:
    with Store.open(store_url) as store:
        store.add_processed(batch)
        wanted = {p.article.doc_id: p.to_json() for p in batch}
        target = tmp_path / "export.jsonl"
        export_store(store, "jsonl", target)
    exported = [json.loads(line) for line in target.read_text(encoding="utf-8").split("\n") if line]
    mine = [r for r in exported if r["doc_id"] in wanted]
    assert len(mine) == len(batch)
    for record in mine:
        assert _without_store_ids(record) == wanted[record["doc_id"]]


_STORE_KEYS = ("statement_id", "store_actor_id", "speaker_actor_id", "speaker_canonical")


def _without_store_ids(record: dict[str, Any]) -> dict[str, Any]:
    out = {k: v for k, v in record.items() if k not in ("article_id", "version", "story_id")}
    out["attributions"] = [
        {k: v for k, v in a.items() if k not in _STORE_KEYS} for a in record["attributions"]
    ]
    out["actors"] = [
        {k: v for k, v in a.items() if k not in ("store_actor_id", "canonical")}
        for a in record["actors"]
    ]
    return out
