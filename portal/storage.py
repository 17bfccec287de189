"""Blob storage behind one small interface, chosen by a URL (`fs:/path/to/blobs`).

Blobs are named by the SHA-256 of their content, written to a temporary file and renamed into
place, so a reader never sees half a file and the same content is stored once. read() hashes what
it read and refuses a blob whose content no longer matches its name (rewritten behind the
portal's back); stream() hashes as it goes and raises at the end.

A signed PDF is the previous file plus an appended revision. put(data, base=sha) stores such a
blob as a delta: the base's name and length, then only the appended bytes. Reading assembles
the chain and checks the whole file's SHA-256, so 25 signatures of a 400 KiB agreement take about
400 KiB plus the revisions, not 25 copies of the file."""

import hashlib
import os
import re
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Protocol

CHUNK = 1024 * 1024
#: the first line of a delta: b"SOPU-DELTA 1 <base sha256> <base length>\n", then the appended bytes
DELTA_HEADER = re.compile(rb"SOPU-DELTA 1 ([0-9a-f]{64}) ([0-9]{1,15})\n")
#: a longer chain than this is a loop or a corrupted store (an agreement has a few hundred signatures)
MAX_CHAIN = 100_000


class BlobMismatch(Exception):
    """The stored content does not hash to the name it is stored under."""

    def __init__(self, sha256: str, actual: str) -> None:
        super().__init__(f"blob {sha256} reads as {actual}")
        self.sha256 = sha256
        self.actual = actual


class BlobStorage(Protocol):
    def put(self, data: bytes, base: str | None = None, base_data: bytes | None = None) -> str: ...
    def read(self, sha256: str) -> bytes: ...
    def stream(self, sha256: str) -> Iterator[bytes]: ...
    def exists(self, sha256: str) -> bool: ...
    def compact(self, sha256: str, base: str) -> bool: ...


