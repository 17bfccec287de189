"""A document's own routes, one per action for any document (the main agreement's too): its state
region, signing, the parties' approval decisions and the PDF downloads."""

import json
from urllib.parse import quote

from flask import Blueprint, Response, flash, g, redirect, render_template, stream_with_context, url_for
from flask_babel import format_date
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from htmx_flask import request

from portal.agreements.domain import Status
from portal.agreements.models import Agreement
from portal.agreements.services import PartyState, get_visible_document, party_counts, party_states
from portal.appctx import document_context
from portal.audit.report import audit_report as build_audit_report
from portal.auth import stepup
from portal.auth.models import User
from portal.authority.services import unlock_signer
from portal.checks import Severity
from portal.documents import services
from portal.documents.domain import CheckStatus, DocumentKind, file_stem, read_version_refusal, unicode_stem
from portal.documents.external import sign_external
from portal.documents.forms import ApprovalForm, CorrectionForm, ExternalSignatureForm, SignForm
from portal.documents.models import ApprovalDecision, Blob, Document, DocumentVersion, Signature
from portal.errors import PortalError
from portal.extensions import db
from portal.formdata import validated
from portal.i18n import party_name
from portal.memberships import domain as member_rules
from portal.messages import PDFA_REASONS, message
from portal.paging import page_arg, paged
from portal.permissions import Action, allowed, represented_parties, require, standing
from portal.signatories import services as signatories
from portal.storage import BlobStorage
from portal.timeutil import utcnow

bp = Blueprint("documents", __name__)


@bp.app_context_processor
def enums() -> dict:
    """Templates compare kinds and states with the enums, never with strings."""
    return {"DocumentKind": DocumentKind, "CheckStatus": CheckStatus, "Status": Status, "Severity": Severity}


def visible_document(user: User, document_id: int) -> Document:
    document, agreement = get_visible_document(db.session(), user, document_id)
    # held for the request: the session keeps only what is referenced, and the page reads it again
    g.visible_agreement = agreement
    return document


def _administered_document(document_id: int) -> Document:
    document = visible_document(current_user, document_id)
    require(current_user, Action.administer, document)
    return document


def state_context(
    document: Document, sign_form: SignForm | None = None, external_form: ExternalSignatureForm | None = None
) -> dict:
    """What documents/_state.html needs, for the main agreement or any other signed document:
    where it stands as counts, and the rows of the person's own parties only (every party's row
    is on the parties list, `party_list_url`), so that it costs the same for 3 parties or 300.
    The sign forms only for a representative: nobody else is shown them."""
    is_representative = bool(represented_parties(current_user, document.agreement_id))
    external_enabled = bool(document_context().external_trust_roots)
    if is_representative:
        sign_form = sign_form or SignForm(formdata=None)
        if document.latest_version is not None:  # the version the form shows is the one signed
            sign_form.version.data = str(document.latest_version.number)
        if external_enabled:
            external_form = external_form or ExternalSignatureForm(formdata=None)
    mine = standing(current_user, document.agreement_id).parties()
    parties = party_states(db.session(), document, mine) if mine else []
    return {
        "external_form": external_form,
        "external_enabled": external_enabled,
        "agreement": db.session.get(Agreement, document.agreement_id),
        "document": document,
        "parties": parties,
        "counts": party_counts(db.session(), document.id),
        "parties_url": party_list_url(document),
        "authorities": signatories.authorities_of(
            db.session(),
            document.agreement_id,
            [p.organisation.id for p in parties],
            services.helsinki_date(utcnow()),
        ),
        "sign_form": sign_form,
        "may_administer": allowed(current_user, Action.administer, document),
        "is_representative": is_representative,
        "own_party_id": _own_party_id(document, parties),
        "second_factor": stepup.sign_confirmation(current_user),
        "waiting_for_main": services.waiting_for_main(db.session(), document),
        "may_read_audit_report": allowed(current_user, Action.read_audit_report, document),
        "pdfa_reason": _pdfa_reason(document.latest_version),
    }


