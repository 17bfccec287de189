"""A document's audit report: who did what and when (its audit events), the SHA-256 of every
version and signed copy, the parties' decisions; in the agreement's language, as a PDF sealed
by the portal (signing.auditreport). Built on request from the database; nothing is stored."""

from flask_babel import force_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import Session

from portal.agreements.models import Agreement
from portal.audit.models import AuditEvent
from portal.auth.models import User
from portal.authority import services as authority
from portal.documents.models import Document
from portal.i18n import format_datetime
from portal.messages import STATUS_TITLES
from portal.timeutil import utcnow
from signing.auditreport import Section, render, seal_pdf
from signing.seal import local_timestamper

EVENT_TITLES = {
    "document_created": _l("Document created"),
    "document_uploaded": _l("Version uploaded"),
    "document_checked": _l("Compatibility checked"),
    "document_parties_changed": _l("Parties changed"),
    "flag_acknowledged": _l("Warning acknowledged"),
    "document_opened": _l("Opened for signature"),
    "signature": _l("Signed"),
    "approval": _l("Approval decision recorded"),
    "entered_into_force": _l("Entered into force"),
    "entry_into_force_withheld": _l("Entry into force withheld"),
    "signature_not_verified": _l("Signature refused: not verified"),
    "stored_file_mismatch": _l("Signature refused: stored file mismatch"),
}
#: the payload fields the report shows, in this order
DETAILS = (
    "version",
    "filename",
    "party",
    "place",
    "external",
    "body",
    "decided_on",
    "section",
    "on",
    "reason",
    "code",
    "sha256",
    "certificate_sha256",
)


def audit_report(session: Session, key_encryption_key: str, document: Document) -> bytes:
    """The sealed report of `document`, in its agreement's language."""
    agreement = session.get(Agreement, document.agreement_id)
    language = agreement.language if agreement and agreement.language in ("fi", "sv", "en") else "fi"
    with force_locale(language):
        title = _("Audit report: %(title)s", title=document.title)
        lines = [
            _("Agreement: %(title)s", title=agreement.title if agreement else ""),
            _(
                "Document %(id)s, status: %(status)s",
                id=document.id,
                status=str(STATUS_TITLES[document.status]),
            ),
            _(
                "Made by the portal on %(when)s and sealed with the portal's seal.",
                when=format_datetime(utcnow(), "medium"),
            ),
        ]
        sections = [_events(session, document), _hashes(document), _decisions(document)]
        pdf = render(title, lines, sections, language)
    return seal_pdf(
        pdf,
        authority.seal_key(session, key_encryption_key),
        local_timestamper(authority.local_tsa_key(session, key_encryption_key)),
    )


def _events(session: Session, document: Document) -> Section:
    events = [
        e
        for e in session.scalars(
            select(AuditEvent)
            .where(AuditEvent.agreement_id == document.agreement_id)
            .order_by(AuditEvent.seq)
        )
        if (e.payload or {}).get("document_id") == document.id
    ]
    names = {
        u.id: u.display_name
        for u in session.scalars(select(User).where(User.id.in_({e.actor_id for e in events if e.actor_id})))
    }
    rows = tuple(
        (
            str(e.seq),
            format_datetime(e.occurred_at, "short"),
            names.get(e.actor_id or 0, _("the portal")),
            str(EVENT_TITLES.get(e.kind, e.kind)),
            _details(e.payload),
        )
        for e in events
    )
    return Section(
        _("Events"),
        (_("No."), _("Time"), _("By"), _("What"), _("Details")),
        rows,
        (10, 25, 30, 30, 85),
        _("No events."),
    )


def _details(payload: dict | None) -> str:
    if payload is None:
        return _("(erased)")
    return "; ".join(f"{key}: {payload[key]}" for key in DETAILS if key in payload)


def _hashes(document: Document) -> Section:
    rows: list[tuple[str, ...]] = []
    for version in document.versions:
        rows.append(
            (
                _(
                    "Version %(number)s as uploaded (%(filename)s)",
                    number=version.number,
                    filename=version.filename,
                ),
                version.upload_sha256,
            )
        )
        if version.prepared_sha256:
            rows.append(
                (
                    _("Version %(number)s prepared for signature", number=version.number),
                    version.prepared_sha256,
                )
            )
    for signature in document.signatures:
        own = bool(signature.verdict and signature.verdict.get("external"))
        what = _(
            "Signed copy after %(party)s (%(signer)s, %(when)s)",
            party=signature.organisation.name,
            signer=signature.signer.display_name,
            when=format_datetime(signature.signed_at, "short"),
        )
        if own:
            what += " – " + _("own certificate")
        rows.append((what, signature.result_sha256))
    return Section(
        _("Versions and signed copies (SHA-256)"),
        (_("File"), _("SHA-256")),
        tuple(rows),
        (80, 100),
        _("No files."),
    )


def _decisions(document: Document) -> Section:
    rows = tuple(
        (
            a.organisation.name,
            a.body,
            a.decided_on.isoformat(),
            f"§ {a.section}",
            " ".join(a.disqualified_members.split()) or "–",
        )
        for a in sorted(document.approvals, key=lambda a: a.decided_on)
    )
    return Section(
        _("Approval decisions"),
        (_("Party"), _("Body"), _("Date"), _("Section"), _("Disqualified members")),
        rows,
        (45, 45, 25, 20, 45),
        _("No decisions recorded."),
    )
