"""The OpenAPI 3.1 description of /api/v1 (a test keeps it and the routes in step)."""

from portal.agreements.domain import Status
from portal.contacts import domain as contact_rules
from portal.safety import MAX_ID

SCOPES = "A personal access token (Authorization: Bearer sopu_…) with the scopes read, write, sign"
ERROR_TEXTS = {
    "400": "The body is not a JSON object", "401": "No valid access token",
    "403": "The token lacks the scope (scope_missing), or the user the role (forbidden, sign_*)",
    "404": "Not found, or not visible to this user", "409": "Not possible in the current state",
    "413": "The upload is larger than the portal accepts",
    "422": "Invalid input: the error code names the reason (invalid_field, invalid_characters "
           "for a NUL or another control character in any text or query argument, pdf_*, …)"}
ID = {"name": "id", "in": "path", "required": True,
      "schema": {"type": "integer", "minimum": 0, "maximum": MAX_ID}}
#: a text the API strips and then requires: not empty, not only spaces
FILLED = {"type": "string", "minLength": 1, "pattern": r"\S"}
BUSINESS_ID = {"type": "string", "pattern": r"^\d{7}-\d$",
               "description": "A business ID (Y-tunnus): 7 digits, a hyphen, a check digit"}
#: an uploaded PDF: a file part with some content (an empty one is refused as pdf_empty)
PDF_FILE = {"type": "string", "format": "binary", "contentMediaType": "application/pdf",
            "minLength": 1}


def _ref(name: str) -> dict:
    return {"$ref": f"#/components/schemas/{name}"}


def _json(schema: dict, description: str = "OK") -> dict:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def _op(summary: str, responses: dict, *, scope: str, errors: str, params=(),
        body: dict | None = None) -> dict:
    """`errors`: the status codes it may refuse with, space-separated (401 always)."""
    # 422: a control character in the query; 413: any body larger than the portal accepts
    codes = sorted({"401", "422", *errors.split(), *(["413"] if body else [])})
    refusals = {code: _json(_ref("Error"), ERROR_TEXTS[code]) for code in codes}
    op = {"summary": summary, "security": [{"bearer": [scope]}], "parameters": list(params),
          "responses": responses | refusals}
    if body:
        op["requestBody"] = {"required": True, "content": body}
    return op


def _body(schema: dict) -> dict:
    return {"application/json": {"schema": schema}}


