"""The commands of `portal` (portal.__main__): db upgrade (Flask-Migrate's, then the CA), demo,
verify, audit verify, worker, admin, tokens, organisations."""

import json
import os
import socket
import sys
from datetime import UTC, datetime
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
    app.cli.add_command(storage)
    app.cli.add_command(authority_group)
    app.cli.add_command(tokens)
    app.cli.add_command(organisations)
    app.cli.add_command(_db_group())


def _db_group() -> click.Group:
    """Flask-Migrate's `db` commands, its `upgrade` then also creating the portal's CA and
    document seal (once), so an empty database is ready before the first request."""
    from flask_migrate.cli import db as migrate_group

    original = migrate_group.commands["upgrade"]

    def upgrade(**kwargs: object) -> None:
        from flask import current_app

        from portal.appctx import document_context
        from portal.authority.services import ensure_authority

        click.get_current_context().invoke(original, **kwargs)
        if kwargs.get("sql"):
            return  # only printed the SQL: there is no schema to put the CA in
        ensure_authority(
            db.session(), current_app.config["PORTAL_KEY_ENCRYPTION_KEY"], document_context().pki_pointers
        )
        db.session.commit()
        click.echo("The portal's CA and document seal are in place.")

    group = click.Group(
        "db",
        help=migrate_group.help,
        params=migrate_group.params,
        callback=migrate_group.callback,
        commands=dict(migrate_group.commands),
    )
    group.add_command(
        click.Command(
            "upgrade",
            params=original.params,
            callback=upgrade,
            help="Upgrade the database to the latest revision, then create the portal's CA and "
            "document seal if there are none yet.",
        )
    )
    return group


@click.command()
@click.option("--password", default="demo", show_default=True, help="Password of every demo user.")
@click.option(
    "--tokens",
    "tokens_file",
    type=click.Path(dir_okay=False, writable=True),
    help="Write a JSON list of API tokens, one per demo user, to this file.",
)
def demo(password: str, tokens_file: str | None) -> None:
    """Load the Pirkanmaa framework agreement with its 25 parties and open it for signature."""
    from flask import current_app

    from portal.appctx import document_context
    from portal.authority.services import ensure_authority
    from portal.demo.loader import load_demo

    ensure_authority(
        db.session(), current_app.config["PORTAL_KEY_ENCRYPTION_KEY"], document_context().pki_pointers
    )
    from portal.jobs.services import run_due

    logins = load_demo(
        db.session(), document_context(), password, with_tokens=bool(tokens_file), with_annex=True
    )
    db.session.commit()
    run_due(db.session(), current_app.config)  # the demo annex agreement's check
    click.echo(f"Demo agreement loaded. Every user's password: {password}")
    click.echo(f"{'username':<32} {'role':<16} party")
    for login in logins:
        click.echo(f"{login.username:<32} {login.role:<16} {login.party}")
    if tokens_file:
        Path(tokens_file).write_text(
            json.dumps(
                [
                    {
                        "username": x.username,
                        "role": str(x.role),
                        "party": x.party,
                        "business_id": x.business_id,
                        "token": x.token,
                    }
                    for x in logins
                ],
                indent=1,
            )
        )
        Path(tokens_file).chmod(0o600)
        click.echo(f"API tokens written to {tokens_file}")


