"""What the speed work relies on: an incremental reload gives exactly what a full load
gives, and the cache never serves anything but the bytes it was made from."""

from __future__ import annotations

import contextlib
import dataclasses
import gc
import os
import pickle
import signal
import subprocess
import sys
import threading
import time
import weakref
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import block_starts
from timeline_tui.cli import main
from timeline_tui.core import cache, forked, loader, pickled, session
from timeline_tui.core.changed import Fingerprint, changed_span
from timeline_tui.core.forked import forked_map
from timeline_tui.core.loader import BlockLoader, LoadResult, load_bytes, load_text
from timeline_tui.core.model import Timeline
from timeline_tui.core.session import Session

sys.path.insert(0, str(Path(__file__).parent.parent / "benchmarks"))
from generate import generate

BASE = generate(60, seed=3)


def same(a: LoadResult, b: LoadResult) -> None:
    assert (a.timeline is None) == (b.timeline is None)
    assert a.diagnostics == b.diagnostics
    if a.timeline is not None and b.timeline is not None:
        assert a.timeline == b.timeline
        for x, y in zip(a.timeline.events, b.timeline.events, strict=True):
            assert (a.timeline.where(x), x.index, x.spans) == (
                b.timeline.where(y),
                y.index,
                y.spans,
            )


def _replace_line(text: str, old: str, new: str) -> str:
    assert old in text
    return text.replace(old, new, 1)


EDITS = {
    "title changed": lambda t: _replace_line(t, "  - id: ev-30\n", "  - id: ev-30-renamed\n"),
    "line inserted at the top": lambda t: _replace_line(
        t, "  - id: ev-1\n", "  # a comment\n  - id: ev-1\n"
    ),
    "event deleted": lambda t: t.replace(
        t[t.index("  - id: ev-10\n") : t.index("  - id: ev-11\n")], ""
    ),
    "event duplicated": lambda t: t + t[t.index("  - id: ev-20\n") : t.index("  - id: ev-21\n")],
    "syntax error": lambda t: _replace_line(t, "  - id: ev-40\n", "  - id: ev-40\n    title: [\n"),
    "header changed": lambda t: _replace_line(t, "title: Generated", "title: Renamed"),
    "bad date": lambda t: _replace_line(t, "  - id: ev-5\n", "  - id: ev-5\n    end: 1900\n"),
    "invisible character": lambda t: _replace_line(t, "  - id: ev-7\n", "  - id: ev-7\u200b\n"),
    "events emptied": lambda t: t[: t.index("events:\n") + 8],
}


@pytest.mark.parametrize("edit", EDITS, ids=list(EDITS))
@pytest.mark.parametrize("how", ["text", "bytes"])
def test_an_incremental_reload_equals_a_full_load(edit: str, how: str) -> None:
    loader = BlockLoader("t.yaml")
    load = loader.load if how == "text" else lambda text: loader.load_data(text.encode())
    same(load(BASE), load_text(BASE, "t.yaml"))
    edited = EDITS[edit](BASE)
    same(load(edited), load_text(edited, "t.yaml"))
    # ... and back again, reusing the blocks of the edited version.
    same(load(BASE), load_text(BASE, "t.yaml"))


@pytest.mark.parametrize(("before", "after"), [("plain", "*s"), ("*s", "plain")])
def test_an_edit_that_ties_blocks_by_an_alias_reloads_as_a_full_load(
    before: str, after: str
) -> None:
    # An alias added far from its anchor was read with the edited blocks alone: "alias *s
    # has no anchor", where opening the file found none (found by a review).
    anchored = _replace_line(BASE, "  - id: ev-1\n", "  - id: ev-1\n    x-note: &s anchored\n")

    def noted(value: str) -> str:
        return _replace_line(anchored, "  - id: ev-50\n", f"  - id: ev-50\n    x-note: {value}\n")

    loader = BlockLoader("t.yaml")
    for text in (noted(before), noted(after)):  # the second one read as an edit
        same(loader.load_data(text.encode()), load_text(text, "t.yaml"))


def test_a_moved_block_names_its_lines_afresh() -> None:
    # Found by the fuzz: a cached block kept "first at line 7" after moving up a line.
    before = "title: T\nevents:\n  # note\n  - date: 2025\n    title: A\n    title: B\n"
    after = before.replace("  # note\n", "")
    loader = BlockLoader("t.yaml")
    loader.load(before)
    result = loader.load(after)
    same(result, load_text(after, "t.yaml"))
    assert "first at line 4" in result.errors[0].message


def test_a_load_does_not_keep_garbage_made_before_it_forever() -> None:
    # Found by the deep fuzz run, which grew to gigabytes: a load froze every live object,
    # cyclic garbage that the collector had not reached yet included, so it was never freed.
    class Cyclic:
        def __init__(self) -> None:
            self.me = self

    garbage = weakref.ref(Cyclic())
    load_text(BASE, "t.yaml")
    gc.collect()
    assert garbage() is None


@contextlib.contextmanager
def counted() -> Iterator[tuple[list[int], list[int]]]:
    """Count, while it lasts, the blocks the loader reads (their first lines) and the texts
    it splits into blocks (their lengths)."""
    from timeline_tui.core import blocks as blocks_module
    from timeline_tui.core import loader as loader_module

    real_read, real_split = loader_module._block_nodes, loader_module.split_events
    reads: list[int] = []
    splits: list[int] = []

    def counting_read(block, tabs):  # type: ignore[no-untyped-def]
        reads.append(block.first_line)
        return real_read(block, tabs)

    def counting_split(text, **cut):  # type: ignore[no-untyped-def]
        splits.append(len(text))
        return real_split(text, **cut)

    loader_module._block_nodes = counting_read  # type: ignore[assignment]
    loader_module.split_events = counting_split  # type: ignore[assignment]
    blocks_module.split_events = counting_split  # type: ignore[assignment]
    try:
        yield reads, splits
    finally:
        loader_module._block_nodes = real_read  # type: ignore[assignment]
        loader_module.split_events = real_split  # type: ignore[assignment]
        blocks_module.split_events = real_split  # type: ignore[assignment]


def reads_during(
    loader: BlockLoader, text: str, *, from_file: bool = False
) -> tuple[LoadResult, int, int]:
    """What `loader` gives for `text` (as a file's bytes, or as text), how many blocks it
    had to read to give it, and how many times it split the whole file into blocks (an
    edit of the header splits the file's start, up to where the edit ends)."""
    with counted() as (reads, splits):
        result = loader.load_data(text.encode()) if from_file else loader.load(text)
    whole = len(text.replace("\r\n", "\n"))
    return result, len(reads), sum(1 for n in splits if n >= whole)


def test_a_reload_reads_only_the_changed_block() -> None:
    loader = BlockLoader("t.yaml")
    loader.load(BASE)
    _, reads, _ = reads_during(loader, EDITS["title changed"](BASE))
    assert reads == 1


def reload_checked(loader: BlockLoader, text: str) -> tuple[int, int]:
    """Load `text` as a file's bytes, check that it gives what a fresh load gives, and say
    how many blocks the loader read and how many times it split the whole file."""
    result, reads, splits = reads_during(loader, text, from_file=True)
    same(result, load_text(text, "t.yaml"))
    return reads, splits


