"""/admin/users: the people of the installation, searched and deactivated (portal
administrators only)."""

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from portal.auth.domain import Role
from portal.auth.models import User
from portal.errors import PortalError
from portal.extensions import db
from portal.memberships import held, services
from portal.memberships.forms import DeactivateForm
from portal.permissions import Action, allowed, is_portal_admin, require, roles_held

bp = Blueprint("people", __name__)


@bp.app_context_processor
def permission_helpers() -> dict:
    return {
        "is_portal_admin": is_portal_admin,
        "may_create_sign_token": lambda user: allowed(user, Action.create_sign_token),
        "my_memberships": held.memberships_in,
        "holds_role": lambda user, role: Role(role) in roles_held(user),
    }


def _person(user_id: int) -> User:
    require(current_user, Action.administer)
    person = db.session.get(User, user_id)
    if person is None:
        raise PortalError("not_found", 404)
    return person


@bp.get("/admin/users")
@login_required
def users():
    require(current_user, Action.administer)
    query = request.args.get("q", "")[:100]
    return render_template("people/users.html", query=query, people=services.search_people(db.session, query))


@bp.get("/admin/users/<int:user_id>/deactivate")
@login_required
def deactivate_confirm(user_id: int):
    return render_template(
        "people/deactivate.html", person=_person(user_id), form=DeactivateForm(formdata=None)
    )


@bp.post("/admin/users/<int:user_id>/deactivate")
@login_required
def deactivate(user_id: int):
    person = _person(user_id)
    form = DeactivateForm()
    if not form.validate_on_submit():
        return render_template("people/deactivate.html", person=person, form=form), 422
    services.deactivate_person(db.session(), person, current_user)
    db.session.commit()
    flash(
        _(
            "%(name)s was deactivated: their sessions and tokens ended and their signing "
            "certificate was revoked.",
            name=person.display_name,
        ),
        "success",
    )
    return redirect(url_for("people.users"))
