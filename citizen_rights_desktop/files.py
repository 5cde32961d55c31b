"""Writing files so that a failure leaves nothing behind: the one place that knows how.

Every file the program hands to people (exports, answers documents, key files, feedback files,
bundles) is written to a temporary file in the destination's own folder, synced to the disk, and
only then renamed over the destination. A rename within one folder is atomic, so the destination
is either the old file or the complete new one; a full disk, a removed USB stick or a crash never
leaves a half-written file that looks like a good one. On failure the temporary file is removed and
:class:`WriteError` names the destination and the reason, in English (the command line prints it as
one line) and in Persian (the windows show it).

The temporary file lives beside the destination, not in the system's temp folder, because a rename
is only atomic within one file system, and the destination is often a USB drive.

This module sits at the bottom of the layers (with ``paths``): it imports nothing of the program,
so every stage can use it.
"""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO


class WriteError(OSError):
    """Writing ``path`` failed; nothing was left behind. An ``OSError``, so callers that already
    handle file errors keep working; ``message_en`` / ``message_fa`` are ready to show."""

    def __init__(self, path: str | os.PathLike, cause: BaseException):
        reason = cause.reason if isinstance(cause, WriteError) else (getattr(cause, "strerror", None) or str(cause))
        super().__init__(getattr(cause, "errno", None), reason, os.fspath(path))
        self.path = Path(path)
        self.reason = reason
        self.message_en = f"cannot write {path}: {reason}"
        # the path isolated left-to-right (U+2066…U+2069) so its slashes stay in place inside the Persian sentence
        self.message_fa = f"نوشتن «\u2066{path}\u2069» ممکن نشد؛ پوشه در دسترس نیست، پر است یا اجازه نوشتن ندارد."

    def __str__(self) -> str:
        return self.message_en


def _temporary_name(path: Path) -> Path:
    # hidden, unique (two writers of one destination never share it) and recognisable if a crash leaves it
    return path.with_name(f".{path.name}.{uuid.uuid4().hex[:8]}.partial")


def _private_opener(name: str, flags: int) -> int:
    return os.open(name, flags, 0o600)


def _sync_folder(folder: Path) -> None:
    """Make the rename itself durable. Best effort: the file is complete and in place already, and
    some file systems (and Windows) cannot sync a folder, which is no reason to report a failure."""
    if not hasattr(os, "O_DIRECTORY"):
        return
    try:
        fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _discard(handle: IO | None, temporary: Path) -> None:
    if handle is not None:
        try:
            handle.close()
        except Exception:  # the disk that failed the write may fail the close too; the file goes anyway
            pass
    try:
        temporary.unlink(missing_ok=True)
    except OSError:
        pass


@contextmanager
def atomic_writer(
    path: str | os.PathLike, mode: str = "wb", *, encoding: str | None = None, newline: str | None = None,
    private: bool = False, make_parents: bool = False,
) -> Iterator[IO]:  # fmt: skip
    """A file object to write ``path`` with; the file appears at ``path`` complete, or not at all.

    ``mode`` is ``"wb"`` or ``"w"`` (text, with ``encoding`` and ``newline`` as for ``open``).
    ``private`` creates the file readable by its owner only from the start (keys), not after the
    fact. ``make_parents`` creates missing folders on the way. Any ``OSError`` while writing (in the
    ``with`` block too) becomes :class:`WriteError`; other exceptions pass through; either way the
    temporary file is removed and ``path`` is untouched.
    """
    if mode not in ("wb", "w"):
        raise ValueError(f"atomic_writer writes whole files ('wb' or 'w'), not {mode!r}")
    path = Path(path)
    temporary = _temporary_name(path)
    handle = None
    try:
        if make_parents:
            path.parent.mkdir(parents=True, exist_ok=True)
        handle = open(  # noqa: SIM115 - closed below, on every path
            temporary, mode.replace("w", "x"), encoding=encoding, newline=newline, opener=_private_opener if private else None
        )
        yield handle
        handle.flush()
        os.fsync(handle.fileno())  # a full disk may only say so now (delayed allocation, network drives)
        handle.close()
        os.replace(temporary, path)
    except OSError as exc:
        _discard(handle, temporary)
        raise WriteError(path, exc) from exc
    except BaseException:
        _discard(handle, temporary)
        raise
    _sync_folder(path.parent)


def write_atomically(path: str | os.PathLike, data: bytes, *, private: bool = False, make_parents: bool = False) -> Path:
    """Write ``data`` to ``path`` through :func:`atomic_writer`; returns the path."""
    with atomic_writer(path, private=private, make_parents=make_parents) as handle:
        handle.write(data)
    return Path(path)


@contextmanager
def atomic_folder(folder: str | os.PathLike) -> Iterator[Path]:
    """A temporary folder to write a set of files in; they appear in ``folder`` together, or none do.

    Write each file in it with :func:`atomic_writer` (so it is synced). When ``folder`` does not
    exist the temporary folder becomes it by one rename; when it exists (e.g. the root of a USB
    drive, where a sibling folder cannot be made) the temporary folder is made inside it and the
    finished files are moved in one by one: every byte is written before the first move, so a full
    disk fails before anything changes, and the files already there that are not part of the set
    stay. Failures are :class:`WriteError` naming ``folder``; the temporary folder is removed.
    """
    folder = Path(folder)
    try:
        existed = folder.is_dir()
        base = folder if existed else folder.parent
        base.mkdir(parents=True, exist_ok=True)
        temporary = _temporary_name(base / folder.name) if not existed else folder / f".{uuid.uuid4().hex[:8]}.partial"
        temporary.mkdir()  # os.mkdir, not mkdtemp: the folder gets the user's usual permissions, not 0700
    except OSError as exc:
        raise WriteError(folder, exc) from exc
    try:
        yield temporary
        if existed:
            for item in sorted(temporary.iterdir()):
                os.replace(item, folder / item.name)
            temporary.rmdir()
        else:
            os.replace(temporary, folder)
    except OSError as exc:
        shutil.rmtree(temporary, ignore_errors=True)
        raise WriteError(folder, exc) from exc
    except BaseException:
        shutil.rmtree(temporary, ignore_errors=True)
        raise
    _sync_folder(folder)
    _sync_folder(folder.parent)
