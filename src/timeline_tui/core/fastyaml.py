"""A fast reader for the plain subset of YAML that timeline events are written in.

libyaml's event stream costs more than a timeline needs: most event blocks are block
mappings of one-line plain or quoted scalars, flow lists of words, block lists of small
mappings, and `|`/`>` blocks. This module reads exactly that subset, one regular
expression per line, into the same nodes as `yamltree` (same values, lines and columns),
and gives up (returns None) on anything else: anchors, tags, multi-line plain or quoted
scalars, escapes, flow mappings, complex keys, tabs, deeper nesting, and every shape it
does not know to be valid. The caller then parses the block with libyaml, which stays the
authority on the YAML language; a differential test holds the two readers equal.
"""

from __future__ import annotations

import re

from timeline_tui.core.yamltree import _MAX_KEY, _NON_TEXT_KEY, Map, Node, Scalar, Seq

# A flow list of plain items made of letters, digits and ` ._/-` (a letter or digit
# first, and no space or dash last), each but the last followed by exactly ", ", as most
# tags, actors and sources are written; the group is what is between the brackets.
_WORD = r"[A-Za-z0-9][A-Za-z0-9 ._/-]*+(?<![ -])"
_WORDS = rf"\[({_WORD}(?:, {_WORD})*)\]"
# Indentation, an optional `- `, an optional `key: `; the value is the rest of the line.
# Most values are words (a title, a date, a status): such a value, when it is all the rest
# of the line, is the fourth group (a letter or digit first, and no `#`, `:`, tab or
# space at its end), which `_inline` reads as that very text; a flow list of words (as
# `_WORDS`) that ends the line is the fifth. Read here, they take a fifth less time.
_LINE = re.compile(
    r"( *)(?:(-)(?: +|$))?(?:([A-Za-z_][A-Za-z0-9_-]*):(?: +|$)"
    rf"(?:([A-Za-z0-9][^#:\t]*+(?<! )$)|{_WORDS}$)?)?"
)
# A character that may not start a plain scalar, or that starts a construct left to libyaml.
_NOT_PLAIN = frozenset("[]{},#&*!|>'\"%@`?:-")
_FLOW_ITEM = re.compile(
    r" *(?:([^,\[\]{}#'\"&*!|>%@`?:\- ][^,\[\]{}#]*?)|\"([^\"\\]*)\"|'((?:[^']|'')*)') *([,\]])"
)
_SIMPLE_FLOW = re.compile(_WORDS)
_BLOCK_HEADER = re.compile(r"[|>]([-+]?)(?: +#.*)?$")


# Keys seen to be text (`date`, `title`, ...): a few, met on every event.
_TEXT_KEYS: set[str] = set()


def _not_text_key(key: str) -> bool:
    """Whether YAML reads `key` as something other than text (a number, a boolean), or
    not at all (longer than libyaml reads)."""
    if _NON_TEXT_KEY.match(key) or len(key) > _MAX_KEY:
        return True
    if len(_TEXT_KEYS) < 256:
        _TEXT_KEYS.add(key)
    return False


class _GiveUp(Exception):
    """The block is outside the subset: let libyaml read it."""


def parse_block(lines: list[str], first_line: int) -> Seq | None:
    """The nodes of one event block (`- key: value` and the lines under it), as a sequence
    of one mapping, or None when the block is outside the subset.

    `first_line` is the 1-based line number of `lines[0]` in the file.
    """
    try:
        return _Block(lines, first_line).read()
    except _GiveUp:
        return None


def block_id(lines: list[str], first_line: int) -> Node | None:
    """The `id:` written at the top level of an event block that may not parse (`- id: x`,
    or `id: x` in line with its first key), read as the reader reads a one-line value;
    None when there is none, or none this reader can read."""
    match = _LINE.match(lines[0])
    if match is None or match.group(2) is None or match.group(3) is None:
        return None
    indent = match.start(3)
    for index, line in enumerate(lines):
        if index:
            match = _LINE.match(line)
            if match is None or len(match.group(1)) != indent or match.group(2) is not None:
                continue
        if match.group(3) != "id":
            continue
        # (Where the value starts: `match.end()` is the line's end when it is words.)
        at = match.start(4) if match[4] else match.start(5) - 1 if match[5] else match.end()
        rest = line[at:]
        if rest and rest[0] != "#":
            try:
                return _inline(rest, first_line + index, at + 1)
            except _GiveUp:
                return None
    return None


