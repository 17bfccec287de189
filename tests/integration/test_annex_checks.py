"""The check as a background job: re-checking when the main agreement changes, a failed job that
the administrator sees and retries, hostile files, and the live page's fragments."""

import io
import resource
from datetime import date
from pathlib import Path

import pikepdf
import pytest
from sqlalchemy import func, select

from portal.annexes import services as annexes
from portal.appctx import document_context
from portal.auth.domain import Role, Scope
from portal.documents.models import Blob, Document, DocumentVersion
from portal.jobs import services as jobs
from portal.jobs.inline import start_queued
from portal.jobs.models import Job
from tests.factories import AGREEMENT_TEXT, sample_pdf
from tests.unit.signing import samples

ANNEX = """Liitesopimus liikuntapalveluista
Tämä liitesopimus on yhteistyösopimuksen liite ja toteuttaa tavoitetta 1.
Kukin osapuoli vastaa omista kuluistaan.
Sopimuksen irtisanomisaika on 12 kuukautta."""


@pytest.fixture
def draft(factory):
    """A draft agreement of two parties, its lawyer and its administrator."""
    agreement, orgs, _reps, admin = factory.agreement(parties=2, opened=False)
    lawyer = factory.user(orgs[0], Role.lawyer)
    factory.session.commit()
    return agreement, orgs, lawyer, admin


def add_annex(session, agreement, lawyer, text=ANNEX, **kw) -> DocumentVersion:
    version = annexes.upload(
        session,
        document_context(),
        agreement,
        lawyer,
        kind="annex",
        title="Liite",
        data=sample_pdf(text),
        filename="liite.pdf",
        **kw,
    )
    session.commit()
    start_queued(session)
    return version


def codes(session, version) -> dict[str, tuple[str, bool]]:
    session.refresh(version)
    return {f.code: (str(f.severity), f.changed) for f in annexes.current_flags(session, version)}


def test_a_new_main_agreement_version_rechecks_every_annex(db, draft):
    agreement, _orgs, lawyer, admin = draft
    version = add_annex(db.session, agreement, lawyer)
    assert codes(db.session, version)["validity"] == ("ok", False)
    longer = AGREEMENT_TEXT.replace("irtisanomisaika on 12 kuukautta", "irtisanomisaika on 24 kuukautta")
    annexes.new_version(
        db.session, document_context(), agreement.main_document, sample_pdf(longer), "sopimus-v2.pdf", admin
    )
    db.session.commit()
    start_queued(db.session)
    after = codes(db.session, version)
    assert after["validity"] == ("warning", True)  # 12 months is now shorter than the main's 24
    assert after["costs"] == ("ok", False)
    assert (
        version.check_run == 2
        and version.checked_against_sha256 == agreement.main_document.latest_version.upload_sha256
    )
    assert version.document_id and db.session.get(Document, version.document_id).status == "draft"


def test_an_acknowledgement_survives_a_recheck_of_the_same_warning_only(db, draft):
    agreement, _orgs, lawyer, admin = draft
    version = add_annex(db.session, agreement, lawyer, ANNEX + "\nKustannukset jaetaan tasan.")
    document = db.session.get(Document, version.document_id)
    annexes.acknowledge(
        db.session,
        document,
        annexes.flags_with_code(db.session, document, "costs"),
        lawyer,
        "Kulut jaetaan kuten hallitukset sopivat.",
    )
    db.session.commit()
    annexes.recheck_annexes(db.session, agreement)
    db.session.commit()
    start_queued(db.session)
    costs = annexes.flags_with_code(db.session, document, "costs")
    assert costs[0].acknowledged_at is not None and costs[0].run == 2


def test_a_failing_job_is_retried_then_shown_to_the_administrator(app, db, client, draft, monkeypatch, login):
    agreement, _orgs, lawyer, admin = draft
    monkeypatch.setitem(app.config, "PORTAL_JOBS_INLINE", "")
    monkeypatch.setitem(app.config, "PORTAL_JOB_RETRY_SECONDS", 0)
    version = add_annex(db.session, agreement, lawyer)
    blob = Path(app.config["PORTAL_STORAGE_URL"].removeprefix("fs:"))
    stored = next(p for p in blob.rglob(version.upload_sha256 + "*"))
    hidden = stored.with_name("hidden")
    stored.rename(hidden)  # the storage lost the file: every attempt fails
    for _ in range(3):
        jobs.run_due(db.session, app.config)
    job = db.session.scalars(select(Job)).one()
    db.session.refresh(job)
    db.session.refresh(version)
    assert job.status == "failed" and job.attempts == 3 and "FileNotFoundError" in job.last_error
    assert version.check_status == "failed"

    page = login(admin).get("/admin/jobs")
    assert page.status_code == 200 and "FileNotFoundError" in page.text
    document_page = client.get(f"/documents/{version.document_id}")
    assert "FileNotFoundError" in document_page.text  # the administrator sees why

    hidden.rename(stored)
    monkeypatch.setitem(app.config, "PORTAL_JOBS_INLINE", "sync")
    retried = client.post(f"/admin/jobs/{job.id}/retry")
    assert retried.status_code == 302
    db.session.expire_all()
    assert db.session.get(Job, job.id).status == "done"
    assert db.session.get(DocumentVersion, version.id).check_status == "done"
    assert codes(db.session, version)["costs"] == ("ok", False)