STATUS = {"type": "string", "enum": [s.value for s in Status]}
SCHEMAS = {
    "Error": {"type": "object", "required": ["error", "message"], "properties": {
        "error": {"type": "string", "description": "A stable code, e.g. not_found, pdf_not_pdf"},
        "message": {"type": "string", "description": "In the language of Accept-Language"}}},
    "AgreementSummary": {"type": "object", "required": ["id", "title", "status"], "properties": {
        "id": {"type": "integer"}, "title": {"type": "string"}, "status": STATUS}},
    "Approval": {"type": ["object", "null"], "properties": {
        "body": {"type": "string"}, "date": {"type": "string", "format": "date"},
        "section": {"type": "string"},
        "disqualified_members": {"type": "array", "items": {"type": "string"}}}},
    "PartySignature": {"type": "object", "required": ["status", "signed_at", "signer"], "properties": {
        "status": {"type": "string", "enum": ["pending", "signed"]},
        "signed_at": {"type": ["string", "null"], "format": "date-time"},
        "signer": {"type": ["string", "null"]}}},
    "Party": {"type": "object", "required": ["name", "business_id", "approval", "signature"],
              "properties": {"name": {"type": "string"}, "business_id": {"type": "string"},
                             "approval": _ref("Approval"), "signature": _ref("PartySignature")}},
    "Agreement": {"allOf": [_ref("AgreementSummary"), {
        "type": "object", "required": ["entered_into_force_on", "document_id", "parties"],
        "properties": {
            "entered_into_force_on": {"type": ["string", "null"], "format": "date"},
            "document_id": {"type": ["integer", "null"]},
            "parties": {"type": "array", "items": _ref("Party")}}}]},
    "NewAgreement": {"type": "object", "required": ["title", "parties"], "properties": {
        "title": FILLED | {"maxLength": 300},
        "parties": {"type": "array", "minItems": 1, "description": "Business IDs (Y-tunnus)",
                    "items": BUSINESS_ID},
        "language": {"type": "string", "enum": ["fi", "sv", "en"], "default": "fi"},
        "goals": {"type": "array", "items": {"type": "object", "required": ["title"], "properties": {
            "title": FILLED | {"maxLength": 300},
            "description": {"type": "string", "maxLength": 4000}}}}}},
    "NewApproval": {"type": "object", "required": ["business_id", "body", "date", "section"],
                    "properties": {
                        "business_id": BUSINESS_ID,
                        "body": FILLED | {"maxLength": 200, "examples": ["Kunnanvaltuusto"]},
                        "date": {"type": "string", "format": "date"},
                        "section": FILLED | {"maxLength": 20, "examples": ["230"]},
                        "disqualified_members": {
                            "description": "Names, as a list or one per line",
                            "oneOf": [{"type": "array", "items": {"type": "string"}},
                                      {"type": "string"}]}}},
    "DocumentVersion": {"type": "object", "required": ["document_id", "version", "page_count",
                                                        "sha256"], "properties": {
        "document_id": {"type": "integer"}, "version": {"type": "integer"},
        "page_count": {"type": "integer"}, "sha256": {"type": "string", "pattern": "^[0-9a-f]{64}$"}}},
    "VersionDetail": {"allOf": [{"$ref": "#/components/schemas/DocumentVersion"}, {
        "type": "object", "required": ["filename", "uploaded_at", "uploaded_by", "check_status"],
        "properties": {
            "filename": {"type": "string", "description": "As uploaded, less control characters"},
            "uploaded_at": {"type": "string", "format": "date-time"},
            "uploaded_by": {"type": "string"},
            "check_status": {"type": ["string", "null"],
                             "enum": ["pending", "checking", "done", "failed", None]}}}]},
    "Signature": {"type": "object", "required": ["field", "signed_at", "signer", "party",
                                                  "document_status", "entered_into_force_on"],
                  "properties": {
        "field": {"type": "string"}, "signed_at": {"type": "string", "format": "date-time"},
        "signer": {"type": "string"},
        "party": {"type": "string", "description": "The business ID of the party signed for"},
        "document_status": STATUS,
        "entered_into_force_on": {"type": ["string", "null"], "format": "date"}}},
}
CONTACT_FIELDS = {
    "name": {"type": "string", "minLength": 1, "maxLength": contact_rules.MAX_LENGTH["name"],
             "pattern": r"\S"},
    "title": {"type": "string", "maxLength": contact_rules.MAX_LENGTH["title"]},
    "email": {"type": "string", "format": "email", "maxLength": contact_rules.MAX_LENGTH["email"]},
    "phone": {"type": "string", "maxLength": contact_rules.MAX_LENGTH["phone"],
              "pattern": contact_rules.PHONE_PATTERN},
    "language": {"type": "string", "enum": ["fi", "sv", "en"],
                 "description": "The language of the mail the person receives"}}
