"""The "own tool" of the tests: a certification authority that is not the portal's (as a
citizen-certificate CA would be), its PKCS#12 files for people, and pyHanko signing a party's
field with one of them, as a representative would with their own software and card."""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.sign import fields, signers

P12_PASSWORD = b"own card"


@dataclass(frozen=True)
class OwnCa:
    key: ec.EllipticCurvePrivateKey
    certificate: x509.Certificate

    @property
    def pem(self) -> bytes:
        return self.certificate.public_bytes(serialization.Encoding.PEM)

    def person(self, name: str, email: str | None) -> bytes:
        """A PKCS#12 (password P12_PASSWORD) of a person's key, certificate and this CA."""
        key = ec.generate_private_key(ec.SECP256R1())
        now = datetime.now(UTC)
        builder = (
            x509.CertificateBuilder()
            .subject_name(
                x509.Name(
                    [
                        x509.NameAttribute(NameOID.COUNTRY_NAME, "FI"),
                        x509.NameAttribute(NameOID.COMMON_NAME, name),
                    ]
                )
            )
            .issuer_name(self.certificate.subject)
            .public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - timedelta(days=1))
            .not_valid_after(now + timedelta(days=365))
            .add_extension(
                x509.KeyUsage(True, True, False, False, False, False, False, False, False), critical=True
            )
        )
        if email:
            builder = builder.add_extension(
                x509.SubjectAlternativeName([x509.RFC822Name(email)]), critical=False
            )
        cert = builder.sign(self.key, hashes.SHA256())
        return pkcs12.serialize_key_and_certificates(
            b"own", key, cert, [self.certificate], serialization.BestAvailableEncryption(P12_PASSWORD)
        )


def own_ca(name: str = "Test Citizen CA") -> OwnCa:
    key = ec.generate_private_key(ec.SECP256R1())
    subject = x509.Name(
        [x509.NameAttribute(NameOID.COUNTRY_NAME, "FI"), x509.NameAttribute(NameOID.COMMON_NAME, name)]
    )
    now = datetime.now(UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(days=1))
        .not_valid_after(now + timedelta(days=3650))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(False, False, False, False, False, True, True, False, False), critical=True
        )
        .sign(key, hashes.SHA256())
    )
    return OwnCa(key, cert)


def sign_with_own_tool(pdf: bytes, field_name: str, p12: bytes) -> bytes:
    """pyHanko signing the existing field `field_name` with the PKCS#12 `p12` (PAdES)."""
    signer = signers.SimpleSigner.load_pkcs12_data(p12, other_certs=(), passphrase=P12_PASSWORD)
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf))
    meta = signers.PdfSignatureMetadata(
        field_name=field_name, md_algorithm="sha256", subfilter=fields.SigSeedSubFilter.PADES
    )
    return bytes(signers.PdfSigner(meta, signer).sign_pdf(writer, existing_fields_only=True).getvalue())
