"""The shadow attack (issue 7, item 1), each layer on its own: preparation leaves no form field to
change, every party's signature locks every field but the other parties' (FieldMDP), verify()
refuses signature fields added after certification, and verify_latest_revision() checks one new
signature's revision as it is made."""

from __future__ import annotations

import asyncio
import io
import subprocess

import pikepdf
import pytest
from pyhanko.keys import load_certs_from_pemder_data
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.fields import SigFieldSpec, append_signature_field
from pyhanko.sign.signers import PdfSigner
from pyhanko.sign.validation import async_validate_pdf_signature
from pyhanko_certvalidator import ValidationContext
from reportlab.pdfgen.canvas import Canvas

import signing
from signing import preparation, sigpage
from signing.pades import approval_metadata, simple_signer, stamp_style
from tests.unit.signing.conftest import slots_for, stamp

SHARE = "10 %"


def with_text_field(value: str = SHARE) -> bytes:
    """A one-page annex whose cost share is a text form field (as a lawyer's template has)."""
    buffer = io.BytesIO()
    canvas = Canvas(buffer, invariant=True)
    canvas.drawString(72, 760, "Liitesopimus: Tampereen kustannusosuus")
    canvas.acroForm.textfield(name="share", value=value, x=72, y=720, width=120, height=24, borderWidth=0)
    canvas.linkURL("https://example.org/", (72, 680, 200, 700))
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def page_text(pdf: bytes, page: int = 1) -> str:
    result = subprocess.run(
        ["pdftotext", "-f", str(page), "-l", str(page), "-", "-"],
        input=pdf,
        capture_output=True,
        timeout=60,
        check=True,
    )
    return result.stdout.decode()


def content_of(pdf: bytes, page: int = 0) -> bytes:
    """The page's own content streams and the forms they draw, decoded: no annotation."""
    with pikepdf.open(io.BytesIO(pdf)) as document:
        page_obj = document.pages[page]
        parts = (
            [page_obj.obj.Contents]
            if isinstance(page_obj.obj.Contents, pikepdf.Stream)
            else list(page_obj.obj.Contents)
        )
        xobjects = page_obj.obj.get("/Resources", {}).get("/XObject", {})
        parts += [xobjects[k] for k in xobjects.keys()]
        return b"\n".join(p.read_bytes() for p in parts)


def codes(report) -> set[str]:
    return {p.code for p in report.problems}


def fields_with(report, code: str) -> set[str | None]:
    return {p.field_name for p in report.problems if p.code == code}


# -- layer 1: preparation -----------------------------------------------------------------------


def test_a_form_field_does_not_survive_preparation(parties, authority, poppler):
    prepared = signing.prepare(
        with_text_field(), slots_for(parties[:2]), authority.certifier, title="Liitesopimus"
    )
    reader = PdfFileReader(io.BytesIO(prepared))
    names = [str(f.get_object()["/T"]) for f in reader.root["/AcroForm"]["/Fields"]]
    assert sorted(names) == ["party-01", "party-02", signing.CERTIFICATION_FIELD]
    with pikepdf.open(io.BytesIO(prepared)) as pdf:
        # the field's widget and the link are gone; the certification's invisible field is new
        annots = pdf.pages[0].obj.get("/Annots", [])
        assert [str(a.T) for a in annots] == [signing.CERTIFICATION_FIELD]
        assert [float(x) for x in annots[0].Rect] == [0, 0, 0, 0]
    assert SHARE in page_text(prepared)  # ... and what the field showed is page content now
    assert b"(10 %) Tj" in content_of(prepared)


def test_a_field_value_without_an_appearance_is_flattened_from_its_value(poppler):
    def drop_appearance(pdf: pikepdf.Pdf) -> None:
        for annot in pdf.pages[0].Annots:
            if annot.get("/FT") == "/Tx":
                del annot["/AP"]

    from tests.unit.signing import samples

    clean = signing.normalise(samples.modified(with_text_field("90 %"), drop_appearance))
    with pikepdf.open(io.BytesIO(clean)) as pdf:
        assert "/AcroForm" not in pdf.Root and "/Annots" not in pdf.pages[0].obj
    assert "90 %" in page_text(clean)


