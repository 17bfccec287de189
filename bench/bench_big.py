"""An agreement the size of Finland end to end: 309 parties (synthetic municipalities with
business IDs that have valid check digits), prepared, signed through the portal's services by one
representative per party, entered into force by the last signature (no councils' approvals
required) and its final file verified.

Prints the time per signature for k = 1..N summarised (the median of each block of --block
signatures), each signature's CPU ms (k = 1..N), the least-squares slope in ms per earlier
signature (flat when ~0), the total, the verification time (wall and CPU) and the peak memory.
A signature's time is services.sign() and its commit, wall clock and this process's CPU; the
key's unlock before it (which issues the representative's certificate on first use) is not
counted. --skip-verify leaves the whole-file verification out.

Beside it, every --raw-every signatures, stock pyHanko (benchkit.RawSigner: PdfSigner into the
same field of the very file the portal signs at that k, with the same timestamper) is timed on
the same file: what pyHanko's own work grows by with k (each signature's writer reads every
earlier revision's cross-reference section and looks the field up among those before it), the
yardstick for the portal's slope.

Run from the repository root (SQLite in a temporary folder by default):
    .venv/bin/python bench/bench_big.py [--parties 309] [--database-url postgresql://...] [--skip-verify]
Prints figures only; asserts nothing."""

from __future__ import annotations

import argparse
import resource
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.benchkit import RawSigner, blocks, cpu_ms, fresh_portal, slope  # noqa: E402

PASSWORD = "bench-password"
TITLE = "Valtakunnallinen puitesopimus kuntien yhteistyöstä"
SYLLABLES = ("Ala", "Ylä", "Itä", "Länsi", "Pohjois", "Etelä", "Keski", "Sisä", "Vanha", "Uusi", "Iso")
PLACES = ("järven", "joen", "mäen", "lahden", "salmen", "niemen", "kosken", "vaaran", "rannan", "kylän")
TEXT = """Valtakunnallinen puitesopimus kuntien yhteistyöstä
1 Sopimuksen tarkoitus
Osapuolet sopivat yhteistyön periaatteista, tavoitteista ja toimintatavoista.
2 Tavoitteet
Osapuolet edistävät asukkaidensa hyvinvointia ja palvelujen saatavuutta yhdessä.
3 Voimaantulo
Sopimus tulee voimaan, kun kaikki osapuolet ovat allekirjoittaneet sen.
4 Irtisanominen
Osapuoli voi irtisanoa sopimuksen kahdentoista kuukauden irtisanomisajalla."""


