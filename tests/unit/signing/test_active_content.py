"""Active content of every kind is reported by check_pdf() and refused by normalise() (issue 7,
item 2): each kind crafted on its own with pikepdf."""

from __future__ import annotations

import io

import pikepdf
import pytest

import signing
from signing.pdfscan import ACTIVE_CONTENT_KINDS
from tests.unit.signing import samples


def open_action(**action):
    def change(pdf: pikepdf.Pdf) -> None:
        pdf.Root.OpenAction = pdf.make_indirect(pikepdf.Dictionary(Type=pikepdf.Name.Action, **action))

    return change


def annotation(**annot):
    def change(pdf: pikepdf.Pdf) -> None:
        pdf.pages[0].Annots = pdf.make_indirect(
            pikepdf.Array(
                [
                    pdf.make_indirect(
                        pikepdf.Dictionary(Type=pikepdf.Name.Annot, Rect=[72, 72, 200, 100], **annot)
                    )
                ]
            )
        )

    return change


def page_additional_action(pdf: pikepdf.Pdf) -> None:
    pdf.pages[0].AA = pikepdf.Dictionary(
        O=pikepdf.Dictionary(S=pikepdf.Name.URI, URI=pikepdf.String("https://example.org/"))
    )


def optional_content(**config):
    def change(pdf: pikepdf.Pdf) -> None:
        group = pdf.make_indirect(pikepdf.Dictionary(Type=pikepdf.Name.OCG, Name=pikepdf.String("Luonnos")))
        pdf.Root.OCProperties = pikepdf.Dictionary(
            OCGs=[group],
            D=pikepdf.Dictionary({f"/{k}": (v(group) if callable(v) else v) for k, v in config.items()}),
        )

    return change


def printed_only_layer(pdf: pikepdf.Pdf) -> None:
    group = pdf.make_indirect(
        pikepdf.Dictionary(
            Type=pikepdf.Name.OCG,
            Name=pikepdf.String("Tuloste"),
            Usage=pikepdf.Dictionary(
                Print=pikepdf.Dictionary(PrintState=pikepdf.Name.ON),
                View=pikepdf.Dictionary(ViewState=pikepdf.Name.OFF),
            ),
        )
    )
    pdf.Root.OCProperties = pikepdf.Dictionary(OCGs=[group], D=pikepdf.Dictionary(ON=[group]))


CASES = [
    ("submit_form", open_action(S=pikepdf.Name.SubmitForm, F=pikepdf.String("https://evil.example/"))),
    ("submit_form", open_action(S=pikepdf.Name.ResetForm)),
    ("additional_actions", page_additional_action),
    ("optional_content", optional_content(OFF=lambda group: [group])),
    ("optional_content", optional_content(BaseState=pikepdf.Name.OFF)),
    (
        "optional_content",
        optional_content(AS=[pikepdf.Dictionary(Event=pikepdf.Name.Print, Category=[pikepdf.Name.Print])]),
    ),
    ("optional_content", printed_only_layer),
    ("optional_content", annotation(Subtype=pikepdf.Name.Square, F=4 | 32)),  # print, no view
    ("import_data", open_action(S=pikepdf.Name.ImportData, F=pikepdf.String("data.fdf"))),
    ("rendition", open_action(S=pikepdf.Name.Rendition, OP=0)),
    ("rendition", annotation(Subtype=pikepdf.Name.Screen)),
    ("rich_media", annotation(Subtype=pikepdf.Name.RichMedia)),
    ("embedded_goto", open_action(S=pikepdf.Name.GoToE, D=[0, pikepdf.Name.Fit])),
    (
        "embedded_goto",
        open_action(S=pikepdf.Name.GoToR, F=pikepdf.String("other.pdf"), D=[0, pikepdf.Name.Fit]),
    ),
    ("hide_action", open_action(S=pikepdf.Name.Hide, T=pikepdf.String("share"))),
    ("set_ocg_state", open_action(S=pikepdf.Name.SetOCGState, State=[pikepdf.Name.OFF])),
]


@pytest.mark.parametrize(("kind", "change"), CASES, ids=[f"{kind}-{i}" for i, (kind, _) in enumerate(CASES)])
def test_each_kind_of_active_content_is_reported_and_refused(agreement, kind, change):
    pdf = samples.modified(agreement, change)
    facts = signing.check_pdf(pdf)
    assert facts.active_content == (kind,)
    assert not (facts.has_javascript or facts.has_launch_action or facts.has_embedded_files)
    with pytest.raises(signing.PdfRejected) as rejected:
        signing.normalise(pdf)
    assert rejected.value.code == kind


def test_every_kind_is_a_rejection_code():
    for kind in ACTIVE_CONTENT_KINDS:
        assert signing.PdfRejected(kind).code == kind


def test_plain_layers_and_links_are_not_active_content(agreement):
    def harmless(pdf: pikepdf.Pdf) -> None:
        optional_content(ON=lambda group: [group])(pdf)
        annotation(
            Subtype=pikepdf.Name.Link,
            F=4,
            A=pikepdf.Dictionary(S=pikepdf.Name.URI, URI=pikepdf.String("https://example.org/")),
        )(pdf)

    pdf = samples.modified(agreement, harmless)
    assert signing.check_pdf(pdf).active_content == ()
    with pikepdf.open(io.BytesIO(signing.normalise(pdf))) as clean:
        assert "/Annots" not in clean.pages[0].obj  # links are dropped by preparation
