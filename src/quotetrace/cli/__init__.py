"""The ``quotetrace`` command line: one typer app, one module per group of subcommands."""

from __future__ import annotations

import os

# One BLAS thread per process, set before anything below imports numpy (it reads the variable
# once, at import): spaCy's matmuls are small and extra threads only contend. The library
# import does not do this; the command line is a program and may.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

from . import batch_commands as _batch_commands  # noqa: F401  (batch, load)
from . import crawl_commands as _crawl_commands  # noqa: F401  (fetch, watch)
from . import extract as _extract  # noqa: F401  (registers `extract`)
from . import notebook_commands as _notebook_commands  # noqa: F401  (datasette-metadata)
from . import store_commands as _store_commands  # noqa: F401  (ingest, search, export, actors)
from . import stories_commands as _stories_commands  # noqa: F401  (stories)
from . import train_commands as _train_commands  # noqa: F401  (train)
from . import web_commands as _web_commands  # noqa: F401  (serve)
from .app import app

__all__ = ["app", "main"]


def main() -> None:
    app()
