"""One outlet name per site, however the site arrives, and one form per URL.

An outlet reaches quotetrace as a crawl header ("Islam Times"), a page's own site name
(``og:site_name``), a bare domain ("islamtimes.org") or a page URL
("https://www.islamtimes.org/en/news/..."). Stored as given, one outlet becomes three and the
story view compares an outlet with itself. ``outlet_name`` maps all of them to one name::

    >>> outlet_name("https://www.islamtimes.org/en/news/1/x")
    'Islam Times'
    >>> outlet_name(None, "islamtimes.org")
    'Islam Times'
    >>> outlet_name("https://news.example-gazette.com/a", "Example Gazette")
    'Example Gazette'
    >>> outlet_name("https://www.example-gazette.com/a")
    'example-gazette.com'

The order: the editable table (``outlets.txt`` in this package, plus the file named by
``QUOTETRACE_OUTLETS_FILE``) by domain, then by name; then the page's own site name as it
spells it; then the site's domain without ``www.``. A domain is the readable fallback
because it is stable: a guessed split of "examplegazette" into words would not be.

``normalize_url`` gives one spelling per page, so an article fetched twice under two URLs
(tracking parameters, a fragment, ``:443``) is recognised as one.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path
from urllib.parse import unquote_plus, urlsplit, urlunsplit

from ..errors import ConfigError
from ..settings import get_setting

__all__ = ["OutletTable", "load_outlet_table", "normalize_url", "outlet_name"]

# Hosts that serve the same site as the bare domain: "www.x.org", "m.x.org", "amp.x.org".
_HOST_PREFIXES = ("www.", "www2.", "m.", "mobile.", "amp.")
_DEFAULT_PORTS = {"http": 80, "https": 443}
# Query parameters that say how a reader arrived, not which page they read.
_TRACKING_PARAMS = frozenset(
    {
        "fbclid",
        "gclid",
        "dclid",
        "gbraid",
        "wbraid",
        "msclkid",
        "yclid",
        "twclid",
        "igshid",
        "mc_cid",
        "mc_eid",
        "_ga",
        "_gl",
        "_hsenc",
        "_hsmi",
        "mkt_tok",
        "ocid",
        "cmpid",
        "smid",
        "ns_mchannel",
        "ns_source",
        "ns_campaign",
        "ns_linkname",
        "ns_fee",
    }
)
_TRACKING_PREFIXES = ("utm_", "at_", "pk_", "mtm_")
_SCHEME = re.compile(r"\A[a-z][a-z0-9+.\-]*://", re.I)
# A bare domain given where a name is expected: "islamtimes.org", "www.bbc.co.uk".
_DOMAIN_LIKE = re.compile(r"\A(?:[a-z0-9](?:[a-z0-9\-]*[a-z0-9])?\.)+[a-z]{2,24}\.?\Z", re.I)


def _name_key(name: str) -> str:
    """Names compare ignoring case, spaces and punctuation: "IslamTimes" == "Islam Times"."""
    return "".join(ch for ch in name.casefold() if ch.isalnum())


def _clean_name(name: str) -> str:
    return " ".join(name.split())


@dataclass(frozen=True)
class OutletTable:
    """Canonical outlet names by domain and by name key."""

    by_domain: dict[str, str]
    by_name: dict[str, str]

    def lookup_host(self, host: str) -> str | None:
        """The outlet of ``host`` or of the nearest parent domain in the table."""
        labels = host.split(".")
        for start in range(len(labels) - 1):
            found = self.by_domain.get(".".join(labels[start:]))
            if found is not None:
                return found
        return None

    def lookup_name(self, name: str) -> str | None:
        key = _name_key(name)
        return self.by_name.get(key) if key else None


def _parse_table_lines(lines: Iterable[str], source: str) -> list[tuple[str, list[str]]]:
    entries: list[tuple[str, list[str]]] = []
    for lineno, raw in enumerate(lines, 1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        name, sep, rest = line.partition("=")
        name = _clean_name(name)
        if not sep or not name:
            raise ConfigError(
                f"{source}:{lineno}: not an outlet line",
                'write "Outlet Name = domain.org, Other Spelling"',
            )
        entries.append((name, [_clean_name(v) for v in rest.split(",") if v.strip()]))
    return entries


def _build_table(entries: Iterable[tuple[str, list[str]]]) -> OutletTable:
    by_domain: dict[str, str] = {}
    by_name: dict[str, str] = {}
    for name, spellings in entries:
        by_name[_name_key(name)] = name
        for spelling in spellings:
            if _DOMAIN_LIKE.match(spelling):
                by_domain[_strip_host(spelling.lower().rstrip("."))] = name
            by_name[_name_key(spelling)] = name
    return OutletTable(by_domain=by_domain, by_name=by_name)


@lru_cache(maxsize=8)
def _load_table(extra_file: str | None) -> OutletTable:
    packaged = resources.files(__package__).joinpath("outlets.txt").read_text(encoding="utf-8")
    entries = _parse_table_lines(packaged.splitlines(), "outlets.txt")
    if extra_file:
        try:
            text = Path(extra_file).read_text(encoding="utf-8")
        except OSError as exc:
            raise ConfigError(
                f"QUOTETRACE_OUTLETS_FILE={extra_file!r} cannot be read ({exc.strerror or exc})",
                "point it at a readable outlets file, or unset it",
            ) from None
        # Later lines win, so the user's file overrides the packaged names.
        entries += _parse_table_lines(text.splitlines(), extra_file)
    return _build_table(entries)


def load_outlet_table() -> OutletTable:
    """The packaged table with the user's ``QUOTETRACE_OUTLETS_FILE`` read on top of it."""
    return _load_table(str(get_setting("outlets_file")) or None)


