"""Storage proportional to the final file: 25 signatures of one agreement take the prepared file
plus 25 revisions, not 26 copies; signed copies stored whole before deltas are compacted."""

from sqlalchemy import select

from portal.appctx import document_context
from portal.authority.services import signer_passphrase
from portal.documents import services as documents
from portal.documents.models import Document, DocumentVersion
from portal.storage import FileSystemStorage


def _disk(root) -> int:
    return sum(p.stat().st_size for p in root.rglob("*") if p.is_file())


def _sign_all(db, agreement, reps):
    ctx = document_context()
    for rep in reps:
        documents.sign(
            db.session,
            ctx,
            agreement.main_document_id,
            rep,
            signer_passphrase(ctx.key_encryption_key, rep, "pw"),
            "Tampere",
        )
        db.session.commit()
    return db.session.get(Document, agreement.main_document_id)


def test_25_signatures_take_about_the_final_file_not_25_copies(app, db, factory, tmp_path, monkeypatch):
    root = tmp_path / "blobs"
    monkeypatch.setitem(app.extensions, "storage", FileSystemStorage(root))
    agreement, orgs, reps, admin = factory.agreement(parties=25)
    document = _sign_all(db, agreement, reps)
    final = document_context().storage.read(document.current_sha256)
    upload = db.session.scalar(
        select(DocumentVersion.upload_sha256).where(DocumentVersion.document_id == document.id)
    )
    stored = _disk(root) - len(document_context().storage.read(upload))  # the upload is kept too
    print(f"\nfinal file {len(final)} bytes; stored for it {stored} bytes")
    assert stored < 1.2 * len(final)  # before: 26 whole copies (about 14 times the final file)


def test_compact_stores_what_was_signed_before_deltas_as_deltas(app, db, factory, tmp_path, monkeypatch):
    root = tmp_path / "blobs"
    whole = FileSystemStorage(root)
    monkeypatch.setattr(whole, "put", lambda data, **_: FileSystemStorage.put(whole, data))
    monkeypatch.setitem(app.extensions, "storage", whole)  # as before deltas: every copy whole
    agreement, orgs, reps, admin = factory.agreement(parties=4)
    document = _sign_all(db, agreement, reps)
    before = _disk(root)
    result = app.test_cli_runner().invoke(args=["storage", "compact"])
    assert result.exit_code == 0 and "4 of 4 signed copies stored as deltas" in result.output
    assert _disk(root) < before / 2
    again = app.test_cli_runner().invoke(args=["storage", "compact"])
    assert "0 of 4 signed copies" in again.output
    for signature in document.signatures:  # each reads back whole, re-hashed
        assert whole.read(signature.result_sha256).startswith(b"%PDF")