# Edits of a file that a reload handles without splitting the whole file again: it reads
# the blocks around the edit, and moves the events below it.
LOCAL_EDITS = {
    "a title edited": lambda t: _replace_line(
        t, "  - id: ev-30\n", "  - id: ev-30\n    title: X\n"
    ),
    "a line added at the top": EDITS["line inserted at the top"],
    "an event deleted": EDITS["event deleted"],
    "an event appended": lambda t: t + "  - id: ev-new\n    date: 2026\n    title: Added\n",
    "an id renamed that others refer to": lambda t: t.replace("  - id: ev-2\n", "  - id: ev-2b\n"),
    "a date made invalid": EDITS["bad date"],
    "a comment added between events": lambda t: _replace_line(
        t, "  - id: ev-12\n", "\n  # note\n  - id: ev-12\n"
    ),
    # A slip of YAML in one event of 100k read the whole file again: 2.5 s to show it.
    "a bracket left open": EDITS["syntax error"],
    "a quote left open": lambda t: _replace_line(
        t, "    title: Adoption customer", '    title: "Adoption customer'
    ),
    "a colon in a title": lambda t: _replace_line(
        t, "    title: Adoption customer", "    title: Deal: Adoption customer"
    ),
    # The header, read again alone (the timeline renamed took 1.3 s at 100k events).
    "the timeline renamed": EDITS["header changed"],
    "a source added": lambda t: _replace_line(
        t, "sources:\n", "sources:\n  new:\n    title: Added\n    url: https://example.org/a\n"
    ),
    "a source's title edited": lambda t: _replace_line(
        t, "title: Rights market price", "title: Rights market prices"
    ),
    "a source the events cite taken out": lambda t: t.replace(
        t[t.index("  src-1:\n") : t.index("  src-2:\n")], ""
    ),
    "the language changed": lambda t: _replace_line(t, "lang: en\n", "lang: fr\n"),
    "a line added above the events": lambda t: _replace_line(t, "events:\n", "# note\nevents:\n"),
    # Read under a stand-in header, as a full load reads it (1.3 s at 100k events).
    "a quote left open in the title": lambda t: _replace_line(
        t, "title: Generated", 'title: "Generated'
    ),
    "a quote left open in the header": lambda t: _replace_line(
        t, "description: A", 'description: "A'
    ),
    "a bracket left open in a source": lambda t: _replace_line(
        t, "title: Rights market price", "title: [Rights market price"
    ),
    "the header and the first event edited at once": lambda t: _replace_line(
        t, "events:\n  - id: ev-0\n", "events:\n  - id: ev-0b\n"
    ).replace("title: Generated", "title: Renamed", 1),
}


@pytest.mark.parametrize("chunk", [None, 64, 4096], ids=["bytes kept", "64", "4096"])
@pytest.mark.parametrize("edit", LOCAL_EDITS, ids=list(LOCAL_EDITS))
def test_an_edit_in_the_list_is_read_by_itself(edit: str, chunk: int | None) -> None:
    """Also once the loader has let the bytes go for a fingerprint of `chunk`-byte
    chunks, which places an edit only to the nearest chunk (4096 bytes is several events,
    and reaches into the header): the unchanged blocks around it are known by digest."""
    loader = BlockLoader("t.yaml")
    loader.load_data(BASE.encode())
    if chunk is not None:
        loader.compact(chunk)
    reads, splits = reload_checked(loader, LOCAL_EDITS[edit](BASE))
    assert splits == 0 and reads <= 3
    _, splits = reload_checked(loader, BASE)  # ... and the next edit too
    assert splits == 0


def test_an_event_left_out_and_renamed_changes_what_the_events_related_to_it_say() -> None:
    # Its related events say it is left out, by id: a reload that reads its block alone
    # must check them again when the id it leaves out changes, though no loaded id does.
    loader = BlockLoader("t.yaml")
    loader.load_data(BASE.encode())
    at = BASE.index("  - id: ev-12\n")
    date = BASE.index("    date: ", at)
    broken = BASE[:date] + "    date: 2024-13-45\n" + BASE[BASE.index("\n", date) + 1 :]
    renamed = broken.replace("  - id: ev-12\n", "  - id: ev-12b\n", 1)
    for text in (broken, renamed, BASE):
        reads, splits = reload_checked(loader, text)
        assert splits == 0 and reads <= 3
    said = [str(d) for d in load_text(renamed, "t.yaml").diagnostics if "'ev-12" in d.message]
    assert any("related event 'ev-12' does not exist" in d for d in said), said
    assert any("event 'ev-12b' is left out until this is fixed" in d for d in said), said


def test_edits_that_change_the_ids_keep_the_set_of_ids_up_to_date_rather_than_make_it() -> None:
    # A quote left open in an event leaves it out, closing it lets it in again: each of
    # those reloads made the set of all ids again, 27 ms at 100k events (80 in the app).
    loader = BlockLoader("t.yaml")
    loader.load_data(BASE.encode())
    at = BASE.index("  - id: ev-12\n")
    title = BASE.index("    title: ", at)
    slip = BASE[:title] + '    title: "' + BASE[title + len("    title: ") :]
    renamed = BASE.replace("  - id: ev-12\n", "  - id: ev-12b\n", 1)
    deleted = EDITS["event deleted"](BASE)
    ids = None
    for text in (slip, BASE, slip, renamed, BASE, deleted, BASE):
        reads, splits = reload_checked(loader, text)
        assert splits == 0 and reads <= 3
        assert loader._last is not None and loader._ids is not None
        assert loader._ids == {e.id for e in loader._last.timeline.events}
        assert ids is None or loader._ids is ids  # changed in place, never made again
        ids = loader._ids


def test_a_session_makes_the_set_of_ids_while_the_app_waits_for_nothing(tmp_path: Path) -> None:
    path = tmp_path / "t.yaml"
    path.write_text(BASE, encoding="utf-8")
    session = Session(path, use_cache=False)
    result, _ = session.load()
    assert session.loader._ids is None  # not while the first screen waits
    session.remember()
    assert result.timeline is not None
    assert session.loader._ids == {e.id for e in result.timeline.events}


def test_an_edit_of_a_crlf_file_is_read_by_itself() -> None:
    # A Windows file was read again by block digests: 1.0-1.4 s at 100k events, not 0.03.
    loader = BlockLoader("t.yaml")
    crlf = BASE.replace("\n", "\r\n")
    loader.load_data(crlf.encode())
    edited = LOCAL_EDITS["a title edited"](BASE).replace("\n", "\r\n")
    result, reads, splits = reads_during(loader, edited, from_file=True)
    same(result, load_text(edited, "t.yaml"))
    assert splits == 0 and reads <= 3 and loader.edit_reads is not None


