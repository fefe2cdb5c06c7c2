"""The Textual app, and `make_app()`, the one factory the CLI, tests and screenshots use."""

from __future__ import annotations

import datetime as dt
import subprocess
from collections.abc import Callable, Iterable
from pathlib import Path

from textual.app import App, SystemCommand
from textual.screen import Screen

from timeline_tui.ui.commands import JumpToEvent
from timeline_tui.ui.render import clean
from timeline_tui.ui.screens.main import MainScreen

EditorRunner = Callable[[list[str]], int | None]


class TimelineApp(App[None]):
    """Explore one timeline file."""

    CSS_PATH = Path(__file__).with_name("app.tcss")
    TITLE = "timeline-tui"
    COMMANDS = App.COMMANDS | {JumpToEvent}
    ENABLE_COMMAND_PALETTE = True

    def __init__(
        self,
        path: Path,
        *,
        today: dt.date | None = None,
        watch: bool = True,
        editor: EditorRunner | None = None,
        cache: bool = True,
    ) -> None:
        super().__init__()
        self.path = path
        self.today = today or dt.date.today()
        self.watch_file = watch
        self.use_cache = cache
        self._editor = editor

    def on_mount(self) -> None:
        self.push_screen(MainScreen(self.path))

    @property
    def main(self) -> MainScreen:
        return next(s for s in self.screen_stack if isinstance(s, MainScreen))

    def run_editor(self, argv: list[str]) -> int | None:
        """Run the editor with the terminal handed over to it (tests pass a fake)."""
        if self._editor is not None:
            return self._editor(argv)
        with self.suspend():
            try:
                return subprocess.call(argv)
            except OSError as exc:
                # $EDITOR comes from outside like the file does: shown only through clean().
                message = clean(f"cannot run {argv[0]}: {exc.strerror}")
                self.notify(message, severity="error", markup=False)
                return None

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        main = self.main
        view = main.view
        yield SystemCommand("Filter", "Filter events (/)", main.action_filter)
        yield SystemCommand("Expand all", "Expand every event shown (+)", view.action_expand_all)
        yield SystemCommand("Collapse all", "Collapse every event (-)", view.action_collapse_all)
        yield SystemCommand("Jump to today", "Move to the 'now' line (t)", view.action_now)
        yield SystemCommand("First event", "Go to the first event (g)", view.action_first)
        yield SystemCommand("Last event", "Go to the last event (G)", view.action_last)
        yield SystemCommand("Edit event", "Open $EDITOR at this event (e)", main.action_edit)
        yield SystemCommand("Add event", "Append an event and edit it (a)", main.action_add)
        yield SystemCommand("Reload", "Read the file again (r)", main.action_reload)
        yield SystemCommand("Export to Markdown", "Write the events shown (x)", main.action_export)
        yield SystemCommand("Problems", "Show or hide the problems panel (p)", main.action_problems)
        yield SystemCommand("Help", "Every key and the filter language (?)", main.action_help)


def make_app(
    path: str | Path,
    *,
    today: dt.date | None = None,
    watch: bool = True,
    editor: EditorRunner | None = None,
    cache: bool = True,
) -> TimelineApp:
    """The app on one timeline file. `cache=False` never reads or writes the load cache."""
    return TimelineApp(Path(path), today=today, watch=watch, editor=editor, cache=cache)
