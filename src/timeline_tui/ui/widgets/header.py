"""The one-line header: title, events shown / total, span of dates, and the file's state."""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual.widgets import Static

from timeline_tui.core.model import Event
from timeline_tui.ui.render import clean, span_label


@dataclass(frozen=True)
class HeaderState:
    title: str = ""
    shown: int = 0
    total: int = 0
    first: Event | None = None
    last: Event | None = None
    errors: int = 0
    warnings: int = 0
    stale: str | None = None  # why the view shows an older version of the file
    query_error: str | None = None  # why the filter typed cannot be read
    query_shown: str = ""  # the filter the list shows meanwhile (the last that could be)
    loading: bool = False
    progress: tuple[int, int] | None = None  # events read so far, of how many


class TimelineHeader(Static):
    """Shows a HeaderState; every piece of file text is set as plain Text, never markup."""

    COMPONENT_CLASSES = {
        "header--title",
        "header--count",
        "header--span",
        "header--error",
        "header--warning",
    }

    _state: HeaderState | None = None

    def show(self, state: HeaderState) -> None:
        self._state = state
        self._draw()

    def on_resize(self) -> None:
        self._draw()

    def _draw(self) -> None:
        """The parts, fitted to the width: what is wrong with the file or the filter must
        show on a narrow terminal too, so the span of dates goes first, then the title is
        shortened, then what is wrong is said in fewer words, then the count goes."""
        state = self._state
        if state is None:
            return
        style = self.get_component_rich_style
        title = Text(clean(state.title) or "timeline-tui", style("header--title", partial=True))
        span = Text()
        if state.first is not None and state.last is not None:
            span = Text(
                f"  {span_label(state.first, state.last)}", style("header--span", partial=True)
            )
        count = Text(_count(state), style("header--count", partial=True))
        width = self.content_size.width or 1_000_000
        for short in (False, True):
            problems = Text(end="")
            for message, name in _problems(state, short=short):
                problems.append(f"  {message}", style(name, partial=True))
            # The long form may run off the end (cut with an ellipsis) when enough of it
            # shows: the reason comes first in it.
            room = width - count.cell_len - problems.cell_len
            if room >= min(title.cell_len, 8) or width - count.cell_len - 8 >= 40:
                break
        if short and room < min(title.cell_len, 8):
            count = Text()  # on the narrowest screens, what is wrong matters more
            room = width - problems.cell_len
        if title.cell_len + span.cell_len > room:
            span = Text()
        if title.cell_len > room:
            title.truncate(max(room, 8), overflow="ellipsis")
        text = Text(no_wrap=True, end="")
        for part in (title, count, span, problems):
            text.append_text(part)
        # A Static wraps its text, and the second line would be hidden: cut it visibly.
        text.truncate(width, overflow="ellipsis")
        # One line high whatever it says (app.tcss): no need to lay the screen out again.
        self.update(text, layout=False)


def _count(state: HeaderState) -> str:
    if state.progress is not None:
        done, total = state.progress
        return f"  loading… {done:,} / {total:,} events"
    if state.loading:
        return "  loading…"
    noun = "event" if state.total == 1 else "events"  # "1 event", not "1 events"
    if state.shown == state.total:
        return f"  {state.total:,} {noun}"
    return f"  {state.shown:,} / {state.total:,} {noun}"


def _problems(state: HeaderState, *, short: bool = False) -> list[tuple[str, str]]:
    """What is wrong, each with its component class; `short`: in as few words as still
    send the user to the problems (p) or to the filter."""
    found = []
    if state.stale:
        stale = "⚠ last good version (p)" if short else f"⚠ {clean(state.stale)}"
        found.append((stale, "header--error"))
    elif state.errors:
        plural = "s" if state.errors != 1 else ""
        found.append((f"✗ {state.errors} error{plural} (p)", "header--error"))
    elif state.warnings:
        plural = "s" if state.warnings != 1 else ""
        found.append((f"! {state.warnings} warning{plural} (p)", "header--warning"))
    if state.query_error:
        shown = f"“{clean(state.query_shown)}”" if state.query_shown else "all events"
        mistake = f"✗ filter: {clean(state.query_error)}; the list shows {shown}"
        found.append(("✗ filter" if short else mistake, "header--error"))
    return found
