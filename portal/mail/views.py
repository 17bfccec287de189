from flask import Blueprint, flash, redirect, render_template, url_for
from flask_login import current_user, login_required

from portal.auth.domain import may_administer
from portal.errors import PortalError
from portal.extensions import db
from portal.mail import services
from portal.messages import message

bp = Blueprint("mail", __name__)


@bp.before_request
@login_required
def administrators_only():
    if not may_administer(current_user.role):
        raise PortalError("forbidden", 403)


@bp.get("/admin/outbox")
def outbox():
    return render_template("mail/outbox.html", mails=services.failed_mails(db.session))


@bp.post("/admin/outbox/<int:mail_id>/retry")
def retry(mail_id: int):
    if services.retry(db.session, mail_id) is None:
        raise PortalError("not_found", 404)
    db.session.commit()
    flash(message("mail_requeued"), "success")
    return redirect(url_for("mail.outbox"))
