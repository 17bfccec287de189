"""Annexes, annex agreements and amendments: uploaded by lawyers, checked against the main
agreement (portal.checks) in a background job, flags acknowledged by people (R6-R9)."""


def init_app(app) -> None:
    """At app setup: register the background job that checks a version against the main
    agreement. (Imported here, not above: importing portal.annexes.domain loads no services.)"""
    from portal.annexes import checking
    from portal.jobs import services as jobs

    jobs.register("check_version", run=_run_check, failed=checking.check_job_failed)


def _run_check(session, job) -> None:
    """The check with the context of the app the job runs in (jobs run in an app context: the
    worker's, or the request's when PORTAL_JOBS_INLINE runs it in process)."""
    from portal.annexes.checking import run_check_job
    from portal.appctx import document_context

    run_check_job(session, document_context(), job)
