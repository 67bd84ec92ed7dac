"""Reading and writing the files a user names, safely: only regular files are read, never more
than a limit (a FIFO would hang the command, /dev/zero would fill the memory), and every file the
ledger writes is written whole or not at all (a temporary file renamed over the target), never onto
the ledger's own database."""

from __future__ import annotations

import errno
import os
import stat
import tempfile
from collections.abc import Iterable
from pathlib import Path

from ledger.errors import InvalidInput


class Unreadable(Exception):
    """Why a file cannot be read, in words for a message (`str(exc)`)."""


def read_bounded(path: Path, limit: int) -> bytes:
    """The bytes of a regular file of at most `limit` bytes; anything else (missing, a folder, a
    FIFO, a device, too large, unreadable) is `Unreadable`, said without reading it. The file is
    opened without blocking and checked again once open, so a FIFO put in its place never hangs."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0))
    except FileNotFoundError:
        raise Unreadable("no such file") from None
    except OSError as exc:
        raise Unreadable(exc.strerror or str(exc)) from None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            kind = "a folder" if stat.S_ISDIR(info.st_mode) else "a pipe" if stat.S_ISFIFO(info.st_mode) else "a device or special file"
            raise Unreadable(f"it is {kind}, not a regular file")
        if info.st_size > limit:
            raise Unreadable(f"it is over the limit of {_size(limit)}")
        chunks, total = [], 0
        while chunk := os.read(fd, min(1 << 20, limit + 1 - total)):
            chunks.append(chunk)
            total += len(chunk)
            if total > limit:  # grown since it was measured
                raise Unreadable(f"it is over the limit of {_size(limit)}")
        return b"".join(chunks)
    except OSError as exc:
        raise Unreadable(exc.strerror or str(exc)) from None
    finally:
        os.close(fd)


def _size(limit: int) -> str:
    return f"{limit // 2**20} MB" if limit >= 2**20 else f"{limit} bytes"


def regular_file_problem(path: Path) -> str | None:
    """Why `path` is not a regular file one can open (None when it is), found without opening it."""
    try:
        mode = path.stat().st_mode
    except FileNotFoundError:
        return "no such file"
    except OSError as exc:
        return exc.strerror or str(exc)
    if stat.S_ISREG(mode):
        return None
    return "it is a folder" if stat.S_ISDIR(mode) else "it is a pipe or a device, not a regular file"


def write_atomic(path: Path, data: str | bytes, *, field: str = "output", keep: Iterable[Path] = ()) -> Path:
    """Write `data` to `path` via a temporary file in the same folder and a rename, so a crash or a
    full disk never leaves half a file, an empty one or a stray temporary one. `keep` are files it
    must never replace (the ledger's database, by inode, so a symlink or hard link is seen too).
    Any failure is an InvalidInput naming `field` (the option that gave the path); nothing is left."""
    path = Path(path)
    payload = data.encode("utf-8") if isinstance(data, str) else data
    for protected in keep:
        try:
            same = path.exists() and protected.exists() and os.path.samefile(path, protected)
        except OSError:
            same = False
        if same:
            raise InvalidInput(f"{path} is the ledger's own database file ({protected}); writing there would replace the ledger — "
                               "give another file name", field=field)
    try:
        mode: int | None = path.stat().st_mode
    except OSError:
        mode = None
    if mode is not None and stat.S_ISDIR(mode):
        raise InvalidInput(f"cannot write {path}: it is a folder; give a file name", field=field)
    if mode is not None and not stat.S_ISREG(mode):  # a pipe or a device (/dev/stdout): nothing to replace, written into
        try:
            with open(path, "wb") as handle:
                handle.write(payload)
        except OSError as exc:
            raise InvalidInput(f"cannot write {path} ({_why(exc)}); {_advice(exc)}", field=field) from None
        return path
    tmp: str | None = None
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.absolute().parent)
        with os.fdopen(fd, "wb") as handle:
            handle.write(payload)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, 0o666 & ~_umask())  # as any new file: the temporary file starts private to its owner
        os.replace(tmp, path)
        tmp = None
    except OSError as exc:
        raise InvalidInput(f"cannot write {path} ({_why(exc)}); nothing was written — {_advice(exc)}", field=field) from None
    finally:
        if tmp is not None:
            Path(tmp).unlink(missing_ok=True)
    return path


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _why(exc: OSError) -> str:
    if isinstance(exc, FileNotFoundError):
        return "no such folder"
    return exc.strerror or str(exc)


def _advice(exc: OSError) -> str:
    if exc.errno in (errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC)):
        return "free some space, or write to another disk"
    return "give a file in a folder that exists and can be written to"
