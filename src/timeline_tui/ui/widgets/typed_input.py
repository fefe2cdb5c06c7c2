"""A text box whose editing keys act in the order they were typed, and that takes a
pasted text whole."""

from __future__ import annotations

import re

from textual import events
from textual.geometry import Size
from textual.reactive import Reactive
from textual.widgets import Input

# The line breaks `str.splitlines` knows, and tabs.
_BREAKS = "\t\n\v\f\r\x1c\x1d\x1e\x85\u2028\u2029"
# A break and the spaces around it (a line's end, the next line's indent); from the first
# of the spaces, never going back (a run of spaces with no break after it would cost the
# square of its length).
_BREAK = re.compile(f"(?<! ) *+[{_BREAKS}][{_BREAKS} ]*+")


def one_line(text: str) -> str:
    """A pasted text as one line: each break a space, or nothing at either end (the
    newline that ends a copied line must not end a file name with a space)."""
    return _BREAK.sub(lambda m: " " if m.start() > 0 and m.end() < len(text) else "", text)


class TypedInput(Input):
    """An `Input` that runs its own key bindings (backspace, arrows, ctrl+u, ...) as the
    key arrives, and takes all of a pasted text, as one line.

    Textual runs a widget's bindings only once the key has bubbled up to the app, while a
    printable character is inserted at once: a character typed just after such a key could
    go in first, and `abc`, backspace, `d` gave `abc` (seen in the filter box, typed fast
    or under load). Textual issue 6605; this is the fix its pull request 6631 proposes.
    """

    # The box's size never follows its text (its width is the screen's), yet each character
    # typed sets the width of the text it scrolls over, and Textual's `virtual_size` then
    # lays the whole screen out again: 4 ms of each filter keystroke at 120x40 and 20k events.
    virtual_size: Reactive[Size] = Reactive(Size(0, 0), layout=False)

    async def _on_key(self, event: events.Key) -> None:
        if not event.is_printable:
            for key in event.aliases:
                for binding in self._bindings.key_to_bindings.get(key, ()):
                    if not binding.priority and await self.app.run_action(binding.action, self):
                        event.stop()
                        event.prevent_default()
                        return
        await super()._on_key(event)

    def _on_paste(self, event: events.Paste) -> None:
        # Input keeps only a paste's first line: a sentence copied from an article, cut
        # where the page wrapped it, lost its end without a word. And a tab would go in
        # as itself.
        event.text = one_line(event.text)
        super()._on_paste(event)
        event.prevent_default()  # else Textual calls Input's handler, next in the MRO, too
