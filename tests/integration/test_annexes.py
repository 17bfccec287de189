"""Annexes, annex agreements and amendments on the Pirkanmaa demo agreement (25 parties), through
the API and the pages: upload, flags, acknowledgement, the gate, signatures, entry into force."""

import re
import subprocess

import pytest
from sqlalchemy import func, select

from portal.appctx import document_context
from portal.audit.models import AuditEvent
from portal.demo.loader import load_demo
from portal.demo.pdf import text_to_pdf
from portal.documents.models import Blob, Document
from portal.mail.models import OutboxMail
from tests.factories import sign_in
from tests.unit.checks.conftest import ID
from tests.unit.checks.texts import FI_GOOD, SV_GOOD, replaced

THREE = ("tampere", "nokia", "pirha")
COSTS = replaced(
    FI_GOOD,
    "Kukin osapuoli vastaa omista kuluistaan.",
    "Kustannukset jaetaan osapuolten kesken asukasluvun mukaan ja laskutetaan vuosittain.",
)
OUTSIDER = replaced(
    FI_GOOD,
    "Nokialla ja Tampereella.",
    "Nokialla ja Tampereella. Myös Helsingin kaupungin liikuntapalvelut osallistuvat.",
)


@pytest.fixture
def demo(db, app):
    """The demo agreement, opened for signature, with an API token for every demo user."""
    logins = load_demo(db.session, document_context(), "pw", with_tokens=True)
    db.session.commit()
    return {login.username: {"Authorization": f"Bearer {login.token}"} for login in logins}


def pdf(text: str) -> bytes:
    return text_to_pdf(text, title=text.splitlines()[0])


def upload(
    client,
    headers,
    text: str,
    *,
    kind="annex_agreement",
    parties=THREE,
    goals=(1,),
    title="Liitesopimus liikunnasta",
    agreement_id=1,
    **extra,
):
    data = {
        "kind": kind,
        "title": title,
        "parties": ",".join(ID[p] for p in parties),
        "goals": [str(g) for g in goals],
        "file": (_io(pdf(text)), "liite.pdf"),
        **extra,
    }
    return client.post(
        f"/api/v1/agreements/{agreement_id}/documents",
        headers=headers,
        data=data,
        content_type="multipart/form-data",
    )


def _io(data: bytes):
    import io

    return io.BytesIO(data)


def agreement_id(db) -> int:
    from portal.agreements.models import Agreement

    return db.session.scalar(select(Agreement.id))


def severities(body) -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for flag in body["flags"]:
        found.setdefault(flag["code"], set()).add(flag["severity"])
    return found


def sign(client, headers, document_id, place):
    return client.post(f"/api/v1/documents/{document_id}/signatures", headers=headers, json={"place": place})


def approve(client, headers, document_id, party):
    return client.post(
        f"/api/v1/documents/{document_id}/approvals",
        headers=headers,
        json={"business_id": ID[party], "body": "Kaupunginhallitus", "date": "2026-11-30", "section": "12"},
    )


