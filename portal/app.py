"""The application factory."""

import gc
import mimetypes
from functools import lru_cache
from pathlib import Path
from typing import Any

from flask import Flask, request, url_for

from portal import templating
from portal.config import load_config
from portal.extensions import babel, csrf, db, htmx, limiter, login_manager, migrate
from portal.storage import storage_from_url

#: PDF.js comes as ES modules, which browsers run only when served as JavaScript; not every
#: system's mime.types names .mjs
mimetypes.add_type("text/javascript", ".mjs")

#: the package's folder: in an installed wheel, templates, static and migrations are inside it
PACKAGE_DIR = Path(__file__).resolve().parent


def _asset_url(app: Flask):
    """`asset_url(filename)`: url_for("static", ...) built once a process for each script root
    and file (every page's head names ten of them)."""

    @lru_cache(maxsize=256)
    def built(_script_root: str, filename: str) -> str:
        return url_for("static", filename=filename)

    @app.template_global()
    def asset_url(filename: str) -> str:
        return built(request.script_root, filename)


def _template_url_for(app: Flask) -> None:
    """Templates' url_for: a plain address is built once a process for each script root,
    endpoint and values (every page's header names the same dozen links, and a list one per
    row: werkzeug's build is the dearest part of each). What depends on more than these (an
    endpoint relative to the current blueprint, _external, _anchor and the like) or has a value
    that cannot be a key is Flask's own url_for each time. The values' types are in the key:
    True and 1 are equal keys but not the same address."""

    @lru_cache(maxsize=4096)
    def built(_script_root: str, endpoint: str, key: tuple) -> str:
        return url_for(endpoint, **{name: value for name, _type, value in key})

    def template_url_for(endpoint: str, **values: Any) -> str:  # noqa: ANN401 (url_for's own values)
        if endpoint.startswith(".") or any(name.startswith("_") for name in values):
            return url_for(endpoint, **values)
        key = tuple((name, type(value), value) for name, value in values.items())  # in their order
        try:
            return built(request.script_root, endpoint, key)
        except TypeError:  # a value that cannot be hashed
            return url_for(endpoint, **values)

    app.jinja_env.globals["url_for"] = template_url_for


def resource_dir(name: str) -> Path:
    """templates, static or migrations: inside the installed package, else beside it (a checkout)."""
    inside = PACKAGE_DIR / name
    return inside if inside.is_dir() else PACKAGE_DIR.parent / name


def create_app(config: dict | None = None) -> Flask:
    app = Flask("portal", template_folder=resource_dir("templates"), static_folder=resource_dir("static"))
    app.jinja_env.add_extension("jinja2.ext.do")
    app.jinja_env.code_generator_class = templating.JoiningCodeGenerator
    app.jinja_env.context_class = templating.CallingContext
    app.config.update(load_config())
    app.config.update(config or {})

    from portal import annexes, formhtml, guards, i18n, request_end, security, sqlite

    formhtml.install()
    db.init_app(app)
    migrate.init_app(app, db, directory=str(resource_dir("migrations")))
    csrf.init_app(app)
    htmx.init_app(app)
    limiter.init_app(app)
    login_manager.init_app(app)
    babel.init_app(app, locale_selector=i18n.select_locale)
    with app.app_context():
        sqlite.configure(db.engine)
    request_end.init_app(app)  # after db.init_app: its teardown must run before the session's removal
    app.extensions["storage"] = storage_from_url(app.config["PORTAL_STORAGE_URL"])

    security.init_app(app)
    guards.init_app(app)
    i18n.init_app(app)
    _register_blueprints(app)
    _register_models()
    annexes.init_app(app)
    from portal.lifecycle import accessions

    accessions.init_app()  # the accession document in force makes the new party a party
    from portal import cli, errors_web

    errors_web.init_app(app)
    cli.init_app(app)
    _ensure_authority_on_first_request(app)
    _asset_url(app)
    _template_url_for(app)
    if app.config["PORTAL_SETTLE_HEAP"] and not app.testing:
        _settle_heap()
    return app


def _settle_heap() -> None:
    """Put what start-up made (the modules, the app) out of the garbage collector's sight: a
    full collection walks every object it tracks, and these stay for the process's life. In a
    process that signs, full collections come every few signatures (each signature's PDF
    objects hold reference cycles), and walking ~390,000 start-up objects cost ~250 ms each: a
    third of 120 signatures' CPU (bench/bench_big.py). What is made after this is collected as
    before; a process that creates one app (gunicorn's workers, `portal worker`) loses nothing.
    The models' mappers are configured first (else the first query does it, after the freeze)."""
    from sqlalchemy.orm import configure_mappers

    configure_mappers()
    gc.collect()
    gc.freeze()


