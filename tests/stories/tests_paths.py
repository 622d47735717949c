"""Where the stories fixtures live (importable by name from the tests)."""

from __future__ import annotations

from pathlib import Path

STORY_FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "stories"
SEED = Path(__file__).resolve().parents[3] / "shared" / "seed" / "islamtimes-2023-11-06.txt"
