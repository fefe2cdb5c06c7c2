"""The timeline model: frozen dataclasses that know where each value was written.

Every record carries the position of its own mapping (`pos`) and of each field's value
(`spans`), so that a diagnostic, the problems panel and the editor can point at the exact
line and column. Values are the text the user typed: the loader never lets YAML's implicit
typing turn `no` into False or `2026` into an int.
"""

from __future__ import annotations

import math
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from enum import StrEnum
from functools import cached_property
from typing import TYPE_CHECKING, Any, NamedTuple

from timeline_tui.core._calendar import year_label, year_of, years_bounds
from timeline_tui.core.dates import Precision, joined_label
from timeline_tui.core.pickled import by_fields
from timeline_tui.core.quickinit import quick_init

if TYPE_CHECKING:
    from timeline_tui.core.dates import FuzzyDate


class Position(NamedTuple):
    """A 1-based line and column in a file."""

    file: str
    line: int
    col: int

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.col}"


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, slots=True)
class Diagnostic:
    """One problem found in a timeline file, reported as `FILE:LINE:COL: severity: message`."""

    __reduce__ = by_fields

    pos: Position
    severity: Severity
    message: str
    # The id of the event this error leaves out, if it has one: the events related to it
    # say so rather than that it does not exist.
    left_out: str | None = None

    def __str__(self) -> str:
        return f"{self.pos}: {self.severity}: {self.message}"

    @property
    def is_error(self) -> bool:
        return self.severity is Severity.ERROR

    @property
    def what(self) -> str:
        """What is wrong, without what to do: each message says the one, then after ': '
        the other (the app's header has room for the first only)."""
        return self.message.split(": ", 1)[0]


class Status(StrEnum):
    """How sure the timeline is that an event happened (or will)."""

    CONFIRMED = "confirmed"
    REPORTED = "reported"
    EXPECTED = "expected"
    FORECAST = "forecast"
    DISPUTED = "disputed"


# Where each field's value was written, as (field, line offset, column) triples: the line
# is counted from the record's anchor (an event's first line, for the event and for its
# quotes and figures). Relative positions let a reload reuse an event whose lines moved,
# and identical layouts share one tuple across thousands of events.
Spans = tuple[tuple[str, int, int], ...]


def _offset(spans: Spans, field: str) -> tuple[int, int] | None:
    for name, line, col in spans:
        if name == field:
            return line, col
    return None


@dataclass(frozen=True, slots=True)
class Source:
    """A source record from the top-level `sources` mapping."""

    __reduce__ = by_fields

    id: str
    title: str
    publisher: str | None = None
    date: FuzzyDate | None = None
    url: str | None = None
    lang: str | None = None
    via: str | None = None
    note: str | None = None
    pos: Position | None = None
    spans: Spans = field(default=(), repr=False, compare=False)

    def where(self, field_name: str | None = None) -> Position | None:
        """The position of a field's value (or of the record) in the file."""
        return position_of(self.pos, self.spans, field_name)


@quick_init
@dataclass(frozen=True, slots=True)
class Quote:
    """Words someone said or wrote, in the original language, with a translation."""

    __reduce__ = by_fields

    text: str
    speaker: str | None = None
    lang: str | None = None
    translation: str | None = None
    source: str | None = None
    # (line offset, column) of the quote's mapping, from its event's first line.
    offset: tuple[int, int] = (0, 1)
    spans: Spans = field(default=(), repr=False, compare=False)


@quick_init
@dataclass(frozen=True, slots=True)
class Figure:
    """A number with its unit, the date it describes, and where it comes from.

    `value` is kept as written (`27`, `1,1`, `~1`): it is shown, never computed with.
    """

    __reduce__ = by_fields

    label: str
    value: str
    unit: str | None = None
    as_of: FuzzyDate | None = None
    source: str | None = None
    note: str | None = None
    offset: tuple[int, int] = (0, 1)
    spans: Spans = field(default=(), repr=False, compare=False)

    def amount(self, lang: str | None = None) -> str:
        """The value with its unit, as the timeline's language writes them: `27%` in
        English, `27 %` in French, `13 billion USD` in both."""
        if not self.unit:
            return self.value
        tight = self.unit in _TIGHT_UNITS and not (lang or "").lower().startswith("fr")
        return f"{self.value}{'' if tight else ' '}{self.unit}"


# Units written against their number, except in French.
_TIGHT_UNITS = ("%", "‰")