@pytest.mark.committing  # a lease of 0 s: the lease's renewing thread needs a connection of its own
def test_a_worker_that_died_leaves_a_job_another_worker_takes_over(app, db, draft, monkeypatch):
    agreement, _orgs, lawyer, _admin = draft
    monkeypatch.setitem(app.config, "PORTAL_JOBS_INLINE", "")
    version = add_annex(db.session, agreement, lawyer)
    claimed = jobs.claim(db.session, 10, lease_seconds=900)
    assert len(claimed) == 1  # and then that worker died
    assert jobs.run_due(db.session, app.config).done == 0  # the lease still holds
    monkeypatch.setitem(app.config, "PORTAL_JOB_LEASE_SECONDS", 0)
    assert jobs.run_due(db.session, app.config).done == 1
    assert codes(db.session, version)["refers_to_main"] == ("ok", False)


def nested_pdf(depth: int) -> bytes:
    """A PDF whose page carries an array nested `depth` levels deep, written by hand."""
    deep = b"[" * depth + b"]" * depth
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Deep " + deep + b" >>",
    ]
    out, offsets = io.BytesIO(), []
    out.write(b"%PDF-1.7\n")
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref))
    return out.getvalue()


def pages_pdf(count: int) -> bytes:
    document = pikepdf.new()
    for _ in range(count):
        document.add_blank_page()
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


HOSTILE = {
    "decompression bomb": (lambda: samples.bomb_pdf(4 * 1024**3), {"pdf_memory", "pdf_timeout"}),
    "deeply nested objects": (lambda: nested_pdf(100_000), {"pdf_unreadable"}),
    "thousands of pages": (lambda: pages_pdf(2500), {"pdf_too_many_pages"}),
    "truncated": (lambda: sample_pdf()[:1500], {"pdf_truncated"}),
    "a .docx renamed .pdf": (samples.docx_bytes, {"pdf_not_pdf"}),
}


