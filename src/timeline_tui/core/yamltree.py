"""YAML text to a tree of plain-text nodes with positions, refusing what only serves surprises.

Built on libyaml's event stream rather than PyYAML's constructors, for three reasons:
every scalar stays the text the user typed (`no`, `2026`, `12:30` are not turned into
False, an int or 750), every node keeps its line and column, and it is several times faster
than building Python objects with `CSafeLoader`. The builder keeps its own stack, so no input
can raise RecursionError, and it checks tags, aliases, depth, keys and documents as it goes.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, replace
from itertools import chain

import yaml
from yaml.events import (
    AliasEvent,
    DocumentStartEvent,
    MappingEndEvent,
    MappingStartEvent,
    ScalarEvent,
    SequenceEndEvent,
    SequenceStartEvent,
)

from timeline_tui.core.sanitize import INVISIBLE_TEXT

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

MAX_DEPTH = 64
# An alias re-uses a node; each use counts the nodes it stands for. Real timelines need a few
# hundred at most; the "billion laughs" file needs hundreds of millions.
ALIAS_BUDGET = 10_000

# Tags that change nothing about a text value; every other tag is refused.
_HARMLESS_TAGS = {"!", "tag:yaml.org,2002:str"}
_CORE_PREFIX = "tag:yaml.org,2002:"

# Characters YAML does not allow raw in a file (C0 and C1 controls but tab, LF and CR; DEL).
# libyaml reports them with a character offset only; we find them first to give a
# line and column, and replace them so that the rest of the file still loads. Lone
# surrogates cannot come from a decoded file, but text given to `load_text` may hold them,
# and libyaml would fail on them with a UnicodeEncodeError rather than a YAMLError.
# NEL, LS and PS end a line in YAML 1.1 (libyaml) but not in YAML 1.2 or most editors: a
# U+2028 pasted from a web page would cut a value in two and shift every line number after
# it, so they are reported too, and replaced by a space.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff\ufffe\uffff]")
_SEPARATORS = frozenset("\x85\u2028\u2029")
_SEPARATOR = re.compile(f"[{''.join(sorted(_SEPARATORS))}]")
# The ASCII bytes that may stand raw in a file (deleting them leaves only the bad ones).
_ASCII_ALLOWED = bytes([9, 10, 13, *range(32, 127)])
# The line breaks left once the separators above are gone: CRLF, CR and LF, as in libyaml.
_LINE_BREAK = re.compile(r"\r\n?|\n")
# A `#` right after a plain value's space, followed by a word: a comment to YAML, meant as
# text by most who write it (`#2`, `#MeToo`).
_HASHED_WORD = re.compile(r"[ \t]+(#[^ \t\r\n][^\r\n]*)")  # matched at a value's end
# Whether a text has one at all: searched without `[ \t]+`, which backtracks over every
# run of spaces (a line of 100,000 spaces took 30 s).
_ANY_HASHED_WORD = re.compile(r"(?<=[ \t])#[^ \t\r\n]")
# A backslash in double quotes and what follows it: an escape sequence, or a line break
# (the line goes on), or the end of the scalar's source on this line.
_ESCAPE = re.compile(r"\\(.?)")
# A drive letter and its backslash: `C:\\Users`.
_WINDOWS_PATH = re.compile(r"(?<![A-Za-z])[A-Za-z]:\\")
# What the escapes a backslash starts by mistake (`C:\news`) stand for. Left out: `\"`,
# `\\` and `\/` (the character typed, as meant), and `\x`, `\u`, `\U`, which nobody
# types without meaning them (and which the advice for control characters gives).
_ESCAPES = {
    "0": "a NUL character",
    "a": "a bell character",
    "b": "a backspace",
    "t": "a tab",
    "\t": "a tab",
    "n": "a line break",
    "v": "a vertical tab",
    "f": "a form feed",
    "r": "a carriage return",
    "e": "an escape character",
    " ": "a space",
    "N": "a line break",
    "_": "a non-breaking space",
    "L": "a line separator",
    "P": "a paragraph separator",
}
# A file full of NULs (a binary file, or one an editor pre-allocated) would otherwise give
# one diagnostic per character.
MAX_CONTROL_PROBLEMS = 20


@dataclass(frozen=True, slots=True)
class Problem:
    """A problem found while reading YAML: 0-based line/col are converted by the caller."""

    line: int  # 1-based
    col: int  # 1-based
    message: str
    warning: bool = False  # the file reads, but maybe not as meant


class Scalar:
    __slots__ = ("col", "line", "plain", "value")

    def __init__(self, value: str, line: int, col: int, plain: bool) -> None:
        self.value = value
        self.line = line
        self.col = col
        self.plain = plain


class Seq:
    __slots__ = ("_items", "col", "line", "words")

    def __init__(self, line: int, col: int, words: str | None = None) -> None:
        self.line = line
        self.col = col
        # For a flow list of plain words (`[a, b c]`, as the fast reader reads it), the
        # text between its brackets: a key for the records made of it before, and what
        # its items are made of when they are asked for.
        self.words = words
        self._items: list[Node] | None = [] if words is None else None

    @property
    def items(self) -> list[Node]:
        """Its nodes. Those of a list of words are made when first asked for: most events'
        tags and actors are taken from an earlier event's, and making them took 6% of
        reading an event block."""
        items = self._items
        if items is None:
            assert self.words is not None
            items = self._items = _word_items(self.words, self.line, self.col + 1)
        return items


def _word_items(words: str, line: int, col: int) -> list[Node]:
    """The items of a list of words whose first starts at column `col`: each one's column
    follows from the lengths before it."""
    items: list[Node] = []
    for word in words.split(", "):
        items.append(Scalar(word, line, col, True))
        col += len(word) + 2
    return items


class Map:
    __slots__ = ("col", "key_lines", "line", "pairs")

    def __init__(self, line: int, col: int) -> None:
        # key text -> (key node, value node); insertion order is file order. The fast
        # reader leaves the key node out (None), for `key_node` to make: only a misspelt
        # field's warning reads it, and making one for each field of 100k events took 5%
        # of reading them.
        self.pairs: dict[str, tuple[Scalar | None, Node]] = {}
        self.line = line
        self.col = col
        # The line of a key left out whose value starts on a later line (a list under it).
        self.key_lines: dict[str, int] | None = None

    def key_node(self, key: str) -> Scalar:
        """The node of `key`, one of `pairs`: as read, or, left out, at the mapping's
        column on its value's line (or the line `key_lines` gives)."""
        node, value = self.pairs[key]
        if node is not None:
            return node
        line = self.key_lines.get(key) if self.key_lines is not None else None
        return Scalar(key, value.line if line is None else line, self.col, True)


class Invalid:
    """A node that was refused (and reported): readers treat it as an absent value."""

    __slots__ = ("col", "line")

    def __init__(self, line: int, col: int) -> None:
        self.line = line
        self.col = col


Node = Scalar | Seq | Map | Invalid