@bp.app_template_global()
def party_list_url(document: Document, **args) -> str:
    """Where every party of the document is listed: the main agreement's parties section, an
    annex's own list (`document`: a Document, or a row of its id, agreement_id and kind)."""
    if document.kind == DocumentKind.main:
        return url_for("agreements.show", agreement_id=document.agreement_id, tab="parties", **args)
    return url_for("documents.parties", document_id=document.id, **args)


#: the parties list's filters
PARTY_FILTERS = {
    "": _l("All parties"),
    "unsigned": _l("Not yet signed"),
    "unapproved": _l("Not yet approved"),
}
PARTIES_PER_PAGE = 25


def party_rows_context(document: Document, organisation_ids: list[int]) -> dict:
    """What documents/_party_row.html needs beside the party: the signing authorities of those
    parties and whether the person records decisions."""
    return {
        "document": document,
        "authorities": signatories.authorities_of(
            db.session(), document.agreement_id, organisation_ids, services.helsinki_date(utcnow())
        ),
        "may_administer": allowed(current_user, Action.administer, document),
    }


def party_list_context(document: Document) -> dict:
    """documents/_party_list.html: a page of the document's parties and where each stands,
    filtered (`?show=unsigned|unapproved`), with the address and the region its links load."""
    shown = request.args.get("show", "")
    shown = shown if shown in PARTY_FILTERS else ""
    states = party_states(db.session(), document)
    if shown == "unsigned":
        states = [p for p in states if p.signature is None]
    elif shown == "unapproved":
        states = [p for p in states if p.approval is None] if document.requires_approval else []
    page = paged(states, page_arg(), PARTIES_PER_PAGE)
    main = document.kind is DocumentKind.main
    return party_rows_context(document, [p.organisation.id for p in page.items]) | {
        "agreement": db.session.get(Agreement, document.agreement_id),
        "counts": party_counts(db.session(), document.id),
        "party_page": page,
        "shown": shown,
        "party_filters": PARTY_FILTERS,
        "list_action": url_for("agreements.show", agreement_id=document.agreement_id)
        if main
        else url_for("documents.parties", document_id=document.id),
        "list_hidden": {"tab": "parties"} if main else {},
        "list_target": "#agreement-tab" if main else "#party-list",
    }


def _pdfa_reason(version: DocumentVersion | None) -> str | None:
    if version is None or version.pdfa is not False:
        return None
    return str(PDFA_REASONS.get(version.pdfa_note or "", version.pdfa_note or ""))


def _own_party_id(document: Document, own: list[PartyState]) -> int | None:
    """The party whose signature the user gives (services.signing_party's rule) or gave on this
    document, read from `own`, the states of the user's parties."""
    represented = represented_parties(current_user, document.agreement_id)
    parties = {p.organisation.id for p in own}
    signed = {p.organisation.id for p in own if p.signature}
    return member_rules.signing_party(represented, parties, signed) or min(
        represented & parties, default=None
    )


def document_url(document: Document) -> str:
    if document.kind is DocumentKind.main:
        return url_for("agreements.show", agreement_id=document.agreement_id)
    return url_for("annexes.show", document_id=document.id)


def _state_or_redirect(document: Document, done: str):
    """After a change: htmx gets the new state region with the message under its status heading
    (announced, and focused by static/js/form-feedback.js); a plain form post a redirect."""
    if request.htmx:
        return render_template(
            "documents/_state.html", message=done, focus_status=True, **state_context(document)
        )
    flash(done, "success")
    return redirect(document_url(document))


@bp.get("/documents/<int:document_id>/state")
@login_required
def state(document_id: int):
    document = visible_document(current_user, document_id)
    return render_template("documents/_state.html", **state_context(document))


