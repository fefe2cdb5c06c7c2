"""A text box whose editing keys act in the order they were typed."""

from __future__ import annotations

from textual import events
from textual.widgets import Input


class TypedInput(Input):
    """An `Input` that runs its own key bindings (backspace, arrows, ctrl+u, ...) as the
    key arrives.

    Textual runs a widget's bindings only once the key has bubbled up to the app, while a
    printable character is inserted at once: a character typed just after such a key could
    go in first, and `abc`, backspace, `d` gave `abc` (seen in the filter box, typed fast
    or under load). Textual issue 6605; this is the fix its pull request 6631 proposes.
    """

    async def _on_key(self, event: events.Key) -> None:
        if not event.is_printable:
            for key in event.aliases:
                for binding in self._bindings.key_to_bindings.get(key, ()):
                    if not binding.priority and await self.app.run_action(binding.action, self):
                        event.stop()
                        event.prevent_default()
                        return
        await super()._on_key(event)
