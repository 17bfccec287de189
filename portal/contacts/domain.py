"""Rules of contact persons (R2): what changed, and who must be told in writing."""

import re
from dataclasses import dataclass

from email_validator import EmailNotValidError, validate_email

from portal.languages import LANGUAGES  # noqa: F401 (re-exported)

FIELDS = ("name", "title", "email", "phone", "language")
#: the longest value of each detail, for the web form, the API and its OpenAPI document alike
MAX_LENGTH = {"name": 200, "title": 200, "email": 254, "phone": 50}
#: digits, spaces, +, -, ( and ): "+358 40 123 4567", "(09) 123 456"
PHONE_PATTERN = r"^[0-9+()\- ]*$"
#: names reserved for examples and tests (RFC 2606, 6761): well-formed, never delivered to
RESERVED_TLDS = ("invalid", "test", "example", "localhost", "local")


def valid_email(value: str) -> bool:
    """An e-mail address by its real syntax (email-validator, no DNS look-up): "<b>@x.y" and
    "a@b" are not addresses. A reserved name such as example.invalid is well-formed (the demo's
    addresses use it): whether a domain receives mail is not a question of syntax."""
    local, _, domain = value.rpartition("@")
    if "." in domain and domain.rstrip(".").rsplit(".", 1)[-1].lower() in RESERVED_TLDS:
        value = f"{local}@{domain.rstrip('.')}.fi"  # the same syntax, under an ordinary TLD
    try:
        validate_email(value, check_deliverability=False)
    except EmailNotValidError:
        return False
    return True


def valid_phone(value: str) -> bool:
    return re.fullmatch(PHONE_PATTERN.strip("^$"), value) is not None


@dataclass(frozen=True)
class Contact:
    id: int
    organisation_id: int
    active: bool


def changes(old: dict, new: dict) -> dict[str, tuple]:
    """{field: (old, new)} for the fields whose value differs."""
    return {f: (old.get(f), new.get(f)) for f in FIELDS if old.get(f) != new.get(f)}


def may_edit_own(user_id: int, contact_user_id: int | None) -> bool:
    """Only the contact person themself edits their details in place."""
    return contact_user_id is not None and user_id == contact_user_id


def notice_recipients(changed_party_id: int, contacts: list[Contact]) -> list[Contact]:
    """The active contact persons of every OTHER party of the agreement: the changing party
    tells the others (R2), never itself."""
    return [c for c in contacts if c.active and c.organisation_id != changed_party_id]


def notice_event_key(change_id: int, recipient_contact_id: int) -> str:
    return f"contact-change:{change_id}:{recipient_contact_id}"


#: what an erased contact person's name becomes (GDPR); the other details become empty
ERASED_NAME = "[erased]"


def erased_details() -> dict:
    return {"name": ERASED_NAME, "title": "", "email": "", "phone": ""}


def mentions(payload, contact_ids: set[int], identifiers: set[str]) -> bool:
    """Whether an audit payload is about the person: it names one of their contact entries
    (`contact_id`) or holds, anywhere, a string equal to one of their names or addresses."""
    if isinstance(payload, dict):
        if payload.get("contact_id") in contact_ids:
            return True
        return any(mentions(v, contact_ids, identifiers) for v in payload.values())
    if isinstance(payload, list):
        return any(mentions(v, contact_ids, identifiers) for v in payload)
    return isinstance(payload, str) and payload.strip().casefold() in identifiers


def identifiers_of(details: list[dict]) -> set[str]:
    """The person's names and e-mail addresses, folded, to recognise them in audit payloads."""
    return {
        d[f].strip().casefold()
        for d in details
        for f in ("name", "email")
        if d.get(f) and d[f].strip() and d[f] != ERASED_NAME
    }
