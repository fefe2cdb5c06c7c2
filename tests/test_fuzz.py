"""Property-based fuzz of the core: loader, validator, exporter, query and dates.

Whatever comes in (raw bytes, YAML-ish text assembled from tricky pieces, arbitrary unicode
in every field of a model), nothing raises but the app's own answers: diagnostics from the
loader, `QueryError` from the query parser, `DateError` from the date parser. Every
diagnostic points inside the file, a reload by blocks gives what a fresh load gives, and
every Markdown export parses with markdown-it into the structure the timeline implies.

The default profile keeps the suite fast. A deep run (quote its figures in the issue):

    FUZZ_EXAMPLES=10000 python -m pytest -q tests/test_fuzz.py
"""

from __future__ import annotations

import codecs
import datetime as dt
import itertools
import json
import os
import re

from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt
from markdown_it.token import Token

from conftest import block_starts
from timeline_tui.core import yamltree
from timeline_tui.core._calendar import year_of
from timeline_tui.core.blocks import Block, blocks_of, runs_of_items, split_events
from timeline_tui.core.carried import carry_over
from timeline_tui.core.dates import DateError, FuzzyDate, combine, parse_date, relative_label
from timeline_tui.core.export_markdown import export_markdown
from timeline_tui.core.loader import (
    BlockLoader,
    LoadResult,
    _reads_whole,
    load_bytes,
    load_text,
    parse_tree,
)
from timeline_tui.core.model import (
    Diagnostic,
    Event,
    Figure,
    Quote,
    Severity,
    Source,
    Status,
    Timeline,
    headed_runs,
)
from timeline_tui.core.query import (
    QueryError,
    SearchIndex,
    best_match,
    highlight_spans,
    parse_query,
    searchable_text,
)
from timeline_tui.core.records import (
    EVENT_FIELDS,
    FIGURE_FIELDS,
    QUOTE_FIELDS,
    SOURCE_FIELDS,
    TIMELINE_FIELDS,
)
from timeline_tui.core.sanitize import visible
from timeline_tui.core.validate import check_timeline, left_out_ids

