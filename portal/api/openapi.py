"""flask-smorest set up for /api/v1: requests parsed by webargs into the schemas of
api/schemas.py, answers dumped by them, and the OpenAPI 3.1 document made from the same
schemas and routes. Refusals stay PortalErrors ({"error", "message"}, errors_web)."""

import copy
import re
from functools import wraps

from flask import Flask, current_app, g
from flask_smorest import Api, Blueprint
from webargs.flaskparser import FlaskParser
from werkzeug.datastructures import CombinedMultiDict

from portal.api.auth import api_auth
from portal.api.fields import INVALID_BUSINESS_ID
from portal.api.schemas import Error
from portal.auth.domain import Scope
from portal.errors import PortalError
from portal.permissions import Action, require

PREFIX = "/api/v1"
#: a path's integer id (<int:agreement_id>, <int:approval_id>, ...) is `{id}` in the document;
#: `{business_id}`, a string, keeps its name
ID = re.compile(r"\{(?!business_id\})\w+_id\}")


def is_id(name: str) -> bool:
    return name.endswith("_id") and name != "business_id"


SCOPES = "A personal access token (Authorization: Bearer sopu_…) with the scopes read, write, sign"
ERROR_TEXTS = {
    400: "The body is not a JSON object",
    401: "No valid access token",
    403: "The token lacks the scope (scope_missing), or the user the role (forbidden, sign_*)",
    404: "Not found, or not visible to this user",
    409: "Not possible in the current state",
    413: "The upload is larger than the portal accepts",
    422: "Invalid input: the error code names the reason (invalid_field, invalid_characters "
    "for a NUL or another control character in any text or query argument, pdf_*, …)",
}


def _first_error(messages, path=()):
    """The path to the first refused value and marshmallow's messages about it."""
    while isinstance(messages, dict):
        key, messages = next(iter(messages.items()))
        path = (*path, key)
    return path, messages


def _field_name(path) -> str:
    return "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in path).lstrip(".")


class Parser(FlaskParser):
    """webargs, refusing as the API always has: 400 when the body is not a JSON object, 422
    invalid_field naming the first field refused (or the domain's own code)."""

    DEFAULT_VALIDATION_STATUS = 422

    def load_json(self, req, schema):
        body = req.get_json(silent=True)
        if not isinstance(body, dict):
            raise PortalError("bad_request", 400)
        return body

    def load_multipart(self, req, schema):
        """A form with files: its fields and its file parts, together."""
        return self._makeproxy(CombinedMultiDict([req.form, req.files]), schema)

    def handle_error(self, error, req, schema, *, error_status_code, error_headers):
        location = next(iter(error.messages))
        path, messages = _first_error(error.messages[location])
        for text in messages:
            code, _, value = text.partition(" ")
            if code == INVALID_BUSINESS_ID:
                raise PortalError(code, 422, business_id=value)
        raise PortalError("invalid_field", 422, field=_field_name(path))


Parser.__location_map__ = Parser.__location_map__ | {"multipart": "load_multipart"}


class ApiBlueprint(Blueprint):
    ARGUMENTS_PARSER = Parser()
    DEFAULT_LOCATION_CONTENT_TYPE_MAPPING = Blueprint.DEFAULT_LOCATION_CONTENT_TYPE_MAPPING | {
        "multipart": "multipart/form-data"
    }

    def operation(self, summary: str, scope: Scope, refuses: str = "", administrator: bool = False):
        """An operation for a token with `scope` (api_auth), documented with its summary and
        refusals: 401 always, 422 (a control character in the query) and `refuses`. For an
        administrator only (403 before the body is read) when `administrator`."""

        def decorator(view):
            if administrator:
                view = _for_administrators(view)
            view = api_auth(scope)(view)
            for code in sorted({401, 422, *map(int, refuses.split())}):
                view = self.alt_response(code, schema=Error, description=ERROR_TEXTS[code])(view)
            return self.doc(summary=summary, security=[{"bearer": [scope.value]}])(view)

        return decorator


def _for_administrators(view):
    @wraps(view)
    def wrapper(*args, **kwargs):
        require(g.api_user, Action.administer_something)
        return view(*args, **kwargs)

    return wrapper


def finding(lookup):
    """Find what the path names (404, 403) before the body is read: the view gets it as `found`."""

    def decorator(view):
        @wraps(view)
        def wrapper(*args, **path):
            return view(*args, found=lookup(**path), **path)

        return wrapper

    return decorator


class SopuApi(Api):
    """The portal's errors_web answers every refusal; flask-smorest adds no handler, default
    response or pagination header of its own."""

    ERROR_SCHEMA = Error
    DEFAULT_ERROR_RESPONSE_NAME = None

    def _register_error_handlers(self):
        pass

    def _register_responses(self):
        pass

    def _register_pagination_header(self):  # the API pages nothing
        pass


def _json_schema(_converter, field, **_kwargs) -> dict:
    """What a field says of itself beyond what apispec can tell (metadata["json_schema"])."""
    return field.metadata.get("json_schema", {})


def init_app(app: Flask, blueprint: ApiBlueprint) -> None:
    api = SopuApi(
        app, spec_kwargs={"title": "Sopu agreement portal API", "version": "1", "openapi_version": "3.1.0"}
    )
    api.ma_plugin.converter.add_attribute_function(_json_schema)
    api.spec.components.security_scheme("bearer", {"type": "http", "scheme": "bearer", "description": SCOPES})
    api.register_blueprint(blueprint, url_prefix=PREFIX)
    app.extensions["sopu_api"] = api


def _with_parameters(item: dict) -> dict:
    """A path's parameters (its id, its code) in each of its operations; `agreement_id`,
    `document_id`, ... (the endpoints' names for url_for) are the document's `id`."""
    shared = [p | {"name": "id"} if is_id(p["name"]) else p for p in item.pop("parameters", [])]
    return {
        method: op | {"parameters": shared + op.get("parameters", [])} if shared else op
        for method, op in item.items()
    }


def spec() -> dict:
    """The OpenAPI document of the current app, its paths relative to its server /api/v1."""
    document = copy.deepcopy(current_app.extensions["sopu_api"].spec.to_dict())  # ours to change
    document["paths"] = {
        ID.sub("{id}", path.removeprefix(PREFIX)): _with_parameters(item)
        for path, item in document["paths"].items()
    }
    return {
        "openapi": document.pop("openapi"),
        "info": document.pop("info"),
        "servers": [{"url": PREFIX}],
    } | document
