"""A second time-stamping authority with a CA of its own (not the portal's), over real HTTP on
loopback: RFC 3161 at /tsa, its CA's CRL at /crl and certificate at /ca.crt; its TSA certificate
names those URLs (and an OCSP URL it does not answer: the CRL is what it publishes)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime

from cryptography import x509
from cryptography.hazmat.primitives import serialization

import signing
from signing.seal import issue_tsa_certificate, local_timestamper
from tests.server import serve


@dataclass
class OutsideTsa:
    base_url: str
    ca_cert_pem: bytes
    tsa_cert_pem: bytes
    #: how many requests each path answered
    requests: Counter[str] = field(default_factory=Counter)
    #: the CRL is not served (404) while this is set
    crl_down: bool = False

    @property
    def url(self) -> str:
        return f"{self.base_url}/tsa"


@contextmanager
def outside_tsa() -> Iterator[OutsideTsa]:
    ca_key, ca_cert = signing.create_authority("Aikaleima Oy Root CA", "Aikaleima Oy")
    state: dict[str, object] = {}

    def app(environ, start_response):
        path, method = environ["PATH_INFO"], environ["REQUEST_METHOD"]
        tsa = state["tsa"]
        assert isinstance(tsa, OutsideTsa)
        tsa.requests[path] += 1
        body, kind = None, "application/octet-stream"
        if path == "/tsa" and method == "POST":
            length = int(environ.get("CONTENT_LENGTH") or 0)
            body = signing.answer_timestamp_request(environ["wsgi.input"].read(length), state["stamper"])
            kind = "application/timestamp-reply"
        elif path == "/crl" and not tsa.crl_down:
            now = datetime.now(UTC).replace(microsecond=0)
            body = signing.certificate_revocation_list(ca_key, None, ca_cert, [], now=now, number=1)
            kind = "application/pkix-crl"
        elif path == "/ca.crt":
            body = x509.load_pem_x509_certificate(ca_cert).public_bytes(serialization.Encoding.DER)
            kind = "application/pkix-cert"
        if body is None:
            start_response("404 Not Found", [("Content-Type", "text/plain")])
            return [b"not found"]
        start_response("200 OK", [("Content-Type", kind), ("Content-Length", str(len(body)))])
        return [body]

    with serve(app) as base_url:
        pointers = signing.Pointers(f"{base_url}/ca.crt", f"{base_url}/crl", f"{base_url}/ocsp")
        key, cert = issue_tsa_certificate(
            ca_key, None, ca_cert, common_name="Aikaleima Oy TSA", pointers=pointers
        )
        state["stamper"] = local_timestamper(signing.SignerKey(key, None, cert, (ca_cert,)))
        state["tsa"] = tsa = OutsideTsa(base_url, ca_cert, cert)
        yield tsa
