"""Where the portal authority's private keys live: wrapped with the key-encryption key in the
authority_key table (the default), or, with PORTAL_PKCS11_MODULE configured, in a PKCS#11 token
(an HSM; SoftHSM2 in the tests), so that a stolen database plus key-encryption key does not give
them. A key in the token is marked in its row's private_key_encrypted as "pkcs11:<key label>";
the row keeps only the certificate. This is the one place that tells the two apart."""

from __future__ import annotations

from pathlib import Path

from flask import current_app, has_app_context

from signing.model import TokenKey

TOKEN_MARKER = "pkcs11:"  # noqa: S105 - a prefix, not a secret
#: the labels (CKA_LABEL) of the authority's keys in the token, after PORTAL_PKCS11_KEY_PREFIX
KEY_NAMES = ("ca", "seal", "tsa")


def token_configured() -> bool:
    """True when PORTAL_PKCS11_MODULE names a module: new authority keys are made in the token."""
    return has_app_context() and bool(current_app.config.get("PORTAL_PKCS11_MODULE"))


def token_key(name: str) -> TokenKey:
    """The configured token's key for the authority key `name` ("ca", "seal" or "tsa")."""
    return token_key_labelled(_label(name))


def _label(name: str) -> str:
    if name not in KEY_NAMES:
        raise ValueError(f"no authority key {name!r}")
    return f"{current_app.config.get('PORTAL_PKCS11_KEY_PREFIX') or 'sopu'}-{name}"


def token_key_labelled(label: str) -> TokenKey:
    if not token_configured():
        raise LookupError("the authority's key is in a PKCS#11 token: set PORTAL_PKCS11_MODULE")
    config = current_app.config
    pin = config.get("PORTAL_PKCS11_PIN") or ""
    if not pin and config.get("PORTAL_PKCS11_PIN_FILE"):
        pin = Path(config["PORTAL_PKCS11_PIN_FILE"]).read_text().strip()
    return TokenKey(config["PORTAL_PKCS11_MODULE"], config["PORTAL_PKCS11_TOKEN_LABEL"], pin, label)


def marker(name: str) -> str:
    """What a row holds in place of a wrapped private key when the key is in the token."""
    return TOKEN_MARKER + _label(name)


def in_token(private_key_encrypted: str) -> TokenKey | None:
    """The token key a row's marker names, or None for a key wrapped in the row itself."""
    if not private_key_encrypted.startswith(TOKEN_MARKER):
        return None
    return token_key_labelled(private_key_encrypted.removeprefix(TOKEN_MARKER))
