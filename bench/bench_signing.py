"""What a signature costs the portal against stock pyHanko signing the same file, for k = 1..25.

The demo agreement (25 parties) is loaded into a fresh portal twice (SQLite in a temporary
folder by default; --database-url postgresql://... for PostgreSQL) and signed by every party's
representative:
- in process: portal.documents.services.sign() and the commit (the key's unlock before it is
  not counted: it is the gate, not the signature);
- over HTTP: POST /api/v1/documents/<id>/signatures with the demo's sign tokens, through the
  app's own client (the whole request: routing, token, services, commit, JSON), in this process;
- the in-process run also times, each alone on the same file, gathering the validation data
  (services._validation_data: the signer's certificate and the CA's CRL, PAdES B-LT),
  signing.sign() with it (the DSS written in the signature's own revision) and the check of its
  revision (signing.verify_latest_revision): where a signature's cost goes;
- raw: pyHanko's PdfSigner signing the very file the portal signed at step k, the same field,
  PAdES with SHA-256, pyHanko's default stamp, a key of the same kind opened once, and a signature
  timestamp from the same timestamper as the portal's (the portal's own TSA, in process). Raw
  writes no validation data and checks nothing of what it signed: those are the portal's own work,
  counted on the portal's side.
Each figure is this process's CPU time in ms (time.process_time); the ratio is portal / raw.
--rounds N signs the agreement N times each way (a fresh portal each time, the ways in turn) and
prints for each k the median of its N figures: on a machine shared with other work a single
round's ratio moves by 0.1-0.2 from run to run.
--profile N prints where the HTTP signature's time goes (cProfile, the N largest cumulative).

Run from the repository root:  .venv/bin/python bench/bench_signing.py [--database-url URL]
Prints figures only; asserts nothing."""

from __future__ import annotations

import argparse
import cProfile
import io
import pstats
import statistics
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.benchkit import RawSigner, cpu_ms, fresh_portal, slope  # noqa: E402

PASSWORD = "bench-password"


def local_now():
    from datetime import datetime
    from zoneinfo import ZoneInfo

    return datetime.now(ZoneInfo("Europe/Helsinki"))


@dataclass
class Run:
    label: str
    portal: list[float] = field(default_factory=list)
    raw: list[float] = field(default_factory=list)
    sizes: list[int] = field(default_factory=list)
    #: in process only: signing.sign() alone and signing.verify_latest_revision() alone, on the same file
    dss: list[float] = field(default_factory=list)
    stamp_sign: list[float] = field(default_factory=list)
    check: list[float] = field(default_factory=list)


def merged(rounds: list[Run]) -> Run:
    """One run whose every figure is the median of that k's figures over `rounds`."""
    if len(rounds) == 1:
        return rounds[0]

    def each_k(name: str) -> list:
        return [statistics.median(values) for values in zip(*(getattr(r, name) for r in rounds), strict=True)]

    names = ("portal", "raw", "dss", "stamp_sign", "check")
    return Run(rounds[0].label, **{name: each_k(name) for name in names}, sizes=rounds[0].sizes)


def sign_all(
    database_url: str | None, over_http: bool, raw: RawSigner, profile: cProfile.Profile | None
) -> Run:
    from sqlalchemy import select

    import signing
    from portal.agreements.models import Agreement
    from portal.appctx import document_context
    from portal.auth.domain import Role
    from portal.auth.models import User
    from portal.authority.services import signer_key, timestamper, trust_roots, unlock_signer
    from portal.demo.loader import load_demo
    from portal.documents import services as documents
    from portal.documents.models import Document
    from portal.extensions import db
    from portal.timeutil import utcnow

    run = Run("over HTTP (API, sign token)" if over_http else "in process (services.sign)")
    with fresh_portal(database_url) as app:
        ctx = document_context()
        logins = load_demo(db.session, ctx, PASSWORD, with_tokens=over_http)
        db.session.commit()
        document_id = db.session.scalar(select(Agreement.main_document_id))
        client = app.test_client()
        tsa = timestamper(db.session, ctx.key_encryption_key, ctx.tsa_url, ctx.pki_pointers)
        db.session.commit()
        for login in (item for item in logins if item.role is Role.representative):
            user = db.session.scalar(select(User).where(User.username == login.username))
            document = db.session.get(Document, document_id, populate_existing=True)
            party = documents.signing_party(document, user)
            before = ctx.storage.read(document.current_sha256)
            run.raw.append(cpu_ms(raw.sign, before, party.field_name, tsa)[1])
            if over_http:
                url = f"/api/v1/documents/{document_id}/signatures"
                headers = {"Authorization": f"Bearer {login.token}"}
                if profile:
                    profile.enable()
                response, ms = cpu_ms(client.post, url, json={"place": "Tampere"}, headers=headers)
                if profile:
                    profile.disable()
                if response.status_code != 201:
                    raise SystemExit(f"{login.username}: {response.status_code} {response.text}")
            else:
                passphrase = unlock_signer(
                    db.session,
                    ctx.key_encryption_key,
                    user,
                    PASSWORD,
                    utcnow(),
                    ctx.pki_pointers,
                    party.organisation,
                )
                db.session.commit()
                key, credential = signer_key(
                    db.session, ctx.key_encryption_key, user, passphrase, ctx.pki_pointers, party.organisation
                )
                db.session.commit()
                stamp = signing.StampText(user.display_name, party.organisation.name, "Tampere", local_now())
                data, ms = cpu_ms(documents._validation_data, db.session, ctx, [key.certificate_pem], tsa)
                run.dss.append(ms)
                signed, ms = cpu_ms(signing.sign, before, party.field_name, key, stamp, tsa, validation=data)
                run.stamp_sign.append(ms)
                expected = signing.ExpectedSigner(
                    party.field_name, party.organisation.business_id, credential.certificate_sha256
                )
                run.check.append(
                    cpu_ms(signing.verify_latest_revision, signed, before, expected, trust_roots(db.session))[
                        1
                    ]
                )
                db.session.rollback()

                def sign_and_commit(user=user, passphrase=passphrase) -> None:
                    documents.sign(db.session, ctx, document_id, user, passphrase, "Tampere")
                    db.session.commit()

                ms = cpu_ms(sign_and_commit)[1]
            run.portal.append(ms)
            db.session.expire_all()
            run.sizes.append(len(ctx.storage.read(db.session.get(Document, document_id).current_sha256)))
        status = db.session.get(Document, document_id).status
        print(f"{run.label}: the document is {status.value} after {len(run.portal)} signatures")
    return run


