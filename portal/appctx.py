"""The one place that reads the app's configuration into the context the services are given."""

from pathlib import Path

from flask import Flask, current_app

import signing
from portal.documents.services import Context
from portal.invitations import services as invitations
from portal.links import Links


def links() -> Links:
    return Links(current_app.config["PORTAL_BASE_URL"], current_app.url_map)


def context_for(app: Flask) -> Context:
    """What the services need of this app (its storage, key, limits, address); built once at
    app setup for what runs outside a request, such as the job handlers."""
    config = app.config
    return Context(
        storage=app.extensions["storage"],
        key_encryption_key=config["PORTAL_KEY_ENCRYPTION_KEY"],
        limits=signing.Limits(max_bytes=config["MAX_CONTENT_LENGTH"], max_pages=config["PORTAL_MAX_PAGES"]),
        base_url=config["PORTAL_BASE_URL"],
        links=links(),
        external_trust_roots=pem_files(config.get("PORTAL_EXTERNAL_TRUST_ROOTS") or ""),
        audit_seal_dir=config.get("PORTAL_AUDIT_SEAL_DIR") or "",
        pdfa=bool(config.get("PORTAL_PDFA", True)),
        tsa_url=config.get("PORTAL_TSA_URL") or "",
    )


def invitation_context() -> invitations.Context:
    return invitations.Context(links(), float(current_app.config["PORTAL_INVITATION_DAYS"]))


def pem_files(folder: str) -> tuple[bytes, ...]:
    """The contents of every *.pem and *.crt file in `folder`, in name order; () when unset."""
    if not folder:
        return ()
    return tuple(
        path.read_bytes()
        for path in sorted(Path(folder).iterdir())
        if path.suffix.lower() in (".pem", ".crt") and path.is_file()
    )


def document_context() -> Context:
    """context_for the app handling this request (for views and commands)."""
    return context_for(current_app)
