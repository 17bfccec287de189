"""The difference analysis of a whole file in one pass over its revisions (issue 14): each
incremental revision is judged once, against the revision before it, and every signature's verdict
is then put together from the verdicts of the revisions after it. pyHanko's own analysis compares
every later revision with each signature's revision again, which grows with the square of the
signatures (and each comparison reads every form field).

A revision is judged by reading only its own objects when it is one of the two kinds a signed
agreement normally gains: a signature into an existing empty field, or a DSS (validation data)
update. Any other revision (a document timestamp, a new field, a tampering) is handed to pyHanko's
own rules (DEFAULT_DIFF_POLICY) for that pair of revisions, so it gets pyHanko's verdict."""

from __future__ import annotations

from dataclasses import dataclass

from pyhanko.pdf_utils.generic import (
    ArrayObject,
    DictionaryObject,
    IndirectObject,
    NameObject,
    PdfObject,
    Reference,
    StreamObject,
)
from pyhanko.pdf_utils.reader import HistoricalResolver, PdfFileReader
from pyhanko.pdf_utils.xref import XRefCache
from pyhanko.sign.diff_analysis import (
    DEFAULT_DIFF_POLICY,
    DiffPolicy,
    DiffResult,
    ModificationLevel,
    SuspiciousModification,
)
from pyhanko.sign.diff_analysis.rules.metadata_rules import MetadataUpdateRule
from pyhanko.sign.fields import FieldMDPSpec, MDPPerm

from signing.pdfobjects import changed_keys, raw_value, reference_of

_INFO_KEYS = frozenset({"/ModDate", "/Producer"})
_DSS_ARRAYS = ("/Certs", "/OCSPs", "/CRLs")


@dataclass(frozen=True)
class RevisionVerdict:
    """What one revision changed: its level, the fields whose change a lock would forbid, whether
    a certification (DocMDP) forbids it; `suspicious` when it is not allowed at all."""

    level: ModificationLevel
    locked_fields: frozenset[str] = frozenset()
    refused_by_certification: bool = False
    suspicious: str | None = None
    #: pyHanko's analysis failed with this (not a verdict): raised again for every signature
    error: Exception | None = None


class RevisionPolicy(DiffPolicy):
    """A pyHanko DiffPolicy answering review_file() from verdicts judged once per revision."""

    def __init__(self, reader: PdfFileReader, first: int = 1) -> None:
        """`first`: the first revision any signature's verdict needs (the one after the earliest
        signed revision); those before it are never judged."""
        self.reader = reader
        self.first = max(first, 1)
        self.verdicts: list[RevisionVerdict] | None = None

    def verdict(self, revision: int) -> RevisionVerdict:
        if self.verdicts is None:
            self.verdicts = judge_all(self.reader, self.first)
        if revision < self.first:
            raise ValueError(f"revision {revision} was not judged (from {self.first} on)")
        return self.verdicts[revision - self.first]

    def review_file(
        self,
        reader: PdfFileReader,
        base_revision: int | HistoricalResolver,
        field_mdp_spec: FieldMDPSpec | None = None,
        doc_mdp: MDPPerm | None = None,
    ) -> DiffResult | SuspiciousModification:
        base = base_revision if isinstance(base_revision, int) else base_revision.revision
        level, changed = ModificationLevel.NONE, set[str]()
        for revision in range(base + 1, reader.xrefs.total_revisions):
            verdict = self.verdict(revision)
            if verdict.error is not None:
                raise verdict.error
            if verdict.suspicious is not None:
                return SuspiciousModification(verdict.suspicious)
            locked = [f for f in verdict.locked_fields if field_mdp_spec and field_mdp_spec.is_locked(f)]
            if locked:
                return SuspiciousModification(f"revision {revision} changes the locked field {locked[0]}")
            if doc_mdp is not None and verdict.refused_by_certification:
                return SuspiciousModification(f"revision {revision} is not allowed after certification")
            level = max(level, verdict.level)
            changed |= verdict.locked_fields
        return DiffResult(level, changed)


