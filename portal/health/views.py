"""/admin/health for the administrator; /healthz for monitoring (details only for an administrator)."""

from flask import Blueprint, current_app, jsonify, render_template
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from portal.extensions import db
from portal.health import services
from portal.health.domain import Snapshot
from portal.permissions import Action, allowed, require

bp = Blueprint("health", __name__)


def current() -> Snapshot:
    return services.snapshot(db.session(), float(current_app.config["PORTAL_HEALTH_STALE_MINUTES"]))


@bp.get("/admin/health")
@login_required
def page() -> str:
    require(current_user, Action.administer)
    return render_template("health/index.html", health=current())


@bp.get("/healthz")
def healthz() -> tuple[Response, int]:
    """200 {"status": "ok"}, or 503 {"status": "stalled"} while mail waits undelivered; an
    administrator also sees the figures."""
    health = current()
    body: dict = {"status": "stalled" if health.stalled else "ok"}
    if current_user.is_authenticated and allowed(current_user, Action.administer):
        body |= {
            "worker": health.worker.value,
            "last_run_at": _iso(health.last_run_at),
            "last_sent_at": _iso(health.last_sent_at),
            "waiting_mails": health.waiting_mails,
            "oldest_mail_at": _iso(health.oldest_mail_at),
            "waiting_jobs": health.waiting_jobs,
            "oldest_job_at": _iso(health.oldest_job_at),
            "failed_mails": health.failed_mails,
            "failed_jobs": health.failed_jobs,
        }
    return jsonify(body), 503 if health.stalled else 200


def _iso(moment) -> str | None:
    return None if moment is None else moment.isoformat(timespec="seconds") + "Z"