# Plain keys that YAML 1.1 would read as something other than text (1, 1.0, true, null,
# 2025-01-01): two of them can collide silently in PyYAML, so they are refused as keys.
_NON_TEXT_KEY = re.compile(
    r"""^(?:[-+]?(?:0|[1-9][0-9_]*|0[0-7_]+|0x[0-9a-fA-F_]+|0b[01_]+)
        |[-+]?(?:[0-9][0-9_]*)?\.[0-9_]*(?:[eE][-+][0-9]+)?|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN)
        |yes|Yes|YES|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF|y|Y|n|N
        |null|Null|NULL|~|
        |[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}(?:[Tt ].*)?)$""",
    re.X,
)


@dataclass(slots=True)
class ParsedYaml:
    root: Node | None
    problems: list[Problem]
    # True when libyaml stopped at a syntax error: `root` then holds only what came before.
    syntax_error: bool = False


def find_control_characters(text: str) -> tuple[str, list[Problem]]:
    """Report raw control characters, and return the text with each replaced by U+FFFD
    (a line or paragraph separator, or a stray CR, by a space); and report invisible
    characters that indent a line, replaced by the spaces they look like."""
    text, stray = _stray_carriage_returns(text)
    text, problems = _controls(text)
    text, indented = _invisible_indentation(text)
    return text, stray + problems + indented


# Characters that look like a space, or like nothing, which YAML reads as text: pasted from
# a web page (U+00A0) or typed with an input method (U+3000), or left where two files were
# joined (a byte order mark, U+FEFF). At the start of a line they break the indentation,
# and libyaml's errors never name them.
_INVISIBLES = "\u00a0" + "".join(map(chr, range(0x2000, 0x200C))) + "\u202f\u205f\u2060\u3000\ufeff"
# A line's leading run of spaces and tabs that holds one of them: the spaces before the
# first (group 1), and that first one (group 2); followed by what starts a field or an item
# (or by nothing): there they break the file's structure. A line of text that goes on a
# value may begin with one (French puts U+00A0 before « » : ; ! ?), and is left alone.
_INVISIBLE_RUN = (
    f"([ \t]*)([{_INVISIBLES}])[{_INVISIBLES} \t]*"
    r"""(?=-(?:[ \t\r\n]|$)|[^\s#'"-][^\n:]*:(?:[ \t\r\n]|$)|[\r\n]|$)"""
)
_INVISIBLE_AT_TEXT_START = re.compile(_INVISIBLE_RUN)
# After a line break (a LF: a stray CR is a space by now, but in a file of CR-only lines,
# which is left to libyaml's messages): searched from the break, several times faster
# than from `^`, and a pattern that starts with one character is searched for quicker
# still (0.16 s at 54 MB, in text that is not Latin-1).
_INVISIBLE_AFTER_LF = re.compile(f"\n{_INVISIBLE_RUN}")
_INVISIBLE_NAMES = {
    "\u00a0": "non-breaking space",
    "\u200b": "zero-width space",
    "\ufeff": "byte order mark",
}
# A line that ends with a `|` or `>` header: the lines indented under it are text.
_BLOCK_SCALAR_HEADER = re.compile(r"(?:^|[ \t])[|>][-+0-9]*[ \t]*(?:#.*)?$")


def _invisible_indentation(text: str) -> tuple[str, list[Problem]]:
    """Report each line whose indentation holds an invisible character, at the first one,
    and replace them by the spaces they look like (a zero-width one by none): the rest of
    the file then reads as it looks. The columns after them on their line shift if their
    width is not one, on a line that has an error already. A line in a block of text
    (under `|` or `>`) may begin with one: there it is text, as meant."""
    if text.isascii():
        return text, []
    # A byte order mark that starts the text is one that YAML allows (and libyaml skips).
    first = _INVISIBLE_AT_TEXT_START.match(text, 1 if text[0] == "\ufeff" else 0)
    runs = chain([first] if first else [], _INVISIBLE_AFTER_LF.finditer(text))
    problems: list[Problem] = []
    pieces: list[str] = []
    in_text: dict[int, bool] = {}  # by the offset of each line looked at so far
    line, scanned, copied = 1, 0, 0
    summary_at: tuple[int, int] | None = None
    more = 0
    for run in runs:
        start, index = run.start(1), run.start(2)  # the line's, and the character's
        line += text.count("\n", scanned, start)
        scanned = start
        if start != index:
            in_text[start] = _in_block_scalar(text, start, index - start, in_text)
            if in_text[start]:
                continue
        pieces.append(text[copied:start])
        indentation = text[start : run.end()]
        pieces.append("".join(" " * _width(c) if c in _INVISIBLES else c for c in indentation))
        copied = run.end()
        if len(problems) == MAX_CONTROL_PROBLEMS:
            summary_at = summary_at or (line, index - start + 1)
            more += 1
            continue
        problems.append(Problem(line, index - start + 1, _invisible_message(run)))
    if summary_at is not None:
        problems.append(
            Problem(
                *summary_at,
                f"{more} more lines indented with invisible characters from here on: "
                "indent them with spaces",
            )
        )
    if not pieces:
        return text, []
    pieces.append(text[copied:])
    return "".join(pieces), problems


def invisible_characters(text: str, line_offset: int = 0) -> list[Problem]:
    """Warn of each raw character in `text` that shows as nothing, or reorders the text
    around it (a zero-width space, a bidi override): the file reads, but not as it looks,
    and the app and exports show it as `<U+XXXX>`. A byte order mark that starts the text
    is YAML's to skip; one in an indentation is reported by `find_control_characters`."""
    if text.isascii():
        return []
    problems: list[Problem] = []
    line, line_start, scanned = 1 + line_offset, 0, 0
    for match in INVISIBLE_TEXT.finditer(text, 1 if text[0] == "\ufeff" else 0):
        index = match.start()
        # Lines end as YAML ends them: a file of CR-only lines, read whole, has them too.
        for line_break in _LINE_BREAK.finditer(text, scanned, index):
            line += 1
            line_start = line_break.end()
        scanned = index
        if len(problems) == MAX_CONTROL_PROBLEMS:
            problems.append(
                Problem(
                    line,
                    index - line_start + 1,
                    "more invisible characters from here on: is this text pasted from a "
                    "page that hides some?",
                    warning=True,
                )
            )
            break
        message = _hidden_message(match.group())
        problems.append(Problem(line, index - line_start + 1, message, warning=True))
    return problems


def _hidden_message(character: str) -> str:
    code = ord(character)
    name = _INVISIBLE_NAMES.get(character) or unicodedata.name(character, "format character")
    reorders = ", which may reorder the text around it as shown" if code in _BIDI else ""
    return (
        f"invisible character U+{code:04X} ({name.lower()}){reorders}: the app and exports "
        f"show it as <U+{code:04X}>; delete it (text pasted from a web page often brings "
        f'one), or if it is meant write it as "\\u{code:04X}" inside double quotes'
    )


# The bidi controls: they change the order in which the characters around them show.
_BIDI = frozenset((0x061C, 0x200E, 0x200F, *range(0x202A, 0x202F), *range(0x2066, 0x206A)))