def test_a_text_box_that_cannot_be_flattened_is_refused(agreement):
    from tests.unit.signing import samples

    def free_text(pdf: pikepdf.Pdf) -> None:  # no appearance stream: a reader would make one up
        pdf.pages[0].Annots = pdf.make_indirect(
            pikepdf.Array(
                [
                    pdf.make_indirect(
                        pikepdf.Dictionary(
                            Type=pikepdf.Name.Annot,
                            Subtype=pikepdf.Name.FreeText,
                            Rect=[72, 72, 300, 100],
                            Contents=pikepdf.String("90 %"),
                            DA=pikepdf.String("/Helv 12 Tf 0 g"),
                            F=4,
                        )
                    )
                ]
            )
        )

    with pytest.raises(signing.PdfRejected) as rejected:
        signing.normalise(samples.modified(agreement, free_text))
    assert rejected.value.code == "form_field"


# -- layer 2: FieldMDP --------------------------------------------------------------------------


def live_field_prepared(authority, parties) -> bytes:
    """Prepared as before the fix (the text field left live) but with today's field locks, so
    that the locks are tested on their own."""
    slots = slots_for(parties)
    appendix, boxes = sigpage.render(slots, "Liitesopimus", "fi")
    with pikepdf.open(io.BytesIO(with_text_field())) as pdf, pikepdf.open(io.BytesIO(appendix)) as extra:
        pdf.pages.extend(extra.pages)
        out = io.BytesIO()
        pdf.save(out, object_stream_mode=pikepdf.ObjectStreamMode.disable)
    return preparation.certify(preparation.add_fields(out.getvalue(), slots, boxes), authority.certifier)


def sign_as(pdf: bytes, number: int, parties, authority) -> bytes:
    name, business_id = parties[number - 1]
    return signing.sign(
        pdf, f"party-{number:02d}", authority.signer("Maija Meikäläinen", name, business_id), stamp(name)
    )


def text_appearance(writer: IncrementalPdfFileWriter, text: str) -> generic.IndirectObject:
    stream = generic.StreamObject(
        {
            generic.NameObject("/Type"): generic.NameObject("/XObject"),
            generic.NameObject("/Subtype"): generic.NameObject("/Form"),
            generic.NameObject("/BBox"): generic.ArrayObject(map(generic.NumberObject, (0, 0, 120, 24))),
            generic.NameObject("/Resources"): generic.DictionaryObject(
                {
                    generic.NameObject("/Font"): generic.DictionaryObject(
                        {
                            generic.NameObject("/Helv"): generic.DictionaryObject(
                                {
                                    generic.NameObject("/Type"): generic.NameObject("/Font"),
                                    generic.NameObject("/Subtype"): generic.NameObject("/Type1"),
                                    generic.NameObject("/BaseFont"): generic.NameObject("/Helvetica"),
                                }
                            )
                        }
                    )
                }
            ),
        },
        stream_data=f"BT /Helv 12 Tf 2 7 Td ({text}) Tj ET".encode(),
    )
    return writer.add_object(stream)


def change_share(pdf: bytes, text: str) -> bytes:
    """One write between two signatures: the field's value and appearance become `text`."""
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf))
    for ref in writer.root["/AcroForm"]["/Fields"]:
        field = ref.get_object()
        if field.get("/T") == "share":
            field["/V"] = generic.TextStringObject(text)
            field["/AP"] = generic.DictionaryObject({generic.NameObject("/N"): text_appearance(writer, text)})
            writer.update_container(field)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def add_text_field(pdf: bytes, text: str) -> bytes:
    """One write between two signatures: a new text field over the page's text."""
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf))
    page_ref = writer.root["/Pages"]["/Kids"][0]
    field = writer.add_object(
        generic.DictionaryObject(
            {
                generic.NameObject("/Type"): generic.NameObject("/Annot"),
                generic.NameObject("/Subtype"): generic.NameObject("/Widget"),
                generic.NameObject("/FT"): generic.NameObject("/Tx"),
                generic.NameObject("/T"): generic.TextStringObject("overlay"),
                generic.NameObject("/V"): generic.TextStringObject(text),
                generic.NameObject("/F"): generic.NumberObject(4),
                generic.NameObject("/P"): page_ref,
                generic.NameObject("/Rect"): generic.ArrayObject(
                    map(generic.NumberObject, (72, 720, 192, 744))
                ),
                generic.NameObject("/AP"): generic.DictionaryObject(
                    {generic.NameObject("/N"): text_appearance(writer, text)}
                ),
            }
        )
    )
    page = page_ref.get_object()
    annots = page.get("/Annots", generic.ArrayObject())
    page["/Annots"] = generic.ArrayObject([*annots, field])
    writer.update_container(page)
    acroform = writer.root["/AcroForm"]
    acroform["/Fields"].append(field)
    writer.update_container(acroform)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def pyhanko_verdicts(pdf: bytes, authority) -> dict[str, bool]:
    """Stock pyHanko: each signature's bottom line with its default difference analysis."""

    async def run() -> dict[str, bool]:
        reader = PdfFileReader(io.BytesIO(pdf))
        roots = list(load_certs_from_pemder_data(authority.cert_pem))
        out = {}
        for sig in reader.embedded_signatures:
            status = await async_validate_pdf_signature(
                sig, ValidationContext(trust_roots=roots, allow_fetching=False)
            )
            out[sig.field_name] = status.bottom_line
        return out

    return asyncio.run(run())


