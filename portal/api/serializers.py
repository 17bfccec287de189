"""Models to JSON-ready dicts: pure functions, one per shape the API returns.

Times are UTC with a "Z"; dates (entry into force, decisions) are calendar dates in Helsinki."""

from portal.agreements.models import Agreement
from portal.agreements.services import PartyState
from portal.contacts.models import ContactPerson
from portal.documents.models import ApprovalDecision, Document, DocumentVersion, Signature


def iso(value) -> str | None:
    return value.isoformat() if value else None


def utc(value) -> str | None:
    """A naive UTC datetime (as the models keep them) in ISO 8601 with a Z."""
    return value.isoformat() + "Z" if value else None


def agreement_summary(agreement: Agreement) -> dict:
    return {"id": agreement.id, "title": agreement.title, "status": str(agreement.status)}


def approval(decision: ApprovalDecision | None) -> dict | None:
    if decision is None:
        return None
    return {"body": decision.body, "date": iso(decision.decided_on), "section": decision.section,
            "disqualified_members": [m for m in decision.disqualified_members.splitlines() if m]}


def signature(sig: Signature | None) -> dict:
    if sig is None:
        return {"status": "pending", "signed_at": None, "signer": None}
    return {"status": "signed", "signed_at": utc(sig.signed_at), "signer": sig.signer.display_name}


def agreement_detail(agreement: Agreement, parties: list[PartyState]) -> dict:
    return agreement_summary(agreement) | {
        "entered_into_force_on": iso(agreement.entered_into_force_on),
        "document_id": agreement.main_document_id,
        "parties": [{"name": p.organisation.name, "business_id": p.organisation.business_id,
                     "approval": approval(p.approval), "signature": signature(p.signature)}
                    for p in parties],
    }


def document_version(version: DocumentVersion) -> dict:
    return {"document_id": version.document_id, "version": version.number,
            "page_count": version.page_count, "sha256": version.upload_sha256}


def signature_result(sig: Signature, document: Document) -> dict:
    """The answer to a signature: whose, where, and what it did to the document."""
    return {"field": sig.field_name, "signed_at": utc(sig.signed_at),
            "signer": sig.signer.display_name, "party": sig.organisation.business_id,
            "document_status": str(document.status),
            "entered_into_force_on": iso(document.entered_into_force_on)}


def contact(person: ContactPerson) -> dict:
    return {"id": person.id, "agreement_id": person.agreement_id,
            "party": person.organisation.business_id, **person.details()}


def contacts_by_party(agreement: Agreement, people: list[ContactPerson]) -> list[dict]:
    """Every party of the agreement, in its order, with its active contact persons."""
    return [{"party": {"name": p.organisation.name, "business_id": p.organisation.business_id},
             "contacts": [contact(c) for c in people if c.organisation_id == p.organisation_id]}
            for p in agreement.parties]


def flag(item) -> dict:
    """A stored compatibility flag; `message` in the caller's language (Accept-Language)."""
    from portal.i18n import flag_message

    return {"code": item.code, "severity": str(item.severity), "message": flag_message(item),
            "evidence": item.evidence, "changed": item.changed,
            "acknowledged_by": item.acknowledged_by.display_name if item.acknowledged_by else None,
            "acknowledged_at": utc(item.acknowledged_at), "justification": item.justification}


def document_detail(document: Document, flags: list, parties: list[PartyState]) -> dict:
    latest = document.latest_version
    return {
        "id": document.id, "agreement_id": document.agreement_id, "kind": str(document.kind),
        "title": document.title, "status": str(document.status),
        "entered_into_force_on": iso(document.entered_into_force_on),
        "requires_approval": document.requires_approval,
        "declared_parties": document.declared_business_ids, "goals": document.goal_numbers,
        "changes": document.changes,
        "version": latest.number if latest else None,
        "check_status": str(latest.check_status) if latest and latest.check_status else None,
        "versions": [document_version(v) | {
            "filename": v.filename, "uploaded_at": utc(v.uploaded_at),
            "uploaded_by": v.uploaded_by.display_name,
            "check_status": str(v.check_status) if v.check_status else None}
            for v in document.versions],
        "flags": [flag(f) for f in flags],
        "parties": [{"name": p.organisation.name, "business_id": p.organisation.business_id,
                     "approval": approval(p.approval), "signature": signature(p.signature)}
                    for p in parties],
    }


def upload_result(version: DocumentVersion, flags: list) -> dict:
    """The answer to an upload: the flags if the check already ran, else that it is running."""
    body = {"id": version.document_id, "version": version.number}
    if version.check_status is not None and str(version.check_status) == "done":
        return body | {"flags": [flag(f) for f in flags]}
    return body | {"status": "checking"}
