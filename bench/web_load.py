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
MAX_DURATION = 600.0
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


def start_server(db: str, port: int, workers: int) -> subprocess.Popen[bytes]:
    cli = Path(sys.executable).parent / "quotetrace"
    command = [str(cli)] if cli.exists() else [sys.executable, "-m", "quotetrace.cli"]
    env = {**os.environ, "QUOTETRACE_API_TOKEN": ""}  # read-only, whatever the caller's env
    return subprocess.Popen(
        [
            *command,
            "serve",
            "--db",
            db,
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--workers",
            str(workers),
        ],
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


# Hostile requests mixed into the rotation: (label, raw request target). Raw bytes, not a
# client library's URL, so invalid UTF-8 and NUL reach the server as an attacker sends them.
HOSTILE: tuple[tuple[str, bytes], ...] = (
    ("q of 100 KB", b"/api/statements?q=" + b"x" * 100_000),
    ("q: lone quote", b"/api/statements?q=%22"),
    ("q: star", b"/api/statements?q=*"),
    ("q: NEAR(", b"/api/statements?q=NEAR%28"),
    ("q: OR", b"/api/statements?q=OR"),
    ("q: AND OR", b"/api/statements?q=dam%20AND%20OR"),
    ("q: SQL", b"/api/statements?q=%27%3B%20DROP%20TABLE%20statements%3B%20--"),
    ("q: SQL union", b"/api/articles?q=1%27%20UNION%20SELECT%20*%20FROM%20actors--"),
    ("q: invalid UTF-8 (encoded)", b"/api/statements?q=%FF%FE"),
    ("q: invalid UTF-8 (raw)", b"/api/statements?q=\xff\xfe"),
    ("q: NUL (encoded)", b"/api/statements?q=a%00b"),
    ("q: NUL (raw)", b"/api/statements?q=a\x00b"),
    ("limit=10^9", b"/api/statements?limit=1000000000"),
    ("offset=-1", b"/api/articles?offset=-1"),
    ("unknown article", b"/api/articles/999999999"),
    ("unknown actor", b"/api/actors/99999999999999999999"),
    ("unknown story", b"/api/stories/s-ffffffffffff"),
    ("search page: quote", b"/search?q=%22%2A"),
)
HOSTILE_EVERY = 4  # one hostile request after every four normal ones, per client
ERROR_KEYS = {"code", "message", "hint", "source"}


class RawClient:
    """One keep-alive HTTP/1.1 connection on asyncio streams: cheap on the CPU the server
    shares, and it sends request targets byte for byte."""

    def __init__(self, host: str, port: int) -> None:
        self.host, self.port = host, port
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
            self.reader = self.writer = None

    async def get(self, target: bytes) -> tuple[int, dict[bytes, bytes], bytes]:
        if self.writer is None:
            self.reader, self.writer = await asyncio.open_connection(self.host, self.port)
        assert self.reader is not None
        self.writer.write(b"GET " + target + b" HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
        await self.writer.drain()
        status_line = await self.reader.readline()
        if not status_line:
            await self.close()
            raise ConnectionError("the server closed the connection")
        status = int(status_line.split()[1])
        headers: dict[bytes, bytes] = {}
        while (line := await self.reader.readline()) not in (b"\r\n", b""):
            name, _, value = line.partition(b":")
            headers[name.strip().lower()] = value.strip()
        if status in (204, 304) or 100 <= status < 200:
            body = b""
        elif b"content-length" in headers:
            body = await self.reader.readexactly(int(headers[b"content-length"]))
        elif headers.get(b"transfer-encoding", b"").lower() == b"chunked":
            parts = []
            while (size := int((await self.reader.readline()).split(b";")[0], 16)) > 0:
                parts.append(await self.reader.readexactly(size))
                await self.reader.readline()
            await self.reader.readline()
            body = b"".join(parts)
        else:
            body = await self.reader.read()
        if headers.get(b"connection", b"").lower() == b"close" or (not body and status >= 400):
            await self.close()
        return status, headers, body


def error_shaped(headers: dict[bytes, bytes], body: bytes) -> bool:
    """The API's one error shape (JSON), or the page that shows its fields (HTML)."""
    kind = headers.get(b"content-type", b"")
    if kind.startswith(b"text/html"):
        return b'<section class="error" data-code="' in body
    try:
        parsed = json.loads(body)
    except ValueError:
        return False
    return (
        isinstance(parsed, dict)
        and set(parsed) == {"error"}
        and isinstance(parsed["error"], dict)
        and set(parsed["error"]) == ERROR_KEYS
    )


async def _generate(
    port: int, urls: list[str], concurrency: int, duration: float, hostile: bool
) -> dict[str, Any]:
    latencies: dict[str, list[float]] = defaultdict(list)
    failures: dict[str, int] = defaultdict(int)  # normal requests that did not get a 2xx
    status_5xx: dict[str, int] = defaultdict(int)
    shaped_4xx: dict[str, int] = defaultdict(int)
    unshaped_4xx: dict[str, int] = defaultdict(int)
    transport: dict[str, int] = defaultdict(int)
    stop_at = time.monotonic() + duration
    normal = [(route_of(u), u.encode("ascii")) for u in urls]
    attacks = [(f"hostile: {label}", target) for label, target in HOSTILE]

    async def client_loop(worker: int) -> None:
        client = RawClient("127.0.0.1", port)
        i = worker
        try:
            while time.monotonic() < stop_at:
                if hostile and i % (HOSTILE_EVERY + 1) == HOSTILE_EVERY:
                    # Offset by the client, so that even a short run sends many kinds.
                    kind = worker + i // (HOSTILE_EVERY + 1)
                    label, target = attacks[kind % len(attacks)]
                else:
                    label, target = normal[i % len(normal)]
                i += 1
                started = time.perf_counter()
                try:
                    status, headers, body = await asyncio.wait_for(client.get(target), 30)
                except (TimeoutError, OSError, ValueError, IndexError):
                    transport[label] += 1
                    await client.close()
                    continue
                latencies[label].append(time.perf_counter() - started)
                if status >= 500:
                    status_5xx[label] += 1
                elif status >= 400:
                    if error_shaped(headers, body):
                        shaped_4xx[label] += 1
                    else:
                        unshaped_4xx[label] += 1
                if not label.startswith("hostile") and not (200 <= status < 300):
                    failures[label] += 1
        finally:
            await client.close()

    began = time.monotonic()
    await asyncio.gather(*(client_loop(w) for w in range(concurrency)))
    elapsed = time.monotonic() - began
    everything = [x for xs in latencies.values() for x in xs]
    work = [x for label, xs in latencies.items() if label not in (BASELINE,) for x in xs]
    base = latencies.get(BASELINE, [])
    return {
        "requests": len(everything),
        "seconds": elapsed,
        "rate": len(everything) / elapsed,
        "errors": sum(failures.values()) + sum(transport.values()),
        "status_5xx": sum(status_5xx.values()),
        "shaped_4xx": sum(shaped_4xx.values()),
        "unshaped_4xx": sum(unshaped_4xx.values()),
        "transport_errors": sum(transport.values()),
        "p50_ms": percentile(work, 50),
        "p95_ms": percentile(work, 95),
        "baseline_p50_ms": percentile(base, 50),
        "baseline_p95_ms": percentile(base, 95),
        "per_url": {
            label: {
                "requests": len(xs),
                "rate": len(xs) / elapsed,
                "errors": failures.get(label, 0) + transport.get(label, 0),
                "status_5xx": status_5xx.get(label, 0),
                "shaped_4xx": shaped_4xx.get(label, 0),
                "unshaped_4xx": unshaped_4xx.get(label, 0),
                "p50_ms": percentile(xs, 50),
                "p95_ms": percentile(xs, 95),
            }
            for label, xs in latencies.items()
        },
    }


def _generator_process(args: tuple[int, list[str], int, float, bool], out: Any) -> None:
    """The load generator's own process: its CPU time is measured here, apart from the
    server's, and sent back with the figures."""
    cpu_before = time.process_time()
    result = asyncio.run(_generate(*args))
    result["generator_cpu_seconds"] = time.process_time() - cpu_before
    out.send(result)
    out.close()


def run_load(
    port: int, urls: list[str], concurrency: int, duration: float, *, hostile: bool = True
) -> dict[str, Any]:
    """Run the load generator in a process of its own and return what it measured."""
    import multiprocessing

    context = multiprocessing.get_context("spawn")
    receive, send = context.Pipe(duplex=False)
    process = context.Process(
        target=_generator_process, args=((port, urls, concurrency, duration, hostile), send)
    )
    process.start()
    send.close()
    result: dict[str, Any] = receive.recv()
    process.join(timeout=60)
    return result


def route_of(url: str) -> str:
    """The route a URL of the mix exercises, ids replaced: the unit the report groups by."""
    path, _, query = url.partition("?")
    parts = ["{id}" if p.isdigit() or p.startswith("s-") else p for p in path.split("/")]
    if len(parts) > 2 and parts[-2] == "outlets":
        parts[-1] = "{name}"
    route = "/".join(parts) or "/"
    return route + ("?" + query if query else "")


def percentile(values: list[float], q: int) -> float:
    if not values:
        return float("nan")
    if len(values) == 1:
        return values[0] * 1000
    return statistics.quantiles(values, n=100, method="inclusive")[q - 1] * 1000


def report(counts: dict[str, int], args: argparse.Namespace, load: dict[str, Any]) -> str:
    base_n = load["per_url"].get(BASELINE, {}).get("requests", 0)
    hostile_n = sum(r["requests"] for u, r in load["per_url"].items() if u.startswith("hostile"))
    cpu = load["generator_cpu_seconds"]
    lines = [
        f"## web: {args.concurrency} clients against `quotetrace serve` on loopback, "
        f"{load['seconds']:.0f} s, normal and hostile requests",
        "",
        f"Store: {counts.get('current_articles', '?')} articles, "
        f"{counts.get('statements', '?')} statements; `quotetrace serve --workers "
        f"{args.workers}`; the load generator is a process of its own ({args.concurrency} "
        f"keep-alive loopback connections on asyncio) on the same {os.cpu_count()} cores: it "
        f"used {cpu:.1f} s of CPU in {load['seconds']:.0f} s ({cpu / load['seconds']:.0%} of "
        f"one core), which the server did not have. Every {HOSTILE_EVERY + 1}th request of "
        f"each client is hostile ({hostile_n} in all); the baseline (`{BASELINE}`, a route "
        "that does nothing) is one request of the same rotation.",
        "",
        "| requests | req/s | 5xx | 4xx in the error shape | 4xx not in it | transport errors "
        "| normal requests not 2xx | p50 ms | p95 ms | baseline p50 ms | generator CPU s |",
        "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
        f"| {load['requests']} | {load['rate']:.0f} | {load['status_5xx']} | "
        f"{load['shaped_4xx']} | {load['unshaped_4xx']} | {load['transport_errors']} | "
        f"{load['errors'] - load['transport_errors']} | {load['p50_ms']:.1f} | "
        f"{load['p95_ms']:.1f} | {load['baseline_p50_ms']:.1f} ({base_n} requests) | {cpu:.1f} |",
        "",
        "Per route (hostile requests by kind), under load, and alone (one client, "
        f"{SOLO_SECONDS:.0f} s before the load: the request's own cost, without queueing):",
        "",
        "| route | n | req/s | 5xx | 4xx shaped / not | p50 ms | p95 ms | alone p50 ms |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    alone = load["alone"]["per_url"]
    for url, row in sorted(
        load["per_url"].items(), key=lambda kv: (kv[0].startswith("hostile"), -kv[1]["p95_ms"])
    ):
        solo = alone.get(url, {}).get("p50_ms", float("nan"))
        shown = url if len(url) < 70 else url[:67] + "..."
        lines.append(
            f"| `{shown}` | {row['requests']} | {row['rate']:.1f} | {row['status_5xx']} | "
            f"{row['shaped_4xx']} / {row['unshaped_4xx']} | {row['p50_ms']:.1f} | "
            f"{row['p95_ms']:.1f} | {solo:.1f} |"
        )
    bad = failures_of(load) + failures_of(load["alone"])
    verdict = (
        "0 5xx, every 4xx in the error shape, every normal request 2xx"
        if not bad
        else "; ".join(bad)
    )
    lines += ["", f"Result: {verdict}.", ""]
    return "\n".join(lines)


def failures_of(load: dict[str, Any]) -> list[str]:
    """What the soak must not see: 5xx, a 4xx outside the error shape, a failed normal request."""
    found = []
    if load["status_5xx"]:
        found.append(f"{load['status_5xx']} 5xx")
    if load["unshaped_4xx"]:
        found.append(f"{load['unshaped_4xx']} 4xx not in the error shape")
    if load["errors"]:
        found.append(f"{load['errors']} normal request(s) failed or not 2xx")
    return found


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
        server = start_server(db, port, args.workers)
        try:
            await wait_ready(base, server)
            urls = await discover(base)
            run_load(port, urls, args.concurrency, 2.0)  # warm-up, not reported
            # One client alone first: each request's own cost, without queueing behind 49 others.
            alone = run_load(port, urls, 1, SOLO_SECONDS)
            print(f"web_load: {args.duration:.0f} s of load", file=sys.stderr)
            load = run_load(port, urls, args.concurrency, args.duration)
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
    return 1 if failures_of(load) or failures_of(alone) else 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", help="serve this store instead of building one")
    parser.add_argument("--copies", type=int, default=200, help="copies of the fixture reports")
    parser.add_argument("--concurrency", type=int, default=50)
    parser.add_argument("--duration", type=float, default=60.0, help="seconds of load (<= 600)")
    parser.add_argument("--workers", type=int, default=2, help="`quotetrace serve --workers`")
    parser.add_argument("--json", help="also write the figures as JSON here")
    args = parser.parse_args()
    if not 0 < args.duration <= MAX_DURATION:
        parser.error(f"--duration must be in (0, {MAX_DURATION:.0f}] seconds")
    if args.concurrency < 1 or args.concurrency > 200:
        parser.error("--concurrency must be between 1 and 200")
    return asyncio.run(main_async(args))


if __name__ == "__main__":
    sys.exit(main())
