"""The shadow attack through the portal (issue 7, item 1): a write into the stored file between
signatures stops the next signature and the entry into force; each signature's own revision is
verified as it is made and its verdict stored."""

import io
import subprocess
from contextlib import contextmanager
from pathlib import Path

from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from sqlalchemy import select, update

from portal.agreements.domain import Status
from portal.audit.models import AuditEvent
from portal.audit.services import verify_chain
from portal.auth.domain import Scope
from portal.documents.models import Document, Signature
from tests.factories import bearer, sign_in
from tests.unit.signing.test_shadow import add_text_field


def sign(app, agreement, rep):
    return sign_in(app.test_client(), rep).post(
        f"/documents/{agreement.main_document_id}/sign",
        data={"read": "y", "place": "Tampere", "password": "pw"},
        headers={"HX-Request": "true"},
    )


def approve_all(app, agreement, orgs, admin):
    secretary = sign_in(app.test_client(), admin)
    for number, org in enumerate(orgs, start=1):
        response = secretary.post(
            f"/documents/{agreement.main_document_id}/parties/{org.id}/approval",
            data={"body": "Kunnanvaltuusto", "decided_on": "2026-11-02", "section": str(number)},
            headers={"HX-Request": "true"},
        )
        assert response.status_code == 200, response.text


def page_overlay(pdf: bytes) -> bytes:
    """An incremental update drawing a white box with other text over page 1."""
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf))
    overlay = generic.StreamObject(
        stream_data=b"q 1 1 1 rg 50 600 500 200 re f Q BT /F1 12 Tf 60 700 Td (90 %) Tj ET"
    )
    writer.add_stream_to_page(0, writer.add_object(overlay))
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


@contextmanager
def rewritten(app, sha256: str, change):
    """The stored blob `sha256` rewritten in place behind the portal's back, restored after. A
    signed copy is stored as the revision it appends (a delta): the whole file written beside
    it is what the store then reads, as an attacker with the disk would arrange."""
    storage = app.extensions["storage"]
    path = Path(storage.root) / sha256[:2] / sha256
    whole = path.exists()
    original = path.read_bytes() if whole else storage.read(sha256)
    path.write_bytes(change(original))
    try:
        yield
    finally:
        if whole:
            path.write_bytes(original)
        else:
            path.unlink()


def current(factory, agreement) -> Document:
    document = factory.session.get(Document, agreement.main_document_id)
    factory.session.refresh(document)
    return document


def audit_kinds(factory) -> list[str]:
    return list(factory.session.scalars(select(AuditEvent.kind).order_by(AuditEvent.seq)))


def test_each_signature_stores_its_verdict(app, factory, tmp_path):
    agreement, orgs, reps, admin = factory.agreement(parties=2)
    for rep in reps:
        assert sign(app, agreement, rep).status_code == 200
    signatures = factory.session.scalars(select(Signature).order_by(Signature.id)).all()
    assert len(signatures) == 2
    for signature in signatures:
        assert signature.verified_at is not None
        verdict = signature.verdict
        assert verdict["ok"] is True and verdict["problems"] == []
        assert verdict["field_name"] == signature.field_name
        assert verdict["changed_fields"] == [signature.field_name]
        assert verdict["modification_level"] == "FORM_FILLING"
        assert verdict["certificate_sha256"] == signature.certificate_sha256
        assert verdict["intact"] and verdict["valid"] and verdict["trusted"]
    approve_all(app, agreement, orgs, admin)
    document = current(factory, agreement)
    assert document.status is Status.in_force
    path = tmp_path / "signed.pdf"  # the field locks keep every signature valid for poppler too
    path.write_bytes(app.extensions["storage"].read(document.current_sha256))
    pdfsig = subprocess.run(["pdfsig", str(path)], capture_output=True, text=True, timeout=60)
    assert pdfsig.stdout.count("Signature is Valid") == 3, pdfsig.stdout


def test_the_stored_file_rewritten_between_signatures_is_refused_at_the_next_signature(app, factory):
    agreement, orgs, reps, admin = factory.agreement(parties=3)
    assert sign(app, agreement, reps[0]).status_code == 200
    before = current(factory, agreement).current_sha256
    with rewritten(app, before, lambda pdf: add_text_field(pdf, "90 %")):
        refused = sign(app, agreement, reps[1])
        assert refused.status_code == 409
        assert "Tallennettu asiakirja ei vastaa" in refused.text  # the Finnish message
    factory.session.expire_all()
    assert factory.session.query(Signature).count() == 1  # nothing was signed
    assert current(factory, agreement).current_sha256 == before
    mismatches = factory.session.scalars(
        select(AuditEvent).where(AuditEvent.kind == "stored_file_mismatch")
    ).all()
    assert len(mismatches) == 1 and mismatches[0].payload["sha256"] == before  # kept despite 409
    assert verify_chain(factory.session)[1] is None
    assert sign(app, agreement, reps[1]).status_code == 200  # the file restored: signing goes on