@pytest.mark.parametrize("name", HOSTILE)
def test_a_hostile_file_is_refused_and_nothing_is_stored(app, db, client, draft, name):
    from tests.factories import bearer

    agreement, _orgs, lawyer, _admin = draft
    make, expected = HOSTILE[name]
    data = make()
    before = (
        db.session.scalar(select(func.count()).select_from(Blob)),
        db.session.scalar(select(func.count()).select_from(Document)),
    )
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    response = client.post(
        f"/api/v1/agreements/{agreement.id}/documents",
        headers=bearer(app, db.session, lawyer, Scope.write),
        data={"kind": "annex", "title": name, "file": (io.BytesIO(data), "x.pdf")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 422, response.json
    assert response.json["error"] in expected and response.json["message"]
    assert (
        db.session.scalar(select(func.count()).select_from(Blob)),
        db.session.scalar(select(func.count()).select_from(Document)),
    ) == before
    grown_mib = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - rss_before) / 1024
    assert grown_mib < 200 + len(data) * 4 / 1024**2  # the parsing happened in a bounded child
    fi = client.post(
        f"/agreements/{agreement.id}/documents",
        headers={"HX-Request": "true"},
        data={"kind": "annex", "title": name, "file": (io.BytesIO(data), "x.pdf")},
        content_type="multipart/form-data",
    )
    assert fi.status_code in (302, 403)  # not signed in on the web: no 500 either


def test_the_upload_fragment_and_the_acknowledgement_in_place(db, draft, login):
    agreement, orgs, lawyer, _admin = draft
    web = login(lawyer)
    text = ANNEX + "\nKustannukset jaetaan tasan."
    response = web.post(
        f"/agreements/{agreement.id}/documents",
        headers={"HX-Request": "true"},
        data={
            "kind": "annex_agreement",
            "title": "Liitesopimus",
            "parties": [orgs[0].business_id, orgs[1].business_id],
            "goals": ["1"],
            "requires_approval": "y",
            "file": (io.BytesIO(sample_pdf(text)), "liite.pdf"),
        },
        content_type="multipart/form-data",
    )
    assert response.status_code == 200, response.text
    assert "<html" not in response.text and 'id="document-' in response.text
    assert 'hx-swap-oob="true"' in response.text  # a fresh upload form and the message
    assert "Kustannukset jaetaan tasan" not in response.text  # the row lists messages, not evidence
    document = db.session.scalars(select(Document).where(Document.kind == "annex_agreement")).one()
    warning = next(f for f in annexes.current_flags(db.session, document.latest_version) if f.code == "costs")
    invalid = web.post(
        f"/documents/{document.id}/flags/{warning.id}/acknowledge",
        headers={"HX-Request": "true"},
        data={"justification": "lyhyt"},
    )
    assert invalid.status_code == 422 and f'id="flag-{warning.id}"' in invalid.text
    assert 'aria-invalid="true"' in invalid.text
    done = web.post(
        f"/documents/{document.id}/flags/{warning.id}/acknowledge",
        headers={"HX-Request": "true"},
        data={"justification": "Kulut jaetaan kuten hallitukset sopivat."},
    )
    assert done.status_code == 200 and "<html" not in done.text
    assert done.text.strip().startswith(f'<li id="flag-{warning.id}"')
    assert "Kulut jaetaan kuten hallitukset sopivat." in done.text
    page = web.get(f"/documents/{document.id}")
    assert page.status_code == 200 and f'id="checks-{document.id}"' in page.text
    no_file = web.post(
        f"/agreements/{agreement.id}/documents",
        headers={"HX-Request": "true"},
        data={"kind": "annex", "title": "Liite"},
    )
    assert no_file.status_code == 422 and no_file.headers["HX-Retarget"] == "#document-upload"


@pytest.mark.committing  # two workers, each with a connection of its own
def test_two_workers_run_each_queued_check_exactly_once(app, db, draft, monkeypatch):
    """Each worker is a thread with its own session; on PostgreSQL they claim with FOR UPDATE
    SKIP LOCKED, on SQLite by a conditional UPDATE under the write lock."""
    import threading

    from sqlalchemy.orm import Session

    from portal.audit.models import AuditEvent

    agreement, _orgs, lawyer, _admin = draft
    monkeypatch.setitem(app.config, "PORTAL_JOBS_INLINE", "")
    versions = [add_annex(db.session, agreement, lawyer, f"{ANNEX}\nLiite {n}.") for n in range(6)]
    barrier, errors, done = threading.Barrier(2), [], []

    def work():
        try:
            with app.app_context(), Session(db.engine) as session:
                barrier.wait()
                while ran := jobs.run_due(session, app.config, limit=1).done:
                    done.append(ran)
        except Exception as error:  # noqa: BLE001 (reported below)
            errors.append(error)

    workers = [threading.Thread(target=work) for _ in range(2)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(120)
    assert errors == [] and sum(done) == 6
    db.session.expire_all()
    assert {db.session.get(DocumentVersion, v.id).check_run for v in versions} == {1}
    checked = db.session.scalars(select(AuditEvent).where(AuditEvent.kind == "document_checked")).all()
    assert sorted(e.payload["document_id"] for e in checked) == sorted(v.document_id for v in versions)


def test_an_annex_agreement_that_needs_no_approvals_waits_for_the_main_agreement(db, factory):
    from portal.authority.services import unlock_signer
    from portal.documents import services as documents
    from portal.timeutil import utcnow

    agreement, orgs, reps, admin = factory.agreement(parties=3)
    lawyer = factory.user(orgs[0], Role.lawyer)
    factory.session.commit()
    version = annexes.upload(
        db.session,
        document_context(),
        agreement,
        lawyer,
        kind="annex_agreement",
        title="Liitesopimus",
        data=sample_pdf(ANNEX),
        filename="liite.pdf",
        goals=[1],
        requires_approval=False,
        business_ids=[orgs[0].business_id, orgs[1].business_id],
    )
    db.session.commit()
    start_queued(db.session)
    document = db.session.get(Document, version.document_id)
    annexes.open_document(db.session, document_context(), document, admin)
    db.session.commit()
    ctx = document_context()
    for rep in reps[:2]:
        documents.sign(
            db.session,
            ctx,
            document.id,
            rep,
            unlock_signer(db.session, ctx.key_encryption_key, rep, "pw", utcnow(), ctx.pki_pointers),
            "Tampere",
        )
        db.session.commit()
    db.session.refresh(document)
    # issue 12: signed, but it waits for the main agreement, visibly
    assert document.status == "signing" and not document.approvals
    assert documents.waiting_for_main(db.session, document)
    assert db.session.get(Document, agreement.main_document_id).status == "signing"
    client = factory.app.test_client()
    client.post("/login", data={"username": lawyer.username, "password": "pw"})
    assert "waiting-for-main" in client.get(f"/documents/{document.id}").text
    # the main agreement enters into force: the annex agreement with it, the same day
    for rep in reps:
        documents.sign(
            db.session,
            ctx,
            agreement.main_document_id,
            rep,
            unlock_signer(db.session, ctx.key_encryption_key, rep, "pw", utcnow(), ctx.pki_pointers),
            "Tampere",
        )
        db.session.commit()
    for org in orgs:
        documents.record_approval(
            db.session,
            ctx,
            agreement.main_document_id,
            org.id,
            admin,
            body="Valtuusto",
            decided_on=date(2026, 11, 2),
            section="7",
        )
        db.session.commit()
    db.session.expire_all()
    main = db.session.get(Document, agreement.main_document_id)
    document = db.session.get(Document, document.id)
    assert main.status == "in_force" and document.status == "in_force"
    assert document.entered_into_force_on == main.entered_into_force_on
    assert not documents.waiting_for_main(db.session, document)
