"""The web app under load: 50 concurrent clients on loopback for a fixed time, p50/p95, errors.

A ``quotetrace serve`` process (the real CLI, one uvicorn worker, 127.0.0.1 only) serves a
store; ``--concurrency`` httpx async clients then request a fixed mix of API calls and pages
for ``--duration`` seconds (at most 30), and every response is timed and checked (status 2xx,
non-empty body). The figures are relative to a baseline measured in the same run, interleaved
with the mix: ``/favicon.ico`` is one request of the rotation, a route that does nothing (HTTP,
routing and the security middleware only), so it sees the same background load at the same
moments and the ratio says what the store and the templates add to a request.

The store, unless ``--db`` names one, is the web tests' fictional reports
(tests/web/fixtures/articles.jsonl) copied ``--copies`` times under new ids and dates, so
searches and listings run over thousands of statements. Clients and server share this
machine's cores, so absolute latencies include the load generator's own CPU time.

    .venv/bin/python bench/web_load.py                       # 50 clients, 30 s, 200 copies
    .venv/bin/python bench/web_load.py --duration 30 --db build/demo.db
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
FIXTURE = REPO / "tests" / "web" / "fixtures" / "articles.jsonl"
MAX_DURATION = 30.0
SOLO_SECONDS = 6.0
BASELINE = "/favicon.ico"  # does nothing: what HTTP, routing and middleware cost


def build_store(path: Path, copies: int) -> dict[str, int]:
    """The fixture reports with their stories, plus ``copies`` renamed, re-dated copies."""
    import datetime as dt

    from quotetrace.store import Store
    from quotetrace.web.ingest import ingest_body

    originals = [json.loads(line) for line in FIXTURE.read_text(encoding="utf-8").splitlines()]
    with Store.open(str(path)) as store:
        ingest_body(store, FIXTURE.read_bytes())  # also places them in stories
        batch: list[dict[str, Any]] = []
        for k in range(1, copies + 1):
            for record in originals:
                # A month apart: each copy is a story of its own, as a new event would be.
                day = dt.date.fromisoformat(record["meta"]["date"]) + dt.timedelta(days=30 * k)
                batch.append(
                    {
                        **record,
                        "doc_id": f"{record['doc_id']}-copy{k}",
                        "meta": {**record["meta"], "date": day.isoformat()},
                    }
                )
            if len(batch) >= 400 or k == copies:
                ingest_body(store, "\n".join(json.dumps(r) for r in batch).encode("utf-8"))
                batch = []
        return store.counts()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def start_server(db: str, port: int) -> subprocess.Popen[bytes]:
    cli = Path(sys.executable).parent / "quotetrace"
    command = [str(cli)] if cli.exists() else [sys.executable, "-m", "quotetrace.cli"]
    env = {**os.environ, "QUOTETRACE_API_TOKEN": ""}  # read-only, whatever the caller's env
    return subprocess.Popen(
        [*command, "serve", "--db", db, "--host", "127.0.0.1", "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )


async def wait_ready(base: str, server: subprocess.Popen[bytes], timeout: float = 60) -> None:
    import httpx

    deadline = time.monotonic() + timeout
    async with httpx.AsyncClient() as client:
        while time.monotonic() < deadline:
            if server.poll() is not None:
                err = server.stderr.read().decode() if server.stderr else ""
                raise RuntimeError(f"the server exited: {err[-2000:]}")
            try:
                if (await client.get(f"{base}/api/outlets")).status_code == 200:
                    return
            except httpx.TransportError:
                pass
            await asyncio.sleep(0.2)
    raise RuntimeError("the server did not answer in time")


async def discover(base: str) -> list[str]:
    """The request mix: what a reader of the UI and a client of the API ask for."""
    import httpx

    async with httpx.AsyncClient(base_url=base) as client:
        article = (await client.get("/api/articles?q=Every week")).json()["results"][0]["id"]
        actor = (await client.get("/api/actors?limit=1")).json()["results"][0]["id"]
        stories = (await client.get("/api/stories")).json()["results"]
    mix = [
        BASELINE,
        "/api/statements?q=spillway",
        "/api/statements?q=state&speaker=Halloran&since=2026-03",
        "/api/statements?kind=direct&outlet=River%20Post&limit=50",
        "/api/articles?limit=20&offset=40",
        f"/api/articles/{article}",
        f"/api/actors/{actor}",
        "/api/outlets",
        "/",
        "/search?q=dam%20wall",
        f"/articles/{article}",
        f"/actors/{actor}",
        "/outlets/Coastal%20Herald",
    ]
    if stories:
        mix += [f"/api/stories/{stories[0]['id']}", f"/stories/{stories[0]['id']}"]
    return mix


async def run_load(base: str, urls: list[str], concurrency: int, duration: float) -> dict[str, Any]:
    import httpx

    latencies: dict[str, list[float]] = defaultdict(list)
    errors: dict[str, int] = defaultdict(int)
    stop_at = time.monotonic() + duration
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)

    async def client_loop(client: httpx.AsyncClient, worker: int) -> None:
        i = worker
        while time.monotonic() < stop_at:
            url = urls[i % len(urls)]
            i += 1
            started = time.perf_counter()
            try:
                response = await client.get(url)
                ok = 200 <= response.status_code < 300 and (
                    response.status_code == 204 or len(response.content) > 0
                )
            except httpx.HTTPError:
                ok = False
            latencies[url].append(time.perf_counter() - started)
            if not ok:
                errors[url] += 1

    async with httpx.AsyncClient(base_url=base, limits=limits, timeout=30) as client:
        started = time.monotonic()
        await asyncio.gather(*(client_loop(client, w) for w in range(concurrency)))
        elapsed = time.monotonic() - started
    work = [x for url, xs in latencies.items() if url != BASELINE for x in xs]
    base = latencies.get(BASELINE, [])
    return {
        "requests": sum(len(xs) for xs in latencies.values()),
        "errors": sum(errors.values()),
        "seconds": elapsed,
        "rate": sum(len(xs) for xs in latencies.values()) / elapsed,
        "p50_ms": percentile(work, 50),
        "p95_ms": percentile(work, 95),
        "baseline_p50_ms": percentile(base, 50),
        "baseline_p95_ms": percentile(base, 95),
        "per_url": {
            url: {
                "requests": len(xs),
                "errors": errors.get(url, 0),
                "p50_ms": percentile(xs, 50),
                "p95_ms": percentile(xs, 95),
            }
            for url, xs in latencies.items()
        },
    }


def percentile(values: list[float], q: int) -> float:
    if not values:
        return float("nan")
    if len(values) == 1:
        return values[0] * 1000
    return statistics.quantiles(values, n=100, method="inclusive")[q - 1] * 1000


def report(counts: dict[str, int], args: argparse.Namespace, load: dict[str, Any]) -> str:
    base_n = load["per_url"].get(BASELINE, {}).get("requests", 0)
    lines = [
        f"## web: {args.concurrency} clients against `quotetrace serve` on loopback",
        "",
        f"Store: {counts.get('current_articles', '?')} articles, "
        f"{counts.get('statements', '?')} statements; one uvicorn worker; "
        f"{args.concurrency} concurrent httpx clients on the same machine for "
        f"{load['seconds']:.0f} s; the baseline (`{BASELINE}`, a route that does nothing) is "
        "one request of the same rotation.",
        "",
        "| requests | errors | req/s | p50 ms | p95 ms | baseline p50 ms | p50 vs baseline |",
        "| ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
        f"| {load['requests']} | {load['errors']} | {load['rate']:.0f} | {load['p50_ms']:.1f} | "
        f"{load['p95_ms']:.1f} | {load['baseline_p50_ms']:.1f} ({base_n} requests) | "
        f"{load['p50_ms'] / load['baseline_p50_ms']:.2f}x |",
        "",
        f"Per request, under load and alone (one client, {SOLO_SECONDS:.0f} s before the load: "
        "the request's own cost, without queueing):",
        "",
        "| request | n | errors | p50 ms | p95 ms | alone p50 ms | alone vs baseline |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    alone = load["alone"]["per_url"]
    alone_base = alone.get(BASELINE, {}).get("p50_ms", float("nan"))
    for url, row in sorted(load["per_url"].items(), key=lambda kv: -kv[1]["p50_ms"]):
        solo = alone.get(url, {}).get("p50_ms", float("nan"))
        lines.append(
            f"| `{url}` | {row['requests']} | {row['errors']} | {row['p50_ms']:.1f} | "
            f"{row['p95_ms']:.1f} | {solo:.1f} | {solo / alone_base:.1f}x |"
        )
    errors = load["errors"] + load["alone"]["errors"]
    verdict = "0 errors" if errors == 0 else f"{errors} ERRORS"
    lines += ["", f"Result: {verdict}.", ""]
    return "\n".join(lines)


async def main_async(args: argparse.Namespace) -> int:
    with tempfile.TemporaryDirectory(prefix="quotetrace-webload-") as tmp:
        if args.db:
            from quotetrace.store import Store

            db = args.db
            with Store.open(db) as store:
                counts = store.counts()
        else:
            db = str(Path(tmp) / "load.db")
            print(f"web_load: building a store with {args.copies} copies", file=sys.stderr)
            counts = build_store(Path(db), args.copies)
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        server = start_server(db, port)
        try:
            await wait_ready(base, server)
            urls = await discover(base)
            await run_load(base, urls, args.concurrency, 2.0)  # warm-up, not reported
            # One client alone first: each request's own cost, without queueing behind 49 others.
            alone = await run_load(base, urls, 1, SOLO_SECONDS)
            print(f"web_load: {args.duration:.0f} s of load", file=sys.stderr)
            load = await run_load(base, urls, args.concurrency, args.duration)
            load["alone"] = alone
        finally:
            server.terminate()
            try:
                server.wait(timeout=10)
            except subprocess.TimeoutExpired:
                server.kill()
    print(report(counts, args, load))
    if args.json:
        Path(args.json).parent.mkdir(parents=True, exist_ok=True)
        Path(args.json).write_text(json.dumps({"store": counts, "load": load}, indent=2))
    return 0 if load["errors"] + load["alone"]["errors"] == 0 else 1


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", help="serve this store instead of building one")
    parser.add_argument("--copies", type=int, default=200, help="copies of the fixture reports")
    parser.add_argument("--concurrency", type=int, default=50)
    parser.add_argument("--duration", type=float, default=30.0, help="seconds of load (<= 30)")
    parser.add_argument("--json", help="also write the figures as JSON here")
    args = parser.parse_args()
    if not 0 < args.duration <= MAX_DURATION:
        parser.error(f"--duration must be in (0, {MAX_DURATION:.0f}] seconds")
    if args.concurrency < 1 or args.concurrency > 200:
        parser.error("--concurrency must be between 1 and 200")
    return asyncio.run(main_async(args))


if __name__ == "__main__":
    sys.exit(main())
