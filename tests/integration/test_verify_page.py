"""The public verification page, /verify: no sign-in, the verdict in fi/sv/en and as JSON,
whether the portal holds the very file, a rate limit, and nothing stored."""

import pytest
from sqlalchemy import func, select

from portal.appctx import document_context
from portal.authority.services import unlock_signer
from portal.documents import services as documents
from portal.documents.models import Blob
from portal.timeutil import utcnow
from tests.factories import sample_pdf


@pytest.fixture
def signed(factory, login):
    """An agreement of two parties, both signed through the services: its current PDF."""
    agreement, orgs, reps, admin = factory.agreement(parties=2)
    ctx = document_context()
    for rep in reps:
        passphrase = unlock_signer(
            factory.session, ctx.key_encryption_key, rep, "pw", utcnow(), ctx.pki_pointers
        )
        documents.sign(factory.session, ctx, agreement.main_document_id, rep, passphrase, "Tampere")
        factory.session.commit()
    response = login(reps[0]).get(f"/documents/{agreement.main_document_id}/pdf")
    assert response.status_code == 200
    return agreement, response.data


def upload(client, pdf: bytes, name: str = "sopimus.pdf", **headers):
    from io import BytesIO

    return client.post(
        "/verify", data={"file": (BytesIO(pdf), name)}, headers=headers, content_type="multipart/form-data"
    )


def blobs(session) -> int:
    return session.scalar(select(func.count()).select_from(Blob))


@pytest.mark.parametrize(
    ("language", "heading", "held"),
    [
        ("fi", "Tarkista allekirjoitettu sopimus", "Kyllä"),
        ("sv", "Kontrollera ett undertecknat avtal", "Ja"),
        ("en", "Verify a signed agreement", "Yes"),
    ],
)
def test_the_page_in_each_language_shows_each_signature(app, signed, language, heading, held):
    _agreement, pdf = signed
    client = app.test_client()
    client.post("/language", data={"lang": language, "next": "/verify"})
    page = client.get("/verify")
    assert page.status_code == 200 and heading in page.text
    result = upload(client, pdf)
    assert result.status_code == 200
    assert f'lang="{language}"' in result.text
    assert result.text.count("<tr>") == 1 + 3  # header, certification, two parties
    assert held in result.text


def test_json_names_the_signatures_and_whether_the_portal_holds_the_file(app, db, signed):
    agreement, pdf = signed
    client = app.test_client()
    before = blobs(db.session)
    answer = upload(client, pdf, Accept="application/json")
    assert answer.status_code == 200
    body = answer.get_json()
    assert {"sha256", "held_by_portal", "valid", "signatures"} <= set(body)
    assert body["held_by_portal"] is True and body["valid"] is True
    assert [s["field"] for s in body["signatures"]] == ["sopu-certification", "party-01", "party-02"]
    assert all({"field", "signer", "valid", "trusted", "timestamp"} <= set(s) for s in body["signatures"])
    assert all(s["valid"] and s["trusted"] for s in body["signatures"])
    assert body["document"]["agreement"] == agreement.id
    modified = upload(client, pdf + b"\n% appended\n", Accept="application/json").get_json()
    assert modified["held_by_portal"] is False and modified["valid"] is False
    assert blobs(db.session) == before  # nothing stored


def test_not_a_pdf_is_a_translated_422_and_nothing_is_stored(app, db):
    client = app.test_client()
    before = blobs(db.session)
    client.post("/language", data={"lang": "sv", "next": "/verify"})
    page = upload(client, b"hello, not a pdf", "notes.txt")
    assert page.status_code == 422
    assert "Filen är inte ett PDF-dokument." in page.text
    answer = upload(client, b"hello", "notes.txt", Accept="application/json")
    assert answer.status_code == 422 and answer.get_json()["error"] == "pdf_not_pdf"
    assert blobs(db.session) == before


def test_uploads_are_rate_limited(app, config_override):
    config_override(PORTAL_VERIFY_RATE_LIMIT="2 per minute")
    client = app.test_client()
    codes = [upload(client, sample_pdf(), Accept="application/json").status_code for _ in range(3)]
    assert codes[:2] == [200, 200] and codes[2] == 429


def test_the_page_works_with_the_csrf_check_on(app, signed, config_override):
    _agreement, pdf = signed
    config_override(WTF_CSRF_ENABLED=True)
    client = app.test_client()
    assert upload(client, pdf).status_code == 400  # no token
    page = client.get("/verify")
    token = page.text.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]
    from io import BytesIO

    answer = client.post(
        "/verify",
        data={"csrf_token": token, "file": (BytesIO(pdf), "a.pdf")},
        content_type="multipart/form-data",
    )
    assert answer.status_code == 200


def test_portal_verify_with_trust_passes_on_a_portal_signed_file_anywhere(db, signed, tmp_path):
    """A fresh folder, no PORTAL_* settings, no database: the CA certificate as /pki/ca.pem serves it."""
    import os
    import subprocess
    import sys
    from hashlib import sha256
    from pathlib import Path

    from portal.authority.services import ca_certificate_pem

    agreement, pdf = signed
    (tmp_path / "ca.pem").write_bytes(ca_certificate_pem(db.session))
    (tmp_path / "signed.pdf").write_bytes(pdf)
    result = subprocess.run(
        [str(Path(sys.executable).parent / "portal"), "verify", "--trust", "ca.pem", "signed.pdf"],
        cwd=tmp_path,
        env={"PATH": os.environ["PATH"], "HOME": str(tmp_path)},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert f"SHA-256: {sha256(pdf).hexdigest()}" in result.stdout
    document = agreement.main_document_id
    assert f"document: agreement {agreement.id}, document {document}, version 1" in result.stdout
    assert sorted(p.name for p in tmp_path.iterdir()) == ["ca.pem", "signed.pdf"]
    in_2040 = subprocess.run(  # after the signers' certificates expired: at the timestamps' time
        [str(Path(sys.executable).parent / "portal"), "verify", "--trust", "ca.pem", "--at", "2040-01-01"]
        + ["signed.pdf"],
        cwd=tmp_path,
        env={"PATH": os.environ["PATH"], "HOME": str(tmp_path)},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert in_2040.returncode == 0, in_2040.stdout + in_2040.stderr