@bp.get("/documents/<int:document_id>/parties")
@login_required
def parties(document_id: int):
    """Every party of the document and where each stands, a page at a time: the main agreement's
    on its page (the parties section), any other document's on a page of its own."""
    document = visible_document(current_user, document_id)
    if document.kind is DocumentKind.main:
        return redirect(
            party_list_url(document, **{k: v for k, v in request.args.items() if k in ("show", "page")})
        )
    context = party_list_context(document)
    if request.htmx and request.htmx.target == "party-list":
        return render_template("documents/_party_list.html", **context)
    return render_template("documents/parties.html", back_url=document_url(document), **context)


@bp.get("/documents/<int:document_id>/party-status")
@login_required
def party_status(document_id: int):
    """The parties list's status line, read again after a decision recorded in a row."""
    document = visible_document(current_user, document_id)
    return render_template(
        "documents/_party_list_status.html", document=document, counts=party_counts(db.session(), document.id)
    )


@bp.post("/documents/<int:document_id>/sign")
@login_required
def sign(document_id: int):
    """The sign form of the reading page (#sign-step) ends on the result page; the one in the
    state region of the agreement's page replaces that region in place."""
    document = visible_document(current_user, document_id)
    services.check_may_sign(document, current_user, services.party_and_signed_ids(db.session(), document.id))
    form = SignForm()
    status, headers = 422, {}
    if form.validate_on_submit() and _read_what_is_signed(document, form):
        gate = stepup.confirm(current_user, form.password, form.code, "wrong_password", form.passkey)
        status, headers = gate.status, gate.headers
        if gate.ok:
            signature = _sign(document, form, gate.password)
            db.session.commit()
            return _signed(document, signature)
        status = 422 if status == 200 else status
    if request.htmx and request.htmx.target == "sign-step":
        return render_template("documents/_sign_step.html", **state_context(document, form)), status, headers
    return render_template("documents/_state.html", **state_context(document, form)), status, headers


def _read_what_is_signed(document: Document, form: SignForm) -> bool:
    """The version the person read is the one signed (the checkbox itself: SignForm)."""
    latest = document.latest_version
    read = int(form.version.data) if form.version.data else None
    if read_version_refusal(read, latest.number if latest else None) is None:
        return True
    form.read.errors = [
        _(
            "A new version was uploaded after you opened the document: read version %(number)s first.",
            number=latest.number if latest else "",
        )
    ]
    return False


def _signed(document: Document, signature: Signature):
    """The reading page's form and a plain post end on the result page; the state region's
    form gets the region back with the message."""
    if request.htmx and request.htmx.target == "sign-step":
        # the result page's main region in place of the reading page's, its address pushed:
        # no page load (sign-in, home, reading page: three loads from sign-in to signed)
        result = {
            "path": url_for("reading.signed", document_id=document.id),
            "target": "#main",
            "select": "#main",
        }
        return "", 200, {"HX-Location": json.dumps(result | {"swap": "outerHTML"})}
    if request.htmx:
        party = party_name(signature.organisation)
        done = _("You signed %(title)s for %(party)s.", title=document.title, party=party)
        return _state_or_redirect(document, done)
    return redirect(url_for("reading.signed", document_id=document.id))


@bp.post("/documents/<int:document_id>/external-signature")
@login_required
def sign_external_post(document_id: int):
    """A signature made with the representative's own certificate and tool, uploaded."""
    document = visible_document(current_user, document_id)
    services.check_may_sign(document, current_user)
    form = ExternalSignatureForm()
    if form.validate_on_submit():
        try:
            signature = sign_external(
                db.session(), document_context(), document.id, current_user, form.file.data.read()
            )
        except PortalError as refused:
            db.session.rollback()  # nothing of a refused upload is kept
            form.file.errors.append(message(refused.code, **refused.params))
            status = refused.status
        else:
            db.session.commit()
            return _state_or_redirect(
                document,
                _("Your signature for %(party)s was accepted.", party=party_name(signature.organisation)),
            )
    else:
        status = 422
    return render_template("documents/_state.html", **state_context(document, external_form=form)), status