class _Block:
    __slots__ = ("first", "i", "lines", "n")

    def __init__(self, lines: list[str], first_line: int) -> None:
        self.lines = lines
        self.first = first_line
        self.n = len(lines)
        self.i = 0

    def read(self) -> Seq:
        line = self.lines[0]
        match = _LINE.match(line)
        if match is None or match.group(2) is None or match.group(3) is None:
            raise _GiveUp
        indent = len(match.group(1))
        seq = Seq(self.first, indent + 1)
        seq.items.append(self.mapping(match, match.start(3)))
        if self.i != self.n:
            raise _GiveUp  # a second item or a stray line: not one event
        return seq

    def next_content(self, index: int, indent: int) -> int:
        """The index of the next line that is neither blank nor a comment, after a value
        of a mapping or list at column `indent`."""
        lines, n = self.lines, self.n
        while index < n:
            line = lines[index]
            stripped = line.lstrip(" ")
            if stripped:
                if stripped[0] != "#":
                    return index
                if stripped[1:2] not in ("", " ") and len(line) - len(stripped) > indent:
                    raise _GiveUp  # `#word` indented under a value may be meant as its text
            index += 1
        return n

    def mapping(self, match: re.Match[str], indent: int, depth: int = 0) -> Map:
        """A block mapping whose first key is on line `self.i` (matched), at column `indent`."""
        lines, first, n = self.lines, self.first, self.n
        col = indent + 1
        mapping = Map(first + self.i, col)
        pairs = mapping.pairs
        key_text, words, items = match.group(3, 4, 5)
        while True:
            if key_text in pairs or (key_text not in _TEXT_KEYS and _not_text_key(key_text)):
                raise _GiveUp  # duplicate, non-text or too long: the libyaml builder reports it
            line_no = first + self.i
            if words is not None:
                value: Node = Scalar(words, line_no, match.start(4) + 1, True)
                self.i += 1
            elif items is not None:
                value = Seq(line_no, match.start(5), items)  # (at the `[`)
                self.i += 1
            else:
                line = lines[self.i]
                rest_col = match.end()
                rest = line[rest_col:]
                if not rest or rest[0] == "#":
                    if rest and (line[rest_col - 1] != " " or rest[1:2] not in ("", " ")):
                        raise _GiveUp  # `key: #word`: libyaml's reader warns it is a comment
                    value = self.nested(indent, line, depth)
                    if value.line != line_no:  # a list under the key (see `Map.key_node`)
                        if mapping.key_lines is None:
                            mapping.key_lines = {}
                        mapping.key_lines[key_text] = line_no
                elif rest[0] == "|" or rest[0] == ">":
                    value = self.block_scalar(rest, line_no, rest_col + 1, indent)
                else:
                    value = _inline(rest, line_no, rest_col + 1)
                    self.i += 1
            pairs[key_text] = (None, value)  # the key's node is made if asked for
            index = self.i
            if index == n:
                return mapping
            match = _LINE.match(lines[index])
            spaces, dash, key_text, words, items = match.groups()
            if key_text is None or dash is not None:
                # Not a key alone at the line's start: a blank or comment line, or a line
                # that ends the mapping.
                self.i = index = self.next_content(index, indent)
                if index == n:
                    return mapping
                match = _LINE.match(lines[index])
                spaces, dash, key_text, words, items = match.groups()
            if len(spaces) != indent or dash is not None:
                if len(spaces) > indent:
                    raise _GiveUp  # a continuation line, or indentation we do not read
                return mapping
            if key_text is None:
                raise _GiveUp

    def nested(self, key_indent: int, key_line: str, depth: int) -> Node:
        """The value under an empty `key:`: a block sequence, or nothing (null)."""
        line_no = self.first + self.i
        index = self.next_content(self.i + 1, key_indent)
        if index < self.n:
            match = _LINE.match(self.lines[index])
            indent = len(match.group(1))
            if match.group(2) is not None and indent >= key_indent and depth == 0:
                self.i = index
                return self.sequence(match, indent)
            if indent > key_indent:
                raise _GiveUp  # a nested mapping or a continuation: not in the subset
        self.i += 1
        # libyaml places an empty value just after the colon.
        return Scalar("", line_no, key_line.index(":", key_indent) + 2, True)

    def sequence(self, match: re.Match[str], indent: int) -> Seq:
        """`- item` lines at `indent` (items are one-line values or small mappings)."""
        lines = self.lines
        seq = Seq(self.first + self.i, indent + 1)
        while True:
            line = lines[self.i]
            if match.group(3) is not None:
                seq.items.append(self.mapping(match, match.start(3), depth=1))
            else:
                rest_col = match.end()
                rest = line[rest_col:]
                if not rest or rest[0] == "#" or rest[0] == "|" or rest[0] == ">":
                    raise _GiveUp  # `-` alone, or a block scalar item
                seq.items.append(_inline(rest, self.first + self.i, rest_col + 1))
                self.i = self.next_content(self.i + 1, indent)
            index = self.i
            if index == self.n:
                return seq
            match = _LINE.match(lines[index])
            found = len(match.group(1))
            if found != indent or match.group(2) is None:
                if found > indent:
                    raise _GiveUp
                return seq

    def block_scalar(self, rest: str, line_no: int, col: int, parent_indent: int) -> Scalar:
        header = _BLOCK_HEADER.match(rest)
        if header is None:
            raise _GiveUp  # indentation indicators and the like
        folded, chomp = rest[0] == ">", header.group(1)
        lines, n = self.lines, self.n
        index = self.i + 1
        body: list[str] = []
        content = -1
        while index < n:
            line = lines[index]
            stripped = line.lstrip(" ")
            indent = len(line) - len(stripped)
            if not stripped:
                if line and (content < 0 or indent > content):
                    raise _GiveUp  # spaces on a blank line: content, or an error
                if content < 0 and folded:
                    raise _GiveUp  # leading blank lines of a folded block
                body.append("")
            elif content < 0:
                if indent <= parent_indent:
                    break
                content = indent
                body.append(stripped)
            elif indent < content:
                break
            elif indent > content and folded:
                raise _GiveUp  # more indented lines fold differently
            else:
                body.append(line[content:])
            index += 1
        if content < 0:
            raise _GiveUp  # an empty block scalar: leave its details to libyaml
        if chomp == "+" and index == n:
            raise _GiveUp  # it keeps blank lines that the block split may have cut off
        trailing = 0
        while body[-1] == "":
            body.pop()
            trailing += 1
        self.i = index
        text = _fold(body) if folded else "\n".join(body)
        if chomp == "":
            text += "\n"
        elif chomp == "+":
            text += "\n" * (1 + trailing)
        return Scalar(text, line_no, col, False)


