"""Annexes, annex agreements and amendments: uploaded by lawyers, checked against the main
agreement (portal.checks) in a background job, flags acknowledged by people (R6-R9)."""


def init_app(app) -> None:
    """At app setup: register the background job that checks a version against the main
    agreement. (Imported here, not above: importing portal.annexes.domain loads no services.)"""
    from portal.annexes import services
    from portal.jobs import services as jobs

    jobs.register("check_version", run=services.run_check_job, failed=services.check_job_failed)
