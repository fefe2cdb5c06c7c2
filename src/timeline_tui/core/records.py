"""Node tree (`yamltree`) to model records, with a diagnostic for every field that is wrong.

The field names here are the file format's contract (design/format.md). A record that lacks
what it cannot do without (an event's date or title) is left out and reported; any other
wrong field is reported and ignored, so the rest of the record still shows.
"""

from __future__ import annotations

import re
import sys
import unicodedata
from array import array
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from typing import Any, TypeVar

from timeline_tui.core.dates import DateError, FuzzyDate, combine, parse_date
from timeline_tui.core.model import (
    Diagnostic,
    Event,
    Figure,
    Position,
    Quote,
    Severity,
    Source,
    Spans,
    Status,
    Timeline,
    is_web_url,
    position_of,
)
from timeline_tui.core.wording import counted, shortened
from timeline_tui.core.yamltree import Invalid, Map, Node, Scalar, Seq

T = TypeVar("T")

# A BCP 47 tag, as `lang` takes: `fr`, `en-GB`, `zh-Hant`.
_LANGUAGE_CODE = re.compile(r"[A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{2,8})*")
_LANGUAGE_NAMES = {
    "english": "en", "anglais": "en", "french": "fr", "français": "fr", "francais": "fr",
    "german": "de", "deutsch": "de", "allemand": "de", "spanish": "es", "español": "es",
    "espagnol": "es", "italian": "it", "italiano": "it", "italien": "it",
    "portuguese": "pt", "português": "pt", "dutch": "nl", "chinese": "zh", "japanese": "ja",
    "korean": "ko", "arabic": "ar", "russian": "ru", "ukrainian": "uk", "polish": "pl",
    "hebrew": "he", "turkish": "tr", "hindi": "hi",
}  # fmt: skip
TIMELINE_FIELDS = ("title", "description", "lang", "sources", "events")
SOURCE_FIELDS = ("title", "publisher", "date", "url", "lang", "via", "note")
EVENT_FIELDS = (
    "id",
    "date",
    "end",
    "title",
    "summary",
    "tags",
    "actors",
    "status",
    "sources",
    "quotes",
    "figures",
    "related",
)
QUOTE_FIELDS = ("text", "speaker", "lang", "translation", "source")
FIGURE_FIELDS = ("label", "value", "unit", "as_of", "source", "note")
TIMELINE_KNOWN, SOURCE_KNOWN, EVENT_KNOWN, QUOTE_KNOWN, FIGURE_KNOWN = _FIELD_SETS = (
    frozenset(TIMELINE_FIELDS),
    frozenset(SOURCE_FIELDS),
    frozenset(EVENT_FIELDS),
    frozenset(QUOTE_FIELDS),
    frozenset(FIGURE_FIELDS),
)
# How to write a field that was given a list or a mapping where text belongs, when the
# mistake is a natural one: a source described in place (`- name: ..., url: ...`).
_SOURCE_HINT = (
    "; give the id of a source described under the top-level `sources:`, its URL or a citation"
)
_TEXT_HINTS = {"sources": _SOURCE_HINT, "source": _SOURCE_HINT}
# The fields of each record in the order the format lists them, for messages.
_FIELD_ORDER = dict(
    zip(
        _FIELD_SETS,
        (TIMELINE_FIELDS, SOURCE_FIELDS, EVENT_FIELDS, QUOTE_FIELDS, FIGURE_FIELDS),
        strict=True,
    )
)
_STATUSES = {s.value: s for s in Status}

# YAML's null spellings: a plain `title:` or `title: ~` means "no value", as in YAML 1.2.
_NULLS = frozenset(("", "~", "null", "Null", "NULL"))
_SLUG = re.compile(r"[^a-z0-9]+")


