"""Shared by the UI tests: a fixed "today", the files they open, and waiting for the app.

Everything here is plain Python: the core tests that share this folder never import Textual
through it.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import time
from array import array
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from timeline_tui.core.blocks import split_events

if TYPE_CHECKING:
    from textual.pilot import Pilot

    from timeline_tui.ui.app import TimelineApp

TESTS = Path(__file__).resolve().parent
ROOT = TESTS.parent
EVENTS = ROOT / "events.yaml"
DATA = TESTS / "data"
CORPUS = TESTS / "corpus"
# The "now" line, relative dates and the add-event template all depend on today.
TODAY = dt.date(2026, 11, 26)


@pytest.fixture(autouse=True)
def private_cache(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """No test reads or writes the user's own cache of loaded timelines."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path_factory.mktemp("cache")))


@pytest.fixture(scope="session")
def plain_vi_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("bin")
    vi = folder / "vi"
    vi.write_text("#!/bin/sh\nexit 0\n")
    vi.chmod(0o755)
    return folder


@pytest.fixture(autouse=True)
def plain_vi(plain_vi_folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """`vi` is a vi of its own, whatever the machine's is: on most Linux systems a link to
    vim, which is given the column too (`core.editor`)."""
    monkeypatch.setenv("PATH", f"{plain_vi_folder}{os.pathsep}{os.environ.get('PATH', '')}")


@pytest.fixture
def events_copy(tmp_path: Path) -> Path:
    """A private copy of events.yaml for tests that may write (never the repo's file)."""
    target = tmp_path / "events.yaml"
    shutil.copyfile(EVENTS, target)
    return target


def still_app(path: Path) -> TimelineApp:
    """The app on `path`, without watching the file, and with an editor that does nothing."""
    from timeline_tui.ui.app import make_app  # here: the core tests never import Textual

    return make_app(path, today=TODAY, watch=False, editor=lambda argv: 0)


async def wait_until(
    pilot: Pilot[Any], predicate: Callable[[], object], timeout: float = 3.0
) -> bool:
    """Let the app run until `predicate()` is true; False if `timeout` seconds pass first."""
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            return False
        await pilot.pause(0.02)
    return True


async def loaded(pilot: Pilot[Any], timeout: float = 3.0) -> None:
    """Wait for the first load of the file to be on screen (good or not)."""
    main = pilot.app.main  # type: ignore[attr-defined]
    assert await wait_until(
        pilot, lambda: main.result is not None and not main.view.loading, timeout
    ), "the file did not load in time"
    await pilot.pause()


def view_text(view: Any) -> str:
    """What the timeline view shows now, one screen row per line, trailing blanks dropped."""
    rows = (view.render_line(y).text.rstrip() for y in range(view.size.height))
    return "\n".join(rows).rstrip()


def widget_text(widget: Any) -> str:
    """The plain text a widget (the header, a label, the help) draws, padding included."""
    from textual.geometry import Region

    strips = widget.render_lines(Region(0, 0, *widget.outer_size))
    return "\n".join(strip.text.rstrip() for strip in strips).rstrip()


@pytest.fixture
def gone_cwd(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A test run from a working folder that has since been deleted."""
    gone = tmp_path / "gone"
    gone.mkdir()
    monkeypatch.chdir(gone)
    gone.rmdir()


def block_starts(text: str) -> tuple[bytes, array[int]]:
    """A timeline's text as bytes, and the byte where each of its event blocks starts."""
    split = split_events(text)
    assert split is not None and split.blocks
    encoded = text.encode("utf-8", "surrogatepass")
    starts, at = array("q"), len(text[: split.start].encode("utf-8", "surrogatepass"))
    for block in split.blocks:
        starts.append(at)
        at += block.size(block.text.encode("utf-8", "surrogatepass")) + 1
    return encoded, starts
