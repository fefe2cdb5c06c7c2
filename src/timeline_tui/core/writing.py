"""Writing files without ever leaving a half-written one or losing what was there.

Every write goes to a temporary file in the same folder, is flushed to disk, then renamed
over the target: a reader (or a crash) sees the old file or the new one, never a mix. The
target's permissions are kept. A file with other hard links is written into instead (a
rename would leave the other names the old text), its old text put back if that fails.
"""

from __future__ import annotations

import contextlib
import errno
import os
import stat
from pathlib import Path


class WriteError(OSError):
    """A write that did not happen; the message says why and what to do."""

    def __str__(self) -> str:
        # The message alone: OSError's own form starts with "[Errno 17]", noise to a person.
        return self.strerror or super().__str__()


def read_only(path: str | os.PathLike[str]) -> bool:
    """Whether the file says it is not to be written: no write permission for anyone, or
    none for this user. (Root may write anything; a file marked read-only is still left
    alone, as editors do.)"""
    try:
        mode = os.stat(path).st_mode
    except OSError:
        return False  # the write says what is wrong
    return not mode & 0o222 or not os.access(path, os.W_OK)


def same_file(a: str | os.PathLike[str], b: str | os.PathLike[str]) -> bool:
    """True when both paths name one file (through links too)."""
    try:
        return os.path.samefile(a, b)
    except OSError:
        return os.path.abspath(a) == os.path.abspath(b)


# What a path that is not a regular file names, for messages.
_KINDS = (
    (stat.S_ISDIR, "a folder"),
    (stat.S_ISFIFO, "a pipe"),
    (stat.S_ISCHR, "a device"),
    (stat.S_ISBLK, "a disk device"),
    (stat.S_ISSOCK, "a socket"),
)
# Written into, never replaced: `/dev/stdout`, a FIFO, `/dev/null`.
_STREAMS = ("a pipe", "a device")


def not_a_file(path: str | os.PathLike[str]) -> str | None:
    """What `path` names (through links) when it is not a regular file; None when it is
    one, or does not exist (or cannot be looked at: the write says why)."""
    try:
        mode = os.stat(path).st_mode
    except (OSError, ValueError):
        return None
    return next((name for test, name in _KINDS if test(mode)), None)


def stream_kind(path: str | os.PathLike[str]) -> str | None:
    """'a pipe' or 'a device' when `path` names one (through links): those are written
    into, as a shell's `>` does, never replaced; else None."""
    kind = not_a_file(path)
    return kind if kind in _STREAMS else None


def write_into(path: str | os.PathLike[str], text: str) -> None:
    """Write `text` into a pipe or a device (see `stream_kind`), as a shell's `>` does."""
    try:
        with open(path, "w", encoding="utf-8", newline="") as handle:
            handle.write(text)
    except BrokenPipeError:
        raise  # its reader stopped reading (`head`): the caller ends quietly, as for stdout
    except OSError as exc:
        raise WriteError(exc.errno, _message(exc, Path(path))) from None


