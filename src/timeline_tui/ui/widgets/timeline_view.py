"""The timeline: one virtual widget on Textual's line API.

Only the rows on screen are rendered. The view keeps a flat list of entries (year
separators, the "now" line, events) with the height of each and their prefix sums, so a
screen row maps to (entry, line) by bisection, and expanding an event only changes one
height. Rendered rows are cached as Strips until the data, the width or the theme changes.
"""

from __future__ import annotations

import datetime as dt
from array import array
from bisect import bisect_left, bisect_right
from collections import deque
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import partial
from itertools import accumulate

from rich.text import Text
from textual.binding import Binding
from textual.cache import LRUCache
from textual.events import Click, Key, Resize
from textual.geometry import Region, Size
from textual.reactive import Reactive
from textual.screen import Screen
from textual.scroll_view import ScrollView
from textual.strip import Strip
from textual.widget import Widget
from textual.worker import Worker, get_current_worker

from timeline_tui.core.dates import date_key
from timeline_tui.core.model import Event, Timeline, headed_runs, start_of
from timeline_tui.ui import render
from timeline_tui.ui.render import Palette

YEAR, NOW, NO_MATCH, EMPTY = 0, 1, 2, 3
EXPAND_ALL_LIMIT = 5_000
# Up to this many events whose details are not laid out yet, `+` lays them out at once
# (about 0.5 ms each); more, in a thread.
EXPAND_AT_ONCE = 200
# vi's counts: the keys that take one, and the largest (more is the end of the list).
_COUNTED = frozenset(("j", "k", "down", "up", "n", "N"))
# ... and those for which one is a place in the list (`3G`), and none the first or last.
_NUMBERED = frozenset(("g", "G", "home", "end"))
MAX_COUNT = 99_999


@dataclass(slots=True)
class Marker:
    """A row that is not an event: a year separator, the "now" line, or the line that
    says a filter matches no event, or that the file has none yet."""

    kind: int
    label: str = ""
    count: int = 0


@dataclass(slots=True, frozen=True)
class Laid:
    """An expanded event's lines, laid out highlighting `words`."""

    words: tuple[str, ...]
    lines: list[Text]


def index_of(events: Sequence[Event], key: tuple[int, int, int, int], event_id: str) -> int | None:
    """Where the event with this id and sort key stands in `events` (in sort order), by
    bisection; among events that share the key (one carried over from an earlier
    version, see `core.carried`, may share a new one's), by id."""
    position = bisect_left(events, key, key=Event.sort_key)
    while position < len(events) and events[position].sort_key() == key:
        if events[position].id == event_id:
            return position
        position += 1
    return None


# A row of the list: an event, or a marker. Events stand in the list as themselves, so
# that rebuilding it for each filter keystroke creates no object per event.
Entry = Event | Marker


