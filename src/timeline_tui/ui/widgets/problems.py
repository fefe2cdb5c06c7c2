"""The problems panel: every diagnostic of the file, one per line; choosing one opens it."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from rich.style import Style
from rich.text import Text
from textual.binding import Binding
from textual.message import Message
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from timeline_tui.core.model import Diagnostic
from timeline_tui.core.wording import counted
from timeline_tui.ui.render import clean


class ProblemsPanel(OptionList):
    """Diagnostics as `LINE:COL severity message`, errors first; Enter opens the editor there."""

    COMPONENT_CLASSES = {"problems--error", "problems--warning", "problems--where"}
    BINDINGS = [
        Binding("escape", "screen.close_problems", "Close"),
        # Here, e opens the editor at the problem, as Enter does: at the list's event it
        # was somewhere else than the line the user was looking at.
        Binding("e", "select", "Edit"),
        Binding("j", "cursor_down", "Down", show=False),
        Binding("k", "cursor_up", "Up", show=False),
        Binding("g", "first", "First", show=False),
        Binding("G", "last", "Last", show=False),
        # As in the list (a user pass: only PageUp/PageDown moved a page here).
        Binding("ctrl+d,ctrl+f", "page_down", "Page down", show=False),
        Binding("ctrl+u,ctrl+b", "page_up", "Page up", show=False),
    ]

    @dataclass
    class Chosen(Message):
        diagnostic: Diagnostic

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.diagnostics: list[Diagnostic] = []
        self._laid_out_for = 0  # the width the options were last laid out again for

    def show(self, diagnostics: Sequence[Diagnostic]) -> None:
        previous = self.highlighted
        old = self.diagnostics
        chosen = old[previous] if previous is not None and previous < len(old) else None
        self.diagnostics = sorted(diagnostics, key=lambda d: (not d.is_error, d.pos.line))
        self.clear_options()
        options = []
        for index, diagnostic in enumerate(self.diagnostics):
            text = Text(no_wrap=False, end="")
            text.append(f"{diagnostic.pos.line}:{diagnostic.pos.col} ", self._style("where"))
            kind = "error" if diagnostic.is_error else "warning"
            text.append(f"{diagnostic.severity} ", self._style(kind))
            text.append(clean(diagnostic.message))
            options.append(Option(text, id=str(index)))
        self.add_options(options)
        if options:
            # Always have a problem highlighted: with none, the first Enter after `p` did
            # nothing. A reload keeps the problem highlighted, where the same one is left
            # (with others fixed above it, the row kept was another's: a user pass), else
            # the place in the list.
            self.highlighted = _same(self.diagnostics, chosen)
            if self.highlighted is None:
                self.highlighted = min(previous or 0, len(options) - 1)
            if (
                chosen is not None
                and not chosen.is_error
                and sum(d.is_error for d in self.diagnostics) > sum(d.is_error for d in old)
            ):
                # A new error comes before a warning: `p` Enter opened the warning kept,
                # while the error just made was what to fix (a user pass).
                self.highlighted = 0
        errors = sum(d.is_error for d in diagnostics)
        warnings = len(diagnostics) - errors
        self.border_title = (
            f"Problems: {counted(errors, 'error')}, {counted(warnings, 'warning')}"
            " — Enter opens the editor"
        )

    def on_resize(self) -> None:
        # OptionList wraps its options for the width it had: grown wider, the panel kept
        # the lines of the narrow one, and a scroll bar over half of them. (Only for a new
        # width: 20,000 problems take seconds to lay out.)
        if self.size.width != self._laid_out_for:
            self._laid_out_for = self.size.width
            self.show(self.diagnostics)

    def _style(self, name: str) -> Style:
        # Partial: the full style carries the panel's background, which painted over the
        # highlight bar behind "LINE:COL severity" on the selected problem.
        return self.get_component_rich_style(f"problems--{name}", partial=True)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option_id is not None:
            self.post_message(self.Chosen(self.diagnostics[int(event.option_id)]))


def _same(diagnostics: list[Diagnostic], chosen: Diagnostic | None) -> int | None:
    """Where `chosen` is among `diagnostics`: the one that says the same, nearest its line
    (an edit above moves it)."""
    if chosen is None:
        return None
    same = [
        i
        for i, d in enumerate(diagnostics)
        if d.message == chosen.message and d.severity == chosen.severity
    ]
    return min(same, key=lambda i: abs(diagnostics[i].pos.line - chosen.pos.line), default=None)
