"""A timeline as a publishable Markdown document (CommonMark with GFM tables).

Layout: `# title`, an italic filter line when the export is filtered, the description, one
`## year` per year in chronological order, one `### date — title` per event (status,
actors and tags, summary, quotes as blockquotes, figures as a table, sources), and a
numbered `## References` list at the end. Notes are kept, since they qualify what they
annotate: a figure's in a Note column of its table (only in the tables of events where a
figure has one), a source's at the end of its reference.

Everything that comes from the file is data, never Markdown: it goes through
`sanitize.visible` and then an escaper that backslash-escapes ASCII punctuation, so no
title, summary or citation can add a heading, list, link, image, HTML, entity or table
cell, and rendering the document gives back the text as written. Only http(s) URLs,
made safe by `sanitize.safe_url`, become links.

The output depends only on its inputs (never on today's date), so exports diff cleanly.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from timeline_tui.core.export_words import ExportWords, export_words, titles_list
from timeline_tui.core.forked import forked_map, runs
from timeline_tui.core.model import (
    Diagnostic,
    Event,
    Figure,
    Quote,
    Source,
    Status,
    Timeline,
    headed_runs,
)
from timeline_tui.core.sanitize import CHANGED_MULTILINE, CHANGED_ONE_LINE, safe_url, visible

__all__ = ["escape_inline", "escape_paragraphs", "export_markdown"]

# Characters that are Markdown syntax wherever they stand (emphasis, code, links, HTML,
# entities, tables, GFM strikethrough, `$` math, `{attributes}`, and `@`, of which GitHub
# makes `mailto:` links and links to its users' pages) are always escaped. The
# rest only where they start a line (lists, headings, setext underlines), so that prose
# stays readable in the raw file: `13 Feb. 2026 (est.)` is not littered with backslashes.
_ANYWHERE_CHARS = r"\\`*_\[\]<>|~&#!$^{}@"
_ANYWHERE = re.compile(f"[{_ANYWHERE_CHARS}]")
# An ordered list's number is followed by a space or nothing (`1. ` but not `88.7`): the
# line's end, which in the fast path for several lines is a line break.
_LINE_START_SYNTAX = r"[-+=:]|(\d+)([.)])(?=[ \t\n]|\Z)"
_LINE_START = re.compile(f"^(?:{_LINE_START_SYNTAX})")


def _plain_line(changed: str) -> str:
    """A pattern for a line that needs nothing done: no character that `visible` changes
    (`changed`, a class body) or that is escaped anywhere, no line break, no space at
    either end (`\\s` is what `str.strip` trims), no line-start syntax."""
    untouched = f"{changed}{_ANYWHERE_CHARS}"
    return f"(?!{_LINE_START_SYNTAX})[^\\s{untouched}](?:[^\\n{untouched}]*[^\\s{untouched}])?"


# The fast paths. Export escapes about ten strings an event, and most need nothing done:
# one match says so, where `visible`, trimming and the escapes above took four steps a line.
_PLAIN_LINE = re.compile(_plain_line(CHANGED_ONE_LINE))
_PLAIN_TEXT_LINE = _plain_line(CHANGED_MULTILINE)
_PLAIN_PARAGRAPH = re.compile(f"{_PLAIN_TEXT_LINE}(?:\\n{_PLAIN_TEXT_LINE})*")
# Text with nothing `visible` changes and nothing to escape anywhere: only each line's
# start is looked at.
_MARKED_TEXT = re.compile(f"[{CHANGED_MULTILINE}{_ANYWHERE_CHARS}]")


def _escape(text: str) -> str:
    # Most lines need nothing: searching first spares building a copy (export of 100k
    # events escapes about a million lines and cells).
    if _ANYWHERE.search(text):
        text = _ANYWHERE.sub(r"\\\g<0>", text)
    return _escape_start(text)


def _escape_start(line: str) -> str:
    if _LINE_START.match(line):
        return _LINE_START.sub(_escape_line_start, line, count=1)
    return line


def _escape_line_start(match: re.Match[str]) -> str:
    if match.group(1) is not None:
        return f"{match.group(1)}\\{match.group(2)}"
    return "\\" + match.group(0)


def escape_inline(text: str) -> str:
    """One-line text (a heading, a table cell, a list item) as inert Markdown.

    Line breaks become spaces and the ends are trimmed: a leading run of spaces could
    start an indented code block, a trailing one a hard line break.
    """
    if _PLAIN_LINE.fullmatch(text):
        return text
    return _escape(visible(text, keep_newlines=False).strip())


def escape_paragraphs(text: str) -> list[list[str]]:
    """Multi-line text as escaped paragraphs, each a list of lines.

    A blank line separates paragraphs, as in the file. Each line is trimmed, so no line
    can become an indented code block, and kept as a soft break so the author's wrapping
    survives in the raw file.
    """
    if _PLAIN_PARAGRAPH.fullmatch(text):
        return [text.split("\n")]
    escape = _escape_start
    if _MARKED_TEXT.search(text):
        text = visible(text)
        escape = _escape
    paragraphs: list[list[str]] = []
    lines: list[str] = []
    for line in text.split("\n"):
        line = line.strip()
        if line:
            lines.append(escape(line))
        elif lines:
            paragraphs.append(lines)
            lines = []
    if lines:
        paragraphs.append(lines)
    return paragraphs


# An export shares its events out among processes only if each gets this many.
MIN_SHARE = 2000
# A child writes its share in a third more time than the parent does (at 100k events: it
# copies each page of events it touches, and pickles what it wrote): the parent writes a
# larger share, so that both are done at once.
PARENT_SHARE = 1.3


def export_markdown(
    timeline: Timeline,
    events: Sequence[Event] | None = None,
    *,
    query: str | None = None,
    incomplete: str | None = None,
    processes: int = 1,
) -> str:
    """The timeline (or the `events` a filter kept, in their order) as Markdown.

    `query` is the filter text that selected `events`; the document says so under its title,
    as it says `incomplete`: why events of the file may be missing from it.
    `processes`: how many may write the events' sections (see `forked`).
    """
    chosen = timeline.events if events is None else tuple(events)
    body: list[str | Event] = []  # in document order: a heading, then its events
    for heading, group in _by_heading(chosen):
        body.append(heading)
        body.extend(group)
    numbers: dict[str, int] = {}
    for item in body:
        if not isinstance(item, str):
            for ref in _citations(item):
                if ref not in numbers:
                    numbers[ref] = len(numbers) + 1
    words = export_words(timeline.lang)
    out = _Writer(timeline, numbers, words)
    out.block(f"# {escape_inline(timeline.title)}")
    if query is not None and query.strip():
        count = f"{len(chosen)} {words.of} {words.events(len(timeline.events))}"
        out.block(f"*{words.labelled(words.filtered, f'{escape_inline(query)} ({count})')}*")
    if incomplete:
        out.block(f"*{words.labelled(words.incomplete, escape_inline(incomplete))}*")
    if timeline.description:
        out.paragraphs(timeline.description)
    if not chosen:
        out.block(f"*{words.no_events}*")

    def write(run: tuple[int, int]) -> str:
        return _Writer(timeline, numbers, words).body(body[run[0] : run[1]])

    out.blocks.extend(forked_map(write, runs(len(body), processes, MIN_SHARE, PARENT_SHARE)))
    out.references()
    # (The document's last line break is added to its last block: added to the whole,
    # it copied the document again, 90 MB at 100k events.)
    out.blocks[-1] += "\n"
    return "\n\n".join(out.blocks)


def incomplete_note(
    name: str,
    errors: Sequence[Diagnostic],
    *,
    as_before: Sequence[str] = (),
    lang: str | None = None,
) -> str:
    """What an export of file `name`, which has `errors`, says under its title (see
    `export_markdown`), in the words of a timeline in `lang`; `as_before`: the titles of
    the events they leave out that are exported as they were before (the app's, see
    `core.carried`), named so that a reader knows which to check."""
    words = export_words(lang)
    # Each line once: three errors in one event said "lines 6, 6, 7", and pushed the next
    # line behind the "…".
    at = list(dict.fromkeys(d.pos.line for d in errors if d.pos is not None))
    lines = ", ".join(map(str, at[:3])) + (", …" if len(at) > 3 else "")
    has = words.has_errors(name, len(errors), lines, len(at))
    return words.left_out(has, len(errors), len(as_before), titles_list(as_before))


def _citations(event: Event) -> Sequence[str]:
    """What an event's section cites, in its order: references are numbered by first use."""
    if not event.quotes and not event.figures:
        return event.sources  # most events (a list made for each took 0.1 s at 100k)
    cited = [record.source for record in (*event.quotes, *event.figures) if record.source]
    return [*cited, *event.sources]


