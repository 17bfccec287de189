"""The administrators' page of each work queue: /admin/jobs and /admin/outbox, one template."""

from collections.abc import Callable
from dataclasses import dataclass

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required

from portal.errors import PortalError
from portal.extensions import db
from portal.health.views import current as health_now
from portal.jobs import services as jobs
from portal.jobs.inline import start_queued
from portal.mail import services as mail
from portal.messages import JOB_STATUS_TITLES, message
from portal.permissions import Action, require
from portal.queue.domain import JobStatus

bp = Blueprint("queues", __name__)


@dataclass(frozen=True)
class Page:
    title: str
    intro: str | None
    empty: str
    #: (heading, the cell of a row)
    columns: tuple[tuple[str, Callable], ...]
    #: the row's DOM id is "<prefix>-<id>"; its retry route is "queues.retry_<prefix>", taking
    #: "<prefix>_id"
    prefix: str
    #: what the retry button names to a screen reader
    retry_label: Callable

    def retry_url(self, row) -> str:
        return url_for(f"queues.retry_{self.prefix}", **{f"{self.prefix}_id": row.id})


def _job_state(job) -> str:
    title = str(JOB_STATUS_TITLES[job.status])
    return f"{title} ({job.progress} %)" if job.status is JobStatus.running else title


JOBS = Page(
    _l("Background jobs"),
    _l("Jobs that failed, and jobs still waiting or running. A failed job can be retried."),
    _l("Every job has finished."),
    ((_l("Job"), lambda job: f"{job.kind} {job.subject or ''}"), (_l("State"), _job_state)),
    "job",
    lambda job: job.id,
)
OUTBOX = Page(
    _l("Mail that could not be sent"),
    None,
    _l("No mail has failed for good."),
    ((_l("Recipient"), lambda m: m.recipient), (_l("Subject"), lambda m: m.subject)),
    "mail",
    lambda m: m.recipient,
)


@bp.before_request
@login_required
def administrators_only():
    require(current_user, Action.administer)


@bp.get("/admin/jobs")
def job_list():
    return render_template("queue/admin.html", page=JOBS, rows=jobs.jobs_needing_attention(db.session))


@bp.post("/admin/jobs/<int:job_id>/retry")
def retry_job(job_id: int):
    if jobs.retry(db.session(), job_id, current_user.id) is None:
        raise PortalError("not_found", 404)
    db.session.commit()
    start_queued(db.session())
    flash(message("job_requeued"), "success")
    return redirect(url_for("queues.job_list"))


@bp.get("/admin/outbox")
def outbox():
    return render_template(
        "queue/admin.html", page=OUTBOX, rows=mail.failed_mails(db.session), health=health_now()
    )


@bp.post("/admin/outbox/<int:mail_id>/retry")
def retry_mail(mail_id: int):
    if mail.retry(db.session(), mail_id) is None:
        raise PortalError("not_found", 404)
    db.session.commit()
    flash(message("mail_requeued"), "success")
    return redirect(url_for("queues.outbox"))