def _in_block_scalar(text: str, start: int, indent: int, known: dict[int, bool]) -> bool:
    """Whether the line at offset `start`, indented by `indent` spaces, is under a `|` or
    `>` header: the first line above indented less is one, or is text under one. `known`:
    the answers for lines above, by their offsets, each indented by its spaces: the walk
    up stops at one indented as the walk has got to (a long text whose every line starts
    with U+00A0 is gone through once, not once a line)."""
    end = start - 1  # the line break that ends the line above
    for _ in range(_LOOKBACK):
        if end < 0:
            return False
        above = text.rfind("\n", 0, end) + 1
        line = text[above:end].rstrip("\r")
        end = above - 1
        if not line.strip(" "):
            continue
        depth = _CONTENT_START.match(line).end()  # `- b: |` holds text indented past `b`
        if depth < indent:
            if _BLOCK_SCALAR_HEADER.search(line):
                return True
            if not depth:
                return False
            indent = depth
        if depth == indent and above in known:
            return known[above]
    return False


def _width(character: str) -> int:
    """The columns an invisible character takes on screen."""
    if unicodedata.category(character) == "Cf":
        return 0
    return 2 if unicodedata.east_asian_width(character) in ("F", "W") else 1


def _invisible_message(run: re.Match[str]) -> str:
    character = run[2]
    name = _INVISIBLE_NAMES.get(character) or unicodedata.name(character).lower()
    code = f"U+{ord(character):04X}"
    several = run[0].count(character) > 1
    width = _width(character)
    if not width:
        return (
            f"invisible {name} ({code}) at the start of the line: YAML reads it as text, not as "
            f"indentation; remove {'them' if several else 'it'}"
        )
    spaces = "a space" if width == 1 else "two spaces"
    return (
        f"{name} ({code}) used for indentation: YAML indents with spaces only; replace "
        f"{'each' if several else 'it'} with {spaces}"
    )


# A carriage return that does not start a CRLF.
_LONE_CR = re.compile(r"\r(?!\n)")


def cr_ends_lines(text: str) -> bool:
    """Whether a CR alone ends a line of `text`: in a file whose lines end with CR, as YAML
    reads it; not in one whose lines end with LF or CRLF (more LFs than lone CRs), where
    an editor or grep sees a stray character in a line."""
    if "\r" not in text or "\n" not in text:
        return True
    return text.count("\n") <= len(_LONE_CR.findall(text))


def _stray_carriage_returns(text: str) -> tuple[str, list[Problem]]:
    """A CR alone in a file whose lines end with LF (or CRLF) ends no line for an editor
    or grep, but does for YAML: every line number after it would be one off. Each is
    reported, and read as a space (see `cr_ends_lines`)."""
    if cr_ends_lines(text):
        return text, []
    problems: list[Problem] = []
    for match in _LONE_CR.finditer(text):
        if len(problems) == MAX_CONTROL_PROBLEMS:
            break
        problems.append(
            Problem(
                *line_col(text, match.start(), cr=False),
                "stray carriage return (CR, U+000D) inside a line: YAML would end the line "
                "there, editors do not; remove it",
            )
        )
    return (_LONE_CR.sub(" ", text), problems) if problems else (text, [])


def _controls(text: str) -> tuple[str, list[Problem]]:
    """`find_control_characters` but for stray CRs. Positions are found in one pass."""
    # In ASCII text only C0 controls and DEL are possible, and bytes.translate finds them
    # far faster than the regex does on a big file.
    if text.isascii() and not text.encode("ascii").translate(None, _ASCII_ALLOWED):
        return text, []
    first = _CONTROL.search(text)
    if first is None:
        return text, []
    problems: list[Problem] = []
    summary_at: tuple[int, int] | None = None
    line, line_start, scanned = 1, 0, 0
    for match in _CONTROL.finditer(text, first.start()):
        index = match.start()
        for line_break in _LINE_BREAK.finditer(text, scanned, index):
            line += 1
            line_start = line_break.end()
        scanned = index
        col = index - line_start + 1
        if len(problems) == MAX_CONTROL_PROBLEMS:
            summary_at = (line, col)
            break
        problems.append(Problem(line, col, _control_message(ord(match.group()))))
    # Replaced and counted in C: a file of NULs (what a crash can leave) has millions.
    text, separators = _SEPARATOR.subn(" ", text)
    text, others = _CONTROL.subn("\ufffd", text)
    if summary_at is not None:
        more = separators + others - MAX_CONTROL_PROBLEMS
        problems.append(
            Problem(
                *summary_at,
                f"{more} more characters that are not allowed from here on: "
                "is this really a UTF-8 text file?",
            )
        )
    return text, problems


def _control_message(code: int) -> str:
    if 0xD800 <= code <= 0xDFFF:  # half of a character: no escape can write it
        return f"character U+{code:04X} (a lone surrogate) not allowed: remove it"
    if chr(code) in _SEPARATORS:
        return (
            f"invisible line break U+{code:04X} not allowed (YAML tools disagree on whether "
            "it ends a line): replace it with a space or a real line break"
        )
    kind = "control character" if code < 0xA0 else "character"
    escape = f"\\x{code:02X}" if code <= 0xFF else f"\\u{code:04X}"
    return (
        f"{kind} U+{code:04X} not allowed: remove it, or if it is wanted write it "
        f'as an escape ("{escape}") inside a double-quoted string'
    )


def line_col(text: str, index: int, *, cr: bool = True) -> tuple[int, int]:
    """1-based line and column of a character offset (CRLF, LF and, with `cr`, a CR
    alone end a line: see `cr_ends_lines`)."""
    if not cr:  # only LF ends a line: counted in C
        return text.count("\n", 0, index) + 1, index - text.rfind("\n", 0, index)
    line, start = 1, 0
    for line_break in _LINE_BREAK.finditer(text, 0, index):
        line += 1
        start = line_break.end()
    return line, index - start + 1


def parse(text: str, line_offset: int = 0, depth: int = 0) -> ParsedYaml:
    """Build the node tree of one YAML document; `line_offset` shifts reported lines, and
    `depth` counts the levels above the text in its file (an event block's list is one
    level down), so that a part of a file is held to the same nesting limit as the whole."""
    builder = _Builder(line_offset, depth)
    try:
        builder.run(text)
    except yaml.MarkedYAMLError as exc:
        builder.problems.append(_syntax_problem(exc, line_offset, text))
        return ParsedYaml(builder.root, builder.problems, syntax_error=True)
    except yaml.YAMLError as exc:  # ReaderError: raw characters we did not catch first
        position = getattr(exc, "position", 0)
        line, col = line_col(text, position)
        builder.problems.append(Problem(line + line_offset, col, f"cannot read the file: {exc}"))
        return ParsedYaml(builder.root, builder.problems, syntax_error=True)
    except _Stop:
        pass
    return ParsedYaml(builder.root, builder.problems)


def has_syntax_error(text: str | bytes) -> bool:
    """What `parse(text).syntax_error` says, four times as fast (1.3 s, not 5.9, for a
    54 MB file): libyaml's events are read and no nodes made. It stops where `parse`
    stops, at a second document or nesting too deep, but for aliases, which cost nothing
    here: a syntax error after an alias bomb is found (and the bomb, read alone, is
    reported where it is)."""
    return syntax_verdict(text)[0]


