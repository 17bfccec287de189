from flask import Blueprint, make_response, redirect, render_template, url_for
from flask_login import current_user, login_required
from htmx_flask import request

from portal.extensions import db
from portal.notifications import services

bp = Blueprint("notifications", __name__)


@bp.before_request
@login_required
def signed_in_only():
    pass


@bp.get("/notifications")
def index():
    return render_template(
        "notifications/index.html", notifications=services.notifications_of(db.session, current_user)
    )


@bp.app_template_global()
def unread_notifications() -> int:
    """The header's badge, drawn with the page (no request of its own after it, nothing that
    moves once the page is shown); it reads itself again every 30 s and after a change."""
    return services.unread_count(db.session(), current_user)


@bp.get("/notifications/badge")
def badge():
    return render_template(
        "notifications/_badge.html", unread=services.unread_count(db.session, current_user)
    )


@bp.post("/notifications/<int:notification_id>/read")
def read(notification_id: int):
    notification = services.mark_read(db.session(), current_user, notification_id)
    db.session.commit()
    if not request.htmx:
        return redirect(url_for("notifications.index"))
    response = make_response(render_template("notifications/_notification.html", notification=notification))
    response.headers["HX-Trigger"] = "notifications-changed"
    return response


@bp.post("/notifications/read")
def read_all():
    services.mark_all_read(db.session, current_user)
    db.session.commit()
    return redirect(url_for("notifications.index"))
