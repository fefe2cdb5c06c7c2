"""One timeline file, from its bytes on disk to a `LoadResult`, again and again.

A session reads the file only once it holds still (an editor may be writing it), serves a
reopened unchanged file from the cache (and a file edited since it was cached as an edit
of what the cache holds), shows a long first load as it progresses, and reloads an edited
file by reading again only the part that changed. It runs in worker threads, one load at
a time; the UI only receives its results.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path

from timeline_tui.core import cache
from timeline_tui.core.forked import in_background
from timeline_tui.core.loader import BlockLoader, LoadResult, LoadStopped, read_file_bytes
from timeline_tui.core.memory import release_free_memory
from timeline_tui.core.model import Diagnostic, Timeline
from timeline_tui.core.watch import Signature, signature

# Called with the events read so far, the number the file holds, and now and then a
# partial result (of the events read so far), else None.
Partial = Callable[[int, int, LoadResult | None], None]
Cancelled = Callable[[], bool]

# A read counts once the file has not been written for this long before it (by its
# mtime) nor during it: a load that starts between two writes of an editor's save must not
# take the first part for the file.
QUIET = 0.05
# A file still being written after this long is read as it is.
MAX_WAIT = 1.0
# A write under way changes the file's size between two looks this far apart; once one
# has been seen, the file must hold still for SETTLE before it is read.
PROBE = 0.002
SETTLE = 0.016
# A reload that gives fewer events than the last good load, or none, or comes from a
# smaller file, may be a save caught half-way: a writer that truncates the file and then
# pauses for longer than QUIET (a slow disk or network drive, a program writing event by
# event) leaves a cut copy that can still be valid YAML, and it would be shown as the
# whole timeline. And a file truncated in place can show its old mtime for a moment.
# Unless the file still ends as it did (an edit in the middle, which a cut copy cannot
# look like), such a result is trusted only once the file has not been written for this
# long (by its mtime, and at least QUIET by our own clock); if it is written meanwhile, it
# is read again once it holds still for QUIET. Deleting the last events, or a save that
# does not load, thus shows up to RECHECK after the save; other edits show at once.
RECHECK = 0.2
# A file still written, with pauses, after this long is shown as it is read then.
RECHECK_FOR = 1.0
TAIL = 4096
# Reading an event block costs about this many times what storing its event in the cache
# does (measured at 100k events: 55 µs against 12).
READ_OVER_STORE = 4
# A command that ends after caching a load of this many events or more leaves the writing
# (a second at 100k events) to a process of its own; a smaller entry takes a few tens of
# milliseconds, less than starting that process would cost.
BACKGROUND_EVENTS = 2000


class Session:
    def __init__(
        self, path: str | os.PathLike[str], *, use_cache: bool = True, processes: int = 1
    ) -> None:
        """`processes`: how many may read a first load (see `forked`: never in the app)."""
        self.path = Path(path)
        self.name = os.fspath(path)  # as the user wrote it: messages carry it
        self.use_cache = use_cache
        self.loader = BlockLoader(self.name, processes)
        self.loaded = False
        # The last result loaded, with the bytes it came from, until cached.
        self._unsaved: tuple[bytes, LoadResult] | None = None
        # The events, size and last bytes of the last load that gave a timeline to show.
        self._good: tuple[int, int, bytes] | None = None
        # The bytes of a load served by the cache, which the loader has not read.
        self._unread: bytes | None = None
        # The last load read an earlier version's entry, and this many blocks again.
        self._from_earlier: int | None = None
        # A cancelled load may still be running in its thread when the next one starts:
        # they take turns, so the block loader is never used by two at once.
        self._lock = threading.Lock()

    def read_stable(self) -> tuple[bytes | Diagnostic, Signature]:
        """The file's bytes, once no write happened during the read nor in the QUIET
        seconds before it (or as they are, if the file never holds still for MAX_WAIT)."""
        deadline = time.monotonic() + MAX_WAIT
        probe = PROBE
        while True:
            before = self._settled(deadline, probe)
            data = read_file_bytes(self.name)
            after = signature(self.path)
            if before == after:
                wait = _quiet_left(after, QUIET)
                if wait <= 0:
                    break
                time.sleep(wait)
                if signature(self.path) == after:
                    break
            probe = SETTLE  # a writer seen at work
            if time.monotonic() >= deadline:
                break
        return data, after

    def _settled(self, deadline: float, probe: float) -> Signature:
        """The file's signature once two looks `probe` apart find it the same (SETTLE
        apart once it has changed), or at the deadline.

        A save's big write, under way, grows the file by a megabyte or so a millisecond
        while its mtime stays put: a read of 54 MB started then was lost, and the read
        again came 50-90 ms after the save had ended (traced at 100k events). A writer
        seen at work may stop for a few milliseconds (it waits for a core: looks 2 and 4
        ms apart let reads start 10 ms before the end of a save)."""
        sig = signature(self.path)
        while time.monotonic() < deadline:
            time.sleep(probe)
            again = signature(self.path)
            if again == sig:
                break
            sig, probe = again, SETTLE
        return sig

    def load(
        self,
        partial: Partial | None = None,
        cancelled: Cancelled | None = None,
        stop: Cancelled | None = None,
    ) -> tuple[LoadResult, Signature]:
        """Read the file and load it: from the cache, by reusing what has not changed
        since the last load, or in full (showing `partial` results on the way).

        A result that may come from a save caught half-way is checked again (see
        RECHECK); `cancelled()` true ends that wait early, with a result not to be shown.
        `stop()` true ends a long read of the file too (the app is quitting: a newer load
        that cancels this one had better let it finish, and reuse what it read)."""
        with self._lock:
            data, sig = self.read_stable()
            try:
                result = self._load(data, partial, stop)
            except LoadStopped:
                return LoadResult(None), sig
            give_up = time.monotonic() + RECHECK_FOR
            while self._may_be_cut(result, sig, data) and time.monotonic() < give_up:
                # Read again as soon as the file is written again (the rest of a save
                # caught half-way: waiting out RECHECK first took 0.1-0.2 s of every such
                # reload), else trusted once RECHECK has passed.
                def written(seen: Signature = sig) -> bool:
                    return signature(self.path) != seen

                if not sleep(max(_quiet_left(sig, RECHECK), QUIET), cancelled, written):
                    return result, sig  # cancelled: not shown, so not remembered as good
                if not written():
                    break
                data, sig = self.read_stable()
                result = self._load(data, None)
            if result.timeline is not None and (not result.errors or self._good is None):
                assert isinstance(data, bytes)
                self._good = (len(result.timeline.events), sig.size, data[-TAIL:])
            return result, sig

    def _may_be_cut(self, result: LoadResult, sig: Signature, data: bytes | Diagnostic) -> bool:
        if self._good is None or isinstance(data, Diagnostic):
            return False
        events, size, tail = self._good
        shown = len(result.timeline.events) if result.timeline is not None else -1
        if shown >= events and sig.size >= size:
            return False
        # A cut copy ends where the writer was: with the old last bytes only if they
        # were written twice, and TAIL bytes of timeline text are not.
        return len(data) <= len(tail) or not data.endswith(tail)

    def _load(
        self,
        data: bytes | Diagnostic,
        partial: Partial | None,
        stop: Cancelled | None = None,
    ) -> LoadResult:
        if isinstance(data, Diagnostic):
            return LoadResult(None, (data,))
        earlier = False
        if self.use_cache and not self.loaded:
            entry = cache.lookup(self.name, cache.digest(data, self.name))
            if entry is not None:
                if (
                    entry.fresh
                    and partial is not None
                    and entry.total > len(_events(entry.head.timeline))
                ):
                    partial(len(_events(entry.head.timeline)), entry.total, entry.head)
                full = entry.full()
                if full is not None and self.loader.adopt(full[1]):
                    if entry.fresh:
                        self.loaded = True
                        # What each block gave was cached with the result: `remember`
                        # checks it against these bytes (or, if the load left it by digest
                        # only, reads the file by blocks), for the next edit to be quick.
                        self._unread = data
                        return full[0]
                    # Made from an earlier version of the file: the load below reloads
                    # it as an edit of that one, reading only the blocks that changed.
                    earlier = True
                elif full is not None:
                    cache.discard(entry.path)  # not what a load leaves: a damaged entry
        progress = None
        if partial is not None:
            progress = lambda read, total, timeline: partial(  # noqa: E731
                read, total, None if timeline is None else LoadResult(timeline)
            )
        result = self.loader.load_data(data, progress, stop)
        self.loaded = True
        self._unread = None
        self._from_earlier = self.loader.edit_reads if earlier else None
        if self.use_cache and result.timeline is not None:
            self._unsaved = (data, result)
        return result

    def remember(self, *, exiting: bool = False) -> None:
        """Cache the last result, and after a load from the cache, check what was cached
        with it against the file, for the next edit to reload quickly (a second or more
        for a big file: call it after showing the result, from a worker), and make the set
        of ids the next edit may need (`BlockLoader.make_ids`).

        `exiting`: the process ends next (the command line), so only what serves the next
        one is done. No check: this process loads no next edit. And an entry of an earlier
        version that the load read as an edit of it is not rewritten when reading the
        edited blocks cost less than writing it would: the next run reads them as quickly.
        (The app always rewrites it: a fresh entry shows its first screen at once.) A big
        entry is written by a process of its own, which the command does not wait for."""
        with self._lock:
            unsaved, unread, known = self._unsaved, self._unread, self.loader.known
            self._unsaved = self._unread = None
            from_earlier, self._from_earlier = self._from_earlier, None
            if exiting:
                unread = None
                if unsaved is not None and from_earlier is not None:
                    events = len(_events(unsaved[1].timeline))
                    if from_earlier * READ_OVER_STORE < events:
                        unsaved = None
            if unread is not None:
                self.loader.load_data(unread)
            background = (
                exiting
                and unsaved is not None
                and len(_events(unsaved[1].timeline)) >= BACKGROUND_EVENTS
            )
            if (unsaved is not None or not exiting) and not background:
                self.loader.compact()  # the file's bytes are not cached, nor kept
            if not exiting:
                self.loader.make_ids()  # for the next edit that lets an event in or out
        if unsaved is not None:
            data, result = unsaved
            if background:
                # Compacted by the writer: 13 ms at 20k events, 63 ms at 100k, which the
                # command no longer waits for.
                _store_in_background(self.name, data, result, self.loader)
            else:
                _store(self.name, data, result, known)
            # Let go of the file's bytes first: else the memory they leave free would
            # not be handed back.
            del unsaved, data, result
        del known
        if not exiting:
            release_free_memory()


def _store(
    name: str, data: bytes, result: LoadResult, known: object, path: Path | None = None
) -> None:
    cache.store(name, cache.digest(data, name), result, known, path)


def _store_in_background(name: str, data: bytes, result: LoadResult, loader: BlockLoader) -> None:
    """Have the entry written by a process of its own, so that the command ends now; a
    lookup meanwhile (the next command, run at once) waits for it. The writer compacts
    `loader` first (see `BlockLoader.compact`), and stores what it knows."""
    path = cache.entry_path(name)  # the writer leaves the working folder
    if path is None:
        return
    lock = cache.claim(path)
    try:
        in_background(partial(_compacted_store, name, data, result, loader, path), keep=lock)
    finally:
        if lock is not None:
            os.close(lock)


def _compacted_store(
    name: str, data: bytes, result: LoadResult, loader: BlockLoader, path: Path
) -> None:
    loader.compact()
    _store(name, data, result, loader.known, path)


def _quiet_left(sig: Signature, quiet: float) -> float:
    """How much longer to wait until the file has not been written for `quiet` seconds."""
    if sig.error is not None:
        return 0.0
    age = time.time() - sig.mtime_ns / 1e9
    # An mtime in the future (another machine's clock, `touch -d`) says nothing: wait it all.
    return quiet - age if age >= 0 else quiet


def sleep(
    seconds: float, cancelled: Cancelled | None, until: Callable[[], bool] | None = None
) -> bool:
    """Sleep, in short steps while `cancelled` can end it (False if it did) or `until()`
    true can end it sooner."""
    end = time.monotonic() + seconds
    while (left := end - time.monotonic()) > 0:
        if cancelled is not None and cancelled():
            return False
        if until is not None and until():
            break
        time.sleep(min(left, 0.02))
    return cancelled is None or not cancelled()


def _events(timeline: Timeline | None) -> tuple[object, ...]:
    return timeline.events if timeline is not None else ()
