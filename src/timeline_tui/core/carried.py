"""Showing a file that has errors without letting them hide its events or its other edits.

An error in an event (a date that cannot be read, a slip in its YAML) leaves that event
out of the load. While the author fixes it, the app shows the file as it now is, with
each event left out as it was in the version shown before: nothing disappears, and every
other edit shows at once. When that would still hide an event of the version shown (the
file is cut short, or an event lost its id), the app keeps that version instead.
"""

from __future__ import annotations

from dataclasses import replace

from timeline_tui.core.model import Diagnostic, Event, Timeline
from timeline_tui.core.records import left_out_note
from timeline_tui.core.validate import related_left_out_note


def carry_over(
    timeline: Timeline, diagnostics: tuple[Diagnostic, ...], shown: Timeline
) -> tuple[Timeline, dict[str, Diagnostic]] | None:
    """`timeline`, a load with errors (`diagnostics`), with each event they leave out
    taken as it is in `shown` (the last version with no error), and for each such
    event's id, the error that leaves it out; None when an event of `shown` would still
    be missing, or another event has taken the id of one left out."""
    errors = {d.left_out: d for d in diagnostics if d.left_out is not None and d.is_error}
    # By sets of ids: looked up event by event, 100k events took 0.12 s of the UI thread.
    # Each pass over them costs some 20 ms (they lie all over memory): two, not three.
    now = {event.id for event in timeline.events}
    before = {event.id: event for event in shown.events}
    missing = before.keys() - now
    if not missing <= errors.keys() or any(i in now and i in before for i in errors):
        # Deleted, cut off, or left out under no id: keep `shown`; or the id of an event
        # left out taken by another event meanwhile: which is which?
        return None
    if not missing:
        return timeline, {}  # the same object: the app keeps its search index
    events = sorted([before[i] for i in missing], key=Event.sort_key)
    return timeline.with_inserted(events), {event.id: errors[event.id] for event in events}


def as_shown(
    diagnostics: tuple[Diagnostic, ...], carried: dict[str, Diagnostic]
) -> list[Diagnostic]:
    """The problems in the words of a list that shows the `carried` events: they are not
    left out of it, but shown as they were."""
    out = []
    for found in diagnostics:
        message = found.message
        for ident in carried:
            message = message.replace(
                left_out_note(ident),
                f"event '{ident}' is shown as it was before (!) until this is fixed",
            ).replace(
                related_left_out_note(ident),
                f"related event '{ident}' is shown as it was before its error (!)",
            )
        out.append(found if message == found.message else replace(found, message=message))
    return out
