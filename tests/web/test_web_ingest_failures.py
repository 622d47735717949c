"""``POST /api/articles``: a record the pipeline fails on is named, the others are stored."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from web_fixtures import TOKEN

from quotetrace.store import Store

pytestmark = [pytest.mark.model, pytest.mark.fuzz]

TEXT = "“We are ready for the floods,” Ilse Brandt said on Sunday in Velmora."


def _post(client: TestClient, records: list[dict[str, Any]]) -> Any:
    return client.post(
        "/api/articles",
        content=json.dumps(records).encode("utf-8"),
        headers={"Authorization": f"Bearer {TOKEN}"},
    )


def test_a_record_over_the_ceiling_is_listed_and_the_others_stored(
    write_client: TestClient, fresh_db: Path, nlp: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    import quotetrace.web.ingest as ingest

    monkeypatch.setattr(ingest, "_PIPELINE", [nlp])  # the session's pipeline, not a second load
    monkeypatch.setenv("QUOTETRACE_MAX_DOCUMENT_CHARS", "500")
    records = [
        {"doc_id": "fail-ok-1", "text": TEXT},
        {"doc_id": "fail-long", "text": (TEXT + " ") * 20},
        {"doc_id": "fail-ok-2", "text": TEXT.replace("Sunday", "Monday")},
    ]
    response = _post(write_client, records)
    assert response.status_code == 201, response.text
    body = response.json()
    assert body["doc_ids"] == ["fail-ok-1", "fail-ok-2"] and body["articles_added"] == 2
    [error] = body["errors"]
    assert error["code"] == "input/too-large"
    assert error["source"] == "request body:2 (doc_id fail-long)"
    with Store.open(str(fresh_db)) as store:
        before = store.counts()
    again = _post(write_client, records)
    assert again.status_code == 201 and again.json()["articles_added"] == 0
    with Store.open(str(fresh_db)) as store:
        assert store.counts() == before
    # Only failures: nothing to store, the one error in the API's shape.
    only = _post(write_client, [records[1]])
    assert only.status_code == 400 and only.json()["error"]["code"] == "input/too-large"
