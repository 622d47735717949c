"""Batch throughput on each engine, one worker and two, with peak memory per worker.

Every configuration runs ``run_batch`` (what ``quotetrace batch`` runs) in a fresh Python
process over the same generated articles, so no run inherits another's warm caches or memory
peak. The configurations are interleaved and repeated (``--rounds``): other programs on the
machine come and go, and interleaving spreads that noise over all of them alike; the best
round of each counts.

Throughput is articles per second once the engine is ready (model loaded; for Dask, cluster
up and the pipeline loaded on every worker); start-up is reported apart. Then the shards of
one run are loaded into a fresh SQLite store (``quotetrace load``), to compare the store's
write rate with the extraction rate.

    python bench/batch_bench.py                      # Markdown section on stdout
    python bench/batch_bench.py --docs 120 --rounds 1 --json build/bench/batch.json
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(REPO / "src"))

CONFIGS = (("local", 1), ("local", 2), ("dask", 1), ("dask", 2))
MIB = 1024 * 1024


def run_child(args: argparse.Namespace) -> int:
    """One configuration, in this (fresh) process; prints the figures as JSON."""
    from quotetrace.batch import BatchOptions, run_batch

    options = BatchOptions(
        engine=args.engine, workers=args.workers, shard_size=args.shard_size, retries=0
    )
    began = time.perf_counter()
    result = run_batch([args.input], args.out, options)
    total = time.perf_counter() - began
    if result.failed or result.read_errors:
        print(json.dumps({"error": [f.error for f in result.failed]}))
        return 1
    figures = {
        "engine": args.engine,
        "workers": args.workers,
        "articles": result.articles_done,
        "statements": result.statements,
        "articles_per_second": result.articles_per_second,
        "articles_per_cpu_second": result.articles_per_cpu_second,
        "driver_cpu_seconds": result.driver_cpu_seconds,
        "worker_cpu_seconds": result.worker_cpu_seconds,
        "processing_seconds": result.processing_seconds,
        "startup_seconds": result.startup_seconds,
        "total_seconds": total,
        "worker_peak_rss": result.worker_peak_rss,
        "driver_peak_rss": result.driver_peak_rss,
    }
    print(json.dumps(figures))
    return 0


def _spawn(engine: str, workers: int, corpus: Path, out: Path, shard_size: int) -> dict[str, Any]:
    shutil.rmtree(out, ignore_errors=True)
    command = [
        sys.executable,
        str(Path(__file__).resolve()),
        "--child",
        "--engine",
        engine,
        "--workers",
        str(workers),
        "--input",
        str(corpus),
        "--out",
        str(out),
        "--shard-size",
        str(shard_size),
    ]
    # One BLAS thread per process, as `quotetrace batch` sets it and as Dask sets it for its
    # workers: otherwise each parser process would also start a BLAS thread per core.
    env = dict(os.environ, OPENBLAS_NUM_THREADS="1")
    load_before = os.getloadavg()[0]
    done = subprocess.run(command, capture_output=True, text=True, env=env, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"{engine} x{workers} failed:\n{done.stdout}\n{done.stderr[-3000:]}")
    figures: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    # The 1-minute load average around the run: above the core count, other programs were
    # competing for the CPU and the wall-clock rate understates what the engine can do.
    figures["load_average"] = [load_before, os.getloadavg()[0]]
    return figures


def _load_rate(out: Path, work: Path) -> dict[str, Any]:
    from quotetrace.batch.load import load_shards
    from quotetrace.store import Store

    db = work / "load.db"
    db.unlink(missing_ok=True)
    with Store.open(str(db)) as store:
        report = load_shards(out, store, commit_every=50, link_stories=False)
    return {
        "articles": report.read,
        "statements": report.statements_added,
        "seconds": report.seconds,
        "articles_per_second": report.rate,
    }


def _best(runs: list[dict[str, Any]]) -> dict[str, Any]:
    return max(runs, key=lambda r: r["articles_per_second"])


def _peak_worker(run: dict[str, Any]) -> int:
    return max(run["worker_peak_rss"].values())


def markdown(results: dict[str, Any]) -> str:
    best = {key: _best(runs) for key, runs in results["runs"].items()}
    rate = {key: r["articles_per_second"] for key, r in best.items()}
    cpu_rate = {
        key: max(r["articles_per_cpu_second"] for r in runs)
        for key, runs in results["runs"].items()
    }
    lines = [
        "## Batch throughput: `quotetrace batch` on each engine",
        "",
        f"{results['docs']} generated articles ({results['words']:,} words), shards of"
        f" {results['shard_size']}; each configuration in a fresh process, {results['rounds']}"
        " interleaved round(s), best round shown. Articles/s is wall clock once the engine is"
        " ready; articles per CPU-second counts the driver (reading, writing, Dask's scheduler)"
        " and every worker, so it does not move when other programs share the machine.",
        "",
        "| engine | workers | articles/s | speed-up vs 1 worker | articles/CPU-s | start-up s"
        " | articles/s incl. start-up | peak RSS per worker | rounds: articles/s (load avg) |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |",
    ]
    for engine, workers in CONFIGS:
        key = f"{engine}-{workers}"
        run = best[key]
        speedup = rate[key] / rate[f"{engine}-1"]
        rounds = ", ".join(
            f"{r['articles_per_second']:.1f} ({r['load_average'][0]:.1f})"
            for r in results["runs"][key]
        )
        overall = run["articles"] / run["total_seconds"]
        lines.append(
            f"| {engine} | {workers} | {rate[key]:.1f} | {speedup:.2f}x | {cpu_rate[key]:.1f}"
            f" | {run['startup_seconds']:.1f} | {overall:.1f} | {_peak_worker(run) / MIB:,.0f} MiB"
            f" | {rounds} |"
        )
    dask_vs_local = rate["dask-2"] / rate["local-2"]
    with_startup = {
        key: best[key]["articles"] / best[key]["total_seconds"] for key in ("dask-2", "local-2")
    }
    cpu_vs_local = cpu_rate["dask-2"] / cpu_rate["local-2"]
    peak = max(_peak_worker(r) for runs in results["runs"].values() for r in runs)
    load = results["load"]
    lines += [
        "",
        f"- **Dask / local at 2 workers: {dask_vs_local:.2f}x** in articles/s (target >= 0.85x);"
        f" {cpu_vs_local:.2f}x in articles per CPU-second;"
        f" {with_startup['dask-2'] / with_startup['local-2']:.2f}x counting start-up (cluster,"
        " model loads) on this small corpus.",
        f"- Largest peak RSS of any worker in any run: **{peak / MIB:,.0f} MiB** (target < 1 GiB).",
        f"- Store load (`quotetrace load` into SQLite, {load['articles']} articles,"
        f" {load['statements']} statements): {load['articles_per_second']:.0f} articles/s,"
        f" **{load['articles_per_second'] / rate['local-1']:.1f}x** the single-process"
        " extraction rate.",
        f"- Machine load average (1 min) during the runs: {results['load_range'][0]:.1f} to"
        f" {results['load_range'][1]:.1f} on {os.cpu_count()} CPUs.",
        "",
        "Local 2 workers is `nlp.pipe(n_process=2)`; its peak RSS is the largest parser process."
        " Dask workers are one process and one thread each, on a LocalCluster on 127.0.0.1.",
    ]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--docs", type=int, default=300)
    parser.add_argument("--sentences", type=int, default=12)
    parser.add_argument("--shard-size", type=int, default=25)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--json", type=Path)
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--engine", default="local", help=argparse.SUPPRESS)
    parser.add_argument("--workers", type=int, default=1, help=argparse.SUPPRESS)
    parser.add_argument("--input", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--out", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        return run_child(args)

    from generate import generate_records, write_jsonl

    records = generate_records(args.docs, seed=9, sentences=args.sentences)
    with tempfile.TemporaryDirectory(prefix="quotetrace-bench-") as tmp:
        work = Path(tmp)
        corpus = work / "generated.jsonl"
        write_jsonl(records, corpus)
        runs: dict[str, list[dict[str, Any]]] = {f"{e}-{w}": [] for e, w in CONFIGS}
        for _ in range(args.rounds):
            for engine, workers in CONFIGS:
                out = work / f"out-{engine}-{workers}"
                runs[f"{engine}-{workers}"].append(
                    _spawn(engine, workers, corpus, out, args.shard_size)
                )
                print(f"  {engine} x{workers}: done", file=sys.stderr, flush=True)
        counts = {key: {r["statements"] for r in rs} for key, rs in runs.items()}
        if len(set().union(*counts.values())) != 1:
            raise RuntimeError(f"engines disagree on the statement count: {counts}")
        load = _load_rate(work / "out-local-1", work)
    loads = [x for rs in runs.values() for r in rs for x in r["load_average"]]
    results = {
        "load_range": [min(loads), max(loads)],
        "docs": args.docs,
        "words": sum(len(r["text"].split()) for r in records),
        "shard_size": args.shard_size,
        "rounds": args.rounds,
        "runs": runs,
        "load": load,
    }
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(results, indent=1), encoding="utf-8")
    sys.stdout.write(markdown(results))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
