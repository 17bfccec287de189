"""Rules of stored documents that need no database: their kinds, where a version's check
stands, what an uploaded file's name may hold."""

import re
import unicodedata
from datetime import date
from enum import StrEnum


class DocumentKind(StrEnum):
    main = "main"
    annex = "annex"
    annex_agreement = "annex_agreement"
    amendment = "amendment"
    #: issue 12: the document by which a new organisation joins (R10)
    accession = "accession"


#: the kinds a lawyer uploads beside the main agreement (the web form, the API, the checks)
UPLOAD_KINDS = (DocumentKind.annex, DocumentKind.annex_agreement, DocumentKind.amendment)
#: kinds that are signed (an annex is part of the agreement and signed with it, R6)
SIGNED_KINDS = (
    DocumentKind.main,
    DocumentKind.annex_agreement,
    DocumentKind.amendment,
    DocumentKind.accession,
)


class CheckStatus(StrEnum):
    """Where a version's compatibility check stands (the main agreement is not checked)."""

    pending = "pending"
    checking = "checking"
    done = "done"
    failed = "failed"


MAX_FILENAME = 255
DEFAULT_FILENAME = "document.pdf"
_NOT_FILENAME = re.compile(r"[^A-Za-z0-9._]+")
_NOT_UNICODE_FILENAME = re.compile(r"[^\w.]+")


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


class DecisionType(StrEnum):
    """R12: what a body decided about a document. Only an approval counts towards entry into
    force; taking note (003: "merkitsee … tiedoksi") is recorded and shown, never counted."""

    approve = "approve"
    take_note = "take_note"


def decision_date_refusal(decided_on: date, today: date) -> str | None:
    """Why a decision cannot carry this date, or None: a decision is never dated in the future
    (it would put the entry into force before the decision was made)."""
    return "decision_in_future" if decided_on > today else None


def counts_as_approval(decision_type: DecisionType, voided: bool, superseded: bool, on_version: bool) -> bool:
    """R3, R12: a decision counts when it approves, was taken on the version that is now current,
    was not voided by a later version and was not replaced by a correction."""
    return decision_type is DecisionType.approve and on_version and not voided and not superseded


def read_version_refusal(read: int | None, current: int | None) -> str | None:
    """Why a signature confirmed as read cannot be given, or None: the person read version
    `read` (None: the form did not say, as the API and older clients) and the document is now
    at `current`; a version uploaded in between was not read."""
    return "read_other_version" if read is not None and current is not None and read != current else None


def file_stem(title: str, limit: int = 80) -> str:
    """A file name's stem made of a title, in ASCII (Content-Disposition's filename): letters
    with diacritics lose them (ä → a), every other run of characters becomes one hyphen."""
    ascii_title = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode("ascii")
    return "-".join(part for part in _NOT_FILENAME.split(ascii_title) if part)[:limit].strip("-")


def unicode_stem(title: str, limit: int = 80) -> str:
    """The same stem keeping the title's letters (the UTF-8 filename* and the download attribute)."""
    return "-".join(part for part in _NOT_UNICODE_FILENAME.split(title) if part)[:limit].strip("-")
