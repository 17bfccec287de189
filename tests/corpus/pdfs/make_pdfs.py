# ruff: noqa: E501 - the texts are prose, one paragraph a line
"""Makes the corpus's fixture PDFs from our own short annex texts with other tools than
reportlab: Chromium (headless print to PDF) and LibreOffice Writer (headless convert). The PDFs
are committed; neither tool is needed to run the tests. Long words carry soft hyphens (&shy;) and
the column is narrow, so words are hyphenated at line ends and sentences break across lines.

Run from the repository root (needs /usr/bin/chromium and soffice):
    python3 tests/corpus/pdfs/make_pdfs.py"""

from __future__ import annotations

import html
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent

DOCUMENTS = {
    "fi-compatible": (
        "fi",
        """Liitesopimus liikuntapalvelujen yhteistyöstä
1. Osapuolet
Sopimuksen osapuolet ovat Tampereen kaupunki, Nokian kaupunki ja Pirkanmaan hyvinvointialue. Sopimus on puitesopimuksen liitesopimus.
2. Kustannukset
Kukin osapuoli vastaa omista kustannuksistaan eikä osapuolten välillä ole laskutusta.
3. Voimassaolo ja irtisanominen
Sopimus on voimassa toistaiseksi. Sopimuksen irtisanomisaika on kaksitoista (12) kuukautta.
4. Erimielisyydet
Tästä sopimuksesta johtuvat erimielisyydet pyritään ratkaisemaan osapuolten välisin neuvotteluin. Muutoin erimielisyys ratkaistaan hallintoriitana hallinto-oikeudessa tai toimivaltaisessa yleisessä tuomioistuimessa.""",
    ),
    "fi-departures": (
        "fi",
        """Liitesopimus hyvinvointiseurannasta
1. Osapuolet
Sopimuksen osapuolet ovat Tampereen kaupunki, Nokian kaupunki ja Porvoo. Sopimus toteuttaa puitesopimusta.
2. Kustannukset
Hankkeen kokonaiskustannukset ovat 250 000 EUR vuodessa, ja ne jaetaan osapuolten kesken asukasluvun mukaan.
3. Irtisanominen
Sopijaosapuoli voi kirjallisesti irtisanoa sopimuksen päättymään kolmen kuukauden kuluttua irtisanomisesta.
4. Riitojen ratkaisu
Riidat ratkaistaan Pirkanmaan käräjäoikeudessa.""",
    ),
    "fi-hyphenated": (
        "fi",
        """Liitesopimus tiedolla johtamisesta
1. Osapuolet
Sopimuksen osapuolina ovat Tampereen kaupunki ja Nokian kaupunki, ja ohjausryhmään osallistuu myös Kanta-Hämeen liitto puitesopimuksen mukaisesti.
2. Kustannukset
Tampereen kaupunki laskuttaa Nokian kaupunkia neljännesvuosittain toteutuneiden kulujen mukaan.
3. Irtisanominen
Sopimuksen irtisanomisaika on kuusi kuukautta.
4. Erimielisyydet
Sopimuksesta johtuvat erimielisyydet ratkaistaan välimiesmenettelyssä.""",
    ),
    "sv-compatible": (
        "sv",
        """Bilageavtal om samarbete inom idrottstjänster
1. Parter
Parter är Tammerfors stad, Nokia stad och Birkalands välfärdsområde. Avtalet är ett bilageavtal till ramavtalet.
2. Kostnader
Varje part står för sina egna kostnader och ingen fakturering sker mellan parterna.
3. Giltighet och uppsägning
Avtalet gäller tills vidare. Uppsägningstiden är tolv (12) månader.
4. Tvister
Tvister som gäller detta avtal löses i första hand genom förhandlingar mellan parterna. I övrigt avgörs en tvist som förvaltningstvistemål i förvaltningsdomstolen eller i behörig allmän domstol.""",
    ),
    "sv-departures": (
        "sv",
        """Bilageavtal om uppföljning av välfärden
1. Parter
Parter är Tammerfors stad, Nokia stad och Borgå stad. Avtalet genomför ramavtalet.
2. Kostnader
Projektets totala kostnader är 250 000 euro per år och fördelas mellan parterna enligt invånarantal.
3. Uppsägning
Avtalet kan sägas upp skriftligen med tre månaders varsel.
4. Tvister
Tvister avgörs av Birkalands tingsrätt.""",
    ),
    "sv-hyphenated": (
        "sv",
        """Bilageavtal om kunskapsbaserad ledning
1. Parter
Parter är Tammerfors stad och Nokia stad, och i styrgruppen deltar även Egentliga Finlands välfärdsområde enligt ramavtalet.
2. Kostnader
Tammerfors stad fakturerar Nokia stad kvartalsvis enligt de faktiska kostnaderna.
3. Uppsägning
Uppsägningstiden är sex månader.
4. Tvister
Tvister med anledning av avtalet avgörs genom skiljeförfarande.""",
    ),
}

