"""check_pdf() and normalise(): what an upload must not be, and what it becomes."""

from __future__ import annotations

import io
import resource

import pikepdf
import pytest
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.sign.fields import SigFieldSpec, append_signature_field

import signing
from tests.unit.signing import samples

BOTH = (signing.check_pdf, signing.normalise)


def rejection(func, data: bytes, limits: signing.Limits = signing.Limits()) -> str:
    with pytest.raises(signing.PdfRejected) as rejected:
        func(data, limits)
    assert rejected.value.detail
    return rejected.value.code


def with_open_action(action: dict):
    def change(pdf: pikepdf.Pdf) -> None:
        pdf.Root.OpenAction = pdf.make_indirect(pikepdf.Dictionary(action))

    return change


def test_a_plain_agreement_passes(agreement):
    facts = signing.check_pdf(agreement)
    assert facts == signing.PdfFacts(
        page_count=3,
        encrypted=False,
        has_javascript=False,
        has_launch_action=False,
        has_embedded_files=False,
        has_signatures=False,
        pdf_version=facts.pdf_version,
    )
    clean = signing.normalise(agreement)
    assert clean.startswith(b"%PDF-1.7")
    assert b"/XRefStm" not in clean and b"/ObjStm" not in clean
    assert signing.check_pdf(clean).page_count == 3


@pytest.mark.parametrize("func", BOTH)
def test_empty_and_non_pdf_uploads_are_rejected(func):
    assert rejection(func, b"") == "empty"
    assert rejection(func, samples.docx_bytes()) == "not_pdf"
    assert rejection(func, b"%PDF-1.7\n" + b"\0" * 100 + b"\n%%EOF\n") == "unreadable"


@pytest.mark.parametrize("func", BOTH)
def test_a_pdf_cut_in_half_is_truncated(func, agreement):
    # decided: no "%%EOF" near the end means truncated, even if qpdf could rebuild something
    assert rejection(func, agreement[: len(agreement) // 2]) == "truncated"


@pytest.mark.parametrize("func", BOTH)
@pytest.mark.parametrize("user_password", ["user", ""])
def test_encrypted_pdfs_are_rejected(func, agreement, user_password):
    with pikepdf.open(io.BytesIO(agreement)) as pdf:
        out = io.BytesIO()
        pdf.save(out, encryption=pikepdf.Encryption(owner="owner", user=user_password))
    assert rejection(func, out.getvalue()) == "encrypted"


@pytest.mark.parametrize("func", BOTH)
def test_too_many_pages_and_too_many_bytes(func):
    long = samples.agreement_pdf(6)
    assert rejection(func, long, signing.Limits(max_pages=5)) == "too_many_pages"
    assert rejection(func, long, signing.Limits(max_bytes=len(long) - 1)) == "too_large"


def test_javascript_is_a_fact_for_check_and_a_rejection_for_normalise(agreement):
    pdf = samples.modified(
        agreement,
        with_open_action({"/S": pikepdf.Name.JavaScript, "/JS": pikepdf.String("app.alert('hei');")}),
    )
    facts = signing.check_pdf(pdf)
    assert facts.has_javascript and not facts.has_launch_action
    assert rejection(signing.normalise, pdf) == "javascript"


def test_javascript_in_a_name_tree_is_found(agreement):
    def change(pdf: pikepdf.Pdf) -> None:
        script = pdf.make_indirect(
            pikepdf.Dictionary({"/S": pikepdf.Name.JavaScript, "/JS": pikepdf.String("1")})
        )
        pdf.Root.Names = pikepdf.Dictionary(
            {"/JavaScript": pikepdf.Dictionary({"/Names": pikepdf.Array(["a", script])})}
        )

    assert signing.check_pdf(samples.modified(agreement, change)).has_javascript


def test_a_launch_action_is_found(agreement):
    pdf = samples.modified(
        agreement, with_open_action({"/S": pikepdf.Name.Launch, "/F": pikepdf.String("calc.exe")})
    )
    facts = signing.check_pdf(pdf)
    assert facts.has_launch_action and not facts.has_javascript
    assert rejection(signing.normalise, pdf) == "launch_action"


def test_an_embedded_file_is_found(agreement):
    def change(pdf: pikepdf.Pdf) -> None:
        pdf.attachments["liite.txt"] = pikepdf.AttachedFileSpec(pdf, b"salainen liite")

    pdf = samples.modified(agreement, change)
    assert signing.check_pdf(pdf).has_embedded_files
    assert rejection(signing.normalise, pdf) == "embedded_file"


def test_an_already_signed_pdf_is_found(small_prepared):
    assert signing.check_pdf(small_prepared).has_signatures
    assert rejection(signing.normalise, small_prepared) == "already_signed"


def test_empty_signature_fields_and_object_streams_do_not_survive(agreement):
    writer = IncrementalPdfFileWriter(io.BytesIO(agreement))
    append_signature_field(writer, SigFieldSpec("party-01", box=(50, 50, 250, 150)))
    out = io.BytesIO()
    writer.write(out)
    with pikepdf.open(io.BytesIO(out.getvalue())) as pdf:
        packed = io.BytesIO()
        pdf.save(packed, object_stream_mode=pikepdf.ObjectStreamMode.generate)
    assert b"/ObjStm" in packed.getvalue()
    facts = signing.check_pdf(packed.getvalue())
    assert not facts.has_signatures  # an empty field is not a signature
    clean = signing.normalise(packed.getvalue())
    assert b"/ObjStm" not in clean and b"/Sig" not in clean
    with pikepdf.open(io.BytesIO(clean)) as pdf:
        assert len(pdf.pages) == 3
        assert all("/Annots" not in page.obj or len(page.obj.Annots) == 0 for page in pdf.pages)


@pytest.mark.parametrize("func", BOTH)
def test_a_decompression_bomb_stays_inside_its_bounds(func):
    bomb = samples.bomb_pdf(4 * 1024**3)  # 4 GiB of zeros in about 27 MB
    limits = signing.Limits()  # 20 s, 1 GiB beyond what the worker inherits
    peak_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    assert rejection(func, bomb, limits) in ("memory", "timeout")  # how soon: bench/bench_limits.py
    grown_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - peak_before
    assert grown_kib < 200 * 1024, f"the parent's peak memory grew by {grown_kib} KiB"
