"""Words the command line and the app both say."""

from __future__ import annotations


def counted(number: int, noun: str) -> str:
    """`1 warning`, `2 warnings`, `0 events`."""
    return f"{number} {noun}{'' if number == 1 else 's'}"