def write_atomic(path: str | os.PathLike[str], text: str, *, exclusive: bool = False) -> None:
    """Replace (or, with `exclusive`, create) `path` with `text` in one step.

    Only a regular file is replaced: a folder, a pipe, a device or a socket is left as it
    is, with a WriteError (renaming over a FIFO or `/dev/null` would replace the node)."""
    if not os.fspath(path):
        raise WriteError(errno.EINVAL, "no file name was given: name the file to write")
    if names_folder(path):
        refuse_non_file(path)  # `Path` would drop the `/`, and write a file of that name
    target = Path(path)
    refuse_non_file(target)  # first: a folder is "a folder", not a file that "exists"
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
        info = os.stat(target)
    except FileNotFoundError:
        info = None
    except OSError as exc:
        raise WriteError(exc.errno, _message(exc, target)) from None
    mode = stat.S_IMODE(info.st_mode) if info is not None else None
    try:
        import tempfile  # (here: most commands never need it)

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
        elif info is not None and info.st_nlink > 1:
            _write_linked(target, text.encode("utf-8"), Path(tmp))
        else:
            os.replace(tmp, target)
    except WriteError:
        raise  # the new text is kept in `tmp`, as it says
    except OSError as exc:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise WriteError(exc.errno, _message(exc, target)) from None
    except BaseException:
        # Interrupted (Ctrl-C, or a SIGTERM, which the command line raises as SystemExit):
        # no `.name.xxxx.tmp` is left in the user's folder, or repository.
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def _write_linked(target: Path, data: bytes, copy: Path) -> None:
    """Write `data` into `target`, a file with other hard links, whose new text is
    already safe on disk in `copy`. If the write fails (a full disk), the old text is
    put back and the error raised; if even that fails, the new text is kept in `copy`,
    and the error says so."""
    try:
        fd = os.open(target, os.O_RDWR)
    except PermissionError:
        os.unlink(copy)
        raise WriteError(
            errno.EACCES,
            f"cannot write {target}: the file is read-only, and with other hard links it is "
            "written into rather than replaced: make it writable first (chmod u+w)",
        ) from None
    try:
        old = _read_all(fd)
        try:
            _write_all(fd, data)
        except OSError as exc:
            try:
                _write_all(fd, old)
            except OSError:
                failed = _message(exc, target).removesuffix("; nothing was changed")
                raise WriteError(
                    exc.errno,
                    f"{failed}; the file may be cut short, and its new text is kept in "
                    f"{copy}: copy it over {target.name}",
                ) from None
            raise
    finally:
        os.close(fd)
    os.unlink(copy)


def _read_all(fd: int) -> bytes:
    chunks = []
    while chunk := os.read(fd, 1 << 20):
        chunks.append(chunk)
    return b"".join(chunks)


def _write_all(fd: int, data: bytes) -> None:
    os.lseek(fd, 0, os.SEEK_SET)
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view) :]
    os.ftruncate(fd, len(data))
    os.fsync(fd)


def names_folder(path: str | os.PathLike[str]) -> bool:
    """Whether `path` ends with a `/`, as only a folder's name may (`notes.md/`)."""
    text = os.fspath(path)
    return text.endswith(os.sep) or (os.altsep is not None and text.endswith(os.altsep))


def refuse_non_file(target: str | os.PathLike[str]) -> None:
    """Raise a WriteError saying what `target` is when it exists and is not a regular
    file (a folder, a pipe, a device, a socket), or names a folder by ending with `/`."""
    kind = not_a_file(target)
    if kind is not None:
        raise WriteError(
            errno.EISDIR if kind == "a folder" else errno.EINVAL,
            f"cannot write {target}: it is {kind}, not a file; choose a file name",
        )
    if names_folder(target):
        raise WriteError(
            errno.EISDIR,
            f"cannot write {target}: a name ending in '/' names a folder; "
            "drop the '/' or add a file name",
        )


def _message(exc: OSError, target: Path) -> str:
    if exc.errno == errno.ENOSPC:
        return f"cannot write {target}: the disk is full; nothing was changed"
    if exc.errno == errno.EROFS:
        return f"cannot write {target}: the folder is on a read-only file system"
    if exc.errno in (errno.EACCES, errno.EPERM):
        return f"cannot write {target}: permission denied (check the folder's permissions)"
    if exc.errno == errno.EEXIST:
        return f"{target} already exists; it was left as it is"
    if exc.errno == errno.ENOENT and not os.path.isdir(target.parent):
        return f"cannot write {target}: the folder {target.parent} does not exist"
    if exc.errno == errno.ENOENT:  # /proc, and the like: the folder makes no new file
        return (
            f"cannot write {target}: no file can be made in {target.parent}; choose another folder"
        )
    if exc.errno == errno.ENOTDIR:
        return (
            f"cannot write {target}: {_not_a_folder(target)} is a file, not a folder; "
            "choose another name"
        )
    if exc.errno == errno.EISDIR:
        return f"cannot write {target}: it is a folder"
    return f"cannot write {target}: {exc.strerror or exc}"


def _not_a_folder(target: Path) -> Path:
    """The first of `target`'s parents that is not a folder (the one named as if it were)."""
    for parent in reversed(target.parents):
        if os.path.lexists(parent) and not os.path.isdir(parent):
            return parent
    return target.parent
