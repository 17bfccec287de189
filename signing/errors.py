"""Exceptions that carry a machine code the portal translates for its users."""

from __future__ import annotations

PDF_REJECTION_CODES = frozenset(
    {
        "empty",
        "not_pdf",
        "truncated",
        "encrypted",
        "unreadable",
        "too_large",
        "too_many_pages",
        "javascript",
        "launch_action",
        "embedded_file",
        "already_signed",
        "timeout",
        "memory",
        "form_field",
        # active content (signing.pdfscan.ACTIVE_CONTENT_KINDS)
        "submit_form",
        "additional_actions",
        "optional_content",
        "import_data",
        "rendition",
        "rich_media",
        "embedded_goto",
        "hide_action",
        "set_ocg_state",
    }
)
SIGNING_REFUSAL_CODES = frozenset({"no_such_field", "already_signed"})


class PdfRejected(Exception):
    """An uploaded PDF cannot be used; `code` is one of PDF_REJECTION_CODES, `detail` is a short
    English text for logs (never shown raw to users)."""

    def __init__(self, code: str, detail: str = "") -> None:
        if code not in PDF_REJECTION_CODES:
            raise ValueError(f"unknown rejection code {code!r}")
        super().__init__(f"{code}: {detail}" if detail else code)
        self.code = code
        self.detail = detail

    def __reduce__(self) -> tuple[type[PdfRejected], tuple[str, str]]:  # crosses the pipe
        return (type(self), (self.code, self.detail))


class SigningRefused(Exception):
    """sign() refused to touch the document; `code` is one of SIGNING_REFUSAL_CODES."""

    def __init__(self, code: str, detail: str = "") -> None:
        if code not in SIGNING_REFUSAL_CODES:
            raise ValueError(f"unknown refusal code {code!r}")
        super().__init__(f"{code}: {detail}" if detail else code)
        self.code = code
        self.detail = detail
