"""Annexes, annex agreements and amendments: uploaded by lawyers, checked against the main
agreement (portal.checks) in a background job, flags acknowledged by people (R6-R9)."""
