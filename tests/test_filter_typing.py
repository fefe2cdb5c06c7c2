"""Text pasted into the app's text boxes (the filter, the export's file name) arrives whole,
on one line: Textual's Input keeps only a paste's first line."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from textual import events
from textual.widgets import Input

from conftest import EVENTS, loaded, still_app, wait_until
from timeline_tui.ui.screens.export_dialog import ExportDialog
from timeline_tui.ui.widgets.typed_input import one_line

SIZE = (120, 40)


@pytest.mark.parametrize(
    ("pasted", "line"),
    [
        ("Claude\nCode over GitHub", "Claude Code over GitHub"),
        ("a\r\nb\rc\td", "a b c d"),
        ("wrapped \n   line", "wrapped line"),  # a line's end and the next one's indent
        ("two\n\nparagraphs", "two paragraphs"),
        ("notes.md\n", "notes.md"),  # a copied line's newline, not a space
        ("\r\n notes.md \r\n", "notes.md"),
        ("  spaces  ", "  spaces  "),  # only breaks change
        ("a\u2028b\x85c", "a b c"),  # the other breaks str.splitlines knows
        ("\n", ""),
        ("", ""),
    ],
)
def test_one_line(pasted: str, line: str) -> None:
    assert one_line(pasted) == line


async def test_a_paste_of_several_lines_goes_into_the_filter_whole() -> None:
    app = still_app(EVENTS)
    async with app.run_test(size=SIZE) as pilot:
        await loaded(pilot)
        box = app.main.query_one("#filter", Input)
        await pilot.press("slash")
        app.post_message(events.Paste("Claude\nCode over GitHub"))
        await pilot.pause()
        assert box.value == "Claude Code over GitHub"
        assert box.cursor_position == len(box.value)
        assert [e.id for e in app.main.view.events] == ["claude-code-order"]

        await pilot.press("home")  # a paste goes in at the cursor
        app.post_message(events.Paste("windows\r\nteams "))
        await pilot.pause()
        assert box.value == "windows teams Claude Code over GitHub"
        assert box.cursor_position == len("windows teams ")
        assert [e.id for e in app.main.view.events] == ["claude-code-order"]


async def test_a_file_name_pasted_with_line_breaks_is_one_line(
    tmp_path: Path, events_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    app = still_app(events_copy)
    async with app.run_test(size=SIZE) as pilot:
        await loaded(pilot)
        await pilot.press("x")
        assert isinstance(app.screen, ExportDialog)
        box = app.screen.query_one("#export-path", Input)
        box.value = ""
        app.post_message(events.Paste("my\nnotes.md\n"))
        await pilot.pause()
        assert box.value == "my notes.md"
        await pilot.press("enter")
        assert await wait_until(pilot, (tmp_path / "my notes.md").exists)


def test_a_paste_with_a_long_run_of_spaces_is_quick() -> None:
    # The break pattern went back over every run of spaces with no break after it: 36 s
    # for 100,000 (found by a review). Timed loosely.
    start = time.perf_counter()
    assert one_line("a" + " " * 30_000 + "b") == "a" + " " * 30_000 + "b"
    assert time.perf_counter() - start < 1


async def test_a_filter_longer_than_its_box_scrolls_to_its_cursor() -> None:
    # The box no longer lays the screen out again at each keystroke (its `virtual_size`):
    # the text it scrolls over must follow the cursor all the same.
    app = still_app(EVENTS)
    async with app.run_test(size=(60, 20)) as pilot:
        await loaded(pilot)
        box = app.main.query_one("#filter", Input)
        words = "microsoft openai partnership restructuring anthropic nvidia end"
        await pilot.press("slash", *words)
        await pilot.pause()
        assert box.render_line(0).text.rstrip().endswith("nvidia end")
        await pilot.press("home")
        await pilot.pause()
        assert box.render_line(0).text.strip().startswith("microsoft openai")
