from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select

from portal.agreements import home, tabs
from portal.agreements.domain import Status
from portal.agreements.forms import AgreementForm, OpenForm, UploadForm
from portal.agreements.services import (
    create_agreement,
    get_visible_agreement,
    get_visible_agreement_page,
    update_draft,
)
from portal.annexes import services as annexes
from portal.appctx import document_context
from portal.contacts import services as contacts
from portal.documents import services as documents
from portal.errors import PortalError
from portal.extensions import db
from portal.jobs.inline import start_queued
from portal.messages import message
from portal.organisations import services as organisations
from portal.organisations.models import Organisation
from portal.permissions import Action, allowed, require

bp = Blueprint("agreements", __name__)


def _htmx_target() -> str | None:
    """The id of the element an htmx request replaces (None for an ordinary request)."""
    return request.headers.get("HX-Target") if request.headers.get("HX-Request") == "true" else None


def _page_number(value: str | None) -> int:
    return int(value) if value and value.isdigit() and 0 < int(value) < 100_000 else 1


def _list_context() -> dict:
    """One page of the person's agreements, as the list's filter asks (?state=&q=&page=)."""
    state = request.args.get("state", "") if request.args.get("state", "") in set(Status) else ""
    query = request.args.get("q", "")[:200]
    page = _page_number(request.args.get("page"))
    rows, total = home.agreement_page(db.session(), current_user, state=state, text=query, page=page)
    pages = max(1, -(-total // home.PAGE_SIZE))
    return {"rows": rows, "total": total, "state": state, "query": query, "page": page, "pages": pages}


@bp.get("/")
@login_required
def index():
    """The person's home: what waits for them, then their agreements with where each stands. A
    filtered list or a later page (a reload, a link) loads what waits after it, with htmx."""
    target = _htmx_target()
    if target == "agreement-list":
        return render_template("agreements/_agreement_list.html", **_list_context())
    if target == "waiting":
        return render_template(
            "agreements/_waiting.html", waiting=home.waiting_for(db.session(), current_user)
        )
    later = any(request.args.get(name) for name in ("state", "q", "page"))
    waiting = None if later else home.waiting_for(db.session(), current_user)
    return render_template("agreements/index.html", waiting=waiting, **_list_context())


@bp.get("/agreements/<int:agreement_id>")
@login_required
def show(agreement_id: int):
    """The agreement's page, one section at a time (`?tab=`): htmx gets the section alone."""
    agreement = get_visible_agreement_page(db.session(), current_user, agreement_id)
    tab = tabs.tab_of(request.args.get("tab"))
    context = {
        "agreement": agreement,
        "tab": tab,
        "tab_titles": tabs.TAB_TITLES,
        "may_administer": allowed(current_user, Action.administer, agreement),
        **tabs.CONTEXTS[tab](agreement),
    }
    if _htmx_target() == "agreement-tab":
        return render_template("agreements/_tab.html", **context)
    return render_template("agreements/show.html", **context)


@bp.get("/my-contact")
@login_required
def my_contact():
    """The header's "My contact details": the person's own contact card to edit (the newest,
    if they are a contact person in several agreements)."""
    own = contacts.own_contacts(db.session(), current_user.id)
    if not own:
        flash(_("You are not a contact person of any agreement."), "info")
        return redirect(url_for("agreements.index"))
    return redirect(url_for("contacts.edit", contact_id=own[-1].id))


def _administered_agreement(agreement_id: int):
    agreement = get_visible_agreement(db.session(), current_user, agreement_id)
    require(current_user, Action.administer, agreement)
    return agreement


@bp.post("/agreements/<int:agreement_id>/document")
@login_required
def upload(agreement_id: int):
    agreement = _administered_agreement(agreement_id)
    if agreement.status is not Status.draft:
        raise PortalError("document_not_draft", 409)
    form = UploadForm()
    if form.validate_on_submit():
        data = form.file.data.read()
        annexes.new_version(
            db.session(),
            document_context(),
            agreement.main_document,
            data,
            form.file.data.filename or "",
            current_user,
        )
        db.session.commit()
        start_queued(db.session())
        flash(_("The document was uploaded."), "success")
        return redirect(url_for("agreements.show", agreement_id=agreement.id))
    for error in form.file.errors:
        flash(error, "error")
    return redirect(url_for("agreements.show", agreement_id=agreement.id))


@bp.post("/agreements/<int:agreement_id>/open")
@login_required
def open_for_signature(agreement_id: int):
    agreement = _administered_agreement(agreement_id)
    if OpenForm().validate_on_submit():
        documents.open_for_signature(
            db.session(),
            document_context(),
            agreement.main_document,
            current_user,
            title=agreement.title,
            language=agreement.language,
        )
        db.session.commit()
        flash(_("The agreement is open for signature."), "success")
    return redirect(url_for("agreements.show", agreement_id=agreement.id))


#: how many organisations a search of the register offers at once
PARTY_RESULTS = 20


def _chosen(business_ids: list[str]) -> list:
    """The registered organisations of these business IDs, in the order given, once each."""
    found = {
        o.business_id: o
        for o in db.session.scalars(
            select(Organisation).where(Organisation.business_id.in_(business_ids[:500]))
        )
    }
    return [found[b] for b in dict.fromkeys(business_ids) if b in found]


def _results(query: str, chosen: list) -> list:
    if not query.strip():
        return []
    taken = {o.id for o in chosen}
    found, _total = organisations.search(db.session(), query[:200], 1, PARTY_RESULTS + len(taken))
    return [o for o in found if o.id not in taken][:PARTY_RESULTS]


@bp.get("/agreements/party-choices")
@login_required
def party_choices():
    """The party picker's fragment: the parties chosen so far, then the register's matches."""
    require(current_user, Action.administer)
    chosen = _chosen(request.args.getlist("parties"))
    query = request.args.get("party_q", "")
    return render_template(
        "agreements/_party_choices.html", chosen=chosen, query=query, results=_results(query, chosen)
    )


def _draft_page(form: AgreementForm, agreement, status: int = 200):
    chosen = (
        _chosen(request.form.getlist("parties"))
        if request.method == "POST"
        else ([p.organisation for p in agreement.parties] if agreement else [])
    )
    query = request.form.get("party_q", "")
    return render_template(
        "agreements/edit.html",
        form=form,
        agreement=agreement,
        chosen=chosen,
        query=query,
        results=_results(query, chosen),
    ), status


def _checked(form: AgreementForm, agreement):
    """(a page to show again, []) for another goal, a search or a refusal; else (None, the
    chosen parties' business IDs) for a form to save."""
    action = request.form.get("action")
    if action == "add_goal":
        form.goals.append_entry()
        return _draft_page(form, agreement), []
    if action == "search" or not form.validate_on_submit():
        return _draft_page(form, agreement, 200 if action == "search" else 422), []
    business_ids = [o.business_id for o in _chosen(request.form.getlist("parties"))]
    if not business_ids:
        flash(message("choose_parties"), "error")
        return _draft_page(form, agreement, 422), []
    return None, business_ids


@bp.get("/agreements/new")
@login_required
def new():
    require(current_user, Action.administer)
    return _draft_page(AgreementForm(), None)


@bp.post("/agreements/new")
@login_required
def create():
    require(current_user, Action.administer)
    form = AgreementForm()
    page, business_ids = _checked(form, None)
    if page is not None:
        return page
    agreement = create_agreement(
        db.session,
        current_user,
        title=(form.title.data or "").strip(),
        business_ids=business_ids,
        language=form.language.data,
        goals=form.goal_texts(),
        terms=form.terms(),
    )
    return _saved(form, agreement)


def _saved(form: AgreementForm, agreement):
    if form.file.data:
        annexes.new_version(
            db.session(),
            document_context(),
            agreement.main_document,
            form.file.data.read(),
            form.file.data.filename or "",
            current_user,
        )
    db.session.commit()
    start_queued(db.session())
    flash(_("The agreement was saved."), "success")
    return redirect(url_for("agreements.show", agreement_id=agreement.id))


def _draft(agreement_id: int):
    agreement = _administered_agreement(agreement_id)
    if agreement.status is not Status.draft:
        raise PortalError("document_not_draft", 409)
    return agreement


@bp.get("/agreements/<int:agreement_id>/edit")
@login_required
def edit(agreement_id: int):
    agreement = _draft(agreement_id)
    form = AgreementForm(
        obj=agreement,
        approvals_required=agreement.approvals_required,
        goals=[
            {"title": g.title, "description": g.description, "indicators": g.indicators}
            for g in agreement.goals
        ]
        or None,
    )
    return _draft_page(form, agreement)


@bp.post("/agreements/<int:agreement_id>/edit")
@login_required
def update(agreement_id: int):
    agreement = _draft(agreement_id)
    form = AgreementForm()
    page, business_ids = _checked(form, agreement)
    if page is not None:
        return page
    update_draft(
        db.session(),
        current_user,
        agreement,
        title=(form.title.data or "").strip(),
        business_ids=business_ids,
        language=form.language.data,
        goals=form.goal_texts(),
        terms=form.terms(),
    )
    return _saved(form, agreement)
