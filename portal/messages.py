"""Every refusal's message, in one place, translated at the moment it is shown."""

from flask_babel import lazy_gettext as _l
from flask_babel import lazy_pgettext

from portal.agreements.domain import AnnexProcedure, DisputeForum, Status
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
    "invalid_characters": _l(
        "The field %(field)s contains characters that are not allowed, "
        "such as a NUL byte or another control character."
    ),
    "login_failed": _l("Wrong username or password."),
    "wrong_password": _l("The password was wrong. Nothing was signed."),
    "wrong_password_token": _l("The password was wrong. No token was created."),
    "password_needed": _l("Enter your password."),
    "second_factor_needed": _l(
        "Confirm with your second factor first: a code from your "
        "authenticator app, a recovery code or a passkey."
    ),
    "wrong_code": _l("The code was wrong or already used."),
    "wrong_passkey": _l("The passkey could not be verified."),
    "passkey_not_verified": _l("The passkey could not be added: the browser's answer did not verify."),
    "password_login_off": _l("Signing in with a password is turned off. Use single sign-on."),
    "sso_not_configured": _l("Single sign-on is not in use."),
    "sso_failed": _l("Single sign-on did not succeed. Try again."),
    "sso_email_unverified": _l(
        "Your identity service has not verified your e-mail address, so it cannot sign you in here."
    ),
    "sso_unknown_email": _l(
        "No active user of the portal has the e-mail address your identity "
        "service gave. Accounts are created by invitation."
    ),
    "token_expired": _l("This access token has expired. Create a new one."),
    "token_not_for_document": _l("This access token was not created for signing this document."),
    "token_documents_needed": _l("Choose the documents the token may sign (of one agreement)."),
    "sign_not_open": _l("This document is not open for signature."),
    "sign_not_a_representative": _l("Only a party's representative can sign."),
    "sign_not_a_party": _l("Your organisation is not a party to this document."),
    "sign_already_signed": _l("Your party has already signed this document."),
    "sign_no_such_field": _l("The document has no signature field for your party."),
    "sign_stored_file_mismatch": _l(
        "The stored document does not match what was signed so far. "
        "Nothing was signed; the administrator has been told."
    ),
    "sign_not_verified": _l(
        "The new signature could not be verified. Nothing was signed; the administrator has been told."
    ),
    "timestamp_unavailable": _l(
        "The time-stamping service did not answer. Nothing was changed; try again in a moment."
    ),
    "external_disabled": _l("Signing with your own certificate is not in use on this portal."),
    "external_stale": _l(
        "Another party signed the document after you downloaded it. Download "
        "the document again and sign the new copy. Nothing was stored."
    ),
    "external_not_extending": _l(
        "The file does not begin with the exact content of the document "
        "you downloaded: it was changed before your signature. Nothing "
        "was stored."
    ),
    "external_not_one_revision": _l(
        "The file must add exactly one signature to the document you "
        "downloaded, and nothing else. Nothing was stored."
    ),
    "external_field_not_signed": _l(
        "The file does not sign your party's signature field "
        "(%(field)s). Sign that field only. Nothing was stored."
    ),
    "external_other_changes": _l(
        "The file changes more than your party's signature field. Nothing was stored."
    ),
    "external_invalid": _l("The signature in the file is not valid. Nothing was stored."),
    "external_untrusted": _l(
        "The certificate was not issued by a certification authority this "
        "portal accepts for signing with your own certificate. Nothing was "
        "stored."
    ),
    "external_wrong_person": _l(
        "The certificate does not identify you: it must carry the e-mail "
        "address of your account (%(email)s). Nothing was stored."
    ),
    "external_wrong_party": _l(
        "The certificate was issued for another organisation than your party. Nothing was stored."
    ),
    "external_unreadable": _l("The file could not be read as a signed PDF. Nothing was stored."),
    "document_not_draft": _l("The document has already been opened for signature."),
    "document_missing": _l("Upload the agreement document first."),
    "no_parties": _l("The agreement has no parties."),
    "choose_parties": _l("Choose at least one party from the register."),
    "not_a_party": _l("That organisation is not a party to this agreement."),
    "unknown_business_id": _l("No organisation with business ID %(business_id)s is registered."),
    "invalid_business_id": _l("%(business_id)s is not a valid business ID."),
    "username_taken": _l("The username %(username)s is already in use."),
    "password_too_short": _l("The password must have at least %(length)s characters."),
    "authority_title": _l("Give the title the person signs with, such as kaupunginjohtaja."),
    "authority_section": _l("Give the section of the regulation or the § of the decision."),
    "authority_decision": _l("A delegation decision needs the body that made it and its date."),
    "authority_decision_future": _l("A decision cannot be dated in the future."),
    "authority_period": _l("The authority cannot end before it begins."),
    "authority_not_of_party": _l("The person is not an active member of that party."),
    "business_id_taken": _l("An organisation with business ID %(business_id)s is already registered."),
    "invalid_kind": _l("%(kind)s is not a kind of organisation."),
    "csv_encoding": _l(
        "The file is not UTF-8 text. Save it as \u201cCSV UTF-8\u201d and import it "
        "again. Nothing was imported."
    ),
    "csv_empty": _l("The file has no organisations. Nothing was imported."),
    "csv_invalid": _l(
        "The file has %(count)s faulty lines, the first on line %(line)s. Nothing "
        "was imported: correct them and import the whole file again."
    ),
    "csv_row_missing_column": _l("Line %(line)s: the header lacks the column(s) %(value)s."),
    "csv_row_invalid_business_id": _l(
        "Line %(line)s: %(value)s is not a valid business ID (check the format and the check digit)."
    ),
    "csv_row_missing_name": _l("Line %(line)s: the name is missing."),
    "csv_row_invalid_kind": _l("Line %(line)s: \u201c%(value)s\u201d is not a kind of organisation."),
    "csv_row_too_long": _l("Line %(line)s: the field %(value)s is too long."),
    "csv_row_too_many_values": _l("Line %(line)s: there are more values than the header has columns."),
    "csv_row_duplicate_in_file": _l(
        "Line %(line)s: business ID %(value)s is already on an earlier line of the file."
    ),
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
    "pdf_form_field": _l(
        "The PDF has a form field or text box that cannot be made part of the "
        "page. Print it to a new PDF and upload that."
    ),
    "pdf_submit_form": _l("The PDF contains a form action that sends or resets data, which is not allowed."),
    "pdf_additional_actions": _l(
        "The PDF contains actions that run by themselves when it is opened or used, which is not allowed."
    ),
    "pdf_optional_content": _l(
        "The PDF has content that shows differently on screen and in "
        "print, or is hidden by default, which is not allowed."
    ),
    "pdf_import_data": _l("The PDF contains an action that imports data, which is not allowed."),
    "pdf_rendition": _l("The PDF contains sound, video or other media, which is not allowed."),
    "pdf_rich_media": _l("The PDF contains rich media or 3D content, which is not allowed."),
    "pdf_embedded_goto": _l(
        "The PDF contains links into other or embedded documents, which are not allowed."
    ),
    "pdf_hide_action": _l("The PDF contains an action that hides or shows content, which is not allowed."),
    "pdf_set_ocg_state": _l(
        "The PDF contains an action that switches layers on or off, which is not allowed."
    ),
    "justification_too_short": _l("Write a justification of at least %(min)s characters."),
    "flag_blocker": _l("A blocker cannot be acknowledged: upload a new version that clears it."),
    "flag_nothing_to_acknowledge": _l("There is no warning here waiting for acknowledgement."),
    "gate_not_signed_kind": _l("An annex is part of the agreement and is not signed on its own."),
    "gate_checks_pending": _l("The compatibility check has not finished yet."),
    "gate_checks_failed": _l("The compatibility check failed. The administrator can retry it."),
    "gate_flags_blocker": _l("A blocker keeps this document from signature until a new version clears it."),
    "gate_flags_unacknowledged": _l(
        "Every warning must be acknowledged with a justification before signature."
    ),
    "job_requeued": _l("The job was put back in the queue."),
    "contact_saved": _l("Your contact details were saved. The other parties will be told."),
    "mail_requeued": _l("The mail was put back in the queue."),
    "invalid_email": _l("That is not a valid e-mail address."),
    "invalid_role": _l("That role does not exist in an agreement."),
    "invalid_language": _l("The language must be Finnish (fi), Swedish (sv) or English (en)."),
    "invitation_unknown": _l("This invitation link is not valid."),
    "invitation_used": _l("This invitation link has already been used. Sign in to the portal instead."),
    "invitation_withdrawn": _l("This invitation has been withdrawn."),
    "invitation_expired": _l("This invitation link has expired. Ask the administrator for a new invitation."),
    "invitation_sign_in": _l("You already have an account: sign in to accept the invitation."),
    "invitation_other_person": _l("This invitation was sent to another e-mail address than yours."),
    "deactivate_self": _l("You cannot deactivate yourself."),
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
    "not_unanimous": _l(
        "The steering group's decision was not unanimous, or the meeting had no "
        "quorum: the organisation does not join."
    ),
    "no_chair": _l("The steering group has no chair to sign the accession."),
    "adoption_not_pending": _l("This version of the annex is not waiting for a decision."),
    "adoption_meeting_missing": _l("Choose the steering group's meeting that decided."),
    "adoption_decision_missing": _l("Give the party's decision and its date."),
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
    OrganisationKind.municipality: _l("Municipality or city"),
    OrganisationKind.wellbeing_services_county: _l("Wellbeing services county"),
    OrganisationKind.regional_council: _l("Regional council"),
    OrganisationKind.joint_municipal_authority: _l("Joint municipal authority"),
    OrganisationKind.other_public_body: _l("Other public or non-profit body"),
    OrganisationKind.company: _l("Company or association"),
}


