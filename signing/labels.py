"""The few words the signature page and the stamps print, in Finnish, Swedish and English."""

from __future__ import annotations

from datetime import datetime

_LABELS: dict[str, dict[str, str]] = {
    "fi": {
        "headline": "Allekirjoitukset",
        "place_time": "Paikka ja aika",
        "business_id": "Y-tunnus",
        "signature": "Allekirjoitus",
        "signed_by": "Sähköisesti allekirjoittanut",
        "page": "Sivu",
    },
    "sv": {
        "headline": "Underskrifter",
        "place_time": "Ort och tid",
        "business_id": "FO-nummer",
        "signature": "Underskrift",
        "signed_by": "Elektroniskt undertecknat av",
        "page": "Sida",
    },
    "en": {
        "headline": "Signatures",
        "place_time": "Place and date",
        "business_id": "Business ID",
        "signature": "Signature",
        "signed_by": "Electronically signed by",
        "page": "Page",
    },
}
_TIME_FORMATS = {"fi": "%d.%m.%Y klo %H.%M", "sv": "%d.%m.%Y kl. %H.%M", "en": "%d %b %Y %H:%M"}


def labels(language: str) -> dict[str, str]:
    """The labels for `language` (fi, sv or en); anything else falls back to Finnish."""
    return _LABELS.get(language, _LABELS["fi"])


def format_time(moment: datetime, language: str) -> str:
    """Local date and time as people write it in `language`, with the UTC offset."""
    text = moment.strftime(_TIME_FORMATS.get(language, _TIME_FORMATS["fi"]))
    offset = moment.strftime("%z")
    if offset:
        text += f" (UTC{offset[:3]}:{offset[3:]})"
    return text
