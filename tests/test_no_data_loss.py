"""Export and `a` never lose what the user wrote: the file keeps its bytes, permissions,
links and line endings; the input is never overwritten; a full disk or a read-only folder
gets a clear message and changes nothing."""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

import pytest
from textual.widgets import Input, Label

from conftest import TODAY, loaded, wait_until, widget_text
from timeline_tui.cli import main
from timeline_tui.core import writing
from timeline_tui.ui.app import TimelineApp, make_app
from timeline_tui.ui.screens.export_dialog import ExportDialog

SIZE = (120, 40)
BASE = "title: T\nevents:\n  - date: 2025\n    title: First\n    sources: [s]\n"


def app_for(path: Path, calls: list[list[str]], seen: list[bytes] | None = None) -> TimelineApp:
    """The app on `path`, its editor recording each argv in `calls` and, in `seen`, the
    file's bytes as the editor found them (it then quits without saving)."""

    def editor(argv: list[str]) -> None:
        calls.append(argv)
        if seen is not None:
            seen.append(path.read_bytes())

    return make_app(path, today=TODAY, watch=False, cache=False, editor=editor)


def messages(app: TimelineApp) -> str:
    return "\n".join(n.message for n in app._notifications)


@pytest.fixture
def timeline(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("EDITOR", "vi")
    monkeypatch.delenv("VISUAL", raising=False)
    monkeypatch.chdir(tmp_path)
    path = tmp_path / "notes.yaml"
    path.write_text(BASE, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("name", "text"),
    [
        ("crlf-bom", "\ufeff" + BASE.replace("\n", "\r\n")),
        ("no-final-newline", BASE.rstrip("\n")),
    ],
)
async def test_adding_an_event_keeps_every_byte_the_mode_and_the_line_ends(
    timeline: Path, name: str, text: str
) -> None:
    timeline.write_bytes(text.encode("utf-8"))
    timeline.chmod(0o640)
    calls: list[list[str]] = []
    seen: list[bytes] = []
    app = app_for(timeline, calls, seen)
    async with app.run_test(size=SIZE) as pilot:
        await loaded(pilot)
        await pilot.press("a")
        assert await wait_until(pilot, lambda: calls)
        # Never saved in the editor, the event is taken out again: every byte as it was.
        assert await wait_until(pilot, lambda: timeline.read_bytes() == text.encode("utf-8"))
    new = seen[0].decode("utf-8")
    assert stat.S_IMODE(timeline.stat().st_mode) == 0o640
    assert new.startswith(text.rstrip("\r\n"))
    assert "New event" in new
    if "\r\n" in text:
        assert new.startswith("\ufeff") and "\n" not in new.replace("\r\n", "")


async def test_adding_an_event_through_a_symlink_keeps_the_link(timeline: Path) -> None:
    link = timeline.with_name("link.yaml")
    link.symlink_to(timeline.name)
    calls: list[list[str]] = []
    seen: list[bytes] = []
    app = app_for(link, calls, seen)
    async with app.run_test(size=SIZE) as pilot:
        await loaded(pilot)
        await pilot.press("a")
        assert await wait_until(pilot, lambda: calls)
        assert await wait_until(pilot, lambda: timeline.read_text() == BASE)  # taken back
    assert link.is_symlink()
    assert b"New event" in seen[0]


@pytest.mark.parametrize(
    ("code", "words"),
    [(errno.ENOSPC, "disk is full"), (errno.EROFS, "read-only"), (errno.EACCES, "permission")],
)
async def test_a_failed_write_changes_nothing_and_says_why(
    timeline: Path, monkeypatch: pytest.MonkeyPatch, code: int, words: str
) -> None:
    def failing(*args: object, **kwargs: object) -> None:
        raise OSError(code, os.strerror(code))

    monkeypatch.setattr(writing.os, "replace", failing)
    before = timeline.read_bytes()
    calls: list[list[str]] = []
    app = app_for(timeline, calls)
    async with app.run_test(size=SIZE) as pilot:
        await loaded(pilot)
        await pilot.press("a")
        assert await wait_until(pilot, lambda: words in messages(app))
        await pilot.press("x")
        await pilot.press("enter")

        def in_the_dialog() -> str:  # a failed export opens it again, saying why
            if not isinstance(app.screen, ExportDialog):
                return ""
            return widget_text(app.screen.query_one("#export-message", Label))

        assert await wait_until(pilot, lambda: words in in_the_dialog())
    assert calls == []  # no editor on a file that was not written
    assert timeline.read_bytes() == before
    assert sorted(p.name for p in timeline.parent.iterdir()) == ["notes.yaml"]


@pytest.mark.parametrize("kind", ["symlink", "hardlink", "dot-path"])
async def test_export_refuses_the_timeline_under_any_name(timeline: Path, kind: str) -> None:
    if kind == "symlink":
        other = timeline.with_name("alias.md")
        other.symlink_to(timeline.name)
    elif kind == "hardlink":
        other = timeline.with_name("hard.md")
        os.link(timeline, other)
    else:
        other = Path("./sub/../notes.yaml")
        (timeline.parent / "sub").mkdir()
    before = timeline.read_bytes()
    app = app_for(timeline, [])
    async with app.run_test(size=SIZE) as pilot:
        await loaded(pilot)
        await pilot.press("x")
        assert isinstance(app.screen, ExportDialog)
        app.screen.query_one("#export-path", Input).value = str(other)
        await pilot.press("enter", "enter")
        assert isinstance(app.screen, ExportDialog)
        assert "timeline itself" in widget_text(app.screen.query_one("#export-message", Label))
    assert timeline.read_bytes() == before


def test_cli_export_over_an_existing_file_keeps_its_mode(timeline: Path) -> None:
    out = timeline.with_name("out.md")
    out.write_text("old")
    out.chmod(0o604)
    assert main(["export", str(timeline), "-o", str(out), "--force"]) == 0
    assert stat.S_IMODE(out.stat().st_mode) == 0o604
    assert out.read_text().startswith("# T")


@pytest.mark.parametrize("when", ["reading", "writing"])
async def test_quitting_while_a_adds_an_event_leaves_the_file_as_it_was(
    timeline: Path, monkeypatch: pytest.MonkeyPatch, when: str
) -> None:
    # On a big file `a` takes seconds before the editor opens: `q` then quit the app and
    # left the template in the file, unseen (found by a user pass).
    from timeline_tui.ui.screens import main as screen

    before = timeline.read_bytes()
    calls: list[list[str]] = []
    app = app_for(timeline, calls)
    if when == "reading":
        append = screen.appending.append_event

        def slow_append(*args: object) -> object:
            app.quitting = True  # `q` pressed meanwhile
            return append(*args)  # type: ignore[arg-type]

        monkeypatch.setattr(screen.appending, "append_event", slow_append)
    else:
        write = screen.write_atomic

        def slow_write(*args: object, **kwargs: object) -> None:
            write(*args, **kwargs)  # type: ignore[arg-type]
            app.quitting = True

        monkeypatch.setattr(screen, "write_atomic", slow_write)
    async with app.run_test(size=SIZE) as pilot:
        await loaded(pilot)
        await pilot.press("a")
        assert await wait_until(pilot, lambda: timeline.read_bytes() == before)
        await pilot.pause(0.2)
    assert calls == []
    assert timeline.read_bytes() == before
