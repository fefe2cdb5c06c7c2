"""A cache of loaded timelines, so that reopening a big file is instant.

There is one entry per file (by its absolute path), made by the last load of it. An entry
is served whole only for exactly the bytes it was made from (a BLAKE2 digest of them is
its key), so it is never stale. For other bytes (the file was edited since) it is served
as what that earlier load read: the loader then reads again only the event blocks whose
text it does not know. Either way it must have been made under the same name (messages
carry it) by the same versions of the format, of timeline-tui and of Python.

Each entry has a small head (the first screen's worth of events, read first) and the full
result. A missing, unreadable or corrupted entry is a cache miss, never an error; the
cache lives in the user's cache folder and may be deleted at any time.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import pickle
import struct
import sys
import tempfile
from dataclasses import dataclass, replace
from pathlib import Path

from timeline_tui import __version__
from timeline_tui.core.loader import LoadResult
from timeline_tui.core.memory import collector_paused

# Bump when the model's classes or what the loader keeps of a load (pickled with them)
# change shape: older entries are then ignored.
FORMAT_VERSION = 5
HEAD_EVENTS = 400
_MAGIC = b"timeline-tui cache 5\n"
_SIZES = struct.Struct("<QQQ")  # events in the full result, the head's size, the maker's


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
            with self.path.open("rb") as handle, collector_paused():
                handle.seek(self.offset)
                result, known = pickle.load(handle)
        except Exception:  # any damage to the entry is a miss
            discard(self.path)
            return None
        if not isinstance(result, LoadResult):
            discard(self.path)
            return None
        return result, known


def cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "timeline-tui"


def digest(data: bytes, name: str) -> bytes:
    """What an entry is valid for: these bytes, shown under this name, by this program."""
    h = hashlib.blake2b(data, digest_size=32)
    h.update(_maker(name))
    return h.digest()


def _maker(name: str) -> bytes:
    """The name an entry's messages carry, and the versions of what wrote its pickles."""
    made = f"\0{name}\0{FORMAT_VERSION}\0{__version__}\0{sys.version_info[:2]}"
    return made.encode("utf-8", "surrogateescape")


def _entry_path(name: str) -> Path:
    where = hashlib.sha256(os.path.abspath(name).encode("utf-8", "surrogateescape"))
    return cache_dir() / f"{where.hexdigest()[:32]}.pickle"


def lookup(name: str, key: bytes) -> Entry | None:
    """The cached entry for file `name`: fresh if it was made from the content `key`
    names, else made from an earlier version of the file (by the same program)."""
    path = _entry_path(name)
    try:
        with path.open("rb") as handle:
            if handle.read(len(_MAGIC)) != _MAGIC:
                return None
            fresh = handle.read(len(key)) == key
            total, head_size, maker_size = _SIZES.unpack(handle.read(_SIZES.size))
            maker = _maker(name)
            if maker_size != len(maker) or handle.read(maker_size) != maker:
                # Damaged, or made under another name or version: our next store would
                # replace it anyway.
                raise ValueError("not this file's entry")
            head = pickle.loads(handle.read(head_size)) if fresh else LoadResult(None)
            offset = handle.tell() if fresh else handle.seek(head_size, os.SEEK_CUR)
    except FileNotFoundError:
        return None
    except Exception:  # a damaged entry is a miss, and is removed
        discard(path)
        return None
    if not isinstance(head, LoadResult):
        discard(path)
        return None
    return Entry(path, fresh, head, total, offset)


def store(name: str, key: bytes, result: LoadResult, known: object) -> None:
    """Write an entry; failures (no space, read-only home) are silently a cache miss later."""
    timeline = result.timeline
    if timeline is None:
        return
    head = LoadResult(replace(timeline, events=timeline.events[:HEAD_EVENTS]), ())
    path = _entry_path(name)
    try:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        head_bytes = pickle.dumps(head, protocol=pickle.HIGHEST_PROTOCOL)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".entry.", suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as handle:
                maker = _maker(name)
                handle.write(_MAGIC + key)
                handle.write(_SIZES.pack(len(timeline.events), len(head_bytes), len(maker)))
                handle.write(maker + head_bytes)
                # One pickle for both, so that they share their event objects.
                pickle.dump((result, known), handle, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(tmp, path)
        except BaseException:
            discard(Path(tmp))
            raise
    except Exception:  # any failure to write an entry is a miss later, never an error
        return


def discard(path: Path) -> None:
    with contextlib.suppress(OSError):
        path.unlink()
