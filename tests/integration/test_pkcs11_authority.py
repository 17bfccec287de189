"""The portal authority's keys in a PKCS#11 token (issue 10 item 6): with PORTAL_PKCS11_MODULE
set, `db upgrade` generates the CA's and the seal's keys in a fresh SoftHSM2 token
(non-extractable, sensitive) and the database keeps only their certificates; a whole agreement
is then signed through the token (signers' certificates, the seal's certification, the CA's CRL
in the DSS) and enters into force; pdfsig and signing.verify accept it, and the CA's CRL and
OCSP answers verify against the CA certificate. An installation whose keys began in the database
moves them into the token (`portal authority move-to-token`) and keeps its CA."""

import subprocess
import uuid

import pkcs11
import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509 import ocsp as x509_ocsp
from sqlalchemy import select

import signing
import signing.pkcs11
from portal.audit.models import AuditSeal
from portal.audit.seal import seal_problems
from portal.auth.models import SigningCredential
from portal.authority import services as authority
from portal.authority.models import AuthorityKey
from portal.timeutil import utcnow
from signing.model import TokenKey
from signing.pkcs11 import _session
from tests.integration.test_cli_bootstrap import Runner, empty_app
from tests.integration.test_long_term import _final, _sign_all
from tests.pkcs11token import LABEL, PIN, softhsm_token

__all__ = ["empty_app", "softhsm_token"]  # fixtures, imported


def _token_config(module: str, prefix: str) -> dict[str, str]:
    """The token's settings, with key labels of the test's own (the session's token is shared)."""
    return {
        "PORTAL_PKCS11_MODULE": module,
        "PORTAL_PKCS11_TOKEN_LABEL": LABEL,
        "PORTAL_PKCS11_PIN": PIN,
        "PORTAL_PKCS11_KEY_PREFIX": prefix,
    }


def _token_objects(module: str) -> dict[str, dict[str, bool]]:
    """The private keys in the token, by label: whether each is sensitive and extractable (read
    in the process's logged-in session: a token allows one login per process)."""
    session = _session(TokenKey(module, LABEL, PIN, ""))
    return {
        key.label: {
            "sensitive": bool(key[pkcs11.Attribute.SENSITIVE]),
            "extractable": bool(key[pkcs11.Attribute.EXTRACTABLE]),
        }
        for key in session.get_objects({pkcs11.Attribute.CLASS: pkcs11.ObjectClass.PRIVATE_KEY})
    }


@pytest.fixture
def token_authority(db, config_override, softhsm_token):
    """The test's authority replaced (inside its transaction) by one whose keys are in the token."""
    config_override(**_token_config(softhsm_token, f"t{uuid.uuid4().hex[:8]}"))
    for row in db.session.scalars(select(AuthorityKey)):
        db.session.delete(row)
    db.session.flush()
    authority.ensure_authority(db.session, "unused-kek")
    db.session.commit()
    return softhsm_token


def test_db_upgrade_makes_the_ca_seal_and_tsa_keys_in_the_token(empty_app, softhsm_token, tmp_path):
    from portal.extensions import db

    prefix = f"u{uuid.uuid4().hex[:8]}"  # the token is the session's: labels of this test's own
    pin_file = tmp_path / "pin"
    pin_file.write_text(PIN + "\n")
    empty_app.config.update(
        _token_config(softhsm_token, prefix), PORTAL_PKCS11_PIN="", PORTAL_PKCS11_PIN_FILE=str(pin_file)
    )
    result = Runner(empty_app).invoke(args=["db", "upgrade"])
    assert result.exit_code == 0, result.output
    with empty_app.app_context():
        rows = {k.name: k for k in db.session.scalars(select(AuthorityKey))}
        assert set(rows) == {"ca", "seal", "tsa"}
        for name, row in rows.items():  # no private key in the database: a marker only
            assert row.private_key_encrypted == f"pkcs11:{prefix}-{name}"
            assert "PRIVATE KEY" not in row.private_key_encrypted
        ca_cert = x509.load_pem_x509_certificate(rows["ca"].certificate_pem.encode())
        seal_cert = x509.load_pem_x509_certificate(rows["seal"].certificate_pem.encode())
        tsa_cert = x509.load_pem_x509_certificate(rows["tsa"].certificate_pem.encode())
    objects = _token_objects(softhsm_token)
    for label in (f"{prefix}-ca", f"{prefix}-seal", f"{prefix}-tsa"):
        assert objects[label] == {"sensitive": True, "extractable": False}, objects
    ca_public = ca_cert.public_key()
    assert isinstance(ca_public, ec.EllipticCurvePublicKey)
    ca_cert.verify_directly_issued_by(ca_cert)
    seal_cert.verify_directly_issued_by(ca_cert)
    tsa_cert.verify_directly_issued_by(ca_cert)


