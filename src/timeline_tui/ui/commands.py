"""Command palette: jump to an event by its title."""

from __future__ import annotations

from functools import partial

from textual.command import Hit, Hits, Provider

from timeline_tui.core.query import fold
from timeline_tui.ui.render import clean

MAX_HITS = 50


class JumpToEvent(Provider):
    """Searches the titles of the timeline's events."""

    @property
    def _screen(self):  # type: ignore[no-untyped-def]
        return self.app.main  # type: ignore[attr-defined]

    async def search(self, query: str) -> Hits:
        screen = self._screen
        timeline = getattr(screen, "timeline", None)
        if timeline is None:
            return
        matcher = self.matcher(query)
        needle = fold(query)
        found = 0
        for event in timeline.events:
            title = clean(event.title)
            # A cheap containment test first: the fuzzy matcher is too slow for 100k titles.
            if needle and needle.split()[0] not in fold(title):
                continue
            score = matcher.match(title)
            if score > 0:
                found += 1
                yield Hit(
                    score,
                    matcher.highlight(title),
                    partial(screen.jump_to, event),
                    text=title,
                    help=f"{clean(event.date.display())} · jump to this event",
                )
                if found >= MAX_HITS:
                    return

    async def discover(self) -> Hits:
        screen = self._screen
        timeline = getattr(screen, "timeline", None)
        if timeline is None:
            return
        for event in timeline.events[:MAX_HITS]:
            title = clean(event.title)
            yield Hit(
                1.0,
                title,
                partial(screen.jump_to, event),
                text=title,
                help=f"{clean(event.date.display())} · jump to this event",
            )