def _emphasized(lines: list[str]) -> list[str]:
    """One paragraph in italics. Emphasis cannot span paragraphs, so each gets its own; the
    lines are trimmed and their punctuation escaped, so the `*`s always open and close."""
    if len(lines) == 1:
        return [f"*{lines[0]}*"]
    return [f"*{lines[0]}", *lines[1:-1], f"{lines[-1]}*"]


def _by_heading(events: Sequence[Event]) -> list[tuple[str, Sequence[Event]]]:
    """Events (in timeline order) grouped under their headings (see `headed_runs`)."""
    return [(heading, events[first:stop]) for heading, first, stop in headed_runs(events)]


class _Writer:
    """Collects blocks of the document; `numbers` gives each reference its number.

    What comes back on thousands of events (an actor, a date, a list of actors, tags or
    sources) is escaped and written once, then looked up."""

    def __init__(self, timeline: Timeline, numbers: dict[str, int], words: ExportWords) -> None:
        self.timeline = timeline
        self.numbers = numbers
        self.words = words
        self.blocks: list[str] = []
        self.names: dict[str, str] = {}
        # (At 100k generated events: 1,900 lists of actors, 260 of tags, 50 of sources.)
        self.lists: dict[tuple[str, ...], str] = {}
        self.cited: dict[tuple[str, ...], str] = {}

    def name(self, text: str) -> str:
        """A short text that comes back on many events (an actor, a tag, a date), escaped."""
        escaped = self.names.get(text)
        if escaped is None:
            escaped = self.names[text] = escape_inline(text)
        return escaped

    def block(self, text: str) -> None:
        self.blocks.append(text)

    def paragraphs(self, text: str) -> None:
        for lines in escape_paragraphs(text):
            self.block("\n".join(lines))

    def cite(self, ref: str) -> str:
        return f"\\[{self.numbers[ref]}\\]"

    def body(self, items: Sequence[str | Event]) -> str:
        """Headings and events' sections, as one piece of the document."""
        for item in items:
            if isinstance(item, str):
                self.block(f"## {escape_inline(self.words.date(item))}")
            else:
                self.event(item)
        return "\n\n".join(self.blocks)

    def heading(self, event: Event) -> str:
        """An event's date and title, as its section's heading says them."""
        return f"{self.name(_when(event, self.words))} — {escape_inline(event.title)}"

    def event(self, event: Event) -> None:
        words, add = self.words, self.blocks.append  # (a million blocks at 100k events)
        add(f"### {self.heading(event)}")
        if event.unknown_status is not None:
            status = f"{escape_inline(event.unknown_status)} ({words.unknown_status})"
            add(f"*{words.labelled(words.status, status)}*")
        elif event.status is not None and event.status is not Status.CONFIRMED:
            add(f"*{words.labelled(words.status, words.statuses[event.status])}*")
        if event.actors or event.tags:
            facts = [
                words.labelled(name, self.listing(items))
                for name, items in ((words.actors, event.actors), (words.tags, event.tags))
                if items
            ]
            add(" · ".join(facts))
        if event.summary:
            self.paragraphs(event.summary)
        for quote in event.quotes:
            self.quote(quote)
        if event.figures:
            self.figures(event.figures)
        if event.sources:
            add(self.sources_line(event.sources))
        if event.related:
            related = [self.timeline.event_by_id(ref) for ref in event.related]
            if any(related):
                headings = "; ".join(self.heading(e) for e in related if e is not None)
                add(words.labelled(words.related, headings))

    def listing(self, items: tuple[str, ...]) -> str:
        """`Microsoft, OpenAI`: a list of actors or tags, escaped."""
        line = self.lists.get(items)
        if line is None:
            line = self.lists[items] = ", ".join([self.name(item) for item in items])
        return line

    def sources_line(self, sources: tuple[str, ...]) -> str:
        """`Sources: [1], [2]`."""
        line = self.cited.get(sources)
        if line is None:
            refs = dict.fromkeys(sources)  # the same source twice is cited once
            cites = ", ".join(self.cite(ref) for ref in refs)
            line = self.cited[sources] = self.words.labelled(self.words.sources, cites)
        return line

    def quote(self, quote: Quote) -> None:
        paragraphs = escape_paragraphs(quote.text)
        if quote.translation:
            paragraphs += [_emphasized(lines) for lines in escape_paragraphs(quote.translation)]
        speaker = quote.speaker
        if not speaker and quote.source in self.timeline.sources:
            # Without a speaker, the words are the source's: its outlet names them, where a
            # reference number alone (`— [3]`) said nothing (a user pass).
            speaker = self.timeline.sources[quote.source].publisher
        attribution = [self.name(speaker)] if speaker else []
        if quote.source:
            attribution.append(self.cite(quote.source))
        attribution = [a for a in attribution if a]  # a blank speaker is no speaker
        if attribution:
            paragraphs.append(["— " + ", ".join(attribution)])
        if paragraphs:
            self.block("\n>\n".join(["> " + "\n> ".join(lines) for lines in paragraphs]))

    def figures(self, figures: Sequence[Figure]) -> None:
        # A note qualifies its figure ("currency not stated"), so it stays on the figure's
        # row rather than in a list below, where it would have to repeat the label. It is
        # one line, as a cell must be: its paragraphs are told apart by a ¶ (HTML such as
        # <br> is not rendered everywhere a Markdown file is published).
        notes = [_one_cell(figure.note) if figure.note else "" for figure in figures]
        noted = any(notes)
        header = [*self.words.figure_header, *([self.words.note_header] if noted else [])]
        rows = ["| " + " | ".join(header) + " |", "|" + " --- |" * len(header)]
        for figure, note in zip(figures, notes, strict=True):
            cells = [
                escape_inline(figure.label),
                escape_inline(figure.amount(self.timeline.lang)),
                escape_inline(self.words.date(figure.as_of.display())) if figure.as_of else "",
                self.cite(figure.source) if figure.source else "",
            ]
            if noted:
                cells.append(note)
            rows.append("| " + " | ".join(cells) + " |")
        self.block("\n".join(rows))

    def references(self) -> None:
        if not self.numbers:
            return
        self.block(f"## {self.words.references}")
        # Each part was escaped alone: a source titled `0` with a note made `0. Note: …`,
        # a list inside the item (found by the fuzz test).
        items = [f"{n}. {_escape_start(self.reference(ref))}" for ref, n in self.numbers.items()]
        self.block("\n".join(items))

    def reference(self, ref: str) -> str:
        record = self.timeline.sources.get(ref)
        if record is None:
            # An inline citation: a link when it is a web URL, inert text otherwise.
            return _link(ref)
        return self.source(record)

    def source(self, record: Source) -> str:
        text = escape_inline(record.title)
        details = [escape_inline(record.publisher)] if record.publisher else []
        if record.date is not None:
            details.append(escape_inline(self.words.date(record.date.display())))
        if details:
            text += " — " + ", ".join(details)
        if record.via:
            # By its number when it is listed too: its whole title again took 200
            # characters in the bundled export (a user pass).
            if record.via in self.numbers:
                via = self.cite(record.via)
            else:
                other = self.timeline.sources.get(record.via)
                via = escape_inline(other.title if other is not None else record.via)
            text += f", via {via}"
        if record.url:
            text = _sentence(text, _link(record.url))
        note = escape_inline(record.note) if record.note else ""
        if note:
            # Last, after the URL: it qualifies the whole reference, as an annotation does.
            text = _sentence(text, self.words.labelled(self.words.note, note))
        return text


