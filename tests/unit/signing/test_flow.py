"""prepare → 25 signatures → verify, checked by pyHanko, by our rules and by poppler's pdfsig."""

from __future__ import annotations

import io
import subprocess

import pikepdf
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.fields import enumerate_sig_fields

import signing
from signing import sigpage
from tests.unit.signing import samples
from tests.unit.signing.conftest import slots_for, stamp


def sig_fields(pdf: bytes) -> dict[str, bool]:
    reader = PdfFileReader(io.BytesIO(pdf))
    return {name: value is not None for name, value, _ in enumerate_sig_fields(reader)}


def pdftotext(pdf: bytes, first: int, last: int) -> str:
    result = subprocess.run(
        ["pdftotext", "-f", str(first), "-l", str(last), "-", "-"],
        input=pdf,
        capture_output=True,
        timeout=60,
        check=True,
    )
    return result.stdout.decode()


def test_prepare_creates_every_field_before_certifying(prepared):
    fields = sig_fields(prepared)
    assert len(fields) == 26
    assert fields.pop(signing.CERTIFICATION_FIELD) is True
    assert sorted(fields) == [f"party-{i:02d}" for i in range(1, 26)]
    assert not any(fields.values())
    reader = PdfFileReader(io.BytesIO(prepared))
    assert reader.root["/AcroForm"]["/SigFlags"] == 3
    (certification,) = reader.embedded_signatures
    assert certification.field_name == signing.CERTIFICATION_FIELD
    assert certification.docmdp_level.value == 2  # form filling and signing allowed
    assert certification.sig_object["/SubFilter"] == "/ETSI.CAdES.detached"
    # the fields are in the revision before the certification, all of them at once
    assert certification.signed_revision == reader.xrefs.total_revisions - 1


def test_prepare_appends_three_signature_pages_with_a_box_per_party(prepared, parties):
    with pikepdf.open(io.BytesIO(prepared)) as pdf:
        assert len(pdf.pages) == 3 + 3  # 25 parties, 10 a page
        widgets = {}
        for number, page in enumerate(pdf.pages):
            for annot in page.obj.get("/Annots", []):
                if annot.get("/FT") == "/Sig" and annot.Rect[2] > annot.Rect[0]:
                    widgets[str(annot.T)] = (number, [round(float(x)) for x in annot.Rect])
    assert len(widgets) == 25
    for i in range(25):
        page, rect = widgets[f"party-{i + 1:02d}"]
        assert page == 3 + i // sigpage.PER_PAGE
        assert rect == list(sigpage.grid_box(i % sigpage.PER_PAGE))


def test_signature_pages_list_every_party_in_readable_text(prepared, parties, poppler):
    text = pdftotext(prepared, 4, 6)
    assert text.count("Allekirjoitukset") == 3
    assert samples.TITLE in text.replace("\n", " ")
    assert text.count("Paikka ja aika") == 25
    for name, business_id in parties:
        assert name in text
        assert f"Y-tunnus {business_id}" in text


def test_labels_follow_the_language(agreement, parties, authority, poppler):
    for language, headline, place in (
        ("sv", "Underskrifter", "Ort och tid"),
        ("en", "Signatures", "Place and date"),
    ):
        pdf = signing.prepare(
            agreement, slots_for(parties[:2]), authority.certifier, title="Avtal", language=language
        )
        text = pdftotext(pdf, 4, 4)
        assert headline in text and text.count(place) == 2


def test_everybody_signs_and_the_document_verifies(fully_signed, authority, parties, signer_keys):
    report = signing.verify(fully_signed, [authority.cert_pem], certifier_sha256=authority.seal_sha256)
    assert report.ok, report.problems
    assert len(report.signatures) == 26
    assert all(s.intact and s.valid and s.trusted for s in report.signatures)
    first, *approvals = report.signatures
    assert first.is_certification and first.field_name == signing.CERTIFICATION_FIELD
    assert first.organisation == "Sopu"
    for i, (report_, (name, business_id), key) in enumerate(
        zip(approvals, parties, signer_keys, strict=True), start=1
    ):
        assert report_.field_name == f"party-{i:02d}"
        assert report_.organisation == name and report_.business_id == business_id
        assert report_.certificate_sha256 == signing.certificate_sha256(key.certificate_pem)
        assert report_.docmdp_ok and not report_.is_certification
        assert report_.signed_at is not None
    assert approvals[-1].coverage == "ENTIRE_FILE"
    assert {s.modification_level for s in report.signatures[:-1]} == {"FORM_FILLING"}


def test_explicit_expectations_with_certificates(fully_signed, authority, parties, signer_keys):
    pairs = enumerate(zip(parties, signer_keys, strict=True), start=1)
    expected = [
        signing.ExpectedSigner(f"party-{i:02d}", business_id, signing.certificate_sha256(key.certificate_pem))
        for i, ((_, business_id), key) in pairs
    ]
    report = signing.verify(
        fully_signed, [authority.cert_pem], certifier_sha256=authority.seal_sha256, expected=expected
    )
    assert report.ok, report.problems


def test_pdfsig_finds_every_signature_valid(fully_signed, tmp_path, poppler):
    path = tmp_path / "signed.pdf"
    path.write_bytes(fully_signed)
    result = subprocess.run(["pdfsig", str(path)], capture_output=True, text=True, timeout=120)
    assert result.stdout.count("Signature Validation: Signature is Valid.") == 26, result.stdout
    assert result.stdout.count("Signature Type: ETSI.CAdES.detached") == 26
    assert "not signed" not in result.stdout


def test_stamp_shows_signer_party_place_and_time(fully_signed, poppler):
    text = pdftotext(fully_signed, 4, 4)
    assert "Sähköisesti allekirjoittanut" in text
    assert "Maija Meikäläinen" in text
    assert "Tampereen kaupunki" in text
    assert "Paikka ja aika: Tampere, 23.11.2026 klo 14.05 (UTC+02:00)" in text


def test_stamp_text_in_swedish_and_english():
    from signing.signature import stamp_lines

    assert stamp_lines(stamp("Tampereen kaupunki", "sv"), "0211675-2").splitlines() == [
        "Elektroniskt undertecknat av:",
        "Maija Meikäläinen",
        "Tampereen kaupunki (0211675-2)",
        "Ort och tid: Tampere, 23.11.2026 kl. 14.05 (UTC+02:00)",
    ]
    assert stamp_lines(stamp("Tampere", "en"), None).splitlines()[-1] == (
        "Place and date: Tampere, 23 Nov 2026 14:05 (UTC+02:00)"
    )


def test_a_hundred_page_agreement_gets_its_signature_page_at_the_end(parties, authority):
    pdf = signing.prepare(
        samples.agreement_pdf(100), slots_for(parties[:3]), authority.certifier, title=samples.TITLE
    )
    with pikepdf.open(io.BytesIO(pdf)) as document:
        assert len(document.pages) == 101
        names = {str(a.T) for a in document.pages[100].obj.Annots if a.get("/FT") == "/Sig"}
    assert names == {"party-01", "party-02", "party-03"}
    report = signing.verify(pdf, [authority.cert_pem], certifier_sha256=authority.seal_sha256)
    assert [p.code for p in report.problems] == ["unsigned_field"] * 3
