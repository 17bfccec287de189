"""Finnish and Swedish phrasings the checks look for (case-insensitive unless noted)."""

from __future__ import annotations

import re

CI = re.IGNORECASE

KIND_WORDS = frozenset({
    "kaupunki", "kunta", "kuntayhtymä", "hyvinvointialue", "liitto", "maakunnan",
    "stad", "kommun", "samkommun", "välfärdsområde", "förbund", "landskapsförbund",
})

#: Capitalised words that precede "kunta"/"stad" without being a name.
NOT_NAMES = frozenset({
    "Tämän", "Kunkin", "Jokaisen", "Kyseisen", "Sen", "Toisen", "Kummankin", "Muun", "Oman",
    "Yhden", "Osapuolen", "Isäntä", "Isännän", "Sopijapuolen", "Jäsen", "Jäsenen", "Ko",
    "Denna", "Varje", "Den", "Annan", "Respektive", "Värd", "Medlem", "Part", "Partens",
    "Vardera", "Samma", "Alla", "Kaikkien", "Kunnan", "Kommunens", "Jokainen", "Kyseinen",
    "Toinen", "Uuden", "Uusi", "Sopijakunnan", "Isäntäkunnan", "Jäsenkunnan", "Ny", "Nya",
})

BUSINESS_ID = re.compile(r"(?<![\d-])\d{7}-\d(?![\d-])")

_NAME = r"[A-ZÅÄÖ]\w*(?:-[A-ZÅÄÖ]?\w+)*"
#: "<Name>n kaupunki/kunta/kuntayhtymä/hyvinvointialue" (any case of the kind word) and
#: "<Name> stad/kommun/samkommun/välfärdsområde". Case-sensitive: the name is capitalised.
ORGANISATIONS = (
    re.compile(rf"\b(?P<name>{_NAME}n)\s+(?:kaupun[gk]\w*|kuntayhtym\w*|hyvinvointialue\w*"
               rf"|kun(?:ta|nan|nassa|nasta|nalle|nalta|taa|nat)\b)"),
    re.compile(rf"\b(?P<name>{_NAME})\s+(?:stad(?:s|en|ens)?\b|kommun(?:s|en|ens)?\b"
               rf"|samkommun\w*|välfärdsområde\w*)"),
)

MAIN_REFERENCE = {
    "fi": re.compile(r"\b(?:puite|yhteistyö|pää|yhteistoiminta)sopimu\w*", CI),
    "sv": re.compile(r"\b(?:ram|samarbets|huvud)avtal\w*", CI),
}

_LIST = r"(?P<numbers>\d{1,2}(?:\s*(?:,|ja|sekä|och|samt|–|-)\s*\d{1,2})*)"
GOAL_NUMBERS = {
    "fi": re.compile(rf"\btavoit\w*\s+(?:(?:nro|n:o)\s*)?{_LIST}", CI),
    "sv": re.compile(rf"\bmål(?:et|en)?\s+(?:(?:nr|nummer)\s*)?{_LIST}", CI),
}

_FI_UNITS = ["yksi", "kaksi", "kolme", "neljä", "viisi", "kuusi", "seitsemän", "kahdeksan",
             "yhdeksän"]
_FI_GEN = ["yhden", "kahden", "kolmen", "neljän", "viiden", "kuuden", "seitsemän", "kahdeksan",
           "yhdeksän"]
_SV = ["en", "två", "tre", "fyra", "fem", "sex", "sju", "åtta", "nio", "tio", "elva", "tolv",
       "tretton", "fjorton", "femton", "sexton", "sjutton", "arton", "nitton", "tjugo"]


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
    values.update({"ett": 1, "tjugoen": 21, "tjugoett": 21, "tjugotvå": 22, "tjugotre": 23,
                   "tjugofyra": 24})
    return values


NUMBER_WORDS = _number_words()

_NUM = ("(?P<n>\\d{1,2}|" + "|".join(sorted(map(re.escape, NUMBER_WORDS), key=len, reverse=True))
        + r")(?:\s*\(\d{1,2}\))?")


def number_value(text: str) -> int | None:
    """12, "kuusi", "kuuden", "sex" -> the number (up to 24), else None."""
    text = text.lower()
    return int(text) if text.isdigit() else NUMBER_WORDS.get(text)


NOTICE = {
    "fi": re.compile(rf"\birtisanomisa(?:ika|ja)\w*\s+(?:on\s+)?{_NUM}\s+(?:kuukau\w*|kk)\b"
                     rf"|\b{_NUM.replace('<n>', '<n2>')}\s+(?:kuukauden|kk:n)\s+"
                     rf"irtisanomisa(?:ika|ja)\w*", CI),
    "sv": re.compile(rf"\buppsägningstid\w*\s+(?:är\s+|om\s+|på\s+)?{_NUM}\s+månad\w*"
                     rf"|\b{_NUM.replace('<n>', '<n2>')}\s+månaders\s+uppsägningstid\w*", CI),
}

_DATE = r"\d{1,2}\.\s?\d{1,2}\.\s?\d{4}"
END_DATE = {
    "fi": re.compile(rf"\b(?:voimassa|päättyy|päättyvä)\b[^.]{{0,80}}?(?P<date>{_DATE})"
                     rf"|(?P<date2>{_DATE})\s+(?:saakka|asti|mennessä)", CI),
    "sv": re.compile(rf"\b(?:gäller|upphör|giltig)\b[^.]{{0,80}}?(?P<date>{_DATE})", CI),
}

DISPUTE = {
    "fi": re.compile(r"\berimielisyy\w*|\briita\w*", CI),
    "sv": re.compile(r"\btvist\w*|\bmeningsskiljaktighet\w*", CI),
}
ARBITRATION = {
    "fi": re.compile(r"\bvälimie\w*|\bvälityslautakun\w*", CI),
    "sv": re.compile(r"\bskiljeförfarand\w*|\bskiljedom\w*|\bskiljenämnd\w*", CI),
}
OTHER_COURT = {
    "fi": re.compile(r"\b(?:markkinaoikeu|vakuutusoikeu|työtuomioistuim)\w*", CI),
    "sv": re.compile(r"\b(?:marknadsdomstol|försäkringsdomstol|arbetsdomstol)\w*", CI),
}

COSTS = {
    "fi": re.compile(r"\bkustannukset\s+jaetaan\b|\bkustannusten\s+ja(?:ko|on|kaminen)\w*"
                     r"|\blaskute\w*|\blaskutu\w*|€|\beuro(?:a|n|t|ja)?\b", CI),
    "sv": re.compile(r"\bkostnaderna\s+fördelas\b|\bkostnadsfördelning\w*|\bfakturer\w*|€"
                     r"|\beuro(?:r|n)?\b", CI),
}
