"""Giving the memory that a big load freed back to the system.

glibc's malloc keeps what a program frees for its own reuse. A load of 100k events frees
as much as it keeps (the file's text, a parse tree per block, the pickle of a cache
entry): 60 MB or more that the process would go on holding. `malloc_trim` hands it back,
in a few milliseconds. Where there is no glibc this does nothing.
"""

from __future__ import annotations

import ctypes
from collections.abc import Callable
from functools import lru_cache


def release_free_memory() -> None:
    trim = _malloc_trim()
    if trim is not None:
        trim(0)


@lru_cache(maxsize=1)
def _malloc_trim() -> Callable[[int], int] | None:
    try:
        return ctypes.CDLL(None).malloc_trim  # type: ignore[no-any-return]
    except (OSError, AttributeError):
        return None
