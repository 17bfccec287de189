"""Whole-file verification benchmark (issue 14 item 2): builds an agreement of N signatures the way
the portal signs today (certified with a signature timestamp and the CA's, seal's and TSA's
certificates in the DSS, then for every party a signature with an RFC 3161 timestamp from the
portal's own TSA in process whose revision adds the signer's certificate and the CA's CRL to the
DSS, then entry into force: fresh validation data and a document
timestamp), then times signing.verify() (the one-pass difference analysis) and the same
verification with pyHanko's own difference analysis (stock=True: every later revision re-read for
each signature), compares their verdicts and prints the peak memory.

Building is slow (309 signatures take minutes): a built file is kept under bench/out/verify/
(git-ignored), keyed by the parameters and the builder's version, and reused; --rebuild makes it
again. It is built in a child process, so the peak memory printed is the verification's.

Run from the repository root:  .venv/bin/python bench/bench_verify.py --signatures 26
The last line is  N=<n> portal_s=<seconds> stock_s=<seconds|skipped> same_verdicts=<yes|no>
(N counts the certification and the parties' signatures, not the document timestamp; the seconds
are wall-clock, the CPU seconds are printed above it). Prints figures only; asserts nothing."""

from __future__ import annotations

import argparse
import importlib
import io
import json
import logging
import resource
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pikepdf

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import signing  # noqa: E402

STOCK_LIMIT = 150  # beyond this the stock verification takes too long to wait for
CACHE = ROOT / "bench" / "out" / "verify"
BUILDER = 3  # the builder's version: a change in how files are built makes new cache keys
HELSINKI = ZoneInfo("Europe/Helsinki")


def business_id(n: int) -> str:
    """The n-th synthetic business ID with a valid check digit (not a real organisation's)."""
    base = 2_000_000 + 37 * n
    while True:
        for digit in range(10):
            candidate = f"{base:07d}-{digit}"
            if signing.valid_business_id(candidate):
                return candidate
        base += 1


def upload(pages: int = 3) -> bytes:
    """A plain agreement text of `pages` pages (standard Helvetica)."""
    pdf = pikepdf.new()
    font = pdf.make_indirect(
        pikepdf.Dictionary(
            Type=pikepdf.Name.Font, Subtype=pikepdf.Name.Type1, BaseFont=pikepdf.Name.Helvetica
        )
    )
    for number in range(1, pages + 1):
        lines = " ".join(
            f"BT /F1 11 Tf 72 {760 - 16 * i} Td (Cooperation agreement, page {number}, clause {i}.) Tj ET"
            for i in range(40)
        )
        page = pdf.add_blank_page(page_size=(595, 842))
        page.Resources = pikepdf.Dictionary(Font=pikepdf.Dictionary(F1=font))
        page.Contents = pdf.make_stream(lines.encode())
    out = io.BytesIO()
    pdf.save(out)
    return out.getvalue()


def build(parties: int) -> tuple[bytes, bytes, str, float]:
    """(signed PDF, CA certificate, seal fingerprint, seconds spent signing), made as the portal
    makes it (portal.documents.services and portal.authority: the CA's CRL made in process)."""
    from signing.seal import issue_tsa_certificate, local_timestamper

    pointers = signing.Pointers.under("https://sopu.example.fi")
    ca_key, ca_cert = signing.create_authority()
    seal_key, seal_cert = signing.issue_seal_certificate(ca_key, None, ca_cert, pointers=pointers)
    certifier = signing.SignerKey(seal_key, None, seal_cert, (ca_cert,))
    tsa_key, tsa_cert = issue_tsa_certificate(ca_key, None, ca_cert, pointers=pointers)
    tsa = local_timestamper(signing.SignerKey(tsa_key, None, tsa_cert, (ca_cert,)))

    def validation_data(*certificates: bytes) -> signing.ValidationData:
        now = datetime.now(UTC).replace(microsecond=0)
        crl = signing.certificate_revocation_list(ca_key, None, ca_cert, [], now=now, number=1)
        return signing.ValidationData(certificates, crls=(crl,))

    slots = [
        signing.SignatureSlot(f"party-{i:03d}", f"Kunta {i}", business_id(i)) for i in range(1, parties + 1)
    ]
    pdf = signing.prepare(upload(), slots, certifier, title="Yhteistoimintasopimus", timestamper=tsa)
    pdf = signing.add_validation_data(pdf, validation_data(ca_cert, seal_cert, tsa_cert))
    started = time.perf_counter()
    for i, slot in enumerate(slots, start=1):
        key, cert = signing.issue_certificate(
            ca_key,
            None,
            ca_cert,
            person_name=f"Edustaja {i}",
            organisation=slot.party_name,
            business_id=slot.business_id,
            email=f"edustaja{i}@example.fi",
            pointers=pointers,
        )
        signer = signing.SignerKey(key, None, cert, (ca_cert,))
        stamp = signing.StampText(f"Edustaja {i}", slot.party_name, "Tampere", datetime.now(HELSINKI))
        # the signer's validation data in the signature's own revision, as the portal signs
        pdf = signing.sign(pdf, slot.field_name, signer, stamp, tsa, validation=validation_data(cert))
    pdf = signing.timestamp_document(signing.add_validation_data(pdf, validation_data()), tsa)
    return pdf, ca_cert, signing.certificate_sha256(seal_cert), time.perf_counter() - started


