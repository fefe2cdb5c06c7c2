"""Command palette: jump to an event by its title."""

from __future__ import annotations

from functools import partial

from textual.command import Hit, Hits, Provider
from textual.content import Content
from textual.fuzzy import Matcher

from timeline_tui.core.query import fold
from timeline_tui.ui.render import clean

MAX_HITS = 50


def literal_highlight(matcher: Matcher, title: str) -> Content:
    """The title with the matched letters highlighted, never read as markup.

    `Matcher.highlight()` and a plain `str` prompt both go through `Content.from_markup`, so
    a title like `Revenue [/] fell` crashed the palette and `[@click=...]` made a live link.
    """
    content = Content(title)
    score, offsets = matcher.fuzzy_search.match(matcher.query, title)
    if score:
        for offset in offsets:
            if not title[offset].isspace():
                content = content.stylize(matcher.match_style, offset, offset + 1)
    return content


def _help(event_date: str) -> Content:
    # The palette reads a `str` help as markup too, and `textual.markup.escape()` is not
    # enough against it: it follows Rich's rules, so `[$var]`, `[ b]` and `[B]` still
    # vanish into styles and `[x=1, v={'a[0]'}]` raises MarkupError. Content is shown as is
    # (`Hit.help` is typed `str`, but the palette hands it to `Content.from_markup`, which
    # returns a Content unchanged).
    return Content(f"{event_date} · jump to this event")


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
        # Split once, and guard the empty case: a lone accent (`´`) folds to a space.
        needle = next(iter(fold(query).split()), "")
        found = 0
        for event in timeline.events:
            title = clean(event.title)
            # A cheap containment test first: the fuzzy matcher is too slow for 100k titles.
            if needle not in fold(title):
                continue
            score = matcher.match(title)
            if score > 0:
                found += 1
                yield Hit(
                    score,
                    literal_highlight(matcher, title),
                    partial(screen.jump_to, event),
                    text=title,
                    help=_help(clean(event.date.display())),  # type: ignore[arg-type]
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
                Content(title),
                partial(screen.jump_to, event),
                text=title,
                help=_help(clean(event.date.display())),  # type: ignore[arg-type]
            )
