"""The help screen scrolls with the list's keys, driven through Pilot."""

from __future__ import annotations

from textual.containers import VerticalScroll
from textual.widgets import Static

from conftest import EVENTS, loaded, still_app, widget_text
from timeline_tui.ui.screens.help import HelpScreen

# Short enough that the help does not fit.
SIZE = (100, 20)


def shown(screen: HelpScreen) -> list[str]:
    """The lines of the help that its box shows now."""
    body = screen.query_one("#help-body", VerticalScroll)
    lines = widget_text(screen.query_one("#help-text", Static)).splitlines()
    top = round(body.scroll_y)
    return lines[top : top + body.scrollable_content_region.height]


async def test_vi_keys_scroll_the_help_and_stay_out_of_the_footer() -> None:
    app = still_app(EVENTS)
    async with app.run_test(size=SIZE) as pilot:
        await loaded(pilot)
        await pilot.press("question_mark")
        screen = app.screen
        assert isinstance(screen, HelpScreen)
        body = screen.query_one("#help-body", VerticalScroll)
        first = shown(screen)
        assert first[0].startswith("Keys") and body.max_scroll_y > 0

        await pilot.press("j", "j")
        assert shown(screen)[0] == first[2]
        await pilot.press("k")
        assert shown(screen)[0] == first[1]
        await pilot.press("G")
        assert shown(screen)[-1].startswith("?–13 Feb 2026")
        await pilot.press("g")
        assert shown(screen) == first
        await pilot.press("ctrl+f")
        whole = widget_text(screen.query_one("#help-text", Static)).splitlines()
        assert shown(screen)[0] == whole[len(first)]  # the line after the first page
        await pilot.press("ctrl+b")
        assert shown(screen) == first
        # The keys the help has just named, as a vi user tries them there (a user pass).
        half = body.scrollable_content_region.height // 2
        await pilot.press("ctrl+d")
        assert shown(screen)[0] == first[half]
        await pilot.press("ctrl+u", "ctrl+e", "ctrl+e")
        assert shown(screen)[0] == first[2]
        await pilot.press("ctrl+y")
        assert shown(screen)[0] == first[1]

        footer_keys = {key for key, active in screen.active_bindings.items() if active.binding.show}
        assert not footer_keys & {"j", "k", "g", "G", "ctrl+f", "ctrl+b", "ctrl+d", "ctrl+u"}
        await pilot.press("escape")
        assert not isinstance(app.screen, HelpScreen)