def test_a_whole_agreement_signed_through_the_token(db, factory, token_authority, config_override, tmp_path):
    config_override(PORTAL_AUDIT_SEAL_DIR=str(tmp_path / "audit-seals"))  # this test's seals only
    agreement, _orgs, reps, _admin = factory.agreement(parties=3)
    _sign_all(db, agreement, reps)  # asserts the agreement entered into force
    pdf = _final(db, agreement)

    path = tmp_path / "in-force.pdf"
    path.write_bytes(pdf)
    pdfsig = subprocess.run(["pdfsig", str(path)], capture_output=True, text=True, timeout=60)
    assert pdfsig.stdout.count("Signature is Valid") == 4, pdfsig.stdout
    roots = authority.trust_roots(db.session)
    report = signing.verify(pdf, roots)
    assert report.ok, report.problems
    assert all(s.trusted for s in report.signatures)
    # every signature timestamped by the own TSA, whose key is in the token too
    assert all(s.timestamp is not None for s in report.signatures), report.signatures
    assert db.session.get(AuthorityKey, "tsa").private_key_encrypted.startswith("pkcs11:")
    long_term = signing.long_term_validation(pdf, roots)
    assert [r.indication for r in long_term] == ["PASSED"] * 4, long_term
    # the audit chain's head, sealed at entry into force by the seal key in the token
    seal = db.session.scalars(select(AuditSeal)).one()
    assert seal.reason == "entry_into_force" and seal.timestamped_at is not None
    assert seal_problems(db.session, str(tmp_path / "audit-seals")) == (1, [])

    ca_cert = x509.load_pem_x509_certificate(roots[0])
    for name in ("ca", "seal", "tsa"):
        row = db.session.get(AuthorityKey, name)
        certificate = x509.load_pem_x509_certificate(row.certificate_pem.encode())
        certificate.verify_directly_issued_by(ca_cert)
    credentials = db.session.scalars(
        select(SigningCredential).where(SigningCredential.user_id.in_([r.id for r in reps]))
    ).all()
    assert len(credentials) == 3
    for credential in credentials:
        x509.load_pem_x509_certificate(credential.certificate_pem.encode()).verify_directly_issued_by(ca_cert)


def test_the_crl_and_ocsp_answers_are_signed_in_the_token(db, factory, token_authority):
    ca_cert = x509.load_pem_x509_certificate(authority.ca_certificate_pem(db.session))
    crl = x509.load_der_x509_crl(authority.crl(db.session, "unused-kek", utcnow()))
    assert crl.is_signature_valid(ca_cert.public_key())

    seal_cert = x509.load_pem_x509_certificate(db.session.get(AuthorityKey, "seal").certificate_pem.encode())
    request = x509_ocsp.OCSPRequestBuilder().add_certificate(seal_cert, ca_cert, hashes.SHA256()).build()
    answer = x509_ocsp.load_der_ocsp_response(
        authority.ocsp(db.session, "unused-kek", request.public_bytes(serialization.Encoding.DER), utcnow())
    )
    assert answer.response_status is x509_ocsp.OCSPResponseStatus.SUCCESSFUL
    assert answer.certificate_status is x509_ocsp.OCSPCertStatus.GOOD
    public = ca_cert.public_key()
    assert isinstance(public, ec.EllipticCurvePublicKey)
    public.verify(answer.signature, answer.tbs_response_bytes, ec.ECDSA(answer.signature_hash_algorithm))


