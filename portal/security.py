"""Security headers on every response: a strict CSP (no inline script, no eval), no framing; the
client's address from X-Forwarded-For only behind the configured number of trusted proxies."""

import logging

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

log = logging.getLogger(__name__)

CSP = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)


def init_app(app: Flask) -> None:
    trust_proxies(app)
    if not app.config["PORTAL_DEVELOPMENT"] and not app.config.get("PORTAL_RATELIMIT_STORAGE_SET", True):
        log.warning(
            "PORTAL_RATELIMIT_STORAGE_URL is not set: failed passwords are counted in each "
            "process apart (memory://). With several app processes set it to redis://..."
        )

    @app.after_request
    def set_headers(response):
        response.headers.setdefault("Content-Security-Policy", CSP)
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Referrer-Policy"] = "same-origin"
        response.headers["X-Frame-Options"] = "DENY"
        response.headers["Cross-Origin-Opener-Policy"] = "same-origin"
        if not app.config["PORTAL_DEVELOPMENT"]:
            response.headers["Strict-Transport-Security"] = "max-age=31536000"
        if response.mimetype == "text/html":
            response.headers.setdefault("Cache-Control", "no-store")
        return response


def trust_proxies(app: Flask) -> None:
    """Behind PORTAL_TRUSTED_PROXIES reverse proxies, the client's address is the one the nearest
    of them appended to X-Forwarded-For (and the scheme its X-Forwarded-Proto). Without the
    setting the headers are ignored: anyone can send them, and an address taken from them would
    let a guesser pick a fresh one for each attempt."""
    hops = app.config.get("PORTAL_TRUSTED_PROXIES", 0)
    if hops:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops)  # type: ignore[method-assign]
