"""Every flag's English source text (a gettext msgid; the portal translates it to fi/sv).
Keys are stable identifiers used by rules.py; %(name)s placeholders are filled from params."""

MESSAGES: dict[str, str] = {
    "parties.ok": "Every party named in the document is a party of the main agreement "
                  "(%(count)s named).",
    "parties.outsider": "%(name)s is named in the document but is not a party of the main "
                        "agreement.",
    "parties.unknown_business_id": "Business ID %(business_id)s is not the business ID of any "
                                   "party of the main agreement.",
    "parties.declared_outsider": "Declared party %(business_id)s is not a party of the main "
                                 "agreement.",
    "parties.declared_none": "An annex agreement must name its parties.",
    "refers_to_main.ok": "The document refers to the main agreement.",
    "refers_to_main.missing": "The document does not refer to the main agreement.",
    "goals.ok": "The document implements goals %(goals)s of the main agreement.",
    "goals.none": "The document does not state which goals of the main agreement it implements.",
    "goals.unknown": "Declared goal %(goal)s is not a goal of the main agreement.",
    "goals.not_in_text": "Declared goal %(goal)s (%(title)s) is not mentioned in the text.",
    "validity.ok": "Validity and notice period do not contradict the main agreement.",
    "validity.short_notice": "The notice period of %(months)s months is shorter than the main "
                             "agreement's %(main_months)s months.",
    "validity.beyond_main": "The document is valid until %(until)s, beyond the end of the main "
                            "agreement (%(main_until)s).",
    "disputes.ok": "The dispute-resolution clause agrees with the main agreement.",
    "disputes.none": "The document has no dispute-resolution clause; the main agreement's "
                     "applies.",
    "disputes.arbitration": "The document refers disputes to arbitration, unlike the main "
                            "agreement.",
    "disputes.other_court": "The document refers disputes to %(court)s, unlike the main "
                            "agreement.",
    "costs.ok": "Each party bears its own costs.",
    "costs.departs": "The document departs from the own-cost principle (cost sharing, invoicing "
                     "or amounts); this must be acknowledged.",
    "fit_to_sign.ok": "The file is fit to sign.",
    "fit_to_sign.unchecked": "The file has not been checked yet.",
    "fit_to_sign.encrypted": "The file is encrypted.",
    "fit_to_sign.javascript": "The file contains JavaScript.",
    "fit_to_sign.launch_action": "The file contains a launch action.",
    "fit_to_sign.embedded_file": "The file contains embedded files.",
    "fit_to_sign.signed": "The file already contains signatures that signing would break.",
}