@click.command()
@click.argument("pdf_file", type=click.Path(exists=True, dir_okay=False))
@click.option("--at", type=click.DateTime(), help="Validate as of this date (UTC; default: now).")
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
@click.option(
    "--trust",
    multiple=True,
    help="A trusted CA certificate: verify without the portal's database (handled before the app loads).",
)
def verify(pdf_file: str, at: datetime | None, as_json: bool, trust: tuple[str, ...]) -> None:
    """Check every signature of a signed agreement PDF and the agreement's own rules, trusting
    this portal's CA (and requiring its document seal as certifier). Anywhere else, without the
    portal's database: `portal verify --trust ca.pem FILE` (signing.cli, the web app not loaded)."""
    import signing
    from portal.authority import services as authority
    from signing.cli import main as verify_anywhere
    from signing.cli import render, report_dict

    if trust:  # `portal verify --trust` normally never gets here (portal/__main__.py)
        options = [x for path in trust for x in ("--trust", path)]
        options += (["--at", at.isoformat()] if at else []) + (["--json"] if as_json else [])
        sys.exit(verify_anywhere([pdf_file, *options]))

    try:
        roots, seal = authority.trust_roots(db.session()), authority.seal_certificate_sha256(db.session())
    except (SQLAlchemyError, LookupError):
        raise click.ClickException(
            "the portal's database has no CA: point PORTAL_DATABASE_URL (or PORTAL_DATA_DIR) at "
            "the portal's own database (a new, empty one gets its CA from `portal db upgrade`, but a "
            "new CA cannot validate what the portal's CA signed), or verify anywhere with the "
            "portal's CA certificate from /pki/ca.pem: portal verify --trust ca.pem FILE"
        ) from None
    moment = at.replace(tzinfo=UTC) if at else None
    report = signing.verify(Path(pdf_file).read_bytes(), roots, certifier_sha256=seal, at=moment)
    click.echo(json.dumps(report_dict(report), indent=2) if as_json else render(report, moment))
    sys.exit(0 if report.ok else 1)


@click.group()
def audit() -> None:
    """The audit trail."""


@audit.command("verify")
def audit_verify() -> None:
    """Check the hash chain of the audit trail and name the first broken link."""
    from flask import current_app

    from portal.audit.seal import seal_problems
    from portal.audit.services import verify_chain

    count, broken = verify_chain(db.session())
    sealed, problems = seal_problems(db.session(), current_app.config["PORTAL_AUDIT_SEAL_DIR"])
    if broken is None and not problems:
        click.echo(f"audit trail intact: {count} events, {sealed} sealed heads match")
        return
    if broken is not None:
        seq, reason = broken
        click.echo(f"audit trail BROKEN at event {seq}: {reason}")
    for problem in problems:
        click.echo(f"audit trail BROKEN: {problem}")
    sys.exit(1)


@audit.command("seal")
def audit_seal() -> None:
    """Seal and timestamp the audit chain's head now (the worker does it daily)."""
    from flask import current_app

    from portal.audit.seal import seal_head

    config = current_app.config
    row = seal_head(
        db.session(), config["PORTAL_KEY_ENCRYPTION_KEY"], config["PORTAL_AUDIT_SEAL_DIR"], "manual"
    )
    db.session.commit()
    click.echo(f"sealed the audit chain's head: event {row.seq}, {row.hash}")


@click.command()
@click.option("--once", is_flag=True, help="Deliver what is due now, then exit.")
@click.option("--interval", type=float, help="Seconds to sleep between passes (default from config).")
def worker(once: bool, interval: float | None) -> None:
    """Queue the signature reminders due, run the background jobs due (compatibility checks),
    then deliver the outbox: over SMTP, or as .eml files under the data folder without
    PORTAL_SMTP_HOST."""
    from flask import current_app

    from portal.queue.wake import Waiter

    config = current_app.config
    pause = interval if interval is not None else config["PORTAL_WORKER_INTERVAL_SECONDS"]
    if once:
        _worker_pass(config, once)
        return
    with Waiter(db.engine.url) as waiter:
        while True:
            busy = _worker_pass(config, once)
            db.session.remove()
            if not busy:  # woken by the next job or mail queued, else after the pause
                waiter.wait(pause)


