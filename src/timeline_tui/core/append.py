"""Adding a new event to a timeline file as text, keeping every byte that was there.

The new item is inserted where the `events` list ends (not blindly at the end of the file,
where another top-level key may follow), with the list's own indentation and line endings.
"""

from __future__ import annotations

import datetime as dt
import itertools
import re
from dataclasses import dataclass, replace
from functools import lru_cache

import yaml
from yaml.events import (
    CollectionEndEvent,
    CollectionStartEvent,
    MappingStartEvent,
    ScalarEvent,
    SequenceStartEvent,
)

from timeline_tui.core.blocks import split_events

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class AppendError(ValueError):
    """The file's shape does not allow adding an event safely; the message says why."""


class _BrokenYaml(AppendError):
    """libyaml could not read the text."""


@dataclass(frozen=True, slots=True)
class Appended:
    text: str
    line: int  # 1-based line of the new event's `- date:`


# The template's words, which the checks warn of when they are left in (`validate`).
TEMPLATE_TITLE = "New event"
TEMPLATE_SUMMARY = "What happened, in a sentence or two."


def template(indent: str, today: dt.date) -> list[str]:
    inner = indent + "  "
    return [
        f"{indent}- date: {today.isoformat()}",
        f"{inner}title: {TEMPLATE_TITLE}",
        f"{inner}summary: |",
        f"{inner}  {TEMPLATE_SUMMARY}",
        f"{inner}status: reported",
        f"{inner}sources: []",
    ]


def append_event(text: str, today: dt.date) -> Appended:
    """The text with a new event from the template added at the end of `events`."""
    newline = "\r\n" if "\r\n" in text else "\r" if "\r" in text and "\n" not in text else "\n"
    span = _events_span(text)
    lines = text.splitlines(keepends=True)
    if span.column is None:
        # `events:` with no value (or `~`, `[]`, taken off): the list starts on the next line.
        insert_at, indent = span.line, "  "
        if span.empty is not None:
            row, first, stop = span.empty
            line = lines[row]
            after = line[stop:]
            if not after.strip():  # nothing after it but spaces: they go with it
                after = after.lstrip(" \t")
            lines[row] = line[:first].rstrip(" ") + after
    else:
        insert_at = max(_before_comments(lines, span.line, span.column), span.floor)
        indent = " " * span.column
    if insert_at >= len(lines):
        if lines and not lines[-1].endswith(("\n", "\r")):
            lines[-1] += newline
        insert_at = len(lines)
    blank = [newline] if span.column is not None and _parted(lines, insert_at, span.column) else []
    new_lines = blank + [line + newline for line in template(indent, today)]
    result = "".join(lines[:insert_at] + new_lines + lines[insert_at:])
    return Appended(result, insert_at + len(blank) + 1)


# A block scalar that keeps its last line breaks (`|+`, `>2+`): a blank line after it is
# its text.
_KEEPING = re.compile(r"(?:^|[ \t])[|>][0-9]?\+")


def _parted(lines: list[str], at: int, column: int) -> bool:
    """Whether the list's last item, which ends above line `at`, is parted from the one
    before it by a blank line (as the bundled file's are), so the new one should be too;
    never after a block that keeps its last line breaks."""
    start = at - 1
    while start > 0 and not (
        lines[start][column : column + 1] == "-" and not lines[start][:column].strip()
    ):
        start -= 1
    if start < 1 or lines[start - 1].strip() or not lines[at - 1].strip():
        return False
    before = start - 1
    while before > 0 and (not lines[before].strip() or lines[before].lstrip().startswith("#")):
        before -= 1
    # An item's line, or one indented under it: else the list's key (a lone event).
    line = lines[before]
    item = line[column : column + 1] == "-" and not line[:column].strip()
    if not item and len(line) - len(line.lstrip(" ")) <= column:
        return False
    return not any(_KEEPING.search(line) for line in lines[start:at])


def _before_comments(lines: list[str], at: int, indent: int) -> int:
    """Where to insert at the end of a list whose items start at column `indent` and
    whose next line is `at`: above the blank lines and comments left of the items, which
    belong to what follows (`# --- Sources ---` above `sources:`). A comment in line with
    the items (an event commented out) stays in the list."""
    if not indent:
        # At the margin no comment can be told from the list's by its indentation: those
        # right under its last item stay in it (an event commented out), and from the first
        # blank line on they belong to what follows.
        while at > 0 and (not lines[at - 1].strip() or lines[at - 1].startswith("#")):
            at -= 1
        while at < len(lines) and lines[at].startswith("#"):
            at += 1
        return at
    while at > 0:
        line = lines[at - 1]
        stripped = line.lstrip(" ")
        if stripped.strip() and not (
            stripped.startswith("#") and len(line) - len(stripped) < indent
        ):
            return at
        at -= 1
    return at


@dataclass(frozen=True, slots=True)
class _Span:
    column: int | None  # of the list's `-`; None when `events:` has no list yet
    line: int  # 0-based line to insert at
    # The empty value to take off the `events:` line (`~`, `null`, `[]`): its 0-based line
    # and the columns it spans.
    empty: tuple[int, int, int] | None = None
    # No insertion above this line: the blank lines a `|+` block keeps are its text.
    floor: int = 0