def suggest(word: str, choices: tuple[str, ...] | list[str]) -> str | None:
    """The likely intended name for a misspelled one, or None."""
    if not choices:
        # (difflib readies the word all the same: with a header that did not read, every
        # event's source was looked up among none, 1.2 s at 100k events.)
        return None
    lowered = word.lower()
    for choice in choices:
        if choice.lower() == lowered:
            return choice
    for choice in choices:
        # Two neighbouring letters swapped (`atr` for `art`): in a short word, too few
        # letters are left in place for the likeness ratio below to catch it.
        if _swapped(lowered, choice.lower()):
            return choice
    import difflib  # (here: a command that finds nothing misspelt never needs it)

    matches = difflib.get_close_matches(lowered, choices, n=1, cutoff=0.75)
    return matches[0] if matches else None


def _swapped(word: str, choice: str) -> bool:
    """Whether `word` is `choice` with two neighbouring letters swapped."""
    if len(word) != len(choice):
        return False
    differ = [i for i, (a, b) in enumerate(zip(word, choice, strict=True)) if a != b]
    return (
        len(differ) == 2
        and differ[1] == differ[0] + 1
        and word[differ[0]] == choice[differ[1]]
        and word[differ[1]] == choice[differ[0]]
    )


def did_you_mean(word: str, choices: tuple[str, ...] | list[str]) -> str:
    guess = suggest(word, choices)
    return f" (did you mean '{guess}'?)" if guess else ""


