"""The problems panel: every diagnostic of the file, one per line; choosing one opens it."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from rich.text import Text
from textual.message import Message
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from timeline_tui.core.model import Diagnostic
from timeline_tui.ui.render import clean


class ProblemsPanel(OptionList):
    """Diagnostics as `LINE:COL severity message`, errors first; Enter opens the editor there."""

    COMPONENT_CLASSES = {"problems--error", "problems--warning", "problems--where"}

    @dataclass
    class Chosen(Message):
        diagnostic: Diagnostic

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.diagnostics: list[Diagnostic] = []

    def show(self, diagnostics: Sequence[Diagnostic]) -> None:
        self.diagnostics = sorted(diagnostics, key=lambda d: (not d.is_error, d.pos.line))
        self.clear_options()
        style = self.get_component_rich_style
        options = []
        for index, diagnostic in enumerate(self.diagnostics):
            text = Text(no_wrap=False, end="")
            text.append(f"{diagnostic.pos.line}:{diagnostic.pos.col} ", style("problems--where"))
            kind = "problems--error" if diagnostic.is_error else "problems--warning"
            text.append(f"{diagnostic.severity} ", style(kind))
            text.append(clean(diagnostic.message))
            options.append(Option(text, id=str(index)))
        self.add_options(options)
        self.border_title = (
            f"Problems: {sum(d.is_error for d in diagnostics)} errors, "
            f"{sum(not d.is_error for d in diagnostics)} warnings — Enter opens the editor"
        )

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option_id is not None:
            self.post_message(self.Chosen(self.diagnostics[int(event.option_id)]))
