"""``quotetrace train``: fit the v2 attribution model on gold attribution JSONL."""

from __future__ import annotations

import sys
from pathlib import Path

import typer

from .app import app, reports_errors

TRAIN_HELP = """Train the learned attribution model (quotetrace.Attributor.v2).

Reads attribution JSONL with gold spans (FORMAT.md), proposes open-vocabulary rule candidates,
fits a logistic model on --train, then a token tagger (a CRF fed by the parse and the
candidates' scores) that adds the reports no rule frame proposes, and tunes both thresholds on
--dev only. Writes OUT/attributor-v2.json and OUT/attributor-v2.crf; use them with the component config
`{"attributor": {"@misc": "quotetrace.Attributor.v2", "weights": "OUT"}}` or copy it to
src/quotetrace/nlp/weights/ to ship them. Deterministic: the same data gives the same weights.

Example:

    quotetrace train --train ../shared/data/polnear/train.jsonl \\
        --dev ../shared/data/polnear/dev.jsonl --out build/model
"""


@app.command("train", help=TRAIN_HELP)
@reports_errors
def train_command(
    train: Path = typer.Option(
        ..., "--train", exists=True, dir_okay=False, help="gold JSONL to fit on"
    ),
    dev: Path = typer.Option(
        ..., "--dev", exists=True, dir_okay=False, help="gold JSONL to tune on"
    ),
    out: Path = typer.Option(..., "--out", file_okay=False, help="directory for the model file"),
    l2: list[float] = typer.Option(
        [0.5, 1.0, 2.0, 4.0], "--l2", min=0.0, help="L2 strengths to try (the best on dev wins)"
    ),
    min_count: int = typer.Option(2, "--min-count", min=1, help="drop rarer features"),
    model: str | None = typer.Option(None, "--model", help="spaCy model to parse with"),
    cache: Path | None = typer.Option(
        None, "--cache", file_okay=False, help="keep the parses here to re-train faster"
    ),
    tagger: bool = typer.Option(
        True, "--tagger/--no-tagger", help="also train the token tagger (CRF) and tune it on dev"
    ),
) -> None:
    from ..nlp.training import train_model

    report = train_model(
        str(train),
        str(dev),
        out,
        l2_grid=tuple(l2),
        min_count=min_count,
        model=model,
        cache_dir=cache,
        with_tagger=tagger,
        progress=lambda msg: print(msg, file=sys.stderr),
    )
    d = report.dev
    print(
        f"wrote {out / 'attributor-v2.json'}: {report.features} weights from {report.examples} "
        f"candidates ({report.positives} right); threshold {report.threshold:.2f}; "
        f"dev partial F1 {d['partial_f1']:.3f}, end-to-end F1 {d['e2e_f1']:.3f}; "
        f"{report.seconds:.0f} s"
    )


TRAIN_COREF_HELP = """Train the coreference model of the quotetrace_coref component (quotetrace.Coref.v5).

Reads GUM entity JSONL (../shared/data/gum/README.md), fits the mention-pair model on --train,
chooses L2 and its linking settings on --dev (or, with --tune train-cv, by 4-fold
cross-validation on --train, so that --dev is scored held out). Writes OUT/coref-v5.json; use it with the component
config `{"model": {"@misc": "quotetrace.Coref.v5", "weights": "OUT"}}` or copy it to
src/quotetrace/coref/weights/ to ship it. Deterministic: the same data gives the same file.

Example:

    quotetrace train-coref --train ../shared/data/gum/train.jsonl \\
        --dev ../shared/data/gum/dev.jsonl --out build/coref
"""


@app.command("train-coref", help=TRAIN_COREF_HELP)
@reports_errors
def train_coref_command(
    train: Path = typer.Option(
        ..., "--train", exists=True, dir_okay=False, help="GUM entity JSONL to fit on"
    ),
    dev: Path = typer.Option(
        ...,
        "--dev",
        exists=True,
        dir_okay=False,
        help="GUM entity JSONL to score on (held out), or to tune on with --tune dev",
    ),
    out: Path = typer.Option(..., "--out", file_okay=False, help="directory for coref-v5.json"),
    l2: list[float] = typer.Option(
        [1.0, 4.0, 16.0], "--l2", min=0.0, help="L2 strengths to try (the best one wins)"
    ),
    tune: str = typer.Option(
        "dev",
        "--tune",
        help="choose L2 and the linking settings on --dev (dev, as make train ships them) or "
        "by 4-fold cross-validation on train, --dev then held out (train-cv)",
    ),
    model: str | None = typer.Option(None, "--model", help="spaCy model to parse with"),
    cache: Path | None = typer.Option(
        None, "--cache", file_okay=False, help="keep the parses here to re-train faster"
    ),
) -> None:
    from ..coref.training import train_coref
    from ..errors import ConfigError

    if tune not in ("train-cv", "dev"):
        raise ConfigError(f"--tune {tune!r} is not a way to tune", "give train-cv or dev")

    report = train_coref(
        str(train),
        str(dev),
        out,
        l2_grid=tuple(l2),
        tune=tune,
        model=model,
        cache_dir=cache,
        progress=lambda msg: print(msg, file=sys.stderr),
    )
    d = report.dev
    print(
        f"wrote {out / 'coref-v5.json'}: {report.pairs} pairs ({report.positives} coreferent); "
        f"l2 {report.l2}, thresholds {report.threshold:.2f} / pronouns "
        f"{report.pronoun_threshold:.2f}; dev ({'in-sample' if tune == 'dev' else 'held out'}) "
        f"B3 F1 {d['b3_f1']:.3f}, name accuracy "
        f"{d['name_acc']:.3f}; {report.seconds:.0f} s"
    )
