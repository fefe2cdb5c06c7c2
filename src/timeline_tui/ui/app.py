"""The Textual app, and `make_app()`, the one factory the CLI, tests and screenshots use."""

from __future__ import annotations

import datetime as dt
import gc
import os
import shutil
import subprocess
import time
from collections.abc import Callable, Iterable
from functools import partial
from pathlib import Path
from typing import Any

from platformdirs import user_downloads_path
from textual import events
from textual.app import App, SystemCommand
from textual.command import CommandPalette
from textual.screen import Screen

from timeline_tui.ui.commands import JumpToEvent
from timeline_tui.ui.render import clean
from timeline_tui.ui.screens.main import MainScreen

EditorRunner = Callable[[list[str]], int | None]

IDLE_CHECK = 30.0  # seconds between checks
IDLE_FOR = 10.0  # no key or click for this long
COLLECT_EVERY = 300.0


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
        example: bool = False,
    ) -> None:
        super().__init__()
        self.path = path
        # The timeline shipped with the package, opened for want of one: shown, never
        # changed (it is the package's file, not the user's).
        self.example = example
        self.today = today or dt.date.today()
        self.watch_file = watch
        self.use_cache = cache
        self._editor = editor
        # Set by `exit`: a load under way then gives up (see `Session.load`).
        self.quitting = False

    def on_mount(self) -> None:
        self.push_screen(MainScreen(self.path))
        self._last_input = time.monotonic()
        # Keys pressed and mouse buttons pressed, counted: `e` waiting for a reload gives up
        # when the user has gone on to something else.
        self.inputs = 0
        self._last_collection = time.monotonic()
        self.set_interval(IDLE_CHECK, self._collect_when_idle)

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, events.Key | events.MouseDown):
            self._last_input = time.monotonic()
            self.inputs += 1
        await super().on_event(event)

    def _collect_when_idle(self) -> None:
        """Loads freeze what survives them, so that the collector never walks 100k events
        in the middle of a key press; objects that become cyclic garbage later (a closed
        dialog, an old screen) would then stay frozen. Now and then, while nobody types,
        thaw everything, collect, and freeze again."""
        now = time.monotonic()
        if now - self._last_input < IDLE_FOR or now - self._last_collection < COLLECT_EVERY:
            return
        self._last_collection = now
        gc.unfreeze()
        gc.collect()
        gc.freeze()

    def exit(self, *args: Any, **kwargs: Any) -> None:
        # The app cannot end before a load's thread does: a long first load must stop.
        self.quitting = True
        super().exit(*args, **kwargs)

    def deliver_screenshot(
        self, filename: str | None = None, path: str | None = None, time_format: str | None = None
    ) -> str | None:
        # Textual saves screenshots in the Downloads folder, and where there is none (a
        # server, a container) only says that it failed: the folder the app was started
        # from is then where a person looks for it.
        if path is None and not user_downloads_path().is_dir():
            path = os.getcwd()
        return super().deliver_screenshot(filename, path, time_format)

    @property
    def main(self) -> MainScreen:
        return next(s for s in self.screen_stack if isinstance(s, MainScreen))

    def editor_problem(self, argv: list[str]) -> str | None:
        """Why the editor cannot be run, or None: asked before a file is changed for it."""
        if self._editor is not None or shutil.which(argv[0]):
            return None
        variable = "$VISUAL" if os.environ.get("VISUAL") else "$EDITOR"  # as editor_argv
        return clean(f"cannot run {argv[0]}: no such program; set {variable} to an editor you have")

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

    def action_command_palette(self) -> None:
        # As `App.action_command_palette`, with a placeholder that says what is typed also
        # finds events by their titles (the palette opens on the commands alone).
        if self.use_command_palette and not CommandPalette.is_open(self):
            self.push_screen(
                CommandPalette(
                    id="--command-palette",
                    placeholder="Search for commands, or for an event by words of its title…",
                )
            )

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        main = self.main
        view = main.view
        yield SystemCommand("Filter", "Filter events (/)", main.action_filter)
        yield SystemCommand(
            "Clear filter", "Show every event again (Escape)", main.action_filter_clear
        )
        yield SystemCommand(
            "Expand or collapse",
            "Open or close the event at the cursor (Enter)",
            view.action_toggle,
        )
        yield SystemCommand("Expand all", "Expand every event shown (+)", view.action_expand_all)
        yield SystemCommand("Collapse all", "Collapse every event (-)", view.action_collapse_all)
        yield SystemCommand("Jump to today", "Move to the 'now' line (t)", view.action_now)
        yield SystemCommand(
            "Next match", "The next event the filter found (n)", partial(view.action_next_match, 1)
        )
        yield SystemCommand(
            "Previous match",
            "The event the filter found before this one (N)",
            partial(view.action_next_match, -1),
        )
        yield SystemCommand("First event", "Go to the first event (g)", view.action_first)
        yield SystemCommand("Last event", "Go to the last event (G)", view.action_last)
        yield SystemCommand("Previous year", "Go to the year before ([)", view.action_previous_year)
        yield SystemCommand("Next year", "Go to the year after (])", view.action_next_year)
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
    example: bool = False,
) -> TimelineApp:
    """The app on one timeline file. `cache=False` never reads or writes the load cache;
    `example`: the file is the bundled example, which the app does not change."""
    return TimelineApp(
        Path(path), today=today, watch=watch, editor=editor, cache=cache, example=example
    )
