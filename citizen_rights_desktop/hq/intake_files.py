"""The intake folder: one ``<upload id>.part`` file per open upload, readable by the service's user
only. An upload's offset is its file's length; bytes are only ever appended, each request's bytes
synced before the request is answered, and a failed write (a full disk) cuts the file back to the
last byte written whole, so the offset headquarters states is always bytes it really holds.
"""

from __future__ import annotations

import errno
import hashlib
import os
import re
import shutil
from pathlib import Path

_ID = re.compile(r"^[0-9a-f]{32}$")
_SUFFIX = ".part"

# the system call that appends bytes; a test replaces it to play a full disk
write_chunk = os.write


def default_intake_folder(database_path: str | Path) -> Path:
    """``<database folder>/<database name>-intake``: beside the database, on the disk it is on."""
    path = Path(database_path)
    return path.with_name(f"{path.stem}-intake")


def is_disk_full(exc: OSError) -> bool:
    return exc.errno in (errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC), errno.EFBIG)


class IntakeFolder:
    def __init__(self, folder: str | Path):
        self.folder = Path(folder)
        self.folder.mkdir(mode=0o700, parents=True, exist_ok=True)

    def path(self, upload_id: str) -> Path:
        if not _ID.match(upload_id):
            raise ValueError("not an upload id")
        return self.folder / f"{upload_id}{_SUFFIX}"

    def create(self, upload_id: str) -> None:
        """An empty part file (``OSError`` when it exists or the disk refuses)."""
        os.close(os.open(self.path(upload_id), os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o600))

    def size(self, upload_id: str) -> int | None:
        """The bytes held (the upload's offset), or ``None`` when the file is missing."""
        try:
            return self.path(upload_id).stat().st_size
        except OSError:
            return None

    def delete(self, upload_id: str) -> None:
        try:
            self.path(upload_id).unlink(missing_ok=True)
        except OSError:
            pass

    def sha256(self, upload_id: str) -> str:
        digest = hashlib.sha256()
        with self.path(upload_id).open("rb") as handle:
            while chunk := handle.read(1024 * 1024):
                digest.update(chunk)
        return digest.hexdigest()

    def upload_ids(self) -> list[str]:
        """The uploads that have a part file here."""
        return [p.name[: -len(_SUFFIX)] for p in self.folder.glob(f"*{_SUFFIX}") if _ID.match(p.name[: -len(_SUFFIX)])]

    def free_bytes(self) -> int:
        return free_bytes(self.folder)

    def appender(self, upload_id: str, start: int) -> Appender:
        return Appender(self.path(upload_id), start)


def free_bytes(folder: Path) -> int:
    """Free space on the disk that holds ``folder`` (a test replaces it to play a nearly full disk)."""
    return shutil.disk_usage(folder).free


class Appender:
    """Appends one request's bytes to a part file from ``start`` (its length when the request
    began). ``OSError`` from ``write`` leaves the file cut back to the bytes written whole."""

    def __init__(self, path: Path, start: int):
        self.start = start
        self.position = start
        self._fd = os.open(path, os.O_WRONLY | getattr(os, "O_BINARY", 0))
        try:
            os.lseek(self._fd, start, os.SEEK_SET)
        except OSError:
            os.close(self._fd)
            raise

    def write(self, data: bytes) -> None:
        view = memoryview(data)
        while view:
            try:
                written = write_chunk(self._fd, view)
            except OSError:
                self._cut(self.position)
                raise
            self.position += written
            view = view[written:]

    def cut_to_start(self) -> None:
        """Keep nothing of this request's bytes."""
        self._cut(self.start)

    def _cut(self, length: int) -> None:
        try:
            os.ftruncate(self._fd, length)
            os.lseek(self._fd, length, os.SEEK_SET)
        except OSError:
            pass
        self.position = length

    def sync(self) -> None:
        """Make the bytes durable; when even that fails (a disk that only says it is full when
        syncing), cut the file back to where this request began, which was synced."""
        try:
            os.fsync(self._fd)
        except OSError:
            self._cut(self.start)
            try:
                os.fsync(self._fd)
            except OSError:
                pass
            raise

    def close(self) -> None:
        try:
            os.close(self._fd)
        except OSError:
            pass