@pytest.mark.parametrize("before", ["", "\n"], ids=["NULs at odd bytes", "at even bytes"])
def test_a_file_with_crs_is_told_utf16_or_not_from_its_bytes_as_they_are(before: str) -> None:
    # The app told it from the bytes without their CRs, where the NUL may fall beside
    # every other byte or no longer: UTF-16 to the app, not to `validate` (the fuzz).
    lines = ["title:"] * 5 + ["  -", "    id: ", "    id: \r", "  id: ", "", "  -", "    \x00:"]
    data = (before + "\n".join(lines) + "\n").encode()
    assert (
        BlockLoader("f.yaml").load_data(data).diagnostics == load_bytes(data, "f.yaml").diagnostics
    )


def test_a_moment_of_empty_file_does_not_cost_the_next_edit_its_quick_reload() -> None:
    loader = BlockLoader("t.yaml")
    loader.load_data(BASE.encode())
    assert loader.load_data(b"").timeline is None  # an editor truncating, then writing
    _, splits = reload_checked(loader, LOCAL_EDITS["a title edited"](BASE))
    assert splits == 0


BEYOND_SINGLE_EVENTS = {
    "events emptied": EDITS["events emptied"],
    # A block elsewhere may use it.
    "an anchor added in the header": lambda t: _replace_line(
        t, "description: A", "description: &d A"
    ),
}


@pytest.mark.parametrize("edit", BEYOND_SINGLE_EVENTS, ids=list(BEYOND_SINGLE_EVENTS))
def test_an_edit_beyond_single_events_reads_the_file_again(edit: str) -> None:
    loader = BlockLoader("t.yaml")
    loader.load_data(BASE.encode())
    _, splits = reload_checked(loader, BEYOND_SINGLE_EVENTS[edit](BASE))
    assert splits == 1


def test_a_quote_left_open_and_closed_in_a_later_event_is_read_whole() -> None:
    """A quote left open runs on over the next item's lines: when it closes there, the
    file is valid YAML, the split into blocks was wrong, and the whole read is the answer,
    also when the event that closes it is added later, away from the one left broken."""
    opened = BASE + '  - id: ev-x\n    date: 2026\n    title: "open\n' + "  - date: 2026\n" * 2
    closed = opened + '  - id: ev-y\n    date: 2026\n    title: close"\n'
    loader = BlockLoader("t.yaml")
    loader.load_data(BASE.encode())
    _, splits = reload_checked(loader, opened)
    assert splits == 0  # the broken event is read by itself
    _, splits = reload_checked(loader, closed)
    assert splits == 1
    result = load_text(closed, "t.yaml")
    assert result.timeline is not None and not result.errors
    titles = {e.id: e.title for e in result.timeline.events}
    assert "ev-y" not in titles and titles["ev-x"].startswith("open - date: 2026")
    reload_checked(loader, BASE)


def test_an_event_edited_under_a_header_left_broken_is_read_by_itself_till_it_mends_it() -> None:
    """A header with a syntax error is stood in for, and the events are read by blocks,
    also on a reload; until an event closes the quote the header left open, and the file
    reads whole: the split was wrong, and the whole read is the answer."""
    events = [f"  - id: e{i}\n    date: 2026\n    title: Event {i}\n" for i in range(6)]
    base = "title: T\ndescription: A story\nevents:\n" + "".join(events)
    opened = base.replace("description: A", 'description: "A')
    edited = opened.replace("title: Event 4", "title: Event four")
    closed = edited + '  - id: c\n    date: 2026\n    title: close"\n'
    loader = BlockLoader("t.yaml")
    loader.load_data(base.encode())
    for text in (opened, edited):
        reads, splits = reload_checked(loader, text)
        assert splits == 0 and reads <= 3
    result = load_text(edited, "t.yaml")
    assert [d.pos.line for d in result.errors] == [2] and len(result.timeline.events) == 6
    _, splits = reload_checked(loader, closed)
    assert splits == 1
    # One long description, and no events: the whole read's answer.
    assert "has no events" in load_text(closed, "t.yaml").errors[0].message
    reload_checked(loader, base)


def test_an_event_edited_under_a_broken_title_keeps_the_warnings_of_the_sources() -> None:
    # The stand-in keeps the sources, and what is wrong with them: the reload of an edit
    # of the events said only the title's error (found by a review).
    text = (
        'title: "broken\nsources:\n  notes: {title: N}\n  other: {title: O, via: notez}\n'
        "events:\n  - id: a\n    date: 2026\n    title: B\n"
        "  - id: b\n    date: 2027\n    title: C\n"
    )
    loader = BlockLoader("t.yaml")
    first = loader.load_data(text.encode())
    assert [d.pos.line for d in first.errors] == [1]
    assert any("known via 'notez'" in d.message for d in first.warnings)
    reads, splits = reload_checked(loader, text.replace("title: B\n", "title: B2\n"))
    assert splits == 0 and reads <= 3


@pytest.mark.parametrize("window", [16, 100, 1000, 1 << 20])
def test_a_quote_closed_far_below_is_found_reading_on_a_window_at_a_time(window: int) -> None:
    # What libyaml says at the end of a window, "end of stream" in the open quote, is no
    # answer: the quote may close below it.
    opened = BASE + '  - id: ev-x\n    date: 2026\n    title: "open\n'
    opened += "".join(f"  - id: f{n}\n    date: 2026\n" for n in range(30))
    for text, whole in ((opened, False), (opened + '  - title: close"\n', True)):
        data, starts = block_starts(text)
        broken = 60  # the block of ev-x, after BASE's 60
        assert data[starts[broken] :].startswith(b"  - id: ev-x\n")
        assert loader._reads_whole(data, starts, broken, window) is whole


def test_a_file_read_again_reads_no_block_whose_text_it_knows() -> None:
    """The blocks of the last load are found by their digest, also once it kept them by
    column (a generation) and let the file's bytes go."""
    loader = BlockLoader("t.yaml")
    loader.load_data(BASE.encode())
    loader.compact(64)
    renamed = BEYOND_SINGLE_EVENTS["an anchor added in the header"](BASE)
    reads, splits = reload_checked(loader, renamed)
    assert (reads, splits) == (0, 1)
    # ... and the same with a line added above the events, which moves every one of them.
    reads, splits = reload_checked(loader, renamed.replace("events:", "# note\nevents:", 1))
    assert (reads, splits) == (0, 1)


def test_a_version_that_lost_texts_keeps_what_the_longer_one_read() -> None:
    """A version with as many blocks but fewer distinct texts (a save caught half-way,
    events written twice) may be a cut one: the full version's reads are kept for it."""
    event = "  - id: e{0}\n    date: 2020\n    title: T{0}\n".format
    full = "title: T\nevents:\n" + "".join(event(n) for n in range(10))
    twice = "title: T2\nevents:\n" + "".join(event(n) for n in range(5)) * 2
    loader = BlockLoader("t.yaml")
    loader.load(full)
    loader.load(twice)
    _, reads, _ = reads_during(loader, full)
    assert reads == 0


def test_a_timeline_is_pickled_without_its_id_index() -> None:
    timeline = load_text(BASE, "t.yaml").timeline
    assert timeline is not None
    first = timeline.events[0]
    assert timeline.event_by_id(first.id) is first  # makes the index
    copy = pickle.loads(pickle.dumps(timeline))
    assert "_by_id" not in copy.__dict__ and copy == timeline
    assert copy.event_by_id(first.id) == first