def syntax_verdict(text: str | bytes) -> tuple[bool, int]:
    """What `has_syntax_error` says, and the line (0-based) where it could tell: that of
    the error, or of where `parse` stops; -1 when it read to the end, or does not say."""
    depth = documents = 0
    try:
        for event in yaml.parse(text, Loader=_Loader):
            cls = event.__class__
            if cls is MappingStartEvent or cls is SequenceStartEvent:
                depth += 1
                if depth > MAX_DEPTH:
                    return False, event.start_mark.line
            elif cls is MappingEndEvent or cls is SequenceEndEvent:
                depth -= 1
            elif cls is DocumentStartEvent:
                documents += 1
                if documents > 1:
                    return False, event.start_mark.line
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        return True, mark.line if mark is not None else -1
    except yaml.YAMLError:  # ReaderError: a character libyaml does not read
        return True, -1
    return False, -1


class _Stop(Exception):
    """Raised by the builder to end the parse after a fatal, already-reported problem."""


class _Builder:
    def __init__(self, line_offset: int, depth: int) -> None:
        self.offset = line_offset + 1
        self.depth = depth
        self.root: Node | None = None
        self.problems: list[Problem] = []
        self.documents = 0
        self.anchors: dict[str, tuple[Node, int]] = {}
        # Anchors on text values that no alias has used yet: each most likely a value
        # that was meant to start with '&' (`title: &Co wins`), its first word lost.
        self.unused: dict[str, tuple[int, int, str]] = {}
        # Those that no alias can use any more: the same name was given again after them.
        self.replaced: list[tuple[str, tuple[int, int, str]]] = []
        self.alias_cost = 0
        # For each event (by id()) whose last keys repeat earlier ones: a new event written
        # without its `- ` repeats its fields; one problem says so, not one per field.
        self.repeated: dict[int, _Repeated] = {}

    def problem(self, line: int, col: int, message: str, *, warning: bool = False) -> None:
        """A problem at 0-based `line` and `col` of the text parsed."""
        self.problems.append(Problem(line + self.offset, col + 1, message, warning))

    def check_comment(self, lines: list[str], end: yaml.Mark, indent: int) -> bool:
        """Warn when a plain value is followed by `#word`: YAML reads a comment, and the
        writer most likely meant text (`tender #2`, `#MeToo`), which is silently lost.
        So are the lines under it that start with `#word`, indented as its next lines
        would be (more than `indent`, its mapping's or list's). Whether `#word` followed
        on the value's own line."""
        if end.line >= len(lines):
            # The empty value libyaml gives where the text ends, cut short without its
            # last line break (`x: {d`): nothing follows it. (Found by the fuzz.)
            return False
        line = lines[end.line]
        found = _HASHED_WORD.match(line, end.column)
        if found is not None:
            self.lost_to_comment(end.line, found.start(1), found.group(1))
            return True
        if line[end.column :].strip(" \t"):
            return False  # more on the line: a flow list's `]`, a key's `:`
        for number in range(end.line + 1, len(lines)):
            below = lines[number]
            words = below.lstrip(" ")
            if not words:
                continue
            if words[0] != "#" or len(below) - len(words) <= indent:
                return
            if words[1:2].strip(" \t"):
                self.lost_to_comment(number, len(below) - len(words), words.rstrip(" \t"))
        return False

    def lost_to_comment(self, line: int, col: int, comment: str) -> None:
        self.problem(
            line,
            col,
            f"'{_shortened(comment)}' is read as a comment, not as part of the "
            "value: put the whole value in quotes to keep it, or write '# ' for a comment",
            warning=True,
        )

    def check_escapes(self, lines: list[str], start: yaml.Mark, end: yaml.Mark) -> None:
        """Warn when a double-quoted value holds an escape sequence that was most likely
        meant as a backslash and a letter: in a Windows path (`"C:\\news"` holds a line
        break). Elsewhere `\\n` is most often meant (JSON, and YAML dumpers, write line
        breaks so), and a warning would advise to undo it."""
        if end.line >= len(lines):
            return  # a line break only libyaml counts, in text not from `load_text`
        for number in range(start.line, end.line + 1):
            line = lines[number]
            begin = start.column if number == start.line else 0
            stop = end.column if number == end.line else len(line)
            if _WINDOWS_PATH.search(line, begin, stop) is None:
                continue
            for found in _ESCAPE.finditer(line, begin, stop):
                name = _ESCAPES.get(found[1])
                if name is not None:
                    first = lines[start.line]
                    quoted = first[start.column : stop if number == start.line else len(first)]
                    self.problem(
                        number,
                        found.start(),
                        f"'{found[0]}' in double quotes is an escape sequence, read as {name}: "
                        + _backslash_advice(quoted),
                        warning=True,
                    )
                    return

    def run(self, text: str) -> None:
        # stack of open containers: [node, pending_key, anchor, size]
        stack: list[list] = []
        offset = self.offset
        # Both checks below look at the source lines; most files need neither.
        hashed = _ANY_HASHED_WORD.search(text) is not None
        escapes = "\\" in text
        lines = _LINE_BREAK.split(text) if hashed or escapes else []
        for event in yaml.parse(text, Loader=_Loader):
            cls = event.__class__
            if cls is ScalarEvent:
                mark = event.start_mark
                node: Node = Scalar(
                    event.value, mark.line + offset, mark.column + 1, not event.style
                )
                if not event.style:
                    if (
                        hashed
                        and self.check_comment(
                            lines, event.end_mark, stack[-1][0].col - 1 if stack else -1
                        )
                        and not event.value
                        and stack
                        and stack[-1][0].__class__ is Seq
                    ):
                        # `- #MeToo`: said to be a comment; not an empty item as well.
                        node = Invalid(node.line, node.col)
                elif escapes and event.style == '"':
                    self.check_escapes(lines, mark, event.end_mark)
                if event.tag == "!" and not _awaits_key(stack):
                    self.lone_bang(event, mark)
                elif event.tag is not None and event.tag not in _HARMLESS_TAGS:
                    node = self.refuse_tag(event.tag, mark)
                size = 1
            elif cls is MappingStartEvent or cls is SequenceStartEvent:
                mark = event.start_mark
                container: Map | Seq = (Map if cls is MappingStartEvent else Seq)(
                    mark.line + offset, mark.column + 1
                )
                if event.tag is not None and event.tag not in _HARMLESS_TAGS:
                    self.refuse_tag(event.tag, mark)
                    # Keep reading its contents (to find later problems), then drop it.
                    container = Seq(mark.line + offset, mark.column + 1)
                    stack.append([container, None, event.anchor, 1, True])
                else:
                    stack.append([container, None, event.anchor, 1, False])
                if len(stack) + self.depth > MAX_DEPTH:
                    self.problem(
                        mark.line,
                        mark.column,
                        f"nesting too deep (more than {MAX_DEPTH} levels): a timeline needs a "
                        "few levels; check for runaway brackets",
                    )
                    raise _Stop
                continue
            elif cls is MappingEndEvent or cls is SequenceEndEvent:
                container, _, anchor, size, refused = stack.pop()
                node = Invalid(container.line, container.col) if refused else container
                if anchor is not None:
                    self.anchors[anchor] = (node, size)
                if stack:
                    self.attach(stack, node, size)
                else:
                    self.root = node
                continue
            elif cls is AliasEvent:
                node, size = self.resolve_alias(event, stack)
            elif cls is DocumentStartEvent:
                self.documents += 1
                if self.documents > 1:
                    mark = event.start_mark
                    self.problem(
                        mark.line,
                        mark.column,
                        "a second YAML document starts here ('---'): a timeline file holds one "
                        "document; merge the two or split them into two files",
                    )
                    raise _Stop
                continue
            else:
                continue
            anchor = getattr(event, "anchor", None)
            if anchor is not None and cls is ScalarEvent:
                self.anchors[anchor] = (node, size)
                earlier = self.unused.pop(anchor, None)
                if earlier is not None:
                    self.replaced.append((anchor, earlier))
                self.unused[anchor] = (mark.line, mark.column, event.value)
            if stack:
                self.attach(stack, node, size)
            else:
                self.root = node
        unused = sorted([*self.replaced, *self.unused.items()], key=lambda found: found[1])
        for name, (line, col, value) in unused:
            self.problem(
                line,
                col,
                f"'&{name}' is read by YAML as an anchor, not as text, so the value is "
                f"'{_shortened(value)}': put the whole value in quotes to keep '&{name}'",
                warning=True,
            )

    def attach(self, stack: list[list], node: Node, size: int) -> None:
        """Add `node` to the container open on top of `stack`."""
        frame = stack[-1]
        frame[3] += size
        container = frame[0]
        if container.__class__ is Seq:
            container.items.append(node)
            return
        key = frame[1]
        if key is None:
            frame[1] = self.check_key(node)
            return
        frame[1] = None
        if key is _BAD_KEY:
            return
        run = self.repeated.get(id(container)) if self.repeated else None
        if run is not None and run.new_event:
            self.repeated_in_event(container, key, None)  # a field of the new event
            return
        previous = container.pairs.get(key.value)
        if previous is not None:
            if self.in_event(stack):
                self.repeated_in_event(container, key, previous[0])
                return
            what = f"duplicate key '{key.value}' (first at line {previous[0].line})"
            if key.value == "events" and len(stack) == 1 and not self.depth:
                # The first (`events: ~`, `events: []`) says the list is empty, and the
                # advice to fill it would miss the events written under this one.
                what += (
                    ": YAML reads the first, so the events under this one are not read: "
                    "keep one `events:`, with the events under it"
                )
            else:
                what += ": the first value is kept; remove or rename one of them"
            self.problems.append(Problem(key.line, key.col, what))
            return
        if run is not None:
            del self.repeated[id(container)]  # a run of repeated keys ends here
        container.pairs[key.value] = (key, node)

    def repeated_in_event(self, event: Map, key: Scalar, first: Scalar | None) -> None:
        """Report a key of an event that repeats the key `first` (None: the key follows a
        new event's first field), with the keys repeated right before it, as one problem
        at the first of them. Most often they are the fields of a new event written
        without its `- `: the advice to remove one would have the user delete that event.
        A key that repeats the one the event starts with surely starts a new event: the
        keys after it, repeated or not, are its fields, kept out of this event (they put
        the new event's summary under the one above: a user pass). So do two or more
        repeated keys in a row among which is `date` or `id`: a new event may start with
        any key (`title:` under an `id:`-first one), but has a date of its own; two lines
        pasted twice have none, and a lone date may be a second thought (a review). The
        same key again is a duplicate of its own."""
        run = self.repeated.get(id(event))
        if run is not None and first is not None and key.value in run.keys:
            run = None
        if run is None:
            assert first is not None
            self.problems.append(Problem(key.line, key.col, ""))
            starts = next(iter(event.pairs.values()))[0] is first
            run = self.repeated[id(event)] = _Repeated(len(self.problems) - 1, [], [], starts)
        run.keys.append(key.value)
        if first is not None:
            run.lines.append(first.line)
        self.problems[run.index] = replace(self.problems[run.index], message=run.message())

    def in_event(self, stack: list[list]) -> bool:
        """Whether the mapping open on top of `stack` is an event: an item of the list
        that is the value of the top-level `events` (or, in an event block, the list that
        is the text's root)."""
        if self.depth > 1 or len(stack) != 3 - self.depth or stack[-2][0].__class__ is not Seq:
            return False
        if self.depth:
            return True
        key = stack[0][1]
        return stack[0][0].__class__ is Map and key.__class__ is Scalar and key.value == "events"

    def check_key(self, node: Node) -> Scalar | object:
        if node.__class__ is not Scalar:
            if node.__class__ is not Invalid:
                self.problems.append(
                    Problem(node.line, node.col, "mapping keys must be text, not a list or mapping")
                )
            return _BAD_KEY
        if node.plain and _NON_TEXT_KEY.match(node.value):
            self.problems.append(
                Problem(
                    node.line,
                    node.col,
                    f"mapping keys must be text: '{node.value}' reads as a number, date, "
                    "boolean or null in YAML; field names are words such as title or date",
                )
            )
            return _BAD_KEY
        return node

    def lone_bang(self, event: ScalarEvent, mark: yaml.Mark) -> None:
        """`title: ! Breaking news` reads "Breaking news": the `!` is YAML's tag for "plain
        text", and meant as text by most who write it."""
        quote = _quote_for(event.value)
        shown = _shortened(f"! {event.value}")
        self.problem(
            mark.line,
            mark.column,
            f"the '!' that starts this value is a YAML tag, and is dropped: put the whole "
            f"value in quotes to keep it ({quote}{shown}{quote}), or remove it",
            warning=True,
        )

    def refuse_tag(self, tag: str, mark: yaml.Mark) -> Invalid:
        shown = "!!" + tag[len(_CORE_PREFIX) :] if tag.startswith(_CORE_PREFIX) else tag
        self.problem(
            mark.line,
            mark.column,
            f"tag {shown} not allowed: timeline values are plain text; remove the tag (or, if "
            "it is part of the text, put the whole value in quotes)",
        )
        return Invalid(mark.line + self.offset, mark.column + 1)

    def resolve_alias(self, event: AliasEvent, stack: list[list]) -> tuple[Node, int]:
        mark = event.start_mark
        name = event.anchor
        if any(frame[2] == name for frame in stack):
            self.problem(
                mark.line,
                mark.column,
                f"alias *{name} refers to itself (a cycle): write the values out instead",
            )
            return Invalid(mark.line + self.offset, mark.column + 1), 1
        target = self.anchors.get(name)
        if target is None:
            self.problem(
                mark.line,
                mark.column,
                f"alias *{name} has no anchor &{name} before it: if the '*' is part of the "
                "text, put the whole value in quotes",
            )
            return Invalid(mark.line + self.offset, mark.column + 1), 1
        node, size = target
        self.unused.pop(name, None)
        self.alias_cost += size
        if self.alias_cost > ALIAS_BUDGET:
            self.problem(
                mark.line,
                mark.column,
                f"aliases expand to more than {ALIAS_BUDGET} values (an alias bomb?): "
                "write the values out instead of using anchors and aliases",
            )
            raise _Stop
        return node, size


