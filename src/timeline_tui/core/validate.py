"""Rules that look across records: references, sourcing and translations.

Each rule reads a loaded `Timeline` and returns diagnostics; none changes it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Iterable, Mapping
from functools import cached_property, partial

from timeline_tui.core.append import TEMPLATE_SUMMARY, TEMPLATE_TITLE
from timeline_tui.core.dates import DateError, parse_date
from timeline_tui.core.model import (
    Diagnostic,
    Event,
    Position,
    Severity,
    Timeline,
    is_web_url,
    place,
)
from timeline_tui.core.records import did_you_mean, suggest
from timeline_tui.core.wording import shortened

# A source reference that looks like an id (one short word) rather than an inline citation
# such as "Rice University, 1962" or a URL.
_ID_LIKE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")
DEFAULT_LANG = "en"
# Where one event's field, or one of its quotes' or figures' (see `model.place`), is.
Where = Callable[..., Position | None]


def related_left_out_note(ref: str) -> str:
    """What a relation to an event an error loses says (see `core.carried` for the app's)."""
    return f"related event '{ref}' is left out until its error is fixed"


def check_timeline(timeline: Timeline, left_out: Collection[str] = ()) -> list[Diagnostic]:
    checks = Checks(timeline, left_out)
    out = checks.sources()
    for event in timeline.events:
        out.extend(checks.event(event))
    return out


class EventChecks:
    """The checks of one event that need no other event, only the header: its sources and
    its language. A load shared out among processes has each check the events it reads,
    while they are at hand (see `core.loader`): in one pass after the load, reaching each
    event again cost a tenth of a second at 100k events."""

    def __init__(self, path: str, sources: Mapping[str, object], lang: str | None) -> None:
        self.path = path
        self.sources = sources
        self.source_ids = list(sources)
        self.lang = _language(lang or DEFAULT_LANG)

    def __call__(self, event: Event, line: int) -> list[Diagnostic]:
        """The problems of `event`, whose item starts on `line` (positions are worked out
        only for the problems found: most events have none)."""
        out: list[Diagnostic] = []
        where = partial(place, self.path, line, event)
        _check_sources(event, where, self.sources, self.source_ids, out)
        if event.quotes:
            _check_quotes(event, where, self.lang, out)
        _check_template(event, where, out)
        return out


class Checks:
    """The cross-checks of one timeline, by part: a reload that changed a few events checks
    only those (as long as the ids and the sources stay the same)."""

    def __init__(
        self, timeline: Timeline, left_out: Collection[str] = (), known: set[str] | None = None
    ) -> None:
        """`left_out`: the ids of the events that errors left out (see `left_out_ids`);
        `known`: the ids of the timeline's events, when the caller has them already."""
        self.timeline = timeline
        self.left_out = left_out
        self.own = EventChecks(timeline.path, timeline.sources, timeline.lang)
        if known is not None:
            self.known = known

    @cached_property
    def ids(self) -> list[str]:
        """In date order, for "did you mean": made only when an id is not found."""
        return [e.id for e in self.timeline.events]

    @cached_property
    def known(self) -> set[str]:
        # Not the timeline's id index, which the app does without (5 MB at 100k events).
        return {e.id for e in self.timeline.events}

    def sources(self) -> list[Diagnostic]:
        """The problems of the sources records."""
        out: list[Diagnostic] = []
        sources = self.timeline.sources
        for source in sources.values():
            if source.via and source.via not in sources:
                out.append(
                    _warning(
                        source.where("via"),
                        f"source '{source.id}' is known via '{source.via}', which is not in "
                        f"sources{did_you_mean(source.via, self.own.source_ids)}",
                    )
                )
        return out

    def event(self, event: Event) -> list[Diagnostic]:
        """The problems of one event."""
        return self.crossed(event) + self.own(event, self.timeline.item_line(event))

    def crossed(self, event: Event) -> list[Diagnostic]:
        """The problems of one event that other events make: ids it shares with an event
        left out, and the events it names in `related:`."""
        out: list[Diagnostic] = []
        timeline = self.timeline
        if self.left_out and event.id in self.left_out:
            # Left out, the other one is no duplicate to the id check; it is one all the same.
            out.append(
                Diagnostic(
                    timeline.where(event, "id") or _NOWHERE,
                    Severity.ERROR,
                    f"duplicate id '{event.id}': an event left out by its error has it too; "
                    "rename one",
                )
            )
        if event.related:
            _check_related(event, self, out)
        return out


def _check_template(event: Event, where: Where, out: list[Diagnostic]) -> None:
    """An event added with `a` and saved as it came: it would be published saying "New
    event" (a user pass)."""
    if event.title == TEMPLATE_TITLE:
        out.append(
            _warning(
                where("title"),
                f"title is still the template's '{TEMPLATE_TITLE}': write what happened in "
                "one line",
            )
        )
    if (event.summary or "").strip() == TEMPLATE_SUMMARY:
        out.append(
            _warning(
                where("summary"),
                "summary is still the template's: write what happened, or take it out",
            )
        )


def left_out_ids(diagnostics: Iterable[Diagnostic]) -> set[str]:
    """The ids of the events that these problems leave out."""
    return {d.left_out for d in diagnostics if d.left_out is not None}


def _check_related(event: Event, checks: Checks, out: list[Diagnostic]) -> None:
    known, left_out, timeline = checks.known, checks.left_out, checks.timeline
    for i, ref in enumerate(event.related):
        if ref in known:
            if ref == event.id:
                out.append(
                    _warning(timeline.where(event, f"related.{i}"), "event is related to itself")
                )
        elif ref in left_out:
            out.append(
                _warning(
                    timeline.where(event, f"related.{i}"),
                    related_left_out_note(ref),
                )
            )
        else:
            out.append(
                Diagnostic(
                    timeline.where(event, f"related.{i}") or _NOWHERE,
                    Severity.ERROR,
                    f"related event '{ref}' does not exist"
                    + (
                        did_you_mean(ref, checks.ids)
                        # An event deleted while others still name it (a user pass).
                        or f": take it out of related, or give an event `id: {ref}`"
                    ),
                )
            )


def _mistyped_id(ref: str, source_ids: list[str]) -> str | None:
    """The source id a reference was probably meant to be, when it is not a citation."""
    # (With no sources, as under a header left broken, a pass over 100k events is a third
    # quicker without looking at each reference.)
    if not source_ids or is_web_url(ref) or not _ID_LIKE.match(ref):
        return None
    return suggest(ref, source_ids)


def _check_sources(
    event: Event,
    where: Where,
    sources: Mapping[str, object],
    source_ids: list[str],
    out: list[Diagnostic],
) -> None:
    for i, ref in enumerate(event.sources):
        if ref not in sources and (guess := _mistyped_id(ref, source_ids)) is not None:
            out.append(_unknown_source(where(f"sources.{i}"), ref, guess))
        elif i and _split_citation(event.sources[i - 1], ref, sources):
            cited = f"{event.sources[i - 1]}, {ref}".replace('"', "'")
            out.append(
                _warning(
                    where(f"sources.{i}"),
                    f"source '{ref}' is a date alone, read as a source of its own: if it is "
                    f'the date of the citation before it, put them in quotes together: "{cited}"',
                )
            )
    for record in (*event.quotes, *event.figures):
        ref = record.source
        if ref and ref not in sources and (guess := _mistyped_id(ref, source_ids)) is not None:
            out.append(_unknown_source(where("source", record), ref, guess))
    if event.sources:
        return
    kinds = (("quote", event.quotes), ("figure", event.figures))
    unsourced = [(kind, r) for kind, records in kinds for r in records if not r.source]
    if (not event.quotes and not event.figures) or unsourced:
        out.append(
            _warning(
                where(),
                f"event '{shortened(event.title)}' has no source: add `sources: [...]` (an id from "
                "sources, a URL or a citation)",
            )
        )
    for kind, record in unsourced:
        out.append(
            _warning(
                where(None, record),
                f"{kind} has no source, and neither has its event",
            )
        )


def _split_citation(before: str, ref: str, sources: Mapping[str, object]) -> bool:
    """Whether `[Interview with the mayor, 12 Jan 2026]` cut a citation at its comma: an
    item that is a date alone, after a citation written in words."""
    if ref in sources or before in sources or is_web_url(before) or is_web_url(ref):
        return False
    try:
        parse_date(ref)
    except DateError:
        return False
    return True


def _unknown_source(where: Position | None, ref: str, guess: str) -> Diagnostic:
    return _warning(
        where,
        f"source '{ref}' is not in sources (did you mean '{guess}'?); "
        "it is shown as an inline citation",
    )


def _check_quotes(event: Event, where: Where, lang: str, out: list[Diagnostic]) -> None:
    for quote in event.quotes:
        if quote.lang and not quote.translation and _language(quote.lang) != lang:
            out.append(
                _warning(
                    where("lang", quote),
                    f"quote in '{quote.lang}' has no translation: add `translation: ...` "
                    f"in the timeline's language ({lang})",
                )
            )


def _language(tag: str) -> str:
    """The language of a tag, without its region or script: `en-GB` is English."""
    return tag.replace("_", "-").split("-", 1)[0].strip().lower()


_NOWHERE = Position("", 1, 1)


def _warning(where: Position | None, message: str) -> Diagnostic:
    return Diagnostic(where or _NOWHERE, Severity.WARNING, message)