FUZZ = settings(
    max_examples=int(os.environ.get("FUZZ_EXAMPLES", "150")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
NAME = "f.yaml"
MD = MarkdownIt("commonmark").enable("table")
# Line breaks as YAML counts them (and as every diagnostic counts lines).
LINE_BREAK = re.compile(r"\r\n?|\n")
# In a file with LF line breaks, a CR alone is a stray character, not a line break (as for
# an editor: the loader reports it there; see yamltree.cr_ends_lines).
LF_BREAK = re.compile(r"\r?\n")
# What an export must never hold raw: C0 controls but the newline, DEL, C1, bidi controls,
# line and paragraph separators, invisible format characters, lone surrogates.
FORBIDDEN = re.compile(
    "[\x00-\x09\x0b-\x1f\x7f-\x9f\u061c\u200b\u200e\u200f\u202a-\u202e\u2028\u2029"
    "\u2066-\u2069\ufeff\ud800-\udfff]"
)
TODAY = dt.date(2026, 11, 26)

# -- pieces -----------------------------------------------------------------------------------

DATE_TEXTS = [
    "2026-02-13", "2025-10", "2026", "2026?", "2026~", "2026%", "202X", "20XX", "2026-XX",
    "2026-21", "2026-24", "2019/2023", "2026-02/..", "/2032", "../2026", "-0044-03-15",
    "Y-10000", "Y170000002", "13 February 2026", "October 2025", "2026-02-13T09:30+01:00",
    "2026-02-13T09:30", "circa 1850", "sometime in 2026", "1850s", "Q3 2026", "late 2025",
    "spring 2026", "44 BC", "15 March 44 BCE", "AD 14", "0001", "-0001", "9999-12-31",
]  # fmt: skip
# Values that are hard for a YAML reader, a date parser or a Markdown writer.
TRICKY = [
    "", " ", "plain words", "a: b", "a:b", "x #c", "x# c", "#", "# comment", "'q'", "'it''s'",
    '"dq"', '"a\\"b"', '"\\x1b[2J"', '"\\u202e"', '"unclosed', "'unclosed", "[a, b]", "[]",
    "[a, [b]]", "[a,", "]", "{a: 1}", "{}", "{a", "}", "-", "- x", "-x", "?", "? x", ": x", "|",
    ">", "|-", ">+", "|2", "&a x", "*a", "&a", "*b", "&a [x]", "!!python/object:os.system",
    "!!python/object/apply:os.system ['ls']", "!!binary aGVsbG8=", "!!str x", "!custom x",
    "!!int 3", "!!map {}", "!!set {a}", "%", "%YAML 1.1", "@x", "`x`", "~", "null", "Null", "no",
    "yes", "on", "true", "12:30", "1_000", "0x1F", ".inf", "1e3", "<<", "*emphasis*", "_u_",
    "<b>html</b>", "<script>x</script>", "[link](javascript:alert(1))", "![img](http://x/i)",
    "&amp;", "| a | b |", "---", "...", "===", "1. item", "+ item", "> quote", "    code",
    "\t", "a\tb", "\tlead", "\r", "a\rb", "\r\n", "\ufeff", "\x00", "\x1b[2J", "\x1b]8;;x\x07",
    "\u202e", "\u2066x\u2069", "\u2028", "\x85", "\u200b", "\ud800", "\x7f", "\x9b",
    "é ü 中 🙂", "cafe\u0301", "C#", "a, b", "https://example.org/a?b=c#f",
    "http://h/(x)<y>", "javascript:alert(1)", "//evil", "AT&T", "100%", "x" * 3000,
    "Y" + "9" * 5000, "9" * 5000 + " BC", "Y-" + "1" * 20,
    *DATE_TEXTS,
]  # fmt: skip
YAML_SYNTAX = "-:#&*!|>'\"%@`?,[]{}~ \t\nab1é\\"

SCALARS = st.one_of(
    st.sampled_from(TRICKY),
    st.text(max_size=20),
    st.text(alphabet=YAML_SYNTAX, max_size=16),
    st.sampled_from(DATE_TEXTS),
)


def _misspellings(fields: tuple[str, ...]) -> list[str]:
    out = []
    for name in fields:
        out += [name[:-1], name.capitalize(), name + "s", name[0] + name, name.upper()]
    return out


ODD_KEYS = [
    "1", "true", "null", "~", "2025-01-01", "x y", '"title"', "'date'", "? complex", "[a]",
    "{a: b}", "&k title", "*k", "!!str title", "é", "-", "<<", "title ", " title", "x:y",
]  # fmt: skip
DATE_FIELDS = {"date", "end", "as_of"}
LIST_FIELDS = {"tags", "actors", "sources", "related"}
RECORD_FIELDS = {"events": EVENT_FIELDS, "quotes": QUOTE_FIELDS, "figures": FIGURE_FIELDS}
TOP_KEYS = [*TIMELINE_FIELDS, "events", "events", "title", "tittle", "Events", "extra", "x"]
PRELUDE = [
    "%YAML 1.1", "%YAML 1.2", "%TAG ! tag:example.com,2000:", "---", "--- !!map", "# comment",
    "# yaml-language-server: $schema=timeline.schema.json", "", "  ", "\t",
]  # fmt: skip
POSTLUDE = ["...", "---", "--- x", "---\nother: doc", "...\n# trailing", "", "# end", "\t"]
FRESH_LINES = [
    "", "# c", "  - date: 2026", "    title: added", "  - date: 2026\n    title: added",
    "title: again", "\t- x", "    tags: [a", "- date: 2025", "  -", "events:", "---",
    "    summary: |", "      body", "    quotes:", "      - text: q", "        lang: fr",
]  # fmt: skip
STEPS = st.sampled_from([2, 2, 2, 2, 2, 2, 0, 1, 3, 4, -1])


def keys_for(fields: tuple[str, ...]) -> st.SearchStrategy[str]:
    return st.one_of(
        st.sampled_from(fields),
        st.sampled_from(fields),
        st.sampled_from(fields),
        st.sampled_from(_misspellings(fields)),
        st.sampled_from(ODD_KEYS),
        st.text(max_size=6),
    )


@st.composite
def values(draw: st.DrawFn, indent: int, field: str, depth: int) -> tuple[str, list[str]]:
    """A value for `field:` written at column `indent`: what follows the colon on the key's
    line, and the lines under it. Usually of the field's type, often of any other."""
    inner = max(indent + draw(STEPS), 0)
    pad = " " * inner
    kinds = ["scalar", "empty", "flow", "flow_map", "block_list", "block_scalar", "anchor",
             "multiline", "tagged", "deep", "laughs"]  # fmt: skip
    if depth < 3:
        kinds += ["records", "mapping"]
    if draw(st.integers(0, 3)) > 0:  # the field's own type, most of the time
        if field in DATE_FIELDS:
            kinds = ["date"]
        elif field in LIST_FIELDS and (field != "sources" or depth):
            kinds = ["flow", "block_list"]
        elif field == "sources":
            kinds = ["sources"]
        elif field in RECORD_FIELDS and depth < 3:
            kinds = ["records"]
        elif field in ("summary", "description", "note", "text", "translation"):
            kinds = ["scalar", "block_scalar"]
        else:
            kinds = ["scalar"]
    kind = draw(st.sampled_from(kinds))
    if kind == "date":
        return " " + draw(st.one_of(st.sampled_from(DATE_TEXTS), SCALARS)), []
    if kind == "scalar":
        return " " + draw(SCALARS), []
    if kind == "empty":
        return draw(st.sampled_from(["", " ", " # comment", " ~", " null", " ''"])), []
    if kind == "flow":
        items = draw(st.lists(SCALARS, max_size=4))
        return " [" + ", ".join(items) + draw(st.sampled_from(["]", "]", "]", ",]", ""])), []
    if kind == "flow_map":
        pairs = draw(st.lists(st.tuples(keys_for(EVENT_FIELDS), SCALARS), max_size=3))
        return " {" + ", ".join(f"{k}: {v}" for k, v in pairs) + "}", []
    if kind == "block_list":
        items = draw(st.lists(SCALARS, min_size=1, max_size=4))
        return draw(st.sampled_from(["", " # c"])), [f"{pad}- {item}" for item in items]
    if kind == "block_scalar":
        header = draw(st.sampled_from(["|", ">", "|-", ">-", "|+", ">+", "|2", "| # c", "|x"]))
        body = []
        for _ in range(draw(st.integers(0, 4))):
            shift = draw(st.sampled_from([0, 0, 0, 2, 1, -1]))
            line = draw(st.one_of(SCALARS, st.just("")))
            body.append(" " * max(inner + shift, 0) + line if line else "")
        return " " + header, body
    if kind == "anchor":
        name = draw(st.sampled_from(["a", "b", "a b"]))
        return draw(st.sampled_from([f" &{name} ", f" *{name}", f" &{name}"])) + draw(SCALARS), []
    if kind == "multiline":
        more = draw(st.lists(SCALARS, min_size=1, max_size=3))
        return " " + draw(SCALARS), [pad + line for line in more]
    if kind == "tagged":
        tag = draw(st.sampled_from(["!!python/object/apply:os.system", "!!binary", "!x", "!!str"]))
        return f" {tag} " + draw(SCALARS), []
    if kind == "deep":
        n = draw(st.sampled_from([3, 63, 64, 65, 200]))
        if draw(st.booleans()):
            return " " + "[" * n + "]" * n, []
        return "", [" " * (inner + 2 * i) + "a:" for i in range(min(n, 80))]
    if kind == "laughs":  # aliases of aliases, up to beyond the expansion budget
        width = draw(st.sampled_from([2, 10]))
        lines = [f"{pad}- &l0 [{', '.join(['x'] * width)}]"]
        for level in range(1, draw(st.integers(1, 6))):
            lines.append(f"{pad}- &l{level} [{', '.join([f'*l{level - 1}'] * width)}]")
        return "", lines
    if kind == "sources":
        lines = []
        for source_id in draw(st.lists(keys_for(("article", "wire", "blog")), max_size=3)):
            head, body = draw(values(inner, "sources:record", depth + 1))
            lines += [f"{pad}{source_id}:{head}", *body]
        return "", lines
    if kind == "records":
        lines = []
        fields = RECORD_FIELDS.get(field, EVENT_FIELDS)
        for _ in range(draw(st.integers(0, 4))):
            record = draw(mapping(inner + 2, fields, depth + 1))
            if record and draw(st.integers(0, 9)):
                record[0] = f"{pad}- {record[0].lstrip(' ')}"
            else:
                record.insert(0, f"{pad}-")
            lines += record
            if not draw(st.integers(0, 7)):
                lines.append(draw(st.sampled_from(["", "# between", pad + "# c"])))
        return draw(st.sampled_from(["", "", " # list"])), lines
    # A nested mapping (a source record lands here, as do misplaced ones).
    if field == "sources:record":
        fields = SOURCE_FIELDS
    else:
        fields = draw(st.sampled_from([EVENT_FIELDS, QUOTE_FIELDS, FIGURE_FIELDS, SOURCE_FIELDS]))
    return "", draw(mapping(inner, fields, depth + 1))


@st.composite
def mapping(draw: st.DrawFn, indent: int, fields: tuple[str, ...], depth: int) -> list[str]:
    """The lines of a block mapping whose keys start at column `indent`."""
    lines = []
    for key in draw(st.lists(keys_for(fields), min_size=1, max_size=6)):
        col = indent
        if lines and not draw(st.integers(0, 11)):
            col = max(indent + draw(st.sampled_from([-2, -1, 1, 2])), 0)  # wrong indentation
        head, body = draw(values(col, key, depth))
        lines.append(f"{' ' * col}{key}:{head}")
        lines += body
    return lines


@st.composite
def document_lines(draw: st.DrawFn) -> list[str]:
    """A timeline-shaped document, as lines without their line breaks."""
    lines = draw(st.lists(st.sampled_from(PRELUDE), max_size=2))
    top = draw(st.lists(st.sampled_from(TOP_KEYS), min_size=1, max_size=5))
    if "events" not in top and draw(st.integers(0, 3)):
        top.append("events")
    for key in top:
        indent = 0 if draw(st.integers(0, 15)) else draw(st.sampled_from([1, 2]))
        head, body = draw(values(indent, key, 0))
        lines.append(f"{' ' * indent}{key}:{head}")
        lines += body
    lines += draw(st.lists(st.sampled_from(POSTLUDE), max_size=1))
    return lines


@st.composite
def rendered(draw: st.DrawFn, lines: list[str]) -> str:
    """Lines joined with LF mostly, else CRLF, CR or a mix; sometimes after a BOM."""
    eol = draw(st.sampled_from(["\n"] * 8 + ["\r\n", "\r", "mixed"]))
    if eol == "mixed":
        text = "".join(line + draw(st.sampled_from(["\n", "\r\n", "\r"])) for line in lines)
    else:
        text = eol.join(lines) + draw(st.sampled_from([eol, eol, "", eol * 2]))
    return draw(st.sampled_from(["", "", "", "", "\ufeff"])) + text


# -- well-formed timelines with a few faults: they reach the records, checks and export ------

WORDS = st.text(st.characters(categories=("L", "N")), min_size=1, max_size=8)
PLAIN = st.lists(WORDS, min_size=1, max_size=4).map(" ".join)
ONE_LINE = st.text(st.characters(exclude_categories=("Cc", "Cs", "Zl", "Zp")), max_size=24)
IDS = st.sampled_from(["a", "b", "c", "ev-1", "ev-2", "Café", "x y", "a "])
SOURCE_IDS = ["article", "wire", "blog"]
REFS = st.one_of(
    st.sampled_from([*SOURCE_IDS, "artcle", "https://example.org/x?a=(1)", "javascript:x"]),
    ONE_LINE,
)
STATUSES = st.sampled_from([*(s.value for s in Status), "Confirmed", "confirmd", "rumour", ""])
EVENT_EXTRAS = ["id", "end", "summary", "tags", "actors", "status", "sources", "quotes",
                "figures", "related"]  # fmt: skip


@st.composite
def text_values(draw: st.DrawFn) -> str:
    """A one-line text value: plain words, or any text double-quoted (JSON) or single-quoted."""
    how = draw(st.sampled_from(["plain", "plain", "double", "single"]))
    if how == "plain":
        return draw(PLAIN)
    if how == "double":
        # JSON writes a character beyond U+FFFF as two surrogate escapes, which YAML refuses.
        text = draw(st.text(max_size=24))
        return json.dumps(
            text, ensure_ascii=draw(st.booleans()) and max(text, default="") < "\uffff"
        )
    return "'" + draw(ONE_LINE).replace("'", "''") + "'"


@st.composite
def field_lines(draw: st.DrawFn, name: str, pad: str) -> list[str]:
    """`name: value` at `pad`, with the value of the type the format wants."""
    inner = pad + "  "
    if name in ("date", "end", "as_of"):
        return [f"{pad}{name}: {draw(st.sampled_from(DATE_TEXTS))}"]
    if name == "id" or name == "related":
        value = draw(IDS) if name == "id" else f"[{', '.join(draw(st.lists(IDS, max_size=3)))}]"
        return [f"{pad}{name}: {value}"]
    if name == "status":
        return [f"{pad}status: {draw(STATUSES)}"]
    if name in ("tags", "actors", "sources"):
        items = draw(st.lists(REFS if name == "sources" else PLAIN, max_size=3))
        if draw(st.booleans()):
            return [f"{pad}{name}: [{', '.join(json.dumps(item) for item in items)}]"]
        return [f"{pad}{name}:", *(f"{inner}- {json.dumps(item)}" for item in items)]
    if name in ("quotes", "figures"):
        lines = [f"{pad}{name}:"]
        for _ in range(draw(st.integers(1, 2))):
            fields = ("text", "speaker", "lang", "translation", "source")
            if name == "figures":
                fields = ("label", "value", "unit", "as_of", "source", "note")
            chosen = [fields[0], *draw(st.lists(st.sampled_from(fields[1:]), unique=True))]
            record = [line for f in chosen for line in draw(field_lines(f, inner + "  "))]
            lines += [f"{inner}- {record[0].lstrip()}", *record[1:]]
        return lines
    if name in ("summary", "description", "note", "translation") and draw(st.booleans()):
        body = draw(st.lists(st.one_of(ONE_LINE.map(lambda t: t.lstrip()), PLAIN), max_size=3))
        return [f"{pad}{name}: |", *(f"{inner}{line}" if line else "" for line in body)]
    if name in ("source", "url"):
        return [f"{pad}{name}: {json.dumps(draw(REFS))}"]
    if name == "via":
        return [f"{pad}via: {draw(st.sampled_from([*SOURCE_IDS, 'wyre']))}"]
    if name == "lang":
        return [f"{pad}lang: {draw(st.sampled_from(['en', 'fr', 'en-GB', 'de_CH', 'xx']))}"]
    return [f"{pad}{name}: {draw(text_values())}"]


@st.composite
def faulty(draw: st.DrawFn, lines: list[str]) -> list[str]:
    """The lines, sometimes with one fault: a tricky value, a misspelt key, a wrong indent,
    a line repeated or lost, a tab."""
    if not lines or draw(st.integers(0, 3)):
        return lines
    lines = list(lines)
    at = draw(st.integers(0, len(lines) - 1))
    line = lines[at]
    fault = draw(st.sampled_from(["value", "key", "indent", "repeat", "lose", "tab"]))
    if fault == "value" and ": " in line:
        lines[at] = line[: line.index(": ") + 2] + draw(st.sampled_from(TRICKY))
    elif fault == "key" and ":" in line:
        key = line.lstrip(" -").split(":", 1)[0]
        if key:
            lines[at] = line.replace(key, draw(st.sampled_from(_misspellings((key,)))), 1)
    elif fault == "indent":
        lines[at] = " " * draw(st.sampled_from([1, 2])) + line
    elif fault == "repeat":
        lines.insert(at, line)
    elif fault == "lose":
        del lines[at]
    elif fault == "tab":
        lines[at] = "\t" + line.lstrip(" ")
    return lines


@st.composite
def timeline_lines(draw: st.DrawFn) -> list[str]:
    """A timeline as the format describes it, each part sometimes with a fault."""
    header = [f"title: {draw(text_values())}"]
    for name in draw(st.lists(st.sampled_from(["description", "lang"]), unique=True)):
        header += draw(field_lines(name, ""))
    sources = []
    for source_id in draw(st.lists(st.sampled_from(SOURCE_IDS), unique=True)):
        fields = ["title", *draw(st.lists(st.sampled_from(SOURCE_FIELDS[1:]), unique=True))]
        record = [line for f in fields for line in draw(field_lines(f, "    "))]
        sources += [f"  {source_id}:", *record]
    if sources:
        header += ["sources:", *draw(faulty(sources))]
    pad = " " * draw(st.sampled_from([2, 2, 0, 4]))
    events = ["events:"]
    for _ in range(draw(st.integers(0, 6)) or draw(st.integers(0, 6))):
        chosen = ["date", "title", *draw(st.lists(st.sampled_from(EVENT_EXTRAS), unique=True))]
        chosen = draw(st.permutations(chosen))
        record = [line for f in chosen for line in draw(field_lines(f, pad + "  "))]
        events += draw(faulty([f"{pad}- {record[0].lstrip()}", *record[1:]]))
        if not draw(st.integers(0, 5)):
            events.append(draw(st.sampled_from(["", "# comment", pad + "# comment", "  "])))
    return events + header if draw(st.integers(0, 4)) == 0 else header + events


def documents() -> st.SearchStrategy[str]:
    return st.one_of(document_lines(), timeline_lines()).flatmap(rendered)


@st.composite
def edited(draw: st.DrawFn, lines: list[str]) -> list[str]:
    """The document after an edit: lines inserted, deleted, changed, swapped, or cut off."""
    lines = list(lines)
    for _ in range(draw(st.integers(1, 4))):
        op = draw(st.sampled_from(["insert", "insert", "delete", "replace", "swap", "cut"]))
        at = draw(st.integers(0, len(lines)))
        pick = st.sampled_from(lines) if lines else st.just("")
        if op == "insert":
            lines.insert(at, draw(st.one_of(st.sampled_from(FRESH_LINES), pick)))
        elif op == "replace" and at < len(lines):
            lines[at] = draw(st.one_of(st.sampled_from(FRESH_LINES), pick, SCALARS))
        elif op == "delete" and at < len(lines):
            del lines[at]
        elif op == "swap" and at < len(lines):
            other = draw(st.integers(0, len(lines) - 1))
            lines[at], lines[other] = lines[other], lines[at]
        elif op == "cut":
            lines = lines[:at]
    return lines


# -- what every load must satisfy --------------------------------------------------------------


def assert_sound(result: LoadResult, text: str) -> None:
    """Every diagnostic inside `text` (the file as read), well formed; the timeline sane."""
    assert isinstance(result, LoadResult)
    lines = (LINE_BREAK if yamltree.cr_ends_lines(text) else LF_BREAK).split(text)
    for diagnostic in result.diagnostics:
        assert isinstance(diagnostic, Diagnostic)
        line, col = diagnostic.pos.line, diagnostic.pos.col
        assert diagnostic.pos.file == NAME, diagnostic
        assert inside(line, col, lines), (diagnostic, lines[line - 1 : line])
        assert diagnostic.severity in (Severity.ERROR, Severity.WARNING)
        assert diagnostic.message.strip(), diagnostic
        assert str(diagnostic).startswith(f"{NAME}:{line}:{col}: {diagnostic.severity.value}: ")
    positions = [(d.pos.line, d.pos.col) for d in result.diagnostics]
    assert positions == sorted(positions)
    timeline = result.timeline
    if timeline is None:
        assert result.errors, "no timeline and no error to say why"
        return
    assert timeline.path == NAME
    keys = [event.sort_key() for event in timeline.events]
    assert keys == sorted(keys) and len(set(keys)) == len(keys)
    ids = [event.id for event in timeline.events]
    assert all(ids) and len(set(ids)) == len(ids)
    for event in timeline.events:
        assert event.title.strip() and "\n" not in event.title
        assert event.lower is None or event.upper is None or event.lower <= event.upper
        # Every field's position (where the editor jumps) is inside the file too.
        where = timeline.where
        places = [where(event, name) for name, _, _ in event.spans]
        for record in (*event.quotes, *event.figures):
            places += [where(event, name, record) for name, _, _ in record.spans]
            places.append(where(event, record=record))
        for place in [where(event), *places]:
            assert place is not None and inside(place.line, place.col, lines), (place, event)
    for source in timeline.sources.values():
        for place in [source.where(), *(source.where(name) for name, _, _ in source.spans)]:
            assert place is not None and inside(place.line, place.col, lines), (place, source)
    left_out = left_out_ids(result.diagnostics)
    assert set(check_timeline(timeline, left_out)) <= set(result.diagnostics)
    # Whatever loaded can be searched and exported.
    SearchIndex(timeline).filter(parse_query("a"))
    markdown = export_markdown(timeline)
    assert_safe_markdown(markdown)
    assert count_tags(MD.parse(markdown))["h3"] == len(timeline.events)


def inside(line: int, col: int, lines: list[str]) -> bool:
    """A 1-based position on a line of the file (or just past its end)."""
    length = len(lines[line - 1]) if 1 <= line <= len(lines) else 0
    return 1 <= line <= len(lines) + 1 and 1 <= col <= length + 1


def file_text(text: str) -> str:
    """The text the loader reads (one BOM cut off), for counting lines."""
    return text.removeprefix("\ufeff")


def bytes_text(data: bytes) -> str:
    return data.removeprefix(codecs.BOM_UTF8).decode("utf-8", errors="replace")


# -- 1. raw bytes and raw text -----------------------------------------------------------------


@FUZZ
@given(st.binary(max_size=600))
def test_any_bytes_load_without_raising(data: bytes) -> None:
    assert_sound(load_bytes(data, NAME), bytes_text(data))


@st.composite
def damaged_bytes(draw: st.DrawFn) -> bytes:
    """A YAML-ish document encoded, then with bytes that are not UTF-8 put in."""
    text = draw(documents())
    data = text.encode(draw(st.sampled_from(["utf-8", "latin-1", "utf-16"])), errors="replace")
    for _ in range(draw(st.integers(0, 3))):
        at = draw(st.integers(0, len(data)))
        bad = draw(st.sampled_from([b"\xff", b"\xe9", b"\xc3", b"\x80", b"\xef\xbb"]))
        data = data[:at] + bad + data[at:]
    return data


@FUZZ
@given(st.one_of(damaged_bytes(), documents().map(lambda t: t.encode("utf-8", "surrogatepass"))))
def test_damaged_documents_load_without_raising(data: bytes) -> None:
    assert_sound(load_bytes(data, NAME), bytes_text(data))


@FUZZ
@given(st.text(alphabet=st.characters(exclude_categories=()), max_size=400))
def test_any_text_loads_without_raising(text: str) -> None:
    assert_sound(load_text(text, NAME), file_text(text))


# -- 2. YAML-ish documents ---------------------------------------------------------------------


@FUZZ
@given(documents())
# Found by the fuzzer: an anchor given twice; an invisible character in an event of a
# file whose header comes after the list; and one in the header.
@example("events:\n  -\n    &k title:\n  -\n    &k title: \n\n")
@example("events:\n  - date: \n    title: \u115f\n\ntitle: 0\n")
@example("title: \u115f\nevents:\n  - date: 2020\n    title: A\n")
def test_yamlish_documents_load_without_raising(text: str) -> None:
    result = load_text(text, NAME)
    assert_sound(result, file_text(text))
    # Reading by blocks must agree with libyaml's reading of the whole file. When that
    # stops at a fatal problem (nesting too deep), it keeps nothing and sees nothing after
    # it; the blocks keep the other events and see the problems of the rest of the file.
    # The loader looks for invisible characters apart from libyaml's reading: in the whole
    # text, or in the header and each block (a fuzz find: those of an event were compared
    # with none).
    clean, _ = yamltree.find_control_characters(file_text(text))
    whole = yamltree.parse(clean)
    if not whole.syntax_error:
        by_blocks = parse_tree(clean)
        problems = whole.problems + yamltree.invisible_characters(clean)
        if whole.root is None:
            assert set(problems) <= set(by_blocks.problems)
        else:
            assert dump(by_blocks.root, trim=True) == dump(whole.root, trim=True)
            assert sorted(by_blocks.problems, key=repr) == sorted(problems, key=repr)


@FUZZ
@given(
    st.one_of(document_lines(), timeline_lines()).flatmap(
        lambda v1: st.tuples(st.just(v1), edited(v1))
    )
)
# Found by the fuzzer: a header left broken, whose error libyaml tells where the file ends,
# and an edit of the events below it that moves that end.
@example(
    (
        ["title:", "title: [", "events:", "  -", "    id:", "    id: # comment"],
        ["title: [", "events:", "  -", "    id:", "    id: # comment"],
    )
)
def test_reloading_an_edit_equals_a_fresh_load(versions: tuple[list[str], list[str]]) -> None:
    v1, v2 = ("\n".join(lines) + "\n" for lines in versions)
    loader = BlockLoader(NAME)
    for text in (v1, v2, v1, v2[: len(v2) // 2], v2):
        data = text.encode("utf-8", "surrogatepass")
        again = loader.load_data(data)
        fresh = load_bytes(data, NAME)
        assert again.diagnostics == fresh.diagnostics
        assert full(again.timeline) == full(fresh.timeline)
        carried_as_without_the_edit(again)


@FUZZ
@given(st.one_of(document_lines(), timeline_lines()), st.integers(8, 300), st.data())
def test_reading_on_from_a_broken_block_a_window_at_a_time_answers_as_reading_it_all(
    lines: list[str], window: int, data: st.DataObject
) -> None:
    """Whether the split was wrong is asked of libyaml a growing window of the text at a
    time: it must answer as it does reading all of it at once."""
    text, _ = yamltree.find_control_characters("\n".join(lines) + "\n")
    assume(split_events(text) is not None)
    encoded, starts = block_starts(text)
    broken = data.draw(st.integers(0, len(starts) - 1))
    at_once = _reads_whole(encoded, starts, broken, window=len(encoded))
    assert _reads_whole(encoded, starts, broken, window=window) == at_once


@FUZZ
@given(st.one_of(document_lines(), timeline_lines()), st.lists(st.integers(0, 2000)))
def test_runs_of_items_cut_into_the_blocks_of_the_whole_list(
    lines: list[str], bounds: list[int]
) -> None:
    """A load shared out has each process cut its own run of the list into blocks: the
    runs' blocks, in turn, are those of the whole list, at the same places."""
    text, _ = yamltree.find_control_characters("\n".join(lines) + "\n")
    split = split_events(text)
    assume(split is not None)
    uncut = split_events(text, cut=False)
    assert uncut is not None and not uncut.blocks
    runs = runs_of_items(text, uncut, sorted(bounds))
    assert runs[0][0] == split.start and runs[-1][1] == split.end
    cut: list[Block] = []
    for run in runs:
        first, blocks = blocks_of(text, uncut, run)
        assert blocks and first == len(cut) + 1
        cut.extend(blocks)
    assert cut == split.blocks


def carried_as_without_the_edit(result: LoadResult) -> None:
    """The events an edit's errors leave out, carried over from the version it was made
    from as the edit says, are those found comparing all the ids of the two."""
    shown = result.edit.base() if result.edit is not None else None
    if shown is None or result.timeline is None:
        return
    quick = carry_over(result.timeline, result.diagnostics, shown, result.edit)
    slow = carry_over(result.timeline, result.diagnostics, shown)
    assert (quick is None) == (slow is None)
    if quick is not None and slow is not None:
        assert quick[0].events == slow[0].events and quick[1] == slow[1]


def full(timeline: Timeline | None) -> object:
    """A timeline with the positions of its fields (left out of dataclass equality)."""
    if timeline is None:
        return None
    events = [
        (e.spans, [q.spans for q in e.quotes], [f.spans for f in e.figures])
        for e in timeline.events
    ]
    sources = [s.spans for s in timeline.sources.values()]
    return timeline, timeline.spans, events, sources


def dump(node: yamltree.Node | None, trim: bool = False) -> object:
    """A node tree as comparable data. With `trim`, the line breaks that end a quoted or
    block value are left out: an event's block always ends with one line break and no
    blank lines, so a `|+` value, or a `|` value on the last line of a file that has no
    final line break, ends differently by blocks. Every reader trims them, so no record
    differs."""
    if isinstance(node, yamltree.Scalar):
        value = node.value.rstrip("\n") if trim and not node.plain else node.value
        return ("S", value, node.line, node.col, node.plain)
    if isinstance(node, yamltree.Seq):
        return ("Q", node.line, node.col, [dump(i, trim) for i in node.items])
    if isinstance(node, yamltree.Map):
        keys = [(k, node.key_node(k), v) for k, (_, v) in node.pairs.items()]
        pairs = [(k, kn.line, kn.col, dump(v, trim)) for k, kn, v in keys]
        return ("M", node.line, node.col, pairs)
    if node is None:
        return None
    return ("I", node.line, node.col)


# -- 3. the export of a model with arbitrary unicode in every field ----------------------------

MD_SYNTAX = "#*_`[]()<>!&|\\-=+.:~^${}\"' \n\t\r>1aé\x1b\u202e\u2028\x85\u00a0"
ANY_TEXT = st.one_of(
    st.text(max_size=30),
    st.text(alphabet=MD_SYNTAX, max_size=30),
    st.text(alphabet=st.characters(exclude_categories=()), max_size=30),
)
MAYBE = st.one_of(st.none(), ANY_TEXT)
URLS = st.one_of(
    ANY_TEXT,
    st.tuples(
        st.sampled_from(["http://", "https://", "HTTPS://", "javascript:", "//", "data:", ""]),
        ANY_TEXT,
    ).map("".join),
)
DATES = st.sampled_from(DATE_TEXTS).map(parse_date)
TEXTS = st.lists(ANY_TEXT, max_size=3).map(tuple)


@st.composite
def timelines(draw: st.DrawFn) -> Timeline:
    source_ids = draw(st.lists(ANY_TEXT, max_size=3, unique=True))
    sources = {
        sid: Source(
            id=sid,
            title=draw(ANY_TEXT),
            publisher=draw(MAYBE),
            date=draw(st.none() | DATES),
            url=draw(st.none() | URLS),
            lang=draw(MAYBE),
            via=draw(st.one_of(st.none(), ANY_TEXT, st.sampled_from(source_ids or [""]))),
            note=draw(MAYBE),
        )
        for sid in source_ids
    }
    refs = st.one_of(URLS, st.sampled_from(source_ids)) if source_ids else URLS
    events = []
    for index in range(draw(st.integers(0, 4))):
        date = draw(DATES)
        end = draw(st.none() | DATES)
        if end is not None and end.upper is not None and date.lower is not None:
            end = end if end.upper >= date.lower else None
        quotes = draw(st.lists(st.builds(
            Quote, text=ANY_TEXT, speaker=MAYBE, lang=MAYBE, translation=MAYBE,
            source=st.none() | refs,
        ), max_size=2))  # fmt: skip
        figures = draw(st.lists(st.builds(
            Figure, label=ANY_TEXT, value=ANY_TEXT, unit=MAYBE, as_of=st.none() | DATES,
            source=st.none() | refs, note=MAYBE,
        ), max_size=3))  # fmt: skip
        events.append(
            Event(
                id=draw(ANY_TEXT),
                date=date,
                title=draw(ANY_TEXT),
                end=end,
                summary=draw(MAYBE),
                tags=draw(TEXTS),
                actors=draw(TEXTS),
                status=draw(st.none() | st.sampled_from(Status)),
                sources=tuple(draw(st.lists(refs, max_size=3))),
                quotes=tuple(quotes),
                figures=tuple(figures),
                related=draw(TEXTS),
                index=index,
            )
        )
    return Timeline(
        title=draw(ANY_TEXT),
        path=NAME,
        events=tuple(sorted(events, key=Event.sort_key)),
        description=draw(MAYBE),
        lang=draw(MAYBE),
        sources=sources,
    )


def all_tokens(tokens: list[Token]) -> list[Token]:
    out = []
    for token in tokens:
        out.append(token)
        out.extend(token.children or [])
    return out


def count_tags(tokens: list[Token]) -> dict[str, int]:
    counts = {"h1": 0, "h2": 0, "h3": 0}
    for token in tokens:
        if token.type == "heading_open":
            counts[token.tag] = counts.get(token.tag, 0) + 1
    return counts


def assert_safe_markdown(markdown: str) -> None:
    tokens = all_tokens(MD.parse(markdown))
    assert not {t.type for t in tokens} & {"html_block", "html_inline", "image"}
    for token in tokens:
        if token.type == "link_open":
            assert str(token.attrs["href"]).startswith(("http://", "https://")), token
    assert FORBIDDEN.search(markdown) is None, FORBIDDEN.search(markdown)
    assert markdown.endswith("\n") and not markdown.endswith("\n\n")


def inline_text(token: Token) -> str:
    return "".join(
        c.content if c.type in ("text", "code_inline") else "\n" if "break" in c.type else ""
        for c in token.children or []
    )


def one_line(text: str) -> str:
    return visible(text, keep_newlines=False).strip()


def cited(events: tuple[Event, ...] | list[Event]) -> list[str]:
    """The references an export numbers, in order of first use."""
    refs: dict[str, None] = {}
    for event in events:
        for quote in event.quotes:
            if quote.source:
                refs.setdefault(quote.source)
        for figure in event.figures:
            if figure.source:
                refs.setdefault(figure.source)
        refs.update(dict.fromkeys(event.sources))
    return list(refs)


@FUZZ
@given(timelines())
def test_the_heading_runs_are_each_events_heading_in_order(timeline: Timeline) -> None:
    # The list's separators and the export's headings come from these runs, found by
    # bisection: they must be what each event's own heading says, in one pass of runs.
    runs = list(headed_runs(timeline.events))
    bounds = [0] + [stop for _, _, stop in runs]
    assert [first for _, first, _ in runs] == bounds[:-1]
    assert bounds[-1] == len(timeline.events)
    for heading, first, stop in runs:
        assert first < stop
        assert {e.date.heading() for e in timeline.events[first:stop]} == {heading}
    headings = [heading for heading, _, _ in runs]
    assert len(set(headings)) == len(headings)  # each heading's events are one run


@FUZZ
@given(timelines(), st.data())
def test_any_model_exports_to_the_expected_structure(timeline: Timeline, data: st.DataObject):
    chosen = (
        data.draw(st.lists(st.sampled_from(timeline.events), unique=True), "chosen")
        if (timeline.events and data.draw(st.booleans(), "filtered"))
        else list(timeline.events)
    )
    chosen.sort(key=Event.sort_key)
    query = data.draw(st.none() | ANY_TEXT, "query")
    markdown = export_markdown(timeline, chosen, query=query)
    assert_safe_markdown(markdown)
    tokens = MD.parse(markdown)
    headings = [
        (token.tag, inline_text(tokens[i + 1]))
        for i, token in enumerate(tokens)
        if token.type == "heading_open"
    ]
    # In date order, each run of events under one heading: a year, or the decade,
    # century or millennium that is all an event's date says.
    listed_under = [
        heading for heading, _ in itertools.groupby(chosen, key=lambda e: e.date.heading())
    ]
    refs = cited(chosen)
    assert [text for tag, text in headings if tag == "h1"] == [one_line(timeline.title)]
    h2 = listed_under + (["References"] if refs else [])
    assert [text for tag, text in headings if tag == "h2"] == h2
    h3 = []
    for event in chosen:
        when = event.date.display()
        start, end = event.date.start, event.date.end
        if event.end is not None and event.end.display() != when:  # ends another day
            when += f"–{event.end.display()}"
        elif event.end is None and start is None and end is not None:  # in words
            when = f"Up to {end.display()}"
        elif event.end is None and start is not None and end is None:
            when = f"From {start.display()}"
        h3.append(f"{one_line(when)} — {one_line(event.title)}".rstrip(" "))
    assert [text for tag, text in headings if tag == "h3"] == h3
    # Every table: a header row and one row per figure, in four columns, or five when a
    # figure of the event has a note.
    tables: list[list[int]] = []
    for token in tokens:
        if token.type == "table_open":
            tables.append([])
        elif token.type == "tr_open":
            tables[-1].append(0)
        elif token.type in ("th_open", "td_open"):
            tables[-1][-1] += 1
    assert tables == [
        [5 if any(f.note and one_line(f.note) for f in e.figures) else 4] * (1 + len(e.figures))
        for e in chosen
        if e.figures
    ]
    # One numbered list, of the references, with one item per reference.
    lists = [t for t in tokens if t.type in ("ordered_list_open", "bullet_list_open")]
    items = [t for t in tokens if t.type == "list_item_open"]
    assert [t.type for t in lists] == (["ordered_list_open"] if refs else [])
    assert len(items) == len(refs)
    assert not any(t.type in ("code_block", "fence", "hr", "lheading") for t in tokens)
    paragraphs = [inline_text(tokens[i + 1]) for i, t in enumerate(tokens) if
                  t.type == "paragraph_open" and t.level == 0]  # fmt: skip
    if query is not None and query.strip():
        total = len(timeline.events)
        count = f"{len(chosen)} of {total} event{'' if total == 1 else 's'}"
        assert paragraphs[0] == f"Filtered: {one_line(query)} ({count})"


# -- 4. the query language ---------------------------------------------------------------------

QUERY_PIECES = [
    "since:2025-10", "until:2026", 'since:"Oct 2025"', 'until:"13 February 2026"', "since:",
    "until:..", "since:/2032", "until:2019/..", "status:forecast,expected", "status:",
    "status:bogus", "status:,", "sinse:2025", "staus:x", "http://x.org", "a:b", "#tag", "#", "@",
    "@openai", "-word", "-#tag", "-@x", "-", "--", '"a phrase"', '"unclosed', '""', '-""',
    "é", "CAFÉ", "cafe\u0301", "ß", "İ", "ﬁ", "Σ", "\u0301", "since:Y" + "9" * 5000,
    "since:² BC", "until:" + "9" * 5000 + " BC", "since:circa 1850", "until:2026?",
]  # fmt: skip
QUERIES = st.one_of(
    st.text(max_size=30),
    st.text(alphabet='"-#@: ,sinceutlaorX0123456789?~%/.é\u0301', max_size=30),
    st.lists(st.one_of(st.sampled_from(QUERY_PIECES), ANY_TEXT), max_size=5).map(" ".join),
)


@FUZZ
@given(QUERIES, timelines(), ANY_TEXT, ANY_TEXT)
def test_any_query_parses_or_says_why(text: str, timeline: Timeline, before: str, after: str):
    try:
        query = parse_query(text)
    except QueryError as exc:
        assert str(exc).strip()
        return
    index = SearchIndex(timeline)
    found = index.filter(query)
    # Reading the text, and through the word index, select exactly what the query's own
    # test does.
    assert found == [e for e in timeline.events if query.matches(e, searchable_text(e, timeline))]
    index.prepare()
    assert index.filter(query) == found
    assert [e for e in timeline.events if any(e is f for f in found)] == found
    best_match(found, query)
    for shown in (text, f"{before}{text}{after}", before):
        spans = highlight_spans(shown, query.words)
        assert all(0 <= start < end <= len(shown) for start, end in spans), spans
        assert all(a[1] < b[0] for a, b in itertools.pairwise(spans)), spans


# -- 5. dates ----------------------------------------------------------------------------------

DATE_PIECES = [
    "2026", "-0044", "02", "13", "-", "/", "..", "?", "~", "%", "X", "XX", "Y", "T", "09:30",
    "+01:00", "+99:99", "Z", "circa", "c.", "ca.", "about", "sometime in", "early", "mid", "late",
    "spring", "winter", "Q3", "Q9", "BC", "BCE", "AD", "CE", "B.C.", "the", "1850s", "1900s",
    "February", "Feb", "Sept", "Monday", "Tue", "of", "at", "pm", "UTC", "GMT", "13th", "29",
    "31", "0", "0000", "9" * 30, "9" * 5000, "²", "٢٠٢٥", "２０２６", "\u00a0", ",", ".", "12:30",
]  # fmt: skip
# A year in every spelling, with digits of any kind and any length around it.
YEARS = st.tuples(
    st.sampled_from(["", "", "Y", "Y-", "-", "c. ", "AD ", "Q2 ", "late ", "spring ", "1 May "]),
    st.one_of(
        st.text("0123456789", min_size=1, max_size=12),
        st.integers(4, 6000).map(lambda n: "9" * n),
        st.text("0123456789²³¹٢٠٥０２X", min_size=1, max_size=6),
    ),
    st.sampled_from(["", "", " BC", " BCE", "BC", " AD", " CE", "?", "~", "s", "0s", "-XX",
                     "-13", "-02-30", "-02-29", "T25:00Z", "/..", "/2026", "/-0044"]),
).map("".join)  # fmt: skip
DATE_INPUTS = st.one_of(
    YEARS,
    st.text(max_size=30),
    st.text(alphabet="0123456789-/.?~%XYxTZ:+ ", max_size=30),
    st.lists(st.sampled_from(DATE_PIECES), max_size=5).map(" ".join),
    st.lists(st.sampled_from(DATE_PIECES), max_size=5).map("".join),
    st.sampled_from(DATE_TEXTS),
)


def assert_date_sound(date: FuzzyDate) -> None:
    if date.lower is not None and date.upper is not None:
        assert date.lower <= date.upper, date
    assert date.lower is not None or date.upper is not None
    shown = date.display()
    assert isinstance(shown, str) and shown.strip(), date
    year_of(date.sort_key()[0])
    assert relative_label(date, TODAY)


@FUZZ
@given(DATE_INPUTS, DATE_INPUTS)
def test_any_date_text_parses_or_says_why(text: str, other: str) -> None:
    dates = []
    for written in (text, other):
        try:
            dates.append(parse_date(written))
        except DateError as exc:
            assert str(exc).strip()
            continue
        assert_date_sound(dates[-1])
    if len(dates) == 2:
        try:
            lower, upper = combine(*dates)
        except DateError:
            return
        assert lower is None or upper is None or lower <= upper


# --- reloading an edited file by parts -----------------------------------------------------

EDITED_BASE = """\
title: Edits
lang: en
sources:
  ft: {title: Financial Times}
events:
  - id: a
    date: 2025-10-28
    title: Restructuring
    sources: [ft]
    related: [b]
  - date: 2026?
    title: No id here
    quotes:
      - text: « Nous sommes prêts »
        lang: fr
  - id: b
    date: Oct 2025
    title: Interview
    sumary: typo
    figures:
      - {label: Stake, value: "27", unit: "%"}

  # a comment between events
  - id: c
    date: 2032
    title: Rights expire
    status: expected
  - date: 2026?
    title: No id here
"""
# Pieces of timeline text, that an edit puts anywhere: whole items, keys, ids that collide
# or are referred to, indentation, comments, and what the split must refuse to cut.
PIECES = st.sampled_from(
    [
        "\n",
        "  - ",
        "  - id: d\n    date: 2027\n    title: New\n",
        "  - date: 2026?\n    title: No id here\n",
        "    id: a\n",
        "    id: b\n",
        "id: c",
        "    related: [a, c]\n",
        "    related: [zz]\n",
        "    title: Changed\n",
        "    date: 2025-13-45\n",
        "    date: 2024\n",
        "  # note\n",
        "events:\n",
        "sources:\n",
        "title: X\n",
        "    ",
        "-",
        ":",
        "[",
        '"',
        "|\n",
        "&anchor ",
        "*alias",
        "\t",
        "\r",
        "\x1b",
        "é",
        "\u2028",
        "x",
    ]
)


@FUZZ
@given(
    st.lists(
        st.tuples(
            st.floats(0, 1),
            st.integers(0, 30),
            st.lists(PIECES, max_size=3),
            st.booleans(),
            st.none() | st.integers(1, 300),
        ),
        min_size=1,
        max_size=4,
    )
)
# Found by the fuzzer: the header cut to an open `[`, read again with the first event alone.
@example([(0.015625, 23, ["["], True, None)])
def test_a_reload_by_parts_equals_a_full_load(
    edits: list[tuple[float, int, list[str], bool, int | None]],
) -> None:
    loader = BlockLoader(NAME)
    text = EDITED_BASE
    loader.load_data(text.encode())
    for where, length, pieces, whole_lines, chunk in edits:
        if chunk is not None:  # the last bytes let go, as the app does once it is idle
            loader.compact(chunk)
        at = int(where * len(text))
        end = at + length
        if whole_lines:  # as an editor's line commands do
            at = text.rfind("\n", 0, at) + 1
            end = text.find("\n", end) + 1 or len(text)
            pieces = [p if p.endswith("\n") else p + "\n" for p in pieces]
        text = text[:at] + "".join(pieces) + text[end:]
        again = loader.load_data(text.encode())
        fresh = load_text(text, NAME)
        assert again.diagnostics == fresh.diagnostics
        assert full(again.timeline) == full(fresh.timeline)
        carried_as_without_the_edit(again)
        # The ids an edit keeps up to date in place, rather than make them again, are
        # those of the version it is the last of.
        ids, last = loader._ids, loader._last
        assert ids is None or (last is not None and ids == {e.id for e in last.timeline.events})
        if again.timeline is not None and fresh.timeline is not None:
            # Worked out now, the ends are carried over by the next edit's reload.
            assert again.timeline.end_keys == fresh.timeline.end_keys