_BAD_KEY = object()


# The fields a new event has its own of: repeated, they start one (see `_Repeated`).
_IDENTIFYING = frozenset(("date", "id"))


@dataclass(slots=True)
class _Repeated:
    """Keys of an event repeated one after the other (see `repeated_in_event`)."""

    index: int  # of their problem in `problems`
    keys: list[str]
    lines: list[int]  # of the keys they repeat, until they are taken for a new event's
    starts: bool  # the first repeats the key the event starts with

    @property
    def new_event(self) -> bool:
        return self.starts or (len(self.lines) > 1 and not _IDENTIFYING.isdisjoint(self.keys))

    def message(self) -> str:
        keys, lines = self.keys, self.lines
        if not self.new_event and len(keys) == 1:
            return (
                f"duplicate key '{keys[0]}' (first at line {lines[0]}): if this field "
                "belongs to a new event, that event needs '- ' before its first field; "
                "else remove or rename one of them (the first value is kept)"
            )
        if not self.new_event:
            return (
                f"duplicate keys {_listed(keys, quoted=True)} (first at lines "
                f"{_listed(lines)}): if these fields belong to a new event, that event needs "
                f"'- ' before its first field ('- {keys[0]}:'); else remove or rename them "
                "(the first values are kept)"
            )
        if self.starts:
            again = f"'{keys[0]}:' again (first at line {lines[0]}), as the event above starts"
        else:
            repeated = _listed([f"'{key}:'" for key in keys[: len(lines)]])
            again = f"{repeated} again (first at lines {_listed(lines)})"
        return (
            f"{again}: the fields from here on ({_listed(keys, quoted=True)}) look like a "
            f"new event written without its '- ': put '- ' before '{keys[0]}:' (until then "
            "they are left out, and the event above keeps its own)"
        )


