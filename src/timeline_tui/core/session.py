"""One timeline file, from its bytes on disk to a `LoadResult`, again and again.

A session reads the file only once it holds still (an editor may be writing it), serves a
reopened unchanged file from the cache, shows a long first load as it progresses, and
reloads an edited file by reading again only the part that changed. It runs in a worker
thread; the UI only receives its results.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

from timeline_tui.core import cache
from timeline_tui.core.loader import BlockLoader, LoadResult, decode, read_file_bytes
from timeline_tui.core.model import Diagnostic, Timeline
from timeline_tui.core.watch import Signature, signature

# Called with a partial result (events so far) and the number of events the file holds.
Partial = Callable[[LoadResult, int], None]


class Session:
    def __init__(self, path: Path, *, use_cache: bool = True) -> None:
        self.path = path
        self.name = str(path)
        self.use_cache = use_cache
        self.loader = BlockLoader(self.name)
        self.loaded = False
        # The last result loaded, with the digest of the bytes it came from, until cached.
        self._unsaved: tuple[bytes, LoadResult] | None = None

    def read_stable(self) -> tuple[bytes | Diagnostic, Signature]:
        """The file's bytes, read again until no write happened during the read."""
        after = signature(self.path)
        data: bytes | Diagnostic = b""
        for _ in range(20):
            before = signature(self.path)
            data = read_file_bytes(self.name)
            after = signature(self.path)
            if before == after:
                break
            time.sleep(0.05)
        return data, after

    def load(self, partial: Partial | None = None) -> tuple[LoadResult, Signature]:
        """Read the file and load it: from the cache, by reusing what has not changed
        since the last load, or in full (showing `partial` results on the way)."""
        data, sig = self.read_stable()
        if isinstance(data, Diagnostic):
            return LoadResult(None, (data,)), sig
        text, problems = decode(data, self.name)
        if text is None:
            return LoadResult(None, tuple(problems)), sig
        key = cache.digest(data, self.name) if self.use_cache else None
        if key is not None and not self.loaded:
            entry = cache.lookup(self.name, key)
            if entry is not None:
                if partial is not None and entry.total > len(_events(entry.head.timeline)):
                    partial(entry.head, entry.total)
                full = entry.full()
                if full is not None:
                    result, self.loader.blocks = full  # type: ignore[assignment]
                    self.loaded = True
                    return result, sig
        progress = None
        if partial is not None:
            progress = lambda timeline, total: partial(LoadResult(timeline), total)  # noqa: E731
        del data  # a big file's bytes need not live on beside its text and its events
        result = self.loader.load(text, progress)
        self.loaded = True
        if key is not None and result.timeline is not None:
            self._unsaved = (key, result)
        return result, sig

    def remember(self) -> None:
        """Cache the last result (a second or more for a big file: call it after showing
        the result, from a worker)."""
        if self._unsaved is not None:
            key, result = self._unsaved
            self._unsaved = None
            cache.store(self.name, key, result, self.loader.blocks)  # type: ignore[arg-type]


def _events(timeline: Timeline | None) -> tuple[object, ...]:
    return timeline.events if timeline is not None else ()