def _link(url: str) -> str:
    """A URL as a link that shows it as written: `<https://...>` when it needs no
    encoding, else `[https://fr.wikipedia.org/wiki/Élysée](<https://...%C3%89lys%C3%A9e>)`
    (readers saw the encoded form, a user pass). One that is not http(s) is kept as
    evidence, but as text that does nothing."""
    target = safe_url(url)
    if target is None:
        return escape_inline(url)
    if target == url.strip():
        return f"<{target}>"
    return f"[{escape_inline(url.strip())}](<{target}>)"


def _one_cell(text: str) -> str:
    """Text of several paragraphs as one table cell."""
    return " ¶ ".join(" ".join(lines) for lines in escape_paragraphs(text))


def _when(event: Event, words: ExportWords) -> str:
    """An event's date in words a reader of the published piece needs no key for: an
    interval with one end unknown or open says so (`Up to 13 Feb 2026`, not the app's
    `?–13 Feb 2026`: a user pass)."""
    date = event.date
    if event.end is None and date.start is None and date.end is not None:
        return words.up_to(date.end)
    if event.end is None and date.start is not None and date.end is None:
        return words.since(date.start)
    return words.date(event.when)


def _sentence(text: str, more: str) -> str:
    """`more` after `text`, as the next sentence (a title may be blank once escaped)."""
    if not text or text.endswith((".", "!", "?")):
        return f"{text} {more}".lstrip()
    return f"{text}. {more}"
