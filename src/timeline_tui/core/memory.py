"""Giving the memory that a big load freed back to the system.

glibc's malloc keeps what a program frees for its own reuse. A load of 100k events frees
as much as it keeps (the file's text, a parse tree per block, the pickle of a cache
entry): 60 MB or more that the process would go on holding. `malloc_trim` hands it back,
in a few milliseconds. Where there is no glibc this does nothing.

Python's own allocator hands back a 1 MB arena once nothing in it is alive, and a load
leaves many arenas with nothing in them but a few objects on the interpreter's free lists
(tuples, dicts, lists kept for reuse). Only a full collection empties those lists: at 100k
events it hands back some 40 arenas, in a few milliseconds, as the objects that a load
keeps are frozen out of the collector's sight (see `loader`).
"""

from __future__ import annotations

import ctypes
import gc
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import cache

# mallopt's parameters (malloc.h), and the value both get: glibc's default.
_M_TRIM_THRESHOLD = -1
_M_MMAP_THRESHOLD = -3
_PROMPT = 128 * 1024


def release_free_memory(collect: bool = True) -> None:
    """Hand back what is free; `collect`: after a full collection, which empties the
    free lists (5-20 ms: worth it once a load is cached or indexed, not after a filter).

    A load under way in another thread has paused the collector: a collection then
    would walk the millions of objects it is making, so there is none."""
    if collect and gc.isenabled():
        gc.collect()
    trim = libc("malloc_trim")
    if trim is not None:
        trim(0)


def return_freed_memory_promptly() -> None:
    """For a long-running process: have glibc map blocks of 128 KB or more on their own,
    and hand back the top of its heap as soon as 128 KB are free there.

    Those are glibc's defaults, but it raises both as a program frees big blocks (up to
    32 and 64 MB): after a big load, what a filter makes at each keystroke (lists of a MB
    or so at 100k events) would stay with the process once freed, 10 MB after a word.
    Set explicitly, they stay put. A load is no slower for it (measured at 100k events).
    """
    mallopt = libc("mallopt")
    if mallopt is not None:
        mallopt(_M_TRIM_THRESHOLD, _PROMPT)
        mallopt(_M_MMAP_THRESHOLD, _PROMPT)


@contextmanager
def collector_paused() -> Iterator[None]:
    """Python's cyclic collector runs again and again while a load (of a file, or of a
    cache entry) builds millions of small objects that hold no cycles; pausing it cuts a
    big load by half, and the read of a cache entry by two thirds.

    The objects that survive the load are then frozen (moved out of the collector's sight):
    otherwise the next allocation would start a full collection over all of them, a
    third of a second at 100k events, and again and again later, in the middle of a key
    press. They hold no cycles, so reference counting still frees them.

    But everything alive is frozen, garbage with cycles that the collector has not reached
    yet included, and that is never freed: it is collected first. Earlier loads froze all
    that was older, so this scans only what was made since (a millisecond or so)."""
    enabled = gc.isenabled()
    if enabled:
        gc.collect()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.freeze()
            gc.enable()


@cache
def libc(name: str) -> Callable[..., int] | None:
    """A function of the C library, or None where there is none by that name."""
    try:
        return getattr(ctypes.CDLL(None), name)  # type: ignore[no-any-return]
    except (OSError, AttributeError):
        return None
