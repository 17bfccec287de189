"""Blob storage behind one small interface, chosen by a URL (`fs:/path/to/blobs`).

Blobs are named by the SHA-256 of their content, written to a temporary file and renamed into
place, so a reader never sees half a file and the same content is stored once. read() hashes what
it read and refuses a blob whose content no longer matches its name (rewritten behind the
portal's back)."""

import hashlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Protocol

CHUNK = 1024 * 1024


class BlobMismatch(Exception):
    """The stored content does not hash to the name it is stored under."""

    def __init__(self, sha256: str, actual: str) -> None:
        super().__init__(f"blob {sha256} reads as {actual}")
        self.sha256 = sha256
        self.actual = actual


class BlobStorage(Protocol):
    def put(self, data: bytes) -> str: ...
    def read(self, sha256: str) -> bytes: ...
    def stream(self, sha256: str) -> Iterator[bytes]: ...
    def exists(self, sha256: str) -> bool: ...


class FileSystemStorage:
    def __init__(self, root: str | Path):
        self.root = Path(root)
        self.root.mkdir(parents=True, exist_ok=True)

    def _path(self, sha256: str) -> Path:
        if len(sha256) != 64 or any(c not in "0123456789abcdef" for c in sha256):
            raise ValueError("not a SHA-256")
        return self.root / sha256[:2] / sha256

    def put(self, data: bytes) -> str:
        sha256 = hashlib.sha256(data).hexdigest()
        path = self._path(sha256)
        if path.exists():
            return sha256
        path.parent.mkdir(exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".incoming-")
        try:
            with os.fdopen(fd, "wb") as f:
                f.write(data)
                f.flush()
                os.fsync(f.fileno())
            os.replace(tmp, path)
        except BaseException:
            os.unlink(tmp)
            raise
        return sha256

    def read(self, sha256: str) -> bytes:
        """The blob's bytes; raises BlobMismatch when they do not hash to `sha256`."""
        data = self._path(sha256).read_bytes()
        actual = hashlib.sha256(data).hexdigest()
        if actual != sha256:
            raise BlobMismatch(sha256, actual)
        return data

    def stream(self, sha256: str) -> Iterator[bytes]:
        with self._path(sha256).open("rb") as f:
            while chunk := f.read(CHUNK):
                yield chunk

    def exists(self, sha256: str) -> bool:
        return self._path(sha256).exists()


def storage_from_url(url: str) -> BlobStorage:
    scheme, _, location = url.partition(":")
    if scheme == "fs":
        return FileSystemStorage(location)
    raise ValueError(f"unsupported storage URL scheme: {scheme!r}")