def report(runs: list[Run]) -> None:
    print("\nCPU ms per signature (this process): portal, raw pyHanko on the same file, ratio")
    print(f"{'k':>3} " + " ".join(f"{r.label:>34}" for r in runs))
    for k in range(len(runs[0].portal)):
        print(
            f"{k + 1:>3} "
            + " ".join(
                f"{r.portal[k]:>9.1f} {r.raw[k]:>9.1f} {r.portal[k] / r.raw[k]:>8.2f}x     " for r in runs
            )
        )
    print()
    for r in runs:
        portal, raw = statistics.median(r.portal), statistics.median(r.raw)
        ratios = [p / q for p, q in zip(r.portal, r.raw, strict=True)]
        print(
            f"{r.label}: median portal {portal:.1f} ms, raw {raw:.1f} ms, ratio {portal / raw:.2f}x "
            f"(median of per-k ratios {statistics.median(ratios):.2f}x); "
            f"slope portal {slope(r.portal):+.2f} ms/k, raw {slope(r.raw):+.2f} ms/k; "
            f"final file {r.sizes[-1] / 1024:.0f} KiB"
        )


def breakdown(run: Run) -> None:
    dss, sign, check = (statistics.median(v) for v in (run.dss, run.stamp_sign, run.check))
    raw, portal = statistics.median(run.raw), statistics.median(run.portal)
    rest = portal - dss - sign - check
    print(
        f"{run.label}, where it goes (medians, CPU ms, each part timed alone on the same file):\n"
        f"  gathering the validation data (certificate, CRL) {dss:.1f} ({dss / raw:.2f}x raw; "
        f"slope {slope(run.dss):+.2f} ms/k)\n"
        f"  signing.sign, the DSS written in its revision {sign:.1f} ({sign / raw:.2f}x raw; "
        f"slope {slope(run.stamp_sign):+.2f} ms/k)\n"
        f"  the new revision's check, verify_latest_revision {check:.1f} ({check / raw:.2f}x raw)\n"
        f"  the rest (database, storage, audit trail) about {rest:.1f} ({rest / raw:.2f}x raw)\n"
        f"  the whole request without gathering the validation data {portal - dss:.1f} "
        f"({(portal - dss) / raw:.2f}x raw)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--database-url", help="a PostgreSQL server (default: SQLite in a temporary folder)")
    parser.add_argument("--profile", type=int, default=0, help="print the N largest cumulative HTTP costs")
    parser.add_argument("--profile-file", help="also save the HTTP profile there (pstats format)")
    parser.add_argument("--rounds", type=int, default=1, help="sign N times each way: each k's median")
    args = parser.parse_args()
    raw = RawSigner()
    profile = cProfile.Profile(time.process_time) if args.profile else None
    rounds = [
        (sign_all(args.database_url, False, raw, None), sign_all(args.database_url, True, raw, profile))
        for _ in range(args.rounds)
    ]
    runs = [merged([r[0] for r in rounds]), merged([r[1] for r in rounds])]
    if args.rounds > 1:
        print(f"each figure: the median of {args.rounds} rounds")
    report(runs)
    breakdown(runs[0])
    if profile:
        if args.profile_file:
            profile.dump_stats(args.profile_file)
        out = io.StringIO()
        pstats.Stats(profile, stream=out).sort_stats("cumulative").print_stats(args.profile)
        print(out.getvalue())


if __name__ == "__main__":
    main()
