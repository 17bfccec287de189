from flask import Blueprint, flash, redirect, render_template, url_for
from flask_login import current_user, login_required

from portal.auth.domain import may_administer
from portal.errors import PortalError
from portal.extensions import db
from portal.jobs import services
from portal.messages import message

bp = Blueprint("jobs", __name__)


@bp.before_request
@login_required
def administrators_only():
    if not may_administer(current_user.role):
        raise PortalError("forbidden", 403)


@bp.get("/admin/jobs")
def index():
    return render_template("jobs/index.html", jobs=services.jobs_needing_attention(db.session))


@bp.post("/admin/jobs/<int:job_id>/retry")
def retry(job_id: int):
    if services.retry(db.session, job_id, current_user.id) is None:
        raise PortalError("not_found", 404)
    db.session.commit()
    services.start_queued(db.session)
    flash(message("job_requeued"), "success")
    return redirect(url_for("jobs.index"))
