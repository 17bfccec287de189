from flask import current_app

import signing
from portal.documents.services import Context
from portal.links import Links


def links() -> Links:
    return Links(current_app.config["PORTAL_BASE_URL"], current_app.url_map)


def document_context() -> Context:
    config = current_app.config
    return Context(
        storage=current_app.extensions["storage"],
        key_encryption_key=config["PORTAL_KEY_ENCRYPTION_KEY"],
        limits=signing.Limits(max_bytes=config["MAX_CONTENT_LENGTH"],
                              max_pages=config["PORTAL_MAX_PAGES"]),
        base_url=config["PORTAL_BASE_URL"],
        links=links(),
    )