SCHEMAS |= {
    "Contact": {"type": "object", "required": ["id", "agreement_id", "party", *CONTACT_FIELDS],
                "properties": {"id": {"type": "integer"}, "agreement_id": {"type": "integer"},
                               "party": {"type": "string", "description": "Business ID"},
                               **CONTACT_FIELDS}},
    "ContactDetails": {"type": "object", "properties": CONTACT_FIELDS,
                       "description": "The fields to change; the others stay as they are"},
    "PartyContacts": {"type": "object", "required": ["party", "contacts"], "properties": {
        "party": {"type": "object", "required": ["name", "business_id"], "properties": {
            "name": {"type": "string"}, "business_id": {"type": "string"}}},
        "contacts": {"type": "array", "items": _ref("Contact")}}},
}
SEVERITY = {"type": "string", "enum": ["ok", "info", "warning", "blocker"]}
SCHEMAS |= {
    "Flag": {"type": "object", "required": ["code", "severity", "message", "evidence"], "properties": {
        "code": {"type": "string", "enum": ["parties", "refers_to_main", "goals", "validity",
                                            "disputes", "costs", "fit_to_sign", "analyser"]},
        "severity": SEVERITY,
        "message": {"type": "string", "description": "In the language of Accept-Language"},
        "evidence": {"type": "array", "items": {"type": "object", "properties": {
            "page": {"type": "integer"}, "text": {"type": "string"}}}},
        "changed": {"type": "boolean", "description": "Differs from the previous check"},
        "acknowledged_by": {"type": ["string", "null"]},
        "acknowledged_at": {"type": ["string", "null"], "format": "date-time"},
        "justification": {"type": ["string", "null"]}}},
    "UploadResult": {"type": "object", "required": ["id", "version"], "properties": {
        "id": {"type": "integer", "description": "The document"}, "version": {"type": "integer"},
        "flags": {"type": "array", "items": _ref("Flag"), "description": "When the check is done"},
        "status": {"type": "string", "enum": ["checking"],
                   "description": "When the check runs in the background: GET the document"}}},
    "Document": {"type": "object", "required": [
        "id", "agreement_id", "kind", "title", "status", "entered_into_force_on",
        "requires_approval", "declared_parties", "goals", "changes", "version", "check_status",
        "versions", "flags", "parties"], "properties": {
        "id": {"type": "integer"}, "agreement_id": {"type": "integer"},
        "kind": {"type": "string", "enum": ["main", "annex", "annex_agreement", "amendment"]},
        "title": {"type": "string"}, "status": STATUS,
        "entered_into_force_on": {"type": ["string", "null"], "format": "date"},
        "requires_approval": {"type": "boolean"},
        "declared_parties": {"type": "array", "items": {"type": "string"}},
        "goals": {"type": "array", "items": {"type": "integer"}},
        "changes": {"type": "string"}, "version": {"type": ["integer", "null"]},
        "check_status": {"type": ["string", "null"],
                         "enum": ["pending", "checking", "done", "failed", None]},
        "versions": {"type": "array", "items": _ref("VersionDetail")},
        "flags": {"type": "array", "items": _ref("Flag")},
        "parties": {"type": "array", "items": _ref("Party")}}},
    "Acknowledgement": {"type": "object", "required": ["justification"], "properties": {
        "justification": {"type": "string", "minLength": 10, "maxLength": 4000,
                          "pattern": r"(\S\s*){10}",
                          "description": "At least 10 characters besides spaces"}}},
}
NEW_DOCUMENT = {"multipart/form-data": {"schema": {"type": "object", "required": ["file", "kind", "title"],
                                                   "properties": {
    "file": PDF_FILE,
    "kind": {"type": "string", "enum": ["annex", "annex_agreement", "amendment"]},
    "title": FILLED | {"maxLength": 300},
    "parties": {"type": "array", "items": BUSINESS_ID, "description":
                "Business IDs of an annex agreement's parties (repeated or comma-separated)"},
    "goals": {"type": "array", "items": {"type": "integer", "minimum": 1, "maximum": 99},
              "description": "Numbers of the main agreement's goals it implements"},
    "changes": {"type": "string", "maxLength": 4000, "description": "An amendment: what it changes"},
    "requires_approval": {"type": "boolean", "default": True}}}}}
CODE = {"name": "code", "in": "path", "required": True, "schema": SCHEMAS["Flag"]["properties"]["code"]}
UPLOAD = {"multipart/form-data": {"schema": {"type": "object", "required": ["file"], "properties": {
    "file": PDF_FILE,
    "parties": {"type": "array", "items": {"type": "string"}, "description":
                "An annex agreement: its parties' business IDs anew, correcting those declared "
                "(repeated or comma-separated; absent: unchanged)"}}}}}
PLACE = {"type": "object", "required": ["place"], "properties": {
    "place": FILLED | {"maxLength": 100, "examples": ["Tampere"]}}}


