"""A person's own profile: /profile, where they choose their language once."""

from flask import Blueprint, flash, redirect, render_template, session, url_for
from flask_babel import gettext as _
from flask_babel import refresh
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from portal.extensions import db
from portal.notifications import preferences
from portal.notifications.domain import REQUIRED_KINDS
from portal.people import services
from portal.people.forms import MAIL_KIND_TITLES, MailForm, ProfileForm

bp = Blueprint("profile", __name__)


def _page(form: ProfileForm | None = None, mail_form: MailForm | None = None) -> str:
    chosen = preferences.chosen(db.session(), current_user)
    return render_template(
        "people/profile.html",
        form=form or ProfileForm(locale=current_user.locale),
        mail_form=mail_form or MailForm(formdata=None, data={k.value: v.value for k, v in chosen.items()}),
        required_kinds=[MAIL_KIND_TITLES[k] for k in MAIL_KIND_TITLES if k in REQUIRED_KINDS],
    )


@bp.get("/profile")
@login_required
def profile() -> str:
    return _page()


@bp.post("/profile")
@login_required
def save_profile() -> Response | tuple[str, int]:
    form = ProfileForm()
    if not form.validate_on_submit():
        return _page(form=form), 422
    services.set_language(db.session(), current_user, form.locale.data)
    db.session.commit()
    session.pop("lang", None)  # the person's choice now decides, not this session's switch
    refresh()
    flash(_("Your language was saved."), "success")
    return redirect(url_for("profile.profile"))


@bp.post("/profile/mail")
@login_required
def save_mail() -> Response | tuple[str, int]:
    form = MailForm()
    if not form.validate_on_submit():
        return _page(mail_form=form), 422
    preferences.save(db.session(), current_user, form.choices_made())
    db.session.commit()
    flash(_("Your mail choices were saved."), "success")
    return redirect(url_for("profile.profile", _anchor="mail"))
