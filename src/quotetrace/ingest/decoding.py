"""Bytes to text: UTF-8 first, UTF-16 by its BOM or its NUL pattern, a guess only as a last resort.

Crawls write UTF-8, but a crawl also truncates a multi-byte character, splices two pages or
keeps a stray byte. Such a file is still UTF-8: its invalid bytes become U+FFFD and the rest
stays as written. Handing it to an encoding detector instead would re-read every character
through some legacy code page (a few invalid bytes among many valid ones have made it pick
one that turns the text into Arabic presentation forms). So the detector only sees files with
no valid UTF-8 multi-byte character at all, where a legacy single-byte encoding (Latin-1,
cp1252) is the likely truth.

UTF-16 is recognised with or without its byte-order mark: text in UTF-16 puts a NUL in every
other byte for ASCII characters, on the odd positions for little-endian and the even ones for
big-endian; binary files do not show that regular pattern.
"""

from __future__ import annotations

__all__ = ["mostly_utf8", "sniff_utf16"]

_SNIFF = 8192
# UTF-16 text: at least this share of code units has its NUL half on one side (ASCII
# characters), and almost none on the other.
_UTF16_NUL_SHARE = 0.3
_UTF16_OTHER_SIDE = 0.01


def mostly_utf8(data: bytes) -> str | None:
    """``data`` decoded as UTF-8 with U+FFFD for invalid bytes, when it is UTF-8 at heart.

    That is when the valid multi-byte characters are at least as many as the invalid
    sequences; a file with no valid multi-byte character returns None (a legacy encoding is
    likelier, and the caller detects it).
    """
    text = data.decode("utf-8", errors="replace")
    # Each invalid sequence became one U+FFFD; a U+FFFD the file itself carried did not count.
    invalid = text.count("\ufffd") - data.count(b"\xef\xbf\xbd")
    if invalid == 0:
        return text
    valid_multibyte = sum(1 for ch in text if ord(ch) > 0x7F) - invalid
    return text if valid_multibyte >= invalid else None


def sniff_utf16(data: bytes) -> str | None:
    """The UTF-16 codec ``data`` is written in ("utf-16", "utf-16-le", "utf-16-be") or None."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "utf-16"
    head = data[:_SNIFF]
    if len(head) < 4:
        return None
    even, odd = head[0::2], head[1::2]
    pairs = min(len(even), len(odd))
    nul_odd = sum(1 for i in range(pairs) if odd[i] == 0 and even[i] != 0)
    nul_even = sum(1 for i in range(pairs) if even[i] == 0 and odd[i] != 0)
    both = sum(1 for i in range(pairs) if even[i] == 0 and odd[i] == 0)
    if both > pairs * _UTF16_OTHER_SIDE:
        return None  # runs of NUL pairs: binary, not text
    if nul_odd >= pairs * _UTF16_NUL_SHARE and nul_even <= pairs * _UTF16_OTHER_SIDE:
        return "utf-16-le"
    if nul_even >= pairs * _UTF16_NUL_SHARE and nul_odd <= pairs * _UTF16_OTHER_SIDE:
        return "utf-16-be"
    return None
