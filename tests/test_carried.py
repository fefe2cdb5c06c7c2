"""Showing a file with errors: events an error leaves out are carried over from the
version shown before, unless that would still hide one of its events."""

from __future__ import annotations

import pytest

from timeline_tui.core.carried import as_shown, carry_over
from timeline_tui.core.loader import BlockLoader, LoadResult, load_text
from timeline_tui.core.model import Timeline


def events(*items: str) -> str:
    return "title: T\nevents:\n" + "".join(items)


A = "  - id: a\n    date: 2020\n    title: A\n"
B = "  - id: b\n    date: 2021\n    title: B\n"
C = "  - id: c\n    date: 2022\n    title: C\n"
NO_ID = "  - date: 2023\n    title: No id\n"


def loaded(text: str) -> tuple[Timeline, LoadResult]:
    result = load_text(text, "t.yaml")
    assert result.timeline is not None
    return result.timeline, result


def test_an_event_left_out_by_an_error_is_carried_over_in_its_place() -> None:
    shown, _ = loaded(events(A, B, C))
    timeline, result = loaded(events(A.replace("A", "A, edited"), B.replace("2021", "2021-13"), C))
    over = carry_over(timeline, result.diagnostics, shown)
    assert over is not None
    merged, carried = over
    assert [e.id for e in merged.events] == ["a", "b", "c"]
    assert merged.events[0].title == "A, edited"  # the other edits show
    assert merged.events[1] is shown.events[1]  # b as it was, in its place
    assert list(carried) == ["b"] and "2021-13" in carried["b"].message


def test_an_event_carried_over_has_its_end_among_those_a_filter_reads() -> None:
    # The ends worked out before are carried over with the events, in their places.
    long = "  - id: z\n    date: 2019\n    end: 2030\n    title: Z\n"
    shown, _ = loaded(events(A, B, long, C))
    timeline, result = loaded(events(A, B, long.replace("2019", "2019-13"), C))
    for worked_out in (False, True):
        if worked_out:
            timeline.end_keys  # noqa: B018
        over = carry_over(timeline, result.diagnostics, shown)
        assert over is not None
        merged = over[0]
        again = Timeline(merged.title, merged.path, merged.events)
        assert merged.end_keys == again.end_keys
        assert merged.span_end == again.span_end == shown.events[0].end


D = "  - id: d\n    date: 2024\n    title: D\n"
NEW_UNDER_D = "  - id: d\n    date: 2021-13\n    title: New\n"
# Edits of events(A, B, C, D) that leave events out, each as a reload makes them (an edit of
# the version before): what is carried over is found from the edit as from all the ids.
EDITS_WITH_ERRORS = {
    "a quote left open": (events(A, B.replace("title: B", 'title: "B'), C, D), ["b"]),
    "a date made invalid": (events(A, B, C.replace("2022", "2022-13"), D), ["c"]),
    "two events left out": (
        events(A.replace("2020", "2020-13"), B, C.replace("2022", "x"), D),
        ["a", "c"],
    ),
    "one left out, one deleted": (events(A, B.replace("2021", "2021-13"), D), None),
    "left out under another event's id": (
        events(A, B.replace("id: b\n    date: 2021", "id: d\n    date: 2021-13"), C, D),
        None,
    ),
    "left out and its id taken in the same place": (
        events(A, B.replace("2021", "2021-13") + B.replace("id: b", "id: b\n    end: 2022"), C, D),
        None,
    ),
    "left out, and a new one under another event's id": (
        events(A, B.replace("2021", "2021-13"), NEW_UNDER_D, C, D),
        None,
    ),
    "left out under a new id": (
        events(A, B.replace("id: b\n    date: 2021", "id: e\n    date: 2021-13"), C, D),
        None,
    ),
}


@pytest.mark.parametrize("edit", EDITS_WITH_ERRORS, ids=list(EDITS_WITH_ERRORS))
def test_what_an_edit_changed_carries_over_what_all_the_ids_do(edit: str) -> None:
    text, carried = EDITS_WITH_ERRORS[edit]
    loader = BlockLoader("t.yaml")
    shown = loader.load_data(events(A, B, C, D).encode()).timeline
    result = loader.load_data(text.encode())
    assert shown is not None and result.timeline is not None
    assert result.edit is not None and result.edit.base() is shown
    quick = carry_over(result.timeline, result.diagnostics, shown, result.edit)
    slow = carry_over(result.timeline, result.diagnostics, shown)
    assert (None if quick is None else list(quick[1])) == carried
    assert (None if slow is None else list(slow[1])) == carried
    if quick is not None and slow is not None:
        assert quick[0].events == slow[0].events


def test_a_syntax_error_in_an_event_is_carried_over_too() -> None:
    shown, _ = loaded(events(A, B, C))
    timeline, result = loaded(events(A, B.replace("title: B", 'title: "B'), C))
    over = carry_over(timeline, result.diagnostics, shown)
    assert over is not None and list(over[1]) == ["b"]


def test_nothing_is_carried_when_an_event_would_still_be_missing() -> None:
    shown, _ = loaded(events(A, B, C, NO_ID))
    # Deleted while another event has an error: the deletion waits for the fix.
    timeline, result = loaded(events(A, B.replace("2021", "2021-13"), NO_ID))
    assert carry_over(timeline, result.diagnostics, shown) is None
    # Cut short inside an event: the events after the cut are missing.
    timeline, result = loaded(events(A, '  - id: b\n    date: 2021\n    title: "B\n'))
    assert carry_over(timeline, result.diagnostics, shown) is None
    # An error in an event with no id: nothing says which event it was.
    timeline, result = loaded(events(A, B, C, NO_ID.replace("2023", "2023-13")))
    assert carry_over(timeline, result.diagnostics, shown) is None


def test_nothing_is_carried_when_another_event_has_taken_the_id_of_one_left_out() -> None:
    # The broken event vanished, and the events related to it pointed at the newcomer
    # without a word (found by a review).
    shown, _ = loaded(events(A, B))
    newcomer = "  - id: b\n    date: 2029\n    title: Newcomer\n"
    timeline, result = loaded(events(A, B.replace("2021", "2021-13"), newcomer))
    assert carry_over(timeline, result.diagnostics, shown) is None


def test_an_error_that_leaves_nothing_out_carries_nothing() -> None:
    shown, _ = loaded(events(A, B))
    timeline, result = loaded(events(A, B + "    related: [zz]\n"))
    assert result.errors
    assert carry_over(timeline, result.diagnostics, shown) == (timeline, {})


def test_the_problems_say_a_carried_event_is_shown_as_it_was() -> None:
    # They said it was left out while the list showed it (found by a review).
    shown, _ = loaded(events(A, B + "    related: [a]\n", C + "    related: [b]\n"))
    timeline, result = loaded(events(A, B.replace("2021", "2021-13"), C + "    related: [b]\n"))
    over = carry_over(timeline, result.diagnostics, shown)
    assert over is not None
    said = [d.message for d in as_shown(result.diagnostics, over[1])]
    assert any(
        m.endswith("; event 'b' is shown as it was before (!) until this is fixed") for m in said
    )
    assert "related event 'b' is shown as it was before its error (!)" in said
    assert not any("left out" in m for m in said)
    # Not carried: the file's own words.
    assert [d.message for d in as_shown(result.diagnostics, {})] == [
        d.message for d in result.diagnostics
    ]
