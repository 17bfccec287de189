"""Signing benchmark: the k-th signature's cost for k = 1..25 (signing.sign plus the check of its
new revision, signing.verify_latest_revision, as the portal does it), verifying all of them, peak
memory.

Run from the repository root:  .venv/bin/python bench/bench_signing.py
Prints figures only; asserts nothing."""

from __future__ import annotations

import gc
import resource
import statistics
import sys
import time
import tracemalloc
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import signing  # noqa: E402
from tests.unit.signing import samples  # noqa: E402

PARTIES = 25
RUNS = 3


def timed(func: Callable[..., Any], *args: Any) -> tuple[Any, float]:
    started = time.perf_counter()
    result = func(*args)
    return result, (time.perf_counter() - started) * 1000


def best_of(func: Callable[..., Any], *args: Any) -> tuple[Any, float]:
    """The fastest of RUNS calls (the machine may be shared: the minimum is the cost itself)."""
    results = [timed(func, *args) for _ in range(RUNS)]
    return results[-1][0], min(ms for _, ms in results)


def traced_peak(func: Callable[..., Any], *args: Any) -> int:
    gc.collect()
    tracemalloc.start()
    try:
        func(*args)
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def setup() -> tuple[bytes, bytes, signing.SignerKey, list[tuple[str, str, signing.SignerKey]]]:
    ca_key, ca_cert = signing.create_authority()
    seal_key, seal_cert = signing.issue_seal_certificate(ca_key, None, ca_cert)
    certifier = signing.SignerKey(seal_key, None, seal_cert, (ca_cert,))
    parties = []
    for i, (name, business_id) in enumerate(samples.parties(PARTIES), start=1):
        key, cert = signing.issue_certificate(
            ca_key,
            None,
            ca_cert,
            person_name=f"Edustaja {i}",
            organisation=name,
            business_id=business_id,
            email=f"edustaja{i}@example.fi",
        )
        parties.append((name, business_id, signing.SignerKey(key, None, cert, (ca_cert,))))
    return ca_cert, seal_cert, certifier, parties


def run_document(
    label: str, upload: bytes, ca_cert: bytes, seal_cert: bytes, certifier: signing.SignerKey, parties: list
) -> dict[str, Any]:
    slots = [
        signing.SignatureSlot(f"party-{i:02d}", name, business_id)
        for i, (name, business_id, _) in enumerate(parties, start=1)
    ]
    pdf, prepare_ms = timed(lambda: signing.prepare(upload, slots, certifier, title=samples.TITLE))
    when = datetime.now(ZoneInfo("Europe/Helsinki"))
    sign_ms, check_ms = [], []
    last_input = pdf
    for i, (name, business_id, key) in enumerate(parties, start=1):
        stamp = signing.StampText(f"Edustaja {i}", name, "Tampere", when)
        last_input = pdf
        signed, ms = best_of(signing.sign, pdf, f"party-{i:02d}", key, stamp)
        expected = signing.ExpectedSigner(
            f"party-{i:02d}", business_id, signing.certificate_sha256(key.certificate_pem)
        )
        verdict, check = best_of(signing.verify_latest_revision, signed, pdf, expected, [ca_cert])
        if not verdict.ok:
            raise SystemExit(f"signature {i} did not verify: {verdict.problems}")
        pdf = signed
        sign_ms.append(ms)
        check_ms.append(check)
    seal_sha256 = signing.certificate_sha256(seal_cert)
    verify_ms, report = [], None
    for _ in range(RUNS):
        report, ms = timed(lambda: signing.verify(pdf, [ca_cert], certifier_sha256=seal_sha256))
        verify_ms.append(ms)
    name, _, key = parties[-1]
    stamp = signing.StampText("Edustaja 25", name, "Tampere", when)
    return {
        "label": label,
        "upload_bytes": len(upload),
        "prepare_ms": prepare_ms,
        "sign_ms": sign_ms,
        "check_ms": check_ms,
        "verify_ms": verify_ms,
        "signed_bytes": len(pdf),
        "report": report,
        "sign_peak": traced_peak(signing.sign, last_input, f"party-{PARTIES:02d}", key, stamp),
        "verify_peak": traced_peak(signing.verify, pdf, [ca_cert]),
    }


def _row(sign_ms: float, check_ms: float) -> str:
    return f"{sign_ms:>7.1f} + {check_ms:>6.1f} = {sign_ms + check_ms:>6.1f}"


def warm_up(certifier: signing.SignerKey, parties: list) -> float:
    """Prepare and sign a one-party document once (loads the stamp font); returns its ms."""
    name, business_id, key = parties[0]
    started = time.perf_counter()
    pdf = signing.prepare(
        samples.agreement_pdf(1),
        [signing.SignatureSlot("party-01", name, business_id)],
        certifier,
        title="warm-up",
    )
    signing.sign(
        pdf,
        "party-01",
        key,
        signing.StampText("Edustaja 1", name, "Tampere", datetime.now(ZoneInfo("Europe/Helsinki"))),
    )
    return (time.perf_counter() - started) * 1000


def main() -> None:
    ca_cert, seal_cert, certifier, parties = setup()
    print(f"cold start (first prepare + sign in this process): {warm_up(certifier, parties):.0f} ms\n")
    documents = [("3 pages", samples.agreement_pdf(3)), ("100 pages", samples.agreement_pdf(100))]
    results = [
        run_document(label, upload, ca_cert, seal_cert, certifier, parties) for label, upload in documents
    ]
    print(f"the k-th signature, ms (best of {RUNS}): sign + check of its revision = total")
    print(f"{'k':>3} " + " ".join(f"{r['label']:>26}" for r in results))
    for k in range(PARTIES):
        print(f"{k + 1:>3} " + " ".join(_row(r["sign_ms"][k], r["check_ms"][k]) for r in results))
    print(
        "med "
        + " ".join(_row(statistics.median(r["sign_ms"]), statistics.median(r["check_ms"])) for r in results)
    )
    print()
    for r in results:
        report = r["report"]
        print(
            f"{r['label']}: upload {r['upload_bytes'] / 1024:.0f} KiB, prepare "
            f"{r['prepare_ms']:.0f} ms, signed file {r['signed_bytes'] / 1024:.0f} KiB"
        )
        print(
            f"  verify {len(report.signatures)} signatures (median of {RUNS}): "
            f"{statistics.median(r['verify_ms']):.0f} ms "
            f"(runs {', '.join(f'{ms:.0f}' for ms in r['verify_ms'])}); ok={report.ok}"
        )
        print(
            f"  tracemalloc peak: sign #{PARTIES} {r['sign_peak'] / 2**20:.1f} MiB, "
            f"verify {r['verify_peak'] / 2**20:.1f} MiB"
        )
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(f"ru_maxrss: this process {own:.0f} MiB, largest isolated worker {children:.0f} MiB")


if __name__ == "__main__":
    main()
