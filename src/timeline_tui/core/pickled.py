"""How the model's records are pickled (for the cache): as a call of their class with
their fields.

A frozen dataclass with slots pickles its state through a `__getstate__` and a
`__setstate__` written in Python, which look up the class's fields for every object:
loading the cache entry of 100k events took 1.6 s that way, 1.2 s as calls of the class.
"""

from __future__ import annotations

from operator import attrgetter
from typing import Any

# Each class's fields, read in one call in C: a getattr per field in Python took as long
# again as the rest of pickling (a forked reader pickles every event it read).
_FIELDS: dict[type, attrgetter[Any]] = {}


def by_fields(record: Any) -> tuple[type, tuple[object, ...]]:
    """`__reduce__` for a slotted dataclass whose fields are all `__init__` arguments,
    in the order of its slots."""
    cls = record.__class__
    fields = _FIELDS.get(cls)
    if fields is None:
        slots = cls.__slots__
        # attrgetter of one name gives the value itself, not a 1-tuple.
        fields = _FIELDS[cls] = attrgetter(*slots) if len(slots) > 1 else _one(slots[0])
    return cls, fields(record)


def _one(name: str) -> Any:
    get = attrgetter(name)
    return lambda record: (get(record),)