ANNEX_PROCEDURE_TITLES = {
    AnnexProcedure.steering_group: _l(
        "The steering group approves a new annex or version (recorded as its decision)"
    ),
    AnnexProcedure.own_part: _l("Each party updates its own part of an annex by its own decision"),
}

DISPUTE_FORUM_TITLES = {
    DisputeForum.courts: _l("Negotiation, then the administrative court or a general court"),
    DisputeForum.general: _l("A general court"),
    DisputeForum.arbitration: _l("Arbitration"),
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
COST_ROUNDING = _l(
    "Each share is rounded down to the cent; the cents left over go one each to "
    "the parties with the largest remainders, ties to the larger weight, then to "
    "the smaller business ID."
)

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


#: why a document was kept in its original format rather than PDF/A-2b (signing.pdfa reasons)
PDFA_REASONS = {
    "ghostscript_missing": _l("the conversion tool is not installed on the server"),
    "conversion_failed": _l("the file could not be converted"),
    "page_count": _l("the conversion changed the number of pages"),
    "text_changed": _l("the conversion changed the text"),
    "looks_different": _l("the conversion changed how the pages look"),
    "timeout": _l("the conversion took too long"),
    "off": _l("the conversion is turned off on this portal"),
}


def message(code: str, **params) -> str:
    text = MESSAGES.get(code, MESSAGES["bad_request"])
    return str(text) % params if params else str(text)
