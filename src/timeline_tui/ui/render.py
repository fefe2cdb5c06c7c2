"""Model objects to Rich `Text` lines for a given width: what the timeline view draws.

No widget code here, so every line can be unit-tested. All text from the file goes through
`clean()` (control and bidi characters made visible) and into `Text` objects, never into
markup, so `[@click=app.quit]` or `[/]` in a title shows as written.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from rich.cells import cell_len, set_cell_size
from rich.console import Console
from rich.style import Style
from rich.text import Text

from timeline_tui.core.dates import FuzzyDate, relative_label
from timeline_tui.core.model import Event, Figure, Quote, Status, Timeline
from timeline_tui.core.query import highlight_spans
from timeline_tui.core.sanitize import safe_url, visible

STATUS_MARKS: dict[Status | None, str] = {
    Status.CONFIRMED: "●",
    Status.REPORTED: "◐",
    Status.EXPECTED: "○",
    Status.FORECAST: "◇",
    Status.DISPUTED: "✗",
    None: "·",
}
STATUS_HELP: dict[Status | None, str] = {
    Status.CONFIRMED: "confirmed",
    Status.REPORTED: "reported",
    Status.EXPECTED: "expected",
    Status.FORECAST: "forecast",
    Status.DISPUTED: "disputed",
    None: "no status given (counts as confirmed)",
}
# An event whose status is written but is none of the known ones (an error).
UNKNOWN_STATUS_MARK, UNKNOWN_STATUS_HELP = "?", "a status that cannot be read"
# Before an event's row: shown as it was before an error left it out (see `core.carried`).
CARRIED_MARK = "!"
CARRIED_HELP = "(before the row) shown as it was before an error: e goes to the error"
# Names of the styles the view passes in (its component classes, minus the prefix).
STYLE_NAMES = (
    "date", "title", "year", "now", "match", "dim", "label", "quote", "translation",
    "link", "cursor", "expanded-mark", "carried",
    *(f"status-{s.value}" for s in Status), "status-none",
)  # fmt: skip

# A moment with its time zone (`13 Feb 2026 09:30:00 +01:00`) is shown whole; periods may
# be cut.
MAX_DATE_WIDTH = 26


@dataclass(frozen=True)
class Palette:
    """Rich styles by name; missing names draw unstyled."""

    styles: dict[str, Style]

    def __getitem__(self, name: str) -> Style:
        return self.styles.get(name, Style.null())


def clean(text: str, *, one_line: bool = True) -> str:
    """The only way file text reaches the screen: controls and bidi made visible."""
    return visible(text, keep_newlines=not one_line)


def marked(text: str, words: Sequence[str], style: Style, base: Style | None = None) -> Text:
    """`text` as a Text with the query's words highlighted."""
    result = Text(text, style=base or Style.null(), no_wrap=True, end="")
    for start, end in highlight_spans(text, words):
        result.stylize(style, start, end)
    return result


@dataclass(frozen=True, slots=True)
class Columns:
    """The widths of the columns of an event's row, the same for every row of a timeline:
    its titles are cut, and its counts of quotes and figures stand, at the same place on
    each row (they moved from row to row: a user pass)."""

    date: int
    quotes: int  # `❝ 12`; 0 when no event has a quote
    figures: int  # `▦ 3`


# On a screen that would leave titles less than this, the date column is no wider than
# most dates need: a rare long one (`13 Feb 2026–~Aug 2027`) is cut, as a title is.
TITLE_ROOM = 60


