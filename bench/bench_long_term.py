"""Long-term signature benchmark (PAdES B-T, B-LT, B-LTA as the portal makes them): the k-th
signature's CPU cost for k = 1..25 (the signature with its RFC 3161 timestamp from the in-process
TSA and its validation data in the DSS of its own revision, then the check of the new revision),
beside the earlier way (a DSS revision of its own before each signature), with the least-squares
slope of each; the entry into force (fresh validation data and the document timestamp), then the
whole file's verification (signing.verify) and its AdES long-term validation (now and in 2040),
with peak memory. For comparison, signing.verify of the same agreement signed B-B.

Run from the repository root:  .venv/bin/python bench/bench_long_term.py [--sign-only]
(--sign-only stops after the entry into force and the whole file's verification: the AdES
validation takes minutes.) CPU time (time.process_time: the TSA runs in process) is the figure
that holds on a shared machine. Prints figures only; asserts nothing."""

from __future__ import annotations

import gc
import io
import statistics
import sys
import time
import tracemalloc
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from reportlab.lib.pagesizes import A4
from reportlab.pdfgen.canvas import Canvas

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import signing  # noqa: E402
from signing.ca import business_id_check_digit  # noqa: E402
from signing.seal import issue_tsa_certificate, local_timestamper  # noqa: E402

PARTIES = 25
RUNS = 3
POINTERS = signing.Pointers.under("https://sopu.example.fi")


def timed(func: Callable[..., Any], *args: Any) -> tuple[Any, float]:
    started = time.perf_counter()
    result = func(*args)
    return result, (time.perf_counter() - started) * 1000


def cpu_timed(func: Callable[..., Any], *args: Any) -> tuple[Any, float]:
    started = time.process_time()
    result = func(*args)
    return result, (time.process_time() - started) * 1000


def median_of(func: Callable[..., Any], *args: Any) -> tuple[Any, float]:
    """The median CPU ms of RUNS calls and the last result."""
    results = [cpu_timed(func, *args) for _ in range(RUNS)]
    return results[-1][0], statistics.median(ms for _, ms in results)


def slope(costs: list[float]) -> float:
    """The least-squares slope of `costs` over k = 1, 2, ... (ms per signature before)."""
    ks = range(1, len(costs) + 1)
    mean_k, mean_c = statistics.mean(ks), statistics.mean(costs)
    return sum((k - mean_k) * (c - mean_c) for k, c in zip(ks, costs, strict=True)) / sum(
        (k - mean_k) ** 2 for k in ks
    )


def traced_peak(func: Callable[..., Any], *args: Any) -> int:
    gc.collect()
    tracemalloc.start()
    try:
        func(*args)
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def agreement_pdf(pages: int = 3) -> bytes:
    out = io.BytesIO()
    canvas = Canvas(out, pagesize=A4)
    for page in range(1, pages + 1):
        canvas.setFont("Helvetica", 11)
        for line in range(40):
            canvas.drawString(60, 780 - 18 * line, f"Yhteistyosopimus, sivu {page}, kohta {line + 1}.")
        canvas.showPage()
    canvas.save()
    return out.getvalue()


def business_ids(count: int) -> list[str]:
    found, n = [], 2000000
    while len(found) < count:
        digit = business_id_check_digit(str(n))
        if digit is not None:
            found.append(f"{n}-{digit}")
        n += 37
    return found


class Portal:
    """The CA, seal, TSA and parties, and what the portal does at each step (its CRL made in
    process, as portal.authority.services does)."""

    def __init__(self) -> None:
        self.ca_key, self.ca_cert = signing.create_authority()
        seal_key, seal_cert = signing.issue_seal_certificate(
            self.ca_key, None, self.ca_cert, pointers=POINTERS
        )
        self.seal = signing.SignerKey(seal_key, None, seal_cert, (self.ca_cert,))
        tsa_key, self.tsa_cert = issue_tsa_certificate(self.ca_key, None, self.ca_cert, pointers=POINTERS)
        self.tsa = local_timestamper(signing.SignerKey(tsa_key, None, self.tsa_cert, (self.ca_cert,)))
        self.parties = []
        for i, business_id in enumerate(business_ids(PARTIES), start=1):
            key, cert = signing.issue_certificate(
                self.ca_key,
                None,
                self.ca_cert,
                person_name=f"Edustaja {i}",
                organisation=f"Kunta {i}",
                business_id=business_id,
                email=f"edustaja{i}@example.fi",
                pointers=POINTERS,
            )
            self.parties.append(
                (f"party-{i:02d}", business_id, signing.SignerKey(key, None, cert, (self.ca_cert,)))
            )

    def slots(self) -> list[signing.SignatureSlot]:
        return [
            signing.SignatureSlot(f, f"Kunta {i}", b) for i, (f, b, _k) in enumerate(self.parties, start=1)
        ]

    def validation_data(self, *certificates: bytes) -> signing.ValidationData:
        now = datetime.now(UTC).replace(microsecond=0)
        crl = signing.certificate_revocation_list(self.ca_key, None, self.ca_cert, [], now=now, number=1)
        return signing.ValidationData(certificates, crls=(crl,))

    def sign(self, pdf: bytes, index: int, long_term: bool, separate_dss: bool = False) -> bytes:
        """The index-th party's signature as portal.documents.services.sign makes it (B-LT: the
        validation data in the signature's revision; `separate_dss`: in a revision before it)."""
        field, business_id, key = self.parties[index]
        stamp = signing.StampText(
            f"Edustaja {index + 1}", f"Kunta {index + 1}", "Tampere", datetime.now(HELSINKI)
        )
        data = self.validation_data(key.certificate_pem) if long_term else None
        before = signing.add_validation_data(pdf, data) if data and separate_dss else pdf
        own = None if separate_dss else data
        signed = signing.sign(before, field, key, stamp, self.tsa if long_term else None, validation=own)
        expected = signing.ExpectedSigner(field, business_id)
        if not signing.verify_latest_revision(signed, before, expected, [self.ca_cert]).ok:
            raise SystemExit(f"signature {index + 1} did not verify")
        return signed

    def enter_into_force(self, pdf: bytes) -> bytes:
        return signing.timestamp_document(signing.add_validation_data(pdf, self.validation_data()), self.tsa)


