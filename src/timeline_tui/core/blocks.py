"""Splitting a timeline file into its header and one block of lines per event.

Each `- ` item of the top-level `events:` list is a block that can be read on its own: by
the fast reader, by libyaml when the fast reader gives up, and, on a reload, not at all when
its text is unchanged. A syntax error in one block then costs that event only. Files whose
shape this cannot split safely (no single block-style `events:` list, anchors that may tie
blocks together, CR line breaks) are read whole.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from timeline_tui.core.quickinit import quick_init

_EVENTS_KEY = re.compile(r"events: *(?:#.*)?$", re.M)
# An anchor or alias and its name; `_anchors_and_aliases` counts it only where a node may
# start. A false alarm (`says: *this*` and `&this` elsewhere) only means the slower
# whole-file path.
_ANCHOR_OR_ALIAS = re.compile(r"([&*])([0-9A-Za-z_-]+)")  # libyaml's name characters


@quick_init
@dataclass(frozen=True, slots=True)
class Block:
    first_line: int  # 1-based line of the item's `- `
    text: str  # its lines, each ending with a newline; no trailing blank lines
    # The characters it spans in the file, blank lines after it included (not the line
    # break that ends its last line, which separates it from the next block).
    span: int

    @property
    def lines(self) -> list[str]:
        return self.text[:-1].split("\n")

    def size(self, encoded: bytes) -> int:
        """The UTF-8 bytes it spans in the file, given its `text` encoded: what it cut
        off the end is blank lines, one byte per character."""
        return len(encoded) + self.span - len(self.text)


@dataclass(frozen=True, slots=True)
class Split:
    header: str  # the file with the event lines blanked, so line numbers stay true
    blocks: list[Block]
    item_indent: int
    start: int  # where the first block starts in the text
    end: int  # where the list ends: the length of the text when nothing follows it
    first_line: int  # the line of the first block's `- `


def split_events(text: str, *, cut: bool = True) -> Split | None:
    """The header and event blocks of a timeline's text, or None to read it whole.

    Without `cut`, the blocks are left uncut (`blocks` is empty): a load that shares the
    list out among processes has each cut its own run (`runs_of_items`, `blocks_of`)."""
    if "\r" in text or _may_tie_blocks(text):
        return None
    key = _events_key(text)
    if key is None or key < 0:
        return None  # no `events:`, or a value on its line (`events: []`)
    body = key + 1
    first = _CONTENT.search(text, body)
    if first is None:
        return None
    indent = first.end() - first.start() - 1
    start = first.start()
    if not _is_item(text, start, indent):
        return None
    stop = _list_end(indent).search(text, start)
    end = stop.start() + 1 if stop is not None else len(text)
    if _events_key(text, end) is not None:
        # A duplicate `events:`, which the whole-file read reports. (Within the list, it
        # would have ended it: only the text after it needs looking through.)
        return None
    line = text.count("\n", 0, start) + 1
    blocks = _blocks(text, line, indent, start, end) if cut else []
    removed = text.count("\n", body, end)
    header = text[:body] + "\n" * removed + text[end:]
    return Split(header, blocks, indent, start, end, line)


def runs_of_items(text: str, split: Split, bounds: list[int]) -> list[tuple[int, int]]:
    """`split`'s list cut into runs of whole items, `text[start:stop]` for each (start,
    stop), near the offsets `bounds` (counted from the list's start, ascending): each
    cut is at the first item that starts there or after (or after the last cut)."""
    separator = _separator(split.item_indent)
    out: list[tuple[int, int]] = []
    start = split.start
    for bound in bounds:
        # (A separator's line break ends a run; the item starts after it.)
        stop = text.find(separator, max(start, split.start + bound), split.end)
        if stop < 0:
            break
        out.append((start, stop))
        start = stop + 1
    out.append((start, split.end))
    return out


def blocks_of(text: str, split: Split, run: tuple[int, int]) -> tuple[int, list[Block]]:
    """The blocks of a run from `runs_of_items` (as `split_events` cuts them), and the
    place of its first in the list (1-based)."""
    start, stop = run
    separator = _separator(split.item_indent)
    # The items before it: one per separator, that before `start` included.
    before = (
        text.count(separator, split.start, start - 1 + len(separator)) if start > split.start else 0
    )
    line = split.first_line + text.count("\n", split.start, start)
    return before + 1, _blocks(text, line, split.item_indent, start, stop)


def split_items(text: str, first_line: int, indent: int) -> list[Block] | None:
    """The blocks of a run of whole items of an events list whose items start at column
    `indent` (text that starts with an item and ends the line of the last), or None
    when it is not only that: it ends the list, or holds what the split cannot cut
    safely (see `split_events`)."""
    if (
        "\r" in text
        or not text.startswith(" " * indent)
        or not _is_item(text, 0, indent)
        # Part of a file: a name here may be an anchor or alias of a block elsewhere.
        or any(_anchors_and_aliases(text))
        or _list_end(indent).search(text) is not None
    ):
        return None
    return _blocks(text, first_line, indent)


def split_header(text: str, indent: int) -> Split | None:
    """The split of the start of a file, its header and some of its event blocks, that an
    edit changed; None when it is not only that, its list starting at column `indent` and
    running to its end, or when it has an anchor or alias, which may tie it to a block
    after it."""
    if any(_anchors_and_aliases(text)):
        return None
    split = split_events(text)
    if split is None or split.end != len(text) or split.item_indent != indent:
        return None
    return split


def _blocks(text: str, line: int, indent: int, start: int = 0, end: int = -1) -> list[Block]:
    """The blocks of the items of a list, `text[start:end]` (to its end by default),
    starting with the first one's `- ` on line `line`. Each block is cut from `text` once:
    splitting a copy of the list would hold a big file three times over at once."""
    if end < 0:
        end = len(text)
    separator = _separator(indent)
    blocks: list[Block] = []
    at = start
    while True:
        stop = text.find(separator, at, end)
        if stop < 0:
            stop = end
        # The block's text runs to the line break that ends its last line: trailing blank
        # lines belong to the file, not to the event; spaces at the end of the last line
        # are kept (in a `|` block they are content).
        cut = stop
        if text[stop - 1 : stop] in ("\n", " ") and stop > at:
            content = stop
            while content > at and text[content - 1] in " \n":
                content -= 1
            found = text.find("\n", content, stop)
            if found >= 0:
                cut = found
        block = text[at : cut + 1] if cut < len(text) else text[at:cut] + "\n"
        blocks.append(Block(line, block, stop - at))
        if stop == end:
            return blocks
        line += text.count("\n", at, stop) + 1
        at = stop + 1


def _separator(indent: int) -> str:
    """Within a list whose items start at column `indent`, what starts a new item, and
    nothing else does."""
    return "\n" + " " * indent + "-"


@lru_cache(maxsize=8)
def _list_end(indent: int) -> re.Pattern[str]:
    """The line break before a line that ends a list whose items start at column
    `indent`: a key (`sources:`) or a document marker that starts left of the items' `-`.
    Any other line there (a paragraph pasted into a summary, at the margin) is a mistake
    inside the list, which costs the event it is in only: as the end of the list it hid
    every event after it. So is a line at the `-` with anything but an item, a key that
    starts with a dash (`-date: 2026`) included: an item without the space after its dash.
    (Searching from the line break, not from `^`, is several times faster.)"""
    ends = r"[^ \t\n#-][^\n:]*:(?:[ \t]|$)|---|\.\.\."
    if indent:
        # Left of the items' dash, a key may start with one.
        return re.compile(rf"\n {{0,{indent - 1}}}(?:{ends}|-[^ \t\n-][^\n:]*:(?:[ \t]|$))", re.M)
    return re.compile(rf"\n(?:{ends})", re.M)


def _may_tie_blocks(text: str) -> bool:
    """Whether an alias may stand for a node of another block: some name is both given
    by an anchor (`&name`) and used by an alias (`*name`). An alias with no such anchor is
    an error within its own block (`title: *Breaking* news`), and an anchor with no alias
    ties nothing (`title: &Co wins`): neither may cost the file its reading by blocks,
    which keeps one broken event from hiding the others."""
    if "&" not in text or "*" not in text:
        return False
    anchors, aliases = _anchors_and_aliases(text)
    return not anchors.isdisjoint(aliases)


def _anchors_and_aliases(text: str) -> tuple[set[str], set[str]]:
    """The names given by anchors in `text`, and those used by aliases (only where a node
    may start)."""
    anchors: set[str] = set()
    aliases: set[str] = set()
    for match in _ANCHOR_OR_ALIAS.finditer(text):
        if _may_start_node(text, match.start()):
            (anchors if match[1] == "&" else aliases).add(match[2])
    return anchors, aliases


def _may_start_node(text: str, at: int) -> bool:
    """Whether a node may start at `at`: at a line's indentation, after `- `, `: `, `? `,
    a flow bracket or comma, or a tag. Inside prose (`with *emphasis*`) it is text."""
    end = at
    while end and text[end - 1] in " \t":
        end -= 1
    if not end or text[end - 1] in "\n-:?[{,":
        return True
    # The word before: a tag (`!!str &a`)? Looked for within a bound, so that a long line
    # of such words costs no more than once over; a longer word counts as a tag.
    bound = max(0, end - _TAG_BOUND)
    start = max(text.rfind(" ", bound, end), text.rfind("\n", bound, end))
    return start < 0 or text[start + 1] == "!"


_TAG_BOUND = 256


def _events_key(text: str, start: int = 0) -> int | None:
    """The end offset of the first top-level `events:` line from `start` on (a line's
    start; plain `str.find` is fastest); -1 for one with a value on its line (`events:
    ~`): a duplicate key all the same, of which YAML keeps the first (a list under the
    second was read as the events); None when there is none."""
    position = text.find("events:", start)
    while position >= 0:
        if position == 0 or text[position - 1] == "\n":
            match = _EVENTS_KEY.match(text, position)
            if match is not None:
                return match.end()
            if text[position + 7 : position + 8] in ("", " ", "\t", "\n"):
                return -1
        position = text.find("events:", position + 7)
    return None


# The first line after `events:` that is neither blank nor a comment, up to its first
# non-space character.
_CONTENT = re.compile(r"^ *[^ \n#]", re.M)


def _is_item(text: str, position: int, indent: int) -> bool:
    dash = position + indent
    return text[dash : dash + 1] == "-" and text[dash + 1 : dash + 2] in ("", " ", "\n")
