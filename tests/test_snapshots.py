"""SVG snapshots that pin each screen of the explorer.

After a deliberate change to the UI (or a Textual upgrade), regenerate them with
`pytest tests/test_snapshots.py --snapshot-update`, then look at the new SVGs in
tests/__snapshots__/ before committing them.
"""

from __future__ import annotations

from pathlib import Path

from conftest import DATA, EVENTS, TODAY, loaded
from timeline_tui.ui.app import TimelineApp, make_app

SIZE = (120, 40)


def app_for(path: Path) -> TimelineApp:
    # No watching: a snapshot must not race a file watcher's thread.
    return make_app(path, today=TODAY, watch=False)


def test_timeline(snap_compare) -> None:  # type: ignore[no-untyped-def]
    assert snap_compare(app_for(EVENTS), terminal_size=SIZE, run_before=loaded)


def test_expanded_event_with_quotes_and_figures(snap_compare) -> None:  # type: ignore[no-untyped-def]
    # The fourth event, Microsoft's stake in OpenAI: three quotes and two figures.
    assert snap_compare(
        app_for(EVENTS), press=["j", "j", "j", "enter"], terminal_size=SIZE, run_before=loaded
    )


def test_filter(snap_compare) -> None:  # type: ignore[no-untyped-def]
    assert snap_compare(
        app_for(EVENTS),
        press=["slash", *"Suleyman", "enter"],
        terminal_size=SIZE,
        run_before=loaded,
    )


def test_problems_panel(snap_compare) -> None:  # type: ignore[no-untyped-def]
    # Errors open the panel by themselves; the file has two errors and a warning.
    assert snap_compare(app_for(DATA / "mistakes.yaml"), terminal_size=SIZE, run_before=loaded)


def test_help(snap_compare) -> None:  # type: ignore[no-untyped-def]
    assert snap_compare(
        app_for(EVENTS), press=["question_mark"], terminal_size=SIZE, run_before=loaded
    )


def test_narrow_terminal(snap_compare) -> None:  # type: ignore[no-untyped-def]
    assert snap_compare(
        app_for(EVENTS), press=["j", "enter"], terminal_size=(60, 30), run_before=loaded
    )
