"""prepare(): the uploaded agreement becomes the document everybody signs. Three revisions:
(1) the normalised upload (no form fields, annotations flattened) with the signature page(s)
appended, (2) every party's empty signature field (AcroForm SigFlags 3), each locking with its
signature every field but the other parties' signature fields (FieldMDP Exclude), (3) the portal's
certification signature (DocMDP 2: form filling and signing allowed) in an invisible field of its
own."""

from __future__ import annotations

import io
import re
from collections.abc import Sequence

from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.sign.fields import (
    FieldMDPAction,
    FieldMDPSpec,
    SigFieldSpec,
    append_signature_field,
    ensure_sig_flags,
)
from pyhanko.sign.signers import PdfSigner
from pyhanko.sign.timestamps import TimeStamper

from signing import sigpage
from signing.ca import valid_business_id
from signing.model import CERTIFICATION_FIELD, SOPU_ID_KEY, DocumentId, Limits, SignatureSlot, SignerKey
from signing.pades import certification_metadata, simple_signer
from signing.pdfcheck import normalise_with_appendix
from signing.rules import business_id_from_tooltip

__all__ = ["add_fields", "business_id_from_tooltip", "certify", "prepare", "tooltip"]

_FIELD_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]{0,62}")


def prepare(
    pdf: bytes,
    slots: Sequence[SignatureSlot],
    certifier: SignerKey,
    *,
    title: str,
    language: str = "fi",
    limits: Limits = Limits(),
    document_id: DocumentId | None = None,
    timestamper: TimeStamper | None = None,
) -> bytes:
    """Normalise the upload, append signature page(s) listing every party (a box with name,
    business ID and lines for signature and place/date, a visible empty signature field exactly
    over it, tooltip "<party> (<business id>)"), create all fields in one update and certify the
    result with `certifier` (PAdES, DocMDP FILL_FORMS, field CERTIFICATION_FIELD).
    `language` (fi, sv, en; anything else is Finnish) sets the page's labels. `document_id`
    goes into the document information dictionary (SOPU_ID_KEY) with the fields, so that the
    certification covers it and verify() names the agreement, document and version;
    `timestamper` adds a signature timestamp to the certification.
    Raises PdfRejected for an unusable upload, ValueError for bad slots."""
    _check_slots(slots)
    appendix, boxes = sigpage.render(slots, title, language)
    merged = normalise_with_appendix(pdf, appendix, limits)
    with_fields = add_fields(merged, slots, boxes, document_id)
    return certify(with_fields, certifier, timestamper)


def add_fields(
    pdf: bytes,
    slots: Sequence[SignatureSlot],
    boxes: Sequence[sigpage.FieldBox],
    document_id: DocumentId | None = None,
) -> bytes:
    """One incremental update adding every party's visible empty signature field on the
    appended pages (the last len(pages) pages) and setting SigFlags to 3. Each field's /Lock
    excludes only the other parties' fields: a party's signature locks every other field, one
    added later included, so that nothing but the remaining signatures can change after it."""
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf))
    page_count = int(writer.root["/Pages"]["/Count"])
    first_sig_page = page_count - (max(b.page for b in boxes) + 1)
    names = [slot.field_name for slot in slots]
    for slot, field in zip(slots, boxes, strict=True):
        others = [name for name in names if name != slot.field_name]
        append_signature_field(
            writer,
            SigFieldSpec(
                sig_field_name=slot.field_name,
                on_page=first_sig_page + field.page,
                box=field.box,
                readable_field_name=tooltip(slot),
                field_mdp_spec=FieldMDPSpec(FieldMDPAction.EXCLUDE, fields=others),
            ),
        )
    ensure_sig_flags(writer, lock_sig_flags=True)
    if document_id is not None:
        _write_document_id(writer, document_id)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _write_document_id(writer: IncrementalPdfFileWriter, document_id: DocumentId) -> None:
    value = generic.TextStringObject(document_id.text())
    info = writer.trailer.raw_get("/Info") if "/Info" in writer.trailer else None
    if isinstance(info, generic.IndirectObject):
        info.get_object()[SOPU_ID_KEY] = value
        writer.mark_update(info)
    else:
        entries = info if isinstance(info, generic.DictionaryObject) else {}
        writer.set_info(generic.DictionaryObject({**entries, generic.NameObject(SOPU_ID_KEY): value}))


def certify(pdf: bytes, certifier: SignerKey, timestamper: TimeStamper | None = None) -> bytes:
    """Certification signature by the portal's seal in a new invisible field (with a signature
    timestamp from `timestamper` when given)."""
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf))
    signer = PdfSigner(
        certification_metadata(CERTIFICATION_FIELD),
        simple_signer(certifier),
        new_field_spec=SigFieldSpec(sig_field_name=CERTIFICATION_FIELD),
        timestamper=timestamper,
    )
    return bytes(signer.sign_pdf(writer).getvalue())


def tooltip(slot: SignatureSlot) -> str:
    """The field's /TU: what a screen reader says, and where verify() finds the business ID."""
    return f"{slot.party_name} ({slot.business_id})"


def _check_slots(slots: Sequence[SignatureSlot]) -> None:
    if not slots:
        raise ValueError("at least one signature slot is needed")
    names = [s.field_name for s in slots]
    if len(set(names)) != len(names):
        raise ValueError("signature field names must be unique")
    for slot in slots:
        if not _FIELD_NAME.fullmatch(slot.field_name) or slot.field_name == CERTIFICATION_FIELD:
            raise ValueError(f"unusable field name {slot.field_name!r}")
        if not valid_business_id(slot.business_id):
            raise ValueError(f"not a valid business ID: {slot.business_id!r}")