def _ensure_authority_on_first_request(app: Flask) -> None:
    """The portal's CA is created on first start (the first request of any process)."""
    from portal.appctx import document_context
    from portal.authority.services import ensure_authority

    state = {"done": False}

    @app.before_request
    def ensure():
        if not state["done"]:
            ensure_authority(
                db.session, app.config["PORTAL_KEY_ENCRYPTION_KEY"], document_context().pki_pointers
            )
            db.session.commit()
            state["done"] = True


def _register_blueprints(app: Flask) -> None:
    from portal.agreements.views import bp as agreements_bp
    from portal.annexes.views import bp as annexes_bp
    from portal.api import openapi as api
    from portal.api.views import bp as api_bp
    from portal.auth import oidc
    from portal.auth.mfa_views import bp as mfa_bp
    from portal.auth.views import bp as auth_bp
    from portal.contacts.views import bp as contacts_bp
    from portal.costs.views import bp as costs_bp
    from portal.documents.reading import bp as reading_bp
    from portal.documents.views import bp as documents_bp
    from portal.health.views import bp as health_bp
    from portal.invitations import views as invitations_views
    from portal.invitations.views import bp as invitations_bp
    from portal.lifecycle.joining import bp as joining_bp
    from portal.lifecycle.views import bp as lifecycle_bp
    from portal.memberships.views import bp as people_bp
    from portal.notifications.views import bp as notifications_bp
    from portal.organisations.views import bp as organisations_bp
    from portal.people.views import bp as profile_bp
    from portal.pki.views import bp as pki_bp
    from portal.queue.views import bp as queues_bp
    from portal.signatories.views import bp as signatories_bp
    from portal.steering.views import bp as steering_bp
    from portal.verification.views import bp as verification_bp

    app.register_blueprint(auth_bp)
    app.register_blueprint(mfa_bp)
    app.register_blueprint(oidc.bp)
    oidc.init_app(app)
    oidc.on_invitation(app, invitations_views.accept_with_sso)
    app.register_blueprint(agreements_bp)
    app.register_blueprint(annexes_bp)
    app.register_blueprint(documents_bp)
    app.register_blueprint(reading_bp)
    app.register_blueprint(lifecycle_bp)
    app.register_blueprint(joining_bp)
    app.register_blueprint(costs_bp)
    app.register_blueprint(steering_bp)
    api.init_app(app, api_bp)  # under /api/v1, with its OpenAPI document
    app.register_blueprint(contacts_bp)
    app.register_blueprint(queues_bp)
    app.register_blueprint(health_bp)
    app.register_blueprint(notifications_bp)
    app.register_blueprint(pki_bp)
    app.register_blueprint(people_bp)
    app.register_blueprint(invitations_bp)
    app.register_blueprint(organisations_bp)
    app.register_blueprint(profile_bp)
    app.register_blueprint(signatories_bp)
    app.register_blueprint(verification_bp)  # public: no sign-in, CSRF as every form
    csrf.exempt(api_bp)  # the API takes bearer tokens only, never the session cookie
    csrf.exempt(pki_bp)  # public, read-only protocol endpoints (OCSP is a POST that changes nothing)


def _register_models() -> None:
    from portal.agreements import models as _a  # noqa: F401
    from portal.annexes import models as _x  # noqa: F401
    from portal.audit import models as _au  # noqa: F401
    from portal.auth import models as _u  # noqa: F401
    from portal.authority import models as _k  # noqa: F401
    from portal.contacts import models as _c  # noqa: F401
    from portal.costs import models as _co  # noqa: F401
    from portal.documents import models as _d  # noqa: F401
    from portal.health import models as _h  # noqa: F401
    from portal.invitations import models as _i  # noqa: F401
    from portal.jobs import models as _j  # noqa: F401
    from portal.lifecycle import models as _l  # noqa: F401
    from portal.mail import models as _m  # noqa: F401
    from portal.memberships import models as _ms  # noqa: F401
    from portal.notifications import models as _n  # noqa: F401
    from portal.organisations import models as _o  # noqa: F401
    from portal.signatories import models as _sg  # noqa: F401
    from portal.steering import models as _s  # noqa: F401
