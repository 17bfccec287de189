"""The commands of `portal` (portal.__main__): demo, verify, audit verify, worker, admin."""

import json
import sys
from pathlib import Path

import click
from flask import Flask
from sqlalchemy.exc import IntegrityError, SQLAlchemyError

from portal.extensions import db


def init_app(app: Flask) -> None:
    app.cli.add_command(demo)
    app.cli.add_command(verify)
    app.cli.add_command(audit)
    app.cli.add_command(worker)
    app.cli.add_command(admin)


@click.command()
@click.option("--password", default="demo", show_default=True, help="Password of every demo user.")
@click.option("--tokens", "tokens_file", type=click.Path(dir_okay=False, writable=True),
              help="Write a JSON list of API tokens, one per demo user, to this file.")
def demo(password: str, tokens_file: str | None) -> None:
    """Load the Pirkanmaa framework agreement with its 25 parties and open it for signature."""
    from flask import current_app

    from portal.appctx import document_context
    from portal.authority.services import ensure_authority
    from portal.demo.loader import load_demo

    ensure_authority(db.session(), current_app.config["PORTAL_KEY_ENCRYPTION_KEY"],
                     document_context().pki_pointers)
    from portal.jobs.services import run_due

    logins = load_demo(db.session(), document_context(), password, with_tokens=bool(tokens_file),
                       with_annex=True)
    db.session.commit()
    run_due(db.session(), current_app.config)  # the demo annex agreement's check
    click.echo(f"Demo agreement loaded. Every user's password: {password}")
    click.echo(f"{'username':<32} {'role':<16} party")
    for login in logins:
        click.echo(f"{login.username:<32} {login.role:<16} {login.party}")
    if tokens_file:
        Path(tokens_file).write_text(json.dumps([
            {"username": x.username, "role": str(x.role), "party": x.party,
             "business_id": x.business_id, "token": x.token} for x in logins], indent=1))
        Path(tokens_file).chmod(0o600)
        click.echo(f"API tokens written to {tokens_file}")


@click.command()
@click.argument("pdf_file", type=click.Path(exists=True, dir_okay=False))
def verify(pdf_file: str) -> None:
    """Check every signature of a signed agreement PDF and the agreement's own rules."""
    import signing
    from portal.authority import services as authority

    try:
        roots, seal = authority.trust_roots(db.session()), authority.seal_certificate_sha256(db.session())
    except (SQLAlchemyError, LookupError):
        raise click.ClickException("the portal's database has no CA yet: set PORTAL_DATA_DIR or "
                                   "PORTAL_DATABASE_URL to the portal's, or run `portal db upgrade`"
                                   ) from None
    report = signing.verify(Path(pdf_file).read_bytes(), roots, certifier_sha256=seal)
    click.echo(f"{'#':>3} {'field':<20} {'signer':<40} {'signed at (UTC)':<20} result")
    for i, s in enumerate(report.signatures, start=1):
        when = s.signed_at.strftime("%Y-%m-%d %H:%M:%S") if s.signed_at else "-"
        who = f"{s.signer_name} / {s.organisation}"[:40]
        click.echo(f"{i:>3} {s.field_name:<20} {who:<40} {when:<20} {s.summary}")
    for problem in report.problems:
        click.echo(f"PROBLEM {problem.code}: {problem.field_name or '-'}: {problem.detail}")
    click.echo(f"{len(report.signatures)} signatures, {len(report.problems)} problems: "
               f"{'VALID' if report.ok else 'NOT VALID'}")
    sys.exit(0 if report.ok else 1)


@click.group()
def audit() -> None:
    """The audit trail."""


@audit.command("verify")
def audit_verify() -> None:
    """Check the hash chain of the audit trail and name the first broken link."""
    from portal.audit.services import verify_chain

    count, broken = verify_chain(db.session())
    if broken is None:
        click.echo(f"audit trail intact: {count} events")
        return
    seq, reason = broken
    click.echo(f"audit trail BROKEN at event {seq}: {reason}")
    sys.exit(1)


@click.command()
@click.option("--once", is_flag=True, help="Deliver what is due now, then exit.")
@click.option("--interval", type=float, help="Seconds to sleep between passes (default from config).")
def worker(once: bool, interval: float | None) -> None:
    """Queue the signature reminders due, run the background jobs due (compatibility checks),
    then deliver the outbox: over SMTP, or as .eml files under the data folder without
    PORTAL_SMTP_HOST."""
    import time

    from flask import current_app

    from portal.appctx import links
    from portal.jobs.services import run_due
    from portal.mail.delivery import deliver_due
    from portal.notifications.services import queue_reminders

    config = current_app.config
    pause = interval if interval is not None else config["PORTAL_WORKER_INTERVAL_SECONDS"]
    while True:
        try:
            reminders = queue_reminders(db.session(), links(), config)
            db.session.commit()
        except IntegrityError:  # another worker queued the same reminder first: it is sent once
            db.session.rollback()
            reminders = 0
        if reminders:
            click.echo(f"queued {reminders} reminders")
        ran = run_due(db.session(), config)
        if ran.done or ran.retried or ran.failed or once:
            click.echo(f"jobs done {ran.done}, to retry {ran.retried}, failed {ran.failed}")
        drained = deliver_due(db.session(), config)
        if drained.sent or drained.retried or drained.failed or once:
            click.echo(f"sent {drained.sent}, to retry {drained.retried}, failed {drained.failed}")
        if once:
            return
        db.session.remove()
        time.sleep(pause)


@click.group()
def admin() -> None:
    """People and their access."""


@admin.command("deactivate-user")
@click.option("--username", required=True, help="The username or e-mail address of the person.")
def deactivate_user(username: str) -> None:
    """End a person's sessions and tokens at once and revoke their signing certificates."""
    from sqlalchemy import or_, select

    from portal.auth.models import User
    from portal.auth.services import deactivate_user as deactivate
    from portal.timeutil import utcnow

    user = db.session.scalar(select(User).where(or_(User.username == username,
                                                    User.email == username)))
    if user is None:
        raise click.ClickException(f"no user {username!r}")
    deactivate(db.session(), user, None, utcnow())
    db.session.commit()
    click.echo(f"{user.username} deactivated: sessions and tokens ended, certificates revoked")