def _worker_pass(config, once: bool) -> bool:
    """One pass: reminders due (in short transactions), jobs due, then the outbox. True when it
    did something, so the worker looks again at once instead of waiting."""
    from portal.appctx import links
    from portal.audit.seal import seal_if_due
    from portal.health.services import beat
    from portal.jobs.services import run_due
    from portal.mail.delivery import deliver_due
    from portal.notifications.digest import queue_digests
    from portal.notifications.services import queue_reminders
    from portal.steering.services import queue_steering_reminders

    beat(db.session(), f"{socket.gethostname()}:{os.getpid()}")  # /admin/health: when it last ran
    db.session.commit()
    reminders = 0
    while True:
        try:
            batch = queue_reminders(db.session(), links(), config)
            db.session.commit()
        except IntegrityError:  # another worker queued the same reminder first: it is sent once
            db.session.rollback()
            batch = 0
        reminders += batch
        if not batch:
            break
    try:
        reminders += queue_steering_reminders(db.session(), links())  # R13, seed 002 §5.2
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
    if reminders:
        click.echo(f"queued {reminders} reminders")
    try:
        digests = queue_digests(db.session(), links(), int(config["PORTAL_DIGEST_HOUR"]))
        db.session.commit()
    except IntegrityError:  # another worker queued the same digest first
        db.session.rollback()
        digests = 0
    if digests:
        click.echo(f"queued {digests} daily digests")
    if seal_if_due(db.session(), config["PORTAL_KEY_ENCRYPTION_KEY"], config["PORTAL_AUDIT_SEAL_DIR"]):
        db.session.commit()
        click.echo("sealed the audit chain's head")
    ran = run_due(db.session(), config)
    if ran.done or ran.retried or ran.failed or once:
        click.echo(f"jobs done {ran.done}, to retry {ran.retried}, failed {ran.failed}")
    drained = deliver_due(db.session(), config)
    if drained.sent or drained.retried or drained.failed or once:
        click.echo(f"sent {drained.sent}, to retry {drained.retried}, failed {drained.failed}")
    return bool(
        reminders
        or digests
        or ran.done
        or ran.retried
        or ran.failed
        or drained.sent
        or drained.retried
        or drained.failed
    )


@click.group()
def admin() -> None:
    """People and their access."""


@admin.command("deactivate-user")
@click.option("--username", required=True, help="The username or e-mail address of the person.")
def deactivate_user(username: str) -> None:
    """End a person's sessions and tokens at once and revoke their signing certificates."""
    from sqlalchemy import or_, select

    from portal.auth.models import User
    from portal.memberships.services import deactivate

    user = db.session.scalar(select(User).where(or_(User.username == username, User.email == username)))
    if user is None:
        raise click.ClickException(f"no user {username!r}")
    deactivate(db.session(), user, None)
    db.session.commit()
    click.echo(
        f"{user.username} deactivated: sessions and tokens ended, certificates revoked, "
        "open invitations withdrawn"
    )


@click.group()
def storage() -> None:
    """The blob store."""


@storage.command("compact")
def storage_compact() -> None:
    """Store each signed copy kept whole (before deltas existed) as the revision it appends to
    the copy before it; safe to run again."""
    from flask import current_app

    from portal.documents.services import compact_signed_copies

    compacted, looked_at = compact_signed_copies(db.session(), current_app.extensions["storage"])
    click.echo(f"{compacted} of {looked_at} signed copies stored as deltas")


@click.group("authority")
def authority_group() -> None:
    """The portal's CA, seal and time-stamping keys."""


@authority_group.command("move-to-token")
def authority_move_to_token() -> None:
    """Move the CA's, the seal's and the own TSA's private keys from the database into the
    PKCS#11 token (PORTAL_PKCS11_MODULE, _TOKEN_LABEL, _PIN): the same keys and certificates,
    put there sensitive and not extractable; each key leaves the database only after a test
    signature in the token verified. Safe to run again."""
    from flask import current_app

    from portal.authority.keysource import KEY_NAMES
    from portal.authority.tokenmove import move_key_to_token

    for name in KEY_NAMES:
        try:
            outcome = move_key_to_token(db.session(), current_app.config["PORTAL_KEY_ENCRYPTION_KEY"], name)
        except (LookupError, ValueError) as exc:
            db.session.rollback()
            raise click.ClickException(f"{name}: {exc}") from exc
        db.session.commit()
        click.echo(f"{name}: {outcome}")