def party_names(count: int) -> list[str]:
    """Synthetic municipality names, unique: "Alajärven kunta", "Yläjoen kunta", ..."""
    names = []
    for i in range(count):
        prefix = SYLLABLES[i % len(SYLLABLES)]
        place = PLACES[(i // len(SYLLABLES)) % len(PLACES)]
        round_ = i // (len(SYLLABLES) * len(PLACES))
        names.append(f"{prefix}{place}{' ' + str(round_ + 1) if round_ else ''} kunta".capitalize())
    return names


def build(session, ctx, count: int):
    """The administrator, the N parties with one representative each, the agreement opened for
    signature (its N-party signature pages prepared and certified)."""
    from portal.agreements.services import Terms, create_agreement
    from portal.auth.domain import Role
    from portal.auth.services import hash_password
    from portal.demo.data import synthetic_business_ids
    from portal.demo.pdf import text_to_pdf
    from portal.documents import services as documents
    from portal.memberships import services as memberships
    from portal.organisations import services as organisations
    from portal.organisations.domain import OrganisationKind, OrganisationRow
    from portal.people import services as people

    password_hash = hash_password(PASSWORD)
    admin = people.create_person(
        session,
        username="sihteeri",
        email="sihteeri@bench.invalid",
        display_name="Sopimussihteeri",
        administrator=True,
        password_hash=password_hash,
    )
    orgs, reps = [], []
    for i, (name, business_id) in enumerate(
        zip(party_names(count), synthetic_business_ids(count, start=4100000), strict=True), start=1
    ):
        org = organisations.create_organisation(
            session,
            admin,
            OrganisationRow(
                business_id=business_id,
                name=name,
                name_sv=None,
                kind=OrganisationKind.municipality,
                street_address="Kunnantalontie 1",
                postal_code="00100",
                city="Helsinki",
            ),
        )
        orgs.append(org)
        reps.append(
            people.create_person(
                session,
                username=f"edustaja-{i:03d}",
                email=f"edustaja-{i:03d}@bench.invalid",
                display_name=f"Edustaja {i} ({name})",
                organisation=org,
                password_hash=password_hash,
            )
        )
    session.flush()
    agreement = create_agreement(
        session,
        admin,
        title=TITLE,
        business_ids=[o.business_id for o in orgs],
        terms=Terms(approvals_required=False),
    )
    for user, org in zip(reps, orgs, strict=True):
        memberships.add_membership(session, user, agreement, org.id, Role.representative, actor_id=admin.id)
    document = agreement.main_document
    documents.add_version(session, ctx, document, text_to_pdf(TEXT, title=TITLE), "puitesopimus.pdf", admin)
    documents.open_for_signature(session, ctx, document, admin, title=TITLE, language="fi")
    return document.id, reps


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--parties", type=int, default=309)
    parser.add_argument("--block", type=int, default=25, help="signatures per summarised block")
    parser.add_argument("--database-url", help="a PostgreSQL server (default: SQLite in a temporary folder)")
    parser.add_argument("--skip-verify", action="store_true", help="leave out the whole file's verification")
    parser.add_argument("--raw-every", type=int, default=10, help="stock pyHanko at every Nth k (0: never)")
    args = parser.parse_args()

    with fresh_portal(args.database_url) as app:
        import signing
        from portal.appctx import document_context
        from portal.authority.services import timestamper, trust_roots, unlock_signer
        from portal.documents import services as documents
        from portal.documents.models import Document
        from portal.extensions import db
        from portal.timeutil import utcnow

        session, ctx = db.session, document_context()
        print(f"{args.parties} parties, {app.config['SQLALCHEMY_DATABASE_URI'].split(':')[0]}")
        started = time.perf_counter()
        (document_id, reps), prepare_cpu = cpu_ms(build, session, ctx, args.parties)
        session.commit()
        print(
            f"registered, drafted and prepared for signature: {time.perf_counter() - started:.1f} s "
            f"({prepare_cpu / 1000:.1f} s CPU)"
        )
        wall, cpu, unlock = [], [], []
        raw, raw_at = (RawSigner(), {}) if args.raw_every else (None, {})
        tsa = timestamper(session, ctx.key_encryption_key, ctx.tsa_url, ctx.pki_pointers)
        for k, user in enumerate(reps, start=1):
            document = session.get(Document, document_id)
            party = documents.signing_party(document, user)
            if raw is not None and (k - 1) % args.raw_every == 0:
                before = ctx.storage.read(document.current_sha256)
                raw_at[k] = cpu_ms(raw.sign, before, party.field_name, tsa)[1]
            passphrase, ms = cpu_ms(
                unlock_signer,
                session,
                ctx.key_encryption_key,
                user,
                PASSWORD,
                utcnow(),
                ctx.pki_pointers,
                party.organisation,
            )
            session.commit()
            unlock.append(ms)

            def sign_and_commit(user=user, passphrase=passphrase) -> None:
                documents.sign(session, ctx, document_id, user, passphrase, "Helsinki")
                session.commit()

            started = time.perf_counter()
            cpu.append(cpu_ms(sign_and_commit)[1])
            wall.append((time.perf_counter() - started) * 1000)
            session.expire_all()
        document = session.get(Document, document_id)
        final = ctx.storage.read(document.current_sha256)
        print(
            f"after {len(wall)} signatures the document is {document.status.value} "
            f"(entered into force on {document.entered_into_force_on}); "
            f"final file {len(final) / 2**20:.1f} MiB"
        )
        print(f"\nms per signature (services.sign + commit), median of each block of {args.block}:")
        print(f"{'k':>9} {'wall':>8} {'CPU':>8}")
        for (first, last, w), (_, _, c) in zip(
            blocks(wall, args.block), blocks(cpu, args.block), strict=True
        ):
            print(f"{first:>4}-{last:<4} {w:>8.1f} {c:>8.1f}")
        print("\nCPU ms of each signature, k = 1..N (ten a row; the row starts at k):")
        for start in range(0, len(cpu), 10):
            print(f"{start + 1:>4}: " + " ".join(f"{c:>6.0f}" for c in cpu[start : start + 10]))
        print(
            f"slope over k = 1..{len(wall) - 1}: wall {slope(wall[:-1]):+.3f} ms/k, "
            f"CPU {slope(cpu[:-1]):+.3f} ms/k; "
            f"median wall {statistics.median(wall):.1f} ms, CPU {statistics.median(cpu):.1f} ms"
        )
        if raw_at:
            ks = sorted(raw_at)
            print(f"\nstock pyHanko / the portal on the same file (CPU ms), every {args.raw_every}th k:")
            pairs = [f"k={k}: {raw_at[k]:.0f}/{cpu[k - 1]:.0f}" for k in ks]
            for start in range(0, len(pairs), 8):
                print("   " + "  ".join(pairs[start : start + 8]))
            portal_at = [cpu[k - 1] for k in ks if k < len(cpu)]
            raw_only = [raw_at[k] for k in ks if k < len(cpu)]
            step = args.raw_every
            print(
                f"slope over those k: stock {slope(raw_only) / step:+.3f} ms/k, portal "
                f"{slope(portal_at) / step:+.3f} ms/k; median ratio portal/stock "
                f"{statistics.median(p / r for p, r in zip(portal_at, raw_only, strict=True)):.2f}x"
            )
        print(
            f"the last signature, which enters it into force (final file checked, audit sealed): "
            f"{wall[-1]:.0f} ms wall, {cpu[-1]:.0f} ms CPU"
        )
        print(
            f"total: signing {sum(wall) / 1000:.1f} s wall ({sum(cpu) / 1000:.1f} s CPU); "
            f"the keys' unlock and certificates besides: {sum(unlock) / 1000:.1f} s CPU"
        )
        print(f"peak RSS after signing: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB")
        if args.skip_verify:
            print("verification: skipped (--skip-verify)")
            return
        roots = trust_roots(session)
        started, cpu_started = time.perf_counter(), time.process_time()
        report = signing.verify(final, roots)
        print(
            f"verification of the final file: {time.perf_counter() - started:.1f} s "
            f"({time.process_time() - cpu_started:.1f} s CPU), "
            f"{len(report.signatures)} signatures, ok={report.ok}"
            + (f", problems: {[p.code for p in report.problems][:5]}" if report.problems else "")
        )
        print(
            f"peak RSS after verification: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} "
            "MiB"
        )


if __name__ == "__main__":
    main()
