"""Leave-one-document-out estimates of the coreference settings (``quotetrace.coref.crossval``)
on three short fictional articles with hand-written gold mentions."""

from __future__ import annotations

import itertools
import json
from pathlib import Path
from typing import Any

import pytest

from quotetrace.coref.crossval import leave_one_out
from quotetrace.coref.model import CorefModel
from quotetrace.coref.training import (
    _GRID,
    _aligned,
    objective,
    parse_gum,
    read_gum,
    score_items,
    with_settings,
)

ARTICLES = [
    (
        "velmora",
        "Councillor Mira Okafor opened the library in Velmora. Okafor said she had waited "
        "ten years. Her deputy, Jon Bell, praised the builders. He said they were early.",
        {"Mira Okafor": ["Mira Okafor", "Okafor", "she", "Her"], "Jon Bell": ["Jon Bell", "He"]},
    ),
    (
        "harbour",
        "The Port Authority of Casselby said on Tuesday it would dredge the harbour. Its "
        "director, Tomas Varga, said he expected the work to take a year. Varga added that "
        "the authority had the money.",
        {
            "Port Authority of Casselby": ["The Port Authority of Casselby", "it", "Its"],
            "Tomas Varga": ["Tomas Varga", "he", "Varga"],
        },
    ),
    (
        "orchard",
        "Farmer Lina Moss lost half her apples to the frost. Moss told reporters she would "
        "replant in spring. Her neighbour Ed Crane said he had lost more.",
        {"Lina Moss": ["Lina Moss", "her", "Moss", "she", "Her"], "Ed Crane": ["Ed Crane", "he"]},
    ),
]

_PRONOUNS = {"she", "he", "her", "it", "its", "his"}


def _record(doc_id: str, text: str, chains: dict[str, list[str]]) -> dict[str, Any]:
    mentions, entities, taken = [], [], set()
    for n, (name, words) in enumerate(chains.items(), 1):
        entities.append({"id": str(n), "name": name})
        pos = 0
        for word in words:
            start = text.index(word, pos)
            while (start, start + len(word)) in taken:
                start = text.index(word, start + 1)
            taken.add((start, start + len(word)))
            pos = start + len(word)
            form = "pronoun" if word.lower() in _PRONOUNS else "name"
            kind = "organization" if "Authority" in name else "person"
            mentions.append({"span": [start, pos], "entity": str(n), "type": kind, "form": form})
    return {"doc_id": doc_id, "text": text, "mentions": mentions, "entities": entities}


@pytest.fixture(scope="module")
def gold_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("gum") / "dev.jsonl"
    path.write_text(
        "".join(json.dumps(_record(*article)) + "\n" for article in ARTICLES), encoding="utf-8"
    )
    return path


@pytest.mark.model
def test_each_document_is_predicted_with_what_the_others_chose(gold_path: Path) -> None:
    model = CorefModel.load()
    folds = leave_one_out(str(gold_path), model)
    assert [f.doc_id for f in folds] == [a[0] for a in ARTICLES], "doc_ids kept, in order"
    docs = read_gum(str(gold_path))
    parsed = parse_gum(docs, str(gold_path), None, "dev", None)
    items = [_aligned(g, d, model.mentions(d)) for g, d in zip(docs, parsed, strict=True)]
    grid = list(itertools.product(*_GRID))
    for held, fold in enumerate(folds):
        # the settings the other documents score best on, scored the slow way (pooled)
        rest = [it for k, it in enumerate(items) if k != held]
        best = max(
            range(len(grid)),
            key=lambda s: (objective(score_items(rest, with_settings(model, grid[s]))), -s),
        )
        assert tuple(fold.settings.values()) == grid[best]
        chosen = with_settings(model, grid[best])
        predicted = chosen.resolve(parsed[held])
        assert fold.actors == [
            {"id": e["id"], "name": e["name"], "label": e["label"], "mentions": e["mentions"]}
            for e in predicted
        ]
    names = {a["name"] for fold in folds for a in fold.actors}
    assert {"Mira Okafor", "Tomas Varga"} <= names
    assert any(n.endswith("Moss") for n in names)
