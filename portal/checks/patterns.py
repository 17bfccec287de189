"""Finnish and Swedish phrasings the checks look for (case-insensitive unless noted); the
clauses' patterns over base forms live in clauses.py, organisations in bodies.py."""

from __future__ import annotations

import re

CI = re.IGNORECASE

BUSINESS_ID = re.compile(r"(?<![\d-])\d{7}-\d(?![\d-])")

MAIN_REFERENCE = {
    "fi": re.compile(r"\b(?:puite|yhteistyö|pää|yhteistoiminta)sopimu\w*", CI),
    "sv": re.compile(r"\b(?:ram|samarbets|huvud)avtal\w*", CI),
}

_LIST = r"(?P<numbers>\d{1,2}(?:\s*(?:,|ja|sekä|och|samt|–|-)\s*\d{1,2})*)"
GOAL_NUMBERS = {
    "fi": re.compile(rf"\btavoit\w*\s+(?:(?:nro|n:o)\s*)?{_LIST}", CI),
    "sv": re.compile(rf"\bmål(?:et|en)?\s+(?:(?:nr|nummer)\s*)?{_LIST}", CI),
}

_FI_UNITS = ["yksi", "kaksi", "kolme", "neljä", "viisi", "kuusi", "seitsemän", "kahdeksan", "yhdeksän"]
_FI_GEN = ["yhden", "kahden", "kolmen", "neljän", "viiden", "kuuden", "seitsemän", "kahdeksan", "yhdeksän"]
_SV = [
    "en",
    "två",
    "tre",
    "fyra",
    "fem",
    "sex",
    "sju",
    "åtta",
    "nio",
    "tio",
    "elva",
    "tolv",
    "tretton",
    "fjorton",
    "femton",
    "sexton",
    "sjutton",
    "arton",
    "nitton",
    "tjugo",
]


def _number_words() -> dict[str, int]:
    """Finnish (nominative and genitive) and Swedish number words 1-24."""
    values: dict[str, int] = {"kymmenen": 10, "kaksikymmentä": 20, "kahdenkymmenen": 20}
    for units, twenty in ((_FI_UNITS, "kaksikymmentä"), (_FI_GEN, "kahdenkymmenen")):
        for n, word in enumerate(units, start=1):
            values[word] = n
            values[word + "toista"] = 10 + n
            if n <= 4:
                values[twenty + word] = 20 + n
    values.update({word: n for n, word in enumerate(_SV, start=1)})
    values.update({"ett": 1, "tjugoen": 21, "tjugoett": 21, "tjugotvå": 22, "tjugotre": 23, "tjugofyra": 24})
    return values


NUMBER_WORDS = _number_words()

_DATE = r"\d{1,2}\.\s?\d{1,2}\.\s?\d{4}"
END_DATE = {
    "fi": re.compile(
        rf"\b(?:voimassa|päättyy|päättyvä)\b[^.]{{0,80}}?(?P<date>{_DATE})"
        rf"|(?P<date2>{_DATE})\s+(?:saakka|asti|mennessä)",
        CI,
    ),
    "sv": re.compile(rf"\b(?:gäller|upphör|giltig)\b[^.]{{0,80}}?(?P<date>{_DATE})", CI),
}