def test_a_revoked_signer_is_revoked_in_the_tokens_crl_and_ocsp_answer(db, factory, token_authority):
    """Deactivating a person revokes their certificate: the CRL and the OCSP answer, both
    signed in the token, say so."""
    _agreement, _orgs, reps, _admin = factory.agreement(parties=1)
    kek = "unused-kek"
    authority.unlock_signer(db.session, kek, reps[0], "pw", utcnow())
    credential = authority.current_credential(db.session, reps[0])
    certificate = x509.load_pem_x509_certificate(credential.certificate_pem.encode())
    assert authority.revoke_credentials(db.session, reps[0].id, "cessation_of_operation", utcnow()) == 1

    ca_cert = x509.load_pem_x509_certificate(authority.ca_certificate_pem(db.session))
    crl = x509.load_der_x509_crl(authority.crl(db.session, kek, utcnow()))
    assert crl.is_signature_valid(ca_cert.public_key())
    assert crl.get_revoked_certificate_by_serial_number(certificate.serial_number) is not None
    request = x509_ocsp.OCSPRequestBuilder().add_certificate(certificate, ca_cert, hashes.SHA256()).build()
    answer = x509_ocsp.load_der_ocsp_response(
        authority.ocsp(db.session, kek, request.public_bytes(serialization.Encoding.DER), utcnow())
    )
    assert answer.certificate_status is x509_ocsp.OCSPCertStatus.REVOKED
    assert answer.revocation_reason is x509.ReasonFlags.cessation_of_operation
    public = ca_cert.public_key()
    assert isinstance(public, ec.EllipticCurvePublicKey)
    public.verify(answer.signature, answer.tbs_response_bytes, ec.ECDSA(answer.signature_hash_algorithm))


def test_keys_in_the_database_move_into_the_token_and_the_ca_stays(
    app, db, factory, config_override, softhsm_token
):
    """An installation that began with its keys in the database moves them into the token with
    `portal authority move-to-token`: the same certificates, the keys sensitive and not
    extractable in the token, none left in the database; what was signed before still validates
    and a new agreement is signed through the token under the same CA."""
    first, _orgs, reps, _admin = factory.agreement(parties=2)
    _sign_all(db, first, reps)  # with the keys in the database (the own TSA's made on first use)
    before = {row.name: row.certificate_pem for row in db.session.scalars(select(AuthorityKey))}
    assert set(before) == {"ca", "seal", "tsa"}
    assert not any(
        row.private_key_encrypted.startswith("pkcs11:") for row in db.session.scalars(select(AuthorityKey))
    )
    prefix = f"m{uuid.uuid4().hex[:8]}"
    config_override(**_token_config(softhsm_token, prefix))

    result = app.test_cli_runner().invoke(args=["authority", "move-to-token"])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == ["ca: moved", "seal: moved", "tsa: moved"]
    db.session.expire_all()
    for row in db.session.scalars(select(AuthorityKey)):
        assert row.private_key_encrypted == f"pkcs11:{prefix}-{row.name}"
        assert row.certificate_pem == before[row.name]
    objects = _token_objects(softhsm_token)
    for name in ("ca", "seal", "tsa"):
        assert objects[f"{prefix}-{name}"] == {"sensitive": True, "extractable": False}, objects
    again = app.test_cli_runner().invoke(args=["authority", "move-to-token"])
    assert again.output.splitlines() == [
        "ca: already in the token",
        "seal: already in the token",
        "tsa: already in the token",
    ]

    roots = authority.trust_roots(db.session)
    assert roots == [before["ca"].encode()]
    assert signing.verify(_final(db, first), roots).ok
    second, _orgs, reps, _admin = factory.agreement(parties=2)
    _sign_all(db, second, reps)  # the seal, the CA (CRL, new certificates) and the TSA in the token
    pdf = _final(db, second)
    report = signing.verify(pdf, roots)
    assert report.ok and all(s.timestamp is not None for s in report.signatures), report.problems
    assert [r.indication for r in signing.long_term_validation(pdf, roots)] == ["PASSED"] * 3


def test_a_token_key_that_is_not_the_cas_is_refused_and_nothing_moves(
    app, db, config_override, softhsm_token
):
    prefix = f"w{uuid.uuid4().hex[:8]}"
    signing.pkcs11.generate_key(TokenKey(softhsm_token, LABEL, PIN, f"{prefix}-ca"))  # another key
    wrapped = db.session.get(AuthorityKey, "ca").private_key_encrypted
    config_override(**_token_config(softhsm_token, prefix))
    result = app.test_cli_runner().invoke(args=["authority", "move-to-token"])
    assert result.exit_code != 0
    assert "ca: the token's key" in result.output and "is not the key of the certificate" in result.output
    db.session.expire_all()
    assert db.session.get(AuthorityKey, "ca").private_key_encrypted == wrapped
    assert "PRIVATE KEY" in wrapped
