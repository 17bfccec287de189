"""Every refusal's message, in one place, translated at the moment it is shown."""

from flask_babel import lazy_gettext as _l
from flask_babel import lazy_pgettext

from portal.agreements.domain import Status
from portal.auth.domain import Role
from portal.checks import Severity
from portal.documents.domain import CheckStatus, DecisionType, DocumentKind
from portal.organisations.domain import OrganisationKind

MESSAGES = {
    "not_found": _l("The page or item was not found."),
    "forbidden": _l("You do not have the right to do this."),
    "unauthorized": _l("Sign in first, or give a valid access token."),
    "scope_missing": _l("This access token does not have the scope this needs."),
    "bad_request": _l("The request was not understood."),
    "csrf": _l("The form had expired. Reload the page and try again."),
    "rate_limited": _l("Too many attempts. Wait a minute and try again."),
    "too_large": _l("The file is larger than the portal accepts."),
    "server_error": _l("Something went wrong on our side. Nothing was changed."),
    "invalid": _l("Some fields need attention."),
    "invalid_field": _l("The field %(field)s is missing or not valid."),
    "invalid_characters": _l("The field %(field)s contains characters that are not allowed, "
                             "such as a NUL byte or another control character."),
    "login_failed": _l("Wrong username or password."),
    "wrong_password": _l("The password was wrong. Nothing was signed."),
    "wrong_password_token": _l("The password was wrong. No token was created."),
    "sign_not_open": _l("This document is not open for signature."),
    "sign_not_a_representative": _l("Only a party's representative can sign."),
    "sign_not_a_party": _l("Your organisation is not a party to this document."),
    "sign_already_signed": _l("Your party has already signed this document."),
    "sign_no_such_field": _l("The document has no signature field for your party."),
    "sign_stored_file_mismatch": _l("The stored document does not match what was signed so far. "
                                    "Nothing was signed; the administrator has been told."),
    "sign_not_verified": _l("The new signature could not be verified. Nothing was signed; the "
                            "administrator has been told."),
    "document_not_draft": _l("The document has already been opened for signature."),
    "document_missing": _l("Upload the agreement document first."),
    "no_parties": _l("The agreement has no parties."),
    "not_a_party": _l("That organisation is not a party to this agreement."),
    "unknown_business_id": _l("No organisation with business ID %(business_id)s is registered."),
    "invalid_business_id": _l("%(business_id)s is not a valid business ID."),
    "approval_exists": _l("This party's approval has already been recorded."),
    "pdf_empty": _l("The file is empty."),
    "pdf_not_pdf": _l("The file is not a PDF document."),
    "pdf_truncated": _l("The PDF file is incomplete (truncated)."),
    "pdf_encrypted": _l("The PDF is encrypted or password-protected. Upload it without protection."),
    "pdf_unreadable": _l("The PDF file could not be read."),
    "pdf_too_large": _l("The PDF is larger than the portal accepts."),
    "pdf_too_many_pages": _l("The PDF has more pages than the portal accepts."),
    "pdf_javascript": _l("The PDF contains JavaScript, which is not allowed in a document to sign."),
    "pdf_launch_action": _l("The PDF tries to launch a program, which is not allowed."),
    "pdf_embedded_file": _l("The PDF contains embedded files, which are not allowed."),
    "pdf_already_signed": _l("The PDF already has signatures that signing would break."),
    "pdf_timeout": _l("Reading the PDF took too long; the file may be damaged or hostile."),
    "pdf_memory": _l("Reading the PDF needed too much memory; the file may be damaged or hostile."),
    "pdf_form_field": _l("The PDF has a form field or text box that cannot be made part of the "
                         "page. Print it to a new PDF and upload that."),
    "pdf_submit_form": _l("The PDF contains a form action that sends or resets data, which is not "
                          "allowed."),
    "pdf_additional_actions": _l("The PDF contains actions that run by themselves when it is "
                                 "opened or used, which is not allowed."),
    "pdf_optional_content": _l("The PDF has content that shows differently on screen and in "
                               "print, or is hidden by default, which is not allowed."),
    "pdf_import_data": _l("The PDF contains an action that imports data, which is not allowed."),
    "pdf_rendition": _l("The PDF contains sound, video or other media, which is not allowed."),
    "pdf_rich_media": _l("The PDF contains rich media or 3D content, which is not allowed."),
    "pdf_embedded_goto": _l("The PDF contains links into other or embedded documents, which are "
                            "not allowed."),
    "pdf_hide_action": _l("The PDF contains an action that hides or shows content, which is not "
                          "allowed."),
    "pdf_set_ocg_state": _l("The PDF contains an action that switches layers on or off, which is "
                            "not allowed."),
    "justification_too_short": _l("Write a justification of at least %(min)s characters."),
    "flag_blocker": _l("A blocker cannot be acknowledged: upload a new version that clears it."),
    "flag_nothing_to_acknowledge": _l("There is no warning here waiting for acknowledgement."),
    "gate_not_signed_kind": _l("An annex is part of the agreement and is not signed on its own."),
    "gate_checks_pending": _l("The compatibility check has not finished yet."),
    "gate_checks_failed": _l("The compatibility check failed. The administrator can retry it."),
    "gate_flags_blocker": _l("A blocker keeps this document from signature until a new version "
                             "clears it."),
    "gate_flags_unacknowledged": _l("Every warning must be acknowledged with a justification "
                                    "before signature."),
    "job_requeued": _l("The job was put back in the queue."),
    "contact_saved": _l("Your contact details were saved. The other parties will be told."),
    "mail_requeued": _l("The mail was put back in the queue."),
    "decision_in_future": _l("A decision cannot be dated in the future."),
    "decision_not_active": _l("This decision has already been corrected or voided."),
    "correction_reason_missing": _l("Give the reason for the correction."),
    "terminated_already": _l("This party's termination has already been recorded."),
    "agreement_not_in_force": _l("The agreement is not in force."),
    "party_ended": _l("The agreement has ended for this party; its records are read-only."),
    "received_in_future": _l("A notice cannot be received in the future."),
    "costs_exist": _l("The cost table of this year has already been recorded."),
    "costs_total_cents": _l("The sum to share must be zero or more, in whole cents."),
    "costs_no_population": _l("The populations add up to zero: there is nothing to share by."),
    "population_missing": _l("Give the population of every party."),
    "deputy_needs_member": _l("A deputy member stands in for a member: choose the member."),
    "not_a_member": _l("That person is not a member of the steering group."),
    "party_already": _l("That organisation is already a party to this agreement."),
    "accession_pending": _l("That organisation has already asked to join."),
    "accession_not_requested": _l("This accession has already been decided."),
    "not_unanimous": _l("The steering group's decision was not unanimous, or the meeting had no "
                        "quorum: the organisation does not join."),
    "no_chair": _l("The steering group has no chair to sign the accession."),
}

