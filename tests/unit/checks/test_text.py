import io

import pikepdf
import pytest

import signing
from portal.checks import extract_pages, normalise_words
from portal.checks.text import quote, stem_all, stems_match
from portal.demo.pdf import text_to_pdf
from tests.unit.signing import samples

SMALL = signing.Limits(seconds=5, memory_bytes=256 * 1024**2)


def test_pages_are_kept_in_order():
    pdf = text_to_pdf(
        "Liite\n" + "\n".join(f"Kohta {i}: Tampereen kaupungin tehtävät." for i in range(120)), title="Liite"
    )
    pages = extract_pages(pdf)
    assert len(pages) > 2
    assert "Kohta 0:" in pages[0] and "Kohta 119:" in pages[-1]
    assert "kaupungin tehtävät" in pages[0]


@pytest.mark.parametrize(
    ("inflected", "base", "language"),
    [
        ("Tampereen kaupungin", "Tampereen kaupunki", "fi"),
        ("Tampereella", "Tampere", "fi"),
        ("Ylöjärvellä", "Ylöjärven", "fi"),
        ("Tammerfors stads", "Tammerfors stad", "sv"),
        ("ramavtalet", "ramavtal", "sv"),
    ],
)
def test_inflected_forms_meet(inflected, base, language):
    pairs = zip(normalise_words(inflected, language), normalise_words(base, language), strict=True)
    assert all(stems_match(a, b) for a, b in pairs)


def test_gradation_left_by_the_stemmer_is_matched_loosely():
    nokialla, nokia = stem_all(["Nokialla", "Nokia"], "fi")
    assert nokialla != nokia and stems_match(nokialla, nokia)
    assert not stems_match("tamper", "helsing")


def test_finnish_words_reach_their_base_form_whatever_the_gradation():
    assert normalise_words("Riidat riitojen Nokialla Nokia Porvoossa", "fi") == [
        "riita",
        "riita",
        "nokia",
        "nokia",
        "porvoo",
    ]
    assert normalise_words("riita-asiat", "fi") == ["riita-asia"]


def test_quote_is_the_sentence_and_bounded():
    text = "Ensimmäinen lause. Toinen lause, jossa on osuma. Kolmas."
    at = text.index("osuma")
    assert quote(text, at, at + 5) == "Toinen lause, jossa on osuma."
    long = "sana " * 100 + "osuma " + "sana " * 100
    assert len(quote(long, 500, 505)) <= 200 and "osuma" in quote(long, 500, 505)


def test_a_decompression_bomb_is_rejected():
    """How soon: bench/bench_limits.py."""
    with pytest.raises(signing.PdfRejected) as caught:
        extract_pages(samples.bomb_pdf(4 * 1024**3), SMALL)
    assert caught.value.code in {"memory", "timeout", "unreadable"}


@pytest.mark.parametrize(
    ("data", "code"),
    [
        (b"", "empty"),
        (samples.docx_bytes(), "not_pdf"),
        (samples.agreement_pdf(1)[:-400], "truncated"),
    ],
)
def test_non_pdfs_are_rejected_before_parsing(data, code):
    with pytest.raises(signing.PdfRejected) as caught:
        extract_pages(data, SMALL)
    assert caught.value.code == code


def test_too_many_pages():
    with pytest.raises(signing.PdfRejected) as caught:
        extract_pages(samples.agreement_pdf(3), signing.Limits(max_pages=2))
    assert caught.value.code == "too_many_pages"


def test_encrypted_file_is_rejected():
    with pikepdf.open(io.BytesIO(samples.agreement_pdf(1))) as document:
        buffer = io.BytesIO()
        document.save(buffer, encryption=pikepdf.Encryption(owner="o", user="u"))
    with pytest.raises(signing.PdfRejected) as caught:
        extract_pages(buffer.getvalue(), SMALL)
    assert caught.value.code == "encrypted"
