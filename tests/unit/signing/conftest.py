"""Session fixtures for the signing tests: a CA, a seal, 25 parties with their own keys, the
sample agreement prepared for signature and the same document signed by everyone."""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

import signing
from tests.unit.signing import samples

HELSINKI = ZoneInfo("Europe/Helsinki")
SEAL_PASSPHRASE = b"seal passphrase"


@dataclass(frozen=True)
class Authority:
    key_pem: bytes
    cert_pem: bytes
    certifier: signing.SignerKey

    @property
    def seal_sha256(self) -> str:
        return signing.certificate_sha256(self.certifier.certificate_pem)

    def signer(
        self, person: str, organisation: str, business_id: str, passphrase: bytes | None = None
    ) -> signing.SignerKey:
        key, cert = signing.issue_certificate(
            self.key_pem,
            None,
            self.cert_pem,
            person_name=person,
            organisation=organisation,
            business_id=business_id,
            email=f"{person.split()[0].lower()}@example.fi",
        )
        if passphrase is not None:
            key = signing.encrypt_private_key(key, passphrase)
        return signing.SignerKey(key, passphrase, cert, (self.cert_pem,))


def make_authority() -> Authority:
    key, cert = signing.create_authority()
    seal_key, seal_cert = signing.issue_seal_certificate(key, None, cert)
    certifier = signing.SignerKey(
        signing.encrypt_private_key(seal_key, SEAL_PASSPHRASE), SEAL_PASSPHRASE, seal_cert, (cert,)
    )
    return Authority(key, cert, certifier)


def slots_for(parties: list[tuple[str, str]]) -> list[signing.SignatureSlot]:
    return [
        signing.SignatureSlot(f"party-{i:02d}", name, business_id)
        for i, (name, business_id) in enumerate(parties, start=1)
    ]


def stamp(party: str, language: str = "fi") -> signing.StampText:
    return signing.StampText(
        signer_name="Maija Meikäläinen",
        party_name=party,
        place="Tampere",
        signed_at=datetime(2026, 11, 23, 14, 5, tzinfo=HELSINKI),
        language=language,
    )


@pytest.fixture(scope="session")
def authority() -> Authority:
    return make_authority()


@pytest.fixture(scope="session")
def parties() -> list[tuple[str, str]]:
    return samples.parties(25)


@pytest.fixture(scope="session")
def signer_keys(authority, parties) -> list[signing.SignerKey]:
    return [
        authority.signer(f"Edustaja {i} Äyräpää", name, business_id, b"pw %d" % i)
        for i, (name, business_id) in enumerate(parties, start=1)
    ]


@pytest.fixture(scope="session")
def agreement() -> bytes:
    return samples.agreement_pdf(3)


@pytest.fixture(scope="session")
def prepared(agreement, parties, authority) -> bytes:
    return signing.prepare(agreement, slots_for(parties), authority.certifier, title=samples.TITLE)


@pytest.fixture(scope="session")
def fully_signed(prepared, parties, signer_keys) -> bytes:
    pdf = prepared
    for i, ((name, _), key) in enumerate(zip(parties, signer_keys, strict=True), start=1):
        pdf = signing.sign(pdf, f"party-{i:02d}", key, stamp(name))
    return pdf


@pytest.fixture(scope="session")
def small_prepared(agreement, parties, authority) -> bytes:
    """The agreement prepared for the first three parties only (quicker tampering tests)."""
    return signing.prepare(agreement, slots_for(parties[:3]), authority.certifier, title=samples.TITLE)


@pytest.fixture(scope="session")
def poppler() -> None:
    missing = [tool for tool in ("pdfsig", "pdftotext") if shutil.which(tool) is None]
    if missing:
        pytest.fail(f"poppler-utils missing ({', '.join(missing)}): apt-get install poppler-utils")
