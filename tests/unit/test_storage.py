"""Blob storage reads back only what it stored: a rewritten blob is refused (issue 7, item 1)."""

import hashlib

import pytest

from portal.storage import BlobMismatch, FileSystemStorage


def test_a_blob_rewritten_behind_the_portals_back_is_refused_on_read(tmp_path):
    storage = FileSystemStorage(tmp_path)
    sha256 = storage.put(b"%PDF-1.7 signed so far")
    assert storage.read(sha256) == b"%PDF-1.7 signed so far"
    (tmp_path / sha256[:2] / sha256).write_bytes(b"%PDF-1.7 signed so far + an overlay")
    with pytest.raises(BlobMismatch) as mismatch:
        storage.read(sha256)
    assert mismatch.value.sha256 == sha256
    assert mismatch.value.actual == hashlib.sha256(b"%PDF-1.7 signed so far + an overlay").hexdigest()


def _disk(root) -> int:
    return sum(p.stat().st_size for p in root.rglob("*") if p.is_file())


def test_a_file_that_appends_to_its_base_is_stored_as_the_appended_bytes(tmp_path):
    storage = FileSystemStorage(tmp_path)
    files = [b"%PDF-1.7 prepared " * 1000]
    for n in range(5):  # five signatures, each an appended revision
        files.append(files[-1] + b" revision %d" % n)
    names = [storage.put(files[0])]
    for data in files[1:]:
        names.append(storage.put(data, base=names[-1]))
    for name, data in zip(names, files, strict=True):
        assert storage.read(name) == data
        assert b"".join(storage.stream(name)) == data
        assert storage.exists(name)
    assert _disk(tmp_path) < len(files[-1]) + 5 * 200  # not six copies of the file
    assert storage.put(files[3], base=names[2]) == names[3]  # stored once


def test_a_file_that_does_not_begin_with_its_base_is_stored_whole(tmp_path):
    storage = FileSystemStorage(tmp_path)
    base = storage.put(b"%PDF-1.7 one file")
    other = storage.put(b"%PDF-1.7 another file, longer", base=base)
    assert (tmp_path / other[:2] / other).exists()
    assert storage.read(other) == b"%PDF-1.7 another file, longer"
    missing = storage.put(b"%PDF-1.7 one file and more", base="0" * 64)  # no such base
    assert storage.read(missing) == b"%PDF-1.7 one file and more"


def test_a_rewritten_base_is_caught_when_a_delta_on_it_is_read_or_streamed(tmp_path):
    storage = FileSystemStorage(tmp_path)
    base = storage.put(b"%PDF-1.7 prepared: 10 %")
    signed = storage.put(b"%PDF-1.7 prepared: 10 % + signature", base=base)
    (tmp_path / base[:2] / base).write_bytes(b"%PDF-1.7 prepared: 90 %")
    with pytest.raises(BlobMismatch):
        storage.read(signed)
    with pytest.raises(BlobMismatch):
        b"".join(storage.stream(signed))


def test_a_damaged_delta_is_refused_not_misread(tmp_path):
    storage = FileSystemStorage(tmp_path)
    base = storage.put(b"%PDF-1.7 prepared")
    signed = storage.put(b"%PDF-1.7 prepared + signature", base=base)
    (tmp_path / signed[:2] / f"{signed}.delta").write_bytes(b"garbage")
    with pytest.raises(BlobMismatch):
        storage.read(signed)


def test_compact_turns_a_whole_signed_copy_into_a_delta_once(tmp_path):
    storage = FileSystemStorage(tmp_path)
    prepared = b"%PDF-1.7 prepared " * 1000
    base = storage.put(prepared)
    signed = storage.put(prepared + b" signature")  # stored whole, as before deltas
    before = _disk(tmp_path)
    assert storage.compact(signed, base)
    assert not storage.compact(signed, base)  # already a delta
    assert storage.read(signed) == prepared + b" signature"
    assert _disk(tmp_path) < before - len(prepared) + 200
    assert not storage.compact(base, signed)  # the longer file is no prefix of the shorter
