"""The help screen: every key, the status marks, and the filter language."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from timeline_tui.ui.render import (
    CARRIED_HELP,
    CARRIED_MARK,
    STATUS_HELP,
    STATUS_MARKS,
    UNKNOWN_STATUS_HELP,
    UNKNOWN_STATUS_MARK,
)
from timeline_tui.ui.widgets.timeline_view import EXPAND_ALL_LIMIT

KEYS: list[tuple[str, str]] = [
    ("j / k, ↓ / ↑", "next / previous event; with a count first, as in vi, that many (5j)"),
    ("g / G, Home / End", "first / last event; with a count, the event at that place (3G)"),
    ("PageUp / PageDown", "a page up / down (also ctrl+b / ctrl+f)"),
    ("ctrl+u / ctrl+d", "half a page up / down"),
    ("ctrl+y / ctrl+e", "scroll a line up / down, keeping the cursor in sight"),
    ("H / M / L", "the event at the top / middle / foot of the screen"),
    ("zt / zz / zb", "scroll the cursor's row to the top / middle / foot of the screen"),
    (
        "Enter, Space",
        "expand or collapse the event (summary, quotes, figures, sources, related events)",
    ),
    ("+ / -", f"expand all ({EXPAND_ALL_LIMIT:,} events at most: filter first) / collapse all"),
    ("t", "jump to the 'now' line (today)"),
    ("[ / ]", "previous / next year, or decade or century heading"),
    ("/", "filter; Enter (or Down) keeps it, Escape clears it"),
    ("n / N", "next / previous match of the filter, round the end"),
    ("e", "open $VISUAL / $EDITOR at the event's line"),
    ("a", "add an event from a template and open the editor on it"),
    ("r", "reload the file now (it also reloads when saved)"),
    ("x", "export the events shown to Markdown"),
    (
        "p",
        "show / hide the problems (go into them, when a load has opened them); Enter on one "
        "opens the editor there, Escape closes",
    ),
    (
        "ctrl+p",
        "command palette: every action, and jump to an event by title (words in any order, "
        "any case or accents)",
    ),
    ("?", "this help"),
    ("q", "quit"),
]

FILTER: list[tuple[str, str]] = [
    ("suleyman modele", "events containing all the words (any case, any accents)"),
    ('"plan B"', "an exact phrase"),
    ("#finance", "events with that tag"),
    ("@openai", "events about that actor (part of a name is enough)"),
    ("since:2025-10 until:2026", "events that reach into that range (any date form)"),
    ("status:forecast,expected", "events with one of these statuses"),
    ("-#finance  -status:forecast", "leave out what a word, tag, actor or status selects"),
    ("-since:2026", "leave out the events that reach into 2026 or later"),
]


def help_text() -> Table:
    table = Table.grid(padding=(0, 2))
    table.add_column(style="bold", no_wrap=True)
    table.add_column()
    table.add_row(Text("Keys", style="bold underline"), "")
    for key, what in KEYS:
        table.add_row(key, what)
    table.add_row("", "")
    table.add_row(Text("Status marks", style="bold underline"), "")
    for status, mark in STATUS_MARKS.items():
        table.add_row(mark, STATUS_HELP[status])
    table.add_row(UNKNOWN_STATUS_MARK, UNKNOWN_STATUS_HELP)
    table.add_row(CARRIED_MARK, CARRIED_HELP)
    table.add_row("", "")
    table.add_row(Text("Filter", style="bold underline"), "")
    for example, what in FILTER:
        table.add_row(example, what)
    table.add_row("", "")
    table.add_row(Text("Dates", style="bold underline"), "")
    table.add_row("2026?  ~2026", "uncertain / approximate, as written in the file")
    table.add_row("?–13 Feb 2026", "a start that is not known, ending on 13 Feb 2026")
    return table


class HelpBody(VerticalScroll):
    """The help's scrolling box: the list's vi keys scroll it too, kept out of the footer
    (the help names the keys of the list, not its own)."""

    BINDINGS = [
        Binding("j", "scroll_down", "Scroll down", show=False),
        Binding("k", "scroll_up", "Scroll up", show=False),
        Binding("g", "scroll_home", "Top", show=False),
        Binding("G", "scroll_end", "Bottom", show=False),
        Binding("ctrl+b", "page_up", "Page up", show=False),
        Binding("ctrl+f", "page_down", "Page down", show=False),
        Binding("ctrl+u", "half_page(-1)", "Half a page up", show=False),
        Binding("ctrl+d", "half_page(1)", "Half a page down", show=False),
        Binding("ctrl+y", "scroll_up", "Scroll up", show=False),
        Binding("ctrl+e", "scroll_down", "Scroll down", show=False),
    ]

    def action_half_page(self, direction: int) -> None:
        half = max(1, self.scrollable_content_region.height // 2)
        self.scroll_relative(y=direction * half, animate=False)


class HelpScreen(ModalScreen[None]):
    BINDINGS = [
        Binding("escape,q,question_mark", "dismiss", "Close", priority=True),
    ]

    def compose(self) -> ComposeResult:
        with HelpBody(id="help-body") as body:
            body.border_title = "timeline-tui help"
            body.border_subtitle = "j / k scroll · Escape closes"
            yield Static(help_text(), id="help-text")