#: labels of a contact person's details, in forms, pages and mail
CONTACT_FIELD_TITLES = {
    "name": _l("Name"),
    "title": lazy_pgettext("job title of a person", "Title"),
    "email": _l("E-mail"),
    "phone": _l("Phone"),
    "language": _l("Language"),
}

#: languages by their own names: not translated
LANGUAGE_AUTONYMS = {"fi": "suomi", "sv": "svenska", "en": "English"}

STATUS_TITLES = {
    Status.draft: lazy_pgettext("agreement status", "Draft"),
    Status.signing: lazy_pgettext("agreement status", "Open for signature"),
    Status.in_force: lazy_pgettext("agreement status", "In force"),
}

ROLE_TITLES = {
    Role.administrator: _l("Administrator"),
    Role.representative: _l("Representative"),
    Role.lawyer: _l("Lawyer"),
    Role.contact_person: _l("Contact person"),
    Role.viewer: _l("Viewer"),
}

KIND_TITLES = {
    OrganisationKind.wellbeing_county: _l("Wellbeing services county"),
    OrganisationKind.municipality: _l("Municipality"),
    OrganisationKind.city: _l("City"),
    OrganisationKind.regional_council: _l("Regional council"),
    OrganisationKind.joint_authority: _l("Joint municipal authority"),
    OrganisationKind.other: _l("Other public or non-profit body"),
}


DOCUMENT_KIND_TITLES = {
    DocumentKind.main: _l("Main agreement"),
    DocumentKind.annex: _l("Annex"),
    DocumentKind.annex_agreement: _l("Annex agreement"),
    DocumentKind.amendment: _l("Amendment"),
    DocumentKind.accession: _l("Accession"),
}

SEVERITY_TITLES = {
    Severity.ok: lazy_pgettext("flag severity", "OK"),
    Severity.info: lazy_pgettext("flag severity", "Note"),
    Severity.warning: lazy_pgettext("flag severity", "Warning"),
    Severity.blocker: lazy_pgettext("flag severity", "Blocker"),
}

CHECK_STATUS_TITLES = {
    CheckStatus.pending: lazy_pgettext("check status", "Waiting to be checked"),
    CheckStatus.checking: lazy_pgettext("check status", "Being checked"),
    CheckStatus.done: lazy_pgettext("check status", "Checked"),
    CheckStatus.failed: lazy_pgettext("check status", "Check failed"),
}


#: costs.domain.cost_shares' rounding, in one sentence (the API, the page and the PDF state it)
COST_ROUNDING = _l("Each share is rounded down to the cent; the cents left over go one each to "
                   "the parties with the largest remainders, ties to the larger weight, then to "
                   "the smaller business ID.")

DECISION_TYPE_TITLES = {
    DecisionType.approve: lazy_pgettext("decision type", "Approve"),
    DecisionType.take_note: lazy_pgettext("decision type", "Take note"),
}


JOB_STATUS_TITLES = {
    "queued": lazy_pgettext("job status", "Waiting"),
    "running": lazy_pgettext("job status", "Running"),
    "done": lazy_pgettext("job status", "Done"),
    "failed": lazy_pgettext("job status", "Failed"),
}


def message(code: str, **params) -> str:
    text = MESSAGES.get(code, MESSAGES["bad_request"])
    return str(text) % params if params else str(text)
