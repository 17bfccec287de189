"""The organisations register for administrators: /admin/organisations."""

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from portal.errors import PortalError
from portal.extensions import db
from portal.messages import message
from portal.organisations import services
from portal.organisations.forms import ImportForm, OrganisationForm
from portal.organisations.models import Organisation
from portal.permissions import Action, require

#: what a view answers: a page, a redirect, or a page with its status
Answer = Response | str | tuple[str, int]
bp = Blueprint("organisations", __name__, url_prefix="/admin/organisations")


@bp.before_request
@login_required
def administrators_only() -> None:
    require(current_user, Action.administer)


def _page_number() -> int:
    value = request.args.get("page", "1")
    return min(int(value), 100_000) if value.isdigit() and int(value) > 0 else 1


@bp.get("")
def index() -> str:
    query = request.args.get("q", "")[:200]
    page = _page_number()
    found, total = services.search(db.session(), query, page)
    template = (
        "organisations/_results.html" if request.headers.get("HX-Request") else "organisations/index.html"
    )
    return render_template(
        template,
        organisations=found,
        total=total,
        page=page,
        query=query,
        pages=max(1, -(-total // services.PAGE_SIZE)),
        import_form=ImportForm(),
    )


@bp.get("/new")
def new() -> str:
    return render_template("organisations/edit.html", form=OrganisationForm(), organisation=None)


def _save(form: OrganisationForm, organisation: Organisation | None) -> Answer:
    if form.validate_on_submit():
        try:
            if organisation is None:
                services.create_organisation(db.session(), current_user, form.row())
            else:
                services.update_organisation(db.session(), current_user, organisation, form.row())
        except PortalError as error:
            db.session.rollback()
            if error.code != "business_id_taken":
                raise
            form.business_id.errors = [message(error.code, **error.params)]
        else:
            db.session.commit()
            flash(_("The organisation was saved."), "success")
            return redirect(url_for("organisations.index", q=form.row().business_id))
    return render_template("organisations/edit.html", form=form, organisation=organisation), 422


@bp.post("/new")
def create() -> Answer:
    return _save(OrganisationForm(), None)


def _organisation(organisation_id: int) -> Organisation:
    organisation = db.session.get(Organisation, organisation_id)
    if organisation is None:
        raise PortalError("not_found", 404)
    return organisation


@bp.get("/<int:organisation_id>")
def edit(organisation_id: int) -> str:
    organisation = _organisation(organisation_id)
    return render_template(
        "organisations/edit.html", organisation=organisation, form=OrganisationForm(obj=organisation)
    )


@bp.post("/<int:organisation_id>")
def update(organisation_id: int) -> Answer:
    return _save(OrganisationForm(), _organisation(organisation_id))


@bp.post("/import")
def import_csv() -> Answer:
    form = ImportForm()
    if not form.validate_on_submit():
        for error in form.file.errors:
            flash(error, "error")
        return redirect(url_for("organisations.index"))
    try:
        result = services.import_csv(db.session(), current_user, form.file.data.read())
    except services.CsvRefused as refused:
        db.session.rollback()
        return render_template(
            "organisations/import_refused.html",
            summary=message(refused.code, **refused.params),
            lines=[message(f"csv_row_{e.code}", line=e.line, value=e.value) for e in refused.errors],
        ), 422
    db.session.commit()
    flash(
        _(
            "Imported: %(created)s new, %(updated)s updated, %(unchanged)s unchanged.",
            created=result.created,
            updated=result.updated,
            unchanged=result.unchanged,
        ),
        "success",
    )
    return redirect(url_for("organisations.index"))
