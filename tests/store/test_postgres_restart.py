"""PostgreSQL stopped and started again in the middle of ``quotetrace ingest``.

The test runs a PostgreSQL server of its own (initdb into a temporary directory, pg_ctl as the
``postgres`` user, loopback only, a free port), never the shared one other test runs use.
Two cases on the same server:

* the server crashes (``pg_ctl stop -m immediate``) and is back a few seconds later: the
  ingest retries with backoff and finishes, exit 0, everything stored once;
* the server stays down longer than ``QUOTETRACE_DB_RETRY_SECONDS``: the ingest stops with one
  ``Error:`` line naming the database, no traceback; once the server is back the same command
  stores exactly what is missing.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from glob import glob
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from store_builders import tiny_wire_corpus

from quotetrace.store import Store
from quotetrace.store.ingest import ingest_paths

if TYPE_CHECKING:
    from spacy.language import Language

pytestmark = [pytest.mark.model, pytest.mark.postgres]

QUOTETRACE = str(Path(sys.executable).with_name("quotetrace"))
CORPUS_SIZE = 240


def _pg_bin() -> Path | None:
    found = sorted(glob("/usr/lib/postgresql/*/bin"), key=lambda p: int(p.split("/")[-2]))
    return Path(found[-1]) if found else None


def _as_postgres(*command: str) -> list[str]:
    if os.geteuid() == 0:
        return ["runuser", "-u", "postgres", "--", *command]
    return list(command)


class OwnServer:
    """A throw-away PostgreSQL cluster: start, crash, start again, remove."""

    def __init__(self, bin_dir: Path) -> None:
        self.bin = bin_dir
        self.root = Path(tempfile.mkdtemp(prefix="qt-pg-restart-", dir="/var/tmp"))
        self.data = self.root / "data"
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            self.port = int(sock.getsockname()[1])
        if os.geteuid() == 0:
            shutil.chown(self.root, "postgres", "postgres")
        self._pg("initdb", "-D", str(self.data), "-U", "postgres", "-A", "trust", "-E", "UTF8")
        self.url = f"postgresql://postgres@127.0.0.1:{self.port}/postgres"

    def _pg(self, tool: str, *args: str) -> None:
        subprocess.run(
            _as_postgres(str(self.bin / tool), *args),
            check=True,
            capture_output=True,
            timeout=120,
        )

    def start(self) -> None:
        self._pg("pg_ctl", "-D", str(self.data), "-l", str(self.root / "log"), "-w", "start")

    def configure(self) -> None:
        """Loopback, a private socket directory, this port: kept in the cluster's own conf."""
        with (self.data / "postgresql.auto.conf").open("a") as conf:
            conf.write(
                f"listen_addresses = '127.0.0.1'\nport = {self.port}\n"
                f"unix_socket_directories = '{self.root}'\nfsync = off\n"
            )

    def crash(self) -> None:
        self._pg("pg_ctl", "-D", str(self.data), "-m", "immediate", "-w", "stop")

    def remove(self) -> None:
        subprocess.run(
            _as_postgres(str(self.bin / "pg_ctl"), "-D", str(self.data), "-m", "immediate", "stop"),
            capture_output=True,
            timeout=60,
        )
        shutil.rmtree(self.root, ignore_errors=True)


@pytest.fixture(scope="module")
def own_server() -> Iterator[OwnServer]:
    bin_dir = _pg_bin()
    if bin_dir is None or not (bin_dir / "initdb").exists():
        pytest.skip("PostgreSQL binaries (initdb, pg_ctl) are not installed")
    if os.geteuid() == 0 and shutil.which("runuser") is None:
        pytest.skip("running as root without runuser: cannot start PostgreSQL as postgres")
    server = OwnServer(bin_dir)
    try:
        server.configure()
        server.start()
        yield server
    finally:
        server.remove()


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("restart") / "wire.jsonl"
    path.write_text(
        "".join(json.dumps(r) + "\n" for r in tiny_wire_corpus(CORPUS_SIZE)), encoding="utf-8"
    )
    return path


