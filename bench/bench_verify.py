"""Whole-file verification benchmark (issue 14 item 3): builds an agreement of N parties with the
signing package (prepared, certified, signed by every party), then times signing.verify() (the
one-pass difference analysis) and the same verification with pyHanko's own difference analysis
(stock=True: every later revision re-read for each signature), and compares their verdicts.

Run from the repository root:  .venv/bin/python bench/bench_verify.py --signatures 26
The last line is  N=<n> portal_s=<seconds> stock_s=<seconds|skipped> same_verdicts=<yes|no>
(N counts the certification too). Prints figures only; asserts nothing."""

from __future__ import annotations

import argparse
import io
import logging
import resource
import sys
import time
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pikepdf

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import signing  # noqa: E402

STOCK_LIMIT = 150  # beyond this the stock verification takes too long to wait for


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
    """(signed PDF, CA certificate, seal fingerprint, seconds spent signing)."""
    ca_key, ca_cert = signing.create_authority()
    seal_key, seal_cert = signing.issue_seal_certificate(ca_key, None, ca_cert)
    certifier = signing.SignerKey(seal_key, None, seal_cert, (ca_cert,))
    slots = [
        signing.SignatureSlot(f"party-{i:02d}", f"Kunta {i}", business_id(i)) for i in range(1, parties + 1)
    ]
    pdf = signing.prepare(upload(), slots, certifier, title="Yhteistoimintasopimus")
    when = datetime.now(ZoneInfo("Europe/Helsinki"))
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
        )
        signer = signing.SignerKey(key, None, cert, (ca_cert,))
        pdf = signing.sign(
            pdf, slot.field_name, signer, signing.StampText(f"Edustaja {i}", slot.party_name, "Tampere", when)
        )
    return pdf, ca_cert, signing.certificate_sha256(seal_cert), time.perf_counter() - started


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
    """The report and the wall-clock seconds; the CPU seconds are printed too (on a shared
    machine the wall clock includes waiting for a core)."""
    started, cpu = time.perf_counter(), time.process_time()
    report = signing.verify(pdf, [ca_cert], certifier_sha256=seal, stock=stock)
    print(f"  {'stock' if stock else 'one-pass'}: {time.process_time() - cpu:.2f} s of CPU")
    return report, time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--signatures", type=int, default=26, help="signatures in all, the certification included"
    )
    parser.add_argument("--stock", choices=("auto", "yes", "no"), default="auto")
    args = parser.parse_args()
    logging.disable(logging.WARNING)  # pyHanko logs every refused difference at length
    parties = max(args.signatures - 1, 1)
    pdf, ca_cert, seal, signing_s = build(parties)
    print(f"built: {parties} parties + certification, {len(pdf) / 1024:.0f} KiB, signing {signing_s:.1f} s")
    report, portal_s = timed_verify(pdf, ca_cert, seal, stock=False)
    print(f"one-pass verify: {portal_s:.2f} s, {len(report.signatures)} signatures, ok={report.ok}")
    run_stock = args.stock == "yes" or (args.stock == "auto" and args.signatures <= STOCK_LIMIT)
    stock_text, same = "skipped", "yes"
    if run_stock:
        stock_report, stock_s = timed_verify(pdf, ca_cert, seal, stock=True)
        stock_text = f"{stock_s:.2f}"
        same = "yes" if verdict(stock_report) == verdict(report) else "no"
        print(f"stock verify: {stock_s:.2f} s, ok={stock_report.ok}")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak RSS of the process: {peak:.0f} MiB")
    print(f"N={args.signatures} portal_s={portal_s:.2f} stock_s={stock_text} same_verdicts={same}")


if __name__ == "__main__":
    main()
