"""The one rule for where a `next` parameter or a cancel/back link may lead.

Browsers forgive a lot: they drop tabs and newlines inside a URL, read a backslash as a
slash and take `//host` as another site. So only a plain path on this site passes: it
starts with one `/`, holds no backslash and no control character — also not
percent-encoded, so that a value decoded once more by someone (`/%2F%2Fhost`, `/%09/host`)
stays harmless — and has no scheme or host once split. Everything else is the fallback.
"""

from __future__ import annotations

import re
from urllib.parse import unquote, urlsplit

# Control characters (C0, DEL, C1), backslash and the Unicode line/paragraph separators:
# anything a browser may strip or read as a slash. (A space is harmless after the first
# `/`: browsers encode it.)
_FORBIDDEN = re.compile(r"[\x00-\x1f\x7f-\x9f\\\u2028\u2029]")


def _is_local_path(value: str) -> bool:
    for text in (value, unquote(value)):
        if not text.startswith("/") or text.startswith("//") or _FORBIDDEN.search(text):
            return False
        parts = urlsplit(text)
        if parts.scheme or parts.netloc:
            return False
    return True


def safe_next(value: str | None, fallback: str) -> str:
    """`value` if it is a path on this site, else `fallback` (for `next` and back links)."""
    if value and _is_local_path(value):
        return value
    return fallback