class FileSystemStorage:
    def __init__(self, root: str | Path):
        self.root = Path(root)
        self.root.mkdir(parents=True, exist_ok=True)

    def _path(self, sha256: str) -> Path:
        if len(sha256) != 64 or any(c not in "0123456789abcdef" for c in sha256):
            raise ValueError("not a SHA-256")
        return self.root / sha256[:2] / sha256

    def _delta_path(self, sha256: str) -> Path:
        return self._path(sha256).with_suffix(".delta")

    def put(self, data: bytes, base: str | None = None, base_data: bytes | None = None) -> str:
        """Store `data` under its SHA-256. With `base`, the name of a stored blob that `data`
        begins with, only the bytes after it are written (the name and length of the base
        first); otherwise, or when `data` does not begin with the base, the whole of it.
        `base_data`, the base's bytes as read() gave them (hashed then), spares hashing the
        beginning of `data` again: it is compared with them instead."""
        sha256 = hashlib.sha256(data).hexdigest()
        if self.exists(sha256):
            return sha256
        length = len(base_data) if base_data is not None else 0
        if base and base_data is not None and length < len(data) and data.startswith(base_data):
            delta: bytes | None = _delta_header(base, length) + data[length:]
        else:
            delta = self._delta_of(data, base) if base else None
        if delta is None:
            self._write(self._path(sha256), data)
        else:
            self._write(self._delta_path(sha256), delta)
        return sha256

    def _delta_of(self, data: bytes, base: str) -> bytes | None:
        length = self._length(base)
        if length is None or length >= len(data) or hashlib.sha256(data[:length]).hexdigest() != base:
            return None
        return _delta_header(base, length) + data[length:]

    def _length(self, sha256: str) -> int | None:
        """The length of a stored blob without reading it, or None if it is not stored."""
        path = self._path(sha256)
        if path.exists():
            return path.stat().st_size
        delta = self._delta_path(sha256)
        if not delta.exists():
            return None
        with delta.open("rb") as f:
            _, base_length, start = _header(f.read(128), sha256)
        return base_length + delta.stat().st_size - start

    @staticmethod
    def _write(path: Path, data: bytes) -> None:
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

    def _pieces(self, sha256: str) -> list[tuple[Path, int]]:
        """The files that make up a blob, oldest first, each with the offset its bytes start at."""
        pieces: list[tuple[Path, int]] = []
        name = sha256
        while True:
            path = self._path(name)
            if path.exists():
                pieces.append((path, 0))
                return pieces[::-1]
            delta = self._delta_path(name)
            if not delta.exists() or len(pieces) >= MAX_CHAIN:
                raise FileNotFoundError(f"blob {sha256} is not stored whole (missing {name})")
            with delta.open("rb") as f:
                base, _, start = _header(f.read(128), name)
            pieces.append((delta, start))
            name = base

    def read(self, sha256: str) -> bytes:
        """The blob's bytes; raises BlobMismatch when they do not hash to `sha256`. Each file of
        the chain is opened once (a delta's header names the next one), and a whole file before
        a delta of the same name, as everywhere here. A signed file's chain grows by one delta a
        signature: a piece costs an open that fails and one that reads, no more."""
        parts: list[memoryview] = []
        name = sha256
        self._path(sha256)  # refuses what is not a SHA-256; the names after it come from headers
        root = os.fspath(self.root)
        while True:
            where = os.path.join(root, name[:2], name)
            try:
                with open(where, "rb") as f:
                    parts.append(memoryview(f.read()))
                break
            except FileNotFoundError:
                pass
            if len(parts) >= MAX_CHAIN:
                raise FileNotFoundError(f"blob {sha256} is not stored whole (a chain of over {MAX_CHAIN})")
            try:
                with open(where + ".delta", "rb") as f:
                    content = f.read()
            except FileNotFoundError:
                raise FileNotFoundError(f"blob {sha256} is not stored whole (missing {name})") from None
            name, _, start = _header(content[:128], name)
            parts.append(memoryview(content)[start:])  # no copy before the join
        data = b"".join(reversed(parts))
        actual = hashlib.sha256(data).hexdigest()
        if actual != sha256:
            raise BlobMismatch(sha256, actual)
        return data

    def stream(self, sha256: str) -> Iterator[bytes]:
        """The blob in chunks, hashed as it goes: BlobMismatch after the last chunk when the
        bytes do not hash to `sha256` (the receiver then sees a broken transfer)."""
        digest = hashlib.sha256()
        for path, start in self._pieces(sha256):
            with path.open("rb") as f:
                f.seek(start)
                while chunk := f.read(CHUNK):
                    digest.update(chunk)
                    yield chunk
        if digest.hexdigest() != sha256:
            raise BlobMismatch(sha256, digest.hexdigest())

    def exists(self, sha256: str) -> bool:
        return self._path(sha256).exists() or self._delta_path(sha256).exists()

    def compact(self, sha256: str, base: str) -> bool:
        """Store a whole blob that begins with `base` as a delta instead (`portal storage
        compact` does this for what was stored before deltas). True when it did."""
        path = self._path(sha256)
        if not path.exists() or sha256 == base:
            return False
        data = self.read(sha256)
        delta = self._delta_of(data, base)
        if delta is None or self._reaches(base, sha256):
            return False
        self._write(self._delta_path(sha256), delta)
        path.unlink()
        return True

    def _reaches(self, name: str, target: str) -> bool:
        """Whether `name`'s chain of bases passes through `target` (a delta on it would loop)."""
        return any(path.name.split(".")[0] == target for path, _ in self._pieces(name))


def _delta_header(base: str, length: int) -> bytes:
    return b"SOPU-DELTA 1 %s %d\n" % (base.encode(), length)


def _header(head: bytes, name: str) -> tuple[str, int, int]:
    """(base, base length, offset of the appended bytes) of a delta file."""
    match = DELTA_HEADER.match(head)
    if match is None:
        raise BlobMismatch(name, "an unreadable delta")
    return match.group(1).decode(), int(match.group(2)), match.end()


def storage_from_url(url: str) -> BlobStorage:
    scheme, _, location = url.partition(":")
    if scheme == "fs":
        return FileSystemStorage(location)
    raise ValueError(f"unsupported storage URL scheme: {scheme!r}")
