"""Recording who may sign for a party: /agreements/<id>/authorities (administrator)."""

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select
from werkzeug.wrappers import Response

from portal.agreements.services import get_visible_agreement
from portal.auth.models import User
from portal.documents.services import helsinki_date
from portal.errors import PortalError
from portal.extensions import db
from portal.messages import message
from portal.permissions import Action, require
from portal.signatories import services
from portal.signatories.forms import AuthorityForm
from portal.timeutil import utcnow

bp = Blueprint("signatories", __name__)


def _agreement(agreement_id: int):  # noqa: ANN202 (an Agreement)
    require(current_user, Action.administer)
    return get_visible_agreement(db.session(), current_user, agreement_id)


def _people(agreement) -> list[User]:  # noqa: ANN001
    return list(
        db.session.scalars(
            select(User)
            .where(
                User.organisation_id.in_([p.organisation_id for p in agreement.parties]),
                User.active.is_(True),
            )
            .order_by(User.display_name)
        )
    )


def _page(agreement, form: AuthorityForm, status: int = 200) -> tuple[str, int]:  # noqa: ANN001
    today = helsinki_date(utcnow())
    return render_template(
        "signatories/authorities.html",
        agreement=agreement,
        form=form,
        authorities=services.authorities_of(
            db.session(), agreement.id, [p.organisation_id for p in agreement.parties], today
        ),
    ), status


@bp.get("/agreements/<int:agreement_id>/authorities")
@login_required
def authorities(agreement_id: int) -> tuple[str, int]:
    agreement = _agreement(agreement_id)
    form = AuthorityForm(valid_from=helsinki_date(utcnow())).with_people(_people(agreement))
    return _page(agreement, form)


@bp.post("/agreements/<int:agreement_id>/authorities")
@login_required
def record(agreement_id: int) -> Response | tuple[str, int]:
    agreement = _agreement(agreement_id)
    form = AuthorityForm().with_people(_people(agreement))
    if not form.validate_on_submit():
        return _page(agreement, form, 422)
    person = db.session.get(User, form.person.data)
    if person is None or person.organisation_id is None:
        raise PortalError("not_found", 404)
    try:
        services.record_authority(
            db.session(),
            current_user,
            agreement,
            person,
            person.organisation_id,
            form.mandate(),
            helsinki_date(utcnow()),
            form.this_agreement_only.data,
        )
    except PortalError as error:
        db.session.rollback()
        form.title.errors = [*form.title.errors, message(error.code, **error.params)]
        return _page(agreement, form, error.status)
    db.session.commit()
    flash(_("The signing authority was recorded."), "success")
    return redirect(url_for("signatories.authorities", agreement_id=agreement.id))