def _listed(items: list[str] | list[int], *, quoted: bool = False) -> str:
    """`'a', 'b' and 'c'`, or `5, 6 and 7`."""
    words = [f"'{item}'" if quoted else str(item) for item in items]
    return ", ".join(words[:-1]) + f" and {words[-1]}" if len(words) > 1 else words[0]


def _shortened(text: str, most: int = 30) -> str:
    """The start of `text` as a message quotes it: its first line, up to `most` characters."""
    line = text.split("\n", 1)[0]
    return line if len(line) <= most and line == text else line[: most - 1] + "…"


def _syntax_problem(exc: yaml.MarkedYAMLError, line_offset: int, text: str) -> Problem:
    # The same line breaks as YAML's (CR, LF, CRLF, NEL, LS, PS): the other characters
    # splitlines() breaks at are controls, already replaced by find_control_characters.
    # Split once: the hints below look at several lines of what may be a big file.
    lines = text.splitlines()
    mark = exc.problem_mark or exc.context_mark
    line = (mark.line if mark else 0) + 1 + line_offset
    col = (mark.column if mark else 0) + 1
    problem = (exc.problem or "invalid YAML").strip()
    context = (exc.context or "").strip()
    # libyaml names the tab in some messages only ("found character that cannot start any
    # token" when a tab indents a key), so look at the character the error points at too.
    if "tab" in problem or _char_at(lines, mark) == "\t":
        return Problem(
            line,
            col,
            "tab character used for indentation: YAML indents with spaces only; "
            "replace the tab with spaces",
        )
    if "maximum nesting depth" in problem:
        start = exc.context_mark or mark
        # libyaml stops a thousand levels in, past our limit: on one line of brackets the
        # runaway starts at the first one (it was reported 1,000 columns on: a user pass).
        column = start.column
        if start.line < len(lines):
            found = re.search(r"[\[{]", lines[start.line][: column + 1])
            column = found.start() if found else column
        return Problem(
            start.line + 1 + line_offset,
            column + 1,
            f"nesting too deep (more than {MAX_DEPTH} levels): a timeline needs a few levels; "
            "check for runaway brackets",
        )
    if _BAD_ESCAPE.search(problem) and mark is not None:
        # libyaml points at the backslash or at the digits after `\x`, `\u`, `\U`.
        line_text = _line_of(lines, mark)
        at = line_text.rfind("\\", 0, mark.column + 1)
        if at >= 0:
            written = _ESCAPED_WORD.match(line_text, at)[0]
            opening = exc.context_mark
            quoted = line_text[opening.column if opening and opening.line == mark.line else 0 :]
            return Problem(
                line,
                at + 1,
                f"a backslash in double quotes starts an escape sequence, and '{written}' "
                "is not one: " + _backslash_advice(quoted),
            )
    if "end of stream" in problem and "quoted scalar" in context and exc.context_mark:
        start = exc.context_mark
        return Problem(
            start.line + 1 + line_offset,
            start.column + 1,
            "this quoted text is never closed: add the closing quote",
        )
    hint = _hint(exc, problem, context, lines, line_offset)
    if hint is not None:
        at_line, at_col, words = hint
        return Problem(at_line + 1 + line_offset, at_col + 1, words)
    message = f"YAML syntax: {problem}"
    if context:
        message += f" ({context}"
        if exc.context_mark is not None and exc.context_mark is not mark:
            message += f" that starts at line {exc.context_mark.line + 1 + line_offset}"
        message += ")"
    return Problem(line, col, message)


# libyaml's words, then PyYAML's, for an escape sequence it cannot read.
_BAD_ESCAPE = re.compile(r"unknown escape|expected hexdecimal|hexadecimal numbers|escape code")
# An escape as a message quotes it: the backslash and the word it starts, in short.
_ESCAPED_WORD = re.compile(r"\\[^\s\\\"]{0,9}")


def _backslash_advice(quoted: str) -> str:
    """What to do about a backslash in a double-quoted value written `quoted`: single
    quotes keep it, unless the value holds a single quote (which they would end)."""
    advice = "write each backslash twice (\\\\)"
    if "'" in quoted:
        return advice
    return "put the value in single quotes, which keep backslashes, or " + advice


# A value in brackets on one line whose items are cut off by a `#` after a space, a comma
# or the bracket: `tags: [a, #MeToo]`.
_BRACKETS_CUT = re.compile(
    r""" *(?:- +)?(?:[^\s#:][^:]*: +)?([\[{])([^#"']*?)(?:[ \t]|(?<=[\[{,]))(#[^\s,\]}][^,\]}]*)"""
)


def _comment_in_brackets(lines: list[str], first: int, last: int) -> tuple[int, int, str] | None:
    """The last of lines first..last (0-based) where a `#word` item inside brackets starts
    a comment, which hides the closing bracket: libyaml notices only lines later, if at
    all in the file."""
    for number in range(min(last, len(lines) - 1), max(first, 0) - 1, -1):
        line = lines[number]
        found = _BRACKETS_CUT.match(line)
        closing = "]" if found is not None and found[1] == "[" else "}"
        # The closing bracket after the `#`, in the comment: a list written over several
        # lines may hold a comment of its own (`[a, b,  # the first two`), and text under
        # `|` a `[see #3` that is no list at all.
        if found is not None and closing not in found[2] and closing in line[found.end(3) :]:
            return number, found.start(3), _hidden_closing_message(found[3].rstrip())
    return None


# A `#` that starts a comment among a list's items: after a space, a comma or a bracket, or
# first on its line; and the item it was meant as, up to the next comma or bracket.
_COMMENT_IN_FLOW = re.compile(r"(?:(?<=[ \t,\[{])|^)(#[^,\]}]*)")


