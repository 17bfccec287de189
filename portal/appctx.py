"""The one place that reads the app's configuration into the context the services are given."""

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
        limits=signing.Limits(max_bytes=config["MAX_CONTENT_LENGTH"],
                              max_pages=config["PORTAL_MAX_PAGES"]),
        base_url=config["PORTAL_BASE_URL"],
        links=links(),
    )


def invitation_context() -> invitations.Context:
    return invitations.Context(links(), float(current_app.config["PORTAL_INVITATION_DAYS"]))


def document_context() -> Context:
    """context_for the app handling this request (for views and commands)."""
    return context_for(current_app)
