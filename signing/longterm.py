"""Long-term signatures (PAdES B-LT, B-LTA): validation data appended to a signed file's document
security store (DSS), a document timestamp as an archive's last revision, an RFC 3161 answer
from the portal's own TSA, and the AdES long-term validation of every signature with local data
only. Bytes in, bytes and a small report out."""

from __future__ import annotations

import asyncio
import io
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from asn1crypto import tsp
from pyhanko.keys import load_certs_from_pemder_data
from pyhanko.pdf_utils.generic import (
    ArrayObject,
    DictionaryObject,
    IndirectObject,
    NameObject,
    StreamObject,
)
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.signers import PdfTimeStamper
from pyhanko.sign.timestamps import TimeStamper
from pyhanko.sign.timestamps.dummy_client import DummyTimeStamper
from pyhanko.sign.validation.ades import ades_lta_validation, simulate_future_ades_lta_validation
from pyhanko.sign.validation.policy_decl import (
    PdfSignatureValidationSpec,
    RevinfoOnlineFetchingRule,
    RevocationInfoGatheringSpec,
    SignatureValidationSpec,
)
from pyhanko_certvalidator import ValidationContext
from pyhanko_certvalidator.context import CertValidationPolicySpec
from pyhanko_certvalidator.errors import InvalidCertificateError, PathBuildingError, PathValidationError
from pyhanko_certvalidator.fetchers.requests_fetchers import RequestsFetcherBackend
from pyhanko_certvalidator.policy_decl import CertRevTrustPolicy, RevocationCheckingPolicy
from pyhanko_certvalidator.registry import SimpleTrustManager

from signing.pades import DIGEST

#: the largest RFC 3161 request the portal's TSA reads: a hash, a policy, a nonce
MAX_TIMESTAMP_REQUEST = 4 * 1024


@dataclass(frozen=True)
class ValidationData:
    """What a DSS revision adds: certificates (PEM or DER), OCSP responses and CRLs (DER)."""

    certificates: tuple[bytes, ...] = ()
    ocsp_responses: tuple[bytes, ...] = ()
    crls: tuple[bytes, ...] = ()


@dataclass(frozen=True)
class LongTermReport:
    """One signature's (or document timestamp's) AdES long-term validation."""

    field_name: str
    indication: str
    passed: bool
    best_signature_time: datetime | None


def add_validation_data(pdf: bytes, data: ValidationData) -> bytes:
    """`pdf` plus one incremental revision that adds `data` to its DSS (created when absent):
    what pyHanko's difference analysis calls an LTA update. (A signature's own validation data
    goes into the signature's revision instead: signing.sign(..., validation=...).)"""
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf))
    write_validation_data(writer, data)
    output = io.BytesIO()
    writer.write(output)
    return output.getvalue()


def write_validation_data(writer: IncrementalPdfFileWriter, data: ValidationData) -> None:
    """Add `data` to the DSS of the revision `writer` is making (the DSS created when absent).
    The entries already there are kept by reference and never read, so the cost does not grow
    with the signatures before (pyHanko's DocumentSecurityStore re-reads and re-parses every
    certificate and CRL of the DSS); the caller adds each certificate once."""
    new = {
        "/Certs": [c.dump() for item in data.certificates for c in load_certs_from_pemder_data(item)],
        "/OCSPs": list(data.ocsp_responses),
        "/CRLs": list(data.crls),
    }
    root = writer.root
    existing = root.raw_get("/DSS") if "/DSS" in root else None
    dss = existing.get_object() if existing is not None else None
    if not isinstance(dss, DictionaryObject):
        dss = DictionaryObject({NameObject("/Type"): NameObject("/DSS")})
        root[NameObject("/DSS")] = writer.add_object(dss)
        writer.update_root()
    for key, items in new.items():
        if not items:
            continue
        before = dss.raw_get(key) if key in dss else ArrayObject()
        before = before.get_object() if isinstance(before, IndirectObject) else before
        refs = [before.raw_get(i) for i in range(len(before))] if isinstance(before, ArrayObject) else []
        refs += [writer.add_object(StreamObject(stream_data=der)) for der in items]
        dss[NameObject(key)] = ArrayObject(refs)
    writer.update_container(dss)


def tsa_validation_data(
    timestamper: TimeStamper, timeout: float = 10.0, known: frozenset[str] = frozenset()
) -> ValidationData:
    """An outside TSA's validation data: the certificates of its timestamp tokens' signer up to a
    self-signed root it sends with them (or that the certificates' AIA caIssuers URLs give), and the
    revocation data (CRL or OCSP) fetched from the URLs in each certificate below that root. The
    token is the one pyHanko asks the TSA for anyway to size a signature (cached on
    `timestamper`), so reusing the same stamper for the signature costs no extra request.
    `known`: SHA-256 fingerprints (hex) of certificates whose revocation data the caller adds
    itself (the portal's own CA and TSA, when the URL names the portal's own /pki/tsa): a TSA
    that sends only those needs nothing fetched, and its certificates are returned as they are.
    Raises ValueError when no path to a root can be built or no revocation data is found."""
    return asyncio.run(_tsa_validation_data(timestamper, timeout, known))