def test_the_api_refuses_a_signature_on_a_rewritten_file_in_the_callers_language(app, factory):
    agreement, orgs, reps, admin = factory.agreement(parties=2)
    headers = {**bearer(app, factory.session, reps[0], Scope.sign), "Accept-Language": "sv"}
    document = current(factory, agreement)
    with rewritten(app, document.current_sha256, page_overlay):
        refused = app.test_client().post(
            f"/api/v1/documents/{document.id}/signatures", headers=headers, json={"place": "Borgå"}
        )
    assert refused.status_code == 409
    assert refused.json["error"] == "sign_stored_file_mismatch"
    assert refused.json["message"].startswith("Det lagrade dokumentet motsvarar inte")
    factory.session.expire_all()
    assert factory.session.query(Signature).count() == 0
    assert audit_kinds(factory).count("stored_file_mismatch") == 1


def test_a_page_overlay_written_into_the_stored_file_stops_signing_and_entry_into_force(app, factory):
    agreement, orgs, reps, admin = factory.agreement(parties=3)
    assert sign(app, agreement, reps[0]).status_code == 200
    with rewritten(app, current(factory, agreement).current_sha256, page_overlay):
        for rep in reps[1:]:
            assert sign(app, agreement, rep).status_code == 409
        approve_all(app, agreement, orgs, admin)  # the councils' decisions are facts: recorded
    document = current(factory, agreement)
    assert len(document.approvals) == 3 and len(document.signatures) == 1
    assert document.status is Status.signing and document.entered_into_force_on is None
    assert audit_kinds(factory).count("stored_file_mismatch") == 2


def test_an_overlay_after_the_last_signature_withholds_entry_into_force(app, factory):
    agreement, orgs, reps, admin = factory.agreement(parties=2)
    for rep in reps:
        assert sign(app, agreement, rep).status_code == 200
    with rewritten(app, current(factory, agreement).current_sha256, page_overlay):
        approve_all(app, agreement, orgs, admin)
    document = current(factory, agreement)
    assert len(document.approvals) == 2
    assert document.status is Status.signing and document.entered_into_force_at is None
    withheld = factory.session.scalars(
        select(AuditEvent).where(AuditEvent.kind == "entry_into_force_withheld")
    ).all()
    assert [event.payload["reason"] for event in withheld] == ["stored_file_mismatch"]
    assert "entered_into_force" not in audit_kinds(factory)


def test_entry_into_force_needs_every_signature_verified(app, factory):
    agreement, orgs, reps, admin = factory.agreement(parties=2)
    for rep in reps:
        assert sign(app, agreement, rep).status_code == 200
    first = factory.session.scalars(select(Signature).order_by(Signature.id)).first()
    factory.session.execute(
        update(Signature).where(Signature.id == first.id).values(verdict=None, verified_at=None)
    )  # e.g. signed before the check
    factory.session.commit()
    approve_all(app, agreement, orgs, admin)
    assert current(factory, agreement).status is Status.signing
    withheld = factory.session.scalars(
        select(AuditEvent).where(AuditEvent.kind == "entry_into_force_withheld")
    ).all()
    assert [event.payload["reason"] for event in withheld] == ["unverified_signature"]


def test_opening_flattens_a_form_field_and_refuses_active_content(app, factory):
    from tests.unit.signing import samples
    from tests.unit.signing.test_active_content import page_additional_action
    from tests.unit.signing.test_shadow import page_text, with_text_field

    agreement, orgs, reps, admin = factory.agreement(parties=2, opened=False, pdf=with_text_field())
    secretary = sign_in(app.test_client(), admin)
    assert secretary.post(f"/agreements/{agreement.id}/open").status_code == 302
    document = current(factory, agreement)
    assert document.status is Status.signing
    prepared = app.extensions["storage"].read(document.current_sha256)
    assert b"/FT /Tx" not in prepared and "10 %" in page_text(prepared)

    active = samples.modified(with_text_field(), page_additional_action)
    agreement, orgs, reps, admin = factory.agreement(parties=2, opened=False, pdf=active)
    admin.locale = "sv"
    factory.session.commit()
    refused = sign_in(app.test_client(), admin).post(
        f"/agreements/{agreement.id}/open", headers={"HX-Request": "true"}
    )
    assert refused.status_code == 422
    assert "PDF-filen innehåller funktioner som körs av sig själva" in refused.text
    assert current(factory, agreement).status is Status.draft
