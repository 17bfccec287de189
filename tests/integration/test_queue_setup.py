"""What the queues and the notifications are given at app setup: the job handlers registered by
the features, and the links built from the app's routes."""

import pytest

from portal.appctx import links
from portal.jobs import services as jobs
from portal.jobs.models import Job
from portal.links import Links
from portal.mail.models import OutboxMail
from portal.queue.models import QueueRow


def test_the_annexes_register_their_check_job_at_app_setup(app):
    import portal.annexes
    from portal.annexes import checking

    assert jobs.HANDLERS["check_version"] == jobs.Handler(
        portal.annexes._run_check, checking.check_job_failed
    )


def test_a_kind_is_registered_once(app, monkeypatch):
    monkeypatch.setattr(jobs, "HANDLERS", {})
    run, failed = (lambda session, job: None), (lambda session, job, final: None)
    jobs.register("tidy", run=run, failed=failed)
    jobs.register("tidy", run=run, failed=failed)  # a second app in the same process
    with pytest.raises(ValueError, match="tidy"):
        jobs.register("tidy", run=lambda session, job: None, failed=failed)
    assert list(jobs.HANDLERS) == ["tidy"]


def test_both_queues_are_queue_rows():
    assert issubclass(Job, QueueRow) and issubclass(OutboxMail, QueueRow)
    assert OutboxMail.run_after.expression.name == "next_attempt_at"  # the stored name is kept
    assert Job.run_after.expression.name == "run_after"


def test_links_are_built_from_the_routes_under_the_base_url(app):
    with app.test_request_context():
        built = links()
    assert built.agreement(3) == "/agreements/3"
    assert built.document(5) == "/documents/5"
    assert built.document_pdf(5) == "/documents/5/pdf"
    assert built.external("/agreements/3") == app.config["PORTAL_BASE_URL"].rstrip("/") + "/agreements/3"
    elsewhere = Links("https://sopu.example.fi/", app.url_map)
    assert elsewhere.external(elsewhere.document_pdf(7)) == "https://sopu.example.fi/documents/7/pdf"
