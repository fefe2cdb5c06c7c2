"""The one-line header: title, events shown / total, span of dates, and the file's state."""

from __future__ import annotations

from dataclasses import dataclass

from rich.cells import cell_len
from rich.text import Text
from textual.widgets import Static

from timeline_tui.core.dates import FuzzyDate
from timeline_tui.core.model import Event
from timeline_tui.core.wording import counted
from timeline_tui.ui.render import clean, span_label

# The title is cut to this many columns before the span of dates gives way: on a narrow
# terminal the dates say more than the end of a long title.
TITLE_ROOM = 24


@dataclass(frozen=True)
class HeaderState:
    title: str = ""
    file: str = ""  # the file's name, beside the title it holds
    shown: int = 0
    total: int = 0
    first: Event | None = None
    last: Event | None = None
    end: FuzzyDate | None = None  # the latest end among the events shown
    errors: int = 0
    warnings: int = 0
    stale: str | None = None  # why the view shows an older version of the file
    older_shown: bool = False  # with `stale`: an older version shows, not nothing
    carried: int = 0  # events shown as they were before an error (see `core.carried`)
    query_error: str | None = None  # why the filter typed cannot be read
    query_shown: str = ""  # the filter the list shows meanwhile (the last that could be)
    loading: bool = False
    progress: tuple[int, int] | None = None  # events read so far, of how many
    reloading: bool = False  # a reload is taking its time (the list shows the last load)


class TimelineHeader(Static):
    """Shows a HeaderState; every piece of file text is set as plain Text, never markup."""

    COMPONENT_CLASSES = {
        "header--title",
        "header--count",
        "header--span",
        "header--file",
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
        show on a narrow terminal too, so the file's name goes first, then the title is
        shortened (to TITLE_ROOM), then the span of dates goes, then the title is shortened
        further, then what is wrong is said in short, first to last (the filter's mistake
        may run off the end), then the count goes."""
        state = self._state
        if state is None:
            return
        style = self.get_component_rich_style
        title = Text(clean(state.title) or "timeline-tui", style("header--title", partial=True))
        span = Text()
        if state.first is not None and state.last is not None and state.end is not None:
            span = Text(
                f"  {span_label(state.first, state.last, state.end)}",
                style("header--span", partial=True),
            )
        count = Text(_count(state), style("header--count", partial=True))
        file = Text(
            f"  {clean(state.file)}" if state.file else "", style("header--file", partial=True)
        )
        width = self.content_size.width or 1_000_000
        found = _problems(state)
        cut = state.query_error is not None
        forms = [long for long, _, _ in found]
        for i, (_, short, _) in enumerate(found):
            if _fits(width, 8 + count.cell_len, forms, cut_last=cut):
                break
            forms[i] = short
        problems = Text(end="")
        for form, (_, _, name) in zip(forms, found, strict=True):
            problems.append(f"  {form}", style(name, partial=True))
        if found and not _fits(width, 8 + count.cell_len, forms, cut_last=cut):
            count = Text()  # on the narrowest screens, what is wrong matters more
        room = width - count.cell_len - problems.cell_len
        if title.cell_len + span.cell_len + file.cell_len > room:
            file = Text()  # what goes first: the title says which timeline it is
        if title.cell_len + span.cell_len > room >= span.cell_len + TITLE_ROOM:
            title.truncate(room - span.cell_len, overflow="ellipsis")
        if title.cell_len + span.cell_len > room:
            span = Text()
        if title.cell_len > room:
            title.truncate(max(room, 8), overflow="ellipsis")
        text = Text(no_wrap=True, end="")
        for part in (title, count, span, file, problems):
            text.append_text(part)
        # A Static wraps its text, and the second line would be hidden: cut it visibly.
        text.truncate(width, overflow="ellipsis")
        # One line high whatever it says (app.tcss): no need to lay the screen out again.
        self.update(text, layout=False)


def _count(state: HeaderState) -> str:
    if state.progress is not None:
        done, total = state.progress
        # Not "8,000 / 100,000 events": that is how a filter's matches read.
        loading = f"  loading… {done:,} of {total:,} events read"
        if state.query_shown:
            return f"  {state.shown:,} matching so far ·{loading[1:]}"
        return loading
    if state.loading:
        return "  loading…"
    noun = "event" if state.total == 1 else "events"  # "1 event", not "1 events"
    reloading = " · reloading…" if state.reloading else ""
    if state.shown == state.total and not state.query_shown:
        # A filter that keeps all still says it is on.
        return f"  {state.total:,} {noun}{reloading}"
    return f"  {state.shown:,} / {state.total:,} {noun}{reloading}"


def _fits(width: int, before: int, forms: list[str], *, cut_last: bool) -> bool:
    """Whether problems said in `forms` fit after `before` columns; with `cut_last`, the
    last (the filter's mistake, which says why first) may run off the end, cut with an
    ellipsis, if 20 columns of it show."""
    used = before + sum(cell_len(form) + 2 for form in forms)
    if used <= width or not (cut_last and forms):
        return used <= width
    last = cell_len(forms[-1])
    return used - last + min(last, 20) <= width


def _problems(state: HeaderState) -> list[tuple[str, str, str]]:
    """What is wrong: each in full, in short (which still sends the user to the problems
    (p) or the filter), and its component class."""
    found = []
    if state.stale:
        short = "⚠ last good version (p)" if state.older_shown else "⚠ not loaded (p)"
        found.append((f"⚠ {clean(state.stale)}", short, "header--error"))
    elif state.errors:
        errors = f"✗ {counted(state.errors, 'error')} (p)"
        full = errors
        if state.carried:
            # The events those errors leave out, shown as they were (see `core.carried`).
            carried = counted(state.carried, "event")
            full = f"✗ {counted(state.errors, 'error')}: {carried} shown as before (p)"
        found.append((full, errors, "header--error"))
    elif state.warnings:
        warnings = f"! {counted(state.warnings, 'warning')} (p)"
        found.append((warnings, warnings, "header--warning"))
    if state.query_error:
        mistake = f"✗ {filter_mistake(state.query_error, state.query_shown)}"
        found.append((mistake, "✗ filter", "header--error"))
    return found


def filter_mistake(error: str, shown: str) -> str:
    """A mistake in the filter, and which filter the list shows meanwhile (the last one
    that could be read)."""
    # ("the list shows “tag”" read as if the list showed that word: a user pass.)
    which = f"still filters by “{clean(shown)}”" if shown else "shows all events"
    return f"filter: {clean(error)}; the list {which}"
