"""Small readers of pyHanko's PDF objects shared by the one-revision check (signing.revision) and
the whole-file analysis (signing.history): values read without dereferencing, and which keys of an
object two revisions disagree on."""

from __future__ import annotations

from pyhanko.pdf_utils.generic import DictionaryObject, IndirectObject, PdfObject, Reference, StreamObject


def raw_value(container: PdfObject, key: str) -> PdfObject | None:
    """The value under `key`, not dereferenced, or None."""
    if not isinstance(container, DictionaryObject) or key not in container:
        return None
    value: PdfObject = container.raw_get(key)
    return value


def reference_of(value: object) -> Reference | None:
    """The reference an indirect value points to, or None for a direct one."""
    return value.reference if isinstance(value, IndirectObject) else None


def changed_keys(before: PdfObject, after: PdfObject) -> set[str]:
    """The keys whose raw values differ; a stream's data counts as a key of its own, and an
    object that is not a dictionary on both sides as changed through and through."""
    if (
        not isinstance(before, DictionaryObject)
        or not isinstance(after, DictionaryObject)
        or isinstance(before, StreamObject) != isinstance(after, StreamObject)
    ):
        return {"(object)"}
    keys = {key for key in set(before) | set(after) if raw_value(before, key) != raw_value(after, key)}
    if (
        isinstance(before, StreamObject)
        and isinstance(after, StreamObject)
        and before.encoded_data != after.encoded_data
    ):
        keys.add("(stream data)")
    return keys
