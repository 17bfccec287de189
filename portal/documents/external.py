"""Signing with one's own certificate: a representative downloads the current file, signs their
party's field with their own tool and certificate, and uploads the result. The upload is checked
(signing.external) under the document's lock and stored exactly as a portal signature is; a
refused upload changes nothing."""

from sqlalchemy import select
from sqlalchemy.orm import Session

import signing
from portal.agreements.models import Agreement
from portal.auth.models import User
from portal.documents.models import Blob, Document, Signature
from portal.documents.services import (
    Context,
    _signed_so_far,
    add_signature,
    locked_for_signing,
)
from portal.errors import PortalError
from portal.lifecycle.queries import refuse_if_ended
from portal.timeutil import utcnow
from signing.external import KnownFile, Refusal, check_external

#: a stale copy is a conflict with the current state; the rest are bad uploads
STATUS = {Refusal.stale: 409, Refusal.disabled: 409}


def sign_external(session: Session, ctx: Context, document_id: int, user: User, upload: bytes) -> Signature:
    """Accept `upload` as `user`'s party's signature, or raise PortalError("external_<reason>").
    The representative is identified by the e-mail address of their account in the
    certificate (see signing.external.check_external)."""
    document, party = locked_for_signing(session, document_id, user)
    refuse_if_ended(session, session.get_one(Agreement, document.agreement_id), user, party.organisation_id)
    current = _signed_so_far(session, ctx, document, user)
    expected = signing.ExpectedSigner(party.field_name, party.organisation.business_id)
    verdict = check_external(
        upload, current, _earlier_files(session, document), expected, [user.email], ctx.external_trust_roots
    )
    if verdict.refusal is not None or verdict.revision is None:
        refusal = verdict.refusal or Refusal.invalid
        raise PortalError(
            f"external_{refusal}", STATUS.get(refusal, 422), email=user.email, field=party.field_name
        )
    report = verdict.revision.signature
    assert report is not None  # accepted: signed
    return add_signature(
        session,
        ctx,
        document,
        user,
        party,
        upload,
        place=verdict.location,
        signed_at=utcnow(),
        certificate_sha256=report.certificate_sha256,
        verdict=verdict.as_dict(),
        external=True,
        certificate_subject=verdict.subject,
    )


def _earlier_files(session: Session, document: Document) -> list[KnownFile]:
    """Every earlier state of the file being signed: the prepared file and each signature's
    result before the current one (an upload that extends one of them is a stale copy)."""
    version = document.latest_version
    hashes = [version.prepared_sha256] if version and version.prepared_sha256 else []
    hashes += [s.result_sha256 for s in document.signatures]
    hashes = [h for h in hashes if h != document.current_sha256]
    sizes = dict(
        session.execute(select(Blob.sha256, Blob.size).where(Blob.sha256.in_(hashes))).tuples().all()
    )
    return [KnownFile(sizes[h], h) for h in hashes if h in sizes]
