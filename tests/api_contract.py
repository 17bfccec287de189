"""Every /api/v1 response the test suite produces is checked against the app's own OpenAPI
document (portal.api.openapi.spec): a status code the operation does not list, a content type
it does not describe, or a body its schema refuses (the answers' schemas allow no field they do
not name) raises ContractBreach in the request, so the test that made it fails."""

import re

import jsonschema_rs
from flask import Flask, request

from portal.api.openapi import PREFIX, is_id, spec

PATH_ARGUMENT = re.compile(r"<(?:\w+:)?(\w+)>")


class ContractBreach(AssertionError):
    pass


def _template(rule: str) -> str:
    """/api/v1/documents/<int:document_id>/flags/<code>/acknowledge → /documents/{id}/flags/{code}/…"""

    def name(match):
        return "{id}" if is_id(match.group(1)) else "{" + match.group(1) + "}"

    return PATH_ARGUMENT.sub(name, rule.removeprefix(PREFIX))


def breaches(document: dict, path: str, method: str, status: int, mimetype: str, body) -> list[str]:
    """What is wrong with one response, as the document describes the operation."""
    operation = document["paths"].get(path, {}).get(method)
    if operation is None:
        return [f"{method.upper()} {path} is not in the document"]
    described = operation["responses"].get(str(status))
    if described is None:
        return [f"{method.upper()} {path} → {status}: not a status the document lists"]
    content = described.get("content")
    if not content:
        return []
    if mimetype not in content:
        return [f"{method.upper()} {path} → {status}: {mimetype} is not described"]
    if mimetype != "application/json":
        return []
    schema = content[mimetype]["schema"] | {"components": document["components"]}
    return [
        f"{method.upper()} {path} → {status}: {error.message} at /{'/'.join(map(str, error.instance_path))}"
        for error in jsonschema_rs.Draft202012Validator(schema).iter_errors(body)
    ]


def check_every_response(app: Flask) -> None:
    """Install the check on `app` (before its first request); the document is made once, at
    the first response, and kept in app.extensions["api_contract"]."""

    @app.after_request
    def conforms(response):
        rule = request.url_rule
        if rule is None or not rule.rule.startswith(PREFIX + "/") or request.method in ("HEAD", "OPTIONS"):
            return response  # no operation: a path no route has, or a method it does not take
        document = app.extensions.get("api_contract") or app.extensions.setdefault("api_contract", spec())
        body = response.get_json(silent=True) if response.mimetype == "application/json" else None
        found = breaches(
            document,
            _template(rule.rule),
            request.method.lower(),
            response.status_code,
            response.mimetype,
            body,
        )
        if found:
            raise ContractBreach("; ".join(found))
        return response