def judge_all(reader: PdfFileReader, first: int = 1) -> list[RevisionVerdict]:
    """The verdict on every revision from `first` on, each against the one before it, in order.
    The quick judgement is used only while the form has nothing but signature fields: pyHanko
    reports a locked field of another kind as changed by any later revision, and only a revision
    judged by pyHanko can add a field (it changes the form), so that is where it is looked at."""
    verdicts = []
    other_fields = _not_plain(reader.get_historical_resolver(first - 1))
    streams: set[Reference] = set()  # DSS entries seen to be streams by the quick judgements
    for revision in range(first, reader.xrefs.total_revisions):
        try:
            quick = None if other_fields else _quick(reader, revision, streams)
        except Exception:  # noqa: BLE001 - anything odd is left to pyHanko's rules
            quick = None
        if quick is None:
            verdicts.append(_by_pyhanko(reader, revision))
            other_fields = _not_plain(reader.get_historical_resolver(revision))
            streams = set()
        else:
            verdicts.append(quick)
        _forget_view(reader, revision - 1)
    return verdicts


def _forget_view(reader: PdfFileReader, revision: int) -> None:
    """Drop pyHanko's memo of a revision's view once judged: each view keeps its own copy of
    every object read through it (the DSS with all its references among them), which over every
    revision grows with the square of the signatures. A later look makes the view again."""
    views = getattr(reader, "_historical_resolver_cache", None)
    if isinstance(views, dict):
        views.pop(revision, None)


def _not_plain(resolver: HistoricalResolver) -> bool:
    """Whether the quick judgement must not be used after this revision: its form has another
    kind of field, or its XMP metadata or DSS is one pyHanko's rules refuse (they look at the
    metadata and the DSS in every revision; the quick judgement only where they change)."""
    return _has_other_fields(resolver) or not _metadata_ok(resolver.root) or not _dss_ok(resolver)


def _dss_ok(resolver: HistoricalResolver) -> bool:
    """No DSS, or one pyHanko's DSSCompareRule accepts in any revision after it (the rule looks
    at the whole DSS in every revision; the quick judgement only where it grows)."""
    if "/DSS" not in resolver.root:
        return True
    try:
        dss = _dss(resolver)
        if dss is None or set(dss) - {"/Type", "/VRI", *_DSS_ARRAYS}:
            return False
        return all(_stream_references(dss, key, set()) is not None for key in _DSS_ARRAYS if key in dss)
    except Exception:  # noqa: BLE001 - a DSS we cannot read is pyHanko's to judge
        return False


def _metadata_ok(root: DictionaryObject) -> bool:
    """No /Metadata, or an indirect one that pyHanko reads as well-formed XMP."""
    if "/Metadata" not in root:
        return True
    try:
        MetadataUpdateRule.is_well_formed_xml(root.get_value_as_reference("/Metadata"))
        return True
    except Exception:  # noqa: BLE001 - direct, not a stream, not XML: pyHanko's to judge
        return False


def _has_other_fields(resolver: HistoricalResolver) -> bool:
    """Whether the form has a field that is not a top-level signature field (or cannot tell)."""
    try:
        acroform = resolver.root["/AcroForm"] if "/AcroForm" in resolver.root else None
        if not isinstance(acroform, DictionaryObject) or "/Fields" not in acroform:
            return False
        for ref in acroform["/Fields"]:
            field = ref.get_object()
            if not isinstance(field, DictionaryObject) or raw_value(field, "/FT") != NameObject("/Sig"):
                return True
            if "/Kids" in field:
                return True
        return False
    except Exception:  # noqa: BLE001 - a form we cannot read is not a plain one
        return True


