"""Every flag's English source text (a gettext msgid; the portal translates it to fi/sv).
Keys are stable identifiers used by rules.py; %(name)s placeholders are filled from params.
N_() only marks a text for extraction (scripts/i18n.sh -k N_): the checks stay free of Flask."""


def N_(text: str) -> str:  # noqa: N802 - the conventional name of a no-op gettext marker
    return text


MESSAGES: dict[str, str] = {
    "parties.ok": N_("Every party named in the document is a party of the main agreement (%(count)s named)."),
    "parties.outsider": N_(
        "%(name)s is named in the document but is not a party of the main "
        "agreement. Remove it from the text, or have it join the main "
        "agreement first, then upload a new version."
    ),
    "parties.unknown_business_id": N_(
        "Business ID %(business_id)s is not the business ID of any "
        "party of the main agreement. Correct or remove it, then "
        "upload a new version."
    ),
    "parties.declared_outsider": N_(
        "Declared party %(business_id)s is not a party of the main "
        "agreement. Upload a new version with the declared parties "
        "corrected."
    ),
    "parties.declared_none": N_("An annex agreement must name its parties."),
    "refers_to_main.ok": N_("The document refers to the main agreement."),
    "refers_to_main.missing": N_("The document does not refer to the main agreement."),
    "goals.ok": N_("The document implements goals %(goals)s of the main agreement."),
    "goals.none": N_("The document does not state which goals of the main agreement it implements."),
    "goals.unknown": N_("Declared goal %(goal)s is not a goal of the main agreement."),
    "goals.not_in_text": N_("Declared goal %(goal)s (%(title)s) is not mentioned in the text."),
    "validity.ok": N_("Validity and notice period do not contradict the main agreement."),
    "validity.short_notice": N_(
        "The notice period of %(months)s months is shorter than the main agreement's %(main_months)s months."
    ),
    "validity.beyond_main": N_(
        "The document is valid until %(until)s, beyond the end of the main agreement (%(main_until)s)."
    ),
    "disputes.ok": N_("The dispute-resolution clause agrees with the main agreement."),
    "disputes.none": N_("The document has no dispute-resolution clause; the main agreement's applies."),
    "disputes.arbitration": N_("The document refers disputes to arbitration, unlike the main agreement."),
    "disputes.other_court": N_("The document refers disputes to %(court)s, unlike the main agreement."),
    "disputes.general_court": N_(
        "The document sends every dispute to a general court; the main "
        "agreement sends administrative disputes to the administrative "
        "court."
    ),
    "disputes.no_negotiation": N_(
        "The document takes disputes to a court without negotiation first, unlike the main agreement."
    ),
    "costs.ok": N_("Each party bears its own costs."),
    "costs.departs": N_(
        "The document departs from the own-cost principle (cost sharing, invoicing "
        "or amounts); this must be acknowledged."
    ),
    "analyser.missing": N_(
        "The Finnish language analyser (Voikko) is not installed: the checks "
        "fell back to simpler word stems and their results may be "
        "incomplete."
    ),
    "fit_to_sign.ok": N_("The file is fit to sign."),
    "fit_to_sign.unchecked": N_("The file has not been checked yet."),
    "fit_to_sign.encrypted": N_("The file is encrypted."),
    "fit_to_sign.javascript": N_("The file contains JavaScript."),
    "fit_to_sign.launch_action": N_("The file contains a launch action."),
    "fit_to_sign.embedded_file": N_("The file contains embedded files."),
    "fit_to_sign.text_unreadable": N_("The text of the file could not be read, so it could not be checked."),
    "fit_to_sign.no_text": N_(
        "The file has no text to read (a scanned image?), so its content could not be checked."
    ),
    "fit_to_sign.signed": N_("The file already contains signatures that signing would break."),
    "fit_to_sign.submit_form": N_("The file contains a form action that sends or resets data."),
    "fit_to_sign.additional_actions": N_(
        "The file contains actions that run by themselves (additional actions)."
    ),
    "fit_to_sign.optional_content": N_(
        "The file has content that shows differently on screen and in print, or is hidden by default."
    ),
    "fit_to_sign.import_data": N_("The file contains an action that imports data."),
    "fit_to_sign.rendition": N_("The file contains sound, video or other media."),
    "fit_to_sign.rich_media": N_("The file contains rich media or 3D content."),
    "fit_to_sign.embedded_goto": N_("The file contains links into other or embedded documents."),
    "fit_to_sign.hide_action": N_("The file contains an action that hides or shows content."),
    "fit_to_sign.set_ocg_state": N_("The file contains an action that switches layers on or off."),
}