def spec() -> dict:
    agreement = _json(_ref("Agreement"))
    contacts = _json({"type": "array", "items": _ref("Contact")})
    return {
        "openapi": "3.1.0",
        "info": {"title": "Sopu agreement portal API", "version": "1"},
        "servers": [{"url": "/api/v1"}],
        "components": {"schemas": SCHEMAS, "securitySchemes": {"bearer": {
            "type": "http", "scheme": "bearer", "description": SCOPES}}},
        "paths": {
            "/openapi.json": {"get": {"summary": "This document", "security": [],
                                      "responses": {"200": {"description": "OpenAPI document"}}}},
            "/agreements": {
                "get": _op("Agreements visible to the token's user",
                           {"200": _json({"type": "array", "items": _ref("AgreementSummary")})},
                           scope="read", errors="403"),
                "post": _op("Create an agreement (administrator)", {"201": agreement},
                            scope="write", errors="400 403 422", body=_body(_ref("NewAgreement")))},
            "/agreements/{id}": {"get": _op("An agreement and where every party stands",
                                            {"200": agreement}, scope="read", errors="403 404",
                                            params=[ID])},
            "/agreements/{id}/document": {"put": _op(
                "Upload the main agreement PDF as its next version (administrator, draft only)",
                {"201": _json(_ref("DocumentVersion"))}, scope="write",
                errors="403 404 409 413 422", params=[ID], body=UPLOAD)},
            "/agreements/{id}/open": {"post": _op(
                "Prepare the latest PDF and open it for signature (administrator)",
                {"200": agreement}, scope="write", errors="403 404 409 422", params=[ID])},
            "/agreements/{id}/approvals": {"post": _op(
                "Record a party's approval decision (administrator); may bring it into force",
                {"201": agreement}, scope="write", errors="400 403 404 409 422", params=[ID],
                body=_body(_ref("NewApproval")))},
            "/agreements/{id}/contacts": {"get": _op(
                "The active contact persons of each party of the agreement",
                {"200": _json({"type": "array", "items": _ref("PartyContacts")})},
                scope="read", errors="403 404", params=[ID])},
            "/me/contact": {
                "get": _op("The token user's own contact-person entries, one per agreement",
                           {"200": contacts}, scope="read", errors="403 404"),
                "put": _op("Change one's own contact details in every agreement; the other "
                           "parties' contact persons are told in writing", {"200": contacts},
                           scope="write", errors="400 403 404 422",
                           body=_body(_ref("ContactDetails")))},
            "/documents/{id}/signatures": {"post": _op(
                "Sign for the token's party (representative; a token with the sign scope)",
                {"201": _json(_ref("Signature"))}, scope="sign", errors="400 403 404 409 422",
                params=[ID], body=_body(PLACE))},
            "/agreements/{id}/documents": {"post": _op(
                "Upload an annex, annex agreement or amendment (lawyer or administrator); it is "
                "checked against the main agreement", {"201": _json(_ref("UploadResult"))},
                scope="write", errors="403 404 409 413 422", params=[ID], body=NEW_DOCUMENT)},
            "/documents/{id}": {"get": _op(
                "A document: its versions, state, parties and the flags of its latest version",
                {"200": _json(_ref("Document"))}, scope="read", errors="403 404", params=[ID])},
            "/documents/{id}/versions": {"post": _op(
                "Upload the next version of a document (draft only); it is checked again",
                {"201": _json(_ref("UploadResult"))}, scope="write",
                errors="403 404 409 413 422", params=[ID], body=UPLOAD)},
            "/documents/{id}/flags/{code}/acknowledge": {"post": _op(
                "Acknowledge the warnings of one check with a written justification (lawyer or "
                "administrator); a blocker cannot be acknowledged", {"200": _json(_ref("Document"))},
                scope="write", errors="400 403 404 409 422", params=[ID, CODE],
                body=_body(_ref("Acknowledgement")))},
            "/documents/{id}/open": {"post": _op(
                "Open a document for its parties' signatures (administrator); an annex agreement "
                "or amendment only with no blocker and every warning acknowledged",
                {"200": _json(_ref("Document"))}, scope="write", errors="403 404 409 422",
                params=[ID])},
            "/documents/{id}/approvals": {"post": _op(
                "Record a party's approval decision of a document (administrator)",
                {"201": _json(_ref("Document"))}, scope="write", errors="400 403 404 409 422",
                params=[ID], body=_body(_ref("NewApproval")))},
            "/documents/{id}/pdf": {"get": _op(
                "The current PDF, as an attachment", {"200": {"description": "PDF", "content": {
                    "application/pdf": {"schema": {"type": "string",
                                                   "contentMediaType": "application/pdf"}}}}},
                scope="read", errors="403 404", params=[ID])},
        },
    }
