"""Where the new bytes of a file differ from the old ones: the one span an edit touched.

Comparing two 50 MB versions of a file costs a few milliseconds: the bytes are compared
in growing chunks by `bytes.startswith` at an offset, a memcmp that copies nothing. Kept
for the next edit, though, the old bytes would double what a big timeline costs in memory:
once a load is shown they give way to a `Fingerprint`, digests of their chunks, against
which the next version is compared to the nearest chunk (30 ms at 50 MB).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import NamedTuple

# Fingerprints digest 16 KB chunks: an edit is read again with up to 16 KB on each side
# (some 60 events), and 50 MB are 3,000 digests.
CHUNK = 1 << 14
_FIRST_CHUNK = 1 << 12
_MAX_CHUNK = 1 << 22


class Change(NamedTuple):
    """`old[start:old_end]` became `new[start:new_end]`; the rest is the same."""

    start: int
    old_end: int
    new_end: int


class Fingerprint:
    """What is kept of a file's bytes to compare the next version with: its first `keep`
    bytes as they are (a timeline's header: an edit there must be told from one just after
    it), then the digests of its whole `chunk`-byte chunks counted from there, and of those
    counted back from its end."""

    def __init__(self, data: bytes, chunk: int = CHUNK, keep: int = 0) -> None:
        self.size, self.chunk, self.head = len(data), chunk, data[:keep]
        self.heads = [_digest(data, at, chunk) for at in range(keep, self.size - chunk + 1, chunk)]
        count = self.size // chunk
        self.tails = [_digest(data, self.size - (n + 1) * chunk, chunk) for n in range(count)]

    def changed_span(self, new: bytes) -> Change:
        """The span that differs, widened to whole chunks (but where it starts in the kept
        first bytes): what lies outside it is the same (but for a collision of 160-bit
        digests)."""
        chunk, keep = self.chunk, len(self.head)
        limit = min(self.size, len(new))

        def head(n: int) -> bytes:
            return _digest(new, keep + n * chunk, chunk)

        def tail(n: int) -> bytes:
            return _digest(new, len(new) - (n + 1) * chunk, chunk)

        if new.startswith(self.head):
            start = keep + chunk * _same_count(self.heads, head, (limit - keep) // chunk)
        else:
            # An edit of the header: placed from its start, the rest of the file from
            # its end (a timeline renamed was read again whole, 3 s at 100k events).
            old = self.head

            def head_same(done: int, step: int) -> bool:
                return new.startswith(old[done : done + step], done)

            start = _common_length(head_same, min(keep, len(new)))
        # The chunks from the end may reach over those from the start: what both cover is
        # the same, and a span may not end before it starts.
        same = min(chunk * _same_count(self.tails, tail, limit // chunk), limit - start)
        if start + same == self.size == len(new):
            return Change(self.size, self.size, self.size)  # the same bytes
        return Change(start, self.size - same, len(new) - same)


def _digest(data: bytes, start: int, size: int) -> bytes:
    return hashlib.sha1(memoryview(data)[start : start + size]).digest()


def _same_count(digests: list[bytes], digest: Callable[[int], bytes], most: int) -> int:
    """How many of the first `most` digests `digest(n)` gives again, in a row."""
    count, most = 0, min(most, len(digests))
    while count < most and digest(count) == digests[count]:
        count += 1
    return count


def changed_span(old: bytes | Fingerprint, new: bytes) -> Change:
    if isinstance(old, Fingerprint):
        return old.changed_span(new)
    view = memoryview(new)
    shift = len(new) - len(old)

    def head_same(done: int, step: int) -> bool:
        return old.startswith(view[done : done + step], done)

    def tail_same(done: int, step: int) -> bool:
        end = len(old) - done
        return old.startswith(view[end - step + shift : end + shift], end - step)

    start = _common_length(head_same, min(len(old), len(new)))
    # The common end may not overlap the common start: `aa` -> `aaa` is one `a` added.
    tail = _common_length(tail_same, min(len(old), len(new)) - start)
    return Change(start, len(old) - tail, len(new) - tail)


def _common_length(same: Callable[[int, int], bool], limit: int) -> int:
    """How long a run of equal bytes is, at most `limit`; `same(done, step)` says whether
    the `step` bytes after its first `done` are equal. Chunks double while they are, and
    halve when not."""
    done, size = 0, _FIRST_CHUNK
    while done < limit:
        step = min(size, limit - done)
        if same(done, step):
            done += step
            size = min(size * 2, _MAX_CHUNK)
        elif step == 1:
            break
        else:
            size = step // 2
    return done