def _inline(rest: str, line_no: int, col: int) -> Node:
    """A value written on its key's line: plain, quoted, or a flow list of such values."""
    head = rest[0]
    if head == "[":
        return _flow_sequence(rest, line_no, col)
    if head == '"':
        end = rest.find('"', 1)
        if end < 0 or "\\" in rest[:end]:
            raise _GiveUp  # multi-line or escaped: libyaml decodes those
        _only_comment(rest, end + 1)
        return Scalar(rest[1:end], line_no, col, False)
    if head == "'":
        end = 1
        while True:
            end = rest.find("'", end)
            if end < 0:
                raise _GiveUp  # continues on the next line
            if rest[end + 1 : end + 2] != "'":
                break
            end += 2
        _only_comment(rest, end + 1)
        return Scalar(rest[1:end].replace("''", "'"), line_no, col, False)
    if head in _NOT_PLAIN and (head != "-" or rest[1:2] in ("", " ")):
        raise _GiveUp
    comment = rest.find(" #")
    if comment >= 0 and rest[comment + 2 : comment + 3] not in ("", " "):
        raise _GiveUp  # `#2` after a value: libyaml's reader warns that it is a comment
    value = (rest if comment < 0 else rest[:comment]).rstrip(" ")
    if ": " in value or value[-1:] == ":" or "\t" in value:
        raise _GiveUp  # `a: b` in a plain scalar is an error that libyaml words better
    return Scalar(value, line_no, col, True)


def _flow_sequence(rest: str, line_no: int, col: int) -> Seq:
    simple = _SIMPLE_FLOW.fullmatch(rest)
    if simple is not None:
        return Seq(line_no, col, simple[1])
    seq = Seq(line_no, col)
    if rest[1:].lstrip(" ")[:1] == "]":
        _only_comment(rest, rest.index("]") + 1)
        return seq
    items = seq.items
    position = 1
    while True:
        match = _FLOW_ITEM.match(rest, position)
        if match is None:
            raise _GiveUp
        plain, double, single, end = match.groups()
        if plain is not None:
            if ": " in plain or plain[-1] == ":" or " #" in plain:
                raise _GiveUp
            items.append(Scalar(plain, line_no, col + match.start(1), True))
        elif double is not None:
            items.append(Scalar(double, line_no, col + match.start(2) - 1, False))
        else:
            items.append(
                Scalar(single.replace("''", "'"), line_no, col + match.start(3) - 1, False)
            )
        position = match.end()
        if end == "]":
            _only_comment(rest, position)
            return seq


def _fold(lines: list[str]) -> str:
    """YAML folding of same-indented lines: a single break becomes a space, and a break
    followed by n blank lines becomes n breaks."""
    out: list[str] = []
    blanks = 0
    for line in lines:
        if not line:
            blanks += 1
            continue
        if out:
            out.append("\n" * blanks if blanks else " ")
        out.append(line)
        blanks = 0
    return "".join(out)


def _only_comment(rest: str, position: int) -> None:
    """After a quoted scalar or a flow list, only spaces and a comment may follow."""
    after = rest[position:]
    stripped = after.lstrip(" ")
    if stripped and (stripped[0] != "#" or after[0] != " "):
        raise _GiveUp
