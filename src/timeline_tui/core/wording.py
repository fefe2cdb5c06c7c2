"""Words the command line and the app both say."""

from __future__ import annotations


def counted(number: int, noun: str) -> str:
    """`1 warning`, `2 warnings`, `100,000 events` (grouped, as the header groups them)."""
    return f"{number:,} {noun}{'' if number == 1 else 's'}"


def shortened(text: str, limit: int = 60) -> str:
    """A title as a message names it: a pasted headline (or a 5 MB one) made a message
    many lines long (a user pass)."""
    return text if len(text) <= limit else text[:limit].rstrip() + "…"
