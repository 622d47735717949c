"""One very long article (5 MB of generated news prose): peak memory and time, windowed.

quotetrace parses an article longer than ``QUOTETRACE_WINDOW_CHARS`` in windows cut at
paragraph breaks (``quotetrace.nlp.windows``). This benchmark builds one article of
``--megabytes`` of UTF-8 from the fictional news generator (``bench/generate.py``: article
bodies one after another, as a live blog or a long transcript reads) and measures, each in a
fresh child process so the peak resident set size is that run's alone:

* ``full``: ``extract_articles`` on the one article, as ``quotetrace extract`` runs it;
* ``bare``: the bare spaCy model over the same windows, one at a time, the least any
  windowed parse of this text could cost: the baseline for the time ratio.

Peak RSS is the child's ``ru_maxrss``; times are the child's CPU seconds (user+system), which
other programs on the machine hardly change. The target is a peak under 2 GB. The statements
found are counted, and every offset is checked to lie inside the text.

    python bench/long_document_bench.py                 # Markdown section on stdout
    python bench/long_document_bench.py --megabytes 1 --json out.json
"""

from __future__ import annotations

import os

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import argparse
import json
import resource
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

from generate import generate_records  # noqa: E402

TARGET_PEAK_BYTES = 2 * 1024**3


def long_text(megabytes: float, seed: int = 11) -> str:
    """Article bodies joined by blank lines until the UTF-8 size reaches ``megabytes``."""
    target = int(megabytes * 1_000_000)
    parts: list[str] = []
    size, batch = 0, 0
    while size < target:
        for record in generate_records(200, seed=seed + batch, sentences=14):
            parts.append(record["text"])
            size += len(record["text"].encode("utf-8")) + 2
            if size >= target:
                break
        batch += 1
    return "\n\n".join(parts)


def _peak_rss() -> int:
    return int(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss) * 1024


def child(mode: str, path: Path) -> dict[str, Any]:
    """One measurement in this (fresh) process."""
    from quotetrace.models import Article
    from quotetrace.nlp.pipeline import extract_articles, load_bare_pipeline, load_pipeline
    from quotetrace.nlp.windows import split_windows
    from quotetrace.settings import get_setting

    text = path.read_text(encoding="utf-8")
    loaded_rss = 0
    if mode == "bare":
        nlp = load_bare_pipeline()
        loaded_rss = _peak_rss()
        window = min(int(get_setting("window_chars")), nlp.max_length)
        spans = split_windows(text, window)
        began, cpu = time.perf_counter(), time.process_time()
        tokens = 0
        # One window at a time, as quotetrace parses a long article's windows.
        for doc in nlp.pipe((text[s:e] for s, e in spans), batch_size=1):
            tokens += len(doc)
        return {
            "mode": mode,
            "windows": len(spans),
            "tokens": tokens,
            "seconds": time.perf_counter() - began,
            "cpu_seconds": time.process_time() - cpu,
            "model_loaded_rss": loaded_rss,
            "peak_rss": _peak_rss(),
        }
    nlp = load_pipeline()
    loaded_rss = _peak_rss()
    began, cpu = time.perf_counter(), time.process_time()
    [done] = extract_articles([Article("long-article", text)], nlp, n_process=1)
    seconds, cpu_seconds = time.perf_counter() - began, time.process_time() - cpu
    spans = [s for a in done.attributions for s in (a.content, a.source, a.cue) if s is not None]
    spans += [m for actor in done.actors for m in actor.mentions]
    ids = [a.actor_id for a in done.actors]
    return {
        "mode": mode,
        "statements": len(done.attributions),
        "with_speaker": sum(1 for a in done.attributions if a.speaker),
        "actors": len(done.actors),
        "actor_ids_unique": len(ids) == len(set(ids)),
        "offsets_valid": all(0 <= s <= e <= len(text) for s, e in spans),
        "seconds": seconds,
        "cpu_seconds": cpu_seconds,
        "model_loaded_rss": loaded_rss,
        "peak_rss": _peak_rss(),
    }


def run_child(mode: str, path: Path) -> dict[str, Any]:
    done = subprocess.run(
        [sys.executable, __file__, "--child", mode, "--text", str(path)],
        capture_output=True,
        text=True,
        check=False,
        env=dict(os.environ, OPENBLAS_NUM_THREADS="1"),
    )
    if done.returncode != 0:
        raise SystemExit(f"{mode} run failed:\n{done.stderr[-3000:]}")
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def _gb(n: int) -> str:
    return f"{n / 1024**3:.2f} GB"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--megabytes", type=float, default=5.0)
    parser.add_argument("--json", type=Path, help="also write the figures here")
    parser.add_argument("--child", choices=("full", "bare"), help=argparse.SUPPRESS)
    parser.add_argument("--text", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        print(json.dumps(child(args.child, args.text)))
        return 0

    from quotetrace.settings import get_setting

    text = long_text(args.megabytes)
    with tempfile.TemporaryDirectory(prefix="qt-long-") as tmp:
        path = Path(tmp) / "long.txt"
        path.write_text(text, encoding="utf-8")
        bare = run_child("bare", path)
        full = run_child("full", path)
    size = len(text.encode("utf-8"))
    ratio = full["cpu_seconds"] / bare["cpu_seconds"] if bare["cpu_seconds"] else 0.0
    figures = {
        "bytes": size,
        "chars": len(text),
        "window_chars": int(get_setting("window_chars")),
        "windows": bare["windows"],
        "bare": bare,
        "full": full,
        "cpu_ratio_full_over_bare": ratio,
        "peak_under_target": full["peak_rss"] < TARGET_PEAK_BYTES,
    }
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2), encoding="utf-8")
    print("## long document\n")
    print(
        f"One generated article of {size:,} bytes ({len(text):,} characters), parsed in "
        f"{bare['windows']} windows of at most {figures['window_chars']:,} characters, each run "
        "in a fresh process.\n"
    )
    print("| run | CPU s | wall s | peak RSS | RSS after loading the model |")
    print("| --- | ---: | ---: | ---: | ---: |")
    for name, row in (("bare spaCy parse of the windows", bare), ("quotetrace extract", full)):
        print(
            f"| {name} | {row['cpu_seconds']:.1f} | {row['seconds']:.1f} | "
            f"{_gb(row['peak_rss'])} | {_gb(row['model_loaded_rss'])} |"
        )
    print(
        f"\nCPU ratio quotetrace / bare parse: {ratio:.2f}x. Peak RSS {_gb(full['peak_rss'])} "
        f"(target under 2 GB: {'met' if figures['peak_under_target'] else 'MISSED'}). "
        f"{full['statements']:,} statements found ({full['with_speaker']:,} with a speaker), "
        f"{full['actors']} actors; offsets inside the text: {full['offsets_valid']}; actor ids "
        f"unique: {full['actor_ids_unique']}.\n"
    )
    print(json.dumps({"long_document": figures}))
    ok = figures["peak_under_target"] and full["offsets_valid"] and full["statements"] > 0
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