def test_each_party_field_locks_every_field_but_the_other_parties(prepared, parties):
    reader = PdfFileReader(io.BytesIO(prepared))
    names = {f"party-{i:02d}" for i in range(1, len(parties) + 1)}
    for ref in reader.root["/AcroForm"]["/Fields"]:
        field = ref.get_object()
        if field["/T"] == signing.CERTIFICATION_FIELD:
            continue
        lock = field["/Lock"]
        assert lock["/Action"] == "/Exclude"
        assert {str(n) for n in lock["/Fields"]} == names - {str(field["/T"])}


def move_party_field_over_the_text(pdf: bytes, field_name: str) -> bytes:
    """One write between two signatures: another party's empty field is moved over page 1 and
    given an opaque appearance (its lock exclusion must not make that acceptable)."""
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf))
    for ref in writer.root["/AcroForm"]["/Fields"]:
        field = ref.get_object()
        if field.get("/T") == field_name:
            field["/Rect"] = generic.ArrayObject(map(generic.NumberObject, (72, 720, 192, 744)))
            field["/AP"] = generic.DictionaryObject(
                {generic.NameObject("/N"): text_appearance(writer, "90 %")}
            )
            writer.update_container(field)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


@pytest.mark.parametrize(
    ("live_field", "attack"),
    [
        pytest.param(True, lambda pdf: change_share(pdf, "90 %"), id="field-changed"),
        pytest.param(False, lambda pdf: add_text_field(pdf, "90 %"), id="field-added"),
        pytest.param(
            False, lambda pdf: move_party_field_over_the_text(pdf, "party-03"), id="other-party-field-moved"
        ),
    ],
)
def test_a_field_changed_after_a_signature_is_caught_by_verify_and_pyhanko(
    authority, parties, small_prepared, live_field, attack
):
    """`field-changed` keeps the upload's text field live (as preparation did before the fix) to
    test the locks alone. NB pyHanko then reports a locked text field as changed by any later
    revision, which is one more reason why preparation must leave no field but the parties'."""
    three = parties[:3]
    pdf = live_field_prepared(authority, three) if live_field else small_prepared
    pdf = sign_as(pdf, 1, three, authority)
    pdf = sign_as(attack(pdf), 2, three, authority)
    pdf = sign_as(pdf, 3, three, authority)
    report = signing.verify(pdf, [authority.cert_pem], certifier_sha256=authority.seal_sha256)
    assert not report.ok
    assert "party-01" in fields_with(report, "modified_after_signing")
    verdicts = pyhanko_verdicts(pdf, authority)
    assert verdicts["party-01"] is False  # stock pyHanko no longer says VALID for Tampere


# -- layer 3: no signature field after certification ---------------------------------------------


def test_a_signature_field_added_after_certification_is_refused_by_verify(small_prepared, parties, authority):
    pdf = sign_as(small_prepared, 1, parties, authority)
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf))
    append_signature_field(writer, SigFieldSpec("overlay", on_page=0, box=(60, 600, 540, 760)))
    out = io.BytesIO()
    writer.write(out)
    pdf = sign_as(out.getvalue(), 2, parties, authority)
    pdf = sign_as(pdf, 3, parties, authority)
    report = signing.verify(pdf, [authority.cert_pem], certifier_sha256=authority.seal_sha256)
    assert ("unexpected_field", "overlay") in [(p.code, p.field_name) for p in report.problems]
    assert not report.ok


# -- layer 4: each signature's own revision ----------------------------------------------------


def expected(parties, number: int, key=None) -> signing.ExpectedSigner:
    return signing.ExpectedSigner(
        f"party-{number:02d}", parties[number - 1][1], key and signing.certificate_sha256(key.certificate_pem)
    )


