"""``quotetrace serve``: documented, and a bad store is a one-line error, not a traceback."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from quotetrace.cli import app


def test_serve_help_has_examples() -> None:
    result = CliRunner().invoke(app, ["serve", "--help"])
    assert result.exit_code == 0
    assert "Examples:" in result.output and "--token" in result.output
    assert "127.0.0.1" in result.output


def test_serve_refuses_a_store_it_cannot_open(tmp_path: Path) -> None:
    missing = tmp_path / "no-such-folder" / "news.db"
    result = CliRunner().invoke(app, ["serve", "--db", str(missing)])
    assert result.exit_code == 1
    assert "Error:" in result.output and "does not exist" in result.output


def test_serve_refuses_a_short_token(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        app, ["serve", "--db", str(tmp_path / "news.db")], env={"QUOTETRACE_API_TOKEN": "abc"}
    )
    assert result.exit_code == 1
    assert "token is too short" in result.output


def _children(pid: int) -> list[int]:
    text = Path(f"/proc/{pid}/task/{pid}/children").read_text()
    return [int(p) for p in text.split()]


def test_serve_runs_several_workers_by_default_and_one_on_request(tmp_path: Path) -> None:
    import os
    import signal
    import socket
    import subprocess
    import sys
    import time
    import urllib.request

    from quotetrace.store import Store

    db = tmp_path / "news.db"
    Store.open(str(db)).close()
    cli = str(Path(sys.executable).with_name("quotetrace"))
    for flags, expected_workers in (([], 2), (["--workers", "1"], 0)):
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            port = sock.getsockname()[1]
        env = {**os.environ, "QUOTETRACE_WEB_WORKERS": "", "QUOTETRACE_API_TOKEN": ""}
        server = subprocess.Popen(
            [cli, "serve", "--db", str(db), "--port", str(port), *flags],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        try:
            deadline = time.monotonic() + 60
            while True:
                assert server.poll() is None, server.stderr.read() if server.stderr else ""
                try:
                    url = f"http://127.0.0.1:{port}/api/outlets"
                    with urllib.request.urlopen(url, timeout=5) as response:
                        assert response.status == 200
                    break
                except OSError:
                    assert time.monotonic() < deadline, "serve never answered"
                    time.sleep(0.2)
            # uvicorn's supervisor forks one process per worker (plus none for one worker).
            workers = [c for c in _children(server.pid) if Path(f"/proc/{c}").exists()]
            if expected_workers:
                assert len(workers) >= expected_workers
            else:
                assert workers == []
        finally:
            server.send_signal(signal.SIGTERM)
            server.wait(timeout=30)
