"""What verify() and sign() say when something is wrong."""

from __future__ import annotations

import io
import re
from datetime import UTC, datetime, timedelta

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID
from pyhanko.keys import load_cert_from_pemder, load_private_key_from_pemder_data
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.sign.signers import PdfTimeStamper
from pyhanko.sign.timestamps.dummy_client import DummyTimeStamper
from pyhanko_certvalidator.registry import SimpleCertificateStore

import signing
from tests.unit.signing.conftest import make_authority, stamp


def codes(report: signing.VerificationReport) -> set[str]:
    return {p.code for p in report.problems}


def problem_fields(report: signing.VerificationReport, code: str) -> set[str | None]:
    return {p.field_name for p in report.problems if p.code == code}


@pytest.fixture(scope="module")
def three_signed(small_prepared, parties, authority) -> bytes:
    pdf = small_prepared
    for i, (name, business_id) in enumerate(parties[:3], start=1):
        pdf = signing.sign(
            pdf, f"party-{i:02d}", authority.signer("Maija Meikäläinen", name, business_id), stamp(name)
        )
    return pdf


def check(pdf: bytes, authority, **kwargs) -> signing.VerificationReport:
    return signing.verify(pdf, [authority.cert_pem], certifier_sha256=authority.seal_sha256, **kwargs)


def test_the_three_party_document_is_valid(three_signed, authority):
    report = check(three_signed, authority)
    assert report.ok, report.problems
    assert len(report.signatures) == 4


def test_one_changed_byte_in_signed_content_breaks_the_signatures(three_signed, authority):
    # a byte in the middle of the first page's (compressed) content stream
    match = re.search(rb"stream\r?\n", three_signed)
    assert match is not None
    position = match.end() + 40
    tampered = bytearray(three_signed)
    tampered[position] ^= 0x01
    report = check(bytes(tampered), authority)
    assert not report.ok
    assert "invalid_signature" in codes(report)
    assert problem_fields(report, "invalid_signature") == {
        signing.CERTIFICATION_FIELD,
        "party-01",
        "party-02",
        "party-03",
    }
    assert not any(s.intact for s in report.signatures)


def test_bytes_after_the_last_eof_are_not_covered(three_signed, authority):
    report = check(three_signed + b"\n% trailing garbage\n", authority)
    assert not report.ok
    assert codes(report) == {"not_covering_whole_file"}
    assert problem_fields(report, "not_covering_whole_file") == {"party-03"}


def test_an_incremental_update_changing_page_content_is_caught(three_signed, authority):
    writer = IncrementalPdfFileWriter(io.BytesIO(three_signed))
    overlay = generic.StreamObject(stream_data=b"q 1 0 0 rg 50 50 200 40 re f Q")
    writer.add_stream_to_page(0, writer.add_object(overlay))
    out = io.BytesIO()
    writer.write(out)
    report = check(out.getvalue(), authority)
    assert not report.ok
    assert "modified_after_signing" in codes(report)
    assert problem_fields(report, "modified_after_signing") == {
        signing.CERTIFICATION_FIELD,
        "party-01",
        "party-02",
        "party-03",
    }
    assert {s.modification_level for s in report.signatures} == {"OTHER"}
    assert "not_covering_whole_file" in codes(report)


def test_a_signer_of_another_organisation_is_the_wrong_signer(small_prepared, parties, authority):
    other_name, other_id = parties[5]
    pdf = signing.sign(
        small_prepared, "party-01", authority.signer("Ville Väärä", other_name, other_id), stamp(other_name)
    )
    report = check(pdf, authority)
    assert problem_fields(report, "wrong_signer") == {"party-01"}
    assert "unsigned_field" in codes(report)


def test_another_certificate_than_the_expected_one_is_the_wrong_signer(three_signed, parties, authority):
    expected = [
        signing.ExpectedSigner(f"party-{i:02d}", business_id, "ab" * 32 if i == 2 else None)
        for i, (_, business_id) in enumerate(parties[:3], start=1)
    ]
    report = check(three_signed, authority, expected=expected)
    assert [(p.code, p.field_name) for p in report.problems] == [("wrong_signer", "party-02")]


def test_a_partly_signed_document_names_the_unsigned_fields(small_prepared, parties, authority):
    name, business_id = parties[0]
    pdf = signing.sign(
        small_prepared, "party-01", authority.signer("Maija Meikäläinen", name, business_id), stamp(name)
    )
    report = check(pdf, authority)
    assert not report.ok
    assert [(p.code, p.field_name) for p in report.problems] == [
        ("unsigned_field", "party-02"),
        ("unsigned_field", "party-03"),
    ]
    assert all(s.intact and s.valid and s.trusted for s in report.signatures)


def test_a_signature_outside_the_expected_fields_is_unexpected(three_signed, parties, authority):
    expected = [
        signing.ExpectedSigner(f"party-{i:02d}", business_id)
        for i, (_, business_id) in enumerate(parties[:2], start=1)
    ]
    report = check(three_signed, authority, expected=expected)
    assert [(p.code, p.field_name) for p in report.problems] == [("unexpected_signature", "party-03")]