def test_a_clean_signature_revision_verifies(small_prepared, parties, authority):
    name, business_id = parties[0]
    key = authority.signer("Maija Meikäläinen", name, business_id)
    pdf = signing.sign(small_prepared, "party-01", key, stamp(name))
    report = signing.verify_latest_revision(
        pdf, small_prepared, expected(parties, 1, key), [authority.cert_pem]
    )
    assert report.ok, report.problems
    assert report.modification_level == "FORM_FILLING"
    assert report.changed_fields == ("party-01",)
    assert report.as_dict()["ok"] is True


def test_a_revision_written_before_the_signature_is_not_its_own(small_prepared, parties, authority):
    writer = IncrementalPdfFileWriter(io.BytesIO(small_prepared))
    overlay = generic.StreamObject(stream_data=b"q 1 1 1 rg 60 600 480 160 re f Q")
    writer.add_stream_to_page(0, writer.add_object(overlay))
    out = io.BytesIO()
    writer.write(out)
    pdf = sign_as(out.getvalue(), 1, parties, authority)
    report = signing.verify_latest_revision(pdf, small_prepared, expected(parties, 1), [authority.cert_pem])
    assert not report.ok
    assert codes(report) == {"not_incremental"}


def overlay_page(writer: IncrementalPdfFileWriter) -> None:
    overlay = generic.StreamObject(stream_data=b"q 1 1 1 rg 60 600 480 160 re f Q")
    writer.add_stream_to_page(0, writer.add_object(overlay))


def paint_other_party_field(writer: IncrementalPdfFileWriter) -> None:
    for ref in writer.root["/AcroForm"]["/Fields"]:
        field = ref.get_object()
        if field.get("/T") == "party-02":
            field["/AP"] = generic.DictionaryObject(
                {generic.NameObject("/N"): text_appearance(writer, "90 %")}
            )
            writer.update_container(field)


def add_open_action(writer: IncrementalPdfFileWriter) -> None:
    writer.root["/OpenAction"] = generic.ArrayObject(
        [writer.root["/Pages"]["/Kids"].raw_get(0), generic.NameObject("/Fit")]
    )
    writer.update_root()


@pytest.mark.parametrize("change", [overlay_page, paint_other_party_field, add_open_action])
def test_a_signature_revision_that_changes_anything_else_is_refused(
    small_prepared, parties, authority, change
):
    name, business_id = parties[0]
    key = authority.signer("Maija Meikäläinen", name, business_id)
    writer = IncrementalPdfFileWriter(io.BytesIO(small_prepared))
    change(writer)  # written in the signature's own revision
    signer = PdfSigner(
        approval_metadata("party-01", "Maija", "Tampere"),
        simple_signer(key),
        stamp_style=stamp_style("Maija"),
    )
    pdf = signer.sign_pdf(writer, existing_fields_only=True).getvalue()
    report = signing.verify_latest_revision(
        pdf, small_prepared, expected(parties, 1, key), [authority.cert_pem]
    )
    assert not report.ok
    assert codes(report) == {"modified_after_signing"}
    assert report.modification_level == "OTHER"


def test_a_signature_by_another_party_or_untrusted_is_refused(small_prepared, parties, authority):
    other_name, other_id = parties[5]
    pdf = signing.sign(
        small_prepared, "party-01", authority.signer("Ville Väärä", other_name, other_id), stamp(other_name)
    )
    report = signing.verify_latest_revision(pdf, small_prepared, expected(parties, 1), [authority.cert_pem])
    assert codes(report) == {"wrong_signer"}
    from tests.unit.signing.conftest import make_authority

    name, business_id = parties[0]
    pdf = sign_as(small_prepared, 1, parties, authority)
    stranger = make_authority()
    report = signing.verify_latest_revision(pdf, small_prepared, expected(parties, 1), [stranger.cert_pem])
    assert codes(report) == {"invalid_signature"}


def test_a_file_that_does_not_extend_the_previous_one_is_refused(small_prepared, parties, authority):
    pdf = sign_as(small_prepared, 1, parties, authority)
    for previous in (small_prepared[:-1] + b"X", pdf, b""):
        report = signing.verify_latest_revision(pdf, previous, expected(parties, 1), [authority.cert_pem])
        assert not report.ok and report.signature is None
    report = signing.verify_latest_revision(
        b"garbage" + small_prepared, b"garbage", expected(parties, 1), [authority.cert_pem]
    )
    assert not report.ok
