"""The SQLite store in Datasette: the metadata.json we write, checked against Datasette."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import pytest
from store_builders import harbour_story
from typer.testing import CliRunner

from quotetrace.cli import app
from quotetrace.store import Store
from quotetrace.store.datasette import TABLES, datasette_metadata
from quotetrace.store.schema import metadata as schema


@pytest.fixture
def news_db(tmp_path: Path) -> Path:
    path = tmp_path / "news.db"
    with Store.open(str(path)) as store:
        store.add_processed(harbour_story())
    return path


def test_every_column_of_the_schema_is_described() -> None:
    for name, table in schema.tables.items():
        assert name in TABLES, name
        described = TABLES[name][1]
        assert [c.name for c in table.columns if c.name not in described] == [], name


def test_the_cli_writes_the_metadata(news_db: Path, tmp_path: Path) -> None:
    out = tmp_path / "metadata.json"
    result = CliRunner().invoke(app, ["datasette-metadata", "--db", str(news_db), "-o", str(out)])
    assert result.exit_code == 0, result.output
    written = json.loads(out.read_text(encoding="utf-8"))
    assert written == datasette_metadata(news_db)
    tables = written["databases"]["news"]["tables"]
    assert tables["statements"]["fts_table"] == "statements_fts"
    assert set(tables["statements"]["columns"]) >= {"speaker", "content_text", "kind"}
    assert "content_tsv" not in tables["statements"]["columns"]  # PostgreSQL only
    assert tables["statements_fts"] == {"hidden": True}


def test_the_cli_refuses_what_is_not_a_sqlite_store(tmp_path: Path) -> None:
    runner = CliRunner()
    missing = runner.invoke(app, ["datasette-metadata", "--db", str(tmp_path / "nope.db")])
    assert (
        missing.exit_code == 1 and "Error:" in missing.output and "no such store" in missing.output
    )
    pg = runner.invoke(app, ["datasette-metadata", "--db", "postgresql://me@localhost/news"])
    assert pg.exit_code == 1 and "SQLite" in pg.output


def test_datasette_serves_the_store_with_the_metadata(news_db: Path) -> None:
    pytest.importorskip("datasette")
    from datasette.app import Datasette

    async def visit() -> tuple[dict[str, object], str, dict[str, object]]:
        ds = Datasette([str(news_db)], metadata=datasette_metadata(news_db))
        await ds.invoke_startup()
        search = await ds.client.get("/news/statements.json?_search=ferry&_shape=objects")
        page = await ds.client.get("/news/statements")
        facets = await ds.client.get("/news/articles.json?_facet=outlet")
        assert search.status_code == 200 and page.status_code == 200, search.text
        return search.json(), page.text, facets.json()

    search, page, facets = asyncio.run(visit())
    rows = search["rows"]
    assert isinstance(rows, list) and len(rows) == 3  # two in the gazette, one on the wire
    assert all("ferry" in str(r["content_text"]) for r in rows)
    # The column descriptions and the table's description are on the table page.
    assert "the speaker resolved to a canonical name" in page
    assert "Who said what: one row per direct quote or reported statement." in page
    outlets = {f["value"] for f in facets["facet_results"]["outlet"]["results"]}  # type: ignore[index]
    assert outlets == {"Lakeside Gazette", "Ellin Courier", "Northern Wire"}
