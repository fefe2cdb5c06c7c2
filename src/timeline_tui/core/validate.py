"""Rules that look across records: references, sourcing and translations.

Each rule reads a loaded `Timeline` and returns diagnostics; none changes it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from timeline_tui.core.model import Diagnostic, Event, Position, Severity, Timeline, is_web_url
from timeline_tui.core.records import did_you_mean, suggest

# A source reference that looks like an id (one short word) rather than an inline citation
# such as "Rice University, 1962" or a URL.
_ID_LIKE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")
DEFAULT_LANG = "en"


def check_timeline(timeline: Timeline) -> list[Diagnostic]:
    out: list[Diagnostic] = []
    ids = [e.id for e in timeline.events]
    known = set(ids)
    source_ids = list(timeline.sources)
    lang = _language(timeline.lang or DEFAULT_LANG)
    for source in timeline.sources.values():
        if source.via and source.via not in timeline.sources:
            where = source.where("via")
            out.append(
                _warning(
                    where,
                    f"source '{source.id}' is known via '{source.via}', which is not in "
                    f"sources{did_you_mean(source.via, source_ids)}",
                )
            )
    for event in timeline.events:
        out.extend(_check_related(event, known, ids))
        out.extend(_check_sources(event, timeline, source_ids))
        out.extend(_check_quotes(event, lang))
    return out


def _check_related(event: Event, known: set[str], ids: list[str]) -> Iterator[Diagnostic]:
    for i, ref in enumerate(event.related):
        if ref not in known:
            yield Diagnostic(
                event.where(f"related.{i}"),
                Severity.ERROR,
                f"related event '{ref}' does not exist{did_you_mean(ref, ids)}",
            )
        elif ref == event.id:
            yield _warning(event.where(f"related.{i}"), "event is related to itself")


def _check_reference(
    ref: str, where: Position | None, timeline: Timeline, source_ids: list[str]
) -> Iterator[Diagnostic]:
    if ref in timeline.sources or is_web_url(ref) or not _ID_LIKE.match(ref):
        return
    guess = suggest(ref, source_ids)
    if guess is not None:
        yield _warning(
            where,
            f"source '{ref}' is not in sources (did you mean '{guess}'?); "
            "it is shown as an inline citation",
        )


def _check_sources(event: Event, timeline: Timeline, source_ids: list[str]) -> Iterator[Diagnostic]:
    for i, ref in enumerate(event.sources):
        yield from _check_reference(ref, event.where(f"sources.{i}"), timeline, source_ids)
    for record in (*event.quotes, *event.figures):
        if record.source:
            yield from _check_reference(
                record.source, event.where("source", record), timeline, source_ids
            )
    if event.sources:
        return
    kinds = (("quote", event.quotes), ("figure", event.figures))
    unsourced = [(kind, r) for kind, records in kinds for r in records if not r.source]
    if (not event.quotes and not event.figures) or unsourced:
        yield _warning(
            event.pos,
            f"event '{event.title}' has no source: add `sources: [...]` (an id from sources, "
            "a URL or a citation)",
        )
    for kind, record in unsourced:
        yield _warning(
            event.where(record=record), f"{kind} has no source, and neither has its event"
        )


def _check_quotes(event: Event, lang: str) -> Iterator[Diagnostic]:
    for quote in event.quotes:
        if quote.lang and _language(quote.lang) != lang and not quote.translation:
            yield _warning(
                event.where("lang", quote),
                f"quote in '{quote.lang}' has no translation: add `translation: ...` "
                f"in the timeline's language ({lang})",
            )


def _language(tag: str) -> str:
    """The language of a tag, without its region or script: `en-GB` is English."""
    return tag.replace("_", "-").split("-", 1)[0].strip().lower()


def _warning(where: Position | None, message: str) -> Diagnostic:
    return Diagnostic(where or Position("", 1, 1), Severity.WARNING, message)
