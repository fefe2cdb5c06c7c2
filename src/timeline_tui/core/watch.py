"""Noticing that a file changed, by polling its metadata.

Polling the path (not an open file or its inode) sees every way editors save: in place,
by writing a new file and renaming it over the old one, or by deleting and recreating it.
A change is reported only once the file has stopped changing for a moment, so a reader
does not catch an editor half-way through writing.
"""

from __future__ import annotations

import os
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Signature:
    """What identifies one version of a file; `error` is set when it cannot be stat'ed."""

    inode: int = 0
    size: int = 0
    mtime_ns: int = 0
    mode: int = 0
    error: str | None = None


def signature(path: str | os.PathLike[str]) -> Signature:
    try:
        info = os.stat(path)
    except OSError as exc:
        return Signature(error=exc.strerror or type(exc).__name__)
    return Signature(info.st_ino, info.st_size, info.st_mtime_ns, info.st_mode)


class Watcher:
    """Call `poll(now)` periodically; it returns True once per settled change."""

    def __init__(self, path: str | os.PathLike[str], settle: float = 0.05) -> None:
        self.path = path
        self.settle = settle
        self.seen = signature(path)
        self._pending: Signature | None = None
        self._since = 0.0

    def accept(self, sig: Signature) -> None:
        """Record `sig` as the version now shown (after a reload read it)."""
        self.seen = sig
        self._pending = None

    def poll(self, now: float) -> bool:
        current = signature(self.path)
        if current == self.seen:
            self._pending = None
            return False
        if current != self._pending:
            self._pending = current
            self._since = now
        if now - self._since < self.settle:
            return False
        self.seen = current
        self._pending = None
        return True