def _events_span(text: str) -> _Span:
    """Where the `events` list is, and where a new item goes.

    Found by libyaml, but not through every event: in a file the loader reads by blocks
    (see `blocks`), the list's end depends only on its last item and what follows, and
    reading the others took seconds at 100k events. They are left out of what is read,
    as the loader reads each alone (a YAML error in one is that event's)."""
    split = split_events(text)
    if split is None or len(split.blocks) < 2:
        return _parsed_span(text)
    last = split.start + sum(block.span + 1 for block in split.blocks[:-1])
    if _stray(split.item_indent).search(text, split.start, last):
        # A line left of the items that starts none: a key the split does not take for
        # the list's end (`"a:b":`, `? key`), a quoted scalar going on at the margin. The
        # blocks may not be the events then, as the loader finds when they do not read
        # alone and the whole file does: so does this.
        try:
            return _parsed_span(text)
        except _BrokenYaml:
            pass  # as the loader, which keeps the blocks that read
    cut = split.blocks[0].first_line - 1  # the 0-based line of the first item
    left_out = split.blocks[-1].first_line - 1 - cut  # lines
    try:
        span = _parsed_span(text[: split.start] + text[last:])
    except _BrokenYaml:
        # The last block may read only with the others (a quoted scalar opened in one
        # of them): the whole file says, or refuses.
        return _parsed_span(text)

    def moved(line: int) -> int:
        return line + left_out if line >= cut else line

    return replace(span, line=moved(span.line), floor=moved(span.floor))


@lru_cache(maxsize=8)
def _stray(indent: int) -> re.Pattern[str]:
    """A line of an events list whose items start at column `indent` that is neither
    blank, a comment, nor in an item: it starts left of the items' `-`, or at it with
    anything but an item."""
    left = rf" {{0,{indent - 1}}}[^ \n#]|" if indent else ""
    return re.compile(rf"\n(?:{left} {{{indent}}}(?:[^ \n#-]|-[^ \n]))")


def _parsed_span(text: str) -> _Span:
    depth = 0
    expect_value = False
    key_next = True
    try:
        events = yaml.parse(text, Loader=_Loader)
        for event in events:
            if isinstance(event, CollectionStartEvent):
                depth += 1
                if depth == 2 and expect_value:
                    if not isinstance(event, SequenceStartEvent):
                        raise AppendError("events is not a list: fix the file first")
                    if event.flow_style:
                        end = next(events)
                        if (
                            isinstance(end, CollectionEndEvent)
                            and end.end_mark.line == event.start_mark.line
                            and _plain_value(event)
                        ):  # `events: []`, the way to write "none yet"
                            empty = (event.start_mark.column, end.end_mark.column)
                            row = event.start_mark.line
                            return _Span(None, row + 1, (row, *empty))
                        raise AppendError(
                            "events is written on one line ([...]): add the event by hand"
                        )
                    if _plain_value(event):
                        return _end_of_list(events, event.start_mark.column)
                    # `events: &all` or `events: !!seq`: the list starts at the anchor or
                    # tag; its items at the `-` left of the first one's value.
                    first = next(events)
                    line = text.splitlines()[first.start_mark.line]
                    dash = line.rfind("-", 0, first.start_mark.column)
                    return _end_of_list(itertools.chain([first], events), dash)
                if depth == 1 and not isinstance(event, MappingStartEvent):
                    raise AppendError("the file is not a timeline (no title/events mapping)")
                if depth == 1 and event.flow_style:
                    raise AppendError(
                        "the file is written as one {...} mapping: add the event by hand"
                    )
                key_next = True
                expect_value = False
                continue
            if isinstance(event, CollectionEndEvent):
                depth -= 1
                continue
            if depth == 1 and isinstance(event, ScalarEvent):
                if key_next:
                    expect_value = event.value == "events"
                    key_next = False
                else:
                    if expect_value:
                        if event.style or event.value not in ("", "~", "null", "Null", "NULL"):
                            raise AppendError("events is not a list: fix the file first")
                        if not _plain_value(event):
                            raise AppendError(
                                "events has an anchor or a tag and no list yet: add the event "
                                "by hand"
                            )
                        row = event.start_mark.line
                        empty = (row, event.start_mark.column, event.end_mark.column)
                        return _Span(None, event.end_mark.line + 1, empty if event.value else None)
                    key_next = True
                    expect_value = False
            elif depth == 1:
                key_next = True
    except yaml.YAMLError:
        raise _BrokenYaml("the file has a YAML error: fix it first (see the problems)") from None
    raise AppendError("the file has no events list: add `events:` first")


def _plain_value(event: ScalarEvent | SequenceStartEvent) -> bool:
    """Whether the value can be taken off the `events:` line: an anchor or a tag on it
    (`&e []`, `!!null`) would be lost, or left on a line of its own."""
    return event.anchor is None and event.tag is None


def _end_of_list(events, column: int) -> _Span:  # type: ignore[no-untyped-def]
    depth = 1
    floor = 0
    for event in events:
        if isinstance(event, CollectionStartEvent):
            depth += 1
        elif isinstance(event, CollectionEndEvent):
            depth -= 1
            if depth == 0:
                mark = event.start_mark
                # A block list ends where the next token starts: insert before its line.
                end = mark.line if mark.column == 0 else mark.line + 1
                return _Span(column, end, floor=floor)
        elif isinstance(event, ScalarEvent) and event.value.endswith("\n\n"):
            # A `|+` block keeps its trailing blank lines: they are its text, up to its end.
            mark = event.end_mark
            floor = mark.line if mark.column == 0 else mark.line + 1
    return _Span(column, 1 << 30, floor=floor)