class TimelineView(ScrollView, can_focus=True):
    """Events in date order with year separators and a "now" line; events expand in place."""

    COMPONENT_CLASSES = {f"timeline--{name}" for name in render.STYLE_NAMES}

    # The list's size is the screen's whatever it holds, yet Textual lays the whole screen
    # out again whenever a widget's virtual size changes: 22 ms of most filter keystrokes
    # at 120x40 and 100k events (each changes how many events are shown).
    virtual_size: Reactive[Size] = Reactive(Size(0, 0), layout=False)

    BINDINGS = [
        Binding("j,down", "cursor_down", "Down", show=False),
        Binding("k,up", "cursor_up", "Up", show=False),
        Binding("g,home", "go(1)", "First", show=False),
        Binding("G,end", "go(-1)", "Last", show=False),
        Binding("n", "next_match(1)", "Next match", show=False),
        Binding("N", "next_match(-1)", "Previous match", show=False),
        Binding("pageup,ctrl+b", "page_up", "Page up", show=False),
        Binding("pagedown,ctrl+f", "page_down", "Page down", show=False),
        Binding("ctrl+u", "half_page_up", "Half a page up", show=False),
        Binding("ctrl+d", "half_page_down", "Half a page down", show=False),
        Binding("ctrl+y", "line_up", "Scroll a line up", show=False),
        Binding("ctrl+e", "line_down", "Scroll a line down", show=False),
        Binding("H", "screen_row(0)", "Top of the screen", show=False),
        Binding("M", "screen_row(1)", "Middle of the screen", show=False),
        Binding("L", "screen_row(2)", "Foot of the screen", show=False),
        Binding("enter,space", "toggle", "Expand"),
        Binding("plus", "expand_all", "Expand all", show=False),
        Binding("minus", "collapse_all", "Collapse all", show=False),
        Binding("t", "now", "Today"),
        Binding("left_square_bracket", "previous_year", "Previous year", show=False),
        Binding("right_square_bracket", "next_year", "Next year", show=False),
    ]

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.timeline: Timeline | None = None
        self.events: list[Event] = []
        # `G` pressed before there was an event to go to: the cursor goes to the last one
        # once events show (see `show`).
        self.end_wanted = False
        self.today = dt.date.today()
        self.words: tuple[str, ...] = ()
        self.carried: Mapping[str, str] = {}
        self.filtered = False
        self.blank = False
        self.partial = False  # the timeline is the part of the file read so far
        self._entries: list[Entry] = []
        self._heights: list[int] = []
        # Each entry's first row: the prefix sums of the heights, one machine word each
        # (as Python ints, 4 MB at 100k events).
        self._offsets = array("q", [0])
        # 0, 1, 2…: the offsets when every entry is one row high, as each filter keystroke
        # leaves them.
        self._counting = array("q", [0])
        self._marked: list[int] = []
        # The expanded events by id, each with its object in the last version shown: a
        # hint to find it again in the next version (see `_entry_index`).
        self._expanded: dict[str, Event | None] = {}
        self._cursor = -1
        self._z = False  # `z` pressed: the next key says where the cursor's row goes
        self._count = 0  # digits typed before `j` or `k`: vi's count (0: none)
        self._counts: deque[int] = deque()  # the counts of j/k keys whose binding is to run
        # Where a key of the list's own sent the keys: a screen it opened, or a widget it
        # focused (see `on_key`).
        self._handed_to: tuple[Screen[object], Widget | None] | None = None
        # The event the user last put the cursor on (a key, a click, a jump), which a
        # filter typed goes back to whenever it matches it (see `MainScreen._landing`);
        # where a filter put the cursor is not the user's choice.
        self.chosen: Event | None = None
        self._columns = render.Columns(10, 0, 0)
        self._columns_for: tuple[Sequence[Event], int] | None = None
        self._columns_value = self._columns
        self._palette: Palette | None = None
        # Each expanded event's lines by (id, width), with the words they highlight: the
        # words change on each filter keystroke, the lines' count does not, and the
        # heights of thousands of expanded events are read from it without laying them
        # out again. Room for every event `+` may expand: fewer, and laying them out again
        # would take back what the thread saved.
        self._details: LRUCache[tuple[str, int], Laid] = LRUCache(EXPAND_ALL_LIMIT + 1024)
        # How many times the lines were thrown away (a new timeline, width or theme): the
        # lines of a thread started before are not kept (a review: a reload during a
        # layout left the old text's lines, too few for the new text, and drawing failed).
        self._generation = 0
        # Lines laid out by the layout thread, put here as it goes (one dict per
        # generation: a thread started before `_forget_details` writes into one no longer
        # read). A newer thread, started by the next keystroke, goes on from them.
        self._laid_late: dict[tuple[str, int], Laid] = {}
        self._strips: LRUCache[tuple[int, int], Strip] = LRUCache(2048)
        self._strips_width = 0

    def watch_loading(self) -> None:
        # While it loads, the view lends the footer none of its keys, and Textual does not
        # say when that ends: the footer could go on without Expand and Today.
        self.refresh_bindings()

    # -- data ---------------------------------------------------------------------------

    def show(
        self,
        timeline: Timeline,
        events: Sequence[Event],
        *,
        today: dt.date | None = None,
        words: Sequence[str] = (),
        keep: Event | None = None,
        expanded: Iterable[str] | None = None,
        carried: Mapping[str, str] | None = None,
        filtered: bool = False,
        blank: bool = False,
        partial: bool = False,
        follow_end: bool = False,
    ) -> None:
        """Show `events` (already filtered, in order); keep the cursor on the event `keep`
        (as it is in this or an earlier version of the timeline). `carried`: the events
        shown as they were before an error, by id, each with why (see `core.carried`).
        `filtered`: a filter chose `events`, which the list says when it chose none.
        `blank`: the file has no events (none that errors leave out either), which the
        list says with how to add one. `partial`: the timeline is the part of the file read
        so far. `follow_end`: `events` are more of such a timeline (or all of it): a cursor
        on the last event stays on the last, as `G` pressed while it loads means the end
        of the timeline (it stayed on the event that was last then: a user pass)."""
        previous_cursor, previous, seen_at = self._cursor, self.current, self._seen_at()
        at_end = follow_end and bool(self.events) and previous is self.events[-1]
        if self.end_wanted and events:
            at_end, self.end_wanted = True, False
        # A `z` then a priority key that clears the filter (Escape): the next `t` was taken
        # for `zt` (a review).
        self.forget_pending_keys()
        if (
            timeline is not self.timeline
            or (today is not None and today != self.today)
            or (carried or {}) != self.carried
        ):
            self._forget_details()
            same_rows = False
        else:
            # A filter keystroke that keeps the same events (`par` after `pa`) keeps the
            # rows: only their highlighted words change. (Making them again took 5–7 ms
            # of such a keystroke at 100k events; comparing the lists takes 0.2 ms, in C.)
            same_rows = (
                expanded is None
                and filtered == self.filtered
                and blank == self.blank
                and events == self.events
            )
        self.timeline = timeline
        self.filtered = filtered
        self.blank = blank
        self.partial = partial
        self.carried = carried or {}
        if not same_rows:  # (else they are equal: a copy of 66k events took 5 ms)
            self.events = list(events)
        if today is not None:
            self.today = today
        self.words = tuple(words)
        if expanded is not None:
            self._expanded = {i: self._expanded.get(i) for i in expanded}
        if not same_rows:
            self._build_entries()
            self._columns = self._row_columns()
        target = self._entry_index(keep.id, keep) if keep is not None else None
        if at_end:
            target = self._nearest_event(len(self._entries) - 1, -1)
        if target is None:
            target = self._nearest_event(min(previous_cursor, len(self._entries) - 1))
        if same_rows:
            self._strips.clear()
            self.refresh()
        else:
            self._relayout()
        same = previous is not None and keep is not None and keep.id == previous.id
        kept = target is not None and same and self._scroll_row_to(target, seen_at)
        self._set_cursor(target if target is not None else -1, scroll=not kept, chosen=False)
        if self.chosen is None:
            self.chosen = self.current  # where the list opened

    def _seen_at(self) -> int:
        """The cursor's row on screen; -1 when it is not on screen."""
        if not 0 <= self._cursor < len(self._entries):
            return -1
        row = self._offsets[self._cursor] - self.scroll_offset.y
        return row if 0 <= row < self.size.height else -1

    def _scroll_row_to(self, index: int, seen_at: int) -> bool:
        """Scroll entry `index`'s row to screen row `seen_at` (as far as the list's ends
        allow), unless `seen_at` is -1; whether it did. When a filter, an edit or a layout
        changes the rows above the cursor, the list moves under it, not the cursor on
        screen: narrowing a filter took the cursor's row from the foot of the screen to
        its top, and events laid out in a thread from row 5 to 19 (user passes)."""
        if seen_at < 0:
            return False
        y = self._offsets[index] - seen_at
        self.scroll_to(y=y, animate=False, immediate=True, force=True)
        return True

    def _build_entries(self) -> None:
        # Run on every filter keystroke over up to 100k events. The events are in date
        # order, so their headings' runs, and where "now" falls, are found by bisection,
        # and the list is made of slices: no Python step per event.
        events = self.events
        entries: list[Entry] = []
        marked: list[int] = []  # for each marker, the position of the event it precedes
        now = bisect_right(events, date_key(self.today) + 86_399, key=start_of)
        for label, first, last in headed_runs(events):
            if now == first:  # the first event after today starts a heading
                marked.append(now)
                entries.append(Marker(NOW))
            marked.append(first)
            entries.append(Marker(YEAR, label=label, count=last - first))
            if first < now < last:
                entries += events[first:now]
                marked.append(now)
                entries.append(Marker(NOW))
                entries += events[now:last]
            else:
                entries += events[first:last]
        if now == len(events):
            marked.append(now)
            entries.append(Marker(NOW))
        if not events and self.filtered and self.timeline.events:
            marked.append(0)
            entries.append(Marker(NO_MATCH, count=len(self.timeline.events)))
        elif self.blank and not events:
            marked.append(0)
            entries.append(Marker(EMPTY))
        self._entries = entries
        self._marked = marked

    def _entry_index(self, event_id: str, hint: Event | None = None) -> int | None:
        """The row of the event with this id, if it is shown.

        `hint` is the event in an earlier version of the timeline: after a reload it
        mostly sorts to the same place, and is found there without the timeline's index
        of ids (25 ms to build at 100k events)."""
        row = self._row_at(hint.sort_key(), event_id) if hint is not None else None
        if row is None and self.timeline is not None:
            event = self.timeline.event_by_id(event_id)
            row = self._row_at(event.sort_key(), event_id) if event is not None else None
        return row

    def _row_at(self, key: tuple[int, int, int, int], event_id: str) -> int | None:
        """The row of the shown event that sorts at `key`, if it has this id."""
        position = index_of(self.events, key, event_id)
        if position is None:
            return None
        return position + bisect_right(self._marked, position)

    def _row_columns(self) -> render.Columns:
        # Sized for the whole timeline (so they do not jump while filtering), once per
        # timeline and width.
        events = self.timeline.events if self.timeline is not None else self.events
        width = self._width()
        known = self._columns_for
        if known is None or known[0] is not events or known[1] != width:
            self._columns_for = (events, width)
            self._columns_value = render.columns(events, width)
        return self._columns_value

    def _relayout(self) -> int:
        """Recompute heights and offsets (after data, expansion or width changes). The
        expanded events not laid out for this width yet are laid out here, or, past
        EXPAND_AT_ONCE of them, in a thread, folded until they are: a few thousand took
        2–3 s, keys waiting (after `+`, or on each step of a terminal's resize). Returns
        how many are left to the thread."""
        width = self._width()
        heights = [1] * len(self._entries)
        late = 0
        if self._expanded and width > 0:
            shown = []
            for event_id, hint in list(self._expanded.items()):
                index = self._entry_index(event_id, hint)
                if index is not None:
                    event = self._expanded[event_id] = self._event_at(index)
                    shown.append((index, event))
            details = self._details
            laid_late = self._laid_late
            for key in list(laid_late):
                laid = laid_late.pop(key)
                if key not in details:
                    self._keep_detail(key, laid)
            todo = [event for _, event in shown if (event.id, width) not in details]
            if len(todo) > EXPAND_AT_ONCE:
                late = len(todo)
                self._lay_out_later(todo, width)
            for index, event in shown:
                if not late or (event.id, width) in details:
                    heights[index] = 1 + self._detail_height(event, width)
        self._heights = heights
        if len(self._counting) <= len(heights):
            self._counting = array("q", range(2 * len(heights) + 1))
        self._offsets = (
            array("q", accumulate(heights, initial=0))
            if self._expanded
            else self._counting[: len(heights) + 1]  # a copy, in C: 0.1 ms, not 4, at 100k
        )
        self._strips.clear()
        self._resize_content(width)
        return late

    def _update_height(self, index: int) -> None:
        event = self._event_at(index)
        width = self._width()
        height = 1
        if event.id in self._expanded and width > 0:
            height += self._detail_height(event, width)
        delta = height - self._heights[index]
        if delta:
            self._heights[index] = height
            # The prefix sums from this entry on, summed again in C (a Python loop adding
            # `delta` to 100k offsets took three times as long).
            start = self._offsets[index]
            self._offsets[index:] = array("q", accumulate(self._heights[index:], initial=start))
        # Rows are cached by (entry, line), which moving them down does not change: only
        # this entry's first line (its expanded mark) is drawn anew.
        self._strips.discard((index, 0))
        self._resize_content(width)

    def _resize_content(self, width: int) -> None:
        self.virtual_size = Size(width, self._offsets[-1])
        # With `virtual_size` not laying out (see above), the scroll bar is told here; one
        # shown or hidden still lays the screen out (Textual's show_vertical_scrollbar).
        self._scroll_update(self.virtual_size)
        self.refresh()

    def watch_scroll_y(self, old_value: float, new_value: float) -> None:
        super().watch_scroll_y(old_value, new_value)
        # Textual moves the thumb only while the bar is shown: a list scrolled back to its
        # top while it fitted the screen (a filter matching little, a reload) showed the
        # bar again with its thumb where it was before, over a list shown from its top.
        bar = self._vertical_scrollbar
        if bar is not None and not self.show_vertical_scrollbar:
            bar.position = new_value

    def _event_at(self, index: int) -> Event:
        entry = self._entries[index]
        assert entry.__class__ is Event
        return entry  # type: ignore[return-value]

    def _detail(self, event: Event, width: int) -> list[Text]:
        """An expanded event's lines, highlighting the words of the filter shown."""
        key = (event.id, width)
        laid = self._details.get(key)
        if laid is None or laid.words != self.words:
            laid = Laid(self.words, self._lay_out_detail(event, width))
            self._keep_detail(key, laid)
        return laid.lines

    def _keep_detail(self, key: tuple[str, int], laid: Laid) -> None:
        # Textual's LRUCache keeps the value a key has: lines laid out again for new words
        # were thrown away, and laid out again for every line drawn (a review).
        self._details.discard(key)
        self._details[key] = laid

    def _forget_details(self) -> None:
        self._details.clear()
        self._laid_late = {}
        self._generation += 1

    def _detail_height(self, event: Event, width: int) -> int:
        # Highlighting styles words and never moves them: lines laid out for other words
        # are as many.
        laid = self._details.get((event.id, width))
        return len(laid.lines) if laid is not None else len(self._detail(event, width))

    def _lay_out_detail(
        self,
        event: Event,
        width: int,
        palette: Palette | None = None,
        words: tuple[str, ...] | None = None,
    ) -> list[Text]:
        """An expanded event's lines under its row (see `_detail`, which keeps them), in
        `palette` and highlighting `words` (the view's own, by default)."""
        assert self.timeline is not None
        return render.detail_lines(
            event,
            self.timeline,
            width,
            # Under the title, but never more than a quarter of a narrow screen.
            min(self._columns.date + 5, max(4, width // 4)),
            palette or self.palette,
            self.app.console,
            self.words if words is None else words,
            self.today,
            full_title=render.title_cut(event, width, self._columns),
            full_date=render.date_cut(event, self._columns),
            carried=self.carried.get(event.id),
        )

    # -- state the screen reads -----------------------------------------------------------

    @property
    def current(self) -> Event | None:
        if 0 <= self._cursor < len(self._entries):
            entry = self._entries[self._cursor]
            return entry if entry.__class__ is Event else None
        return None

    @property
    def expanded_ids(self) -> frozenset[str]:
        return frozenset(self._expanded)

    def go_to(self, event_id: str) -> bool:
        """Put the cursor on an event; False when it is not shown (filtered out)."""
        index = self._entry_index(event_id)
        if index is None:
            return False
        self._set_cursor(index, scroll=True, center=True)
        return True

    # -- rendering --------------------------------------------------------------------------

    @property
    def palette(self) -> Palette:
        if self._palette is None:
            self._palette = Palette(
                {
                    name: self.get_component_rich_style(f"timeline--{name}", partial=True)
                    for name in render.STYLE_NAMES
                }
            )
        return self._palette

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._palette = None
        self._forget_details()
        self._strips.clear()

    def _width(self) -> int:
        return self.scrollable_content_region.width

    def on_resize(self, event: Resize) -> None:
        self._fit_width()
        # A shorter screen may leave the cursor's row below it (at the end of the list,
        # with the last rows).
        self._scroll_to_cursor()

    def _fit_width(self) -> int:
        """The view's width, the rows laid out for it first if it changed: a new size can
        be drawn before its Resize event arrives, and an expanded event's height depends
        on the width (drawing it with the old height ran off the end of its lines)."""
        width = self._width()
        if width != self._strips_width:
            self._strips_width = width
            self._forget_details()
            self._columns = self._row_columns()
            self._relayout()
            self._scroll_to_cursor()
        return width

    def render_line(self, y: int) -> Strip:
        width = self._fit_width()
        row = self._row_on_screen(y)
        if row >= self._offsets[-1] or width <= 0:
            return Strip.blank(width, self.rich_style)
        index = bisect_right(self._offsets, row) - 1
        line = row - self._offsets[index]
        key = (index, line)
        strip = self._strips.get(key)
        if strip is None:
            strip = self._render_row(index, line, width)
            self._strips[key] = strip
        return strip

    def _row_on_screen(self, y: int) -> int:
        """The row of the list drawn at `y` on screen."""
        if y == 0 and self._pinned():
            return self._offsets[self._cursor]
        return self.scroll_offset.y + y

    def _pinned(self) -> bool:
        """Whether the cursor's row is drawn over the first one on screen: the screen shows
        its event's body, the row itself has scrolled off above, and the selection (what
        Enter folds) would not be seen otherwise."""
        cursor, top = self._cursor, self.scroll_offset.y
        return 0 <= cursor < len(self._entries) and (
            self._offsets[cursor] < top < self._offsets[cursor + 1]
        )

    def _render_row(self, index: int, line: int, width: int) -> Strip:
        entry = self._entries[index]
        palette = self.palette
        if entry.__class__ is Marker:
            if entry.kind == YEAR:
                text = render.year_row(entry.label, entry.count, width, palette)
            elif entry.kind == NOW:
                text = render.now_row(self.today, width, palette)
            elif entry.kind == NO_MATCH:
                text = render.no_match_row(entry.count, width, palette, partial=self.partial)
            else:
                text = render.note_row("No events yet: press a to add one.", width, palette)
        elif line == 0:
            text = render.event_row(
                entry,
                width,
                self._columns,
                palette,
                self.words,
                expanded=entry.id in self._expanded,
                carried=entry.id in self.carried,
            )
            if index == self._cursor:
                text.pad_right(width - text.cell_len)
                # The cursor's colours go over the whole row, but the matched words stay
                # highlighted on it: the filter puts the cursor on the best match.
                matches = [span for span in text.spans if span.style == palette["match"]]
                text.stylize(palette["cursor"])
                for span in matches:
                    text.stylize(span.style, span.start, span.end)
        else:
            text = self._detail(entry, width)[line - 1]
        strip = Strip(text.render(self.app.console), text.cell_len)
        style = self.rich_style  # worked out from the CSS on each call
        return strip.crop_extend(0, width, style).apply_style(style)

    # -- cursor -------------------------------------------------------------------------------

    def _nearest_event(self, index: int, step: int = 1) -> int | None:
        """The event entry at `index`, else the nearest one in direction `step`, then back."""
        entries = self._entries
        if not entries:
            return None
        index = max(0, min(index, len(entries) - 1))
        for direction in (step, -step):
            i = index
            while 0 <= i < len(entries):
                if entries[i].__class__ is Event:
                    return i
                i += direction
        return None

    def _set_cursor(
        self, index: int, *, scroll: bool = True, center: bool = False, chosen: bool = True
    ) -> None:
        old = self._cursor
        self._cursor = index
        if chosen:
            self.chosen = self.current
        for changed in {old, index}:
            if 0 <= changed < len(self._entries):
                self._strips.discard((changed, 0))
                self.refresh_lines(self._offsets[changed], 1)
        # The first line on screen may show, or stop showing, the cursor's row pinned.
        self.refresh_lines(self.scroll_offset.y, 1)
        if scroll:
            self._scroll_to_cursor(center=center)

    def _scroll_to_cursor(self, *, center: bool = False) -> None:
        if not 0 <= self._cursor < len(self._entries):
            return
        top = self._offsets[self._cursor]
        # A year separator right above the cursor is part of what it belongs to.
        if self._cursor > 0 and self._entries[self._cursor - 1].__class__ is Marker:
            top = self._offsets[self._cursor - 1]
        height = min(self._offsets[self._cursor + 1] - top, max(1, self.size.height))
        # `force`: when the list has just grown past the screen (a filter cleared, everything
        # expanded), Textual only allows scrolling once the next layout adds the scrollbar;
        # without it the cursor was left off screen.
        self.scroll_to_region(
            Region(0, top, 1, height),
            animate=False,
            center=center,
            immediate=True,
            x_axis=False,
            force=True,
        )

    def _move(self, step: int, count: int = 1) -> None:
        """`count` events on (`step` 1) or back (-1), or as far as the list goes."""
        if self._cursor < 0:
            found = self._nearest_event(0)
        else:
            found, at = None, self._cursor
            for _ in range(count):
                after = self._nearest_event(at + step, step)
                if after is None or (after - at) * step <= 0:
                    break
                found = at = after
        if found is not None:
            self._set_cursor(found)

    def action_cursor_down(self) -> None:
        self._move(1, self._counts.popleft() if self._counts else 1)

    def action_cursor_up(self) -> None:
        self._move(-1, self._counts.popleft() if self._counts else 1)

    def action_next_match(self, step: int) -> None:
        """vi's `n` and `N` after `/`: the filter shows only its matches, so the next (or
        previous) event shown, going round the end of the list as vi goes round the file."""
        count = self._counts.popleft() if self._counts else 1
        if not self.filtered:
            self.notify("n and N go through the matches of a filter: type / and words first")
            return
        if not self.events:
            self.notify("No event matches the filter")
            return
        if self._cursor < 0:
            (self.action_first if step > 0 else self.action_last)()
            return
        at, went_round = self._cursor, False
        for _ in range(count % len(self.events)):  # (going round n times lands back here)
            after = self._nearest_event(at + step, step)
            if (after - at) * step <= 0:  # past the end: on from the other end
                after = self._nearest_event(0 if step > 0 else len(self._entries) - 1, step)
                went_round = True
            at = after
        self._set_cursor(at)
        if went_round:  # as vi says "search hit BOTTOM, continuing at TOP"
            self.notify(
                "Past the last match: on from the first"
                if step > 0
                else "Before the first match: on from the last",
                timeout=2,
            )

    def action_go(self, end: int) -> None:
        """vi's `g` and `G` (and Home and End): the first (`end` 1) or last (-1) event
        shown, or with a count the event at that place in the list (`3G`), as vi goes
        to a line (a user pass: the count was dropped)."""
        place = self._counts.popleft() if self._counts else 0
        if place and self.events:
            position = min(place, len(self.events)) - 1
            self._set_cursor(position + bisect_right(self._marked, position))
        else:
            (self.action_first if end > 0 else self.action_last)()

    def action_first(self) -> None:
        found = self._nearest_event(0)
        if found is not None:
            self._set_cursor(found)
            self.scroll_to(y=0, animate=False, immediate=True)

    def action_last(self) -> None:
        found = self._nearest_event(len(self._entries) - 1, -1)
        if found is not None:
            self._set_cursor(found)
            self.scroll_to(y=self.max_scroll_y, animate=False, immediate=True)

    def _page(self, direction: int, half: bool = False) -> None:
        """Scroll a page (or half); the cursor moves as far, to an event whose row is on
        screen.

        It goes to the event drawn where it was on screen, or, when that is the body of an
        event whose row has scrolled off, to the nearest event row on screen: left on a row
        out of sight, the cursor was not drawn at all, and Enter folded an event the user
        could not see. Only a screen filled by one event's body keeps the cursor on that
        event, its row pinned on top (see `_pinned`), so that an event taller than the
        screen is read page by page (moving to "the event a page below the cursor's first
        line" landed inside that same event, and PageDown never got past it).
        """
        if self._cursor < 0:
            return
        offsets = self._offsets
        height = max(1, self.size.height)
        page = max(1, height // 2 if half else height - 1)
        top = self.scroll_offset.y
        row = top + max(0, min(offsets[self._cursor] - top, height - 1)) + direction * page
        self.scroll_to(y=top + direction * page, animate=False, immediate=True)
        top = self.scroll_offset.y
        bottom = min(top + height, offsets[-1])
        # At either end of the list the screen moves less than a page, the cursor a page.
        index = bisect_right(offsets, max(top, min(row, bottom - 1))) - 1
        found = self._nearest_shown(index, direction, *self._on_screen())
        if found is None:
            found = self._nearest_event(bisect_right(offsets, top) - 1, -1)
        if found is not None:
            self._set_cursor(found, scroll=False)

    def _nearest_shown(self, index: int, step: int, first: int, last: int) -> int | None:
        """The event nearest `index`, looking in direction `step` first, among the entries
        `first` to `last` (those whose first row is on screen)."""
        entries = self._entries
        for direction in (step, -step):
            i = max(first, min(index, last))
            while first <= i <= last:
                if entries[i].__class__ is Event:
                    return i
                i += direction
        return None

    def action_page_up(self) -> None:
        self._page(-1)

    def action_page_down(self) -> None:
        self._page(1)

    def action_half_page_up(self) -> None:
        self._page(-1, half=True)

    def action_half_page_down(self) -> None:
        self._page(1, half=True)

    def _on_screen(self) -> tuple[int, int]:
        """The first and last entries whose first row is on screen."""
        top = self.scroll_offset.y
        bottom = min(top + max(1, self.size.height), self._offsets[-1])
        return bisect_left(self._offsets, top), bisect_left(self._offsets, bottom) - 1

    def action_screen_row(self, where: int) -> None:
        """As vi's H, M, L: the cursor on the event row at the top (0), in the middle (1)
        or at the foot (2) of the screen."""
        first, last = self._on_screen()
        if where == 1:
            middle = self.scroll_offset.y + max(1, self.size.height) // 2
            index, step = bisect_right(self._offsets, middle) - 1, 1
        else:
            index, step = (first, 1) if where == 0 else (last, -1)
        found = self._nearest_shown(index, step, first, last)
        if found is not None:
            self._set_cursor(found, scroll=False)

    def on_blur(self) -> None:
        # A `z` then `/` (a priority key, which never reaches the list): the `t` typed in
        # the list later would have been taken for `zt`. The counts of j/k keys whose
        # bindings have not run go too: those bindings no longer reach the list.
        self.forget_pending_keys()
        self._counts.clear()

    def forget_pending_keys(self) -> None:
        """Drop a `z` or a count waiting for the next key: a key the list never sees (a
        priority one, such as Escape) ends them as any other does."""
        self._z = False
        self._count = 0

    async def on_key(self, event: Key) -> None:
        # Typed fast, a key reaches the list after a priority key typed after it (`/`,
        # ctrl+p) has moved the focus or opened a screen; bubbled up to the app, its
        # binding was looked up from there: `Enter /` expanded nothing, `Enter ctrl+p` ran
        # the palette's first command. The list runs the binding itself, as the app would
        # with the list focused; but once one of its own keys has handed the keys over (`?`
        # opens the help, `p` the problems), the keys after it (a count's digits too) are
        # for what it opened, while it is still there.
        if self._handed_to is not None:
            if self._handed_to == self._keys_go_to():
                return
            self._handed_to = None
        if self._vi_keys(event):
            event.stop()
            event.prevent_default()
            return
        active = self._keys_go_to() == (self.screen, self)
        # (Textual looks past a loading widget's bindings: `G` while a first load runs.)
        for node in self.ancestors if self.loading else self.ancestors_with_self:
            for binding in node._bindings.key_to_bindings.get(event.key, ()):
                if not binding.priority and await self.app.run_action(binding.action, node):
                    event.stop()
                    event.prevent_default()
                    after = self._keys_go_to()
                    if active and after != (self.screen, self):
                        self._handed_to = after
                    return

    def _keys_go_to(self) -> tuple[Screen[object], Widget | None]:
        """The screen shown, and the widget focused on the list's screen."""
        return self.app.screen, self.screen.focused

    def _vi_keys(self, event: Key) -> bool:
        """Whether the key was taken here, as part of a `z` command or a count."""
        # vi's zz, zt, zb: the cursor's row in the middle, at the top, at the foot of the
        # screen. Textual binds single keys: `z` waits here for the next one.
        key = event.key
        if self._z:
            self.forget_pending_keys()
            rows = {"z": 1, "t": 0, "b": 2}.get(key)
            if rows is None or self._cursor < 0:
                return False  # any other key does what it does
            row, height = self._offsets[self._cursor], max(1, self.size.height)
            y = (row, row - (height - 1) // 2, row - height + 1)[rows]
            self.scroll_to(y=max(0, y), animate=False, immediate=True)
            return True
        if key == "z":
            self.forget_pending_keys()
            self._z = True
            return True
        if len(key) == 1 and key in "0123456789" and (self._count or key != "0"):
            # vi's count: `5j` moves five events (the digits did nothing: a user pass).
            self._count = min(self._count * 10 + int(key), MAX_COUNT)
            return True
        if key in _COUNTED or key in _NUMBERED:
            # The count goes along to the key's binding, which runs later: typed fast in a
            # terminal, the keys after it reach this handler before the bindings of those
            # before them run (`g10j` went 10 on from where `g` had not yet moved).
            self._counts.append(self._count if key in _NUMBERED else max(self._count, 1))
        self._count = 0
        return False

    def _scroll_line(self, direction: int) -> None:
        """Scroll a row, as vi's ctrl+e / ctrl+y: the cursor stays on its event while its
        row is on screen (or pinned on top, its body filling it), else it goes to the
        nearest event row on screen."""
        self.scroll_to(y=self.scroll_offset.y + direction, animate=False, immediate=True)
        if self._cursor < 0:
            return
        first, last = self._on_screen()
        if first <= self._cursor <= last or self._pinned():
            self._set_cursor(self._cursor, scroll=False)  # its pinned row may change
            return
        found = self._nearest_shown(self._cursor, -direction, first, last)
        if found is not None:
            self._set_cursor(found, scroll=False)

    def action_line_up(self) -> None:
        self._scroll_line(-1)

    def action_line_down(self) -> None:
        self._scroll_line(1)

    def action_toggle(self) -> None:
        event = self.current
        if event is None:
            return
        if event.id in self._expanded:
            del self._expanded[event.id]
        else:
            self._expanded[event.id] = event
        self._update_height(self._cursor)
        self._scroll_to_cursor()

    def action_expand_all(self) -> None:
        # Expanding lays out every event's details: fine for a story, a long wait for a
        # whole archive. Past this many, ask for a filter first.
        if len(self.events) > EXPAND_ALL_LIMIT:
            self.notify(
                f"{len(self.events):,} events are too many to expand at once: filter "
                f"(/) to {EXPAND_ALL_LIMIT:,} or fewer first",
                severity="warning",
                markup=False,
            )
            return
        self._expanded = {e.id: e for e in self.events}
        if self._relayout():
            self.notify(f"Expanding {len(self.events):,} events…", timeout=2, markup=False)
        self._scroll_to_cursor()

    def _lay_out_later(self, todo: list[Event], width: int) -> None:
        self.run_worker(
            # The palette made here, on the UI thread: the worker uses it, and a theme
            # changed meanwhile makes another, which throws its lines away.
            partial(
                self._lay_out_details,
                todo,
                width,
                self.palette,
                self.words,
                self._generation,
                self._laid_late,
            ),
            thread=True,
            exclusive=True,  # the newest layout covers what an older one had left
            group="expand",
            exit_on_error=False,
        )

    def _lay_out_details(
        self,
        todo: list[Event],
        width: int,
        palette: Palette,
        words: tuple[str, ...],
        generation: int,
        late: dict[tuple[str, int], Laid],
    ) -> None:
        worker = get_current_worker()
        for event in todo:
            if worker.is_cancelled:
                return  # `late` keeps what is done, for the thread that replaces this one
            key = (event.id, width)
            if key not in late:  # else laid out by the thread this one replaced
                late[key] = Laid(words, self._lay_out_detail(event, width, palette, words))
        self.app.call_from_thread(self._laid_out, worker, generation)

    def _laid_out(self, worker: Worker[None], generation: int) -> None:
        if worker.is_cancelled or generation != self._generation:
            return  # collapsed (`-`), laid out again, reloaded, resized or restyled since
        seen_at = self._seen_at()
        self._relayout()
        if not self._scroll_row_to(self._cursor, seen_at):
            self._scroll_to_cursor()

    def action_collapse_all(self) -> None:
        self.workers.cancel_group(self, "expand")  # expanded events still laid out
        self._expanded.clear()
        self._relayout()
        self._scroll_to_cursor()

    def action_now(self) -> None:
        now = next(
            (i for i, e in enumerate(self._entries) if e.__class__ is Marker and e.kind == NOW),
            None,
        )
        if now is None:
            return
        found = self._nearest_event(now, 1)
        if found is not None:
            self._set_cursor(found, scroll=False)
        self.scroll_to_region(
            Region(0, self._offsets[now], 1, 1), animate=False, center=True, immediate=True
        )

    def _year_start(self, index: int) -> int:
        while index > 0 and not _is_year(self._entries[index]):
            index -= 1
        return index

    def action_previous_year(self) -> None:
        if self._cursor < 0:
            return
        start = self._year_start(self._cursor)
        first = self._nearest_event(start, 1)
        if first is not None and first != self._cursor:
            self._go_to_year(start, first)  # first go to the start of this year
            return
        if start > 0:
            previous = self._year_start(start - 1)
            found = self._nearest_event(previous, 1)
            if found is not None:
                self._go_to_year(previous, found)

    def action_next_year(self) -> None:
        if self._cursor < 0:
            return
        for i in range(self._cursor + 1, len(self._entries)):
            if _is_year(self._entries[i]):
                found = self._nearest_event(i, 1)
                if found is not None:
                    self._go_to_year(i, found)
                return

    def _go_to_year(self, start: int, found: int) -> None:
        """The cursor on `found`, the first event of the year whose separator is row
        `start`, with the year shown from its top: `]` showed the year below on the last
        row of the screen only, one event of it."""
        self._set_cursor(found, scroll=False)
        self.scroll_to(y=self._offsets[start], animate=False, immediate=True, force=True)

    def on_click(self, event: Click) -> None:
        row = self._row_on_screen(event.y)
        if not 0 <= row < self._offsets[-1]:
            return
        index = bisect_right(self._offsets, row) - 1
        if self._entries[index].__class__ is not Event:
            return
        if index == self._cursor and row == self._offsets[index]:
            self.action_toggle()
        else:
            self._set_cursor(index, scroll=False)


def _is_year(entry: Entry) -> bool:
    return entry.__class__ is Marker and entry.kind == YEAR  # type: ignore[union-attr]
