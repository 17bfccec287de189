"""How the checks read a text: Voikko's base forms, sentences, quotes, annotations, the public
bodies' data file, and the fail-over when the Finnish analyser is missing."""

import csv
from dataclasses import replace

import pytest

import signing
from portal.checks import Severity, extract_pages, morphology, run_checks
from portal.checks.bodies import DATA, bodies
from portal.checks.morphology import Analyser
from portal.checks.reading import quote, read
from portal.demo.pdf import text_to_pdf
from tests.corpus.loader import _freetext_pdf, pirkanmaa
from tests.unit.checks.conftest import annex


@pytest.mark.parametrize(
    ("word", "base"),
    [
        ("Riidat", "riita"),
        ("riitojen", "riita"),
        ("riidoissa", "riita"),
        ("Porvoossa", "porvoo"),
        ("Porvoon", "porvoo"),
        ("Kanta-Hämeen", "kanta-häme"),
        ("Tampereella", "tampere"),
        ("käräjäoikeudessa", "käräjäoikeus"),
        ("kolmen", "kolme"),
    ],
)
def test_voikko_gives_finnish_base_forms(word, base):
    assert base in morphology.analyser().bases(word, "fi")


def test_a_compound_keeps_its_parts_base():
    [sentence] = read(("Riita-asiat ratkaistaan neuvotellen.",), "fi")
    assert sentence.lemmas.startswith("riita-asia ")


def test_a_missing_finnish_analyser_is_a_warning_not_a_crash(monkeypatch):
    missing = Analyser(library="/nonexistent/libvoikko.so.1")
    assert missing.finnish_missing and "libvoikko" in missing.finnish_missing
    assert missing.bases("riitojen", "fi")  # Snowball stems stand in
    monkeypatch.setattr(morphology, "_DEFAULT", [missing])
    document = annex("Liite\nRiidat ratkaistaan Pirkanmaan käräjäoikeudessa.", kind="annex")
    flags = run_checks(pirkanmaa(), document)
    [warning] = [f for f in flags if f.code == "analyser"]
    assert warning.severity is Severity.warning and "Voikko" in warning.message
    assert not any(f.code == "analyser" for f in run_checks(pirkanmaa(), replace(document, language="sv")))


def test_with_voikko_there_is_no_analyser_warning():
    flags = run_checks(pirkanmaa(), annex("Liite\nKukin vastaa omista kuluistaan.", kind="annex"))
    assert not any(f.code == "analyser" for f in flags)


def test_a_sentence_ends_before_the_next_heading_and_its_number():
    pages = extract_pages(
        text_to_pdf(
            "Liite\n8. Erimielisyydet\nRiidat ratkaistaan Pirkanmaan käräjäoikeudessa.\n"
            "9. Voimaantulo\nSopimus tulee voimaan esim. 1.1.2027 allekirjoituksin.",
            title="Liite",
        )
    )
    texts = [s.text for s in read(tuple(pages), "fi")]
    assert "Riidat ratkaistaan Pirkanmaan käräjäoikeudessa." in texts
    assert "Sopimus tulee voimaan esim. 1.1.2027 allekirjoituksin." in texts


def test_a_long_sentence_is_quoted_in_whole_words():
    sentence = " ".join(["sanaa"] * 40 + ["käräjäoikeudessa"] + ["toinen"] * 40) + "."
    at = sentence.index("käräjä")
    quoted = quote(sentence, at, at + 16)
    assert len(quoted) <= 200 and "käräjäoikeudessa" in quoted
    assert quoted.startswith("…") and quoted.endswith("…")
    assert all(word in {"sanaa", "käräjäoikeudessa", "toinen"} for word in quoted.strip("…").split())


def test_a_word_hyphenated_at_a_line_end_is_one_word():
    pages = (
        "Sopimuksen irtisanomis-\naika on kuusi kuukautta. Riita-\nasiat ja Kanta-\n"
        "Hämeen liitto, sosiaali-\nja terveyspalvelut.",
    )
    text = " ".join(s.text for s in read(pages, "fi"))
    assert "irtisanomisaika" in text and "Riita-asiat" in text
    assert "Kanta-Hämeen" in text and "sosiaali- ja" in text


def test_a_freetext_annotation_raises_the_same_flags_as_page_text():
    sentence = (
        "Riidat ratkaistaan Pirkanmaan käräjäoikeudessa. Kustannukset jaetaan osapuolten "
        "kesken asukasluvun mukaan. Myös Porvoon kaupunki osallistuu."
    )
    as_page = text_to_pdf("Liite\n" + sentence, title="Liite")
    as_annotation = _freetext_pdf(sentence, "fi")
    assert "käräjäoikeudessa" not in extract_pages(as_annotation)[0].split("\n\n")[0]

    def findings(pdf):
        document = annex("", kind="annex", pdf=pdf)
        return {
            (f.code, f.severity)
            for f in run_checks(pirkanmaa(), document)
            if f.severity is not Severity.ok and f.code in ("disputes", "costs", "parties")
        }

    expected = {("disputes", Severity.warning), ("costs", Severity.warning), ("parties", Severity.blocker)}
    assert findings(as_page) == expected
    assert findings(as_annotation) == expected
    assert signing.check_pdf(as_annotation).page_count == 1


def test_the_public_bodies_file_names_its_source_and_every_kind():
    header = DATA.read_text(encoding="utf-8").split("\n# Columns")[0]
    assert "Statistics Finland" in header and "2025" in header and "Compiled" in header
    kinds = [b.kind for b in bodies()]
    assert kinds.count("municipality") == 308
    assert kinds.count("wellbeing_county") == 21 and kinds.count("regional_council") == 18
    assert kinds.count("joint_authority") >= 5
    with DATA.open(encoding="utf-8") as file:
        rows = list(csv.reader((line for line in file if not line.startswith("#")), delimiter=";"))
    finnish = [row[1] for row in rows if row[0] == "municipality"]
    assert len(set(finnish)) == 308 and {"Porvoo", "Helsinki", "Maarianhamina"} <= set(finnish)
    assert ["municipality", "Porvoo", "Borgå"] == rows[finnish.index("Porvoo")][:3]