@admin.command("create-user")
@click.option("--username", required=True)
@click.option("--email", required=True)
@click.option("--name", "display_name", default="", help="The person's full name.")
@click.option("--admin", "administrator", is_flag=True, help="The portal's administrator.")
@click.option(
    "--language",
    type=click.Choice(["fi", "sv", "en"]),
    default="fi",
    show_default=True,
    help="The language of the person's pages and mail.",
)
@click.option("--business-id", help="The organisation (registered) the person belongs to.")
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input (one line).")
def create_user(
    username: str,
    email: str,
    display_name: str,
    administrator: bool,
    language: str,
    business_id: str | None,
    password_stdin: bool,
) -> None:
    """Create a person, e.g. the first administrator of an empty portal: with --password-stdin
    the password is read from standard input, else a link to set one is mailed to them."""
    from portal.appctx import invitation_context
    from portal.errors import PortalError
    from portal.invitations.services import invite_to_portal
    from portal.messages import message
    from portal.organisations.services import by_business_id
    from portal.people.services import create_person

    password = sys.stdin.readline().rstrip("\r\n") if password_stdin else None
    organisation = None
    if business_id:
        organisation = by_business_id(db.session(), business_id)
        if organisation is None:
            raise click.ClickException(f"no organisation with business ID {business_id}")
    try:
        user = create_person(
            db.session(),
            username=username,
            email=email,
            display_name=display_name,
            locale=language,
            organisation=organisation,
            administrator=administrator,
            password=password,
        )
        invitation = None if password_stdin else invite_to_portal(db.session(), invitation_context(), user)
    except PortalError as error:
        raise click.ClickException(_english(message, error)) from None
    db.session.commit()
    click.echo(f"{user.username} created ({user.role})")
    if invitation is not None:
        click.echo(
            f"a link to set the password was mailed to {invitation.email} (valid until "
            f"{invitation.expires_at:%Y-%m-%d %H:%M} UTC; `portal worker` delivers it)"
        )


def _english(message, error) -> str:  # noqa: ANN001
    """A refusal's message in English, for the terminal."""
    from flask_babel import force_locale

    with force_locale("en"):
        return message(error.code, **error.params)


@click.group()
def tokens() -> None:
    """Personal access tokens for automation."""


@tokens.command("create")
@click.option("--username", required=True, help="The username or e-mail address of the person.")
@click.option(
    "--scopes",
    default="read",
    show_default=True,
    help="Comma-separated: read, write (sign is never issued here).",
)
@click.option("--name", default="CLI", show_default=True, help="What the token is for.")
def tokens_create(username: str, scopes: str, name: str) -> None:
    """Print a new personal access token of a person (shown once, only its hash is kept)."""
    from portal.auth.domain import Scope
    from portal.auth.services import create_token
    from portal.people.services import find_person

    asked = {s.strip() for s in scopes.split(",") if s.strip()}
    if Scope.sign.value in asked:
        raise click.UsageError(
            "the sign scope is never issued from the command line: a "
            "representative creates a signing token in the portal, with "
            "their password"
        )
    unknown = asked - {Scope.read.value, Scope.write.value}
    if unknown:
        raise click.UsageError(f"unknown scopes: {', '.join(sorted(unknown))} (read, write)")
    user = find_person(db.session(), username)
    if user is None or not user.active:
        raise click.ClickException(f"no active user {username!r}")
    _row, token = create_token(db.session(), user, name[:100], {Scope(s) for s in asked})
    db.session.commit()
    click.echo(token)


@click.group()
def organisations() -> None:
    """The organisations register."""


@organisations.command("import")
@click.argument("csv_file", type=click.Path(exists=True, dir_okay=False))
@click.option(
    "--as",
    "actor_name",
    help="The administrator recorded as importing it (username); by default the first administrator.",
)
def organisations_import(csv_file: str, actor_name: str | None) -> None:
    """Import organisations from a CSV file (UTF-8; `,` or `;`): all lines or none."""
    from sqlalchemy import select

    from portal.auth.domain import Role
    from portal.auth.models import User
    from portal.errors import PortalError
    from portal.messages import message
    from portal.organisations.services import CsvRefused, import_csv
    from portal.people.services import find_person

    actor = (
        find_person(db.session(), actor_name)
        if actor_name
        else db.session.scalar(
            select(User)
            .where(User.role == Role.administrator, User.active.is_(True))
            .order_by(User.id)
            .limit(1)
        )
    )
    if actor is None:
        raise click.ClickException(
            "no administrator: create one first with `portal admin create-user --admin`"
        )
    try:
        result = import_csv(db.session(), actor, Path(csv_file).read_bytes())
    except CsvRefused as refused:
        db.session.rollback()
        for problem in refused.errors:
            click.echo(
                _english(
                    message, PortalError(f"csv_row_{problem.code}", line=problem.line, value=problem.value)
                ),
                err=True,
            )
        raise click.ClickException(_english(message, refused)) from None
    except PortalError as error:
        db.session.rollback()
        raise click.ClickException(_english(message, error)) from None
    db.session.commit()
    click.echo(f"created {result.created}, updated {result.updated}, unchanged {result.unchanged}")