#: long words given soft hyphens so that a narrow column breaks them at line ends
SOFT = {
    "käräjäoikeudessa": "käräjä&shy;oikeudessa",
    "irtisanomisaika": "irtisanomis&shy;aika",
    "kokonaiskustannukset": "kokonais&shy;kustannukset",
    "välimiesmenettelyssä": "välimies&shy;menettelyssä",
    "kustannuksistaan": "kustannuk&shy;sistaan",
    "neljännesvuosittain": "neljännes&shy;vuosittain",
    "hyvinvointialue": "hyvinvointi&shy;alue",
    "förvaltningsdomstolen": "förvaltnings&shy;domstolen",
    "uppsägningstiden": "uppsägnings&shy;tiden",
    "skiljeförfarande": "skilje&shy;förfarande",
    "välfärdsområde": "välfärds&shy;område",
    "invånarantal": "invånar&shy;antal",
}


def page_html(language: str, text: str) -> str:
    lines = text.splitlines()
    body = [f"<h1>{html.escape(lines[0])}</h1>"]
    for line in lines[1:]:
        escaped = html.escape(line)
        for word, soft in SOFT.items():
            escaped = escaped.replace(word, soft)
        tag = "h2" if re.match(r"\d+\. ", line) and len(line) < 50 else "p"
        body.append(f"<{tag}>{escaped}</{tag}>")
    return (
        f'<!DOCTYPE html><html lang="{language}"><head><meta charset="utf-8">'
        "<style>body{font-family:'DejaVu Sans',sans-serif;font-size:11pt;width:9cm;"
        "margin:1.5cm} h1{font-size:14pt} h2{font-size:12pt}</style></head><body>"
        + "\n".join(body)
        + "</body></html>"
    )


def main() -> None:
    chromium, soffice = shutil.which("chromium"), shutil.which("soffice")
    if not chromium or not soffice:
        sys.exit("needs chromium and soffice (LibreOffice Writer)")
    with tempfile.TemporaryDirectory() as tmp:
        for name, (language, text) in DOCUMENTS.items():
            source = Path(tmp) / f"{name}.html"
            source.write_text(page_html(language, text), encoding="utf-8")
            target = HERE / f"chromium-{name}.pdf"
            subprocess.run(
                [
                    chromium,
                    "--headless",
                    "--no-sandbox",
                    "--disable-gpu",
                    "--no-pdf-header-footer",
                    f"--print-to-pdf={target}",
                    source.as_uri(),
                ],
                check=True,
                capture_output=True,
            )
            subprocess.run(
                [
                    soffice,
                    "--headless",
                    "--infilter=HTML (StarWriter)",
                    "--convert-to",
                    "pdf:writer_pdf_Export",
                    "--outdir",
                    tmp,
                    str(source),
                ],
                check=True,
                capture_output=True,
            )
            shutil.copy(Path(tmp) / f"{name}.pdf", HERE / f"libreoffice-{name}.pdf")
            print(name, "ok")


if __name__ == "__main__":
    main()
