"""A person's own profile: /profile, where they choose their language once."""

from flask import Blueprint, flash, redirect, render_template, session, url_for
from flask_babel import gettext as _
from flask_babel import refresh
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from portal.extensions import db
from portal.people import services
from portal.people.forms import ProfileForm

bp = Blueprint("profile", __name__)


@bp.get("/profile")
@login_required
def profile() -> str:
    return render_template("people/profile.html", form=ProfileForm(locale=current_user.locale))


@bp.post("/profile")
@login_required
def save_profile() -> Response | tuple[str, int]:
    form = ProfileForm()
    if not form.validate_on_submit():
        return render_template("people/profile.html", form=form), 422
    services.set_language(db.session(), current_user, form.locale.data)
    db.session.commit()
    session.pop("lang", None)  # the person's choice now decides, not this session's switch
    refresh()
    flash(_("Your language was saved."), "success")
    return redirect(url_for("profile.profile"))
