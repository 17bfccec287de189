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