def _comment_hiding(line: str, start: int, closing: str) -> tuple[int, str] | None:
    """The column and the item of a `#word` in `line` (from `start`) that starts a comment
    hiding the `closing` bracket after it; None when there is none. `# see [1]`, with its
    space, is a comment meant as one."""
    found = _COMMENT_IN_FLOW.search(line, start)
    if found is None or closing not in line[found.end(1) :] or found[1][1:2].isspace():
        return None
    return found.start(1), found[1].rstrip()


def _hidden_closing_message(item: str) -> str:
    return (
        f"'{_shortened(item)}' is read as a comment, which hides the rest of the line and the "
        f'closing bracket: put it in quotes ("{item}")'
    )


# A line that holds a key and its value before the point of a "mapping values" error.
_KEY_BEFORE = re.compile(r" *(?:- +)?[^\s#:][^:]*: +\S")


# The longest key libyaml reads on one line (a YAML "implicit key").
_MAX_KEY = 1024
_KEY_END = re.compile(r":(?:[ \t]|$)")


def _hint(
    exc: yaml.MarkedYAMLError, problem: str, context: str, lines: list[str], line_offset: int
) -> tuple[int, int, str] | None:
    """Where (0-based line and column) and what to say for the mistakes people make most,
    in their terms rather than libyaml's; None for the others. `line_offset`: of the
    text's first line in the file, for the line numbers a message names."""
    mark = exc.problem_mark
    if mark is None:
        return None
    at = mark.line, mark.column
    line = _line_of(lines, mark)
    start = exc.context_mark
    first = min(mark.line, start.line if start is not None else mark.line)
    if (hidden := _comment_in_brackets(lines, first - 3, mark.line)) is not None:
        return hidden
    if start is not None and ("scanning an alias" in context or "scanning an anchor" in context):
        sign = _char_at(lines, start)
        what = "an alias (a reuse of a value named with '&')" if sign == "*" else "an anchor"
        return (
            start.line,
            start.column,
            f"a value that starts with '{sign}' is read by YAML as {what}, not as text: "
            "put the whole value in quotes",
        )
    if start is not None and "scanning a block scalar" in context:
        sign = _char_at(lines, start)
        return (
            start.line,
            start.column,
            f"'{sign}' at the start of a value begins a block of text on the lines below it, "
            "so nothing may follow it on its line: put the whole value in quotes, or move the "
            "text to the next lines, indented",
        )
    if problem.startswith("did not find expected <document start>") and not line[:1].isspace():
        return *at, (
            "this line starts at the margin, which ends the list of events in YAML: indent "
            "it as the lines around it (a field of the file itself is written `name: value`)"
        )
    if problem.startswith("found character that cannot start any token"):
        left_open = _quote_left_open(lines, mark, line_offset)
        if left_open is not None:
            return left_open  # the sign follows the quote that closed it, lines below
        sign = _char_at(lines, mark)
        if sign in ("@", "`", "%"):
            return *at, (
                f"YAML keeps '{sign}' from starting a value that is not in quotes: put the "
                "whole value in quotes"
            )
    if problem.startswith("mapping values are not allowed"):
        if _KEY_BEFORE.match(line, 0, mark.column):
            quote = _quote_for(line)
            return *at, (
                "': ' inside a value that is not in quotes starts a new field: put the "
                f"whole value in quotes ({quote}...{quote})"
            )
        # Only a key before it on its line: the line goes on the value above. The fix is
        # at the start of the field, not at its colon; or above it, at an item's dash
        # with no space after it (`-date: 2026`), which made the field above a value.
        above = _content_line_above(lines, mark.line)
        dash = _dash_without_space(lines[above]) if above is not None else None
        if dash is not None and dash[0] < _indent(line):
            return above, *dash
        return (
            mark.line,
            _indent(line),
            (
                "this field is indented more than the one above it: line it up with the "
                "fields of its record"
            ),
        )
    if problem.startswith("did not find expected '-' indicator") and _DASH_ALONE.match(line):
        return mark.line, *not_an_item(line)
    if problem.startswith("did not find expected '-' indicator") and _less_indented(lines, mark):
        return *at, (
            "this line is indented less than the fields above it: line it up with them "
            "(or start a new item with '- ')"
        )
    if problem.startswith("block sequence entries are not allowed"):
        return *at, (
            "a list cannot start on the line of its field: put each '- item' on a line of "
            "its own below it, or put the value in quotes"
        )
    if "could not find expected ':'" in problem and start is not None:
        # libyaml notices at the next line; the mistake is where the key starts.
        key_line = _line_of(lines, start)
        colon = _KEY_END.search(key_line, start.column)
        if colon is not None and colon.start() - start.column > _MAX_KEY:
            return (
                start.line,
                start.column,
                f"a field name longer than {_MAX_KEY} characters, which YAML does not allow: "
                "shorten it (or is this text that belongs in a field's value?)",
            )
        if _field_value_above(lines, start.line, start.column)[:1] in ("|", ">"):
            return (
                start.line,
                start.column,
                "this line is lined up with the fields, which ends the text of the field "
                "above it: indent it as that text's lines are",
            )
        return (
            start.line,
            start.column,
            (
                "this line is not `field: value`: a field needs a space after its colon "
                "(`title: ...`), and a value that runs on over lines needs quotes"
            ),
        )
    if (
        problem.startswith(("did not find expected ',' or ']'", "did not find expected ',' or '}'"))
        and start is not None
        and start.line < mark.line
    ):
        # libyaml notices at a later line; the mistake is the bracket left open.
        opening = _char_at(lines, start)
        closing = "]" if opening == "[" else "}"
        first = _line_of(lines, start)
        # Or closed, in a comment: `[a,` then `#MeToo, b]` on the next line (not inside
        # a quoted item, where `#` is text).
        for number in range(start.line, min(mark.line, len(lines))):
            begin = start.column + 1 if number == start.line else 0
            hidden = _comment_hiding(lines[number], begin, closing)
            before = lines[number][begin : hidden[0] if hidden else None]
            if '"' in before or "'" in before:
                break
            if hidden is not None:
                return number, hidden[0], _hidden_closing_message(hidden[1])
        # Only once back at the field's indentation (the next field, event, or the end):
        # a list written over several lines may well be closed, and lack a comma.
        if (
            opening in ("[", "{")
            and closing not in first[start.column :]
            and _indent(line) <= _indent(first)
        ):
            form = " (a list is written [a, b])" if opening == "[" else ""
            return (
                start.line,
                start.column,
                f"this '{opening}' is not closed: add the closing '{closing}'{form}, or, if the "
                "bracket is part of the text, put the whole value in quotes",
            )
    if problem.startswith("did not find expected key") and "block mapping" in context:
        before = line[: mark.column].rstrip()[-1:]
        if before in ("'", '"'):
            left_open = _quote_left_open(lines, mark, line_offset)
            if left_open is not None:
                return left_open
            if before == '"' and '"' in line[mark.column :]:
                # `title: "He said "yes" loudly"`: the writer sees it all in quotes.
                return *at, (
                    "text after the closing quote: a value that holds double quotes goes "
                    "in single quotes ('...')"
                )
            closing = len(line[: mark.column].rstrip()) - 1
            if before == "'" and closing == mark.column - 1 and line[mark.column].isalpha():
                # `'L'attribution'`: an apostrophe in a word ended the text (French above all).
                said = _word_around(line, closing)
                return *at, (
                    "an apostrophe inside '...' ends the text: write each one twice "
                    f"({said.replace(chr(39), chr(39) * 2)}), or put the whole value in "
                    'double quotes ("...")'
                )
            return *at, "text after the closing quote: put all of the value inside the quotes"
        if not line[: mark.column].strip() and start is not None and mark.column > start.column:
            value = _field_value_above(lines, mark.line, start.column)
            if value[:1] in ("|", ">"):
                return *at, (
                    "this line is indented more than the fields of its record, yet less than "
                    "the text of the field above it: indent it as that text's lines are (or, "
                    "if it starts a field of its own, line it up with the fields)"
                )
            if value[:1] in ("'", '"', "[", "{"):
                return *at, (
                    "this line is indented under a field whose value is closed (by its quote "
                    "or bracket) above it: put the text inside the quotes or brackets (or, if "
                    "it starts a field of its own, line it up with the fields)"
                )
        if before in ("]", "}"):
            return *at, (
                "text after the closing bracket: put all of the list inside the brackets, "
                "or the whole value in quotes"
            )
    return None


