"""Showing a file that has errors without letting them hide its events or its other edits.

An error in an event (a date that cannot be read, a slip in its YAML) leaves that event
out of the load. While the author fixes it, the app shows the file as it now is, with
each event left out as it was in the version shown before: nothing disappears, and every
other edit shows at once. When that would still hide an event of the version shown (the
file is cut short, or an event lost its id), the app keeps that version instead.
"""

from __future__ import annotations

from collections.abc import Set
from dataclasses import replace
from operator import attrgetter

from timeline_tui.core.loader import Edit
from timeline_tui.core.model import Diagnostic, Event, Timeline
from timeline_tui.core.records import left_out_note
from timeline_tui.core.validate import related_left_out_note


def carry_over(
    timeline: Timeline,
    diagnostics: tuple[Diagnostic, ...],
    shown: Timeline,
    edit: Edit | None = None,
) -> tuple[Timeline, dict[str, Diagnostic]] | None:
    """`timeline`, a load with errors (`diagnostics`), with each event they leave out
    taken as it is in `shown` (the last version with no error), and for each such
    event's id, the error that leaves it out; None when an event of `shown` would still
    be missing, or another event has taken the id of one left out. `edit`: what the load
    changed, if it was an edit of another (the quick way, when that is `shown`)."""
    errors = {d.left_out: d for d in diagnostics if d.left_out is not None and d.is_error}
    if edit is not None and edit.base() is shown:
        missing = _missing_after(edit, errors.keys(), shown)
    else:
        missing = _missing(timeline, errors.keys(), shown)
    if missing is None:
        # Deleted, cut off, or left out under no id: keep `shown`; or the id of an event
        # left out taken by another event meanwhile: which is which?
        return None
    if not missing:
        return timeline, {}  # the same object: the app keeps its search index
    events = sorted(missing, key=Event.sort_key)
    return timeline.edited(added=events), {event.id: errors[event.id] for event in events}


def _missing(timeline: Timeline, left_out: Set[str], shown: Timeline) -> list[Event] | None:
    """The events of `shown` that `timeline` lacks, all of which the errors leave out
    (`left_out`, by id); None when one is not, or an id left out is in both versions."""
    # By sets of ids: looked up event by event, 100k events took 0.12 s of the UI thread.
    # Each pass over them costs some 20 ms (they lie all over memory): two, not three.
    now = {event.id for event in timeline.events}
    before = {event.id: event for event in shown.events}
    missing = before.keys() - now
    if not missing <= left_out or any(i in now and i in before for i in left_out):
        return None
    return [before[i] for i in missing]


def _missing_after(edit: Edit, left_out: Set[str], shown: Timeline) -> list[Event] | None:
    """What `_missing` gives, from the part of `shown` that `edit` changed. Outside it,
    the two versions have the same events, and one id is never two events' in either."""
    before = {event.id: event for event in edit.before}
    missing = before.keys() - edit.after
    if not missing <= left_out or any(i in edit.after and i in before for i in left_out):
        return None
    # An id left out that no event of the span had or has: in both versions if an event
    # elsewhere has it.
    elsewhere = left_out - before.keys() - edit.after
    if elsewhere and not elsewhere.isdisjoint(map(attrgetter("id"), shown.events)):
        return None
    return [before[i] for i in missing]


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
