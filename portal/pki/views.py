"""Public, sign-in-free endpoints of the portal's CA at stable URLs, named in every certificate it
issues: /pki/ca.pem and /pki/ca.crt (the CA certificate, PEM and DER), /pki/crl (the CRL, DER)
and /pki/ocsp (RFC 6960, POST or GET); and its time-stamping authority, /pki/tsa (RFC 3161,
POST). Nothing here changes anything (but the TSA's key is issued on its first use)."""

import base64
import binascii
from datetime import UTC, datetime

from cryptography import x509
from cryptography.hazmat.primitives.serialization import Encoding
from flask import Blueprint, Response, current_app, request

import signing
import signing.longterm
from portal.authority import services as authority
from portal.errors import PortalError
from portal.extensions import db
from portal.timeutil import utcnow

bp = Blueprint("pki", __name__, url_prefix="/pki")

#: an OCSP request names one certificate: a few hundred bytes
MAX_OCSP_REQUEST = 16 * 1024


def _kek() -> str:
    return current_app.config["PORTAL_KEY_ENCRYPTION_KEY"]


def _der(body: bytes, mimetype: str, max_age: int) -> Response:
    response = Response(body, mimetype=mimetype)
    response.headers["Cache-Control"] = f"public, max-age={max_age}"
    return response


@bp.get("/ca.pem")
def ca_pem():
    return _der(authority.ca_certificate_pem(db.session), "application/x-pem-file", 86400)


@bp.get("/ca.crt")
def ca_crt():
    certificate = x509.load_pem_x509_certificate(authority.ca_certificate_pem(db.session))
    return _der(certificate.public_bytes(Encoding.DER), "application/pkix-cert", 86400)


@bp.get("/crl")
def crl():
    return _der(authority.crl(db.session, _kek(), _now()), "application/pkix-crl", 300)


@bp.post("/ocsp")
def ocsp_post():
    if (request.content_length or 0) > MAX_OCSP_REQUEST:
        raise PortalError("too_large", 413)
    return _ocsp(request.get_data(cache=False)[: MAX_OCSP_REQUEST + 1])


@bp.get("/ocsp/<path:encoded>")
def ocsp_get(encoded: str):
    try:
        der = base64.b64decode(encoded.encode(), validate=False)
    except (binascii.Error, ValueError):
        der = b""
    return _ocsp(der)


@bp.post("/tsa")
def tsa():
    """RFC 3161 over HTTP: a TimeStampReq in, a TimeStampResp out, both DER."""
    if request.mimetype != "application/timestamp-query":
        raise PortalError("bad_request", 415)
    if (request.content_length or 0) > signing.longterm.MAX_TIMESTAMP_REQUEST:
        raise PortalError("too_large", 413)
    body = request.get_data(cache=False)[: signing.longterm.MAX_TIMESTAMP_REQUEST + 1]
    pointers = signing.Pointers.under(current_app.config["PORTAL_BASE_URL"])
    answer = authority.answer_timestamp_request(db.session, _kek(), body, pointers)
    if answer is None:
        raise PortalError("bad_request", 400)
    db.session.commit()  # the TSA's key, when this was its first use
    return _der(answer, "application/timestamp-reply", 0)


def _ocsp(der: bytes) -> Response:
    return _der(authority.ocsp(db.session(), _kek(), der, _now()), "application/ocsp-response", 0)


def _now() -> datetime:
    return utcnow().replace(tzinfo=UTC, microsecond=0)