def _by_pyhanko(reader: PdfFileReader, revision: int) -> RevisionVerdict:
    old, new = reader.get_historical_resolver(revision - 1), reader.get_historical_resolver(revision)
    recorder = _LockRecorder()
    try:
        result = DEFAULT_DIFF_POLICY.apply(old, new, field_mdp_spec=recorder)  # type: ignore[arg-type]
    except SuspiciousModification as exc:
        return RevisionVerdict(ModificationLevel.OTHER, suspicious=str(exc)[:300])
    except Exception as exc:  # noqa: BLE001 - pyHanko's own validation would fail with it
        return RevisionVerdict(ModificationLevel.OTHER, error=exc)
    try:
        DEFAULT_DIFF_POLICY.apply(old, new, doc_mdp=MDPPerm.FILL_FORMS)
        refused = False
    except Exception:  # noqa: BLE001 - not allowed under a certification
        refused = True
    return RevisionVerdict(result.modification_level, frozenset(recorder.asked), refused)


class _LockRecorder:
    """Stands in for a FieldMDPSpec: remembers every field whose update a lock would forbid."""

    def __init__(self) -> None:
        self.asked: set[str] = set()

    def is_locked(self, field_name: str) -> bool:
        self.asked.add(field_name)
        return False


def _quick(
    reader: PdfFileReader, revision: int, checked: set[Reference] | None = None
) -> RevisionVerdict | None:
    """A signature into an existing empty field (FORM_FILLING, that field), or a DSS update
    (LTA_UPDATES), judged from this revision's own objects; None for anything else. Every object
    the revision overrides must be accounted for; new objects are then reachable only through
    those (the earlier revisions hold no dangling reference a new object could fill in)."""
    xrefs = reader.xrefs
    old, new = reader.get_historical_resolver(revision - 1), reader.get_historical_resolver(revision)
    before, after = old.trailer_view, new.trailer_view
    if any(raw_value(before, key) != raw_value(after, key) for key in ("/Root", "/Info", "/Encrypt")):
        return None
    if xrefs.refs_freed_in_revision(revision):
        return None
    root_ref, info_ref = reference_of(after.raw_get("/Root")), reference_of(raw_value(after, "/Info"))
    metadata = reference_of(raw_value(new.root, "/Metadata"))
    overridden = [
        ref
        for ref in xrefs.explicit_refs_in_revision(revision)
        if xrefs.get_introducing_revision(ref) != revision and ref != metadata
    ]
    if metadata in xrefs.explicit_refs_in_revision(revision) or (
        metadata is None and "/Metadata" in new.root
    ):
        if not _metadata_ok(new.root):
            return None
    signed: str | None = None
    dss_touched = False
    for ref in overridden:
        before_obj, after_obj = old.get_object(ref), new.get_object(ref)
        keys = changed_keys(before_obj, after_obj)
        if ref == info_ref and keys <= _INFO_KEYS:
            continue
        if ref == root_ref and keys <= {"/DSS"}:
            dss_touched = dss_touched or bool(keys)
            continue
        name = _filled_signature_field(after_obj, before_obj, keys, reader, revision)
        if name is not None and signed is None:
            signed = name
            continue
        if _dss_growth(old, new, ref):
            dss_touched = True
            continue
        return None
    if dss_touched and not _dss_added_only(old, new, checked):
        return None
    if signed is not None:
        return RevisionVerdict(ModificationLevel.FORM_FILLING, frozenset({signed}))
    return RevisionVerdict(ModificationLevel.LTA_UPDATES) if dss_touched else None