def columns(events: Sequence[Event], available: int) -> Columns:
    """Wide enough for the dates and counts shown, the dates never more than a third of
    the screen."""
    sample = events[:5000]
    dates = sorted(cell_len(event_date_label(e)) for e in sample)
    date = max(4, min(dates[-1] if dates else 4, MAX_DATE_WIDTH, max(4, available // 3)))
    if available - date < TITLE_ROOM and dates:
        date = max(4, min(date, dates[len(dates) * 9 // 10]))
    quotes = max((len(e.quotes) for e in sample), default=0)
    figures = max((len(e.figures) for e in sample), default=0)
    return Columns(
        date,
        len(f"❝ {quotes}") if quotes else 0,
        len(f"▦ {figures}") if figures else 0,
    )


def event_date_label(event: Event) -> str:
    return clean(event.when)


def span_label(first: Event, last: Event, end: FuzzyDate) -> str:
    """The dates a list of events covers: from the first one's start to `end`, the latest
    end among them (see `last_end`)."""
    if first is last:
        return event_date_label(first)
    start = first.date.start if first.date.start is not None else first.date
    if end.end is not None:
        end = end.end
    shown = start.display()
    # All within one year, say; or one date that says its end already (`?–13 Feb 2026`).
    if shown == end.display() or shown.endswith(f"–{end.display()}"):
        return clean(shown)
    return f"{clean(start.display())} → {clean(end.display())}"


def status_mark(event: Event) -> str:
    """The mark of an event's status in its row; one that cannot be read is not "none"."""
    return UNKNOWN_STATUS_MARK if event.unknown_status is not None else STATUS_MARKS[event.status]


def status_style_name(status: Status | None) -> str:
    return f"status-{status.value}" if status is not None else "status-none"


def event_row(
    event: Event,
    width: int,
    columns: Columns,
    palette: Palette,
    words: Sequence[str] = (),
    *,
    expanded: bool = False,
    carried: bool = False,
) -> Text:
    """One line for an event: fold mark, date as written, status mark, title, tags.
    `carried`: the event is shown as it was before an error (see `core.carried`)."""
    row = Text(no_wrap=True, end="", overflow="ellipsis")
    if carried:
        row.append("▾ " if expanded else f"{CARRIED_MARK} ", palette["carried"])
    else:
        row.append("▾ " if expanded else "  ", palette["expanded-mark"])
    label = event_date_label(event)
    date_width = columns.date
    if cell_len(label) > date_width:
        # Never cut just after a dash: `13 Feb 2026–…` is how an open end is written.
        label = label[: max(1, date_width - 1)].rstrip("– ") + "…"
    row.append(label + " " * (date_width - cell_len(label)), palette["date"])
    row.append(" ")
    row.append(status_mark(event), palette[status_style_name(event.status)])
    row.append(" ")
    title = marked(clean(event.title), words, palette["match"], palette["title"])
    room, extras = _title_room(event, width, columns)
    if extras:
        title.truncate(room, overflow="ellipsis")
        row.append_text(title)
        row.append(" " * (room + 2 - title.cell_len))
        row.append(extras, palette["dim"])
    else:
        row.append_text(title)
    row.truncate(width, overflow="ellipsis")
    return row


def _title_room(event: Event, width: int, columns: Columns) -> tuple[int, str]:
    """The columns an event's row leaves for its title, and the counts of quotes and
    figures shown after it ('' when they are left out)."""
    start = 2 + columns.date + 1 + cell_len(status_mark(event)) + 1
    extras = _row_extras(event, columns)
    # The counts end two columns short of the edge, and a long title is shortened to keep
    # them, unless that would leave it too little room.
    room = width - start - 2 - cell_len(extras) - 2
    if extras and room >= 12:
        return room, extras
    return width - start, ""


def date_cut(event: Event, columns: Columns) -> bool:
    """Whether the event's row shows its date shortened: its detail then gives it whole."""
    return cell_len(event_date_label(event)) > columns.date


def title_cut(event: Event, width: int, columns: Columns) -> bool:
    """Whether the event's row shows its title shortened: its detail then gives it whole."""
    return cell_len(clean(event.title)) > _title_room(event, width, columns)[0]


def _row_extras(event: Event, columns: Columns) -> str:
    """The counts of quotes and figures, each in its column ('' for an event with none)."""
    if not event.quotes and not event.figures:
        return ""
    quotes = f"❝ {len(event.quotes)}" if event.quotes else ""
    figures = f"▦ {len(event.figures)}" if event.figures else ""
    if not columns.figures:
        return quotes
    if not columns.quotes:
        return figures
    return f"{quotes:<{columns.quotes}}  {figures:<{columns.figures}}"


def year_row(label: str, count: int, width: int, palette: Palette) -> Text:
    row = Text(no_wrap=True, end="")
    row.append(f"── {label} ", palette["year"])
    tail = f" {count:,} event{'s' if count != 1 else ''} "
    fill = max(0, width - row.cell_len - cell_len(tail) - 1)
    row.append("─" * fill, palette["year"])
    row.append(tail, palette["dim"])
    row.truncate(width)
    return row


def now_row(today: dt.date, width: int, palette: Palette) -> Text:
    row = Text(no_wrap=True, end="")
    row.append(f"━━ now · {today.day} {today:%b %Y} ", palette["now"])
    row.append("━" * max(0, width - row.cell_len), palette["now"])
    row.truncate(width)
    return row


def no_match_row(total: int, width: int, palette: Palette, *, partial: bool = False) -> Text:
    """What the list says when the filter matches none of the `total` events loaded;
    `partial`: they are the part of the file read so far."""
    if partial:
        read = f"the first {total:,} events read"
        note = f"No event matches the filter in {read}: the rest is loading."
    else:
        every = "the event" if total == 1 else f"all {total:,} events"
        note = f"No event matches the filter: Escape shows {every}."
    return note_row(note, width, palette)


def note_row(note: str, width: int, palette: Palette) -> Text:
    """A row that says why the list shows no event."""
    row = Text(f"  {note}", palette["dim"])
    row.no_wrap, row.end = True, ""
    row.truncate(width)
    return row


def detail_lines(
    event: Event,
    timeline: Timeline,
    width: int,
    indent: int,
    palette: Palette,
    console: Console,
    words: Sequence[str] = (),
    today: dt.date | None = None,
    *,
    full_title: bool = False,
    full_date: bool = False,
    carried: str | None = None,
) -> list[Text]:
    """The expanded body of an event, wrapped to `width` and indented under its title;
    with `full_date` and `full_title`, the date and the title first (its row shows them
    shortened); `carried`: why it is shown as it was before (see `core.carried`)."""
    body = _Body(width, indent, palette, console, words)
    if full_date:
        body.wrap(Text(event_date_label(event), palette["date"], end=""))
    if full_title:
        body.wrap(marked(clean(event.title), words, palette["match"], palette["title"]))
    if full_date or full_title:
        body.blank()
    if carried is not None:
        body.wrap(Text(f"{CARRIED_MARK} {carried}", palette["carried"], end=""), hang=2)
        body.blank()
    if event.summary:
        paragraphs = [
            " ".join(p.split()) for p in clean(event.summary, one_line=False).split("\n\n")
        ]
        for number, paragraph in enumerate(p for p in paragraphs if p):
            if number:
                body.blank()  # else two paragraphs read as one
            body.wrap(marked(paragraph, words, palette["match"]))
        body.blank()
    for quote in event.quotes:
        _quote(body, quote, timeline)
    if event.figures:
        body.heading("Figures")
        _figures(body, event.figures, timeline)
        body.blank()
    refs = list(dict.fromkeys(event.sources))
    if refs:
        body.heading("Sources")
        for ref in refs:
            body.wrap(_citation(timeline, ref, palette), hang=2)
        body.blank()
    related = [timeline.event_by_id(r) for r in event.related]
    if any(related):
        body.heading("Related")
        for other in related:
            if other is not None:
                line = Text("→ ", palette["dim"], end="")
                line.append(event_date_label(other), palette["date"])
                line.append("  ")
                line.append(clean(other.title))
                body.wrap(line, hang=2)
        body.blank()
    body.wrap(_footer(event, timeline.line_of(event), palette, today))
    body.blank()
    return body.lines


class _Body:
    """Accumulates wrapped, indented lines."""

    def __init__(
        self, width: int, indent: int, palette: Palette, console: Console, words: Sequence[str]
    ) -> None:
        self.width = max(10, width - indent - 1)
        self.pad = " " * indent
        self.palette = palette
        self.console = console
        self.words = words
        self.lines: list[Text] = []

    def wrap(self, text: Text, hang: int = 0) -> None:
        """`text` wrapped to the body's width, every line but the first indented by `hang`
        more and so wrapped that much narrower: a long URL is folded, never cut off."""
        text.no_wrap = False
        text.end = ""
        for i, line in enumerate(self._hanging(text, hang)):
            prefix = self.pad if i == 0 or not hang else self.pad + " " * hang
            out = Text(prefix, end="", no_wrap=True)
            out.append_text(line)
            out.rstrip()
            self.lines.append(out)

    def _hanging(self, text: Text, hang: int) -> list[Text]:
        console, width = self.console, self.width
        if not hang:
            return list(text.wrap(console, width, overflow="fold"))
        head, *more = text.split("\n", allow_blank=True)
        lines = list(head.wrap(console, width, overflow="fold"))[:1]
        # What the first line left is wrapped again, to the narrower width.
        rest = head[len(lines[0].plain) :] if lines else head
        rest = rest[len(rest.plain) - len(rest.plain.lstrip(" ")) :]
        for part in ([rest] if rest.plain else []) + more:
            lines.extend(part.wrap(console, width - hang, overflow="fold"))
        return lines

    def heading(self, title: str) -> None:
        self.lines.append(Text(self.pad + title, self.palette["label"], end=""))

    def blank(self) -> None:
        if self.lines and self.lines[-1].plain.strip():
            self.lines.append(Text("", end=""))


def _quote(body: _Body, quote: Quote, timeline: Timeline) -> None:
    palette, words = body.palette, body.words
    text = Text("❝ ", palette["quote"], end="")
    text.append_text(marked(clean(quote.text, one_line=False), words, palette["match"]))
    text.stylize(palette["quote"])
    body.wrap(text, hang=2)
    if quote.translation:
        translation = Text("  ", end="")
        translation.append_text(
            # Its line breaks kept, as the quote's own are.
            marked(
                clean(quote.translation, one_line=False),
                words,
                palette["match"],
                palette["translation"],
            )
        )
        body.wrap(translation, hang=2)
    attribution = Text("  — ", palette["dim"], end="")
    if quote.speaker:
        attribution.append_text(marked(clean(quote.speaker), words, palette["match"]))
        attribution.append(", " if quote.source else "", palette["dim"])
    if quote.source:
        attribution.append_text(_citation(timeline, quote.source, palette, short=True))
    if quote.lang:
        attribution.append(f" ({clean(quote.lang)})", palette["dim"])
    if attribution.plain.strip() != "—":
        body.wrap(attribution, hang=4)
    body.blank()


def _figures(body: _Body, figures: Sequence[Figure], timeline: Timeline) -> None:
    """A table of labels and values, or, when a label is too long for its column, each
    label on its own lines and its value under it: a label cut short could be read nowhere."""
    palette, words = body.palette, body.words
    labels = [clean(f.label) for f in figures]
    values = [clean(f.amount(timeline.lang)) for f in figures]
    label_width = max(cell_len(label) for label in labels)
    value_width = min(max(cell_len(v) for v in values), max(6, body.width // 4))
    table = label_width <= max(8, body.width // 2)
    for figure, label, value in zip(figures, labels, values, strict=True):
        line = Text("  ", end="")
        line.append_text(marked(label, words, palette["match"]))
        if table:
            line.append(" " * (label_width - cell_len(label) + 2))
            line.append(" " * max(0, value_width - cell_len(value)) + value, palette["title"])
        else:
            body.wrap(line, hang=2)
            line = Text("    ", end="")
            line.append(value, palette["title"])
        rest = []
        if figure.as_of is not None:
            rest.append(f"as of {clean(figure.as_of.display())}")
        tail = Text("  " + " · ".join(rest), palette["dim"], end="") if rest else Text("  ")
        if figure.source:
            if rest:
                tail.append(" · ", palette["dim"])
            tail.append_text(_citation(timeline, figure.source, palette, short=True))
        line.append_text(tail)
        body.wrap(line, hang=4)
        if figure.note:
            note = clean(figure.note, one_line=False).strip("\n")
            body.wrap(Text("    " + note, palette["dim"], end=""), hang=4)


def _citation(timeline: Timeline, ref: str, palette: Palette, *, short: bool = False) -> Text:
    """A source for display: its title (and publisher, date), linked only if http(s)."""
    cite = timeline.cite(ref)
    text = Text(end="")
    record = cite.source
    label = clean(cite.label)
    if short and record is not None:
        # Beside a quote or figure, a long headline is noise: the publisher says enough,
        # else the start of the title (an id, `src-12`, said nothing).
        label = clean(record.publisher) if record.publisher else _cut(record.title)
    url = safe_url(cite.url) if cite.url else None
    style = palette["link"] + Style(link=url) if url else Style.null()
    text.append(label, style)
    if record is not None and not short:
        details = [clean(x) for x in (record.publisher,) if x]
        if record.date is not None:
            details.append(clean(record.date.display()))
        if record.via and record.via in timeline.sources:
            details.append(f"via {_cut(timeline.sources[record.via].title)}")
        if details:
            text.append(" — " + ", ".join(details), palette["dim"])
        if url and cite.url != cite.label:
            # As written: the link's target is the encoded form, `Paris_%28city%29`.
            text.append(" ")
            text.append(clean(cite.url), palette["link"] + Style(link=url))
        if record.note:
            text.append(" — Note: " + clean(record.note), palette["dim"])
    return text


def _cut(text: str, width: int = 40) -> str:
    """The start of a long text, at most `width` columns before the ellipsis, cleaned."""
    if cell_len(text) <= width:
        return clean(text)
    # Cut before cleaning, so that a `<U+202E>` placeholder is never cut in two; in columns,
    # so that 40 Chinese characters do not take 80.
    return f"{clean(set_cell_size(text, width).rstrip())}…"


def _footer(event: Event, line: int, palette: Palette, today: dt.date | None) -> Text:
    parts = []
    if event.tags:
        parts.append("#" + " #".join(clean(t) for t in event.tags))
    if event.actors:
        parts.append("@" + ", @".join(clean(a) for a in event.actors))
    if event.unknown_status is not None:
        parts.append(f"status '{clean(event.unknown_status)}' is not a known one")
    else:
        parts.append(STATUS_HELP[event.status])
    if today is not None:
        parts.append(relative_label(event.date, today, event.end))
    parts.append(f"line {line}")
    return Text(" · ".join(parts), palette["dim"], end="")
