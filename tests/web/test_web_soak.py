"""The soak benchmark, short: a real ``quotetrace serve --workers 2``, the load generator in a
process of its own, normal and hostile requests mixed. It must see 0 5xx, every 4xx in the
one error shape and every normal request answered 2xx (the script exits 1 otherwise)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.slow


def test_a_short_soak_has_no_5xx_and_one_error_shape(tmp_path: Path) -> None:
    figures = tmp_path / "soak.json"
    done = subprocess.run(
        [
            sys.executable,
            str(REPO / "bench" / "web_load.py"),
            "--duration",
            "4",
            "--copies",
            "3",
            "--concurrency",
            "10",
            "--json",
            str(figures),
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stdout + done.stderr[-3000:]
    load = json.loads(figures.read_text())["load"]
    assert load["status_5xx"] == 0
    assert load["unshaped_4xx"] == 0
    assert load["errors"] == 0
    hostile = [u for u in load["per_url"] if u.startswith("hostile")]
    assert len(hostile) >= 10  # the hostile kinds really were sent
    assert load["shaped_4xx"] > 0
    assert load["generator_cpu_seconds"] > 0
