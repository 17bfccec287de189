"""verify() on its own (issue 10 item 2, issue 14 item 3): archive augmentation after the last
signature accepted and nothing else, validation at the time of the timestamps, a malformed
signature reported as that signature, the portal's identifier read back, and the one-pass
verifier giving pyHanko's verdicts on every file of the tampering corpus."""

from __future__ import annotations

import hashlib
import io
import json
import os
import re
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

import signing
from tests.unit.signing import archive, samples, test_shadow, test_tampering
from tests.unit.signing.conftest import slots_for

AT_2040 = datetime(2040, 1, 1, tzinfo=UTC)


def codes(report: signing.VerificationReport) -> set[str]:
    return {p.code for p in report.problems}


def check(pdf: bytes, authority, **kwargs) -> signing.VerificationReport:
    return signing.verify(pdf, [authority.cert_pem], certifier_sha256=authority.seal_sha256, **kwargs)


@pytest.fixture(scope="module")
def timestamper(authority):
    return archive.tsa(authority)


@pytest.fixture(scope="module")
def identified(agreement, parties, authority) -> bytes:
    return signing.prepare(
        agreement,
        slots_for(parties[:3]),
        authority.certifier,
        title=samples.TITLE,
        document_id=signing.DocumentId(7, 12, 3),
    )


@pytest.fixture(scope="module")
def timestamped(identified, parties, authority, timestamper) -> bytes:
    pdf = identified
    for i, (name, business_id) in enumerate(parties[:3], start=1):
        key = authority.signer("Maija Meikäläinen", name, business_id)
        pdf = archive.sign_timestamped(pdf, f"party-{i:02d}", key, timestamper)
    return pdf


@pytest.fixture(scope="module")
def archived(timestamped, authority, timestamper) -> bytes:
    """B-LTA: validation data, a document timestamp, validation data for that."""
    pdf = archive.add_dss(timestamped, [authority.cert_pem])
    pdf = archive.add_document_timestamp(pdf, timestamper)
    return archive.add_dss(pdf, [authority.cert_pem])


def test_the_identifier_and_hash_of_a_prepared_document_are_reported(timestamped, authority):
    report = check(timestamped, authority)
    assert report.ok, report.problems
    assert report.document == signing.DocumentId(7, 12, 3)
    assert re.fullmatch(r"[0-9a-f]{64}", report.sha256)
    assert all(s.timestamp is not None for s in report.signatures[1:])


def test_archive_augmentation_after_the_last_signature_is_accepted(archived, authority):
    report = check(archived, authority)
    assert report.ok, report.problems
    assert [s.is_timestamp for s in report.signatures] == [False, False, False, False, True]
    assert all(s.long_term for s in report.signatures[1:])


def test_a_timestamped_agreement_is_valid_in_2040_and_an_untimestamped_one_is_not(
    archived, small_prepared, parties, authority
):
    report = check(archived, authority, at=AT_2040)
    assert report.ok, report.problems
    assert all(s.validated_at and s.validated_at.year < 2040 for s in report.signatures[1:])
    plain = test_tampering.three_signed.__wrapped__(small_prepared, parties, authority)
    expired = check(plain, authority, at=AT_2040)
    assert not expired.ok
    assert codes(expired) == {"invalid_signature"}
    assert {s.validated_at for s in expired.signatures} == {AT_2040}


def _overlay(pdf: bytes) -> bytes:
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf))
    overlay = generic.StreamObject(stream_data=b"q 1 0 0 rg 50 50 200 40 re f Q")
    writer.add_stream_to_page(0, writer.add_object(overlay))
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _annotation(pdf: bytes) -> bytes:
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf))
    page_ref = writer.root["/Pages"]["/Kids"][0]
    note = writer.add_object(
        generic.DictionaryObject(
            {
                generic.NameObject("/Type"): generic.NameObject("/Annot"),
                generic.NameObject("/Subtype"): generic.NameObject("/Text"),
                generic.NameObject("/Rect"): generic.ArrayObject(
                    map(generic.NumberObject, (72, 700, 92, 720))
                ),
                generic.NameObject("/Contents"): generic.TextStringObject("90 %"),
            }
        )
    )
    page = page_ref.get_object()
    page["/Annots"] = generic.ArrayObject([*page.get("/Annots", generic.ArrayObject()), note])
    writer.update_container(page)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


@pytest.mark.parametrize(
    "change", [_overlay, _annotation, lambda pdf: test_shadow.add_text_field(pdf, "90 %")]
)
def test_anything_else_after_the_last_signature_is_refused_even_under_a_document_timestamp(
    timestamped, authority, timestamper, change
):
    pdf = archive.add_document_timestamp(change(timestamped), timestamper)
    report = check(pdf, authority)
    assert not report.ok
    assert "modified_after_signing" in codes(report) or "unexpected_field" in codes(report)
    assert "party-03" in {p.field_name for p in report.problems}