async def _tsa_validation_data(
    timestamper: TimeStamper, timeout: float, known: frozenset[str]
) -> ValidationData:
    token = await timestamper.async_dummy_response(DIGEST)
    sent = [c.chosen for c in token["content"]["certificates"] if c.name == "certificate"]
    if sent and all(c.sha256.hex() in known for c in sent):
        return ValidationData(certificates=tuple(c.dump() for c in sent))
    roots = [c for c in sent if c.self_signed in ("maybe", "yes")]
    context = ValidationContext(
        trust_roots=roots,
        other_certs=sent,
        allow_fetching=True,
        revocation_mode="require",
        fetchers=RequestsFetcherBackend(per_request_timeout=timeout).get_fetchers(),
    )
    certificates: dict[bytes, bytes] = {}
    try:
        async for path in timestamper.validation_paths(context):
            for cert in path:
                certificates.setdefault(cert.sha256, cert.dump())
    except (PathBuildingError, PathValidationError, InvalidCertificateError) as exc:
        raise ValueError(f"the TSA's certificate cannot be validated: {exc}"[:300]) from exc
    return ValidationData(
        certificates=tuple(certificates.values()),
        ocsp_responses=tuple(o.dump() for o in context.ocsps),
        crls=tuple(c.dump() for c in context.crls),
    )


def timestamp_document(pdf: bytes, timestamper: TimeStamper) -> bytes:
    """`pdf` plus a document timestamp (an invisible /DocTimeStamp field, RFC 3161, SHA-256)
    covering the whole file: the archive timestamp of PAdES B-LTA."""
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf))
    output = asyncio.run(PdfTimeStamper(timestamper).async_timestamp_pdf(writer, DIGEST))
    return bytes(output.getvalue())


def answer_timestamp_request(request_der: bytes, tsa: TimeStamper) -> bytes | None:
    """The TSA's RFC 3161 TimeStampResp (DER) to a TimeStampReq, or None for one that cannot be
    read (too long, not DER, an unknown hash algorithm)."""
    if len(request_der) > MAX_TIMESTAMP_REQUEST:
        return None
    try:
        request = tsp.TimeStampReq.load(request_der)
        _ = request.native  # parse it all now: a lazy parse would fail later, inside pyHanko
        if not isinstance(tsa, DummyTimeStamper):
            return None
        return bytes(asyncio.run(tsa.async_request_tsa_response(request)).dump())
    except Exception:  # noqa: BLE001 - any malformed request is refused alike
        return None


def long_term_validation(
    pdf: bytes, trust_roots_pem: Sequence[bytes], *, at: datetime | None = None
) -> tuple[LongTermReport, ...]:
    """Every signature and document timestamp validated as PAdES B-LTA (ETSI EN 319 102-1
    § 5.6.3) at `at` (default now) from the data in the file only: nothing fetched, revocation
    information required for every certificate below the trust roots. A future `at` is pyHanko's
    simulation of that day's validation: the file's objects known to exist now, the last
    timestamp's certificate taken as unrevoked then (nobody can hold revocation data from the
    future), every signer's certificate expired by then."""
    roots = [c for pem in trust_roots_pem for c in load_certs_from_pemder_data(pem)]
    policy = CertValidationPolicySpec(
        trust_manager=SimpleTrustManager.build(trust_roots=roots),
        revinfo_policy=CertRevTrustPolicy(RevocationCheckingPolicy.from_legacy("require")),
    )
    spec = PdfSignatureValidationSpec(
        SignatureValidationSpec(
            cert_validation_policy=policy,
            ts_cert_validation_policy=policy,
            revinfo_gathering_policy=RevocationInfoGatheringSpec(RevinfoOnlineFetchingRule.LOCAL_ONLY),
        )
    )
    reader = PdfFileReader(io.BytesIO(pdf))
    reports = []
    for sig in reader.embedded_regular_signatures:
        if at is None:
            result = asyncio.run(ades_lta_validation(sig, spec))
        else:
            result = asyncio.run(simulate_future_ades_lta_validation(sig, spec, at))
        reports.append(
            LongTermReport(
                sig.field_name,
                result.ades_subindic.status.name if result.ades_subindic else "UNKNOWN",
                result.ades_subindic.status.name == "PASSED",
                result.best_signature_time,
            )
        )
    return tuple(reports)