def _filled_signature_field(
    after: PdfObject, before: PdfObject, keys: set[str], reader: PdfFileReader, revision: int
) -> str | None:
    """The name of a top-level signature field this revision filled: it had no value before, now
    has a new signature dictionary (/Type /Sig) as value and a new appearance; nothing else
    changed in it."""
    if not keys or not keys <= {"/V", "/AP"} or "/V" not in keys:
        return None
    if not isinstance(after, DictionaryObject) or "/V" in before or "/Parent" in after:  # type: ignore[operator]
        return None
    if raw_value(after, "/FT") != NameObject("/Sig") or "/T" not in after:
        return None
    value = reference_of(after.raw_get("/V"))
    xrefs = reader.xrefs
    if value is None or xrefs.get_introducing_revision(value) != revision:
        return None
    if xrefs.get_last_change(value) != revision:
        return None  # overridden later: left to pyHanko
    sig = reader.get_object(value)  # the current reader's copy: read once, for the validation too
    if not isinstance(sig, DictionaryObject) or raw_value(sig, "/Type") != NameObject("/Sig"):
        return None
    if "/AP" in keys and not _new_appearance(after, xrefs, revision):
        return None
    return str(after["/T"])


def _new_appearance(field: DictionaryObject, xrefs: XRefCache, revision: int) -> bool:
    appearance = field.get("/AP")
    if not isinstance(appearance, DictionaryObject) or set(appearance) - {"/N"}:
        return False
    normal = reference_of(appearance.raw_get("/N"))
    return normal is not None and xrefs.get_introducing_revision(normal) == revision


def _dss(resolver: HistoricalResolver) -> DictionaryObject | None:
    """The DSS dictionary (dereferenced; `DictionaryObject.get` would not) or None."""
    dss = resolver.root["/DSS"] if "/DSS" in resolver.root else None
    return dss if isinstance(dss, DictionaryObject) else None


def _dss_growth(old: HistoricalResolver, new: HistoricalResolver, ref: Reference) -> bool:
    """`ref` is the old DSS dictionary, one of its arrays or its /VRI dictionary."""
    dss = old.root.raw_get("/DSS") if "/DSS" in old.root else None
    if not isinstance(dss, IndirectObject):
        return False
    candidates = {dss.reference}
    old_dss = dss.get_object()
    for key in (*_DSS_ARRAYS, "/VRI"):
        value = raw_value(old_dss, key)
        if isinstance(value, IndirectObject):
            candidates.add(value.reference)
    return ref in candidates


def _dss_added_only(
    old: HistoricalResolver, new: HistoricalResolver, checked: set[Reference] | None = None
) -> bool:
    """The DSS only grew, in the shape pyHanko's DSSCompareRule accepts: no key but /Type and
    the three arrays (the /VRI, which the portal never writes, unchanged), every array one of
    stream references, every certificate, OCSP response and CRL it had still there. Anything
    else (a removal, a new /VRI entry) is left to pyHanko's rule. `checked`: the references
    earlier quick judgements saw to be streams (the caller forgets them after a revision judged
    by pyHanko, which could override one)."""
    checked = set() if checked is None else checked
    before, after = _dss(old), _dss(new)
    if after is None:
        return False
    if before is None:
        before = DictionaryObject()
    if set(after) - {"/Type", "/VRI", *_DSS_ARRAYS} or set(before) - set(after):
        return False
    if raw_value(before, "/VRI") != raw_value(after, "/VRI"):
        return False
    for key in _DSS_ARRAYS:
        now = _stream_references(after, key, checked)
        if now is None:
            if key in after:
                return False
            continue
        if key in before:
            kept = _stream_references(before, key, checked)
            if kept is None or kept - now:
                return False
    return True


def _stream_references(
    dss: DictionaryObject, key: str, checked: set[Reference]
) -> frozenset[Reference] | None:
    """The references in the DSS array under `key` when every entry is a reference to a stream;
    None when the key is absent or anything in it is not. `checked`: references already seen to
    be streams (each read once; those found now are added)."""
    if key not in dss:
        return None
    array = dss.raw_get(key).get_object()
    if not isinstance(array, ArrayObject):
        return None
    refs = set()
    for value in array.iterate():
        if not isinstance(value, IndirectObject):
            return None
        if value.reference not in checked:
            if not isinstance(value.get_object(), StreamObject):
                return None
            checked.add(value.reference)
        refs.add(value.reference)
    return frozenset(refs)