def test_a_malformed_signature_is_reported_as_that_signature(timestamped, authority):
    # party-02's signature: its CMS bytes garbled (the hex string keeps its length)
    reader_report = check(timestamped, authority)
    second = reader_report.signatures[2]
    assert second.field_name == "party-02"
    contents = list(re.finditer(rb"/Contents <([0-9a-fA-F]+)>", timestamped))
    assert len(contents) == 4
    start, end = contents[2].span(1)
    broken = timestamped[:start] + b"30" + b"0" * (end - start - 2) + timestamped[end:]
    report = check(broken, authority)
    assert len(report.signatures) == 4
    by_field = {s.field_name: s for s in report.signatures}
    assert not by_field["party-02"].valid
    assert by_field["party-02"].summary.startswith("UNREADABLE")
    assert by_field["party-01"].valid and by_field["party-01"].trusted
    assert not by_field["party-03"].intact  # it covers party-02's bytes, which changed
    assert {p.field_name for p in report.problems if p.code == "invalid_signature"} >= {"party-02"}
    assert "unreadable" not in codes(report)

    ranged = timestamped.replace(b"/ByteRange [0 ", b"/ByteRange [1 ", 1)  # the certification's
    report = check(ranged, authority)
    assert "unreadable" not in codes(report)
    assert len(report.signatures) == 4
    assert not report.signatures[0].intact
    assert report.signatures[0].coverage == "UNCLEAR"