@quick_init
@dataclass(frozen=True, slots=True)
class Event:
    """One dated entry of the timeline."""

    __reduce__ = by_fields

    id: str
    date: FuzzyDate
    title: str
    end: FuzzyDate | None = None
    summary: str | None = None
    tags: tuple[str, ...] = ()
    actors: tuple[str, ...] = ()
    status: Status | None = None
    sources: tuple[str, ...] = ()
    quotes: tuple[Quote, ...] = ()
    figures: tuple[Figure, ...] = ()
    related: tuple[str, ...] = ()
    # Position in the file's `events` list (1 for the first item): the last tie-breaker
    # of the sort order, and where its timeline keeps the line it starts on.
    index: int = 0
    # The column its mapping starts at: its first key, or the `{` of one written in
    # braces. Its line is the timeline's (`Timeline.line_of`): a line added above moves
    # every event below it, and at 100k events making each again took 0.25 s a reload.
    col: int = 1
    spans: Spans = field(default=(), repr=False, compare=False)
    # The status as written when it is none of the known ones (an error): shown as such,
    # never as no status, which reads as confirmed.
    unknown_status: str | None = None

    @property
    def lower(self) -> int | None:
        """The earliest instant the event can start, in seconds (see `core.dates`)."""
        return self.date.lower

    @property
    def upper(self) -> int | None:
        """The latest instant the event (or its `end`) can reach, in seconds."""
        return self.end.upper if self.end is not None else self.date.upper

    def sort_key(self) -> tuple[int, int, int, int]:
        return (*self.date.sort_key(), self.index)

    def renumbered(self, index: int) -> Event:
        """The same event at place `index` of its list.

        An event added or deleted above renumbers every event below it: this is several
        times faster than `dataclasses.replace`."""
        return Event(
            self.id,
            self.date,
            self.title,
            self.end,
            self.summary,
            self.tags,
            self.actors,
            self.status,
            self.sources,
            self.quotes,
            self.figures,
            self.related,
            index,
            self.col,
            self.spans,
            self.unknown_status,
        )

    @property
    def when(self) -> str:
        """Its date as shown and exported: the date, then its `end:` when it has one."""
        if self.end is None:
            return self.date.display()
        return joined_label(self.date, self.end)  # one date when it ends the day it starts

    @property
    def year(self) -> int:
        """The (astronomical) year the event is listed under: that of its sort position."""
        return year_of(self.date.sort_key()[0])


def position_of(anchor: Position | None, spans: Spans, field_name: str | None) -> Position | None:
    """Where a record anchored at `anchor` (None: not known) has its field `field_name`
    written; without a field, where the record is."""
    if anchor is None:
        return None
    found = _offset(spans, field_name) if field_name else None
    if found is None:
        return anchor
    return Position(anchor.file, anchor.line + found[0], found[1])


def place(
    path: str,
    line: int,
    event: Event,
    field_name: str | None = None,
    record: Quote | Figure | None = None,
) -> Position | None:
    """`Timeline.where` for an event whose item starts on `line` of file `path` (0: not
    known, which gives None)."""
    if not line:
        return None
    if record is None:
        return position_of(Position(path, line, event.col), event.spans, field_name)
    found = _offset(record.spans, field_name) if field_name else None
    offset, col = found or record.offset
    return Position(path, line + offset, col)


@dataclass(frozen=True, slots=True)
class Citation:
    """A source reference resolved for display: a known source record or inline text/URL."""

    label: str
    url: str | None
    source: Source | None


