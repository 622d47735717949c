"""What quotetrace's extraction costs on top of the bare spaCy parse, in CPU time.

Same documents, same process, same run: the bare model (``load_bare_pipeline``) and the full
pipeline (``load_pipeline``: the model plus quotetrace's components, with results read back
into records by ``extract_articles``) and, unless ``--no-coref``, the same pipeline with
``quotetrace_coref`` added (it is off by default) each parse the documents ``--repeats`` times,
chunk by chunk in turn, and each chunk's fastest pass counts (``measure`` says why). CPU time
is this process's user+system time (``time.process_time``), so another program on the machine
slows the wall clock more than the figure.

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
from functools import partial
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(REPO / "src"))

from generate import generate_records  # noqa: E402

from quotetrace.models import Article  # noqa: E402

POLNEAR_DEV = REPO.parent / "shared" / "data" / "polnear" / "dev.jsonl"
CHUNK_WORDS = 2000


def _cpu(run: Callable[[], object]) -> float:
    began = time.process_time()
    run()
    return time.process_time() - began


def _chunks(articles: list[Article], words: int) -> list[list[Article]]:
    """Consecutive runs of articles of about ``words`` words each."""
    out: list[list[Article]] = [[]]
    count = 0
    for article in articles:
        if count >= words and out[-1]:
            out.append([])
            count = 0
        out[-1].append(article)
        count += len(article.text.split())
    return out


def measure(
    articles: list[Article],
    repeats: int,
    bare: Any,
    full: Any,
    full_coref: Any | None = None,
    chunk_words: int = CHUNK_WORDS,
) -> dict[str, Any]:
    """CPU seconds of the bare parse and of the full extraction (and, given ``full_coref``,
    of the full extraction with ``quotetrace_coref`` in the pipeline).

    The documents are cut into chunks of about ``chunk_words`` words; each repeat runs every
    chunk through each pipeline in turn, and a pipeline's figure is the sum over the chunks of
    its fastest pass over each. On a shared virtual machine the CPU time of a pass swings by a
    third with what its neighbours do; a chunk lasts a second or two, so the pipelines it
    compares meet the same conditions, and each chunk's minimum is its least disturbed pass.
    """
    from quotetrace.nlp.pipeline import extract_articles

    words = sum(len(a.text.split()) for a in articles)

    def parse_bare(chunk: list[Article]) -> None:
        for _ in bare.pipe([a.text for a in chunk], batch_size=32):
            pass

    def extract_with(nlp: Any) -> Callable[[list[Article]], None]:
        def run(chunk: list[Article]) -> None:
            for _ in extract_articles(chunk, nlp, batch_size=32, n_process=1):
                pass

        return run

    pipelines: dict[str, Callable[[list[Article]], None]] = {
        "bare": parse_bare,
        "full": extract_with(full),
    }
    if full_coref is not None:
        pipelines["coref"] = extract_with(full_coref)
    # Warm-up pass of each on a few documents: first-call costs are not the steady state.
    for run in pipelines.values():
        run(articles[:4])
    chunks = _chunks(articles, chunk_words)
    # seconds[name][chunk][repeat]
    seconds: dict[str, list[list[float]]] = {name: [[] for _ in chunks] for name in pipelines}
    for _ in range(repeats):
        for c, chunk in enumerate(chunks):
            for name, run in pipelines.items():
                seconds[name][c].append(_cpu(partial(run, chunk)))
    best = {name: sum(min(runs) for runs in per_chunk) for name, per_chunk in seconds.items()}

    def passes(name: str) -> list[float]:
        return [sum(runs[r] for runs in seconds[name]) for r in range(repeats)]

    result = {
        "documents": len(articles),
        "words": words,
        "repeats": repeats,
        "chunks": len(chunks),
        "bare_cpu_seconds": passes("bare"),
        "full_cpu_seconds": passes("full"),
        "bare_best_cpu_seconds": best["bare"],
        "full_best_cpu_seconds": best["full"],
        "bare_words_per_cpu_second": words / best["bare"],
        "full_words_per_cpu_second": words / best["full"],
        "ratio": best["full"] / best["bare"],
    }
    if "coref" in best:
        result["coref_cpu_seconds"] = passes("coref")
        result["coref_best_cpu_seconds"] = best["coref"]
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
        "same documents, same run; per chunk of documents the best of the repeats, summed. Ratio",
        "1.00 would mean extraction is free.",
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
    parser.add_argument("--polnear-repeats", type=int, default=3)
    parser.add_argument(
        "--chunk-words", type=int, default=CHUNK_WORDS, help="words per timed chunk"
    )
    parser.add_argument("--json", type=Path, help="also write the figures here")
    parser.add_argument(
        "--no-coref", action="store_true", help="skip the column with quotetrace_coref added"
    )
    args = parser.parse_args(argv)

    from quotetrace.nlp.pipeline import load_bare_pipeline, load_pipeline

    bare, full = load_bare_pipeline(), load_pipeline()
    # Without --no-coref, a third pipeline with quotetrace_coref, unless the default has it.
    with_coref = not args.no_coref and "quotetrace_coref" not in full.pipe_names
    full_coref = load_pipeline(coref=True) if with_coref else None
    generated = [
        Article(r["doc_id"], r["text"], r["meta"]["date"], r["meta"]["outlet"])
        for r in generate_records(args.docs, seed=3, sentences=12)
    ]
    corpora = {
        "generated news": measure(generated, args.repeats, bare, full, full_coref, args.chunk_words)
    }
    if args.polnear.exists():
        polnear = _polnear_articles(args.polnear, args.polnear_limit or None)
        corpora["PolNeAR dev (polnear)"] = measure(
            polnear, args.polnear_repeats, bare, full, full_coref, args.chunk_words
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
