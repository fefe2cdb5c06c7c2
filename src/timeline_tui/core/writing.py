"""Writing files without ever leaving a half-written one or losing what was there.

Every write goes to a temporary file in the same folder, is flushed to disk, then renamed
over the target: a reader (or a crash) sees the old file or the new one, never a mix. The
target's permissions are kept.
"""

from __future__ import annotations

import contextlib
import errno
import os
import stat
import tempfile
from pathlib import Path


class WriteError(OSError):
    """A write that did not happen; the message says why and what to do."""

    def __str__(self) -> str:
        # The message alone: OSError's own form starts with "[Errno 17]", noise to a person.
        return self.strerror or super().__str__()


def same_file(a: str | os.PathLike[str], b: str | os.PathLike[str]) -> bool:
    """True when both paths name one file (through links too)."""
    try:
        return os.path.samefile(a, b)
    except OSError:
        return os.path.abspath(a) == os.path.abspath(b)


def write_atomic(path: str | os.PathLike[str], text: str, *, exclusive: bool = False) -> None:
    """Replace (or, with `exclusive`, create) `path` with `text` in one step."""
    target = Path(path)
    if exclusive and os.path.lexists(target):
        raise WriteError(errno.EEXIST, f"{target} already exists; it was left as it is")
    folder = target.parent  # Path('x').parent is Path('.')
    # Write through a symlink to the file it points at, so the link stays a link.
    # os.path.islink, not Path.is_symlink: the latter raises on a name too long or a folder
    # that cannot be searched, and that error must become a WriteError below, not escape.
    if os.path.islink(target):
        target = Path(os.path.realpath(target))
        folder = target.parent
    try:
        mode = stat.S_IMODE(os.stat(target).st_mode)
    except FileNotFoundError:
        mode = None
    except OSError as exc:
        raise WriteError(exc.errno, _message(exc, target)) from None
    try:
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=f".{target.name}.", suffix=".tmp")
    except OSError as exc:
        raise WriteError(exc.errno, _message(exc, target)) from None
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        if mode is not None:
            os.chmod(tmp, mode)
        else:
            umask = os.umask(0)
            os.umask(umask)
            os.chmod(tmp, 0o666 & ~umask)
        if exclusive:
            # link() fails if the name was taken meanwhile: never clobber a new file.
            os.link(tmp, target)
            os.unlink(tmp)
        else:
            os.replace(tmp, target)
    except OSError as exc:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise WriteError(exc.errno, _message(exc, target)) from None


def _message(exc: OSError, target: Path) -> str:
    if exc.errno == errno.ENOSPC:
        return f"cannot write {target}: the disk is full; nothing was changed"
    if exc.errno == errno.EROFS:
        return f"cannot write {target}: the folder is on a read-only file system"
    if exc.errno in (errno.EACCES, errno.EPERM):
        return f"cannot write {target}: permission denied (check the folder's permissions)"
    if exc.errno == errno.EEXIST:
        return f"{target} already exists; it was left as it is"
    if exc.errno == errno.ENOENT:
        return f"cannot write {target}: the folder {target.parent} does not exist"
    if exc.errno == errno.EISDIR:
        return f"cannot write {target}: it is a folder"
    return f"cannot write {target}: {exc.strerror or exc}"
