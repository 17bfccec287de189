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
