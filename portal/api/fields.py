"""The fields the API's schemas are made of, beyond marshmallow's own: texts stripped before
they are checked, the domain's rules as validators, multipart values, UTC times with a Z."""

import base64
import re

from flask_smorest.fields import Upload
from marshmallow import ValidationError, fields
from marshmallow.validate import Length

from portal import checks
from portal.agreements.domain import Status
from portal.checks import Severity
from portal.documents import domain as documents
from portal.organisations.domain import valid_business_id

#: the values the schema allows, from the domain's enums
UPLOAD_KINDS = tuple(k.value for k in documents.UPLOAD_KINDS)
KINDS = tuple(k.value for k in documents.DocumentKind)
CHECK_STATUSES = tuple(s.value for s in documents.CheckStatus)
SEVERITIES = tuple(s.value for s in Severity)
FLAG_CODES = tuple(checks.FLAG_CODES)
STATUSES = tuple(s.value for s in Status)
ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
#: a refusal the parser passes on with its own code (portal.api.openapi.Parser), not invalid_field
INVALID_BUSINESS_ID = "invalid_business_id"


class Extended(dict):
    """A model with computed values beside it (its parties, its flags), for a schema to dump:
    marshmallow reads the keys first, then the model's attributes."""

    def __init__(self, model, **extra):
        super().__init__(extra)
        self.model = model

    def __getattr__(self, name):
        if name == "model":
            raise AttributeError(name)
        return getattr(self.model, name)


# -- fields ---------------------------------------------------------------------------------------


class Text(fields.String):
    """A string, stripped of surrounding spaces before it is checked."""

    def _deserialize(self, value, attr, data, **kwargs):
        return super()._deserialize(value, attr, data, **kwargs).strip()


def filled(max_length: int, **metadata) -> Text:
    """A required text that is not empty, nor only spaces, once stripped."""
    return Text(
        required=True, validate=Length(min=1, max=max_length), metadata={"pattern": r"\S", **metadata}
    )


def rule(check):
    """A marshmallow validator of one of the domain's rules (the web forms check the same ones)."""

    def validate(value) -> None:
        if value and not check(value):
            raise ValidationError("invalid")

    return validate


def _valid_business_id(value: str) -> None:
    """The check digit too (organisations.domain); the refusal names the ID, as the services'."""
    if value and not valid_business_id(value):
        raise ValidationError(f"{INVALID_BUSINESS_ID} {value}")


def business_id(required: bool = False) -> Text:
    return Text(
        required=required,
        validate=[Length(max=20), _valid_business_id],
        metadata={
            "pattern": r"^\d{7}-\d$",
            "description": "A business ID (Y-tunnus): 7 digits, a hyphen, a check digit",
        },
    )


class IsoDate(fields.Date):
    """YYYY-MM-DD and nothing else (Python would also read 20261102)."""

    def _deserialize(self, value, attr, data, **kwargs):
        if not isinstance(value, str) or not ISO_DATE.fullmatch(value.strip()):
            raise self.make_error("invalid")
        return super()._deserialize(value.strip(), attr, data, **kwargs)


class LinesIn(fields.Field):
    """A list of short strings, or one string with a line each: stored one per line."""

    def _deserialize(self, value, attr, data, **kwargs):
        items = value.splitlines() if isinstance(value, str) else value
        if not isinstance(items, list) or not all(isinstance(i, str) for i in items):
            raise ValidationError("invalid")
        return "\n".join(i.strip() for i in items if i.strip())


class LinesOut(fields.Field):
    """Stored one per line, returned as a list."""

    def _serialize(self, value, attr, obj, **kwargs):
        return [line for line in (value or "").splitlines() if line]


class Repeated(fields.List):
    """A multipart field that may repeat or hold comma-separated values."""

    def _deserialize(self, value, attr, data, **kwargs):
        items = value if isinstance(value, list) else [value]
        if not all(isinstance(i, str) for i in items):
            raise self.make_error("invalid")
        return super()._deserialize(
            [p.strip() for i in items for p in i.split(",") if p.strip()], attr, data, **kwargs
        )


class Yes(fields.Boolean):
    """A multipart yes/no: anything but 0, false or no is yes."""

    def _deserialize(self, value, attr, data, **kwargs):
        return str(value).lower() not in ("0", "false", "no")


class UtcDateTime(fields.DateTime):
    """A naive UTC datetime (as the models keep them) in ISO 8601 with a Z."""

    def _serialize(self, value, attr, obj, **kwargs):
        return value.isoformat() + "Z" if value else None


def pdf_file() -> Upload:
    """An uploaded PDF: a file part with some content (an empty one is refused as pdf_empty)."""
    return Upload(
        required=True, metadata={"json_schema": {"contentMediaType": "application/pdf", "minLength": 1}}
    )


def nullable(field: fields.Field) -> fields.Field:
    """Returned as null when the model has no value."""
    field.allow_none, field.dump_default = True, None
    return field


class Cursor(fields.String):
    """Where the next page of a list starts: opaque to the client (the id of the last item it
    got, base64url), given back as `?cursor=` exactly as `next_cursor` said it."""

    def _serialize(self, value, attr, obj, **kwargs):
        if value is None:
            return None
        return base64.urlsafe_b64encode(f"after:{int(value)}".encode()).decode().rstrip("=")

    def _deserialize(self, value, attr, data, **kwargs):
        text = super()._deserialize(value, attr, data, **kwargs)
        try:
            decoded = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4)).decode()
        except (ValueError, UnicodeDecodeError):
            raise ValidationError("not a cursor of this API") from None
        kind, _, number = decoded.partition(":")
        if kind != "after" or not number.isdigit() or len(number) > 18:
            raise ValidationError("not a cursor of this API")
        return int(number)