def _sign(document: Document, form: SignForm, password: str | None) -> Signature:
    """The gate was passed: a fresh second factor, or the password (which re-wraps a key that
    is still wrapped with it: authority.unlock_signer)."""
    ctx = document_context()
    party = services.signing_party(document, current_user)
    passphrase = unlock_signer(
        db.session(),
        ctx.key_encryption_key,
        current_user,
        password,
        utcnow(),
        ctx.pki_pointers,
        party.organisation if party is not None else None,
    )
    return services.sign(
        db.session(), ctx, document.id, current_user, passphrase, validated(form.place.data).strip()
    )


def _party(document: Document, organisation_id: int) -> PartyState:
    for party in party_states(db.session(), document, [organisation_id]):
        return party
    raise PortalError("not_a_party", 404)


def _approval_form(
    document: Document,
    organisation_id: int,
    form: ApprovalForm | None = None,
    status: int = 200,
    headers: dict | None = None,
):
    template = "_approval_form.html" if request.htmx else "approval.html"
    return (
        render_template(
            f"documents/{template}",
            agreement=db.session.get(Agreement, document.agreement_id),
            document=document,
            party=_party(document, organisation_id),
            form=form or ApprovalForm(formdata=None),
        ),
        status,
        headers or {},
    )


@bp.get("/documents/<int:document_id>/parties/<int:organisation_id>/approval")
@login_required
def approval_form(document_id: int, organisation_id: int):
    return _approval_form(_administered_document(document_id), organisation_id)


@bp.post("/documents/<int:document_id>/parties/<int:organisation_id>/approval")
@login_required
def approval_post(document_id: int, organisation_id: int):
    document = _administered_document(document_id)
    form = ApprovalForm()
    if not form.validate_on_submit():
        retarget = {"HX-Retarget": f"#party-{organisation_id}", "HX-Reswap": "outerHTML"}
        return _approval_form(document, organisation_id, form, 422, retarget)
    party = _party(document, organisation_id)
    services.record_approval(
        db.session(), document_context(), document.id, organisation_id, current_user, **form.decision()
    )
    db.session.commit()
    done = _("The decision of %(party)s was recorded.", party=party_name(party.organisation))
    if request.htmx and request.htmx.target == f"party-{organisation_id}":
        if document.status is Status.in_force:  # this decision was the last condition
            when = format_date(document.entered_into_force_on, "long")
            done = f"{done} {_('The agreement entered into force on %(date)s.', date=when)}"
        # the parties list: its row alone, and the list's status reads itself again
        return _party_row(document, organisation_id, done), {"HX-Trigger": "party-decided"}
    return _state_or_redirect(document, done)


def _party_row(document: Document, organisation_id: int, done: str):
    """The party's row with the answer in it, where the parties list (no state region) had the
    form (documents/_approval_form.html targets the state region, else the row)."""
    return render_template(
        "documents/_party_row.html",
        party=_party(document, organisation_id),
        row_message=done,
        **party_rows_context(document, [organisation_id]),
    )


def _decision(approval_id: int, user: User) -> ApprovalDecision:
    decision = db.session.get(ApprovalDecision, approval_id)
    if decision is None:
        raise PortalError("not_found", 404)
    visible_document(user, decision.document_id)
    return decision


def _correction_form(decision: ApprovalDecision, form: CorrectionForm | None = None, status: int = 200):
    if form is None:
        form = CorrectionForm(formdata=None, obj=decision)
        form.decision_type.data = decision.decision_type.value
    document = db.session.get_one(Document, decision.document_id)
    return render_template(
        "documents/correction.html",
        decision=decision,
        document=document,
        agreement=db.session.get(Agreement, document.agreement_id),
        form=form,
    ), status


@bp.get("/approvals/<int:approval_id>/correction")
@login_required
def correction_form(approval_id: int):
    require(current_user, Action.administer)
    return _correction_form(_decision(approval_id, current_user))