# An item's dash with no space after it: `-date: 2026` is a field named "-date".
_DASH_WITHOUT_SPACE = re.compile(r"( *)-([A-Za-z_][A-Za-z0-9_-]*):(?:[ \t]|$)")


def _dash_without_space(line: str) -> tuple[int, str] | None:
    """Where (0-based column) the dash is and what to say, when `line` is a field written
    where an item starts with no space after its dash; None when it is not one."""
    found = _DASH_WITHOUT_SPACE.match(line)
    if found is None:
        return None
    key = found[2]
    return len(found[1]), f"'-{key}:' needs a space after the dash: write '- {key}:'"


# A line that starts with a dash that no space follows.
_DASH_ALONE = re.compile(r" *-[^ \t]")


def not_an_item(line: str) -> tuple[int, str]:
    """Where (0-based column) and what to say about `line`, which starts with a dash at
    the column of a list's items, yet starts no item: no space follows the dash."""
    return _dash_without_space(line) or (
        _indent(line),
        "no space after this '-', so it starts no item of the list: put a space after it "
        "(or, if the line belongs to the item above, indent it as that item's lines)",
    )


def _content_line_above(lines: list[str], line_no: int) -> int | None:
    """The nearest line above line `line_no` (0-based) that is neither blank nor a
    comment, within a few lines."""
    for number in range(line_no - 1, max(-1, line_no - _LOOKBACK), -1):
        content = lines[number].lstrip(" ")
        if content and content[0] != "#":
            return number
    return None


def _awaits_key(stack: list[list]) -> bool:
    """Whether the next node read is a key (of the mapping open on top of `stack`)."""
    return bool(stack) and stack[-1][0].__class__ is Map and stack[-1][1] is None


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def _quote_for(rest: str) -> str:
    """The quote to advise for a value whose rest is `rest`: a single one if it holds a
    double quote (advising `"..."` would break it again)."""
    return "'" if '"' in rest else '"'


# How far back a hint looks for what a line goes on from (a field, an opening quote).
_LOOKBACK = 200
# How many lines above where libyaml stopped a hint may read (`_LOOKBACK`, and the three
# that `_comment_in_brackets` looks above).
HINT_REACH = _LOOKBACK


_FIELD_VALUE = re.compile(r"[^\s:#][^:]*:[ \t]+(.*)")


def _field_value_above(lines: list[str], line_no: int, column: int) -> str:
    """The value written on the line of the nearest field above line `line_no` whose
    content starts at `column` ("" when there is none)."""
    for number in range(line_no - 1, max(-1, line_no - _LOOKBACK), -1):
        line = lines[number]
        start = _CONTENT_START.match(line).end()
        if start == column and line[start:].strip():
            found = _FIELD_VALUE.match(line, start)
            return found.group(1) if found else ""
    return ""


def _quote_left_open(
    lines: list[str], mark: yaml.Mark, line_offset: int
) -> tuple[int, int, str] | None:
    """When the error at `mark` follows a quote that closes a value opened on a line above:
    where it opened, and the message. Most often that quote was left open, and the value
    ran on to the next quote, lines below, where libyaml found the text after it."""
    line = lines[mark.line]
    closing = len(line[: mark.column].rstrip()) - 1
    quote = line[closing : closing + 1]
    if quote not in ("'", '"'):
        return None
    opening = _opening_quote(lines, mark.line, closing)
    if opening is None or opening[0] >= mark.line:
        return None
    return (
        *opening,
        f"this quote is not closed on its line, so the value runs on to the next {quote} "
        f"(line {mark.line + 1 + line_offset}) and text follows that: add the closing "
        "quote, or put all of the value inside the quotes",
    )


def _opening_quote(lines: list[str], line_no: int, closing: int) -> tuple[int, int] | None:
    """Where (0-based line and column) the quoted value that the quote at `closing` of
    line `line_no` closes was opened; None when not found close by. Inside the value, a
    double quote is escaped with a backslash, a single quote by doubling it."""
    quote = lines[line_no][closing]
    end = closing
    for number in range(line_no, max(-1, line_no - _LOOKBACK), -1):
        line = lines[number]
        at = line.rfind(quote, 0, end)
        while at >= 0:
            if quote == '"':
                before = at
                while before and line[before - 1] == "\\":
                    before -= 1
                if (at - before) % 2 == 0:  # not escaped
                    return number, at
                at = line.rfind(quote, 0, at)
            elif at and line[at - 1] == "'":
                at = line.rfind(quote, 0, at - 1)
            else:
                return number, at
        end = len(lines[number - 1]) if number else 0
    return None


# A line's indentation and the `- ` of the items it starts: where its content begins.
_CONTENT_START = re.compile(r" *(?:- +)*")


def _less_indented(lines: list[str], mark: yaml.Mark) -> bool:
    """Whether the line of `mark` starts left of the content of the line above it, but
    not at the margin (where a new top-level key may follow a list: another mistake)."""
    if len(lines) <= mark.line:
        return False
    above = _content_line_above(lines, mark.line)
    depth = _CONTENT_START.match(lines[above]).end() if above is not None else 0
    return 0 < _indent(lines[mark.line]) < depth


def _word_around(line: str, apostrophe: int) -> str:
    """The word an apostrophe at `apostrophe` is part of (`L'attribution`)."""
    start = apostrophe
    while start > 0 and line[start - 1] not in " '":
        start -= 1
    end = apostrophe + 1
    while end < len(line) and line[end] not in " '":
        end += 1
    return line[start:end]


def _line_of(lines: list[str], mark: yaml.Mark) -> str:
    """The line a mark is on ("" past the end)."""
    return lines[mark.line] if mark.line < len(lines) else ""


def _char_at(lines: list[str], mark: yaml.Mark | None) -> str:
    """The character a mark points at, or "" past the end of its line."""
    if mark is None:
        return ""
    return _line_of(lines, mark)[mark.column : mark.column + 1]
