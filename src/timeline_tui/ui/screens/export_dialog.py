"""The export dialog: where to write the Markdown; asks before overwriting anything."""

from __future__ import annotations

import os
from pathlib import Path

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label

from timeline_tui.core.writing import names_folder, not_a_file, same_file
from timeline_tui.ui.render import clean
from timeline_tui.ui.widgets.typed_input import TypedInput


class ExportDialog(ModalScreen[Path | None]):
    """Dismisses with the chosen path, or None when cancelled."""

    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(
        self,
        timeline_path: Path,
        warning: str | None = None,
        *,
        name: str | None = None,
        error: str | None = None,
    ) -> None:
        """`warning`: what the user must know before exporting (it stays shown). `name`
        and `error`: the name an export failed to write, and why, to mend it."""
        super().__init__()
        self.timeline_path = timeline_path
        self.warning = warning
        # The timeline's own name: with several timelines in a folder, one name for all
        # sent every export to the same file (a user pass).
        self.file_name = name or f"{timeline_path.stem}.md"
        self.error = error
        self.confirming: Path | None = None

    def compose(self) -> ComposeResult:
        with Vertical(id="export-box") as box:
            box.border_title = "Export the events shown to Markdown"
            if self.warning is not None:
                yield Label(Text(clean(self.warning)), id="export-warning")
            # A name alone goes in the folder the app was started from, as on the command
            # line: said, since it need not be the timeline's.
            yield Label(Text(_write_to()), id="export-label")
            # The default name is selected at first, as in a Save As dialog: a name typed
            # replaces it. Back in the box, the cursor is at the end of the name, as in a
            # shell: `.md` typed after "That file exists" once replaced the whole name.
            yield TypedInput(value=self.file_name, id="export-path", select_on_focus=False)
            yield Label("", id="export-message")
            with Horizontal(id="export-buttons"):
                yield Button("Export", variant="primary", id="export-ok")
                yield Button("Cancel", id="export-cancel")

    def on_mount(self) -> None:
        path = self.query_one("#export-path", Input)
        path.focus()
        if self.error is None:
            path.select_all()
        else:
            self._say(self.error, error=True)

    def _say(self, text: str, *, error: bool = False) -> None:
        label = self.query_one("#export-message", Label)
        # Text, never markup; clean() too, like every other message, should one ever quote
        # a path or an error from the disk.
        label.update(Text(clean(text)))
        label.set_class(error, "error")

    @on(Input.Changed, "#export-path")
    def path_changed(self, event: Input.Changed) -> None:
        if self.error is not None and event.value == self.file_name:
            return  # the box filled in with the name the error is about: it stays said
        self.error = None
        self.confirming = None
        self.query_one("#export-ok", Button).label = "Export"
        self._say("")

    @on(Input.Submitted, "#export-path")
    @on(Button.Pressed, "#export-ok")
    def submit(self) -> None:
        path = self.query_one("#export-path", Input)
        path.action_end()  # what is typed next mends the name: it goes on from its end
        raw = path.value.strip()
        if not raw:
            self._say("Type a file name.", error=True)
            return
        target = Path(os.path.expanduser(raw))
        if same_file(target, self.timeline_path):
            self._say("That is the timeline itself: choose another file.", error=True)
            return
        kind = not_a_file(target)
        if kind == "a folder" or names_folder(raw):
            self._say("That is a folder: add a file name.", error=True)
            return
        if kind is not None:
            # A pipe would block the export until something reads it; a device is no file.
            self._say(f"That is {kind}, not a file: choose a file name.", error=True)
            return
        if not os.path.isdir(target.parent):
            # Said here, where the name can be mended, not after the dialog has closed.
            folder = target.parent
            if os.path.lexists(folder):
                self._say(f"{folder} is a file, not a folder: choose another name.", error=True)
            else:
                self._say(f"There is no folder {folder}: create it, or choose another.", error=True)
            return
        exists = os.path.lexists(target)
        # Markdown under a timeline's name (a slip of the hand: a user pass wrote it over
        # a .yaml file beside the one open, with nothing said).
        timeline_name = target.suffix.lower() in (".yaml", ".yml")
        if (exists or timeline_name) and self.confirming != target:
            self.confirming = target
            self.query_one("#export-ok", Button).label = "Overwrite" if exists else "Write"
            if not timeline_name:
                said = "That file exists. Press Enter again to overwrite it."
            elif exists:
                said = (
                    f"That file exists, and its name ends in {target.suffix}, as a timeline's "
                    "does. Press Enter again to overwrite it with Markdown."
                )
            else:
                said = (
                    f"That name ends in {target.suffix}, as a timeline's does, and the export "
                    "is Markdown. Press Enter again to write it there all the same."
                )
            self._say(said, error=True)
            return
        self.dismiss(target)

    @on(Button.Pressed, "#export-cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)


def _write_to() -> str:
    try:
        folder = Path.cwd()
    except OSError:  # the folder the app was started from is gone
        return "Write to:"
    return f"Write to (from {clean(_short(folder))}):"


def _short(folder: Path) -> str:
    """A folder as a person reads it: `~/story` rather than `/home/ana/story`."""
    home = Path.home()
    if folder == home:
        return "~"
    if home in folder.parents:
        return os.path.join("~", folder.relative_to(home))
    return str(folder)