def test_a_line_added_above_moves_the_events_below_without_making_them_again() -> None:
    # At 100k events, making each event below again with its new line took 0.4 s a reload.
    loader = BlockLoader("t.yaml")
    before = loader.load_data(BASE.encode()).timeline
    edited = LOCAL_EDITS["a line added at the top"](BASE)
    after = loader.load_data(edited.encode()).timeline
    assert before is not None and after is not None
    fresh = load_text(edited, "t.yaml").timeline
    assert fresh is not None and after == fresh
    # The comment ends the block of ev-0, which is read again.
    below = [e for e in before.events if e.id != "ev-0"]
    assert all(after.event_by_id(e.id) is e for e in below)
    assert [after.line_of(e) for e in below] == [before.line_of(e) + 1 for e in below]


def test_what_an_edit_changed_is_never_pickled_with_its_load() -> None:
    # It holds the version before weakly, and the cache stores loads pickled.
    loader = BlockLoader("t.yaml")
    before = loader.load_data(BASE.encode())
    result = loader.load_data(LOCAL_EDITS["a date made invalid"](BASE).encode())
    assert result.edit is not None and result.edit.base() is before.timeline
    copy = pickle.loads(pickle.dumps(result, protocol=pickle.HIGHEST_PROTOCOL))
    assert copy == result and copy.edit is None


@pytest.mark.parametrize("edit", LOCAL_EDITS, ids=list(LOCAL_EDITS))
def test_a_reload_carries_over_the_ends_a_filter_reads(edit: str) -> None:
    # Worked out again for 100k events, they took 25 ms of each reload.
    loader = BlockLoader("t.yaml")
    before = loader.load_data(BASE.encode()).timeline
    assert before is not None and before.end_keys
    after = loader.load_data(LOCAL_EDITS[edit](BASE).encode()).timeline
    assert after is not None
    assert "end_keys" in after.__dict__  # carried over, not worked out again
    assert after.end_keys == Timeline(after.title, after.path, after.events).end_keys


def test_a_header_edit_takes_every_field_of_the_new_header() -> None:
    named = {f.name for f in dataclasses.fields(Timeline)}
    assert named == {*loader._HEADER_FIELDS, "path", "events", "lines"}


def test_a_renumbered_event_keeps_every_field() -> None:
    event = load_text(BASE, "t.yaml").timeline.events[3]  # type: ignore[union-attr]
    moved = event.renumbered(40)
    assert moved == dataclasses.replace(event, index=40)
    assert moved.spans is event.spans


def test_a_moment_of_empty_or_cut_file_does_not_cost_a_full_reload() -> None:
    loader = BlockLoader("t.yaml")
    loader.load(BASE)
    cut = BASE[: BASE.index("  - id: ev-30\n")]
    for seen in ("", cut, BASE):  # an editor truncating, then writing
        result, reads, _ = reads_during(loader, seen)
        same(result, load_text(seen, "t.yaml"))
        assert reads == 0


# --- cache ----------------------------------------------------------------------------------


@pytest.fixture
def cache_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    return tmp_path / "cache" / "timeline-tui"


def _stored(name: str, text: str) -> tuple[bytes, LoadResult]:
    loader = BlockLoader(name)
    result = loader.load(text)
    key = cache.digest(text.encode(), name)
    cache.store(name, key, result, loader.known)
    return key, result


def test_the_cache_serves_exactly_what_was_stored(cache_home: Path) -> None:
    text = generate(cache.HEAD_EVENTS + 50, seed=4)
    key, result = _stored("t.yaml", text)
    entry = cache.lookup("t.yaml", key)
    assert entry is not None and entry.total == len(result.timeline.events)
    assert entry.head.timeline.events == result.timeline.events[: cache.HEAD_EVENTS]
    frozen = gc.get_freeze_count()
    full = entry.full()
    assert full is not None
    same(full[0], result)
    # Read with the collector paused (a third of the time), then out of its sight.
    assert gc.isenabled() and gc.get_freeze_count() > frozen


def test_other_content_is_served_only_as_an_earlier_version(cache_home: Path) -> None:
    _stored("t.yaml", BASE)
    edited = EDITS["title changed"](BASE)
    entry = cache.lookup("t.yaml", cache.digest(edited.encode(), "t.yaml"))
    assert entry is not None and not entry.fresh
    assert entry.head.timeline is None  # nothing of it is shown as the file
    fresh = cache.lookup("t.yaml", cache.digest(BASE.encode(), "t.yaml"))
    assert fresh is not None and fresh.fresh


@pytest.mark.parametrize("opened", ["folder", "entry"])
def test_an_entry_others_may_write_is_never_unpickled(
    cache_home: Path, monkeypatch: pytest.MonkeyPatch, opened: str
) -> None:
    # Unpickling runs code: an entry planted in a shared cache folder (or made writable
    # to others) ran it, since its digests say only that it is whole (found by a review).
    key, _ = _stored("t.yaml", BASE)
    [entry_path] = cache_home.glob("*.pickle")
    opened_up = cache_home if opened == "folder" else entry_path
    opened_up.chmod(0o777 if opened == "folder" else 0o666)
    unpickled: list[object] = []
    with monkeypatch.context() as patch:
        patch.setattr(cache.pickle, "loads", lambda *a, **k: unpickled.append(a))
        assert cache.lookup("t.yaml", key) is None
    assert unpickled == [] and entry_path.exists()  # not read, and not the user's to remove
    if opened == "folder":  # nor is an entry written where it would never be read back
        entry_path.unlink()
        _stored("t.yaml", BASE)
        assert list(cache_home.glob("*.pickle")) == []
    opened_up.chmod(0o700 if opened == "folder" else 0o600)
    if opened == "folder":
        _stored("t.yaml", BASE)
    assert cache.lookup("t.yaml", key) is not None


@pytest.mark.skipif(os.geteuid() != 0, reason="giving a file to another user needs root")
def test_an_entry_of_another_user_is_never_unpickled(cache_home: Path) -> None:
    key, _ = _stored("t.yaml", BASE)
    [entry_path] = cache_home.glob("*.pickle")
    os.chown(entry_path, 12345, 12345)
    assert cache.lookup("t.yaml", key) is None
    os.chown(cache_home, 12345, 12345)
    os.chown(entry_path, 0, 0)
    assert cache.lookup("t.yaml", key) is None


def test_another_name_is_a_miss(cache_home: Path) -> None:
    _stored("t.yaml", BASE)
    assert cache.lookup("other.yaml", cache.digest(BASE.encode(), "other.yaml")) is None


def test_two_names_of_one_file_keep_an_entry_each(cache_home: Path) -> None:
    # `./t.yaml` is the same file, but its messages must say `./t.yaml`: the app and a
    # command given different names must not drop each other's entry.
    key, _ = _stored("t.yaml", BASE)
    other_key, _ = _stored("./t.yaml", BASE)
    for name, k in (("t.yaml", key), ("./t.yaml", other_key)):
        entry = cache.lookup(name, k)
        assert entry is not None and entry.fresh


