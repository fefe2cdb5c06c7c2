"""Paging through expanded events, and figures laid out in full: what the user sees.

The helpers come from test_app.py, as the pilot tests there drive the app the same way.
"""

from __future__ import annotations

import pytest

from conftest import EVENTS, loaded, view_text
from test_app import app_for, cursor_row, go_to
from timeline_tui.ui.render import clean, event_date_label
from timeline_tui.ui.widgets.timeline_view import TimelineView


def selection_shown(view: TimelineView) -> bool:
    """Whether the row drawn as selected is the current event's."""
    event, row = view.current, cursor_row(view)
    return (
        event is not None
        and row is not None
        and event_date_label(event)[:8] in row
        and clean(event.title)[:12] in row
    )


@pytest.mark.parametrize("size", [(80, 30), (60, 30), (120, 16)])
async def test_paging_through_expanded_events_keeps_the_selected_row_on_screen(
    size: tuple[int, int],
) -> None:
    # After `+`, `g`, PageDown, the cursor was left on an event whose row had scrolled
    # off: no row was highlighted, and Enter folded an event the user could not see.
    app = app_for(EVENTS)
    async with app.run_test(size=size) as pilot:
        await loaded(pilot)
        view = app.main.view
        await pilot.press("plus", "g")
        visited = []
        for key in ["pagedown"] * 40 + ["pageup"] * 40:
            await pilot.press(key)
            assert view.current is not None
            assert selection_shown(view), (key, view.current.id, view_text(view))
            visited.append(view.current.id)
        assert visited[39] == view.events[-1].id
        assert visited[-1] == view.events[0].id

        await go_to(pilot, "partnership-restructured")
        await pilot.press("pagedown")
        event = view.current
        assert event is not None and selection_shown(view)
        await pilot.press("enter")
        assert event.id not in view.expanded_ids
        assert view.current is event and selection_shown(view)


async def test_the_row_of_an_event_read_page_by_page_stays_on_top() -> None:
    app = app_for(EVENTS)
    async with app.run_test(size=(120, 16)) as pilot:
        await loaded(pilot)
        view = app.main.view
        await go_to(pilot, "ft-interview")
        await pilot.press("enter", "pagedown")
        # The screen shows only its body, under its row, which Enter folds.
        assert view.current is not None and view.current.id == "ft-interview"
        rows = view_text(view).splitlines()
        assert rows[0].startswith("▾ ") and "Mustafa Suleyman breaks his silence" in rows[0]
        assert selection_shown(view)
        assert all(row.startswith("   ") or not row for row in rows[1:])
        await pilot.press("enter")
        assert view.expanded_ids == set()
        assert selection_shown(view)


LABELS = [
    "Amount invested in the Microsoft–OpenAI partnership",
    "Microsoft's stake in OpenAI's for-profit branch",
]


def figures_text(view: TimelineView) -> list[str]:
    """The detail's rows from "Figures" to the next heading, stripped."""
    rows = [row.strip() for row in view_text(view).splitlines()]
    start = rows.index("Figures") + 1
    return rows[start : rows.index("Sources", start)]


SOURCE_SHORT = "Microsoft confirme ce que tout le monde…"


@pytest.mark.parametrize("width", [60, 80, 120])
async def test_figure_labels_are_shown_whole_at_every_width(width: int) -> None:
    # A label longer than its column was cut with "…", and the detail was the only place
    # to read it.
    app = app_for(EVENTS)
    async with app.run_test(size=(width, 120)) as pilot:
        await loaded(pilot)
        view = app.main.view
        await go_to(pilot, "microsoft-stake-in-openai")
        await pilot.press("enter")
        event = view.current
        assert event is not None
        for size in ((width, 120), (200 - width, 120), (width, 120)):
            # Laid out again for each width, the event's height still matches its lines.
            await pilot.resize_terminal(*size)
            await pilot.pause()
            figures = figures_text(view)
            joined = " ".join(figures)
            # (The source, which has no publisher, is named by the start of its title.)
            assert "…" not in joined.replace(SOURCE_SHORT, ""), figures
            for label in LABELS:
                assert label in joined, (size, figures)
            assert "13 billion dollars" in joined and "27%" in joined
            await pilot.press("j")
            rows = view_text(view).splitlines()
            at = next(i for i, row in enumerate(rows) if "Microsoft invests" in row)
            assert rows[at - 1] == "", rows[at - 3 : at]
            line = view.timeline.line_of(event)
            assert rows[at - 2].endswith(f" line {line}"), rows[at - 3 : at]
            await pilot.press("k")