@pytest.fixture(scope="module")
def expected(corpus: Path, tmp_path_factory: pytest.TempPathFactory, nlp: Language) -> dict:  # type: ignore[type-arg]
    with Store.open(str(tmp_path_factory.mktemp("ref") / "ref.db")) as ref:
        ingest_paths(ref, [str(corpus)], nlp=nlp)
        return {"per_article": _per_article(ref), "counts": ref.counts()}


def _per_article(store: Store) -> dict[str, list[tuple[int, int, str]]]:
    return {
        p.article.doc_id: [(a.content[0], a.content[1], a.kind) for a in p.processed.attributions]
        for p in store.iter_processed()
    }


def _fresh_db(server: OwnServer, name: str) -> str:
    import psycopg

    with psycopg.connect(server.url, autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {name}")
        conn.execute(f"CREATE DATABASE {name}")
    url = server.url.rsplit("/", 1)[0] + "/" + name
    Store.open(url).close()
    return url


def _ingest(corpus: Path, url: str, retry_seconds: int) -> subprocess.Popen[str]:
    env = {
        **os.environ,
        "QUOTETRACE_N_PROCESS": "1",
        "QUOTETRACE_DB_RETRY_SECONDS": str(retry_seconds),
    }
    return subprocess.Popen(
        [QUOTETRACE, "ingest", str(corpus), "--db", url, "--commit-every", "5", "-q"],
        env=env,
        stderr=subprocess.PIPE,
        text=True,
    )


def _wait_for_articles(url: str, process: subprocess.Popen[str], at_least: int) -> None:
    deadline = time.monotonic() + 300
    with Store.open(url) as watcher:
        while watcher.counts()["articles"] < at_least:
            assert process.poll() is None, process.stderr.read() if process.stderr else ""
            assert time.monotonic() < deadline, "the ingest never committed"
            time.sleep(0.05)


def _check_complete(url: str, expected: dict) -> None:  # type: ignore[type-arg]
    with Store.open(url) as store:
        assert _per_article(store) == expected["per_article"]  # 0 lost, 0 changed
        counts = store.counts()
    for table in ("articles", "statements", "mentions", "actors"):
        assert counts[table] == expected["counts"][table], table  # 0 doubled


def test_a_crash_and_restart_mid_ingest_is_retried_and_stores_everything_once(
    own_server: OwnServer,
    corpus: Path,
    expected: dict,  # type: ignore[type-arg]
) -> None:
    url = _fresh_db(own_server, "restart_retry")
    process = _ingest(corpus, url, retry_seconds=120)
    _wait_for_articles(url, process, 10)
    own_server.crash()
    time.sleep(3)  # the ingest goes on parsing; its next commits fail and back off
    own_server.start()
    _, err = process.communicate(timeout=600)
    assert process.returncode == 0, err
    assert "Traceback" not in err, err
    _check_complete(url, expected)


def test_a_server_down_too_long_is_one_clear_error_and_a_rerun_resumes(
    own_server: OwnServer,
    corpus: Path,
    expected: dict,  # type: ignore[type-arg]
) -> None:
    url = _fresh_db(own_server, "restart_error")
    process = _ingest(corpus, url, retry_seconds=2)
    _wait_for_articles(url, process, 10)
    own_server.crash()
    try:
        _, err = process.communicate(timeout=300)
    except subprocess.TimeoutExpired:
        process.send_signal(signal.SIGKILL)
        raise
    finally:
        own_server.start()
    assert process.returncode == 1, err
    assert "Traceback" not in err, err
    lines = [line for line in err.splitlines() if line.strip()]
    assert len(lines) == 1, err
    assert lines[0].startswith(f"Error: postgresql://postgres@127.0.0.1:{own_server.port}/")
    assert "the database is unavailable" in lines[0]

    resumed = _ingest(corpus, url, retry_seconds=30)
    _, err = resumed.communicate(timeout=600)
    assert resumed.returncode == 0, err
    _check_complete(url, expected)
