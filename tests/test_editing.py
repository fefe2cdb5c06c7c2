"""The editor command line, the file watcher, and appending an event to a file's text."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest
import yaml

from timeline_tui.core import append as appending
from timeline_tui.core.append import AppendError, append_event
from timeline_tui.core.editor import EditorError, editor_argv
from timeline_tui.core.loader import load_text
from timeline_tui.core.watch import Watcher, signature

TODAY = dt.date(2026, 11, 26)
ROOT = Path(__file__).resolve().parent.parent

# --- editor ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("editor", "expected_tail"),
    [
        ("vi", ["+12", "{path}"]),  # may be a vim without `:call` (vim-tiny)
        ("vim", ["+12", "+normal! 02l", "{path}"]),
        ("/usr/bin/vim.basic", ["+12", "+normal! 02l", "{path}"]),
        ("/usr/bin/nvim", ["+12", "+normal! 02l", "{path}"]),
        ("nano -w", ["+12,3", "{path}"]),
        ("emacsclient -t", ["+12:3", "{path}"]),
        ("micro", ["+12:3", "{path}"]),
        ("code -w", ["-g", "{path}:12:3"]),
        ("codium", ["-g", "{path}:12:3"]),
        ("subl", ["{path}:12:3"]),
        ("hx", ["{path}:12:3"]),
        ("someeditor --flag", ["{path}"]),
    ],
)
def test_editor_argv_puts_the_line_where_each_editor_wants_it(
    editor: str, expected_tail: list[str], tmp_path: Path
) -> None:
    path = tmp_path / "events.yaml"
    argv = editor_argv(path, 12, 3, env={"EDITOR": editor})
    words = editor.split()
    assert argv[: len(words)] == words
    assert argv[len(words) :] == [part.format(path=path) for part in expected_tail]


@pytest.mark.parametrize(("target", "vim"), [("vim.basic", True), ("nvim", True), ("elvis", False)])
def test_vi_that_is_a_link_to_vim_is_given_the_column_too(
    target: str, vim: bool, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # `vi` is vim on most Linux systems, and opened at the line only (a user pass).
    (tmp_path / target).write_text("#!/bin/sh\n")
    (tmp_path / target).chmod(0o755)
    (tmp_path / "vi").symlink_to(tmp_path / target)
    monkeypatch.setenv("PATH", str(tmp_path))
    path = tmp_path / "events.yaml"
    argv = editor_argv(path, 12, 3, env={"EDITOR": "vi"})
    assert argv == (["vi", "+12", "+normal! 02l", str(path)] if vim else ["vi", "+12", str(path)])


@pytest.mark.parametrize(
    ("editor", "waiting"),
    [
        ("code", ["code", "--wait", "-g"]),
        ("code -w", ["code", "-w", "-g"]),  # asked already: not twice
        ("/usr/bin/codium --wait", ["/usr/bin/codium", "--wait", "-g"]),
        ("subl", ["subl", "--wait"]),
        ("kate", ["kate", "--block"]),
        ("gvim", ["gvim", "-f", "+12"]),
        ("vim", ["vim", "+12"]),  # runs in the terminal: returns when it is closed
        ("emacsclient -t", ["emacsclient", "-t", "+12:3"]),
    ],
)
def test_an_editor_asked_to_wait_returns_only_once_the_file_is_closed(
    editor: str, waiting: list[str], tmp_path: Path
) -> None:
    # `a` with EDITOR=code took the new event out at once: VS Code returned before the
    # file was even shown, unsaved (found by a user pass).
    path = tmp_path / "events.yaml"
    argv = editor_argv(path, 12, 3, env={"EDITOR": editor}, wait=True)
    assert argv[: len(waiting)] == waiting
    assert editor_argv(path, 12, 3, env={"EDITOR": editor})[: len(editor.split())] == (
        editor.split()
    )


def test_visual_wins_over_editor(tmp_path: Path) -> None:
    argv = editor_argv(tmp_path / "t.yaml", 3, env={"VISUAL": "vim", "EDITOR": "nano"})
    assert argv[0] == "vim"


@pytest.mark.parametrize("name", ["-rf.yaml", "+5.yaml", "a b; rm -rf x.yaml", "$(x).yaml"])
def test_hostile_file_names_stay_one_absolute_argument(
    name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    argv = editor_argv(name, 1, env={"EDITOR": "vi"})
    assert argv[-1] == str(tmp_path / name)
    assert argv[-1].startswith("/")
    assert len(argv) == 3


def test_an_editor_command_that_cannot_be_split_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(EditorError, match="EDITOR"):
        editor_argv(tmp_path / "t.yaml", env={"EDITOR": 'vim "unclosed'})


def test_without_editor_a_fallback_is_found_or_the_error_says_how_to_set_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(EditorError, match="set \\$EDITOR"):
        editor_argv(tmp_path / "t.yaml", env={})
    fake = tmp_path / "nano"
    fake.write_text("#!/bin/sh\n")
    fake.chmod(0o755)
    assert editor_argv(tmp_path / "t.yaml", 4, env={})[:2] == ["nano", "+4,1"]


# --- watcher -----------------------------------------------------------------------------


def test_the_watcher_reports_a_change_once_it_has_settled(tmp_path: Path) -> None:
    path = tmp_path / "t.yaml"
    path.write_text("a")
    watcher = Watcher(path, settle=0.5)
    assert watcher.poll(0.0) is False
    path.write_text("ab")
    assert watcher.poll(1.0) is False  # first sight of the change
    assert watcher.poll(1.2) is False  # not settled yet
    assert watcher.poll(1.6) is True
    assert watcher.poll(1.7) is False  # reported once


def test_the_watcher_sees_a_save_by_rename_and_a_deletion(tmp_path: Path) -> None:
    path = tmp_path / "t.yaml"
    path.write_text("a")
    watcher = Watcher(path, settle=0.0)
    replacement = tmp_path / "t.yaml.new"
    replacement.write_text("a")  # same size and maybe same mtime: only the inode differs
    os.replace(replacement, path)
    assert watcher.poll(0.0) is True  # with no settle time, at first sight
    assert watcher.poll(0.1) is False  # reported once
    path.unlink()
    assert watcher.poll(0.2) is True
    assert signature(path).error is not None


def test_accept_marks_a_version_as_seen(tmp_path: Path) -> None:
    path = tmp_path / "t.yaml"
    path.write_text("a")
    watcher = Watcher(path, settle=0.0)
    path.write_text("abc")
    watcher.accept(signature(path))
    assert watcher.poll(0.0) is False
    assert watcher.poll(1.0) is False


# --- append ------------------------------------------------------------------------------

BASE = "title: T\nevents:\n  - date: 2025\n    title: First\n    sources: [s]\n"


def _without(text: str, line: int, count: int) -> str:
    lines = text.splitlines(keepends=True)
    return "".join(lines[: line - 1] + lines[line - 1 + count :])


def test_append_adds_one_event_and_keeps_every_other_byte() -> None:
    added = append_event(BASE, TODAY)
    result = load_text(added.text, "t.yaml")
    assert result.timeline is not None
    titles = [e.title for e in result.timeline.events]
    assert titles == ["First", "New event"]
    new = next(e for e in result.timeline.events if e.title == "New event")
    assert result.timeline.line_of(new) == added.line
    assert new.date.text == "2026-11-26"
    inserted = len(added.text.splitlines()) - len(BASE.splitlines())
    assert _without(added.text, added.line, inserted) == BASE


def test_an_added_event_saved_as_it_came_is_warned_of_where_the_template_speaks() -> None:
    # Saved unchanged, it was published saying "New event" with only "no source" said.
    added = append_event(BASE, TODAY)
    result = load_text(added.text, "t.yaml")
    said = [(d.pos.line - added.line, d.message) for d in result.warnings]
    assert (1, "title is still the template's 'New event': write what happened in one line") in said
    assert (2, "summary is still the template's: write what happened, or take it out") in said
    written = added.text.replace("title: New event", "title: Acme buys Widgets")
    written = written.replace("What happened, in a sentence or two.", "It paid $1.")
    assert not any("template" in d.message for d in load_text(written, "t.yaml").diagnostics)


def test_append_parts_the_new_event_from_the_last_as_the_file_parts_its_events() -> None:
    # In a file whose events are parted by blank lines (the bundled one), the new one was
    # stuck to the last (a user pass).
    parted = "title: T\nevents:\n  - date: 2024\n    title: A\n\n  - date: 2025\n    title: B\n"
    added = append_event(parted + "\nsources: {}\n", TODAY)
    lines = added.text.splitlines()
    assert lines[added.line - 3 : added.line] == ["    title: B", "", "  - date: 2026-11-26"]
    assert _without(added.text, added.line - 1, 7) == parted + "\nsources: {}\n"
    # Not where they are not, nor after a block that keeps its last line breaks: a blank
    # line there would be its text, nor after a lone event (a review).
    lone = "title: T\nevents:\n\n  - date: 2025\n    title: B\n"
    keeping = parted.replace("title: B", "title: B\n    summary: |+\n      kept")
    for text in (BASE, keeping, lone):
        added = append_event(text, TODAY)
        assert added.text.splitlines()[added.line - 2].strip()
        assert load_text(added.text, "t.yaml").timeline.events[-2].summary == (
            load_text(text, "t.yaml").timeline.events[-1].summary
        )


def test_append_inserts_where_the_list_ends_not_at_the_end_of_the_file() -> None:
    text = BASE + "# about the sources\nsources:\n  s: {title: S}\n"
    added = append_event(text, TODAY)
    result = load_text(added.text, "t.yaml")
    assert result.timeline is not None and not result.errors
    assert len(result.timeline.events) == 2
    assert "s" in result.timeline.sources
    assert added.text.index("New event") < added.text.index("sources:\n  s:")


def test_append_leaves_a_comment_above_the_next_key_with_that_key() -> None:
    # The event went between `# --- Sources below ---` and the `sources:` it is about.
    text = BASE + "\n# --- Sources below ---\nsources:\n  s: {title: S}\n"
    added = append_event(text, TODAY)
    lines = added.text.splitlines()
    assert lines[lines.index("# --- Sources below ---") + 1] == "sources:"
    assert lines[added.line - 2] == "    sources: [s]"  # right after the last event
    # A comment indented as the list's items (an event commented out) stays in the list.
    text = BASE + "  # - date: 2020\n  #   title: Dropped\nsources:\n  s: {title: S}\n"
    added = append_event(text, TODAY)
    lines = added.text.splitlines()
    assert lines[added.line - 2] == "  #   title: Dropped"


def test_append_keeps_the_lists_indentation_crlf_and_a_missing_final_newline() -> None:
    flush = "title: T\nevents:\n- date: 2025\n  title: First"
    added = append_event(flush, TODAY)
    assert "\n- date: 2026-11-26\n  title: New event\n" in added.text
    assert added.text.startswith(flush + "\n")
    crlf = BASE.replace("\n", "\r\n")
    added = append_event(crlf, TODAY)
    assert "\n" not in added.text.replace("\r\n", "")
    assert load_text(added.text, "t.yaml").timeline is not None


def test_append_to_a_list_at_the_margin_leaves_the_next_sections_comment_to_it() -> None:
    # As `yaml.dump` writes a list: the new event went under "# --- Sources ---", which
    # then labelled it (found by a user pass). A comment right under the last item (an
    # event commented out) stays in the list.
    text = "title: T\nevents:\n- date: 2025\n  title: A\n\n# --- Sources ---\nsources: {}\n"
    lines = append_event(text, TODAY).text.splitlines()
    assert lines[4] == "- date: 2026-11-26"
    assert lines[-3:] == ["", "# --- Sources ---", "sources: {}"]
    text = "title: T\nevents:\n- date: 2025\n  title: A\n# - date: 2020\n\nsources: {}\n"
    lines = append_event(text, TODAY).text.splitlines()
    assert lines[4:6] == ["# - date: 2020", "- date: 2026-11-26"]


def test_append_keeps_crlf_when_the_first_line_ends_with_lf_alone() -> None:
    # It took the first line's ending, and wrote LF lines in a file of CRLF (a review).
    text = "title: T\nevents:\r\n  - date: 2025\r\n    title: A\r\n"
    added = append_event(text, TODAY).text
    assert added.startswith(text) and "\n" not in added[len(text) :].replace("\r\n", "")


def test_append_keeps_old_mac_line_endings() -> None:
    # New lines ended with LF in a file of CR-only lines: each CR became a stray character,
    # and the file no longer loaded.
    cr = BASE.replace("\n", "\r")
    added = append_event(cr, TODAY)
    assert "\n" not in added.text
    result = load_text(added.text, "t.yaml")
    assert result.timeline is not None and not result.errors
    assert result.timeline.events[-1].title == "New event"


@pytest.mark.parametrize("mark", ["&all", "!!seq", "&all !!seq"])
@pytest.mark.parametrize("margin", ["", "  "])
def test_append_under_an_anchored_or_tagged_events_list(mark: str, margin: str) -> None:
    # The new item was indented at the anchor's column, under no list: the file broke.
    text = f"title: T\nevents: {mark}\n{margin}- date: 2025\n{margin}  title: First\n"
    added = append_event(text, TODAY)
    assert f"\n{margin}- date: 2026-11-26\n" in added.text
    events = yaml.safe_load(added.text)["events"]
    assert [e["title"] for e in events] == ["First", "New event"]


def test_append_to_an_empty_events_key() -> None:
    added = append_event("title: T\nevents:\nlang: en\n", TODAY)
    result = load_text(added.text, "t.yaml")
    assert result.timeline is not None
    assert [e.title for e in result.timeline.events] == ["New event"]


@pytest.mark.parametrize(
    ("events_line", "after"),
    [
        ("events: ~", "events:"),
        ("events: null  # none yet", "events:  # none yet"),
        ("events: []", "events:"),  # as the error for an empty `events:` advises
        ("events: [ ]  # none yet", "events:  # none yet"),
        ("events: []   ", "events:"),  # its trailing spaces go with it
    ],
)
def test_append_to_an_events_key_with_no_events_yet(events_line: str, after: str) -> None:
    # `events: ~` gave `events: ~` followed by items, which is no YAML; `events: []` was
    # refused as "written on one line" (found by a review).
    text = f"title: T\n{events_line}\nlang: en\n"
    added = append_event(text, TODAY)
    assert added.text.splitlines()[1] == after
    result = load_text(added.text, "t.yaml")
    assert result.timeline is not None and not result.errors
    assert [e.title for e in result.timeline.events] == ["New event"]
    assert added.text.endswith("lang: en\n") and added.line == 3


def test_append_keeps_the_blank_lines_a_keep_block_ends_with() -> None:
    # They are the block's text: the event went in above them, and the summary lost them.
    text = "title: T\nevents:\n  - date: 2020\n    title: A\n    summary: |+\n      para\n\n\n"
    added = append_event(text, TODAY)
    assert added.text.startswith(text)
    before, after = (yaml.safe_load(t)["events"][0]["summary"] for t in (text, added.text))
    assert before == after == "para\n\n\n"


THREE = "title: T\nevents:\n  - date: 2020\n    title: A\n  - date: 2021\n    title: B\n"
LAST = "  - date: 2022\n    title: C\n"


@pytest.mark.parametrize(
    "text",
    [
        THREE + LAST,
        THREE + LAST + "\n# --- Sources ---\nsources:\n  s: {title: S}\n",
        THREE + LAST + "  # - date: 2020\n  #   title: Dropped\n\nsources: {}\n",
        THREE + "  - date: 2022\n    summary: |+\n      para\n\n\n",
        THREE + "  - date: 2022\n    summary: |+\n      para\n\n\nsources: {}\n",
        (THREE + LAST).replace("\n  ", "\n") + "\n# --- S ---\nsources: {}\n",  # margin
        THREE + LAST + "---\nsecond: document\n",
        THREE + LAST.rstrip("\n"),  # no final line break
        (ROOT / "events.yaml").read_text(encoding="utf-8"),
    ],
    ids=["list", "sources", "commented", "keep", "keep-sources", "margin", "doc", "eof", "bundled"],
)
def test_append_finds_the_end_of_a_long_list_from_its_last_item_alone(text: str) -> None:
    # Reading every item took 2.6 s at 100k events, before the editor could open. The
    # shortcut must put the event where reading the whole file does.
    assert appending._events_span(text) == appending._parsed_span(text)
    added = append_event(text, TODAY)
    before, after = (next(yaml.safe_load_all(t))["events"] for t in (text, added.text))
    assert after[:-1] == before and after[-1]["title"] == "New event"
    assert added.text.splitlines()[added.line - 1].endswith("- date: 2026-11-26")


@pytest.mark.parametrize(
    "text",
    [
        # A key the split does not take for the end of the list (the colon in its name),
        # followed by a list of its own: the event went into that list.
        THREE + '"notes:draft":\n' + LAST,
        THREE + "archive:2024:\n" + LAST,
        THREE + "? notes\n:\n" + LAST,
        # A quoted title going on over what looks like an item, which does not read alone:
        # the event could not be added.
        THREE + '  - date: 2022\n    title: "C\n  - date: 1999\n    said: [me"\n',
    ],
    ids=["quoted-key", "colon-key", "explicit-key", "quoted-title"],
)
def test_append_reads_the_whole_file_when_the_split_cannot_be_trusted(text: str) -> None:
    # The file is good YAML, but its lines left of the items are not items: the blocks are
    # not its events (the loader reads it whole), and neither is the last block its end.
    assert appending._events_span(text) == appending._parsed_span(text)
    added = append_event(text, TODAY)
    before, after = (next(yaml.safe_load_all(t))["events"] for t in (text, added.text))
    assert after[:-1] == before and after[-1]["title"] == "New event"
    assert [e.title for e in load_text(added.text).timeline.events][-1] == "New event"


def test_append_goes_ahead_past_a_broken_event_but_not_a_broken_last_one() -> None:
    # An event that does not read is that event's problem (the loader reads each alone):
    # one more can still be added after the others.
    broken = THREE.replace("title: A", "title: [A")
    added = append_event(broken + LAST, TODAY)
    assert added.text.startswith(broken + LAST) and added.line == 9
    with pytest.raises(AppendError, match="YAML error"):
        append_event(THREE + LAST.replace("title: C", "title: [C"), TODAY)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        # Taking the empty value off would break these (found by a review): refused.
        ("{title: x, events: []}\n", "written as one {...} mapping"),
        ("title: T\nevents: &e []\nother: *e\n", "one line"),
        ("title: T\nevents: !!null\n", "an anchor or a tag"),
        ("title: T\nevents: &e ~\n", "an anchor or a tag"),
        ("title: T\nevents: [{date: 2025, title: x}]\n", "one line"),
        ("title: T\nevents: nope\n", "not a list"),
        ("- a\n- b\n", "not a timeline"),
        ("title: T\n", "no events"),
        ("title: T\nevents:\n  - date: [\n", "YAML error"),
    ],
)
def test_append_refuses_shapes_it_cannot_extend_safely(text: str, message: str) -> None:
    with pytest.raises(AppendError, match=message):
        append_event(text, TODAY)
