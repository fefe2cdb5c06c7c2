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
    query_error: str | None = None
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

    def show(self, state: HeaderState) -> None:
        text = Text(no_wrap=True, overflow="ellipsis", end="")
        style = self.get_component_rich_style
        text.append(clean(state.title) or "timeline-tui", style("header--title", partial=True))
        if state.progress is not None:
            done, total = state.progress
            text.append(
                f"  loading… {done:,} / {total:,} events", style("header--count", partial=True)
            )
        elif state.loading:
            text.append("  loading…", style("header--count", partial=True))
        else:
            noun = "event" if state.total == 1 else "events"  # "1 event", not "1 events"
            count = (
                f"{state.total:,} {noun}"
                if state.shown == state.total
                else f"{state.shown:,} / {state.total:,} {noun}"
            )
            text.append(f"  {count}", style("header--count", partial=True))
        if state.first is not None and state.last is not None:
            span = span_label(state.first, state.last)
            text.append(f"  {span}", style("header--span", partial=True))
        if state.stale:
            text.append(f"  ⚠ {clean(state.stale)}", style("header--error", partial=True))
        elif state.errors:
            plural = "s" if state.errors != 1 else ""
            text.append(
                f"  ✗ {state.errors} error{plural} (p)", style("header--error", partial=True)
            )
        elif state.warnings:
            plural = "s" if state.warnings != 1 else ""
            text.append(
                f"  ! {state.warnings} warning{plural} (p)", style("header--warning", partial=True)
            )
        if state.query_error:
            text.append(
                f"  filter: {clean(state.query_error)}", style("header--error", partial=True)
            )
        # One line high whatever it says (app.tcss): no need to lay the screen out again.
        self.update(text, layout=False)
