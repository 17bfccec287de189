"""The cost-sharing tables of an agreement (R9): a page per agreement, a form or a CSV import to
record a year, and each year's table as CSV and as a PDF in the agreement's language."""

from datetime import date

from flask import Blueprint, Response, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from portal.agreements.models import Agreement
from portal.agreements.services import get_visible_agreement
from portal.costs import domain, services
from portal.costs.forms import CostsForm
from portal.costs.pdf import cost_table_pdf
from portal.errors import PortalError
from portal.extensions import db
from portal.formdata import validated
from portal.messages import COST_ROUNDING, message
from portal.permissions import Action, allowed, require

bp = Blueprint("costs", __name__)


def _page(agreement: Agreement, form: CostsForm | None = None, status: int = 200):
    return render_template(
        "costs/index.html",
        agreement=agreement,
        tables=services.cost_tables(db.session(), agreement.id),
        form=(form or CostsForm(formdata=None)).with_parties(agreement),
        rounding=COST_ROUNDING,
        may_manage=allowed(current_user, Action.manage_costs, agreement),
    ), status


@bp.get("/agreements/<int:agreement_id>/costs")
@login_required
def index(agreement_id: int):
    return _page(get_visible_agreement(db.session(), current_user, agreement_id))


@bp.post("/agreements/<int:agreement_id>/costs")
@login_required
def create(agreement_id: int):
    agreement = get_visible_agreement(db.session(), current_user, agreement_id)
    require(current_user, Action.manage_costs, agreement)
    form = CostsForm().with_parties(agreement)
    if not form.validate_on_submit():
        return _page(agreement, form, 422)
    try:
        populations = _populations(form)
    except domain.CsvRefused as refused:
        form.csv.errors.append(_("The CSV file could not be read (line %(line)s).", line=refused.line))
        return _page(agreement, form, 422)
    try:
        services.record_costs(
            db.session(),
            agreement,
            current_user,
            year=validated(form.year.data),
            total=validated(form.total.data),
            populations=populations,
        )
    except PortalError as refused:
        db.session.rollback()
        form.form_errors.append(message(refused.code, **refused.params))
        return _page(agreement, form, refused.status)
    db.session.commit()
    flash(_("The cost sharing of %(year)s was recorded.", year=form.year.data), "success")
    return redirect(url_for("costs.index", agreement_id=agreement.id))


def _populations(form: CostsForm) -> list[services.Population]:
    if form.csv.data:
        rows = domain.parse_population_csv(form.csv.data.read().decode("utf-8-sig", "replace"))
        try:
            return [
                services.Population(
                    r.business_id,
                    r.population,
                    r.source,
                    date.fromisoformat(r.reference_date) if r.reference_date else None,
                )
                for r in rows
            ]
        except ValueError as bad_date:
            raise domain.CsvRefused(0) from bad_date
    return [
        services.Population(
            e.form.business_id.data or "",
            e.form.population.data,
            (e.form.source.data or "").strip(),
            e.form.reference_date.data,
        )
        for e in form.populations
        if e.form.population.data is not None
    ]


@bp.get("/agreements/<int:agreement_id>/costs/<int:year>.csv")
@login_required
def export_csv(agreement_id: int, year: int):
    agreement = get_visible_agreement(db.session(), current_user, agreement_id)
    table = services.cost_table(db.session(), agreement.id, year)
    text = domain.population_csv(
        [
            (r.business_id, r.organisation.name, r.population, r.joint_authority, r.source, r.share)
            for r in table.rows
        ]
    )
    return Response(
        text,
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="costs-{agreement.id}-{year}.csv"'},
    )


@bp.get("/agreements/<int:agreement_id>/costs/<int:year>.pdf")
@login_required
def export_pdf(agreement_id: int, year: int):
    agreement = get_visible_agreement(db.session(), current_user, agreement_id)
    table = services.cost_table(db.session(), agreement.id, year)
    return Response(
        cost_table_pdf(agreement, table, COST_ROUNDING),
        mimetype="application/pdf",
        headers={"Content-Disposition": f'attachment; filename="costs-{agreement.id}-{year}.pdf"'},
    )
