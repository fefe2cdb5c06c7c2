"""A cache of loaded timelines, so that reopening a big file is instant.

There is one entry per file and name (the absolute path, and the name its messages
carry), made by the last load of it. An entry is served whole only for exactly the bytes
it was made from (a BLAKE2 digest of them is its key), so it is never stale. For other
bytes (the file was edited since) it is served as what that earlier load read: the loader
then reads again only the event blocks whose text it does not know. Either way it must
have been made by the same code: the same versions of the format and of Python, and the
same source of the model (an editable install keeps its version number as it changes).

Each entry has a small head (the first screen's worth of events, read first) and the full
result, each checked against a digest before it is unpickled: a damaged entry that would
still unpickle is never served. A missing, unreadable or damaged entry is a cache miss,
never an error. The cache lives in the user's cache folder, may be deleted at any time,
and keeps itself under MAX_BYTES by dropping the entries used least recently.

Unpickling runs code, and the digests say an entry is whole, not who made it: an entry is
read only from a folder that is the user's own and that no one else may write in, and only
if it is the user's own file too (a shared or planted XDG_CACHE_HOME is not trusted).
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import os
import pickle
import stat
import struct
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import BinaryIO

from timeline_tui import __version__
from timeline_tui.core.loader import LoadResult
from timeline_tui.core.memory import collector_paused

try:
    import fcntl
except ImportError:  # Windows: no locks, and no entry is written in the background there
    fcntl = None  # type: ignore[assignment]

# Bump when the model's classes or what the loader keeps of a load (pickled with them)
# change shape, or the layout of an entry: older entries are then ignored.
FORMAT_VERSION = 10
HEAD_EVENTS = 400
# A lookup that finds no entry while a process writes one waits this long at most for it.
WRITER_WAIT = 10.0
# The cache drops its least recently used entries beyond this, and any unused this long.
MAX_BYTES = 1 << 30
MAX_AGE = 30 * 24 * 3600
_MAGIC = b"timeline-tui cache 7\n"
# An entry: _MAGIC, its key, _HEADER (the events in the full result, the sizes of the
# maker and of the head, the head's digest), the maker, the head's pickle, the full
# result's pickle and its digest.
_HEADER = struct.Struct("<QQQ32s")
_DIGEST = 32
# SHA-256 for the file's and the entry's digests, which every load pays: most CPUs now
# hash it in hardware (here, SHA-NI: 35 ms for 54 MB, where BLAKE2b took 77).
_hash = hashlib.sha256


@dataclass(frozen=True, slots=True)
class Entry:
    """An open cache entry: the head is read; the full result is read on demand."""

    path: Path
    fresh: bool  # made from the bytes asked for, not from an earlier version of them
    head: LoadResult
    total: int  # events in the full result
    offset: int  # where the full result starts in the file

    def full(self) -> tuple[LoadResult, object] | None:
        """The whole result, and what the loader read to give it (to reload
        incrementally: `BlockLoader.adopt` checks it)."""
        try:
            with _opened(self.path) as handle:
                if handle is None:
                    return None
                handle.seek(self.offset)
                payload = memoryview(handle.read())
            body = payload[:-_DIGEST]
            if _digest_of(body) != payload[-_DIGEST:]:
                raise ValueError("damaged")
            with collector_paused():
                result, known = pickle.loads(body)
        except Exception:  # any damage to the entry is a miss
            discard(self.path)
            return None
        if not isinstance(result, LoadResult):
            discard(self.path)
            return None
        return result, known


def cache_dir() -> Path | None:
    """The cache's folder; None when the user has no absolute one (no home folder):
    a relative one would put the cache in whatever folder a command runs in, and a home
    folder that does not exist is not for a cache to make."""
    base = os.environ.get("XDG_CACHE_HOME", "")
    if not os.path.isabs(base):  # as the XDG spec says, a relative path is ignored
        home = os.path.expanduser("~")
        if not os.path.isdir(home):
            return None
        base = os.path.join(home, ".cache")
    return Path(base) / "timeline-tui" if os.path.isabs(base) else None


def digest(data: bytes, name: str) -> bytes:
    """What an entry is valid for: these bytes, shown under this name, by this code."""
    h = _hash(data)
    h.update(_maker(name))
    return h.digest()


def _digest_of(data: bytes | memoryview) -> bytes:
    return _hash(data).digest()


def _maker(name: str) -> bytes:
    """The name an entry's messages carry, and what made its pickles."""
    made = f"\0{name}\0{FORMAT_VERSION}\0{__version__}\0{sys.version_info[:2]}\0{_code()}"
    return made.encode("utf-8", "surrogateescape")


