"""PDF/A-2b at preparation (issue 10, item 7): Ghostscript's conversion is kept only when the
pages, the text and the look are the same; otherwise the reason is given."""

import io
import subprocess

import pikepdf
from reportlab.pdfgen.canvas import Canvas

from signing.pdfa import convert_to_pdfa, same_appearance
from tests.factories import sample_pdf


def drawn(text: str, box: bool = False, pages: int = 1) -> bytes:
    buffer = io.BytesIO()
    canvas = Canvas(buffer, invariant=True)
    for _ in range(pages):
        canvas.drawString(72, 720, text)
        if box:
            canvas.rect(72, 300, 400, 300, fill=1)
        canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def test_the_sample_agreement_converts_to_pdfa_2b_unchanged(tmp_path):
    original = sample_pdf(repeat=2)
    result = convert_to_pdfa(original)
    assert result.reason is None and result.pdf is not None, result
    with pikepdf.open(io.BytesIO(result.pdf)) as pdf:
        meta = pdf.open_metadata()
        assert meta.pdfa_status == "2B"
        assert "/OutputIntents" in pdf.Root
    path = tmp_path / "a.pdf"
    path.write_bytes(result.pdf)
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    assert "YHTEISTYÖSOPIMUS" in text  # the Finnish letters survive


def test_a_different_look_is_caught():
    result = same_appearance(drawn("Sopimus"), drawn("Sopimus", box=True))
    assert result.pdf is None and result.reason == "looks_different"
    assert "page 1" in result.detail


def test_changed_text_and_pages_are_caught():
    assert same_appearance(drawn("Sopimus"), drawn("Sopimuz")).reason == "text_changed"
    assert same_appearance(drawn("Sopimus"), drawn("Sopimus", pages=2)).reason == "page_count"
    assert same_appearance(drawn("Sopimus"), drawn("Sopimus")).reason is None
