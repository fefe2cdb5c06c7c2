"""Reloading a watched file that is rewritten in every way editors (and accidents) do.

The app must never show a cut timeline as if it were whole, never crash, say in the header
why the file on screen is an older version, and come back by itself when the file is good.
Versions A and B of the file (tests/reload_writer.py) have the same three events with other
titles, C has two more: at any moment the titles shown must be exactly A's, B's or C's.
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from dataclasses import replace
from pathlib import Path

import pytest

from conftest import TODAY, loaded, view_text, wait_until, widget_text
from reload_writer import HOSTILE, SAVES, TITLES, VERSIONS, rename_save, restore

sys.path.insert(0, str(Path(__file__).parent.parent / "benchmarks"))
from generate import generate

from timeline_tui.core import session as session_module
from timeline_tui.core.loader import LoadResult, load_text
from timeline_tui.core.session import RECHECK, TAIL, Session
from timeline_tui.core.watch import signature
from timeline_tui.ui.app import TimelineApp, make_app
from timeline_tui.ui.screens.main import MainScreen
from timeline_tui.ui.widgets.header import TimelineHeader
from timeline_tui.ui.widgets.problems import ProblemsPanel

SIZE = (120, 40)
WRITER = Path(__file__).with_name("reload_writer.py")
STALE = "showing the last good version: "
# What the header and the problems panel say for each hostile state.
REASONS = {
    "emptied": "file is empty",
    "deleted": "no such file",
    "chmod 000": "permission denied",
    "a folder": "folder",
    "a FIFO": "not a regular file",
    "a link to /dev/zero": "not a regular file",
    "a syntax error": "1 error",
}
# ... and the problems panel, when it says it otherwise.
PANEL = {**REASONS, "a syntax error": "is not closed: add the closing"}


def app_for(path: Path) -> TimelineApp:
    return make_app(path, today=TODAY, watch=True, cache=False)


def shown(app: TimelineApp) -> frozenset[str]:
    return frozenset(event.title for event in app.main.view.events)


def header(app: TimelineApp) -> str:
    return widget_text(app.main.query_one(TimelineHeader))


def titles(result: LoadResult) -> frozenset[str]:
    assert result.timeline is not None
    return frozenset(event.title for event in result.timeline.events)


def _reads_mode_000(folder: Path) -> bool:
    probe = folder / "probe"
    probe.write_text("x")
    probe.chmod(0)
    try:
        probe.read_text()
    except PermissionError:
        return False
    finally:
        probe.unlink()
    return True


def cut_after_first_event(text: str) -> tuple[str, str]:
    """`text` cut at an item boundary: the head alone is a valid file with one event."""
    at = text.index("  - date: 1967-01-27\n")
    return text[:at], text[at:]


# -- each hostile state alone ----------------------------------------------------------------


@pytest.mark.parametrize("what", list(HOSTILE))
async def test_a_hostile_state_keeps_the_timeline_says_why_and_recovers(
    tmp_path: Path, what: str
) -> None:
    if what == "chmod 000" and _reads_mode_000(tmp_path):
        pytest.skip("this user (root) reads a file whatever its mode")
    path = tmp_path / "timeline.yaml"
    path.write_text(VERSIONS["A"], encoding="utf-8")
    app = app_for(path)
    async with app.run_test(size=SIZE) as pilot:
        await loaded(pilot)
        main = app.main
        panel = main.query_one(ProblemsPanel)
        assert shown(app) == TITLES["A"] and main.stale is None

        HOSTILE[what](path)
        assert await wait_until(pilot, lambda: main.stale is not None), what
        await pilot.pause()
        assert app.is_running
        text = header(app)
        assert STALE in text and REASONS[what] in text, text
        assert "3 events" in text
        assert shown(app) == TITLES["A"]
        screen = view_text(main.view)
        assert all(title in screen for title in TITLES["A"]), screen
        assert panel.display and PANEL[what] in str(panel.get_option_at_index(0).prompt)

        restore(path)
        rename_save(path, VERSIONS["B"])
        assert await wait_until(pilot, lambda: shown(app) == TITLES["B"] and main.stale is None)
        await pilot.pause()
        assert "last good" not in header(app)
        assert not panel.display


@pytest.mark.parametrize("how", list(SAVES))
async def test_every_way_of_saving_shows_the_new_version(tmp_path: Path, how: str) -> None:
    path = tmp_path / "timeline.yaml"
    path.write_text(VERSIONS["A"], encoding="utf-8")
    app = app_for(path)
    async with app.run_test(size=SIZE) as pilot:
        await loaded(pilot)
        for tag in "BCA":
            SAVES[how](path, VERSIONS[tag])
            assert await wait_until(
                pilot, lambda tag=tag: shown(app) == TITLES[tag] and app.main.stale is None
            ), tag
            assert f"{len(TITLES[tag])} events" in header(app)


NEVER_LOADED = ["deleted", "a folder", "a FIFO", "a link to /dev/zero", "emptied"]


@pytest.mark.parametrize("what", NEVER_LOADED)
async def test_a_file_that_never_loaded_says_why_then_loads_when_good(
    tmp_path: Path, what: str
) -> None:
    path = tmp_path / "timeline.yaml"
    path.write_text(VERSIONS["A"], encoding="utf-8")
    HOSTILE[what](path)
    app = app_for(path)
    async with app.run_test(size=SIZE) as pilot:
        await loaded(pilot)
        text = header(app)
        assert "error: " in text and REASONS[what] in text, text
        restore(path)
        rename_save(path, VERSIONS["B"])
        assert await wait_until(pilot, lambda: shown(app) == TITLES["B"] and app.main.stale is None)


async def test_a_file_that_never_loaded_shows_its_first_version_even_with_errors(
    tmp_path: Path,
) -> None:
    path = tmp_path / "timeline.yaml"
    app = app_for(path)
    async with app.run_test(size=SIZE) as pilot:
        await loaded(pilot)
        assert "no such file" in header(app)
        HOSTILE["a syntax error"](path)  # nothing was shown: show what reads, with its errors
        assert await wait_until(pilot, lambda: len(shown(app)) == 2)
        assert "1 error" in header(app) and "last good" not in header(app)


async def test_a_load_that_finishes_late_never_replaces_a_newer_one(tmp_path: Path) -> None:
    path = tmp_path / "timeline.yaml"
    path.write_text(VERSIONS["A"], encoding="utf-8")
    app = make_app(path, today=TODAY, watch=False, cache=False)
    async with app.run_test(size=SIZE) as pilot:
        await loaded(pilot)
        main = app.main
        newer = load_text(VERSIONS["B"], str(path))
        older = load_text(VERSIONS["C"], str(path))  # a cancelled load, still running
        main.post_message(MainScreen.Loaded(newer, signature(path), False, ticket=3))
        main.post_message(MainScreen.Loaded(older, signature(path), False, ticket=2))
        await pilot.pause()
        await pilot.pause()
        assert shown(app) == TITLES["B"]


# -- a writer that pauses mid-write ----------------------------------------------------------


def load_while_written(session: Session, path: Path, text: str, *, after: float) -> LoadResult:
    """What `session` loads while `text` is written to `path` `after` seconds from now."""
    rest = threading.Timer(after, lambda: path.write_text(text, encoding="utf-8"))
    rest.start()
    try:
        return session.load()[0]
    finally:
        rest.join()


def test_a_session_waits_out_a_cut_copy_that_reads_as_valid(tmp_path: Path) -> None:
    """A cut copy with fewer events is read again after a moment if the file moved on."""
    path = tmp_path / "timeline.yaml"
    path.write_text(VERSIONS["A"], encoding="utf-8")
    session = Session(path, use_cache=False)
    assert titles(session.load()[0]) == TITLES["A"]
    head, _ = cut_after_first_event(VERSIONS["B"])
    path.write_text(head, encoding="utf-8")  # valid YAML: one event
    assert titles(load_while_written(session, path, VERSIONS["B"], after=0.1)) == TITLES["B"]


def test_a_cut_copy_is_read_again_as_soon_as_the_rest_is_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The rest of a save caught half-way is read once the file holds still (QUIET), not
    once a cut copy's RECHECK has run out: a reload waited 0.1-0.2 s more for it."""
    monkeypatch.setattr(session_module, "RECHECK", 5.0)  # (a wait out would show)
    path = tmp_path / "timeline.yaml"
    path.write_text(VERSIONS["A"], encoding="utf-8")
    session = Session(path, use_cache=False)
    session.load()
    head, _ = cut_after_first_event(VERSIONS["B"])
    path.write_text(head, encoding="utf-8")
    start = time.monotonic()
    assert titles(load_while_written(session, path, VERSIONS["B"], after=0.1)) == TITLES["B"]
    assert time.monotonic() - start < 2.5


