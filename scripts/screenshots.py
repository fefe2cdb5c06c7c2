"""Regenerate screenshots/*.svg: the explorer on events.yaml, with today fixed at 2026-11-26.

Run it by hand whenever the UI changes, then look at the SVGs before committing them:

    python scripts/screenshots.py
"""

from __future__ import annotations

import asyncio
import datetime as dt
import time
from pathlib import Path

from timeline_tui.ui.app import TimelineApp, make_app

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "screenshots"
EVENTS = ROOT / "events.yaml"
MISTAKES = ROOT / "tests" / "data" / "mistakes.yaml"  # a bad date, a `sumary:`, a bad link
TODAY = dt.date(2026, 11, 26)
SIZE = (120, 36)


async def shoot(
    name: str, path: Path, keys: tuple[str, ...] = (), *, event: str | None = None
) -> None:
    """Open `path`, put the cursor on `event`, press `keys` and save screenshots/`name`."""
    app: TimelineApp = make_app(path, today=TODAY, watch=False)
    async with app.run_test(size=SIZE) as pilot:
        deadline = time.monotonic() + 10
        while app.main.result is None:
            if time.monotonic() > deadline:
                raise SystemExit(f"{path} did not load")
            await pilot.pause(0.02)
        await pilot.pause()
        view = app.main.view
        for _ in range(len(view.events) if event is not None else 0):
            if view.current is not None and view.current.id == event:
                break
            await pilot.press("j")
        else:
            if event is not None:
                raise SystemExit(f"no event {event!r} in {path.name}")
        await pilot.press(*keys)
        app.clear_notifications()  # a toast would hide the right edge of the screen
        await pilot.pause()
        app.save_screenshot(filename=name, path=str(OUT))
    print(f"wrote {(OUT / name).relative_to(ROOT)}")


async def main() -> None:
    OUT.mkdir(exist_ok=True)
    await shoot("timeline.svg", EVENTS)
    await shoot("expanded.svg", EVENTS, ("enter",), event="copilot-market-share")
    await shoot("filter.svg", EVENTS, ("slash", *"Suleyman", "enter", "enter"))
    await shoot("problems.svg", MISTAKES, ("p",))  # into the panel a load with errors opens
    await shoot("help.svg", EVENTS, ("question_mark",))


if __name__ == "__main__":
    asyncio.run(main())
