"""Issue 14 item 4: documents.sign reads the authority's rows (CA, seal, own TSA) once,
however many of its steps need them (authority.held), reads no earlier signature whole, and
issues as many statements for the last party as for the second."""

from sqlalchemy import event

from portal.appctx import document_context
from portal.authority.services import unlock_signer
from portal.documents import services as documents
from portal.timeutil import utcnow


def test_a_signature_reads_the_authority_once(app, factory, db):
    agreement, _orgs, reps, _admin = factory.agreement(parties=3)
    ctx = document_context()
    found: list[str] = []

    def note(_conn, _cursor, statement, *_args):
        found.append(statement)

    per_signature = []
    for rep in reps:
        passphrase = unlock_signer(db.session, ctx.key_encryption_key, rep, "pw", utcnow(), ctx.pki_pointers)
        db.session.commit()
        found.clear()
        event.listen(db.engine, "before_cursor_execute", note)
        try:
            documents.sign(db.session, ctx, agreement.main_document_id, rep, passphrase, "Tampere")
        finally:
            event.remove(db.engine, "before_cursor_execute", note)
        db.session.commit()
        authority = [s for s in found if s.lstrip().startswith("SELECT") and "FROM authority_key" in s]
        assert len(authority) == 1, authority
        # the earlier signatures are read as ids and the last one's file, never as whole rows
        # (each with its verdict and joined signer: a cost that grew with every signature)
        whole_rows = [s for s in found if s.lstrip().startswith("SELECT") and "signature.verdict" in s]
        assert not whole_rows, whole_rows
        per_signature.append(len(found))
    assert per_signature[1] == per_signature[2], per_signature