def test_an_annex_agreement_of_three_parties_is_signed_on_its_own(client, db, demo, tmp_path):
    aid = agreement_id(db)
    lawyer, admin = demo["tampere-lakimies"], demo["sihteeri"]
    uploaded = upload(client, lawyer, COSTS, agreement_id=aid)
    assert uploaded.status_code == 201, uploaded.json
    doc = uploaded.json["id"]
    assert severities(uploaded.json) == {
        "parties": {"ok"},
        "refers_to_main": {"ok"},
        "goals": {"ok"},
        "validity": {"ok"},
        "disputes": {"ok"},
        "costs": {"warning"},
        "fit_to_sign": {"ok"},
    }

    refused = client.post(f"/api/v1/documents/{doc}/open", headers=admin)
    assert refused.status_code == 409 and refused.json["error"] == "gate_flags_unacknowledged"
    short = client.post(
        f"/api/v1/documents/{doc}/flags/costs/acknowledge", headers=lawyer, json={"justification": "ok"}
    )
    assert short.status_code == 422 and short.json["error"] == "justification_too_short"
    why = "Liikuntapalvelujen kulut jaetaan kuten valtuustot ovat päättäneet."
    acknowledged = client.post(
        f"/api/v1/documents/{doc}/flags/costs/acknowledge", headers=lawyer, json={"justification": why}
    )
    assert acknowledged.status_code == 200, acknowledged.json
    costs = next(f for f in acknowledged.json["flags"] if f["code"] == "costs")
    assert costs["acknowledged_by"] and costs["justification"] == why
    audit = db.session.scalars(select(AuditEvent).where(AuditEvent.kind == "flag_acknowledged")).one()
    assert audit.payload["justification"] == why

    stranger = client.post(
        f"/api/v1/documents/{doc}/flags/costs/acknowledge",
        headers=demo["akaa-lakimies"],
        json={"justification": why},
    )
    assert stranger.status_code == 403  # Akaa is no party of this annex agreement
    stranger = client.post(
        f"/api/v1/documents/{doc}/versions",
        headers=demo["akaa-lakimies"],
        data={"file": (_io(pdf(COSTS)), "liite.pdf")},
        content_type="multipart/form-data",
    )
    assert stranger.status_code == 403
    opened = client.post(f"/api/v1/documents/{doc}/open", headers=admin)
    assert opened.status_code == 200, opened.json
    assert {p["business_id"] for p in opened.json["parties"]} == {ID[p] for p in THREE}
    outsider = sign(client, demo["akaa-edustaja"], doc, "Akaa")
    assert outsider.status_code == 403 and outsider.json["error"] == "sign_not_a_party"
    for party in THREE:
        assert sign(client, demo[f"{party}-edustaja"], doc, "Tampere").status_code == 201
        assert approve(client, admin, doc, party).status_code == 201
    detail = client.get(f"/api/v1/documents/{doc}", headers=lawyer).json
    # issue 12: signed and approved, it waits for the main agreement to enter into force
    assert detail["status"] == "signing" and detail["entered_into_force_on"] is None

    main = client.get(f"/api/v1/agreements/{aid}", headers=lawyer).json
    assert main["status"] == "signing"
    assert all(p["signature"]["status"] == "pending" and p["approval"] is None for p in main["parties"])

    signed = client.get(f"/api/v1/documents/{doc}/pdf", headers=lawyer)
    path = tmp_path / "liitesopimus.pdf"
    path.write_bytes(signed.data)
    pdfsig = subprocess.run(["pdfsig", str(path)], capture_output=True, text=True, timeout=60)
    assert pdfsig.stdout.count("Signature is Valid") == 4, pdfsig.stdout  # the seal and three
    report = documents_verify(db, doc)
    assert report.ok and len([s for s in report.signatures if not s.is_certification]) == 3


def documents_verify(db, document_id):
    from portal.documents import services as documents

    return documents.verify_current(db.session, document_context(), db.session.get(Document, document_id))


def test_an_amendment_needs_every_one_of_the_25_parties(client, db, demo):
    aid = agreement_id(db)
    uploaded = upload(
        client,
        demo["nokia-lakimies"],
        FI_GOOD.replace("Liitesopimus", "Muutos"),
        kind="amendment",
        parties=(),
        title="Muutos 1",
        agreement_id=aid,
        changes="Tavoitteen 1 mittarit",
    )
    assert uploaded.status_code == 201, uploaded.json
    doc = uploaded.json["id"]
    assert client.post(f"/api/v1/documents/{doc}/open", headers=demo["sihteeri"]).status_code == 200
    detail = client.get(f"/api/v1/documents/{doc}", headers=demo["sihteeri"]).json
    assert len(detail["parties"]) == 25 and detail["changes"] == "Tavoitteen 1 mittarit"
    for party in THREE:
        assert sign(client, demo[f"{party}-edustaja"], doc, "Tampere").status_code == 201
        assert approve(client, demo["sihteeri"], doc, party).status_code == 201
    detail = client.get(f"/api/v1/documents/{doc}", headers=demo["sihteeri"]).json
    assert detail["status"] == "signing"
    assert sum(p["signature"]["status"] == "pending" for p in detail["parties"]) == 22


