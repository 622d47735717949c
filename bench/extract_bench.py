"""What quotetrace's extraction costs on top of the bare spaCy parse, in CPU time.

Same documents, same process, same run: the bare model (``load_bare_pipeline``) and the full
pipeline (``load_pipeline``: the model plus quotetrace's components, with results read back
into records by ``extract_articles``) and, unless ``--no-coref``, the same pipeline with
``quotetrace_coref`` added (it is off by default) each parse the documents ``--repeats`` times,
alternating, and the fastest pass of each counts (the minimum is the run least disturbed by anything else on
the machine). CPU time is this process's user+system time (``time.process_time``), so another
program on the machine slows the wall clock but hardly the figure.

The documents are generated fictional news (``bench/generate.py``) and, when ``../shared`` is
there, the PolNeAR dev texts, read in place and never copied.

    python bench/extract_bench.py                 # Markdown section on stdout
    python bench/extract_bench.py --json out.json --docs 60 --repeats 2
"""

from __future__ import annotations

import os

# One BLAS thread, decided before numpy loads: the parse is measured as quotetrace runs it.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import argparse
import json
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(REPO / "src"))

from generate import generate_records  # noqa: E402

from quotetrace.models import Article  # noqa: E402

POLNEAR_DEV = REPO.parent / "shared" / "data" / "polnear" / "dev.jsonl"


def _cpu(run: Callable[[], object]) -> float:
    began = time.process_time()
    run()
    return time.process_time() - began


def measure(
    articles: list[Article], repeats: int, bare: Any, full: Any, full_coref: Any | None = None
) -> dict[str, Any]:
    """Best-of-``repeats`` CPU seconds for the bare parse and for the full extraction (and,
    given ``full_coref``, for the full extraction with ``quotetrace_coref`` in the pipeline)."""
    from quotetrace.nlp.pipeline import extract_articles

    texts = [a.text for a in articles]
    words = sum(len(t.split()) for t in texts)

    def parse_bare() -> None:
        for _ in bare.pipe(texts, batch_size=32):
            pass

    def extract_with(nlp: Any) -> Callable[[], None]:
        def run() -> None:
            for _ in extract_articles(articles, nlp, batch_size=32, n_process=1):
                pass

        return run

    runs: dict[str, Callable[[], None]] = {"bare": parse_bare, "full": extract_with(full)}
    if full_coref is not None:
        runs["coref"] = extract_with(full_coref)
    # Warm-up pass of each on a few documents: first-call costs are not the steady state.
    list(bare.pipe(texts[:4]))
    for nlp in (full, full_coref):
        if nlp is not None:
            list(extract_articles(articles[:4], nlp, n_process=1))
    seconds: dict[str, list[float]] = {name: [] for name in runs}
    for _ in range(repeats):
        for name, run in runs.items():
            seconds[name].append(_cpu(run))
    best = {name: min(values) for name, values in seconds.items()}
    result = {
        "documents": len(articles),
        "words": words,
        "repeats": repeats,
        "bare_cpu_seconds": seconds["bare"],
        "full_cpu_seconds": seconds["full"],
        "bare_words_per_cpu_second": words / best["bare"],
        "full_words_per_cpu_second": words / best["full"],
        "ratio": best["full"] / best["bare"],
    }
    if "coref" in best:
        result["coref_cpu_seconds"] = seconds["coref"]
        result["coref_ratio"] = best["coref"] / best["bare"]
    return result


def _polnear_articles(path: Path, limit: int | None) -> list[Article]:
    articles = []
    with path.open(encoding="utf-8") as lines:
        for line in lines:
            record = json.loads(line)
            articles.append(Article(str(record["doc_id"]), record["text"]))
            if limit is not None and len(articles) >= limit:
                break
    return articles


def markdown(results: dict[str, Any]) -> str:
    rows = [
        "## Extraction vs bare parse (CPU time, one process)",
        "",
        "Full pipeline (model + quotetrace components + records) against the bare spaCy model,",
        "same documents, same run; best of the repeats. Ratio 1.00 would mean extraction is free.",
        "",
        "| corpus | docs | words | bare words/CPU-s | full words/CPU-s | full / bare CPU"
        " | with quotetrace_coref / bare CPU |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for name, r in results["corpora"].items():
        coref = f"{r['coref_ratio']:.2f}x" if "coref_ratio" in r else "not measured"
        rows.append(
            f"| {name} | {r['documents']} | {r['words']:,} | {r['bare_words_per_cpu_second']:,.0f}"
            f" | {r['full_words_per_cpu_second']:,.0f} | **{r['ratio']:.2f}x** | {coref} |"
        )
    rows.append("")
    rows.append(f"Pipelines: bare `{results['bare_pipes']}`; full `{results['full_pipes']}`.")
    if results.get("coref_pipes"):
        rows.append(
            f"The last column adds `quotetrace_coref` (off by default; `QUOTETRACE_COREF=1`):"
            f" `{results['coref_pipes']}`."
        )
    if "polnear" not in " ".join(results["corpora"]):
        rows.append("PolNeAR dev: not measured (../shared is absent).")
    return "\n".join(rows) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--docs", type=int, default=100, help="generated articles")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--polnear", type=Path, default=POLNEAR_DEV)
    parser.add_argument(
        "--polnear-limit", type=int, default=40, help="first N dev articles (0: all 84)"
    )
    parser.add_argument("--polnear-repeats", type=int, default=2)
    parser.add_argument("--json", type=Path, help="also write the figures here")
    parser.add_argument(
        "--no-coref", action="store_true", help="skip the column with quotetrace_coref added"
    )
    args = parser.parse_args(argv)

    from quotetrace.nlp.pipeline import load_bare_pipeline, load_pipeline

    bare, full = load_bare_pipeline(), load_pipeline()
    full_coref = None if args.no_coref else load_pipeline(coref=True)
    if full_coref is not None and "quotetrace_coref" in full.pipe_names:
        full_coref = None  # the default pipeline has it already
    generated = [
        Article(r["doc_id"], r["text"], r["meta"]["date"], r["meta"]["outlet"])
        for r in generate_records(args.docs, seed=3, sentences=12)
    ]
    corpora = {"generated news": measure(generated, args.repeats, bare, full, full_coref)}
    if args.polnear.exists():
        polnear = _polnear_articles(args.polnear, args.polnear_limit or None)
        corpora["PolNeAR dev (polnear)"] = measure(
            polnear, args.polnear_repeats, bare, full, full_coref
        )
    results = {
        "corpora": corpora,
        "bare_pipes": " ".join(bare.pipe_names),
        "full_pipes": " ".join(full.pipe_names),
        "coref_pipes": " ".join(full_coref.pipe_names) if full_coref is not None else "",
    }
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(results, indent=1), encoding="utf-8")
    sys.stdout.write(markdown(results))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