def cached(signatures: int, rebuild: bool) -> tuple[bytes, bytes, str]:
    """The N-signature file, its CA certificate and seal fingerprint, built once (in a child
    process, so its memory is not counted) and then read from bench/out/verify/."""
    stem = CACHE / f"long-term-n{signatures}-pages3-v{BUILDER}"
    pdf_path, meta_path = stem.with_suffix(".pdf"), stem.with_suffix(".json")
    if rebuild or not (pdf_path.exists() and meta_path.exists()):
        subprocess.run(
            [sys.executable, __file__, "--signatures", str(signatures), "--build-only"], check=True
        )
    meta = json.loads(meta_path.read_text())
    print(f"file: {pdf_path.relative_to(ROOT)} ({meta['built']})")
    return pdf_path.read_bytes(), meta["ca"].encode(), meta["seal"]


def build_only(signatures: int) -> None:
    parties = max(signatures - 1, 1)
    pdf, ca_cert, seal, signing_s = build(parties)
    stem = CACHE / f"long-term-n{signatures}-pages3-v{BUILDER}"
    CACHE.mkdir(parents=True, exist_ok=True)
    stem.with_suffix(".pdf").write_bytes(pdf)
    built = (
        f"built {datetime.now(UTC):%Y-%m-%d %H:%M} UTC: {parties} parties + certification + "
        f"document timestamp, {len(pdf) / 1024:.0f} KiB, signing {signing_s:.1f} s"
    )
    stem.with_suffix(".json").write_text(json.dumps({"ca": ca_cert.decode(), "seal": seal, "built": built}))
    print(built)


def verdict(report: signing.VerificationReport) -> tuple[object, ...]:
    return (
        report.ok,
        sorted((p.code, p.field_name or "") for p in report.problems),
        [
            (s.field_name, s.intact, s.valid, s.trusted, s.coverage, s.modification_level, s.docmdp_ok)
            for s in report.signatures
        ],
    )


def timed_verify(
    pdf: bytes, ca_cert: bytes, seal: str, stock: bool
) -> tuple[signing.VerificationReport, float]:
    """The report and the wall-clock seconds; the CPU seconds and the process's peak memory so
    far are printed too (on a shared machine the wall clock includes waiting for a core)."""
    started, cpu = time.perf_counter(), time.process_time()
    report = signing.verify(pdf, [ca_cert], certifier_sha256=seal, stock=stock)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"  {'stock' if stock else 'one-pass'}: {time.process_time() - cpu:.2f} s of CPU, "
        f"peak RSS of the process so far {peak:.0f} MiB"
    )
    return report, time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--signatures", type=int, default=26, help="signatures in all, the certification included"
    )
    parser.add_argument("--stock", choices=("auto", "yes", "no"), default="auto")
    parser.add_argument("--rebuild", action="store_true", help="build the file again, not from the cache")
    parser.add_argument("--build-only", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    logging.disable(logging.WARNING)  # pyHanko logs every refused difference at length
    if args.build_only:
        build_only(args.signatures)
        return
    pdf, ca_cert, seal = cached(args.signatures, args.rebuild)
    importlib.import_module("signing.verification")  # loaded (PEP 562) before the clock starts
    report, portal_s = timed_verify(pdf, ca_cert, seal, stock=False)
    print(f"one-pass verify: {portal_s:.2f} s, {len(report.signatures)} signatures, ok={report.ok}")
    run_stock = args.stock == "yes" or (args.stock == "auto" and args.signatures <= STOCK_LIMIT)
    stock_text, same = "skipped", "yes"
    if run_stock:
        stock_report, stock_s = timed_verify(pdf, ca_cert, seal, stock=True)
        stock_text = f"{stock_s:.2f}"
        same = "yes" if verdict(stock_report) == verdict(report) else "no"
        print(f"stock verify: {stock_s:.2f} s, ok={stock_report.ok}")
    print(f"N={args.signatures} portal_s={portal_s:.2f} stock_s={stock_text} same_verdicts={same}")


if __name__ == "__main__":
    main()
