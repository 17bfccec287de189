"""Rules of stored documents that need no database: what an uploaded file's name may hold."""

import unicodedata

MAX_FILENAME = 255
DEFAULT_FILENAME = "document.pdf"


def clean_filename(name: str) -> str:
    """The name an upload is stored and shown under: control characters (NUL and the like),
    format characters (the bidirectional overrides and isolates U+202A-U+202E, U+2066-U+2069,
    the marks U+200E/U+200F/U+061C, zero-width characters) and lone surrogates removed, a path
    reduced to its last part, at most 255 characters. "invoice\u202efdp.exe" would otherwise
    show as "invoiceexe.pdf"."""
    name = unicodedata.normalize("NFC", name or "")
    kept = "".join(c for c in name if unicodedata.category(c) not in ("Cc", "Cf", "Cs", "Co", "Cn"))
    kept = kept.replace("\\", "/").rsplit("/", 1)[-1]
    return " ".join(kept.split())[:MAX_FILENAME].strip() or DEFAULT_FILENAME
