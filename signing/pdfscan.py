"""Looking inside a parsed PDF (pikepdf): active content, attachments, signatures, page contents.
Runs inside the isolated worker only."""

from __future__ import annotations

from dataclasses import dataclass, field

import pikepdf

from signing.errors import PdfRejected

_SIGNATURE_TYPES = ("/Sig", "/DocTimeStamp")
#: active content beyond JavaScript and launch actions, by kind (a code of signing.errors):
#: action types (/S), then annotation types (/Subtype)
ACTIVE_ACTIONS = {
    "/SubmitForm": "submit_form",
    "/ResetForm": "submit_form",
    "/ImportData": "import_data",
    "/Rendition": "rendition",
    "/Movie": "rendition",
    "/Sound": "rendition",
    "/RichMediaExecute": "rich_media",
    "/GoTo3DView": "rich_media",
    "/GoToE": "embedded_goto",
    "/GoToR": "embedded_goto",
    "/Hide": "hide_action",
    "/SetOCGState": "set_ocg_state",
}
ACTIVE_ANNOTATIONS = {
    "/Screen": "rendition",
    "/Movie": "rendition",
    "/Sound": "rendition",
    "/RichMedia": "rich_media",
    "/3D": "rich_media",
}
ACTIVE_CONTENT_KINDS = (
    "submit_form",
    "additional_actions",
    "optional_content",
    "import_data",
    "rendition",
    "rich_media",
    "embedded_goto",
    "hide_action",
    "set_ocg_state",
)
_NO_VIEW, _PRINT, _HIDDEN = 32, 4, 2


@dataclass
class Findings:
    """Flags raised while walking every object of a document."""

    javascript: bool = False
    launch_action: bool = False
    embedded_file: bool = False
    signature: bool = False
    #: kinds of ACTIVE_CONTENT_KINDS found
    active: set[str] = field(default_factory=set)

    @property
    def active_content(self) -> tuple[str, ...]:
        """The kinds found, in the stable order of ACTIVE_CONTENT_KINDS."""
        return tuple(kind for kind in ACTIVE_CONTENT_KINDS if kind in self.active)


def scan_objects(pdf: pikepdf.Pdf) -> Findings:
    """Walk every indirect object and the direct objects nested in it, looking for JavaScript
    (/JS, /S /JavaScript, a /JavaScript name tree), /Launch actions, embedded files (/EF,
    /EmbeddedFile, /EmbeddedFiles, file attachment annotations), signatures (/ByteRange,
    /Type /Sig or /DocTimeStamp, a catalog /Perms) and other active content: form actions,
    additional actions (/AA anywhere), media, 3D and rich media, go-to-embedded/remote, hide and
    optional-content actions, and content that shows differently on screen and in print."""
    found = Findings(signature="/Perms" in pdf.Root)
    if _optional_content_differs(pdf.Root.get("/OCProperties")):
        found.active.add("optional_content")
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
    return isinstance(value, pikepdf.Dictionary | pikepdf.Array | pikepdf.Stream) and not value.is_indirect


def _inspect_dictionary(d: pikepdf.Object, found: Findings) -> None:
    keys = set(d.keys())
    action = str(d.get("/S", "")) if "/S" in keys else ""
    if "/JS" in keys or "/JavaScript" in keys or action == "/JavaScript":
        found.javascript = True
    if action == "/Launch":
        found.launch_action = True
    if (
        "/EF" in keys
        or "/EmbeddedFiles" in keys
        or _name(d, "/Type") == "/EmbeddedFile"
        or _name(d, "/Subtype") == "/FileAttachment"
    ):
        found.embedded_file = True
    if "/ByteRange" in keys or _name(d, "/Type") in _SIGNATURE_TYPES:
        found.signature = True
    if _name(d, "/Type") == "/StructElem":  # its /S is a structure type, not an action
        return
    if action in ACTIVE_ACTIONS:
        found.active.add(ACTIVE_ACTIONS[action])
    if "/AA" in keys:
        found.active.add("additional_actions")
    subtype = _name(d, "/Subtype")
    if subtype in ACTIVE_ANNOTATIONS:
        found.active.add(ACTIVE_ANNOTATIONS[subtype])
    if _name(d, "/Type") == "/OCG" and "/Usage" in keys:
        found.active.add("optional_content")
    if "/Rect" in keys and _no_view_but_print(d.get("/F")):
        found.active.add("optional_content")  # an annotation printed but not shown on screen


def _no_view_but_print(flags: object) -> bool:
    if not isinstance(flags, int) or isinstance(flags, bool):  # pikepdf gives integers as int
        return False
    return bool(flags & _NO_VIEW) and bool(flags & _PRINT) and not flags & _HIDDEN


def _optional_content_differs(properties: pikepdf.Object | None) -> bool:
    """Optional content whose visibility may differ between screen and print, or that is off
    by default: a configuration with /AS (automatic states by usage), /OFF groups, /BaseState
    other than /ON, or any /Usage on a group (found while walking the objects)."""
    if not isinstance(properties, pikepdf.Dictionary):
        return False
    configs = [properties.get("/D")]
    alternates = properties.get("/Configs")
    if isinstance(alternates, pikepdf.Array):
        configs += list(alternates)
    for config in configs:
        if not isinstance(config, pikepdf.Dictionary):
            continue
        off = config.get("/OFF")
        if "/AS" in config or (isinstance(off, pikepdf.Array) and len(off) > 0):
            return True
        if _name(config, "/BaseState") not in ("", "/ON"):
            return True
    return False


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
            page.obj["/Annots"] = pikepdf.Array([a for a in annots if not _is_signature_field(a)])


def flatten_forms(pdf: pikepdf.Pdf) -> None:
    """Make what a reader shows of form fields and annotations part of the page content, then
    remove the form and every annotation, so that nothing on the upload's pages can show one
    thing to one signer and another thing later (a shadow attack through a field's value).
    Field appearances are generated from the values first. Links, comments and other
    annotations without an appearance are dropped. Raises PdfRejected("form_field") when a
    visible field or free-text annotation is left that could not be flattened."""
    acroform = pdf.Root.get("/AcroForm")
    if isinstance(acroform, pikepdf.Dictionary):
        acroform["/NeedAppearances"] = True  # qpdf generates appearances only when asked to
        pdf.generate_appearance_streams()
    pdf.flatten_annotations("all")
    for page in pdf.pages:
        annots = page.obj.get("/Annots")
        if isinstance(annots, pikepdf.Array) and any(_unflattened_text(a) for a in annots):
            raise PdfRejected("form_field", "a form field or text box could not be flattened")
        if "/Annots" in page.obj:
            del page.obj["/Annots"]
    if "/AcroForm" in pdf.Root:
        del pdf.Root["/AcroForm"]


def _unflattened_text(annot: pikepdf.Object) -> bool:
    """A visible widget or free-text annotation that flattening left behind (no appearance)."""
    if not isinstance(annot, pikepdf.Dictionary):
        return False
    flags = annot.get("/F", 0)
    if isinstance(flags, int) and flags & (_HIDDEN | _NO_VIEW):
        return False
    return _name(annot, "/Subtype") in ("/Widget", "/FreeText")


def _is_signature_field(obj: pikepdf.Object) -> bool:
    if not isinstance(obj, pikepdf.Dictionary):
        return False
    if _name(obj, "/FT") == "/Sig":
        return True
    parent = obj.get("/Parent")
    return isinstance(parent, pikepdf.Dictionary) and _name(parent, "/FT") == "/Sig"
