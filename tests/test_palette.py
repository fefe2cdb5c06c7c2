"""The command palette's "jump to event", driven through Pilot: keys in, hits shown checked."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from textual.command import CommandList, CommandPalette

from conftest import EVENTS, loaded, still_app, wait_until
from timeline_tui.ui.commands import JumpToEvent
from timeline_tui.ui.screens.main import MainScreen

SIZE = (120, 40)

ACCENTED = """\
title: Banks
events:
  - id: socgen
    date: 2026-02-13
    title: Société Générale cuts its 2026 forecast
  - id: other
    date: 2026-02-14
    title: Another bank holds its forecast
"""


async def search(pilot: Any, query: str) -> list[Any]:
    """Type `query` into the open palette; the prompts it shows once the search is over."""
    palette = pilot.app.screen
    assert isinstance(palette, CommandPalette)
    await pilot.press(*query)

    def settled() -> bool:
        group = CommandPalette._GATHER_COMMANDS_GROUP
        return all(w.is_finished for w in pilot.app.workers if w.group == group)

    assert await wait_until(pilot, settled)
    await pilot.pause()
    commands = palette.query_one(CommandList)
    return [commands.get_option_at_index(i).prompt for i in range(commands.option_count)]


def title(prompt: Any) -> str:
    return str(prompt).split("\n")[0]


def highlighted(prompt: Any) -> str:
    """The letters of the first line that the palette shows as matched."""
    text = title(prompt)
    return "".join(text[s.start : s.end] for s in sorted(prompt.spans) if s.end <= len(text))


async def test_the_palette_opens_on_its_commands_and_says_events_are_found_by_title() -> None:
    # It opened on the first 20 events, the commands below them (found by a user pass).
    app = still_app(EVENTS)
    async with app.run_test(size=SIZE) as pilot:
        await loaded(pilot)
        await pilot.press("ctrl+p")
        prompts = await search(pilot, "")
        titles = {event.title for event in app.main.timeline.events}
        shown = [title(p) for p in prompts]
        assert "Filter" in shown and "Export to Markdown" in shown
        assert not titles & set(shown)
        assert "event" in str(app.screen.query_one("CommandInput").placeholder)


async def test_words_match_in_any_order_and_with_letters_left_out() -> None:
    app = still_app(EVENTS)
    async with app.run_test(size=SIZE) as pilot:
        await loaded(pilot)
        for query, first in [
            ("tools claude", "Microsoft integrates Anthropic's Claude into its tools"),
            ("claude tools", "Microsoft integrates Anthropic's Claude into its tools"),
            ("msft", "Microsoft"),
            ("microsft", "Microsoft"),  # a letter left out
            ("SHARE copilot", "Microsoft's Copilot collapses to 1.1% market share"),
        ]:
            await pilot.press("ctrl+p")
            prompts = await search(pilot, query)
            assert prompts and title(prompts[0]).startswith(first), (query, prompts[:3])
            await pilot.press("escape")


async def test_accents_and_case_are_ignored_and_the_letters_shown_are_highlighted(
    tmp_path: Path,
) -> None:
    path = tmp_path / "banks.yaml"
    path.write_text(ACCENTED, encoding="utf-8")
    app = still_app(path)
    async with app.run_test(size=SIZE) as pilot:
        await loaded(pilot)
        for query, marked in [
            ("societe", "Société"),
            ("Societe Generale", "SociétéGénérale"),
            ("generale SOCIÉTÉ", "SociétéGénérale"),
            ("société", "Société"),
        ]:
            await pilot.press("ctrl+p")
            prompts = await search(pilot, query)
            assert [title(p) for p in prompts] == ["Société Générale cuts its 2026 forecast"]
            assert highlighted(prompts[0]) == marked, query
            await pilot.press("escape")
        await pilot.press("ctrl+p")
        await search(pilot, "societe")
        await pilot.press("enter")
        assert await wait_until(pilot, lambda: isinstance(app.screen, MainScreen))
        assert app.main.view.current is not None and app.main.view.current.id == "socgen"


async def test_a_long_title_is_matched_out_of_order_at_once(tmp_path: Path) -> None:
    # Textual's matcher tries every way to place the letters of a query that is not a
    # substring: 1.2 s for this one title of 135 characters, with the app frozen, and
    # minutes for twice as long.
    long_title = " ".join(["Microsoft opens an ocean of tools"] * 4)
    path = tmp_path / "long.yaml"
    path.write_text(
        f"title: Long\nevents:\n  - id: long\n    date: 2026\n    title: {long_title}\n",
        encoding="utf-8",
    )
    app = still_app(path)
    async with app.run_test(size=SIZE) as pilot:
        await loaded(pilot)
        await pilot.press("ctrl+p")
        prompts = await search(pilot, "tools opens microsoft")
        assert [title(p) for p in prompts] == [long_title]
        # Typing in Pilot takes longer than the search itself: time the search alone.
        provider = JumpToEvent(app.screen)
        started = time.perf_counter()
        assert len([hit async for hit in provider.search("tools opens microsoft")]) == 1
        assert time.perf_counter() - started < 0.3


def test_a_long_word_is_searched_once_over() -> None:
    # Trying each letter as the start of `abcdefgh` cost the square of a 70,000-letter
    # word's length: seconds with the app frozen (found by a review). Timed loosely.
    from timeline_tui.ui.commands import _letters_in_order

    start = time.perf_counter()
    assert _letters_in_order("abcdefgh").search("abcdefg" * 10_000) is None
    assert time.perf_counter() - start < 1
