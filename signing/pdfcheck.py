"""check_pdf() and normalise(): the gate every uploaded PDF passes, parsed only inside the
isolated worker (signing.isolation).

Truncation: a file without "%%EOF" in its last 1024 bytes is rejected as "truncated" even when
qpdf could reconstruct something from it, because a reconstructed half agreement is not the
agreement anybody meant to sign."""

from __future__ import annotations

import io

import pikepdf

from signing.errors import PdfRejected
from signing.isolation import run_isolated
from signing.model import Limits, PdfFacts
from signing.pdfscan import (
    decode_page_contents,
    flatten_forms,
    scan_objects,
    strip_signature_fields,
)

_TAIL = 1024


def check_pdf(data: bytes, limits: Limits = Limits()) -> PdfFacts:
    """Parse the upload in the isolated worker and return its facts. Raises PdfRejected for
    empty/not_pdf/truncated/encrypted/unreadable/too_large/too_many_pages/timeout/memory.
    JavaScript, launch actions, embedded files, signatures and other active content are reported,
    not raised."""
    precheck(data, limits)
    return run_isolated(
        inspect_worker, data, limits.max_pages, seconds=limits.seconds, memory_bytes=limits.memory_bytes
    )


def normalise(data: bytes, limits: Limits = Limits()) -> bytes:
    """Rewrite the upload once as a clean, unencrypted PDF (classic cross-reference table, no
    object streams, no hybrid references, no empty signature fields, no XFA, no form fields and
    no annotations: their appearances are flattened into the page content, links are dropped),
    in the isolated worker. Raises PdfRejected like check_pdf() and also for javascript/
    launch_action/embedded_file/already_signed, any other active content (its kind), and
    form_field when a visible field cannot be flattened."""
    return normalise_with_appendix(data, None, limits)


def normalise_with_appendix(data: bytes, appendix: bytes | None, limits: Limits) -> bytes:
    """normalise(), appending the pages of the trusted PDF `appendix` (if any) in the same
    rewrite."""
    precheck(data, limits)
    return run_isolated(
        normalise_worker,
        data,
        limits.max_pages,
        appendix,
        seconds=limits.seconds,
        memory_bytes=limits.memory_bytes,
    )


def precheck(data: bytes, limits: Limits) -> None:
    """The checks that need no parsing, done before forking."""
    if not data:
        raise PdfRejected("empty", "no bytes")
    if len(data) > limits.max_bytes:
        raise PdfRejected("too_large", f"{len(data)} bytes > {limits.max_bytes}")
    if b"%PDF-" not in data[:_TAIL]:
        raise PdfRejected("not_pdf", "no %PDF- header in the first 1024 bytes")
    if b"%%EOF" not in data[-_TAIL:]:
        raise PdfRejected("truncated", "no %%EOF in the last 1024 bytes")


def inspect_worker(data: bytes, max_pages: int) -> PdfFacts:
    """Worker: open and inspect. Module level so that it can run isolated."""
    with _open(data) as pdf:
        return _facts(pdf, max_pages)


def normalise_worker(data: bytes, max_pages: int, appendix: bytes | None) -> bytes:
    """Worker: inspect, refuse active content/attachments/signatures, rewrite."""
    with _open(data) as pdf:
        facts = _facts(pdf, max_pages)
        _refuse(facts)
        try:
            strip_signature_fields(pdf)
            flatten_forms(pdf)
            if appendix is not None:
                with pikepdf.open(io.BytesIO(appendix)) as extra:
                    pdf.pages.extend(extra.pages)
            out = io.BytesIO()
            pdf.save(
                out,
                object_stream_mode=pikepdf.ObjectStreamMode.disable,
                min_version="1.7",
                compress_streams=True,
                deterministic_id=True,
            )
        except pikepdf.PdfError as exc:
            raise _as_rejection(exc) from None
        return out.getvalue()


def _refuse(facts: PdfFacts) -> None:
    for flag, code in (
        (facts.has_javascript, "javascript"),
        (facts.has_launch_action, "launch_action"),
        (facts.has_embedded_files, "embedded_file"),
        (facts.has_signatures, "already_signed"),
        *((True, kind) for kind in facts.active_content),
    ):
        if flag:
            raise PdfRejected(code, f"the document contains {code.replace('_', ' ')}")


def _open(data: bytes) -> pikepdf.Pdf:
    try:
        pdf = pikepdf.open(io.BytesIO(data))
    except pikepdf.PasswordError:
        raise PdfRejected("encrypted", "a password is needed to open it") from None
    except pikepdf.PdfError as exc:
        raise _as_rejection(exc) from None
    if pdf.is_encrypted:
        pdf.close()
        raise PdfRejected("encrypted", "encrypted with an owner password")
    return pdf


def _facts(pdf: pikepdf.Pdf, max_pages: int) -> PdfFacts:
    try:
        page_count = len(pdf.pages)
        if page_count > max_pages:
            raise PdfRejected("too_many_pages", f"{page_count} pages > {max_pages}")
        if page_count == 0:
            raise PdfRejected("unreadable", "no pages")
        decode_page_contents(pdf)
        found = scan_objects(pdf)
    except (pikepdf.PdfError, RecursionError, ValueError, TypeError) as exc:
        raise _as_rejection(exc) from None
    return PdfFacts(
        page_count=page_count,
        encrypted=False,
        has_javascript=found.javascript,
        has_launch_action=found.launch_action,
        has_embedded_files=found.embedded_file,
        has_signatures=found.signature,
        pdf_version=pdf.pdf_version,
        active_content=found.active_content,
    )


def _as_rejection(exc: Exception) -> PdfRejected:
    """qpdf reports an allocation failure under the worker's memory bound as a PdfError."""
    detail = str(exc)[:200]
    return PdfRejected("memory" if "bad_alloc" in detail else "unreadable", detail)
