"""Archive-grade files made with pyHanko for the verification tests: signatures with a signature
timestamp from a TSA whose certificate the test CA issued, validation data (DSS) and document
timestamps added after the last signature."""

from __future__ import annotations

import io
from datetime import UTC, datetime, timedelta

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID
from pyhanko.keys import load_certs_from_pemder_data, load_private_key_from_pemder_data
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.sign.signers import PdfSigner, PdfTimeStamper
from pyhanko.sign.timestamps.dummy_client import DummyTimeStamper
from pyhanko.sign.validation.dss import DocumentSecurityStore
from pyhanko_certvalidator.registry import SimpleCertificateStore

import signing
from signing.pades import approval_metadata, simple_signer, stamp_style


def _cert(pem: bytes):
    return next(iter(load_certs_from_pemder_data(pem)))


def tsa(authority, days: int = 365) -> DummyTimeStamper:
    """A TSA with a certificate (time-stamping EKU) from `authority`, answering in process."""
    ca_key = serialization.load_pem_private_key(authority.key_pem, None)
    ca_cert = x509.load_pem_x509_certificate(authority.cert_pem)
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    now = datetime.now(UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Test TSA")]))
        .issuer_name(ca_cert.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(minutes=5))
        .not_valid_after(now + timedelta(days=days))
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.TIME_STAMPING]), critical=True)
        .sign(ca_key, hashes.SHA256())
    )
    key_pem = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    return DummyTimeStamper(
        tsa_cert=_cert(cert.public_bytes(serialization.Encoding.PEM)),
        tsa_key=load_private_key_from_pemder_data(key_pem, None),
        certs_to_embed=SimpleCertificateStore.from_certs([_cert(authority.cert_pem)]),
    )


def sign_timestamped(pdf: bytes, field: str, key: signing.SignerKey, timestamper: DummyTimeStamper) -> bytes:
    """An approval signature (PAdES B-T) into the existing field `field`."""
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf))
    signer = PdfSigner(
        approval_metadata(field, "Maija Meikäläinen", "Tampere"),
        simple_signer(key),
        timestamper=timestamper,
        stamp_style=stamp_style(f"Allekirjoittanut {field}"),
    )
    return bytes(signer.sign_pdf(writer, existing_fields_only=True).getvalue())


def add_dss(pdf: bytes, certificate_pems: list[bytes]) -> bytes:
    """An incremental update adding (or growing) the DSS with these certificates."""
    out = io.BytesIO(pdf)
    DocumentSecurityStore.add_dss(out, None, certs=[_cert(pem) for pem in certificate_pems], force_write=True)
    return out.getvalue()


def add_document_timestamp(pdf: bytes, timestamper: DummyTimeStamper) -> bytes:
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf))
    return bytes(PdfTimeStamper(timestamper).timestamp_pdf(writer, "sha256").getvalue())