# Not slotted, so that cached_property can keep its id index.
@dataclass(frozen=True)
class Timeline:
    """A whole timeline file: its events sorted by date, then precision, then file order."""

    title: str
    path: str
    events: tuple[Event, ...] = ()
    description: str | None = None
    lang: str | None = None
    sources: Mapping[str, Source] = field(default_factory=dict)
    pos: Position | None = None
    spans: Spans = field(default=(), repr=False, compare=False)
    # The line each item of the events list starts on, by `Event.index` (0: not known).
    lines: Sequence[int] = ()

    def event_by_id(self, event_id: str) -> Event | None:
        return self._by_id.get(event_id)

    def line_of(self, event: Event) -> int:
        """The line the editor should open at for `event`: its first line."""
        return self.item_line(event) or 1

    def where(
        self, event: Event, field_name: str | None = None, record: Quote | Figure | None = None
    ) -> Position | None:
        """The position of one of `event`'s fields, or of one of its quotes' or figures'
        (`record`); without a field, of the event or record itself. None when its line is
        not known (an event not read from a file)."""
        return place(self.path, self.item_line(event), event, field_name, record)

    def item_line(self, event: Event) -> int:
        """The line `event`'s item starts on; 0 when it is not known."""
        index = event.index
        return self.lines[index] if 0 <= index < len(self.lines) else 0

    def __getstate__(self) -> dict[str, object]:
        # The id index is made again on demand, not pickled; and the UI thread may make it
        # while the cache pickles the timeline: the dict is copied first, in one step.
        state = dict(self.__dict__)
        state.pop("_by_id", None)
        state.pop("end_keys", None)  # made again on demand, as the id index
        state.pop("span_end", None)
        return state

    @cached_property
    def _by_id(self) -> dict[str, Event]:
        return {event.id: event for event in self.events}

    @cached_property
    def end_keys(self) -> list[float]:
        """Each event's end (see `last_end`), in the order of `events`: worked out once, a
        filter's latest end is found among those it selects, in C."""
        return [_end_key(event) for event in self.events]

    @cached_property
    def span_end(self) -> FuzzyDate | None:
        """The `last_end` of all the events, worked out once."""
        return last_end(self.events, self.end_keys)

    def edited(
        self,
        removed: Iterable[Event] = (),
        added: Iterable[Event] = (),
        renamed: Mapping[int, Event] | None = None,
        **changes: Any,
    ) -> Timeline:
        """This timeline with the events `removed` taken out, each event whose id() is a
        key of `renamed` replaced by its value (which sorts in its place), `added` put in
        their places in date order, and its other fields `changes`d as by `replace`.

        Each event's end is carried over if it was worked out (`end_keys`), not worked out
        again for all of them after a reload (25 ms at 100k events)."""
        order = list(self.events)
        ends = self.__dict__.get("end_keys")
        ends = None if ends is None else list(ends)
        for event in removed:
            at = bisect_left(order, event.sort_key(), key=Event.sort_key)
            del order[at]
            if ends is not None:
                del ends[at]
        if renamed:
            order = [renamed.get(id(event), event) for event in order]
        for event in added:
            at = bisect_right(order, event.sort_key(), key=Event.sort_key)
            order.insert(at, event)
            if ends is not None:
                ends.insert(at, _end_key(event))
        timeline = replace(self, events=tuple(order), **changes)
        if ends is not None:
            timeline.__dict__["end_keys"] = ends  # as the cached property itself does
        return timeline

    def cite(self, ref: str) -> Citation:
        """Resolve a `sources` entry: an id of a source record, a URL, or free text."""
        record = self.sources.get(ref)
        if record is not None:
            return Citation(label=record.title, url=record.url, source=record)
        if is_web_url(ref):
            return Citation(label=ref, url=ref, source=None)
        return Citation(label=ref, url=None, source=None)


def last_end(events: Sequence[Event], ends: Sequence[float] | None = None) -> FuzzyDate | None:
    """The latest end among `events` (the date, or end date, of the event that ends last,
    the later one of those that end together), or None when there are none. Sorted by
    start, a list may end with an event that ends before an earlier, longer one (an
    inquiry of 2019/2023, then a day of 2020). An open end (`2024/..`, still going on) is
    the latest of all; an unknown one (`2024/`) reaches its start at least: the list's
    span never ends before its last event starts.

    `ends`: the events' ends, worked out before (see `Timeline.end_keys`)."""
    if not events:
        return None
    backwards = list(map(_end_key, events) if ends is None else ends)
    backwards.reverse()
    last = events[len(backwards) - 1 - backwards.index(max(backwards))]
    return last.end or last.date


def headed_runs(events: Sequence[Event]) -> Iterator[tuple[str, int, int]]:
    """The runs of `events` (in timeline order) under their headings, as (heading, first,
    stop): in each year, those dated only to a decade, century or millennium first (coarser
    dates sort first), under that span, then the year's own (see `FuzzyDate.heading`).

    Found by bisection, with no Python step per event: the list groups up to 100k events
    on each filter keystroke, and an export groups them under its headings."""
    start = 0
    while start < len(events):
        year = events[start].year
        stop = bisect_left(events, years_bounds(year, year)[1] + 1, lo=start, key=start_of)
        while start < stop:
            key, precision, _ = events[start].date.sort_key()
            if precision >= Precision.YEAR:
                yield year_label(year), start, stop
                break
            end = bisect_left(events, (key, precision + 1), lo=start, hi=stop, key=Event.sort_key)
            yield events[start].date.heading(), start, end
            start = end
        start = stop


def start_of(event: Event) -> int:
    """The first second of an event's sort position, where its year and "now" are found."""
    return event.date.sort_key()[0]


def _end_key(event: Event) -> float:
    date = event.end or event.date
    if date.upper is not None:
        return date.upper
    return math.inf if date.open_end else event.date.sort_key()[0]


def is_web_url(text: str) -> bool:
    """True for http(s) URLs: the only kind that is ever made into a link."""
    lowered = text.strip().lower()
    return lowered.startswith(("http://", "https://")) and len(lowered.split("//", 1)[1]) > 0