@functools.cache
def _code() -> str:
    """A digest of the model's source (a millisecond): what an entry holds is what this
    code read, and the version number of an editable install does not change with it."""
    h = hashlib.blake2b(digest_size=16)
    for path in sorted(Path(__file__).parent.glob("*.py")):
        with contextlib.suppress(OSError):
            h.update(path.read_bytes())
    return h.hexdigest()


@contextlib.contextmanager
def _opened(path: Path) -> Iterator[BinaryIO | None]:
    """An entry opened for reading; None for what is not the user's own regular file (a
    FIFO put there would block an open or a read for ever)."""
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode) or not _own(info):
            yield None
            return
        os.set_blocking(fd, True)
        with os.fdopen(fd, "rb") as handle:
            fd = -1  # the handle closes it
            yield handle
    finally:
        if fd >= 0:
            os.close(fd)


def _own(info: os.stat_result) -> bool:
    """Whether a file or folder is the user's own, and no one else may write in it."""
    if not hasattr(os, "getuid"):
        return True  # no owners to check (Windows): the user's profile folder is private
    return info.st_uid == os.getuid() and not info.st_mode & 0o022


def _private(folder: Path) -> bool:
    try:
        return _own(folder.stat())
    except OSError:
        return False


def entry_path(name: str) -> Path | None:
    """Where the entry of file `name` goes, found from the working folder (None when the
    user has no cache folder, or the working folder is gone)."""
    folder = cache_dir()
    if folder is None:
        return None
    try:
        where = os.path.abspath(name)  # asks for the working folder, which may be gone
    except OSError:
        return None
    key = hashlib.sha256(f"{where}\0{name}".encode("utf-8", "surrogateescape"))
    return folder / f"{key.hexdigest()[:32]}.pickle"


def lookup(name: str, key: bytes, *, wait: bool = True) -> Entry | None:
    """The cached entry for file `name`: fresh if it was made from the content `key`
    names, else made from an earlier version of the file (by the same code). When there
    is none yet but a process is writing it (`claim`), once it is written (unless not to
    `wait`)."""
    path = entry_path(name)
    if path is None or not _private(path.parent):
        return None
    # os.path.exists: a folder that cannot be searched is a miss below, never an error.
    if wait and not os.path.exists(path) and _waited_for_writer(path):
        return lookup(name, key, wait=False)
    try:
        with _opened(path) as handle:
            if handle is None:
                return None  # not the user's own file: never unpickled, nor removed
            if handle.read(len(_MAGIC)) != _MAGIC:
                return None  # an older layout: the next store replaces it
            fresh = handle.read(len(key)) == key
            total, maker_size, head_size, head_digest = _HEADER.unpack(handle.read(_HEADER.size))
            maker = _maker(name)
            if maker_size != len(maker) or handle.read(maker_size) != maker:
                raise ValueError("damaged, or made by other code: the next store replaces it")
            if fresh:
                data = handle.read(head_size)
                if _digest_of(data) != head_digest:
                    raise ValueError("damaged")
                head = pickle.loads(data)
                offset = handle.tell()
            else:
                head, offset = LoadResult(None), handle.seek(head_size, os.SEEK_CUR)
    except FileNotFoundError:
        return None
    except Exception:  # a damaged entry is a miss, and is removed
        discard(path)
        return None
    if not isinstance(head, LoadResult):
        discard(path)
        return None
    with contextlib.suppress(OSError):
        os.utime(path)  # used now: the last to go when the cache is pruned
    return Entry(path, fresh, head, total, offset)


