"""`quick_init` makes the same records as the dataclass's own `__init__`, still frozen."""

from __future__ import annotations

import dataclasses
import pickle

import pytest

from timeline_tui.core.dates import parse_date
from timeline_tui.core.model import Event, Quote
from timeline_tui.core.quickinit import quick_init


@dataclasses.dataclass(frozen=True, slots=True)
class Plain:
    a: int
    b: str = "b"
    c: tuple[int, ...] = dataclasses.field(default=(), compare=False)


Quick = quick_init(
    dataclasses.make_dataclass(
        "Quick",
        [("a", int), ("b", str, "b"), ("c", tuple, dataclasses.field(default=(), compare=False))],
        frozen=True,
        slots=True,
    )
)


@pytest.mark.parametrize(
    ("args", "kwargs"), [((1,), {}), ((1, "x"), {}), ((), {"a": 2, "c": (3,)}), ((4,), {"b": ""})]
)
def test_the_fields_are_set_as_the_dataclass_sets_them(args: tuple, kwargs: dict) -> None:
    plain, quick = Plain(*args, **kwargs), Quick(*args, **kwargs)
    assert dataclasses.astuple(quick) == dataclasses.astuple(plain)
    assert repr(quick).removeprefix("Quick") == repr(plain).removeprefix("Plain")


def test_arguments_are_checked_as_the_dataclass_checks_them() -> None:
    for call in (lambda: Quick(), lambda: Quick(1, "b", (), 4), lambda: Quick(1, d=2)):
        with pytest.raises(TypeError):
            call()


def test_a_record_stays_frozen_and_equal_and_pickles() -> None:
    event = Event(id="a", date=parse_date("2026?"), title="T", quotes=(Quote("q"),), index=3)
    with pytest.raises(dataclasses.FrozenInstanceError):
        event.title = "U"  # type: ignore[misc]
    again = pickle.loads(pickle.dumps(event))
    assert again == event and hash(again) == hash(event)
    assert dataclasses.replace(event, title="U").title == "U"
    assert event.end is None and event.quotes[0].speaker is None


def test_a_class_with_fields_it_cannot_set_is_refused() -> None:
    made = dataclasses.make_dataclass(
        "Made", [("a", list, dataclasses.field(default_factory=list))], frozen=True, slots=True
    )
    with pytest.raises(TypeError, match="Made"):
        quick_init(made)
