"""Request bodies to plain values: syntax only (the services check the database).

Every refusal is a PortalError: 400 when the body is not a JSON object, 422 naming the field."""

import re
from datetime import date

from flask import request

from portal.contacts import domain as contact_rules
from portal.errors import PortalError
from portal.i18n import LANGUAGES

ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def invalid(field: str) -> PortalError:
    return PortalError("invalid_field", 422, field=field)


def json_body() -> dict:
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        raise PortalError("bad_request", 400)
    return body


def text(body: dict, key: str, max_length: int, required: bool = True, name: str = "") -> str:
    value = body.get(key, "")
    if not isinstance(value, str) or len(value.strip()) > max_length or (
            required and not value.strip()):
        raise invalid(name or key)
    return value.strip()


def lines(body: dict, key: str, max_length: int) -> str:
    """A list of short strings (or one string, a line each), stored one per line."""
    value = body.get(key) or []
    items = value.splitlines() if isinstance(value, str) else value
    if not isinstance(items, list) or not all(isinstance(i, str) for i in items):
        raise invalid(key)
    joined = "\n".join(i.strip() for i in items if i.strip())
    if len(joined) > max_length:
        raise invalid(key)
    return joined


def iso_date(body: dict, key: str) -> date:
    value = text(body, key, 10)
    try:
        if ISO_DATE.fullmatch(value):
            return date.fromisoformat(value)
    except ValueError:
        pass
    raise invalid(key)


def new_agreement(body: dict) -> dict:
    """POST /agreements → the keyword arguments of agreements.services.create_agreement."""
    parties, goals = body.get("parties"), body.get("goals") or []
    if not isinstance(parties, list) or not parties or not all(isinstance(p, str) for p in parties):
        raise invalid("parties")
    if not isinstance(goals, list) or not all(isinstance(x, dict) for x in goals):
        raise invalid("goals")
    language = body.get("language", "fi")
    if language not in LANGUAGES:
        raise invalid("language")
    return {
        "title": text(body, "title", 300), "business_ids": [p.strip() for p in parties],
        "language": language,
        "goals": [(text(x, "title", 300, name=f"goals[{i}].title"),
                   text(x, "description", 4000, False, name=f"goals[{i}].description"))
                  for i, x in enumerate(goals)],
    }


def new_approval(body: dict) -> tuple[str, dict]:
    """POST /agreements/{id}/approvals → (business ID, keyword arguments of record_approval)."""
    return text(body, "business_id", 20), {
        "body": text(body, "body", 200), "decided_on": iso_date(body, "date"),
        "section": text(body, "section", 20),
        "disqualified_members": lines(body, "disqualified_members", 4000),
    }


def contact_details(body: dict) -> dict:
    """PUT /me/contact → the details given, checked by the web form's rules (contacts.domain)."""
    details = {}
    for key, required in (("name", True), ("title", False), ("email", True), ("phone", False),
                          ("language", True)):
        if key in body:
            details[key] = text(body, key, contact_rules.MAX_LENGTH.get(key, 5), required)
    if "email" in details and not contact_rules.valid_email(details["email"]):
        raise invalid("email")
    if "phone" in details and not contact_rules.valid_phone(details["phone"]):
        raise invalid("phone")
    if "language" in details and details["language"] not in LANGUAGES:
        raise invalid("language")
    return details


def new_document(form, files) -> dict:
    """POST /agreements/{id}/documents (multipart) → the keyword arguments of annexes.upload.
    `parties` and `goals` may repeat or be comma-separated."""
    upload = files.get("file")
    if upload is None:
        raise invalid("file")
    kind = form.get("kind", "")
    if kind not in ("annex", "annex_agreement", "amendment"):
        raise invalid("kind")
    title = form.get("title", "").strip()
    if not title or len(title) > 300:
        raise invalid("title")
    parties = [p.strip() for value in form.getlist("parties") for p in value.split(",") if p.strip()]
    try:
        goals = [int(g) for value in form.getlist("goals") for g in value.split(",") if g.strip()]
    except ValueError:
        raise invalid("goals") from None
    changes = form.get("changes", "")
    if len(changes) > 4000:
        raise invalid("changes")
    requires_approval = form.get("requires_approval", "true").lower() not in ("0", "false", "no")
    return {"kind": kind, "title": title, "data": upload.read(), "filename": upload.filename or "",
            "business_ids": parties, "goals": goals, "changes": changes,
            "requires_approval": requires_approval}
