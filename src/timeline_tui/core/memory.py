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
from collections.abc import Callable
from functools import lru_cache


def release_free_memory() -> None:
    gc.collect()
    trim = _malloc_trim()
    if trim is not None:
        trim(0)


@lru_cache(maxsize=1)
def _malloc_trim() -> Callable[[int], int] | None:
    try:
        return ctypes.CDLL(None).malloc_trim  # type: ignore[no-any-return]
    except (OSError, AttributeError):
        return None
