"""All parties press Sign at the same moment: every signature lands, none is lost or overwritten.
Signing is serialised per document by a row lock (PostgreSQL) or the write lock (SQLite)."""

import json
import threading
import urllib.request

import pytest

from portal.agreements.domain import Status
from portal.auth.domain import Scope
from portal.auth.services import create_token
from portal.authority.services import sign_key_wrapper
from portal.documents.models import Document
from portal.timeutil import utcnow
from tests.factories import sign_binding
from tests.server import serve

#: the app serves concurrent requests on loopback, in threads
pytestmark = pytest.mark.committing

PARTIES = 25


def post_json(url: str, token: str, body: dict) -> tuple[int, dict]:
    request = urllib.request.Request(
        url,
        data=json.dumps(body).encode(),
        method="POST",
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
    )
    try:
        with urllib.request.urlopen(request, timeout=300) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


def test_parties_signing_at_the_same_moment(app, factory, db):
    agreement, orgs, reps, admin = factory.agreement(parties=PARTIES)
    kek = app.config["PORTAL_KEY_ENCRYPTION_KEY"]
    tokens = []
    for rep in reps:
        wrap = sign_key_wrapper(db.session, kek, rep, "pw", utcnow())
        tokens.append(
            create_token(db.session, rep, "bulk", {Scope.sign}, wrap, sign_binding(db.session, rep))[1]
        )
    db.session.commit()
    document_id = agreement.main_document_id

    results: list[tuple[int, dict]] = []
    barrier = threading.Barrier(PARTIES)
    with serve(app) as base:

        def sign(token: str) -> None:
            barrier.wait()
            results.append(
                post_json(f"{base}/api/v1/documents/{document_id}/signatures", token, {"place": "Tampere"})
            )

        threads = [threading.Thread(target=sign, args=(t,)) for t in tokens]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=600)

    assert sorted(status for status, _ in results) == [201] * PARTIES, results
    db.session.expire_all()
    document = db.session.get(Document, document_id)
    assert len(document.signatures) == PARTIES
    assert document.status is Status.signing  # no approvals yet
    from portal.appctx import document_context
    from portal.documents.services import verify_current

    report = verify_current(db.session, document_context(), document)
    assert report.ok, report.problems
    assert len(report.signatures) == PARTIES + 1  # and the portal's certification
