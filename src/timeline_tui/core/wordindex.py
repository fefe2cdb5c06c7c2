"""Which events hold a word: an index of the whitespace-separated tokens of their text.

Scanning the folded text of 100k events for each keystroke of a filter reads some 40 MB
(30 ms), and keeping that text costs as much memory. A word without whitespace occurs in a
text exactly when it occurs within one of the text's tokens, so the index keeps, for each
distinct token, the events that hold it: a word's events are the union over the tokens
that contain it, found by scanning the vocabulary, not the text. Sets of events are
Python ints used as bit sets (bit i for the i-th event), whose unions and intersections
run in C; a token held by few events keeps their positions in an array instead, where a
bit set would cost more memory.
"""

from __future__ import annotations

from array import array
from collections.abc import Iterable, Sequence
from itertools import compress
from typing import TypeVar

T = TypeVar("T")

# A token held by fewer than one event in this many keeps an array of positions (4 bytes
# each) rather than a bit set (one bit per event of the timeline).
_SPARSE = 32
# Bytes of 0 and 1 from digits '0' and '1', and back: an int is turned into and out of
# a selector (one byte per event) through its binary digits, in C.
_TO_DIGITS = bytes.maketrans(b"\x00\x01", b"01")
_FROM_DIGITS = bytes.maketrans(b"01", b"\x00\x01")


def has_space(word: str) -> bool:
    """True when a word is no token: the index can then only narrow its search."""
    return word.split() != [word]


class WordIndex:
    def __init__(self, texts: Iterable[str], size: int) -> None:
        """Index the (folded) text of each of `size` events, in order."""
        found: dict[str, list[int]] = {}
        for position, text in enumerate(texts):
            for token in set(text.split()):
                holders = found.get(token)
                if holders is None:
                    found[token] = [position]
                else:
                    holders.append(position)
        self.size = size
        self.everything = (1 << size) - 1
        self._dense: dict[str, int] = {}
        self._sparse: dict[str, array[int]] = {}
        for token, holders in found.items():
            if len(holders) * _SPARSE >= size:
                self._dense[token] = self.bits(holders)
            else:
                self._sparse[token] = array("I", holders)

    def holders(self, word: str) -> int:
        """The events whose text holds `word`, which must have no whitespace (see
        `has_space`), as a bit set."""
        found = 0
        for token, bits in self._dense.items():
            if word in token:
                found |= bits
        spread: list[int] = []
        for token, positions in self._sparse.items():
            if word in token:
                spread.extend(positions)
        return found | self.bits(spread) if spread else found

    def candidates(self, phrase: str) -> int:
        """The events whose text holds every token-free piece of `phrase`: those that may
        hold the phrase itself."""
        found = self.everything
        for piece in phrase.split():
            found &= self.holders(piece)
        return found

    def selected(self, items: Sequence[T], bits: int) -> list[T]:
        """The items (one per indexed event) whose bit is set."""
        return list(compress(items, self.selector(bits)))

    def selector(self, bits: int) -> bytes:
        """One byte per event, 1 where its bit is set."""
        digits = format(bits & self.everything, f"0{self.size}b") if self.size else ""
        return digits[::-1].encode().translate(_FROM_DIGITS)

    def bits(self, positions: Iterable[int]) -> int:
        """The bit set of these positions."""
        marks = bytearray(self.size)
        for position in positions:
            marks[position] = 1
        return int(marks[::-1].translate(_TO_DIGITS), 2) if self.size else 0
