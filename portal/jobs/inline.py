"""Running jobs in the process that queued them, when PORTAL_JOBS_INLINE says so: "sync" in the
request itself (tests), "thread" in a thread of the same process (development). Otherwise
`portal worker` runs them. The views call start_queued after their commit."""

import threading

from flask import Flask, current_app
from sqlalchemy.orm import Session

from portal.extensions import db
from portal.jobs.services import run_due


def start_queued(session: Session) -> None:
    """After the commit: start what this session queued."""
    app = current_app._get_current_object()  # type: ignore[attr-defined]  # the proxy's documented way
    start(app, session.info.pop("queued_jobs", []))


def start(app: Flask, job_ids: list[int]) -> None:
    mode = app.config.get("PORTAL_JOBS_INLINE", "")
    if not job_ids or mode not in ("sync", "thread"):
        return
    if mode == "sync":
        for job_id in job_ids:
            run_due(db.session(), app.config, job_id=job_id)
        return

    def run() -> None:
        with app.app_context():
            for job_id in job_ids:
                run_due(db.session(), app.config, job_id=job_id)
            db.session.remove()

    threading.Thread(target=run, name=f"jobs-{job_ids[0]}", daemon=True).start()
