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

_EVENTS_KEY = re.compile(r"events: *(?:#.*)?$", re.M)
# The start of an anchor or alias name; it counts where a value may start (after a space,
# a bracket or a comma), not inside a word like `AT&T`. A false alarm (`*emphasis*` in a
# title) only means the slower whole-file path.
_ANCHOR_OR_ALIAS = re.compile(r"[&*][^\s,\]}]")


@dataclass(frozen=True, slots=True)
class Block:
    first_line: int  # 1-based line of the item's `- `
    lines: list[str]

    @property
    def text(self) -> str:
        return "\n".join(self.lines) + "\n"


@dataclass(frozen=True, slots=True)
class Split:
    header: str  # the file with the event lines blanked, so line numbers stay true
    blocks: list[Block]
    item_indent: int


def split_events(text: str) -> Split | None:
    """The header and event blocks of a timeline's text, or None to read it whole."""
    if "\r" in text or _may_tie_blocks(text):
        return None
    keys = _events_keys(text)
    if len(keys) != 1:
        return None  # none, or a duplicate `events:` that the whole-file read reports
    body = keys[0] + 1
    first = _CONTENT.search(text, body)
    if first is None:
        return None
    indent = first.end() - first.start() - 1
    if not _is_item(text, first.start(), indent):
        return None
    # Every line whose first character stands at or left of the items' `-`: item starts,
    # and the key (or `---`) that ends the list. Lines of an event are indented further.
    starts: list[int] = []
    end = len(text)
    edge = re.compile(rf"^ {{0,{indent}}}[^ \n#]", re.M)
    for match in edge.finditer(text, first.start()):
        position = match.start()
        if match.end() - position - 1 == indent and _is_item(text, position, indent):
            starts.append(position)
        else:
            end = position
            break
    line_of_body = text.count("\n", 0, body) + 1
    blocks: list[Block] = []
    line = line_of_body + text.count("\n", body, starts[0])
    for start, stop in zip(starts, [*starts[1:], end], strict=True):
        lines = text[start:stop].split("\n")
        count = len(lines) - 1
        while lines and not lines[-1].strip():
            lines.pop()  # trailing blank lines belong to the file, not to the event
        blocks.append(Block(line, lines))
        line += count
    removed = text.count("\n", body, end)
    header = text[:body] + "\n" * removed + text[end:]
    return Split(header, blocks, indent)


def _may_tie_blocks(text: str) -> bool:
    if "&" not in text and "*" not in text:
        return False
    for match in _ANCHOR_OR_ALIAS.finditer(text):
        start = match.start()
        if start == 0 or text[start - 1] in " \t\n[{,":
            return True
    return False


def _events_keys(text: str) -> list[int]:
    """The end offsets of the top-level `events:` lines (plain `str.find` is fastest)."""
    found = []
    position = text.find("events:")
    while position >= 0:
        if position == 0 or text[position - 1] == "\n":
            match = _EVENTS_KEY.match(text, position)
            if match is not None:
                found.append(match.end())
        position = text.find("events:", position + 7)
    return found


# The first line after `events:` that is neither blank nor a comment, up to its first
# non-space character.
_CONTENT = re.compile(r"^ *[^ \n#]", re.M)


def _is_item(text: str, position: int, indent: int) -> bool:
    dash = position + indent
    return text[dash : dash + 1] == "-" and text[dash + 1 : dash + 2] in ("", " ", "\n")