@bp.post("/approvals/<int:approval_id>/correction")
@login_required
def correction_post(approval_id: int):
    require(current_user, Action.administer)
    decision = _decision(approval_id, current_user)
    form = CorrectionForm()
    if not form.validate_on_submit():
        return _correction_form(decision, form, 422)
    services.correct_approval(
        db.session(),
        document_context(),
        decision.id,
        current_user,
        reason=validated(form.reason.data),
        **form.decision(),
    )
    db.session.commit()
    flash(_("The decision was corrected; the history keeps both."), "success")
    return redirect(document_url(db.session.get_one(Document, decision.document_id)))


@bp.get("/approvals/<int:approval_id>/minutes")
@login_required
def minutes_pdf(approval_id: int):
    """The minutes extract of a decision, for the agreement's people."""
    decision = _decision(approval_id, current_user)
    if decision.minutes_sha256 is None:
        raise PortalError("not_found", 404)
    return send_blob(document_context().storage, decision.minutes_sha256, f"minutes-{decision.id}.pdf")


@bp.get("/documents/<int:document_id>/pdf")
@login_required
def download(document_id: int):
    return send_document(document_id, current_user)


@bp.get("/documents/<int:document_id>/audit-report")
@login_required
def audit_report(document_id: int):
    """The document's audit report, sealed by the portal, for its parties and the secretary."""
    document = visible_document(current_user, document_id)
    require(current_user, Action.read_audit_report, document)
    pdf = build_audit_report(db.session(), document_context().key_encryption_key, document)
    db.session.commit()  # the portal's time-stamping key, created on its first use
    stem = file_stem(document.title) or "document"
    return Response(
        pdf,
        mimetype="application/pdf",
        headers={
            "Content-Disposition": f'attachment; filename="{stem}-audit-report.pdf"',
            "Cache-Control": "private, no-store",
        },
    )


@bp.get("/versions/<int:version_id>/pdf")
@login_required
def version_pdf(version_id: int):
    return send_version(version_id, current_user)


def download_name(document: Document, letters: str = "ascii") -> str:
    """The PDF's file name in the UI language: once signed it says by how many parties
    (`<title>-signed-5-of-25.pdf`); `letters="unicode"` keeps the title's own letters."""
    stem = (unicode_stem if letters == "unicode" else file_stem)(document.title) or "document"
    signed = len({s.organisation_id for s in document.signatures})
    if signed == 0:
        return f"{stem}-{document.status}.pdf"
    return _(
        "%(title)s-signed-%(signed)s-of-%(total)s.pdf", title=stem, signed=signed, total=len(document.parties)
    )


def attachment(ascii_name: str, unicode_name: str) -> str:
    """Content-Disposition with an ASCII name and the UTF-8 one (RFC 6266)."""
    return f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(unicode_name)}"


def send_document(document_id: int, user: User) -> Response:
    """The current PDF, streamed, as an attachment (never rendered inline by the browser)."""
    document = visible_document(user, document_id)
    if document.current_sha256 is None:
        raise PortalError("document_missing", 404)
    response = send_blob(document_context().storage, document.current_sha256, download_name(document))
    response.headers["Content-Disposition"] = attachment(
        download_name(document), download_name(document, "unicode")
    )
    return response


def send_version(version_id: int, user: User) -> Response:
    """A version as it was uploaded."""
    version = db.session.get(DocumentVersion, version_id)
    if version is None:
        raise PortalError("not_found", 404)
    document = visible_document(user, version.document_id)
    return send_blob(
        document_context().storage,
        version.upload_sha256,
        f"{file_stem(document.title) or 'document'}-v{version.number}.pdf",
    )


def send_blob(storage: BlobStorage, sha256: str, filename: str) -> Response:
    blob = db.session.get_one(Blob, sha256)
    response = Response(stream_with_context(storage.stream(blob.sha256)), mimetype="application/pdf")
    response.headers["Content-Length"] = str(blob.size)
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.headers["ETag"] = f'"{blob.sha256}"'
    response.headers["Cache-Control"] = "private, no-store"
    return response