def test_a_write_under_way_is_waited_out_before_the_file_is_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A save's big write grows the file while its mtime stays put: a read started then
    was thrown away and done again, 50-90 ms after the save had ended (100k events)."""
    path = tmp_path / "timeline.yaml"
    path.write_text(VERSIONS["A"], encoding="utf-8")
    os.utime(path, (time.time() - 10, time.time() - 10))  # (no QUIET wait)
    whole = signature(path)
    growing = iter([replace(whole, size=whole.size - n) for n in (300, 200, 100)])
    monkeypatch.setattr(session_module, "signature", lambda _: next(growing, whole))
    reads: list[str] = []
    read = session_module.read_file_bytes
    monkeypatch.setattr(
        session_module, "read_file_bytes", lambda name: reads.append(name) or read(name)
    )
    start = time.monotonic()
    data, sig = Session(path, use_cache=False).read_stable()
    assert (data, sig) == (path.read_bytes(), whole)
    assert len(reads) == 1
    # Once seen at work, the writer is given SETTLE to stop between two looks (2 and 4 ms
    # let a read start while a writer waited for a core): three changes, three SETTLEs.
    assert time.monotonic() - start >= 3 * session_module.SETTLE


def test_a_session_reads_a_file_only_once_it_has_held_still(tmp_path: Path) -> None:
    """A load that starts between two writes of a save waits for the file to hold still,
    even when the first part has more events than the last load (so it looks whole)."""
    path = tmp_path / "timeline.yaml"
    path.write_text(VERSIONS["A"], encoding="utf-8")
    session = Session(path, use_cache=False)
    session.load()
    text = VERSIONS["C"]
    head = text[: text.index("  - date: 1972-12-14\n")]  # four events of C's five
    path.write_text(head, encoding="utf-8")
    assert titles(load_while_written(session, path, text, after=0.02)) == TITLES["C"]


def test_a_session_shows_a_real_deletion_after_a_moment(tmp_path: Path) -> None:
    path = tmp_path / "timeline.yaml"
    path.write_text(VERSIONS["A"], encoding="utf-8")
    session = Session(path, use_cache=False)
    session.load()
    head, _ = cut_after_first_event(VERSIONS["A"])
    start = time.monotonic()
    path.write_text(head, encoding="utf-8")
    result, _ = session.load()
    assert titles(result) == {"Kennedy's Moon speech A"}
    # Shown once the file has held still for RECHECK (by its mtime: a clock tick earlier).
    assert time.monotonic() - start >= RECHECK - 0.02
    path.write_text(VERSIONS["C"], encoding="utf-8")  # growing is shown at once
    start = time.monotonic()
    assert titles(session.load()[0]) == TITLES["C"]
    assert time.monotonic() - start < RECHECK


def test_a_truncated_file_showing_its_old_mtime_is_not_taken_for_the_save(
    tmp_path: Path,
) -> None:
    """Seen on this machine: right after `open(path, "w")` truncates a file, stat can
    still show the mtime of the last write, so the file looks empty and long still."""
    path = tmp_path / "timeline.yaml"
    path.write_text(VERSIONS["A"], encoding="utf-8")
    session = Session(path, use_cache=False)
    session.load()
    path.write_text("", encoding="utf-8")
    os.utime(path, (time.time() - 5, time.time() - 5))
    assert titles(load_while_written(session, path, VERSIONS["B"], after=0.02)) == TITLES["B"]


def test_a_deletion_that_keeps_the_end_of_the_file_is_shown_at_once(tmp_path: Path) -> None:
    """A cut copy ends where the writer stopped; a file that still ends with the same
    (several kilobytes of) text was edited in the middle, and needs no second look."""
    text = generate(40, seed=11)
    assert len(text.encode()) > 2 * TAIL
    path = tmp_path / "timeline.yaml"
    path.write_text(text, encoding="utf-8")
    session = Session(path, use_cache=False)
    session.load()
    middle = text[text.index("  - id: ev-10\n") : text.index("  - id: ev-11\n")]
    path.write_text(text.replace(middle, ""), encoding="utf-8")
    start = time.monotonic()
    result, _ = session.load()
    assert result.timeline is not None and len(result.timeline.events) == 39
    assert time.monotonic() - start < RECHECK
    last = text[text.index("  - id: ev-39\n") :]
    path.write_text(text.replace(middle, "").replace(last, ""), encoding="utf-8")
    start = time.monotonic()
    result, _ = session.load()
    assert result.timeline is not None and len(result.timeline.events) == 38
    assert time.monotonic() - start >= RECHECK - 0.02  # the end went: it may be a cut copy


async def test_a_writer_pausing_mid_write_never_shows_a_cut_timeline(tmp_path: Path) -> None:
    """A pause longer than the watcher's settle time, at an item boundary, leaves a cut
    copy that is valid YAML; the app must not show it as the timeline."""
    path = tmp_path / "timeline.yaml"
    path.write_text(VERSIONS["A"], encoding="utf-8")

    def slow_saves() -> None:
        for tag in "BAB":
            head, rest = cut_after_first_event(VERSIONS[tag])
            with open(path, "wb") as file:
                file.write(head.encode())
                file.flush()
                time.sleep(0.15)
                file.write(rest.encode())
            time.sleep(0.3)

    app = app_for(path)
    async with app.run_test(size=SIZE) as pilot:
        await loaded(pilot)
        writer = threading.Thread(target=slow_saves)
        writer.start()
        seen = []
        try:
            while writer.is_alive():
                seen.append(shown(app))
                await pilot.pause(0.01)
        finally:
            writer.join()
        cut = [titles for titles in seen if titles not in (TITLES["A"], TITLES["B"])]
        assert not cut, f"a cut timeline was shown: {sorted(cut[0])}"
        assert await wait_until(pilot, lambda: shown(app) == TITLES["B"])
        assert TITLES["A"] in seen and TITLES["B"] in seen


# -- all of it, many times -------------------------------------------------------------------

STEPS = int(os.environ.get("TORTURE_STEPS", "60"))
SEED = int(os.environ.get("TORTURE_SEED", "55"))


def check(app: TimelineApp) -> str | None:
    """What is wrong with what the app shows now, if anything."""
    main = app.main
    if not app.is_running:
        return "the app stopped"
    now = shown(app)
    if now not in TITLES.values():
        return f"a partial or mixed timeline is shown: {sorted(now)}"
    text = header(app)
    if f"{len(now)} events" not in text:
        return f"the header's count is not the list's: {text!r}"
    result = main.result
    if result is not None and not result.ok:
        if STALE not in text:
            return f"a load failed but the header does not say so: {text!r}"
        reason = text.split(STALE, 1)[1]
        if not any(word in reason for word in (*REASONS.values(), "error")):
            return f"the header gives no reason: {text!r}"
    elif "last good" in text:
        return f"the header says stale while the file is good: {text!r}"
    return None


async def test_reload_torture(tmp_path: Path) -> None:
    path = tmp_path / "timeline.yaml"
    path.write_text(VERSIONS["A"], encoding="utf-8")
    log = tmp_path / "writer.log"
    app = app_for(path)
    problems: list[str] = []
    seen: dict[frozenset[str], int] = {}
    reasons: set[str] = set()
    async with app.run_test(size=SIZE) as pilot:
        await loaded(pilot)
        writer = subprocess.Popen(
            [sys.executable, str(WRITER), str(path), str(STEPS), str(SEED), str(log)],
            stderr=subprocess.PIPE,
            text=True,
        )
        start = time.monotonic()
        try:
            while writer.poll() is None:
                wrong = check(app)
                if wrong is not None and len(problems) < 10:
                    problems.append(f"{time.monotonic():.3f} {wrong}")
                seen[shown(app)] = seen.get(shown(app), 0) + 1
                if app.main.stale:
                    reasons.add(app.main.stale)
                await pilot.pause(0.02)
                assert time.monotonic() - start < 60, "the writer is stuck"
        finally:
            if writer.poll() is None:
                writer.kill()
            _, errors = writer.communicate()
        writing = time.monotonic() - start
        assert writer.returncode == 0, errors
        assert not problems, _report(problems, log)
        # The writer leaves C: it is shown, whole and current, soon.
        settled = time.monotonic()
        assert await wait_until(
            pilot, lambda: shown(app) == TITLES["C"] and app.main.stale is None, timeout=2.0
        ), _report([f"in the end: {sorted(shown(app))}, {app.main.stale!r}"], log)
        await pilot.pause()
        assert check(app) is None and "last good" not in header(app)
        print(
            f"\n{STEPS} steps in {writing:.1f} s, settled in {time.monotonic() - settled:.2f} s;"
            f" samples per version {_per_version(seen)}; stale statuses: {sorted(reasons)}"
        )
    # The run did go through the states it is about.
    assert len(seen) == 3, seen
    assert len(reasons) >= 3, reasons


def _per_version(seen: dict[frozenset[str], int]) -> dict[str, int]:
    names = {titles: tag for tag, titles in TITLES.items()}
    return {names.get(titles, "?"): count for titles, count in seen.items()}


def _report(problems: list[str], log: Path) -> str:
    """The problems, and what the writer did in the two seconds before the first one."""
    when = float(problems[0].split()[0]) if problems[0][:1].isdigit() else float("inf")
    try:
        lines = log.read_text(encoding="utf-8").splitlines()
    except OSError:
        lines = []
    before = [line for line in lines if when - 2 <= float(line.split()[0]) <= when]
    return "\n".join([*problems, "--- the writer, just before ---", *(before or lines[-20:])])
