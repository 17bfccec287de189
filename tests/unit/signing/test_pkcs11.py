"""Keys in a PKCS#11 token (issue 10, item 6): with the CA's and the seal's keys generated in
SoftHSM2, the CA issues the seal's and three representatives' certificates, the seal certifies
the prepared agreement, the three parties sign, and the whole file verifies."""

import pytest

__all__ = ["softhsm_token"]  # the session fixture, imported
from cryptography import x509
from cryptography.x509.oid import NameOID

import signing
from signing.model import TokenKey
from signing.pkcs11 import certify_with_token, create_token_authority, issue_for_token_key
from tests.pkcs11token import LABEL, PIN, softhsm_token
from tests.unit.signing import samples
from tests.unit.signing.conftest import slots_for, stamp


@pytest.fixture
def token(softhsm_token):
    return softhsm_token


def test_a_whole_agreement_with_the_ca_and_seal_keys_in_softhsm2(token):
    ca = TokenKey(token, LABEL, PIN, "sopu-ca")
    seal = TokenKey(token, LABEL, PIN, "sopu-seal")
    ca_cert = create_token_authority(ca)
    seal_cert = issue_for_token_key(
        ca,
        ca_cert,
        seal,
        x509.Name(
            [
                x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Sopu"),
                x509.NameAttribute(NameOID.COMMON_NAME, "Sopu document seal"),
            ]
        ),
    )
    certifier = signing.SignerKey(b"", None, seal_cert, (ca_cert,), token=seal)
    parties = samples.parties(3)
    throwaway_ca_key, _ = signing.create_authority()
    keys = []
    for i, (name, business_id) in enumerate(parties, start=1):
        key, draft = signing.issue_certificate(
            throwaway_ca_key,
            None,
            ca_cert,
            person_name=f"Edustaja {i}",
            organisation=name,
            business_id=business_id,
            email=f"edustaja{i}@example.fi",
        )
        keys.append(signing.SignerKey(key, None, certify_with_token(draft, ca, ca_cert), (ca_cert,)))
    pdf = signing.prepare(samples.agreement_pdf(1), slots_for(parties), certifier, title=samples.TITLE)
    for i, ((name, _), key) in enumerate(zip(parties, keys, strict=True), start=1):
        pdf = signing.sign(pdf, f"party-{i:02d}", key, stamp(name))
    report = signing.verify(pdf, [ca_cert], certifier_sha256=signing.certificate_sha256(seal_cert))
    assert report.ok, report.problems
    assert len(report.signatures) == 4 and all(s.trusted for s in report.signatures)


def test_a_certificate_the_token_did_not_sign_is_not_trusted(token):
    ca = TokenKey(token, LABEL, PIN, "sopu-ca-2")
    ca_cert = create_token_authority(ca)
    throwaway_ca_key, _ = signing.create_authority()
    parties = samples.parties(1)
    key, draft = signing.issue_certificate(
        throwaway_ca_key,
        None,
        ca_cert,
        person_name="Edustaja",
        organisation=parties[0][0],
        business_id=parties[0][1],
        email="e@example.fi",
    )
    seal_key, seal_cert = signing.issue_seal_certificate(throwaway_ca_key, None, ca_cert)
    certifier = signing.SignerKey(seal_key, None, certify_with_token(seal_cert, ca, ca_cert), (ca_cert,))
    pdf = signing.prepare(samples.agreement_pdf(1), slots_for(parties), certifier, title=samples.TITLE)
    pdf = signing.sign(pdf, "party-01", signing.SignerKey(key, None, draft, (ca_cert,)), stamp(parties[0][0]))
    report = signing.verify(pdf, [ca_cert])
    assert not report.ok
    assert any(p.code == "invalid_signature" and p.field_name == "party-01" for p in report.problems)
