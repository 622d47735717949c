"""The store commands over a store filled by hand (no model): search, export, actors."""

from __future__ import annotations

import json
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from store_builders import Said, harbour_story, report
from typer.testing import CliRunner

from quotetrace.cli import app
from quotetrace.store import Store


@pytest.fixture
def db(tmp_path: Path) -> str:
    path = str(tmp_path / "cli.db")
    with Store.open(path) as store:
        store.add_processed(harbour_story())
        store.add_processed(
            [
                report(
                    "i/1",
                    "Desk",
                    "2023-11-06",
                    [Said("Iraqi Prime Minister Hadi Amari", "said", "the border stays open")],
                ),
                report(
                    "i/2", "Desk", "2031-01-01", [Said("The Iraqi Prime Minister", "said", "no")]
                ),
            ]
        )
    return path


def _run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(app, list(args))
    return result.exit_code, result.output


def test_search_table_and_json(db: str) -> None:
    code, out = _run("search", "regime", "--db", db)
    assert code == 0 and "2 match(es), showing 1-2" in out and "Mara Voss" in out
    code, out = _run("search", "ferry", "--db", db, "--format", "json", "--limit", "1")
    page = json.loads(out)
    assert code == 0 and page["total"] == 3 and len(page["results"]) == 1
    assert "«ferry»" in page["results"][0]["snippet"]
    code, out = _run("search", "", "--speaker", "Voss", "--order", "newest", "--db", db)
    assert code == 0 and "4 match(es)" in out
    code, out = _run("search", "--db", db, "--", "-ferry")
    assert code == 1 and out.startswith("Error: a search needs at least one word")


def test_export_formats(db: str, tmp_path: Path) -> None:
    for fmt in ("jsonl", "csv", "parquet"):
        target = tmp_path / f"out.{fmt}"
        code, out = _run("export", "--format", fmt, "-o", str(target), "--db", db)
        assert code == 0 and "wrote 5 article(s), 8 statement(s)" in out
    assert pq.read_table(tmp_path / "out.parquet").num_rows == 8
    assert len((tmp_path / "out.jsonl").read_text().splitlines()) == 5
    code, out = _run("export", "-o", str(tmp_path / "no" / "x.jsonl"), "--db", db)
    assert code == 1 and "Error:" in out and "does not exist" in out


def test_actors_list_show_merge_split_rename(db: str) -> None:
    code, out = _run("actors", "list", "--db", db, "--format", "json")
    actors = {a["name"]: a for a in json.loads(out)}
    assert code == 0 and {"Mara Voss", "Teodor Lind", "Hadi Amari"} <= set(actors)
    voss, lind, amari = (actors[n]["id"] for n in ("Mara Voss", "Teodor Lind", "Hadi Amari"))

    code, out = _run("actors", "show", str(voss), "--db", db, "--format", "json")
    shown = json.loads(out)
    assert (
        code == 0
        and {"outlet": "Ellin Courier", "surface": "Council chair Mara Voss", "count": 1}
        in shown["outlet_names"]
    )

    code, out = _run(
        "actors",
        "split",
        str(amari),
        "--alias",
        "Iraqi Prime Minister",
        "--name",
        "Lana Voe",
        "--db",
        db,
    )
    assert code == 0 and "split off actor" in out
    code, out = _run("search", "", "--speaker", "Lana Voe", "--db", db, "--format", "json")
    assert [r["content_text"] for r in json.loads(out)["results"]] == ["no"]

    code, out = _run("actors", "merge", str(voss), str(lind), "--db", db)
    assert code == 0 and f"merged 1 actor(s) into {voss}" in out
    code, out = _run("search", "", "--speaker", "Teodor Lind", "--db", db, "--format", "json")
    assert {r["actor"] for r in json.loads(out)["results"]} == {"Mara Voss"}

    code, out = _run("actors", "rename", str(voss), "Mara Voss-Lind", "--db", db)
    assert code == 0
    code, out = _run("actors", "list", "Voss", "--db", db, "--format", "json")
    listed = {a["name"]: a for a in json.loads(out)}
    assert "Mara Voss-Lind" in listed
    # Each actor with the name variants linked to it and the outlets that name it.
    assert {"Mara Voss", "Teodor Lind"} <= set(listed["Mara Voss-Lind"]["names"])
    assert "Ellin Courier" in listed["Mara Voss-Lind"]["outlets"]
    code, out = _run("actors", "list", "Voss", "--db", db)
    assert code == 0 and "names" in out and "outlets" in out

    code, out = _run("actors", "merge", str(voss), "99999", "--db", db)
    assert code == 1 and "no actor with id 99999" in out
    code, out = _run("actors", "split", str(voss), "--alias", "Nobody", "--db", db)
    assert code == 1 and "has no alias 'Nobody'" in out


def test_a_bad_database_is_a_clear_error(tmp_path: Path) -> None:
    notes = tmp_path / "notes.db"
    notes.write_text("not a database " * 200)
    code, out = _run("search", "x", "--db", str(notes))
    assert code == 1 and out.startswith("Error:") and "quotetrace store" in out
    code, out = _run("search", "x", "--db", "mysql://u@h/db")
    assert code == 1 and "unsupported database URL" in out