def corpus(small_prepared, parties, authority, timestamped, archived, timestamper) -> dict[str, bytes]:
    """Every crafted case of test_tampering and test_shadow, and the archive cases."""
    three = parties[:3]
    base = test_tampering.three_signed.__wrapped__(small_prepared, parties, authority)
    flipped = bytearray(base)
    flipped[re.search(rb"stream\r?\n", base).end() + 40] ^= 0x01  # type: ignore[union-attr]
    other_name, other_id = parties[5]
    files = {
        "three-signed": base,
        "byte-flipped": bytes(flipped),
        "trailing-garbage": base + b"\n% trailing garbage\n",
        "page-overlay": _overlay(base),
        "annotation": _annotation(base),
        "wrong-organisation": signing.sign(
            small_prepared,
            "party-01",
            authority.signer("Ville Väärä", other_name, other_id),
            test_tampering.stamp(other_name),
        ),
        "partly-signed": test_shadow.sign_as(small_prepared, 1, three, authority),
        "half-file": base[: len(base) // 2],
        "byte-range-renamed": base.replace(b"/ByteRange", b"/ByteRangX"),
        "timestamped": timestamped,
        "archived": archived,
        "overlay-under-doc-timestamp": archive.add_document_timestamp(_overlay(timestamped), timestamper),
        "dss-then-overlay": _overlay(archive.add_dss(timestamped, [authority.cert_pem])),
        **_dss_cases(two_signed(small_prepared, parties, authority, timestamper), parties, authority),
    }
    for name, attack in (
        ("field-added", lambda pdf: test_shadow.add_text_field(pdf, "90 %")),
        ("other-party-field-moved", lambda pdf: test_shadow.move_party_field_over_the_text(pdf, "party-03")),
    ):
        pdf = test_shadow.sign_as(small_prepared, 1, three, authority)
        pdf = test_shadow.sign_as(attack(pdf), 2, three, authority)
        files[name] = test_shadow.sign_as(pdf, 3, three, authority)
    live = test_shadow.live_field_prepared(authority, three)
    live = test_shadow.sign_as(live, 1, three, authority)
    files["live-field-changed"] = test_shadow.sign_as(
        test_shadow.change_share(live, "90 %"), 2, three, authority
    )
    for change in (
        test_shadow.overlay_page,
        test_shadow.paint_other_party_field,
        test_shadow.add_open_action,
    ):
        writer = IncrementalPdfFileWriter(io.BytesIO(small_prepared))
        change(writer)
        out = io.BytesIO()
        writer.write(out)
        files[f"in-revision-{change.__name__}"] = test_shadow.sign_as(out.getvalue(), 1, three, authority)
    return files


def two_signed(prepared: bytes, parties, authority, timestamper) -> bytes:
    """Two parties signed (with signature timestamps) the portal's way: a DSS revision with the
    signer's certificate before each signature."""
    pdf = prepared
    for i, (name, business_id) in enumerate(parties[:2], start=1):
        key = authority.signer("Maija Meikäläinen", name, business_id)
        pdf = signing.add_validation_data(pdf, signing.ValidationData((key.certificate_pem,)))
        pdf = archive.sign_timestamped(pdf, f"party-{i:02d}", key, timestamper)
    return pdf


def _dss_cases(two_signed: bytes, parties, authority) -> dict[str, bytes]:
    """Crafted DSS revisions between the second and the third signature (issue 14: the quick
    judgement of a DSS revision must give pyHanko's verdict), and the portal's own shape."""
    name, business_id = parties[2]
    third = authority.signer("Maija Meikäläinen", name, business_id)

    def then_third(pdf: bytes) -> bytes:
        return signing.sign(pdf, "party-03", third, test_tampering.stamp(name))

    def dss_revision(change, sign_after: bool = True) -> bytes:
        with_dss = signing.add_validation_data(
            two_signed, signing.ValidationData((authority.cert_pem, third.certificate_pem))
        )
        writer = IncrementalPdfFileWriter(io.BytesIO(with_dss))
        dss = writer.root["/DSS"]
        certs = list(dss.raw_get("/Certs"))
        change(writer, dss, certs)
        writer.update_container(dss)
        if not sign_after:  # written as it is: pyHanko's write() would parse the XMP first
            stream = writer.prev.stream
            stream.seek(0, io.SEEK_END)
            writer._write_updated_section(stream)
            return bytes(stream.getvalue())
        out = io.BytesIO()
        writer.write(out)
        return then_third(out.getvalue())

    def not_a_stream(writer, dss, certs):
        dss["/Certs"] = generic.ArrayObject([*certs, writer.add_object(generic.DictionaryObject())])

    def unexpected_key(writer, dss, certs):
        dss["/Extra"] = generic.NameObject("/Value")

    def entry_removed(writer, dss, certs):
        dss["/Certs"] = generic.ArrayObject(certs[1:])

    def page_changed(writer, dss, certs):
        overlay = generic.StreamObject(stream_data=b"q 1 0 0 rg 50 50 200 40 re f Q")
        writer.add_stream_to_page(0, writer.add_object(overlay))
        dss["/CRLs"] = generic.ArrayObject([writer.add_object(generic.StreamObject(stream_data=b"0"))])

    def metadata_not_xml(writer, dss, certs):
        metadata = writer.root["/Metadata"]
        metadata.strip_filters()
        metadata._data = metadata._encoded_data = b"<not xml"
        writer.update_container(metadata)
        dss["/CRLs"] = generic.ArrayObject([writer.add_object(generic.StreamObject(stream_data=b"0"))])

    return {
        "dss-before-each-signature": then_third(
            signing.add_validation_data(two_signed, signing.ValidationData((third.certificate_pem,)))
        ),
        "dss-grown": dss_revision(lambda writer, dss, certs: None),
        **{
            f"dss-{change.__name__.replace('_', '-')}": dss_revision(change)
            for change in (not_a_stream, unexpected_key, entry_removed, page_changed)
        },
        # pyHanko cannot sign after it: the last revision
        "dss-metadata-not-xml": dss_revision(metadata_not_xml, sign_after=False),
    }


def verdict(report: signing.VerificationReport) -> tuple[object, ...]:
    return (
        report.ok,
        sorted((p.code, p.field_name or "") for p in report.problems),
        [
            (s.field_name, s.intact, s.valid, s.trusted, s.coverage, s.modification_level, s.docmdp_ok)
            for s in report.signatures
        ],
    )


def test_the_one_pass_verifier_gives_pyhankos_verdicts_on_the_corpus(
    small_prepared, parties, authority, timestamped, archived, timestamper
):
    files = corpus(small_prepared, parties, authority, timestamped, archived, timestamper)
    differing = {
        name: (verdict(check(pdf, authority)), verdict(check(pdf, authority, stock=True)))
        for name, pdf in files.items()
        if verdict(check(pdf, authority)) != verdict(check(pdf, authority, stock=True))
    }
    assert not differing, differing
    valid = {name for name, pdf in files.items() if check(pdf, authority).ok}
    assert valid == {
        "three-signed",
        "timestamped",
        "archived",
        "dss-before-each-signature",
        "dss-grown",
        "dss-entry-removed",
    }


def test_portal_verify_with_trust_needs_no_portal(tmp_path, archived, authority):
    """In a fresh folder with no PORTAL_* settings, no database and no data folder."""
    (tmp_path / "ca.pem").write_bytes(authority.cert_pem)
    (tmp_path / "agreement.pdf").write_bytes(archived)
    portal = Path(sys.executable).parent / "portal"
    env = {"PATH": os.environ["PATH"], "HOME": str(tmp_path), "LANG": "C.UTF-8"}

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [str(portal), "verify", "--trust", "ca.pem", "agreement.pdf", *args],
            cwd=tmp_path,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )

    now = run()
    assert now.returncode == 0, now.stdout + now.stderr
    assert f"SHA-256: {hashlib.sha256(archived).hexdigest()}" in now.stdout
    assert "document: agreement 7, document 12, version 3" in now.stdout
    assert now.stdout.rstrip().endswith("5 signatures, 0 problems: VALID")
    later = run("--at", "2040-01-01", "--json")
    assert later.returncode == 0, later.stdout + later.stderr
    answer = json.loads(later.stdout)
    assert answer["valid"] is True
    assert answer["document"] == {"agreement": 7, "document": 12, "version": 3}
    assert all(s["timestamp"] for s in answer["signatures"][1:])
    assert sorted(p.name for p in tmp_path.iterdir()) == ["agreement.pdf", "ca.pem"]  # nothing created
