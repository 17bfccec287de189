"""Looking inside a parsed PDF (pikepdf): active content, attachments, signatures, page contents.
Runs inside the isolated worker only."""

from __future__ import annotations

from dataclasses import dataclass

import pikepdf

_SIGNATURE_TYPES = ("/Sig", "/DocTimeStamp")


@dataclass
class Findings:
    """Flags raised while walking every object of a document."""

    javascript: bool = False
    launch_action: bool = False
    embedded_file: bool = False
    signature: bool = False


def scan_objects(pdf: pikepdf.Pdf) -> Findings:
    """Walk every indirect object and the direct objects nested in it, looking for JavaScript
    (/JS, /S /JavaScript, a /JavaScript name tree), /Launch actions, embedded files (/EF,
    /EmbeddedFile, /EmbeddedFiles, file attachment annotations) and signatures (/ByteRange,
    /Type /Sig or /DocTimeStamp, a catalog /Perms)."""
    found = Findings(signature="/Perms" in pdf.Root)
    for obj in pdf.objects:
        stack = [obj]
        while stack:
            current = stack.pop()
            if isinstance(current, pikepdf.Dictionary | pikepdf.Stream):
                _inspect_dictionary(current, found)
                values = list(current.values())
            elif isinstance(current, pikepdf.Array):
                values = list(current)
            else:
                continue
            stack.extend(v for v in values if _is_direct_container(v))
    return found


def _is_direct_container(value: pikepdf.Object) -> bool:
    return (isinstance(value, pikepdf.Dictionary | pikepdf.Array | pikepdf.Stream)
            and not value.is_indirect)


def _inspect_dictionary(d: pikepdf.Object, found: Findings) -> None:
    keys = set(d.keys())
    action = str(d.get("/S", "")) if "/S" in keys else ""
    if "/JS" in keys or "/JavaScript" in keys or action == "/JavaScript":
        found.javascript = True
    if action == "/Launch":
        found.launch_action = True
    if ("/EF" in keys or "/EmbeddedFiles" in keys
            or _name(d, "/Type") == "/EmbeddedFile" or _name(d, "/Subtype") == "/FileAttachment"):
        found.embedded_file = True
    if "/ByteRange" in keys or _name(d, "/Type") in _SIGNATURE_TYPES:
        found.signature = True


def _name(d: pikepdf.Object, key: str) -> str:
    value = d.get(key)
    return str(value) if isinstance(value, pikepdf.Name) else ""


def decode_page_contents(pdf: pikepdf.Pdf) -> None:
    """Decode every page's content streams once: a broken stream raises pikepdf.PdfError, a
    decompression bomb exhausts the worker's memory bound (MemoryError)."""
    for page in pdf.pages:
        contents = page.obj.get("/Contents")
        streams = contents if isinstance(contents, pikepdf.Array) else [contents]
        for stream in streams:
            if isinstance(stream, pikepdf.Stream):
                stream.read_bytes()


def strip_signature_fields(pdf: pikepdf.Pdf) -> None:
    """Remove empty signature fields (and their widgets) and XFA from an unsigned upload, so that
    the only signature fields in a prepared document are the ones prepare() creates."""
    if "/NeedsRendering" in pdf.Root:
        del pdf.Root["/NeedsRendering"]
    acroform = pdf.Root.get("/AcroForm")
    if not isinstance(acroform, pikepdf.Dictionary):
        return
    for key in ("/XFA", "/SigFlags"):
        if key in acroform:
            del acroform[key]
    fields = acroform.get("/Fields")
    if isinstance(fields, pikepdf.Array):
        acroform["/Fields"] = pikepdf.Array([f for f in fields if not _is_signature_field(f)])
    for page in pdf.pages:
        annots = page.obj.get("/Annots")
        if isinstance(annots, pikepdf.Array):
            page.obj["/Annots"] = pikepdf.Array(
                [a for a in annots if not _is_signature_field(a)])


def _is_signature_field(obj: pikepdf.Object) -> bool:
    if not isinstance(obj, pikepdf.Dictionary):
        return False
    if _name(obj, "/FT") == "/Sig":
        return True
    parent = obj.get("/Parent")
    return isinstance(parent, pikepdf.Dictionary) and _name(parent, "/FT") == "/Sig"