def slugify(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return _SLUG.sub("-", ascii_text.lower()).strip("-")


class Reader:
    """Reads records from nodes; what is wrong goes to `diagnostics`."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.diagnostics: list[Diagnostic] = []
        # The line that relative spans are counted from (the record being read).
        self.base = 1

    def pos(self, node: Node) -> Position:
        return Position(self.name, node.line, node.col)

    def error(self, node: Node, message: str) -> None:
        self.diagnostics.append(Diagnostic(self.pos(node), Severity.ERROR, message))

    def warning(self, node: Node, message: str) -> None:
        self.diagnostics.append(Diagnostic(self.pos(node), Severity.WARNING, message))

    # -- fields -------------------------------------------------------------------------

    def fields(self, node: Map, known: frozenset[str], what: str) -> dict[str, Node]:
        """The known fields of a mapping; unknown ones are reported, and a clear misspelling
        of a missing field (`tittle`, `Date`) is read as that field so nothing seems lost."""
        values: dict[str, Node] = {}
        unknown: list[tuple[Scalar, Node]] = []
        for key, (_, value) in node.pairs.items():
            if key in known:
                values[key] = value
            else:
                unknown.append((node.key_node(key), value))
        if unknown:
            self._unknown(unknown, values, known, what)
        return values

    def _unknown(
        self,
        unknown: list[tuple[Scalar, Node]],
        values: dict[str, Node],
        known: frozenset[str],
        what: str,
    ) -> None:
        names = _FIELD_ORDER[known]
        for key_node, value in unknown:
            guess = suggest(key_node.value, names)
            if guess is not None and guess not in values:
                values[guess] = value
                self.warning(
                    key_node,
                    f"unknown field '{key_node.value}' in {what} (did you mean '{guess}'?); "
                    f"read as '{guess}' for now: rename it",
                )
            else:
                hint = f" (did you mean '{guess}'?)" if guess else ""
                self.warning(
                    key_node,
                    f"unknown field '{key_node.value}' in {what}{hint}; it is ignored. "
                    f"Known fields: {', '.join(names)}",
                )

    def text(self, node: Node | None, field: str) -> str | None:
        if node is None:
            return None
        cls = node.__class__
        if cls is Scalar:
            if node.plain and node.value in _NULLS:
                return None
            return node.value
        if cls is Invalid:
            return None
        kind = "a list" if cls is Seq else "a mapping"
        hint = _TEXT_HINTS.get(field.removeprefix("each item of "), "")
        self.error(node, f"{field} must be text, not {kind}{hint}")
        return None

    def line(self, node: Node | None, field: str) -> str | None:
        """One-line text: a title written over several lines is joined into one."""
        value = self.text(node, field)
        if value is None:
            return None
        if "\n" not in value:
            return value.strip()
        return " ".join(part.strip() for part in value.split("\n") if part.strip())

    def language(self, node: Node | None) -> str | None:
        """A `lang`: a language code (`fr`, `en-GB`); a language's name (`french`) is read
        as it is, with a warning, for the checks that compare languages go by the code."""
        value = self.shared(node, "lang")
        if value is not None and node is not None and not _LANGUAGE_CODE.fullmatch(value):
            code = _LANGUAGE_NAMES.get(value.lower())
            fix = f"write {code}" if code else "write its code, such as fr, en or de"
            self.warning(node, f"lang '{value}' is not a language code: {fix}")
        return value

    def shared(self, node: Node | None, field: str) -> str | None:
        """One-line text that repeats across records (a speaker, a language, a unit, a
        source id): one shared string for each, as for tags."""
        value = self.line(node, field)
        return sys.intern(value) if value is not None else None

    def texts(
        self, node: Node | None, field: str, spans: list[tuple[str, int, int]] | None = None
    ) -> tuple[str, ...]:
        """A list of one-line texts; with `spans`, each item's position is added to it."""
        if node is None or node.__class__ is Invalid:
            return ()
        words = node.words if node.__class__ is Seq else None
        if words is not None:
            found = _WORD_LISTS.get(words)
            if found is not None:
                if spans is not None:
                    self._placed(spans, field, node.items)
                return found
        if node.__class__ is Scalar:
            if node.plain and node.value in _NULLS:
                return ()
            # Dropped, the tags matched no filter, and `sources: x` drew "has no source"
            # as well (a user pass).
            import json  # (here: only this mistake needs it)

            nodes = _as_flow_list(node)
            advice = ", ".join(
                item.value if item.plain else json.dumps(item.value, ensure_ascii=False)
                for item in nodes
            )
            self.error(
                node,
                f"{field} must be a list: write {field}: [{advice}] or one '- ' per line "
                "(read as that list for now)",
            )
        elif node.__class__ is Map:
            self.error(node, f"{field} must be a list, not a mapping{_TEXT_HINTS.get(field, '')}")
            return ()
        else:
            nodes = node.items
        items: list[str] = []
        placed: list[Node] = []
        each = f"each item of {field}"  # made once: a list of tags is read per event
        for item in nodes:
            value = self.text(item, each)
            if value is not None:
                value = value.strip()
                if value:
                    items.append(value)
                    placed.append(item)
                    continue
            if item.__class__ is Scalar:  # (a list or mapping has had its error)
                self.warning(item, f"an empty item of {field} is ignored: remove it")
        if len(set(items)) != len(items):
            items, placed = self._once_each(items, placed, field)
        if spans is not None:
            self._placed(spans, field, placed)
        # Tags, actors and source ids repeat across thousands of events: share them.
        found = _interned(tuple([sys.intern(item) for item in items]))
        if words is not None and len(found) == len(nodes):
            # Every word kept, and nothing said: the same words read the same elsewhere.
            if len(_WORD_LISTS) > 100_000:
                _WORD_LISTS.clear()
            _WORD_LISTS[words] = found
        return found

    def _placed(self, spans: list[tuple[str, int, int]], field: str, items: list[Node]) -> None:
        """The positions of a list's items kept, for the record's spans."""
        base = self.base
        spans.extend((f"{field}.{n}", item.line - base, item.col) for n, item in enumerate(items))

    def _once_each(
        self, items: list[str], placed: list[Node], field: str
    ) -> tuple[list[str], list[Node]]:
        """`items` (at `placed`) with each repeat left out, and a warning at it."""
        kept: dict[str, Node] = {}
        for value, item in zip(items, placed, strict=True):
            if value in kept:
                self.warning(item, f"'{value}' is listed twice in {field}: once is enough")
            else:
                kept[value] = item
        return list(kept), list(kept.values())

    def date(self, node: Node | None, field: str) -> FuzzyDate | None:
        value = self.text(node, field)
        if value is None:
            return None
        try:
            parsed = parse_date(value)
        except DateError as exc:
            self.error(node, _date_message(exc))
            return None
        if parsed.naive:
            self.warning(
                node,
                f"the time in {field} '{value}' has no time zone; it is read as UTC "
                "(add Z or an offset such as +01:00)",
            )
        return parsed

    def records(self, node: Node | None, field: str, read: Callable[[Map], Any]) -> tuple[Any, ...]:
        if node is None or node.__class__ is Invalid:
            return ()
        if node.__class__ is Scalar:
            if node.plain and node.value in _NULLS:
                return ()
            self.error(node, f"{field} must be a list of mappings, not text")
            return ()
        if node.__class__ is Map:
            self.error(node, f"{field} must be a list: start each item with '- '")
            return ()
        return self.items(node.items, field, read)

    def items(
        self, nodes: Iterable[Node], field: str, read: Callable[[Map], Any]
    ) -> tuple[Any, ...]:
        out = []
        for item in nodes:
            if item.__class__ is Map:
                record = read(item)
                if record is not None:
                    out.append(record)
            elif item.__class__ is not Invalid:
                self.error(item, f"each item of {field} must be a mapping (field: value)")
        return tuple(out)

    # -- records ------------------------------------------------------------------------

    def spans(
        self, values: dict[str, Node], extra: list[tuple[str, int, int]] | None = None
    ) -> Spans:
        base = self.base
        spans = tuple([(key, node.line - base, node.col) for key, node in values.items()])
        if extra:
            spans += tuple(extra)
        return _interned(spans)

    def offset(self, node: Node) -> tuple[int, int]:
        return _interned((node.line - self.base, node.col))

    def quote(self, node: Map) -> Quote | None:
        values = self.fields(node, QUOTE_KNOWN, "a quote")
        text = self.text(values.get("text"), "text")
        if not text or not text.strip():
            if _absent(values.get("text")):
                self.error(node, "a quote needs its words in text: add `text: ...`")
            return None
        return Quote(
            text=text.strip(),
            speaker=self.shared(values.get("speaker"), "speaker"),
            lang=self.language(values.get("lang")),
            translation=_strip(self.text(values.get("translation"), "translation")),
            source=self.shared(values.get("source"), "source"),
            offset=self.offset(node),
            spans=self.spans(values),
        )

    def figure(self, node: Map) -> Figure | None:
        values = self.fields(node, FIGURE_KNOWN, "a figure")
        label = self.line(values.get("label"), "label")
        value = self.line(values.get("value"), "value")
        if not label or not value:
            missing = " and ".join(
                f
                for f, v in (("label", label), ("value", value))
                if not v and _absent(values.get(f))
            )
            if missing:
                self.error(node, f"a figure needs a {missing}: add `{missing.split()[0]}: ...`")
            return None
        return Figure(
            label=label,
            value=value,
            unit=self.shared(values.get("unit"), "unit"),
            as_of=self.date(values.get("as_of"), "as_of"),
            source=self.shared(values.get("source"), "source"),
            note=_strip(self.text(values.get("note"), "note")),
            offset=self.offset(node),
            spans=self.spans(values),
        )

    def status(self, node: Node | None) -> tuple[Status | None, str | None]:
        """The status, or the text written when it is not one (an error)."""
        value = self.text(node, "status")
        if value is None:
            return None, None
        status = _STATUSES.get(value) or _STATUSES.get(value.strip().lower())
        if status is None:
            choices = [s.value for s in Status]
            self.error(
                node,
                f"unknown status '{value}'{did_you_mean(value, choices)}; "
                f"use one of {', '.join(choices)}",
            )
            return None, value
        return status, None

    def event(self, node: Map, index: int) -> Event | None:
        self.base = node.line
        before = len(self.diagnostics)
        values = self.fields(node, EVENT_KNOWN, "an event")
        get = values.get
        title = self.line(get("title"), "title")
        date = self.date(get("date"), "date")
        if "date" not in values:
            self.error(node, "event has no date: add `date:` (2026-02-13, 2025-10, 2026?, ...)")
        elif values["date"].__class__ is Scalar and date is None and _is_null(values["date"]):
            self.error(values["date"], "date is empty: write a date such as 2026-02-13")
        if not title:
            title_node = get("title")
            if title_node is None:
                self.error(node, "event has no title: add `title: ...`")
            elif title_node.__class__ is Scalar:
                self.error(title_node, "title is empty: write what happened in one line")
        if date is None or not title:
            name_left_out(self.diagnostics, before, get("id"), title)
            return None
        end = self.date(get("end"), "end") if "end" in values else None
        if end is not None and date.is_interval:
            self.error(
                values["end"],
                f"end is given, but date {date.text} is already a period: write the period "
                "in date alone (start/end), and remove end",
            )
            end = None
        elif end is not None:
            try:
                combine(date, end)
            except DateError as exc:
                self.error(values["end"], _date_message(exc))
                end = None
        items: list[tuple[str, int, int]] = []
        status, unknown_status = self.status(get("status"))
        sources = self.texts(get("sources"), "sources", items)
        related = self.texts(get("related"), "related", items)
        return Event(
            id=self.line(get("id"), "id") or "",
            date=date,
            end=end,
            title=title,
            summary=_strip(self.text(get("summary"), "summary")),
            tags=self.texts(get("tags"), "tags"),
            actors=self.texts(get("actors"), "actors"),
            status=status,
            sources=sources,
            quotes=self.records(get("quotes"), "quotes", self.quote),
            figures=self.records(get("figures"), "figures", self.figure),
            related=related,
            index=index,
            col=node.col,
            spans=self.spans(values, items),
            unknown_status=unknown_status,
        )

    def source(self, key: Scalar, node: Node) -> Source | None:
        if node.__class__ is Invalid:
            return None
        if node.__class__ is not Map:
            self.error(node, f"source '{key.value}' must be a mapping (title: ..., url: ...)")
            return None
        self.base = key.line
        values = self.fields(node, SOURCE_KNOWN, f"source '{key.value}'")
        title = self.line(values.get("title"), "title")
        if not title:
            self.warning(node, f"source '{key.value}' has no title: add `title: ...`")
        return Source(
            id=key.value,
            title=title or key.value,
            publisher=self.line(values.get("publisher"), "publisher"),
            date=self.date(values.get("date"), "date"),
            url=self.line(values.get("url"), "url"),
            lang=self.language(values.get("lang")),
            via=self.line(values.get("via"), "via"),
            note=_strip(self.text(values.get("note"), "note")),
            pos=self.pos(key),
            spans=self.spans(values),
        )

    def _events_elsewhere(self, root: Map, read: dict[str, Node]) -> None:
        """An error at a field of the file, other than events, that holds what look like
        events: a margin line such as `Note:` above some of them, in valid YAML, made
        them its value, and they were gone with a warning about an unknown field."""
        taken = {id(node) for node in read.values()}
        for key, (_, value) in root.pairs.items():
            if value.__class__ is not Seq or id(value) in taken:
                continue
            found = [
                item
                for item in value.items
                if item.__class__ is Map and ("date" in item.pairs or "title" in item.pairs)
            ]
            if found:
                like = "looks like an event" if len(found) == 1 else "look like events"
                key_node = root.key_node(key)
                self.error(
                    key_node,
                    f"'{key_node.value}' holds {counted(len(found), 'item')} that {like} "
                    "(date:, title:), not read as events: put them under events:, or "
                    "indent this line if it belongs to the event above",
                )

    def header(self, root: Node) -> Header | None:
        """Everything of a document but its events (None when it is not a mapping)."""
        if root.__class__ is not Map:
            if root.__class__ is not Invalid:
                self.error(
                    root,
                    "expected a mapping with title and events at the top of the file "
                    "(title: ..., then events: with one '- ' item per event)",
                )
            return None
        self.base = root.line
        values = self.fields(root, TIMELINE_KNOWN, "the timeline")
        self._events_elsewhere(root, values)
        spans = self.spans(values)
        title = self.line(values.get("title"), "title")
        title_node = values.get("title")
        # A title of the wrong type (or a refused tag) has been reported already.
        if not title and (title_node is None or title_node.__class__ is Scalar):
            self.error(title_node or root, "the timeline has no title: add `title: ...`")
        sources: dict[str, Source] = {}
        sources_node = values.get("sources")
        if sources_node is not None and sources_node.__class__ is Map:
            for key, (_, value) in sources_node.pairs.items():
                record = self.source(sources_node.key_node(key), value)
                if record is not None:
                    sources[key] = record
        elif sources_node is not None and not _is_null(sources_node):
            self.error(sources_node, "sources must be a mapping of id: {title: ..., url: ...}")
        return Header(
            title=title or "Untitled timeline",
            description=_strip(self.text(values.get("description"), "description")),
            lang=self.language(values.get("lang")),
            sources=sources,
            pos=self.pos(root),
            spans=spans,
            events=values.get("events"),
        )

    def finish(self, header: Header, events: Sequence[Event], lines: array[int]) -> Timeline:
        """The timeline of a header and its events, in file order (the items of whose list
        start on `lines`, see `Timeline.lines`): ids given, events in date order."""
        return self.timeline_of(header, assign_ids(events, self, lines), lines)

    def timeline_of(self, header: Header, events: Sequence[Event], lines: array[int]) -> Timeline:
        """`finish` for events whose ids are given already (see `assign_ids`)."""
        return Timeline(
            title=header.title,
            path=self.name,
            events=tuple(sorted(events, key=Event.sort_key)),
            description=header.description,
            lang=header.lang,
            sources=header.sources,
            pos=header.pos,
            spans=header.spans,
            lines=lines,
        )

    def timeline(self, root: Node) -> Timeline | None:
        """The timeline of a whole document, events included."""
        header = self.header(root)
        if header is None:
            return None
        events_node = header.events
        if events_node is None:
            self.error(root, "the timeline has no events: add `events:` with one '- ' per event")
        elif _is_null(events_node):
            # `events:` with nothing under it: most likely the items are not indented.
            self.error(
                events_node,
                "events is empty: list the events under it, one '- ' item per event "
                "(or write `events: []` for none yet)",
            )
        counter = _Counter(self.event)
        events = self.records(events_node, "events", counter)
        return self.finish(header, events, counter.lines)


@dataclass(frozen=True, slots=True)
class Header:
    title: str
    description: str | None
    lang: str | None
    sources: dict[str, Source]
    pos: Position
    spans: Spans
    events: Node | None


class _Counter:
    """Numbers the items of the events list in file order (the last sort tie-breaker)."""

    def __init__(self, read: Callable[[Map, int], Event | None]) -> None:
        self.read = read
        self.index = 0
        self.lines = array("q", [0])  # see `Timeline.lines`

    def __call__(self, node: Map) -> Event | None:
        self.index += 1
        self.lines.append(node.line)
        return self.read(node, self.index)


def assign_ids(events: Sequence[Event], reader: Reader, lines: array[int]) -> Sequence[Event]:
    """Give every event (in file order) a unique id: explicit ids must be unique, derived
    ones are made so. The events come back in the same order.

    The ids written in the file are taken first, so that an id derived from another event's
    date and title never takes the name an author wrote (and `related:` points at).
    """
    ids = [event.id for event in events]
    if "" not in ids and len(set(ids)) == len(ids):
        # As in most files: `events` itself, which tells the caller that none was renamed.
        return events
    taken: dict[str, Event] = {}
    for event in events:
        if event.id and event.id not in taken:
            taken[event.id] = event
    renamed: dict[int, Event] = {}
    for event in events:
        if event.id and taken[event.id] is event:
            continue
        if event.id:
            first = taken[event.id]
            where = position_of(
                Position(reader.name, lines[event.index], event.col), event.spans, "id"
            )
            reader.diagnostics.append(
                Diagnostic(
                    where,
                    Severity.ERROR,
                    f"duplicate id '{event.id}' (first at line {lines[first.index]}): "
                    "ids must be unique; rename one",
                )
            )
            new_id = _unique(event.id, taken)
        else:
            base = f"{slugify(event.date.text)}-{slugify(event.title)[:48].rstrip('-')}"
            new_id = _unique(base.strip("-") or "event", taken)
        event = replace(event, id=new_id)
        taken[new_id] = event
        renamed[event.index] = event
    return [renamed.get(e.index, e) for e in events]


def _unique(base: str, taken: dict[str, Event]) -> str:
    if base not in taken:
        return base
    n = 2
    while f"{base}-{n}" in taken:
        n += 1
    return f"{base}-{n}"


def _date_message(exc: DateError) -> str:
    return f"{exc}; {exc.hint}" if exc.hint else str(exc)


def _as_flow_list(node: Scalar) -> list[Scalar]:
    """The items of a list written as one value, read as a flow list of them would be:
    plain text split at its commas (`actors: Microsoft, OpenAI`), quoted text or a web
    address one item, blank text none. Each is placed where the value starts: a plain
    value may go on over lines, and where its later items stand is not known here."""
    value = node.value.strip()
    if not value:
        return []
    if not node.plain or is_web_url(value):
        return [Scalar(value, node.line, node.col, False)]
    parts = (part.strip() for part in value.split(","))
    return [Scalar(part, node.line, node.col, True) for part in parts if part]


def _is_null(node: Node) -> bool:
    return node.__class__ is Scalar and node.plain and node.value in _NULLS


def _strip(value: str | None) -> str | None:
    if value is None:
        return None
    value = value.strip()
    return value or None


def read_timeline(root: Node, name: str) -> tuple[Timeline | None, list[Diagnostic]]:
    """The timeline in a whole document's nodes."""
    reader = Reader(name)
    timeline = reader.timeline(root)
    return timeline, reader.diagnostics


_INTERNED: dict[object, object] = {}
# A flow list of words (`Seq.words`) -> its items, for the lists read without a word
# (most tags, actors and sources repeat: reading each again took a sixth of an event's
# records).
_WORD_LISTS: dict[str, tuple[str, ...]] = {}


def _interned(value: T) -> T:
    """One shared object for equal span tuples: events written alike share their layout."""
    found = _INTERNED.get(value)
    if found is None:
        if len(_INTERNED) > 100_000:
            _INTERNED.clear()
        _INTERNED[value] = value
        return value
    return found  # type: ignore[return-value]


def _absent(node: Node | None) -> bool:
    """Whether a field that gave nothing was left out or empty, rather than of a wrong type
    (a list, a mapping), which reading it has already reported."""
    return node is None or node.__class__ is Scalar


def left_out_note(ident: str) -> str:
    """What an error that loses an event says of it (see `core.carried` for the app's)."""
    return f"event '{ident}' is left out until this is fixed"


def name_left_out(
    diagnostics: list[Diagnostic], before: int, id_node: Node | None, title: str | None = None
) -> None:
    """Name the event that the first error of `diagnostics` from `before` on leaves out:
    the events related to it report its id as missing, and would send the user looking
    for it. One without an id is named by its `title`, if it has one: it is missing from
    the list and the export, and only a count said so (a user pass)."""
    ident = None
    if id_node.__class__ is Scalar and not (id_node.plain and id_node.value in _NULLS):
        ident = id_node.value.strip() or None  # (`id: ~` is none either)
    if ident is None and not title:
        return
    name = ident or shortened(title or "")
    for i in range(before, len(diagnostics)):
        found = diagnostics[i]
        if found.is_error:
            message = f"{found.message}; {left_out_note(name)}"
            diagnostics[i] = replace(found, message=message, left_out=ident)
            return
