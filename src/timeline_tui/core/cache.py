"""A cache of loaded timelines, so that reopening a big unchanged file is instant.

Entries are keyed by the file's content (a BLAKE2 digest of its bytes), the name shown in
messages, and the versions of the format, of timeline-tui and of Python: an entry can only
ever be served for exactly the bytes it was made from, so it is never stale. Each entry has
a small head (the first screen's worth of events, read first) and the full result. A
missing, unreadable or corrupted entry is a cache miss, never an error; the cache lives in
the user's cache folder and may be deleted at any time.
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
FORMAT_VERSION = 4
HEAD_EVENTS = 400
_MAGIC = b"timeline-tui cache\n"


@dataclass(frozen=True, slots=True)
class Entry:
    """An open cache entry: the head is read; the full result is read on demand."""

    path: Path
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
    h.update(f"\0{name}\0{FORMAT_VERSION}\0{__version__}\0{sys.version_info[:2]}".encode())
    return h.digest()


def _entry_path(name: str) -> Path:
    where = hashlib.sha256(os.path.abspath(name).encode("utf-8", "surrogateescape"))
    return cache_dir() / f"{where.hexdigest()[:32]}.pickle"


def lookup(name: str, key: bytes) -> Entry | None:
    """The cached entry for file `name` if it was made from the content `key` names."""
    path = _entry_path(name)
    try:
        with path.open("rb") as handle:
            if handle.read(len(_MAGIC)) != _MAGIC or handle.read(len(key)) != key:
                return None
            total, head_size = struct.unpack("<QQ", handle.read(16))
            head = pickle.loads(handle.read(head_size))
            offset = handle.tell()
    except FileNotFoundError:
        return None
    except Exception:  # a damaged entry is a miss, and is removed
        discard(path)
        return None
    if not isinstance(head, LoadResult):
        discard(path)
        return None
    return Entry(path, head, total, offset)


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
                handle.write(_MAGIC + key)
                handle.write(struct.pack("<QQ", len(timeline.events), len(head_bytes)))
                handle.write(head_bytes)
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