HELSINKI = ZoneInfo("Europe/Helsinki")


def main() -> None:
    portal = Portal()
    prepared = signing.prepare(
        agreement_pdf(), portal.slots(), portal.seal, title="Sopimus", timestamper=portal.tsa
    )
    prepared = signing.add_validation_data(
        prepared, portal.validation_data(portal.ca_cert, portal.seal.certificate_pem, portal.tsa_cert)
    )
    print(f"prepared: {len(prepared) // 1024} KiB; {PARTIES} parties; median CPU of {RUNS} runs per step")
    pdf, costs = prepared, []
    separate, separate_costs = prepared, []
    print(" k   sign B-LT, CPU ms   file (KiB)   separate DSS revision, CPU ms   file (KiB)")
    before_last = pdf
    for index in range(PARTIES):
        before_last = pdf
        pdf, ms = median_of(portal.sign, pdf, index, True)
        separate, ms_separate = median_of(portal.sign, separate, index, True, True)
        costs.append(ms)
        separate_costs.append(ms_separate)
        print(
            f"{index + 1:2d}   {ms:17.0f}   {len(pdf) // 1024:10d}   {ms_separate:29.0f}   "
            f"{len(separate) // 1024:10d}"
        )
    for label, series in (("one revision", costs), ("separate DSS revision", separate_costs)):
        print(
            f"sign with timestamp and DSS ({label}), CPU: median {statistics.median(series):.0f} ms; "
            f"k=1..5 {statistics.median(series[:5]):.0f} ms, "
            f"k=21..25 {statistics.median(series[-5:]):.0f} ms; "
            f"slope {slope(series):+.1f} ms per k"
        )
    peak_sign = traced_peak(portal.sign, before_last, PARTIES - 1, True)
    final, ms = median_of(portal.enter_into_force, pdf)
    print(f"entry into force (DSS + document timestamp): {ms:.0f} ms; final file {len(final) // 1024} KiB")

    roots = [portal.ca_cert]
    seal_sha = signing.certificate_sha256(portal.seal.certificate_pem)
    report, ms_verify = cpu_timed(lambda: signing.verify(final, roots, certifier_sha256=seal_sha))
    count = len(report.signatures)
    print(f"signing.verify, whole file: {ms_verify / 1000:.1f} s CPU, ok={report.ok}, {count} signatures")
    if "--sign-only" in sys.argv:
        return
    lta, ms_lta = timed(signing.long_term_validation, final, roots)
    passed = sum(r.passed for r in lta)
    print(f"AdES long-term validation now: {ms_lta / 1000:.1f} s, {passed}/{len(lta)} PASSED")
    in_2040 = datetime(2040, 1, 1, tzinfo=UTC)
    later, ms_later = timed(lambda: signing.long_term_validation(final, roots, at=in_2040))
    passed = sum(r.passed for r in later)
    print(f"AdES long-term validation at 2040-01-01: {ms_later / 1000:.1f} s, {passed}/{len(later)} PASSED")
    peak_verify = traced_peak(lambda: signing.verify(final, roots, certifier_sha256=seal_sha))
    print(f"peak memory (tracemalloc): sign k={PARTIES} {peak_sign / 2**20:.1f} MiB,", end=" ")
    print(f"whole-file verify {peak_verify / 2**20:.1f} MiB")

    plain = signing.prepare(agreement_pdf(), portal.slots(), portal.seal, title="Sopimus")
    for index in range(PARTIES):
        plain = portal.sign(plain, index, False)
    report, ms_plain = timed(lambda: signing.verify(plain, roots, certifier_sha256=seal_sha))
    print(f"for comparison, signing.verify, agreement signed B-B: {ms_plain / 1000:.1f} s, ok={report.ok}")


if __name__ == "__main__":
    main()