def test_an_outsider_is_a_blocker_until_a_new_version_clears_it(client, db, demo):
    aid = agreement_id(db)
    lawyer, admin = demo["tampere-lakimies"], demo["sihteeri"]
    first = upload(client, lawyer, OUTSIDER, agreement_id=aid)
    doc = first.json["id"]
    blocker = next(f for f in first.json["flags"] if f["severity"] == "blocker")
    assert blocker["code"] == "parties" and "Helsingin kaupungin" in blocker["message"]
    assert blocker["evidence"][0]["page"] == 1 and "Helsingin" in blocker["evidence"][0]["text"]
    refused = client.post(f"/api/v1/documents/{doc}/open", headers=admin)
    assert refused.status_code == 409 and refused.json["error"] == "gate_flags_blocker"
    no = client.post(
        f"/api/v1/documents/{doc}/flags/parties/acknowledge",
        headers=lawyer,
        json={"justification": "Helsinki on mukana vain tiedoksi."},
    )
    assert no.status_code == 409 and no.json["error"] == "flag_blocker"
    page = sign_in_page(client, db, "tampere-lakimies", f"/documents/{doc}")
    assert "Helsingin kaupungin" in page

    blocker_mail = db.session.scalars(select(OutboxMail).where(OutboxMail.kind == "annex_blocker")).all()
    # the annex agreement's own three parties' lawyers and the administrators, not all 25 parties'
    assert {m.recipient for m in blocker_mail} == {
        f"{slug}-lakimies@demo.sopu.invalid" for slug in THREE
    } | administrators(db)

    second = client.post(
        f"/api/v1/documents/{doc}/versions",
        headers=lawyer,
        data={"file": (_io(pdf(FI_GOOD)), "liite-v2.pdf")},
        content_type="multipart/form-data",
    )
    assert second.status_code == 201 and second.json["version"] == 2
    parties = [f for f in second.json["flags"] if f["code"] == "parties"]
    assert [f["severity"] for f in parties] == ["ok"] and parties[0]["changed"]
    opened = client.post(f"/api/v1/documents/{doc}/open", headers=admin)
    assert opened.status_code == 200, opened.json
    versions = client.get(f"/api/v1/documents/{doc}", headers=lawyer).json["versions"]
    assert [v["version"] for v in versions] == [1, 2] and versions[0]["sha256"] != versions[1]["sha256"]


def administrators(db) -> set[str]:
    from portal.auth.domain import Role
    from portal.auth.models import User

    return set(db.session.scalars(select(User.email).where(User.role == Role.administrator)))


def sign_in_page(client, db, username, path) -> str:
    response = sign_in(client, username).get(path)
    assert response.status_code == 200
    return response.text


def test_declared_outsider_and_swedish_annex(client, db, demo):
    aid = agreement_id(db)
    swedish = upload(client, demo["tampere-lakimies"], SV_GOOD, goals=(1, 6), agreement_id=aid)
    assert swedish.status_code == 201
    assert {f["severity"] for f in swedish.json["flags"]} == {"ok"}, swedish.json["flags"]
    outsider = client.post(
        f"/api/v1/agreements/{aid}/documents",
        headers=demo["tampere-lakimies"],
        data={
            "kind": "annex_agreement",
            "title": "Liite",
            "parties": "0201256-6",
            "file": (_io(pdf(FI_GOOD)), "liite.pdf"),
        },
        content_type="multipart/form-data",
    )
    declared = [f for f in outsider.json["flags"] if f["code"] == "parties"]
    assert any(f["severity"] == "blocker" and "0201256-6" in f["message"] for f in declared)
    in_swedish = client.get(
        f"/api/v1/documents/{outsider.json['id']}",
        headers=demo["tampere-lakimies"] | {"Accept-Language": "sv"},
    ).json
    assert any("0201256-6" in f["message"] and "part" in f["message"] for f in in_swedish["flags"])


def test_the_same_file_twice_is_stored_once(client, db, demo):
    aid = agreement_id(db)
    first = upload(client, demo["tampere-lakimies"], FI_GOOD, agreement_id=aid)
    blobs = db.session.scalar(select(func.count()).select_from(Blob))
    again = client.post(
        f"/api/v1/documents/{first.json['id']}/versions",
        headers=demo["tampere-lakimies"],
        data={"file": (_io(pdf(FI_GOOD)), "sama.pdf")},
        content_type="multipart/form-data",
    )
    assert again.status_code == 201 and again.json["version"] == 2
    assert db.session.scalar(select(func.count()).select_from(Blob)) == blobs
    mails = db.session.scalars(select(OutboxMail.recipient).where(OutboxMail.kind == "annex_version")).all()
    concerned = {f"{slug}-lakimies@demo.sopu.invalid" for slug in THREE[1:]} | administrators(db)
    assert "tampere-lakimies@demo.sopu.invalid" not in mails and sorted(mails) == sorted(2 * list(concerned))