def _strip_host(host: str) -> str:
    for prefix in _HOST_PREFIXES:
        if host.startswith(prefix) and host.count(".") >= 2:
            return host[len(prefix) :]
    return host


def _host_of(url: str) -> str | None:
    """The host of a URL, of a schemeless "www.x.org/path", or of a bare domain."""
    text = url.strip()
    if not text:
        return None
    if not _SCHEME.match(text):
        text = "//" + text.lstrip("/")
    try:
        host = urlsplit(text).hostname
    except ValueError:
        return None
    if not host or not _DOMAIN_LIKE.match(host):
        return None
    return _strip_host(host.lower().rstrip("."))


def outlet_name(url: str | None, site_name: str | None = None) -> str | None:
    """The outlet's one name, from a page URL (or bare domain) and/or the page's site name.

    ``None`` when neither says anything usable.
    """
    table = load_outlet_table()
    host = _host_of(url) if url else None
    name = _clean_name(site_name) if site_name else ""
    if name and host is None and _DOMAIN_LIKE.match(name):
        # A site name that is a domain ("islamtimes.org" in a crawl header) is read as one.
        host, name = _host_of(name), ""
    if host is not None:
        found = table.lookup_host(host)
        if found is not None:
            return found
    if name:
        return table.lookup_name(name) or name
    return host


def normalize_url(url: str) -> str:
    """One spelling per page: lowercase scheme and host, no default port, fragment or
    tracking parameters; the path and the other parameters kept as given.

    >>> normalize_url("HTTPS://WWW.Example.org:443/News/A?utm_source=x&id=7#top")
    'https://www.example.org/News/A?id=7'

    A string without ``scheme://`` is returned stripped but otherwise unchanged: guessing a
    scheme would invent a URL the page never had.
    """
    text = url.strip()
    if not _SCHEME.match(text):
        return text
    try:
        parts = urlsplit(text)
        port = parts.port
    except ValueError:
        return text
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").rstrip(".")
    if ":" in host:  # an IPv6 literal keeps its brackets
        host = f"[{host}]"
    netloc = host
    if parts.username is not None:
        auth = parts.username + (f":{parts.password}" if parts.password is not None else "")
        netloc = f"{auth}@{host}"
    if port is not None and _DEFAULT_PORTS.get(scheme) != port:
        netloc += f":{port}"
    path = parts.path or ("/" if host else "")
    # The kept parameters stay byte for byte: re-encoding them could change what the server sees.
    query = "&".join(p for p in parts.query.split("&") if p and not _is_tracking(p))
    return urlunsplit((scheme, netloc, path, query, ""))


def _is_tracking(pair: str) -> bool:
    key = unquote_plus(pair.partition("=")[0]).lower()
    return key in _TRACKING_PARAMS or key.startswith(_TRACKING_PREFIXES)
