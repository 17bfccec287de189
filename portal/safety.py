"""Pure rules of what a request may carry (no Flask): text the databases store as given, and
the origin a state-changing browser request must come from."""

import unicodedata
from collections.abc import Iterable
from urllib.parse import urlsplit

#: the largest id there can be: the id columns are INTEGER, a signed 32-bit integer on PostgreSQL
#: (SQLite's hold 64 bits); a larger one in a URL is refused before it reaches the database
MAX_ID = 2**31 - 1
#: control characters a text may hold: tab, line feed, carriage return
ALLOWED_CONTROLS = frozenset("\t\n\r")


def at_most(limit: int) -> str:
    """A regular expression (no groups) of the decimal numbers from 0 to `limit`, so that a
    URL with a larger id matches no route at all (a 404 whatever the method)."""
    digits = str(limit)
    choices = [rf"\d{{1,{len(digits) - 1}}}"] if len(digits) > 1 else []
    for i, digit in enumerate(int(d) for d in digits):
        if digit:
            rest = len(digits) - i - 1
            choices.append(
                digits[:i] + (f"[0-{digit - 1}]" if digit > 1 else "0") + (rf"\d{{{rest}}}" if rest else "")
            )
    return "(?:" + "|".join(choices + [digits]) + ")"


def bad_character(text: str) -> bool:
    """Whether the text holds a character no field of the portal takes: a C0 control character
    other than tab and line breaks (NUL above all: PostgreSQL refuses it in text), or a lone
    surrogate (not encodable as UTF-8, so no database stores it)."""
    return any((c < " " and c not in ALLOWED_CONTROLS) or unicodedata.category(c) == "Cs" for c in text)


def first_bad_string(value, name: str = "") -> str | None:
    """The name (dotted path) of the first string in a JSON value, key or item, that holds a bad
    character; None when every one is fine. Walked without recursion: depth is the client's."""
    stack = [(name, value)]
    while stack:
        path, item = stack.pop()
        if isinstance(item, str):
            if bad_character(item):
                return path or "body"
        elif isinstance(item, dict):
            for key, child in item.items():
                if bad_character(key):
                    return path or "body"
                stack.append((f"{path}.{key}" if path else key, child))
        elif isinstance(item, list):
            stack.extend((f"{path}[{i}]", child) for i, child in enumerate(item))
    return None


def origin_of(url: str) -> str | None:
    """scheme://host[:port] of a URL, lower case, the default port left out; None for anything
    that is not an http(s) URL with a host (e.g. the "null" origin of a sandboxed page)."""
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError:
        return None
    scheme, host = parts.scheme.lower(), (parts.hostname or "").lower()
    if scheme not in ("http", "https") or not host:
        return None
    if ":" in host:
        host = f"[{host}]"
    if port is None or port == {"http": 80, "https": 443}[scheme]:
        return f"{scheme}://{host}"
    return f"{scheme}://{host}:{port}"


def foreign_origin(origin: str | None, referer: str | None, own: Iterable[str]) -> bool:
    """Whether a state-changing browser request comes from another site: its Origin (or, when a
    browser sends none, its Referer) is not one of the portal's own origins. With neither header
    it is not a browser's cross-site request (the CSRF token still guards it)."""
    claimed = origin or referer
    if not claimed:
        return False
    return origin_of(claimed) not in {origin_of(o) for o in own} - {None}
