"""pyHanko plumbing shared by prepare() and sign(): keys, signature metadata, the stamp style."""

from __future__ import annotations

import asyncio

from pyhanko.keys import load_certs_from_pemder_data, load_private_key_from_pemder_data
from pyhanko.pdf_utils.content import RawContent
from pyhanko.pdf_utils.layout import (
    AxisAlignment,
    BoxConstraints,
    InnerScaling,
    Margins,
    SimpleBoxLayoutRule,
)
from pyhanko.pdf_utils.text import TextBoxStyle
from pyhanko.sign.fields import MDPPerm, SigSeedSubFilter
from pyhanko.sign.signers import PdfSignatureMetadata, Signer, SimpleSigner
from pyhanko.sign.timestamps import TimeStamper
from pyhanko.stamp import TextStampStyle
from pyhanko_certvalidator.registry import SimpleCertificateStore

from signing.fonts import StampFont
from signing.model import SignerKey
from signing.pkcs11 import token_signer

DIGEST = "sha256"
_WHITE = RawContent(b"1 g 0 0 100 100 re f", box=BoxConstraints(width=100, height=100))
_FILL = SimpleBoxLayoutRule(
    x_align=AxisAlignment.ALIGN_MID,
    y_align=AxisAlignment.ALIGN_MID,
    margins=Margins.uniform(0),
    inner_content_scaling=InnerScaling.STRETCH_FILL,
)
_TEXT_LAYOUT = SimpleBoxLayoutRule(
    x_align=AxisAlignment.ALIGN_MIN,
    y_align=AxisAlignment.ALIGN_MAX,
    margins=Margins.uniform(8),
    inner_content_scaling=InnerScaling.SHRINK_TO_FIT,
)


def simple_signer(key: SignerKey) -> Signer:
    """A pyHanko signer for `key` (in a PKCS#11 token when it names one); raises ValueError
    when the passphrase does not open it."""
    if key.token is not None:
        return token_signer(key.token, key.certificate_pem, key.chain_pem)
    try:
        private_key = load_private_key_from_pemder_data(key.private_key_pem, key.passphrase)
    except (TypeError, ValueError) as exc:
        raise ValueError("the private key cannot be opened with this passphrase") from exc
    certificate = next(iter(load_certs_from_pemder_data(key.certificate_pem)))
    chain = [c for pem in key.chain_pem for c in load_certs_from_pemder_data(pem)]
    return SimpleSigner(
        signing_cert=certificate,
        signing_key=private_key,
        cert_registry=SimpleCertificateStore.from_certs(chain),
    )


#: room in a signature's CMS for what is neither a certificate nor the timestamp token: the
#: signed attributes (~210 bytes), the algorithm identifiers and structure (~180), the signature
#: value (71 bytes for the portal's P-256 keys, 512 for RSA-4096): at most ~900 bytes
_CMS_REST = 1024
#: a timestamp token may be a few bytes longer than the timestamper's dummy (serial, time, nonce)
_TOKEN_MARGIN = 512


def bytes_reserved(signer: Signer, timestamper: TimeStamper | None) -> int:
    """Room (hex digits, two a byte) for `signer`'s CMS signature with `timestamper`'s token in
    it: given to pyHanko, it does not build and sign a dummy CMS of its own to estimate the size
    on every signature. The certificates the CMS carries and the timestamper's dummy token (made
    once per timestamper, as pyHanko's own estimate does) are counted as they are, the rest with
    _CMS_REST and _TOKEN_MARGIN: a little less room than pyHanko's estimate with its 50 %
    margin (5.5 KiB against 5.9 KiB with the portal's own TSA)."""
    certificates = [signer.signing_cert, *signer.cert_registry]
    size = sum(len(c.dump()) for c in certificates if c is not None) + _CMS_REST
    if timestamper is not None:
        size += len(asyncio.run(timestamper.async_dummy_response(DIGEST)).dump()) + _TOKEN_MARGIN
    return 2 * size


def certification_metadata(field_name: str) -> PdfSignatureMetadata:
    """PAdES certification (DocMDP: form filling and signing still allowed)."""
    return PdfSignatureMetadata(
        field_name=field_name,
        md_algorithm=DIGEST,
        certify=True,
        docmdp_permissions=MDPPerm.FILL_FORMS,
        subfilter=SigSeedSubFilter.PADES,
    )


def approval_metadata(field_name: str, signer_name: str, place: str) -> PdfSignatureMetadata:
    """PAdES (ETSI.CAdES.detached) approval signature into an existing field."""
    return PdfSignatureMetadata(
        field_name=field_name,
        md_algorithm=DIGEST,
        subfilter=SigSeedSubFilter.PADES,
        name=signer_name or None,
        location=place or None,
    )


def stamp_style(text: str) -> TextStampStyle:
    """An opaque white stamp with a thin grey border and `text` (literal, no % parameters) in
    embedded Vera 9 pt, top left, shrunk to fit the field."""
    return TextStampStyle(
        stamp_text=text.replace("%", "%%"),
        text_box_style=TextBoxStyle(font=StampFont(9), font_size=9, leading=12),
        inner_content_layout=_TEXT_LAYOUT,
        background=_WHITE,
        background_opacity=1.0,
        background_layout=_FILL,
        border_width=1,
        border_color=(0.4, 0.4, 0.4),
    )