def test_refusals_of_the_upload(client, db, demo):
    aid = agreement_id(db)
    representative = upload(client, demo["tampere-edustaja"], FI_GOOD, agreement_id=aid)
    assert representative.status_code == 403
    contact = upload(client, demo["tampere-yhteyshenkilo"], FI_GOOD, agreement_id=aid)
    assert contact.status_code == 403
    bad_kind = upload(client, demo["tampere-lakimies"], FI_GOOD, kind="letter", agreement_id=aid)
    assert bad_kind.status_code == 422 and bad_kind.json["error"] == "invalid_field"
    bad_id = upload(client, demo["tampere-lakimies"], FI_GOOD, agreement_id=aid, parties=())
    assert bad_id.status_code == 201  # no declared parties: a warning, not a refusal
    assert "warning" in severities(bad_id.json)["parties"]
    assert db.session.scalar(select(func.count()).select_from(Document)) == 2  # main + that one


def test_a_declared_outsider_is_corrected_with_a_new_version(client, db, demo):
    """The blocker says what to change, and a new version with the parties corrected clears it:
    through the API, then through the page's version form."""
    aid = agreement_id(db)
    lawyer = demo["tampere-lakimies"]
    first = client.post(
        f"/api/v1/agreements/{aid}/documents",
        headers=lawyer,
        data={
            "kind": "annex_agreement",
            "title": "Liite",
            "goals": "1",
            "parties": f"{ID['tampere']},{ID['nokia']},0201256-6",
            "file": (_io(pdf(FI_GOOD)), "liite.pdf"),
        },
        content_type="multipart/form-data",
    )
    doc = first.json["id"]
    [blocker] = [f for f in first.json["flags"] if f["severity"] == "blocker"]
    assert "0201256-6" in blocker["message"] and "uusi versio" in blocker["message"]
    bad = client.post(
        f"/api/v1/documents/{doc}/versions",
        headers=lawyer,
        data={"file": (_io(pdf(FI_GOOD)), "v2.pdf"), "parties": "123"},
        content_type="multipart/form-data",
    )
    assert bad.status_code == 422 and bad.json["error"] == "invalid_business_id"
    second = client.post(
        f"/api/v1/documents/{doc}/versions",
        headers=lawyer,
        data={"file": (_io(pdf(FI_GOOD)), "v2.pdf"), "parties": [ID["tampere"], ID["nokia"], ID["pirha"]]},
        content_type="multipart/form-data",
    )
    assert second.status_code == 201
    assert {f["severity"] for f in second.json["flags"] if f["code"] == "parties"} == {"ok"}
    detail = client.get(f"/api/v1/documents/{doc}", headers=lawyer).json
    assert len(detail["parties"]) == 3
    events = db.session.scalars(select(AuditEvent).where(AuditEvent.kind == "document_parties_changed")).all()
    assert len(events) == 1

    page = sign_in_page(client, db, "tampere-lakimies", f"/documents/{doc}")
    ticked = re.findall(r'<input[^>]*name="parties"[^>]*>', page)
    assert len(ticked) == 25 and sum("checked" in t for t in ticked) == 3, ticked
    web = client.post(
        f"/documents/{doc}/versions",
        data={"file": (_io(pdf(FI_GOOD)), "v3.pdf"), "parties": [ID["tampere"], ID["nokia"]]},
        content_type="multipart/form-data",
    )
    assert web.status_code == 302
    detail = client.get(f"/api/v1/documents/{doc}", headers=lawyer).json
    assert [v["version"] for v in detail["versions"]] == [1, 2, 3] and len(detail["parties"]) == 2


def test_evidence_links_to_its_page_of_the_version(client, db, demo):
    aid = agreement_id(db)
    first = upload(client, demo["tampere-lakimies"], OUTSIDER, agreement_id=aid)
    doc = first.json["id"]
    version = db.session.get(Document, doc).latest_version
    page = sign_in_page(client, db, "tampere-lakimies", f"/documents/{doc}")
    assert f'href="/versions/{version.id}/pdf#page=1"' in page