class _Hashing:
    """A file that digests what is written to it."""

    __slots__ = ("handle", "hash")

    def __init__(self, handle: BinaryIO) -> None:
        self.handle = handle
        self.hash = _hash()

    def write(self, data: bytes) -> int:
        self.hash.update(data)
        return self.handle.write(data)


def store(
    name: str, key: bytes, result: LoadResult, known: object, path: Path | None = None
) -> None:
    """Write an entry (at `path`, when worked out already: `entry_path`); failures (no
    space, read-only home) are silently a cache miss later."""
    timeline = result.timeline
    path = path or entry_path(name)
    if timeline is None or path is None:
        return
    head = LoadResult(replace(timeline, events=timeline.events[:HEAD_EVENTS]), ())
    try:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        if not _private(path.parent):
            return  # what others may write in, this load would never read back
        head_bytes = pickle.dumps(head, protocol=pickle.HIGHEST_PROTOCOL)
        maker = _maker(name)
        import tempfile  # (here: `validate --no-cache` and a read never need it)

        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".entry.", suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(_MAGIC + key)
                sizes = (len(timeline.events), len(maker), len(head_bytes))
                handle.write(_HEADER.pack(*sizes, _digest_of(head_bytes)))
                handle.write(maker + head_bytes)
                # One pickle for both, so that they share their event objects.
                body = _Hashing(handle)
                with collector_paused():  # a tuple per object: the collector ran on and on
                    pickle.dump((result, known), body, protocol=pickle.HIGHEST_PROTOCOL)
                handle.write(body.hash.digest())
            os.replace(tmp, path)
        except BaseException:
            discard(Path(tmp))
            raise
        prune(path.parent, keep=path)
    except Exception:  # any failure to write an entry is a miss later, never an error
        return


def claim(path: Path) -> int | None:
    """The lock of the entry at `path`, taken for a process that writes it in the
    background: a lookup meanwhile waits for the entry rather than miss it. An open file:
    the lock holds while any process keeps it open. None when it cannot be had."""
    if fcntl is None:
        return None
    try:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        if not _private(path.parent):
            return None
        fd = os.open(path.with_suffix(".lock"), os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o600)
    except OSError:
        return None
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        os.utime(fd)  # in use: not pruned
    except OSError:  # another process holds it: this write goes on unlocked
        os.close(fd)
        return None
    return fd


def _waited_for_writer(path: Path) -> bool:
    """Wait, WRITER_WAIT at most, while a process holds the lock of the entry at `path`;
    whether one did."""
    if fcntl is None:
        return False
    try:
        fd = os.open(path.with_suffix(".lock"), os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)
    except OSError:
        return False
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            return False  # no lock of ours: a FIFO would never be let go
        deadline = time.monotonic() + WRITER_WAIT
        waited = False
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
                return waited
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    return waited
                waited = True
                time.sleep(0.02)
            except OSError:
                return False
    finally:
        os.close(fd)


def prune(folder: Path, keep: Path | None = None) -> None:
    """Drop the entries used least recently beyond MAX_BYTES, those unused for MAX_AGE
    (and their locks), and what a write cut short left behind (an hour old)."""
    now = time.time()
    entries = []
    for path in folder.iterdir():
        try:
            info = path.stat()
        except OSError:
            continue
        age = now - info.st_mtime
        if (path.name.startswith(".entry.") and age > 3600) or (
            path.suffix == ".lock" and age > MAX_AGE
        ):
            discard(path)
        elif path.suffix == ".pickle":
            entries.append((info.st_mtime, info.st_size, path))
    entries.sort(reverse=True)
    total = 0
    for used, size, path in entries:
        total += size
        if path != keep and (total > MAX_BYTES or now - used > MAX_AGE):
            discard(path)


def discard(path: Path) -> None:
    with contextlib.suppress(OSError):
        path.unlink()
