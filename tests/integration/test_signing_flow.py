"""The core loop through the web UI: representatives sign, the secretary records the councils'
decisions, the agreement enters into force, and the downloaded PDF verifies."""

import subprocess
from datetime import date

from sqlalchemy import text

from portal.agreements.domain import Status
from portal.audit.services import verify_chain
from portal.documents.models import Signature
from tests.factories import sign_in


def approve(client, agreement, org, section="12"):
    return client.post(
        f"/documents/{agreement.main_document_id}/parties/{org.id}/approval",
        data={"body": "Kunnanvaltuusto", "decided_on": "2026-11-02", "section": section},
        headers={"HX-Request": "true"},
    )


def test_parties_sign_and_the_agreement_enters_into_force(app, factory, tmp_path):
    agreement, orgs, reps, admin = factory.agreement(parties=3)
    for rep in reps:
        response = sign_in(app.test_client(), rep).post(
            f"/documents/{agreement.main_document_id}/sign",
            data={"read": "y", "place": "Tampere", "password": "pw"},
            headers={"HX-Request": "true"},
        )
        assert response.status_code == 200
        assert "<html" not in response.text and 'id="agreement-state"' in response.text
        # the answer under the status heading, beside the form, not in the page's message region
        assert 'role="status" tabindex="-1" data-feedback' in response.text
        assert 'id="messages"' not in response.text
    secretary = sign_in(app.test_client(), admin)
    for org in orgs[:-1]:
        assert approve(secretary, agreement, org).status_code == 200
    factory.session.refresh(agreement.main_document)
    assert agreement.main_document.status is Status.signing  # one approval still missing
    response = approve(secretary, agreement, orgs[-1])
    assert response.status_code == 200
    factory.session.refresh(agreement.main_document)
    assert agreement.main_document.status is Status.in_force
    assert (
        agreement.main_document.entered_into_force_on == date.today()
        or (date.today() - agreement.main_document.entered_into_force_on).days <= 1
    )

    pdfs = []
    for user in [admin, *reps]:
        response = sign_in(app.test_client(), user).get(f"/documents/{agreement.main_document_id}/pdf")
        assert response.status_code == 200
        assert response.headers["Content-Disposition"].startswith("attachment;")
        assert response.mimetype == "application/pdf"
        pdfs.append(response.data)
    assert len(set(pdfs)) == 1  # every party downloads the identical copy

    path = tmp_path / "signed.pdf"
    path.write_bytes(pdfs[0])
    result = app.test_cli_runner().invoke(args=["verify", str(path)])
    assert result.exit_code == 0, result.output
    assert "5 signatures, 0 problems: VALID" in result.output  # 3 parties, the seal, the document timestamp
    pdfsig = subprocess.run(["pdfsig", str(path)], capture_output=True, text=True, timeout=60)
    assert pdfsig.stdout.count("Signature is Valid") == 4, pdfsig.stdout

    count, broken = verify_chain(factory.session)
    assert broken is None and count >= 3 + 3 + 3
    kinds = list(factory.session.scalars(text("SELECT kind FROM audit_event ORDER BY seq")))
    assert "entered_into_force" in kinds and kinds.count("signature") == 3


def test_signing_refusals_change_nothing(app, factory):
    agreement, orgs, reps, admin = factory.agreement(parties=2)
    client = sign_in(app.test_client(), reps[0])
    wrong = client.post(
        f"/documents/{agreement.main_document_id}/sign",
        data={"read": "y", "place": "Nokia", "password": "wrong"},
        headers={"HX-Request": "true"},
    )
    assert wrong.status_code == 422
    assert factory.session.query(Signature).count() == 0
    sign_url = f"/documents/{agreement.main_document_id}/sign"
    ok = client.post(sign_url, data={"read": "y", "place": "Nokia", "password": "pw"})
    assert ok.status_code == 302
    twice = client.post(sign_url, data={"read": "y", "place": "Nokia", "password": "pw"})
    assert twice.status_code == 409
    assert factory.session.query(Signature).count() == 1


def test_a_tampered_pdf_fails_verification(app, factory, tmp_path):
    agreement, orgs, reps, admin = factory.agreement(parties=2)
    for rep in reps:
        sign_in(app.test_client(), rep).post(
            f"/documents/{agreement.main_document_id}/sign",
            data={"read": "y", "place": "Akaa", "password": "pw"},
        )
    secretary = sign_in(app.test_client(), admin)
    data = bytearray(secretary.get(f"/documents/{agreement.main_document_id}/pdf").data)
    position = data.index(b"stream", 200) + 20  # inside the first content stream
    data[position] ^= 0x01
    path = tmp_path / "tampered.pdf"
    path.write_bytes(bytes(data))
    result = app.test_cli_runner().invoke(args=["verify", str(path)])
    assert result.exit_code == 1
    assert "NOT VALID" in result.output and "PROBLEM" in result.output


def test_audit_verify_names_the_first_broken_link(app, factory):
    factory.agreement(parties=2)
    runner = app.test_cli_runner()
    assert "audit trail intact" in runner.invoke(args=["audit", "verify"]).output
    factory.session.execute(text("UPDATE audit_event SET kind = 'forged' WHERE seq = 2"))
    factory.session.commit()
    result = runner.invoke(args=["audit", "verify"])
    assert result.exit_code == 1 and "BROKEN at event 2" in result.output