def test_an_entry_made_by_other_code_is_a_miss(
    cache_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # An editable install keeps its version number while its code changes.
    key, _ = _stored("t.yaml", BASE)
    monkeypatch.setattr(cache, "_code", lambda: "other code")
    assert cache.lookup("t.yaml", key) is None
    edited = EDITS["title changed"](BASE).encode()
    assert cache.lookup("t.yaml", cache.digest(edited, "t.yaml")) is None


@pytest.mark.parametrize("part", ["head", "full"])
def test_a_damaged_entry_that_still_unpickles_is_never_served(cache_home: Path, part: str) -> None:
    key, result = _stored("t.yaml", BASE)
    (entry_path,) = cache_home.iterdir()
    data = entry_path.read_bytes()
    title = result.timeline.events[5].title.encode()
    at = data.find(title) if part == "head" else data.rfind(title)
    assert at > 0 and data.find(title) != data.rfind(title)  # in the head and in the full
    entry_path.write_bytes(data[:at] + b"X" + data[at + 1 :])  # a title, one letter off
    entry = cache.lookup("t.yaml", key)
    if part == "head":
        assert entry is None
    else:
        assert entry is not None and entry.full() is None
    assert not entry_path.exists()


def test_no_cache_without_an_absolute_cache_folder(
    cache_home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", "relative")  # ignored, as the XDG spec says
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    # A home folder that does not exist is not made, as `mkdir -p` would: as root, with
    # HOME=/nonexistent, a load made /nonexistent/.cache/timeline-tui.
    assert cache.cache_dir() is None
    _stored("t.yaml", BASE)
    assert not (tmp_path / "home").exists()
    (tmp_path / "home").mkdir()
    assert cache.cache_dir() == tmp_path / "home" / ".cache" / "timeline-tui"
    # No home folder at all: expanduser gives "~" back, which is no place for a cache.
    monkeypatch.setattr(cache.os.path, "expanduser", lambda path: path)
    monkeypatch.chdir(tmp_path)
    assert cache.cache_dir() is None
    _stored("t.yaml", BASE)
    assert cache.lookup("t.yaml", cache.digest(BASE.encode(), "t.yaml")) is None
    assert [p.name for p in tmp_path.iterdir()] == ["home"]  # no ./~ nor ./relative


def test_a_working_folder_deleted_is_a_miss_not_an_error(cache_home: Path, gone_cwd: None) -> None:
    _stored("../t.yaml", BASE)  # os.path.abspath cannot know where that is
    assert cache.lookup("../t.yaml", cache.digest(BASE.encode(), "../t.yaml")) is None


def test_the_cache_drops_what_was_used_least_recently(
    cache_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _stored("a.yaml", BASE)
    (a,) = cache_home.iterdir()
    _stored("b.yaml", BASE)
    (b,) = set(cache_home.iterdir()) - {a}
    os.utime(a, (1e9, 1e9))  # long unused
    left_behind = cache_home / ".entry.cut.tmp"
    left_behind.write_bytes(b"a write cut short")
    os.utime(left_behind, (1e9, 1e9))
    monkeypatch.setattr(cache, "MAX_BYTES", b.stat().st_size * 2 + 1)
    cache.prune(cache_home)
    assert sorted(cache_home.iterdir()) == [b]  # a is too old, and so is the cut write
    key, _ = _stored("c.yaml", BASE)
    c = set(cache_home.iterdir()) - {b}
    os.utime(b, (time.time() - 60, time.time() - 60))
    _stored("d.yaml", BASE)  # three entries weigh more than MAX_BYTES: b was used least
    assert b not in set(cache_home.iterdir()) and c < set(cache_home.iterdir())
    assert cache.lookup("c.yaml", key) is not None


def test_an_entry_of_another_version_is_a_miss(
    cache_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _stored("t.yaml", BASE)
    monkeypatch.setattr(cache, "FORMAT_VERSION", cache.FORMAT_VERSION + 1)
    assert cache.lookup("t.yaml", cache.digest(BASE.encode(), "t.yaml")) is None
    edited = EDITS["title changed"](BASE).encode()
    assert cache.lookup("t.yaml", cache.digest(edited, "t.yaml")) is None


@pytest.mark.parametrize("damage", ["truncate", "garbage", "empty"])
def test_a_damaged_entry_is_a_miss_and_is_removed(cache_home: Path, damage: str) -> None:
    key, _ = _stored("t.yaml", BASE)
    (entry,) = cache_home.iterdir()
    data = entry.read_bytes()
    if damage == "truncate":
        entry.write_bytes(data[: len(data) // 2])
    elif damage == "garbage":
        entry.write_bytes(data[:60] + b"\x00garbage" * 100)
    else:
        entry.write_bytes(b"")
    found = cache.lookup("t.yaml", key)
    if found is not None:  # the head may survive a cut at the end: the full read fails
        assert found.full() is None
    assert not entry.exists() or damage == "empty"
    assert gc.isenabled()


@pytest.mark.parametrize("where", [".pickle", ".lock"])
def test_a_fifo_in_the_cache_is_a_miss_not_a_hang(cache_home: Path, where: str) -> None:
    # A FIFO at an entry's path, or at its lock's, blocked `validate` for ever: opening
    # it waits for a writer (found by a review).
    key, _ = _stored("t.yaml", BASE)
    (entry,) = cache_home.iterdir()
    entry.unlink()
    fifo = entry.with_suffix(where)
    os.mkfifo(fifo, 0o600)
    found: list[object] = []
    looking = threading.Thread(target=lambda: found.append(cache.lookup("t.yaml", key)))
    looking.daemon = True
    looking.start()
    looking.join(5)
    hung = looking.is_alive()
    if hung:  # let the blocked open go before failing
        os.close(os.open(fifo, os.O_WRONLY | os.O_NONBLOCK))
        looking.join(5)
    assert not hung
    assert found == [None]


def test_an_entry_with_reads_no_load_leaves_is_a_miss_and_is_removed(
    cache_home: Path, tmp_path: Path
) -> None:
    path = tmp_path / "t.yaml"
    path.write_text(BASE, encoding="utf-8")
    result = load_text(BASE, str(path))
    key = cache.digest(BASE.encode(), str(path))
    cache.store(str(path), key, result, "not what a load leaves")
    with counted() as (_, splits):
        loaded, _ = Session(path).load()
    same(loaded, result)
    assert len(splits) == 1  # read from the file
    assert not any(cache_home.iterdir())


def test_an_entry_that_cannot_be_written_is_a_miss_not_an_error(
    cache_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    result = load_text(BASE, "t.yaml")

    def fail(*args: object, **kwargs: object) -> None:
        raise RuntimeError("dictionary changed size during iteration")

    monkeypatch.setattr(cache.pickle, "dump", fail)
    cache.store("t.yaml", cache.digest(BASE.encode(), "t.yaml"), result, {})
    assert not any(cache_home.iterdir())  # no entry, no half-written file


def test_a_session_survives_its_cache_being_deleted_or_unwritable(
    cache_home: Path, tmp_path: Path
) -> None:
    path = tmp_path / "t.yaml"
    path.write_text(BASE, encoding="utf-8")
    opener = Session(path)
    first, _ = opener.load()
    assert first.timeline is not None
    assert not cache_home.exists()  # nothing is cached until the app says so
    opener.remember()
    assert any(cache_home.iterdir())
    second, _ = Session(path).load()  # from the cache
    same(second, first)
    for entry in cache_home.iterdir():
        entry.unlink()
    cache_home.rmdir()
    cache_home.parent.rmdir()
    cache_home.parent.write_text("not a folder")  # the cache cannot even be created
    third, _ = Session(path).load()
    same(third, first)


def cached(tmp_path: Path) -> Path:
    """A file of BASE, opened once and cached."""
    path = tmp_path / "t.yaml"
    path.write_text(BASE, encoding="utf-8")
    opener = Session(path)
    opener.load()
    opener.remember()
    return path


def test_a_session_from_the_cache_reloads_incrementally(cache_home: Path, tmp_path: Path) -> None:
    path = cached(tmp_path)
    session = Session(path)
    partials: list[int] = []
    session.load(lambda read, total, result: partials.append(total))
    edited = EDITS["line inserted at the top"](BASE)
    path.write_text(edited, encoding="utf-8")
    reloaded, _ = session.load()
    same(reloaded, load_text(edited, str(path)))


def test_a_session_from_the_cache_is_ready_for_an_edit_without_reading_the_file(
    cache_home: Path, tmp_path: Path
) -> None:
    """The cache keeps what each block gave, where it is in the file: a session that
    opened from it does not split and read the file again to reload the next edit."""
    path = cached(tmp_path)
    session = Session(path)
    with counted() as (reads, splits):
        session.load()  # from the cache
        session.remember()
        assert (reads, splits) == ([], [])
        edited = EDITS["title changed"](BASE)
        path.write_text(edited, encoding="utf-8")
        reloaded, _ = session.load()
    same(reloaded, load_text(edited, str(path)))
    assert len(reads) == 1 and splits == []


@pytest.mark.parametrize("edit", EDITS, ids=list(EDITS))
def test_a_file_edited_since_it_was_cached_loads_as_an_edit_of_the_entry(
    cache_home: Path, tmp_path: Path, edit: str
) -> None:
    path = cached(tmp_path)
    edited = EDITS[edit](BASE)
    path.write_text(edited, encoding="utf-8")
    shown: list[int] = []
    with counted() as (reads, _):
        session = Session(path)
        result, _ = session.load(lambda read, total, partial: shown.append(total))
    same(result, load_text(edited, str(path)))
    assert shown == []  # the entry's head is not this file's: nothing is shown before
    if edit == "title changed":
        assert len(reads) == 1  # only the edited block is read
    session.remember()  # the entry is now the edited file's
    entry = cache.lookup(str(path), cache.digest(edited.encode(), str(path)))
    assert entry is not None and entry.fresh


def test_a_long_first_load_reports_progress(
    tmp_path: Path, cache_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(loader, "COUNT_EVERY", 700)
    path = tmp_path / "t.yaml"
    path.write_text(generate(1_500, seed=5), encoding="utf-8")
    seen: list[tuple[int, int, int | None]] = []

    def partial(read: int, total: int, result: LoadResult | None) -> None:
        shown = None if result is None or result.timeline is None else result.timeline.events
        seen.append((read, total, None if shown is None else len(shown)))

    result, _ = Session(path, use_cache=False).load(partial)
    # A timeline of the events read at 500 and 1,000 (they double); between them, and
    # after, the count: at 100k events it stood at 64,000 for seconds (a user pass).
    assert seen == [
        (500, 1_500, 500),
        (700, 1_500, None),
        (1_000, 1_500, 1_000),
        (1_400, 1_500, None),
    ]
    assert result.timeline is not None and len(result.timeline.events) == 1_500


# --- where an edit changed a file -------------------------------------------------------------


@settings(max_examples=300, deadline=None)
@given(
    st.binary(max_size=20_000).map(lambda b: bytes(x % 2 + 97 for x in b)),  # few values
    st.integers(0, 20_000),
    st.integers(0, 50),
    st.binary(max_size=8).map(lambda b: bytes(x % 2 + 97 for x in b)),
)
def test_the_changed_span_is_the_one_between_the_common_start_and_end(
    old: bytes, at: int, cut: int, inserted: bytes
) -> None:
    new = old[:at] + inserted + old[at + cut :]
    change = changed_span(old, new)
    limit = min(len(old), len(new))
    start = next((i for i in range(limit) if old[i] != new[i]), limit)
    tail = next(
        (i for i in range(limit - start) if old[len(old) - 1 - i] != new[len(new) - 1 - i]),
        limit - start,
    )
    assert change == (start, len(old) - tail, len(new) - tail)
    assert old[: change.start] + new[change.start : change.new_end] + old[change.old_end :] == new


@settings(max_examples=300, deadline=None)
@given(
    st.binary(max_size=2_000).map(lambda b: bytes(x % 2 + 97 for x in b)),
    st.integers(0, 2_000),
    st.integers(0, 50),
    st.binary(max_size=8).map(lambda b: bytes(x % 2 + 97 for x in b)),
    st.integers(1, 64),
    st.integers(0, 100),
)
def test_a_fingerprint_finds_the_changed_span_to_the_nearest_chunk(
    old: bytes, at: int, cut: int, inserted: bytes, chunk: int, keep: int
) -> None:
    new = old[:at] + inserted + old[at + cut :]
    exact = changed_span(old, new)
    change = Fingerprint(old, chunk, keep).changed_span(new)
    # What lies outside the span is the same...
    assert change.start <= change.old_end and change.start <= change.new_end
    assert change.new_end - change.old_end == len(new) - len(old)
    assert old[: change.start] + new[change.start : change.new_end] + old[change.old_end :] == new
    if old == new:  # the same bytes are told as such, if a chunk fits in them
        assert change == (len(old), len(old), len(old)) or len(old) < chunk
        return
    # ...and it is no wider than the exact one but for less than a chunk on each side; it
    # starts where the exact one does when that is in the kept first bytes.
    keep = min(keep, len(old))
    if exact.start < keep:
        assert change.start == exact.start
    else:
        assert (change.start - keep) % chunk == 0 and keep <= change.start <= exact.start
    assert change.old_end - change.start <= exact.old_end - exact.start + 2 * (chunk - 1)


# --- found by review ------------------------------------------------------------------------

RELATED_BY_CASE = """title: T
events:
  - id: Apollo
    date: 2020
    title: A
    sources: [x]
  - id: apollo
    date: 2021
    title: B
    sources: [x]
  - id: c
    date: 2022
    title: C
    sources: [x]
    related: [APOLLO]
"""


def test_a_date_edit_renews_the_did_you_mean_of_other_events() -> None:
    # "did you mean" names the first close id in date order: moving an event changes it.
    loader = BlockLoader("t.yaml")
    loader.load_data(RELATED_BY_CASE.encode())
    _, splits = reload_checked(loader, RELATED_BY_CASE.replace("date: 2020", "date: 2023"))
    assert splits == 0


SAME_DATE_SWAPPED = """title: T
events:
  - id: abc
    date: 2020
    title: A
    sources: [x]
  - id: bca
    date: 2020
    title: B
    sources: [x]
  - id: z
    date: 2022
    title: Z
    sources: [x]
    related: [bac]
"""


def test_two_events_of_one_date_swapped_renew_the_did_you_mean_of_other_events() -> None:
    # Neither an id nor a date changed, yet the first close id in date order did.
    loader = BlockLoader("t.yaml")
    loader.load_data(SAME_DATE_SWAPPED.encode())
    a, b = SAME_DATE_SWAPPED.index("  - id: abc"), SAME_DATE_SWAPPED.index("  - id: z")
    middle = SAME_DATE_SWAPPED.index("  - id: bca")
    swapped = (
        SAME_DATE_SWAPPED[:a]
        + SAME_DATE_SWAPPED[middle:b]
        + SAME_DATE_SWAPPED[a:middle]
        + SAME_DATE_SWAPPED[b:]
    )
    _, splits = reload_checked(loader, swapped)
    assert splits == 0


def test_an_event_left_out_under_the_id_of_another_is_said_at_the_other_one() -> None:
    # The other event is outside the edit: found by its id, not among those that name
    # others (which are all a reload checks again otherwise).
    loader = BlockLoader("t.yaml")
    loader.load_data(BASE.encode())
    clash = BASE.replace(
        "  - id: ev-40\n    date: 2025-04~\n", "  - id: ev-3\n    date: 2025-13\n", 1
    )
    reload_checked(loader, clash)
    result = loader.load_data(clash.encode())
    assert any("an event left out by its error has it too" in d.message for d in result.errors)
    reload_checked(loader, BASE)


def test_a_second_byte_order_mark_does_not_misplace_the_next_edit() -> None:
    # Items at column 0, so that a block start three bytes off still looks like one.
    text = "\ufeff\ufeff" + (
        "title: T\nevents:\n- id: a\n  date: 2020\n  sources: [x]\n  title: A - \n"
        "- id: b\n  date: 2021\n  title: B\n  sources: [x]\n"
        "- id: c\n  date: 2022\n  title: C\n  sources: [x]\n"
    )
    loader = BlockLoader("t.yaml")
    loader.load_data(text.encode())
    reload_checked(loader, text.replace("title: C", "title: CC"))


def test_an_edit_leaves_the_reads_being_cached_alone() -> None:
    # Session.remember pickles what the last load read outside its lock while the next
    # save may be loading: an edit must make new reads, not change those.
    loader = BlockLoader("t.yaml")
    loader.load_data(BASE.encode())
    being_cached = loader.known
    before = pickle.dumps(being_cached)
    text = BASE
    for number in range(5):
        text = text.replace("  - id: ev-30\n", f"  - id: ev-30\n    title: Edit {number}\n", 1)
        reload_checked(loader, text)
        text = text.replace(f"    title: Edit {number}\n", "", 1)
    assert pickle.dumps(being_cached) == before and loader.known is not being_cached


def test_records_pickled_as_calls_of_their_class_have_every_field_as_an_argument() -> None:
    """`pickled.by_fields` rebuilds a record by calling its class with its slots' values:
    that holds while each field is an `__init__` argument, in the order of the slots."""
    from timeline_tui.core.dates import FuzzyDate
    from timeline_tui.core.model import Diagnostic, Event, Figure, Quote, Source

    for cls in (Diagnostic, Event, Figure, FuzzyDate, Quote, Source):
        assert cls.__reduce__ is pickled.by_fields
        names = [f.name for f in dataclasses.fields(cls) if f.init]
        assert names == list(cls.__slots__) == [f.name for f in dataclasses.fields(cls)]
    timeline = load_text(generate(40, seed=7), "t.yaml").timeline
    assert timeline is not None and any(e.quotes and e.figures for e in timeline.events)
    assert pickle.loads(pickle.dumps(timeline)) == timeline


def test_a_long_load_stops_when_told_and_the_next_one_is_whole(tmp_path: Path) -> None:
    # `q` during a first load of a big file left the terminal blank until the whole file
    # was read (2-3 s at 50k events): the load's thread kept the app from ending (a user
    # pass). The read now looks at `stop()` every few hundred blocks.
    text = generate(3 * loader.STOP_CHECK, seed=8)
    path = tmp_path / "t.yaml"
    path.write_text(text, encoding="utf-8")
    asked: list[int] = []

    def stop() -> bool:
        asked.append(1)
        return len(asked) >= 2

    blocks = BlockLoader("t.yaml")
    with pytest.raises(loader.LoadStopped):
        blocks.load_data(text.encode(), stop=stop)
    assert len(asked) == 2  # after 512, then 1024 blocks: not after reading them all
    same(blocks.load_data(text.encode()), BlockLoader("t.yaml").load_data(text.encode()))
    session = Session(path, use_cache=False)
    result, _ = session.load(lambda read, total, result: None, stop=lambda: True)
    assert result.timeline is None and result.diagnostics == ()
    # A load cancelled by a newer one (not stopped: the app is not quitting) reads on: the
    # newer one reuses what it read (a review: `r` during a first load started it over).
    result, _ = session.load(lambda read, total, result: None, cancelled=lambda: True)
    assert result.timeline is not None and len(result.timeline.events) == 3 * loader.STOP_CHECK


# --- the command line and the cache ----------------------------------------------------------


def cli(capsys: pytest.CaptureFixture[str], *argv: str | Path) -> tuple[int, str, str]:
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


def fresh(path: Path, *, wait: bool = True) -> bool:
    """Whether the cache holds an entry made from the file as it is now (once a process
    writing it is done, unless not to `wait`)."""
    data = path.read_bytes()
    entry = cache.lookup(str(path), cache.digest(data, str(path)), wait=wait)
    return entry is not None and entry.fresh


@pytest.mark.parametrize("command", ["validate", "export"])
def test_the_command_line_answers_from_the_cache_as_without_it(
    cache_home: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], command: str
) -> None:
    path = tmp_path / "t.yaml"
    path.write_text(BASE, encoding="utf-8")
    uncached = cli(capsys, command, path, "--no-cache")
    assert not cache_home.exists()  # --no-cache writes nothing either
    with counted() as (reads, _):
        assert cli(capsys, command, path) == uncached
        assert len(reads) == 60 and any(cache_home.iterdir())
        assert cli(capsys, command, path) == uncached
        assert len(reads) == 60  # the second answer read no block
    edited = EDITS["title changed"](BASE)
    path.write_text(edited, encoding="utf-8")
    uncached = cli(capsys, command, path, "--no-cache")
    with counted() as (reads, _):
        assert cli(capsys, command, path) == uncached
    assert len(reads) == 1  # an edit of the cached version: only its block is read


@pytest.mark.skipif(sys.platform != "linux", reason="forks only on Linux")
@pytest.mark.parametrize("command", ["validate", "export"])
def test_a_command_ends_before_a_big_entry_is_written(
    cache_home: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    command: str,
) -> None:
    path = tmp_path / "t.yaml"
    path.write_text(BASE, encoding="utf-8")
    uncached = cli(capsys, command, path, "--no-cache")
    monkeypatch.setattr(session, "BACKGROUND_EVENTS", 60)  # BASE counts as big
    store = cache.store

    def slow_store(*args: object) -> None:
        time.sleep(1)
        store(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(cache, "store", slow_store)
    start = time.monotonic()
    assert cli(capsys, command, path) == uncached
    assert time.monotonic() - start < 0.9 and not fresh(path, wait=False)
    # A process that outlived the command writes it: the next command, run at once,
    # waits for it rather than reading the whole file again (and writing it again).
    with counted() as (reads, _):
        assert cli(capsys, command, path) == uncached
    assert reads == [] and time.monotonic() - start >= 1
    # The writer let go of the file's bytes before storing (the command left it that),
    # keeping what finds the next edit in them.
    entry = cache.lookup(str(path), cache.digest(path.read_bytes(), str(path)))
    assert entry is not None and entry.fresh
    full = entry.full()
    assert full is not None and isinstance(full[1].seen, Fingerprint)
    monkeypatch.setattr(session, "BACKGROUND_EVENTS", 61)
    other = tmp_path / "u.yaml"
    other.write_text(BASE, encoding="utf-8")
    start = time.monotonic()
    cli(capsys, command, other)
    assert time.monotonic() - start >= 1 and fresh(other)  # a smaller one: written here


@pytest.mark.skipif(sys.platform != "linux", reason="forks only on Linux")
@pytest.mark.parametrize("command", ["validate", "export"])
def test_a_command_started_with_sigchld_ignored_still_succeeds(
    tmp_path: Path, command: str
) -> None:
    # `perl -e '$SIG{CHLD}="IGNORE"; exec @ARGV' timeline-tui validate big.yaml`: the
    # children were reaped by the kernel, and waiting for them raised: a traceback, and
    # exit 1 for a good file (found by a review).
    path = tmp_path / "big.yaml"
    path.write_text(generate(session.BACKGROUND_EVENTS, seed=5), encoding="utf-8")
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path / "cache")}
    done = subprocess.run(
        [sys.executable, "-m", "timeline_tui", command, str(path)],
        capture_output=True,
        env=env,
        timeout=120,
        preexec_fn=lambda: signal.signal(signal.SIGCHLD, signal.SIG_IGN),
    )
    assert done.returncode == 0 and b"Traceback" not in done.stderr, done.stderr


def test_the_command_line_rewrites_an_entry_only_when_it_pays(
    cache_home: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "t.yaml"
    path.write_text(BASE, encoding="utf-8")
    cli(capsys, "validate", path)
    assert fresh(path)
    # One block read again costs less than rewriting the entry: it stays the old version's.
    path.write_text(EDITS["title changed"](BASE), encoding="utf-8")
    cli(capsys, "validate", path)
    assert not fresh(path)
    # Every block read again costs more: the entry becomes this version's.
    path.write_text(BASE.replace("    title: ", "    title:  "), encoding="utf-8")
    with counted() as (reads, _):
        cli(capsys, "validate", path)
    assert len(reads) == 60 and fresh(path)


def test_a_command_answered_from_the_cache_does_no_more_work(
    cache_home: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # A duplicate id: the load keeps its reads by digest, so checking the entry against
    # the file would split and hash it all again, for a next edit no command loads.
    path = tmp_path / "t.yaml"
    path.write_text(BASE.replace("  - id: ev-11\n", "  - id: ev-10\n", 1), encoding="utf-8")
    first = cli(capsys, "validate", path)
    assert "ev-10" in first[1]  # the duplicate is reported
    with counted() as (reads, splits):
        assert cli(capsys, "validate", path) == first
    assert (reads, splits) == ([], [])


def test_a_command_rewrites_the_entry_of_a_file_it_had_to_read_whole(
    cache_home: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "t.yaml"
    anchor = "x-note: &note an anchor\nx-again: *note\n"  # may tie blocks: read whole
    path.write_text(anchor + BASE, encoding="utf-8")
    cli(capsys, "validate", path)
    path.write_text(anchor + EDITS["title changed"](BASE), encoding="utf-8")
    cli(capsys, "validate", path)
    assert fresh(path)  # the next run is answered from it, not read whole again


# --- a first load shared out among processes -----------------------------------------


@pytest.fixture
def small_shares(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Loads share out runs of as few as 3 characters (an item at least) a process; the
    number of parts of each load."""
    monkeypatch.setattr(loader, "MIN_SHARE", 3)
    parts: list[int] = []

    def counted(work, shares):  # type: ignore[no-untyped-def]
        parts.append(len(shares))
        return forked_map(work, shares)

    monkeypatch.setattr(loader, "forked_map", counted)
    return parts


TEXTS = {
    "generated": generate(200, seed=11),
    "mistakes": (Path(__file__).parent / "data" / "mistakes.yaml").read_text(encoding="utf-8"),
    **{name: edit(BASE) for name, edit in EDITS.items()},
    **{
        p.name[:2]: p.read_bytes().decode("utf-8", "replace")
        for p in (Path(__file__).parent / "corpus").glob("*")
    },
}


@pytest.mark.parametrize("name", TEXTS)
def test_a_load_shared_out_equals_one_read_alone(name: str, small_shares: list[int]) -> None:
    data = TEXTS[name].encode()
    shared, alone = BlockLoader("t.yaml", processes=3), BlockLoader("t.yaml")
    same(shared.load_data(data), alone.load_data(data))
    # What each block gave, and where, is kept alike: the next edit (of the last event's
    # title, in a child's share) reads the same blocks again.
    at = data.rfind(b"  title: ")
    edited = data[:at] + b"  title: Edited" + data[at + 8 :]
    same(shared.load_data(edited), alone.load_data(edited))
    assert shared.edit_reads == alone.edit_reads


def test_a_big_first_load_is_shared_out_and_an_edit_is_not(small_shares: list[int]) -> None:
    data = generate(40, seed=2).encode()
    shared = BlockLoader("t.yaml", processes=3)
    result: LoadResult = shared.load_data(data)
    assert len(result.timeline.events) == 40
    assert small_shares == [3]
    at = data.rfind(b"  title: ")
    shared.load_data(data[:at] + b"  title: Edited" + data[at + 8 :])
    assert small_shares == [3]  # read block by block, from what the first load kept
    assert shared.edit_reads == 1


@pytest.mark.parametrize("command", ["validate", "export"])
def test_the_command_line_shares_out_a_first_load(
    command: str,
    small_shares: list[int],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    path = tmp_path / "t.yaml"
    path.write_text(EDITS["bad date"](BASE), encoding="utf-8")
    monkeypatch.setattr(forked, "cpus", lambda: 1)
    monkeypatch.setattr("timeline_tui.cli.cpus", lambda: 1)
    alone = main([command, "--no-cache", str(path)]), capsys.readouterr()
    monkeypatch.setattr("timeline_tui.cli.cpus", lambda: 3)
    shared = main([command, "--no-cache", str(path)]), capsys.readouterr()
    assert shared == alone
    assert alone[0] == 1 and "1900" in alone[1].out + alone[1].err
    assert small_shares == [3]
