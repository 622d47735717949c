"""Coreference on GUM: parse, write the actors JSONL, score it with the shared mention scorer.

    python -m quotetrace.coref.evaluation ../shared/data/gum/dev.jsonl \\
        --scorer ../shared/eval/score_mentions.py [--out build/gum-dev.coref.jsonl] [--baseline]

PRED lines carry ``actors`` [{id, name, label, mentions}] (``score_mentions.py``'s input).
``--baseline`` writes and scores the trivial system instead: every PERSON/ORG entity of spaCy's
recogniser its own actor named by its text, each third-person personal pronoun joined to the
nearest preceding PERSON entity.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

from .training import GumDoc, read_gum
from .turns import set_turns, turns_from_meta

__all__ = ["actors_of", "baseline_actors", "coref_actors", "main", "with_turns", "write_and_score"]

_BASELINE_PRONOUNS = {"he", "him", "his", "she", "her", "hers", "they", "them", "their"}


def actors_of(entities: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The component's entities as the shared mention scorer's actors."""
    return [
        {"id": e["id"], "name": e["name"], "label": e["label"], "mentions": e["mentions"]}
        for e in entities
    ]


def coref_actors(doc: Any) -> list[dict[str, Any]]:
    return actors_of(doc._.coref_entities)


def write_and_score(
    predicted: list[tuple[str, list[dict[str, Any]]]],
    gold: str,
    out: Path,
    scorer: str | None,
    as_json: bool = False,
) -> int:
    """Write ``(doc_id, actors)`` as PRED JSONL to ``out``, then run the shared scorer on it
    (when given); the scorer's exit status."""
    out.parent.mkdir(parents=True, exist_ok=True)
    with out.open("w", encoding="utf-8") as handle:
        for doc_id, actors in predicted:
            handle.write(json.dumps({"doc_id": doc_id, "actors": actors}) + "\n")
    print(f"wrote {out}", file=sys.stderr)
    if not scorer:
        return 0
    return subprocess.call(
        [sys.executable, scorer, gold, str(out)] + (["--json"] if as_json else [])
    )


def baseline_actors(doc: Any) -> list[dict[str, Any]]:
    actors: list[dict[str, Any]] = []
    last_person: dict[str, Any] | None = None
    ents = {e.start: e for e in doc.ents if e.label_ in ("PERSON", "ORG")}
    i = 0
    while i < len(doc):
        ent = ents.get(i)
        if ent is not None:
            actor = {
                "id": len(actors) + 1,
                "name": ent.text,
                "label": ent.label_,
                "mentions": [[ent.start_char, ent.end_char]],
            }
            actors.append(actor)
            if ent.label_ == "PERSON":
                last_person = actor
            i = ent.end
            continue
        tok = doc[i]
        if tok.lower_ in _BASELINE_PRONOUNS and tok.pos_ == "PRON" and last_person is not None:
            last_person["mentions"].append([tok.idx, tok.idx + len(tok)])
        i += 1
    return actors


def with_turns(nlp: Any, gold: GumDoc) -> Any:
    """The record's text, as a Doc carrying its speaker turns when ``meta.turns`` has some."""
    turns = turns_from_meta(gold.meta, len(gold.text))
    if not turns:
        return gold.text
    doc = nlp.make_doc(gold.text)
    set_turns(doc, turns)
    return doc


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("gold", help="GUM entity JSONL (../shared/data/gum/dev.jsonl)")
    parser.add_argument("--scorer", help="path of score_mentions.py; without it, no scoring")
    parser.add_argument("--out", help="where to write PRED JSONL (default build/gum-*.jsonl)")
    parser.add_argument("--baseline", action="store_true", help="score the trivial baseline")
    parser.add_argument("--json", action="store_true", help="print the scorer's JSON")
    parser.add_argument(
        "--weights", default="packaged", help="coreference weights file or directory to score"
    )
    parser.add_argument(
        "--version",
        type=int,
        default=5,
        choices=(1, 2, 3, 4, 5),
        help="quotetrace.Coref.vN to score",
    )
    args = parser.parse_args(argv)

    from ..nlp.pipeline import load_pipeline

    docs = read_gum(args.gold)
    nlp = load_pipeline(coref=False)
    if not args.baseline:
        nlp.add_pipe(
            "quotetrace_coref",
            before="quotetrace",
            config={
                "model": {"@misc": f"quotetrace.Coref.v{args.version}", "weights": args.weights}
            },
        )
    what = "baseline" if args.baseline else "coref"
    out = Path(args.out or f"build/gum-{Path(args.gold).stem}.{what}.jsonl")
    make = baseline_actors if args.baseline else coref_actors
    with nlp.select_pipes(disable=["quotetrace"]):
        predicted = [
            (gold.doc_id, make(doc))
            for gold, doc in zip(docs, nlp.pipe(with_turns(nlp, d) for d in docs), strict=True)
        ]
    return write_and_score(predicted, args.gold, out, args.scorer, args.json)


if __name__ == "__main__":
    raise SystemExit(main())
