"""Command palette: jump to an event by its title."""

from __future__ import annotations

import asyncio
import re
from array import array
from bisect import bisect_right
from collections.abc import AsyncIterator, Callable, Sequence
from functools import lru_cache, partial
from itertools import accumulate, count

from textual.command import Hit, Hits, Provider
from textual.content import Content
from textual.fuzzy import FuzzySearch
from textual.style import Style

from timeline_tui.core.model import Timeline
from timeline_tui.core.query import fold
from timeline_tui.ui.render import clean

MAX_HITS = 50
# Titles looked at between two turns of the event loop: a keystroke then cancels a search
# that is no longer wanted instead of waiting behind it.
STEPS_BETWEEN_PAUSES = 2000
_FUZZY = FuzzySearch()


@lru_cache(maxsize=256)
def _letters_in_order(word: str) -> re.Pattern[str]:
    """A pattern for the letters of `word` in order within one word of a title, from its
    start, each at its first place after the last.

    Within one word, as a user reads a word with a letter left out (`microsft`) or an
    abbreviation (`msft`): letters spread over a title (the initials of `Mustafa Suleyman
    ... Financial Times`) match nearly anything. From a word's start, and never going
    back (`*+`): a search is then once over the title, where trying each letter as the
    start costs the square of a long word's length (4 s for a title of 30,000 letters),
    and Textual's matcher tries every placement (1.2 s for a title of 135 characters).
    """
    first, *rest = (re.escape(letter) for letter in word)
    gaps = "".join(rf"[^{letter}\s]*+({letter})" for letter in rest)
    return re.compile(rf"(?<!\S)({first}){gaps}")


def _offsets(words: Sequence[str], folded: str) -> list[int] | None:
    """Where the words are in a folded title: all together as typed if they are there
    (which Textual's score ranks first), else each in any order, whole if it is there,
    else its letters in order (so `msft` and `microsft` find `microsoft`); None if a word
    is not there either way."""
    phrase = " ".join(words)
    start = folded.find(phrase)
    if start != -1:
        return list(range(start, start + len(phrase)))
    offsets: list[int] = []
    for word in words:
        start = folded.find(word)
        if start != -1:
            offsets.extend(range(start, start + len(word)))
            continue
        match = _letters_in_order(word).search(folded)
        if match is None:
            return None
        offsets.extend(match.start(group) for group in range(1, len(word) + 1))
    return sorted(set(offsets))


def _highlighted(title: str, words: Sequence[str], style: Style) -> tuple[float, Content]:
    """Textual's score for the matched letters, and the title with them highlighted.

    The title is folded letter by letter to know which letter each folded one came from
    (`é` gives `e`, `ß` gives `ss`). It becomes a Content, never markup: a title like
    `Revenue [/] fell` would crash the palette, and `[@click=...]` make a live link.
    """
    pieces = [fold(letter) for letter in title]
    origin = [index for index, piece in enumerate(pieces) for _ in piece]
    offsets = _offsets(words, "".join(pieces)) or []
    content = Content(title)
    for start in sorted({origin[offset] for offset in offsets}):
        if title[start].isspace():
            continue
        end = start + 1
        while end < len(title) and not pieces[end]:  # keep an accent with its letter
            end += 1
        content = content.stylize(style, start, end)
    return (_FUZZY.score("".join(pieces), offsets) if offsets else 0.0), content


def _help(event_date: str) -> Content:
    # The palette reads a `str` help as markup too, and `textual.markup.escape()` is not
    # enough against it: it follows Rich's rules, so `[$var]`, `[ b]` and `[B]` still
    # vanish into styles and `[x=1, v={'a[0]'}]` raises MarkupError. Content is shown as is
    # (`Hit.help` is typed `str`, but the palette hands it to `Content.from_markup`, which
    # returns a Content unchanged).
    return Content(f"{event_date} · jump to this event")


class _Titles:
    """One timeline's titles, cleaned and folded, one a line: each search runs over them
    all in C and comes back to Python only where its first word is found."""

    def __init__(self, timeline: Timeline) -> None:
        self.timeline = timeline
        # 50 ms at 100k events: once a palette, not once a keystroke. A cleaned title has
        # no line break, so line i is event i.
        self.text = "\n".join(fold(clean(event.title)) for event in timeline.events)
        self.starts = array(
            "l", accumulate((len(line) + 1 for line in self.text.split("\n")), initial=0)
        )

    async def numbers(
        self, driver: re.Pattern[str], wanted: Callable[[str], bool]
    ) -> AsyncIterator[int]:
        """The numbers of the titles `driver` finds that are also `wanted`, in order."""
        text, starts = self.text, self.starts
        position = 0
        for step in count(1):
            match = driver.search(text, position)
            if match is None:
                return
            number = bisect_right(starts, match.start()) - 1
            position = starts[number + 1]
            if wanted(text[starts[number] : position - 1]):
                yield number
            if step % STEPS_BETWEEN_PAUSES == 0:
                await asyncio.sleep(0)


class JumpToEvent(Provider):
    """Searches the titles of the timeline's events as the filter does (any case, any
    accents), the words in any order. It discovers nothing: the palette opens on its
    commands (it listed the first events above them, which the list shows anyway)."""

    _titles: _Titles | None = None

    @property
    def _screen(self):  # type: ignore[no-untyped-def]
        return self.app.main  # type: ignore[attr-defined]

    async def search(self, query: str) -> Hits:
        screen = self._screen
        timeline = getattr(screen, "timeline", None)
        typed = fold(query).split()  # a lone accent (`´`) folds to a space: no words
        # Longest first: the rarest word, likely, drives the search.
        words = sorted(set(typed), key=len, reverse=True)
        if timeline is None or not words:
            return
        if self._titles is None or self._titles.timeline is not timeline:
            self._titles = _Titles(timeline)
        driver, others = words[0], words[1:]
        # Titles that have every word whole come first, then the ones that have only
        # some word's letters in order.
        found: list[int] = []
        async for number in self._titles.numbers(
            re.compile(re.escape(driver)), lambda title: all(w in title for w in others)
        ):
            found.append(number)
            if len(found) == MAX_HITS:
                break
        if len(found) < MAX_HITS:
            whole = set(found)
            patterns = [_letters_in_order(word) for word in others]
            async for number in self._titles.numbers(
                _letters_in_order(driver), lambda title: all(p.search(title) for p in patterns)
            ):
                if number not in whole:
                    found.append(number)
                    if len(found) == MAX_HITS:
                        break
        style = self.matcher(query).match_style
        for number in found:
            event = timeline.events[number]
            title = clean(event.title)
            score, shown = _highlighted(title, typed, style)
            yield Hit(
                score,
                shown,
                partial(screen.jump_to, event),
                text=title,
                help=_help(clean(event.date.display())),  # type: ignore[arg-type]
            )
