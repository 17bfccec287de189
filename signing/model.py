"""Plain data passed in and out of the signing package: no behaviour beyond tiny properties."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

CERTIFICATION_FIELD = "sopu-certification"


@dataclass(frozen=True)
class Limits:
    """Bounds for handling an untrusted upload. `memory_bytes` is the address space the isolated
    worker may add to what it inherited from the parent at fork time."""

    max_bytes: int = 50 * 1024 * 1024
    max_pages: int = 2000
    seconds: float = 20.0
    memory_bytes: int = 1024**3


@dataclass(frozen=True)
class PdfFacts:
    """What check_pdf() found out about an upload."""

    page_count: int
    encrypted: bool
    has_javascript: bool
    has_launch_action: bool
    has_embedded_files: bool
    has_signatures: bool
    pdf_version: str
    #: other active content that keeps the file from signature, by kind (a PdfRejected code)
    active_content: tuple[str, ...] = ()


@dataclass(frozen=True)
class SignatureSlot:
    """One party's place on the signature page; `field_name` is ASCII and unique."""

    field_name: str
    party_name: str
    business_id: str


@dataclass(frozen=True)
class TokenKey:
    """A private key in a PKCS#11 token (signing.pkcs11): the module (a .so path), the token's
    label, the user PIN and the key's label (CKA_LABEL)."""

    module: str
    token_label: str
    pin: str
    key_label: str


@dataclass(frozen=True)
class SignerKey:
    """A signer's key (PKCS#8 PEM, possibly encrypted with `passphrase`) and certificates; or,
    with `token`, a key in a PKCS#11 token (then `private_key_pem` is unused)."""

    private_key_pem: bytes
    passphrase: bytes | None
    certificate_pem: bytes
    chain_pem: tuple[bytes, ...] = ()
    token: TokenKey | None = None


@dataclass(frozen=True)
class StampText:
    """What the visible stamp of an approval signature says; `signed_at` is tz-aware."""

    signer_name: str
    party_name: str
    place: str
    signed_at: datetime
    language: str = "fi"
    #: the title the signer signs with (their signing authority), e.g. "kaupunginjohtaja"
    signer_title: str = ""


@dataclass(frozen=True)
class ExpectedSigner:
    """A field that must be signed by the party with `business_id` (and, when given, by exactly
    the certificate whose SHA-256 fingerprint is `certificate_sha256`, lower-case hex)."""

    field_name: str
    business_id: str
    certificate_sha256: str | None = None


@dataclass(frozen=True)
class SignatureReport:
    """The validation result of one embedded signature, in file order."""

    field_name: str
    signer_name: str
    organisation: str
    business_id: str | None
    certificate_sha256: str
    signed_at: datetime | None
    is_certification: bool
    intact: bool
    valid: bool
    trusted: bool
    coverage: str
    modification_level: str
    docmdp_ok: bool | None
    summary: str
    #: a document timestamp (/DocTimeStamp), not a person's signature
    is_timestamp: bool = False
    #: the time of its trusted signature timestamp (or of the document timestamp itself)
    timestamp: datetime | None = None
    #: the moment its certificates were validated at: the earliest trusted timestamp covering it
    validated_at: datetime | None = None
    #: timestamped, and the file carries validation data (a DSS): verifiable after expiry
    long_term: bool = False


@dataclass(frozen=True)
class Problem:
    """A violated rule; `code` is machine readable, `detail` English for logs."""

    code: str
    field_name: str | None
    detail: str


@dataclass(frozen=True)
class DocumentId:
    """Which of the portal's documents a file is: written into the prepared PDF's document
    information dictionary (SOPU_ID_KEY) as "agreement=1;document=2;version=3"."""

    agreement: int
    document: int
    version: int

    def text(self) -> str:
        return f"agreement={self.agreement};document={self.document};version={self.version}"

    @classmethod
    def parse(cls, text: str) -> DocumentId | None:
        try:
            values = dict(part.split("=", 1) for part in text.split(";"))
            return cls(int(values["agreement"]), int(values["document"]), int(values["version"]))
        except (KeyError, ValueError):
            return None


SOPU_ID_KEY = "/SopuDocument"


@dataclass(frozen=True)
class VerificationReport:
    """Every signature's report plus the agreement-level problems found."""

    signatures: tuple[SignatureReport, ...]
    problems: tuple[Problem, ...]
    #: the SHA-256 of the whole file, lower-case hex
    sha256: str = ""
    #: the portal's identifier written into the prepared document (see DocumentId), if any
    document: DocumentId | None = None

    @property
    def ok(self) -> bool:
        """True when there is at least one signature and no problem at all."""
        return bool(self.signatures) and not self.problems
