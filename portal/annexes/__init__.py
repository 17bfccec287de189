"""Annexes, annex agreements and amendments: uploaded by lawyers, checked against the main
agreement (portal.checks) in a background job, flags acknowledged by people (R6-R9)."""


def init_app(app) -> None:
    """At app setup: register the background job that checks a version against the main
    agreement. (Imported here, not above: importing portal.annexes.domain loads no services.)"""
    from portal.annexes import checking
    from portal.jobs import services as jobs

    jobs.register("check_version", run=_run_check, failed=checking.check_job_failed)
    from portal.documents import services as documents

    if _amended not in documents.ENTERED_INTO_FORCE:
        documents.ENTERED_INTO_FORCE.append(_amended)


def _amended(session, document) -> None:
    """Issue 12: an amendment in force changes the terms the checks read: every annex and annex
    agreement is checked again against the agreement as amended (R6, R8)."""
    from portal.annexes.services import annex_documents, queue_check
    from portal.documents.domain import DocumentKind

    if document.kind is DocumentKind.amendment:
        for other in annex_documents(session, document.agreement_id):
            if other.id != document.id and other.latest_version is not None:
                queue_check(session, other.latest_version, document.agreement_id)


def _run_check(session, job) -> None:
    """The check with the context of the app the job runs in (jobs run in an app context: the
    worker's, or the request's when PORTAL_JOBS_INLINE runs it in process)."""
    from portal.annexes.checking import run_check_job
    from portal.appctx import document_context

    run_check_job(session, document_context(), job)