def test_a_field_added_and_signed_after_certification_is_unexpected(three_signed, parties, authority):
    from pyhanko.sign.fields import SigFieldSpec
    from pyhanko.sign.signers import PdfSignatureMetadata, PdfSigner

    from signing.pades import simple_signer

    name, business_id = parties[0]
    key = authority.signer("Maija Meikäläinen", name, business_id)
    writer = IncrementalPdfFileWriter(io.BytesIO(three_signed))
    pdf = (
        PdfSigner(
            PdfSignatureMetadata(field_name="extra", subfilter=None),
            simple_signer(key),
            new_field_spec=SigFieldSpec("extra"),
        )
        .sign_pdf(writer)
        .getvalue()
    )
    report = check(pdf, authority)
    assert ("unexpected_signature", "extra") in [(p.code, p.field_name) for p in report.problems]
    assert not report.ok


def test_signing_a_field_twice_is_refused(three_signed, parties, authority):
    name, business_id = parties[0]
    key = authority.signer("Maija Meikäläinen", name, business_id)
    with pytest.raises(signing.SigningRefused) as refused:
        signing.sign(three_signed, "party-01", key, stamp(name))
    assert refused.value.code == "already_signed"
    with pytest.raises(signing.SigningRefused) as refused:
        signing.sign(three_signed, signing.CERTIFICATION_FIELD, key, stamp(name))
    assert refused.value.code == "already_signed"


def test_signing_an_unknown_field_is_refused(small_prepared, parties, authority):
    name, business_id = parties[0]
    with pytest.raises(signing.SigningRefused) as refused:
        signing.sign(
            small_prepared, "party-99", authority.signer("Maija Meikäläinen", name, business_id), stamp(name)
        )
    assert refused.value.code == "no_such_field"


def test_a_wrong_passphrase_does_not_sign(small_prepared, parties, authority):
    name, business_id = parties[0]
    key = authority.signer("Maija Meikäläinen", name, business_id, passphrase=b"right")
    wrong = signing.SignerKey(key.private_key_pem, b"wrong", key.certificate_pem, key.chain_pem)
    with pytest.raises(ValueError):
        signing.sign(small_prepared, "party-01", wrong, stamp(name))


def test_an_untrusted_root_or_another_certifier_fails(three_signed, authority):
    stranger = make_authority()
    report = signing.verify(three_signed, [stranger.cert_pem])
    assert problem_fields(report, "invalid_signature") == {
        signing.CERTIFICATION_FIELD,
        "party-01",
        "party-02",
        "party-03",
    }
    assert not any(s.trusted for s in report.signatures)
    report = signing.verify(three_signed, [authority.cert_pem], certifier_sha256=stranger.seal_sha256)
    assert [(p.code, p.field_name) for p in report.problems] == [
        ("wrong_signer", signing.CERTIFICATION_FIELD)
    ]


def test_an_uncertified_document_is_not_valid(agreement, parties, authority):
    from pyhanko.sign.fields import SigFieldSpec
    from pyhanko.sign.signers import PdfSignatureMetadata, PdfSigner

    from signing.pades import simple_signer

    name, business_id = parties[0]
    writer = IncrementalPdfFileWriter(io.BytesIO(signing.normalise(agreement)))
    key = authority.signer("Maija Meikäläinen", name, business_id)
    pdf = (
        PdfSigner(
            PdfSignatureMetadata(field_name="party-01"),
            simple_signer(key),
            new_field_spec=SigFieldSpec("party-01"),
        )
        .sign_pdf(writer)
        .getvalue()
    )
    report = check(pdf, authority)
    assert ("not_certified", "party-01") in [(p.code, p.field_name) for p in report.problems]


def test_broken_files_give_a_report_not_an_exception(three_signed, authority):
    for broken in (
        b"",
        b"not a pdf",
        three_signed[: len(three_signed) // 2],
        three_signed.replace(b"/ByteRange", b"/ByteRangX"),
    ):
        report = check(broken, authority)
        assert not report.ok
        assert report.problems


def test_a_document_timestamp_may_follow_the_last_signature(three_signed, authority):
    tsa_cert, tsa_key = _tsa(authority)
    timestamper = DummyTimeStamper(
        tsa_cert=load_cert_from_pemder_data(tsa_cert),
        tsa_key=load_private_key_from_pemder_data(tsa_key, None),
        certs_to_embed=SimpleCertificateStore.from_certs([load_cert_from_pemder_data(authority.cert_pem)]),
    )
    writer = IncrementalPdfFileWriter(io.BytesIO(three_signed))
    out = PdfTimeStamper(timestamper).timestamp_pdf(writer, "sha256")
    report = check(out.getvalue(), authority)
    assert report.ok, report.problems
    assert len(report.signatures) == 5
    assert report.signatures[-1].coverage == "ENTIRE_FILE"
    assert report.signatures[-2].modification_level == "LTA_UPDATES"


def load_cert_from_pemder_data(pem: bytes):
    from pyhanko.keys import load_certs_from_pemder_data

    return next(iter(load_certs_from_pemder_data(pem)))


def _tsa(authority) -> tuple[bytes, bytes]:
    ca_key = serialization.load_pem_private_key(authority.key_pem, None)
    ca_cert = x509.load_pem_x509_certificate(authority.cert_pem)
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)  # pyHanko's dummy TSA
    now = datetime.now(UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Test TSA")]))
        .issuer_name(ca_cert.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(minutes=5))
        .not_valid_after(now + timedelta(days=1))
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.TIME_STAMPING]), critical=True)
        .sign(ca_key, hashes.SHA256())
    )
    key_pem = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    return cert.public_bytes(serialization.Encoding.PEM), key_pem


del load_cert_from_pemder
