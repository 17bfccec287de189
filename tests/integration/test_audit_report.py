"""A document's audit report (issue 10, item 5): who did what and when, the SHA-256 of every
version and signed copy, the decisions; in the agreement's language; sealed by the portal (a
PAdES signature pdfsig validates) and downloadable by the document's parties only."""

import hashlib
import subprocess

from sqlalchemy import select

from portal.agreements.models import Agreement
from portal.documents.models import Signature
from tests.browser import approve_for, sign_for


def sign_in(app, user):
    client = app.test_client()
    assert client.post("/login", data={"username": user.username, "password": "pw"}).status_code == 302
    return client


def pdf_text(tmp_path, pdf: bytes) -> str:
    path = tmp_path / "report.pdf"
    path.write_bytes(pdf)
    return subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, timeout=60, check=True
    ).stdout


def test_the_audit_report_lists_events_hashes_and_decisions_and_is_sealed(app, factory, tmp_path):
    agreement, orgs, reps, admin = factory.agreement(parties=2)
    sign_for(factory.session, agreement, reps)
    approve_for(factory.session, agreement, orgs, admin)
    response = sign_in(app, reps[0]).get(f"/documents/{agreement.main_document_id}/audit-report")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert response.headers["Content-Disposition"].startswith("attachment;")
    text = pdf_text(tmp_path, response.data)
    assert "Tarkastusraportti" in text and "Allekirjoitettu" in text  # Finnish: the agreement's
    assert "Tuli voimaan" in text and "Kunnanvaltuusto" in text
    document = agreement.main_document
    factory.session.refresh(document)
    version = document.versions[0]
    flat = text.replace("\n", "").replace(" ", "")
    for sha256 in (
        version.upload_sha256,
        version.prepared_sha256,
        *[s.result_sha256 for s in factory.session.scalars(select(Signature))],
    ):
        assert sha256 in flat
    path = tmp_path / "sealed.pdf"
    path.write_bytes(response.data)
    pdfsig = subprocess.run(["pdfsig", str(path)], capture_output=True, text=True, timeout=60)
    assert pdfsig.stdout.count("Signature is Valid") == 1, pdfsig.stdout
    assert "Sopu document seal" in pdfsig.stdout
    assert hashlib.sha256(response.data).hexdigest()  # a file, not a page


def test_the_report_is_in_the_agreements_language(app, factory, tmp_path):
    agreement, orgs, reps, admin = factory.agreement(parties=2)
    factory.session.get(Agreement, agreement.id).language = "sv"
    factory.session.commit()
    response = sign_in(app, admin).get(f"/documents/{agreement.main_document_id}/audit-report")
    text = pdf_text(tmp_path, response.data)
    assert "Granskningsrapport" in text and "Öppnad" in text and "Händelser" in text


def test_only_the_documents_parties_get_the_report(app, factory):
    agreement, orgs, reps, admin = factory.agreement(parties=2)
    outsider_agreement, outsider_orgs, outsiders, _admin = factory.agreement(parties=1, admin=admin)
    url = f"/documents/{agreement.main_document_id}/audit-report"
    assert sign_in(app, outsiders[0]).get(url).status_code == 404
    assert sign_in(app, reps[1]).get(url).status_code == 200
    page = sign_in(app, reps[1]).get(f"/agreements/{agreement.id}")
    assert url in page.text


def test_an_annexs_report_is_for_the_annexs_own_parties(app, factory, db):
    """A party of the agreement that is not a party of the annex does not get the annex's report,
    whether the annex's parties were read already or are asked about alone (Document.parties_among)."""
    agreement, orgs, reps, admin = factory.agreement(parties=3)
    annex = factory.annex(agreement, admin, parties=[orgs[0].business_id, orgs[1].business_id])
    url = f"/documents/{annex.id}/audit-report"
    assert sign_in(app, reps[2]).get(url).status_code == 403
    assert sign_in(app, reps[1]).get(url).status_code == 200
    assert sign_in(app, admin).get(url).status_code == 200
    db.session.expire_all()
    fresh = db.session.get(type(annex), annex.id)
    asked = {orgs[1].id, orgs[2].id}
    assert fresh.parties_among(asked) == {orgs[1].id}  # a query for those two
    assert "parties" not in fresh.__dict__
    assert len(fresh.parties) == 2
    assert fresh.parties_among(asked) == {orgs[1].id}  # now from the loaded parties
    assert fresh.parties_among(set()) == set()


def test_what_the_state_region_read_of_the_persons_parties_answers_the_rule(app, factory, db):
    """party_states of some organisations notes which of them are parties of the document, and
    parties_among answers from that note without a query; a question about any other
    organisation still reads the database, and the answers are those of a query."""
    from portal.agreements.services import party_states
    from tests.integration.test_query_counts import counted

    agreement, orgs, reps, admin = factory.agreement(parties=3)
    annex = factory.annex(agreement, admin, parties=[orgs[0].business_id, orgs[1].business_id])
    db.session.expire_all()
    fresh = db.session.get(type(annex), annex.id)
    states = party_states(db.session, fresh, {orgs[1].id, orgs[2].id})
    assert [s.organisation.id for s in states] == [orgs[1].id]
    with counted() as found:
        assert fresh.parties_among({orgs[1].id}) == {orgs[1].id}
        assert fresh.parties_among({orgs[2].id}) == set()
        assert fresh.parties_among({orgs[1].id, orgs[2].id}) == {orgs[1].id}
    assert found[0] == 0
    with counted() as found:  # not asked about before: read
        assert fresh.parties_among({orgs[0].id, orgs[2].id}) == {orgs[0].id}
        assert fresh.parties_among({orgs[0].id}) == {orgs[0].id}  # now noted as well
    assert found[0] == 1
    db.session.expire(fresh)  # as a commit that wrote would: the note goes with the rest
    with counted() as found:
        assert fresh.parties_among({orgs[1].id}) == {orgs[1].id}
    assert found[0] >= 1
