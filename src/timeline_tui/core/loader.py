"""Timeline files to `Timeline` objects plus diagnostics, never an exception.

Reading goes bytes -> text (UTF-8, BOM or not) -> node tree (`yamltree`) -> model (`records`)
-> cross-checks (`validate`). Each step reports problems with a position and carries on with
what it could read, so one bad event never hides the good ones.
"""

from __future__ import annotations

import codecs
import errno
import gc
import os
import stat
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from timeline_tui.core import fastyaml, yamltree
from timeline_tui.core.blocks import Split, split_events
from timeline_tui.core.model import Diagnostic, Position, Severity, Timeline
from timeline_tui.core.records import read_timeline
from timeline_tui.core.validate import check_timeline

# Larger than any timeline a person or a feed writes (100k rich events are ~50 MB), small
# enough that a mistaken path to a disk image is refused before it is read into memory.
MAX_FILE_BYTES = 256 * 1024 * 1024


@dataclass(frozen=True)
class LoadResult:
    """What a load produced: a timeline (None when nothing could be read) and its problems."""

    timeline: Timeline | None
    diagnostics: tuple[Diagnostic, ...] = field(default=())

    @property
    def errors(self) -> tuple[Diagnostic, ...]:
        return tuple(d for d in self.diagnostics if d.is_error)

    @property
    def warnings(self) -> tuple[Diagnostic, ...]:
        return tuple(d for d in self.diagnostics if not d.is_error)

    @property
    def ok(self) -> bool:
        """True when there is a timeline and no error (warnings allowed)."""
        return self.timeline is not None and not self.errors


def load_file(path: str | os.PathLike[str]) -> LoadResult:
    """Read and load a timeline file; every OS problem becomes a diagnostic."""
    name = os.fspath(path)
    data = read_file_bytes(name)
    if isinstance(data, Diagnostic):
        return LoadResult(None, (data,))
    return load_bytes(data, name)


def read_file_bytes(name: str) -> bytes | Diagnostic:
    """The bytes of a regular file, or a diagnostic saying why it cannot be read.

    The file is opened non-blocking and checked with fstat before reading, so a FIFO, a
    device (a link to /dev/zero) or a directory is refused instead of hanging or filling memory.
    """
    where = Position(name, 1, 1)
    try:
        fd = os.open(name, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except OSError as exc:
        return Diagnostic(where, Severity.ERROR, _os_message(exc))
    try:
        info = os.fstat(fd)
        if stat.S_ISDIR(info.st_mode):
            return Diagnostic(where, Severity.ERROR, "this is a folder, not a timeline file")
        if not stat.S_ISREG(info.st_mode):
            return Diagnostic(
                where,
                Severity.ERROR,
                "not a regular file (a pipe, device or socket): give the path of a .yaml file",
            )
        if info.st_size > MAX_FILE_BYTES:
            return Diagnostic(
                where,
                Severity.ERROR,
                f"file too large ({info.st_size // (1024 * 1024)} MB; the limit is "
                f"{MAX_FILE_BYTES // (1024 * 1024)} MB): split the timeline into several files",
            )
        chunks = []
        while chunk := os.read(fd, 1 << 20):
            chunks.append(chunk)
        return b"".join(chunks)
    except OSError as exc:
        return Diagnostic(where, Severity.ERROR, _os_message(exc))
    finally:
        os.close(fd)


def _os_message(exc: OSError) -> str:
    if exc.errno == errno.ENOENT:
        return "no such file: check the path, or create one with `timeline-tui new PATH`"
    if exc.errno in (errno.EACCES, errno.EPERM):
        return "permission denied: the file cannot be read (check its permissions)"
    if exc.errno == errno.EISDIR:
        return "this is a folder, not a timeline file"
    return f"cannot read the file: {exc.strerror or exc}"


def decode(data: bytes, name: str) -> tuple[str | None, list[Diagnostic]]:
    """UTF-8 text without its BOM, or a diagnostic at the first byte that is not UTF-8."""
    # The BOM is cut off here rather than by the "utf-8-sig" codec, whose error offsets
    # count from after the BOM and would point three bytes too early.
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8) :]
    try:
        return data.decode("utf-8"), []
    except UnicodeDecodeError as exc:
        start = exc.start
        line = data.count(b"\n", 0, start) + 1
        line_start = data.rfind(b"\n", 0, start) + 1
        col = len(data[line_start:start].decode("utf-8", errors="replace")) + 1
        byte = data[start]
        message = (
            f"not valid UTF-8 (byte 0x{byte:02X}): the file seems to use another encoding, "
            "such as Latin-1 or Windows-1252; save it as UTF-8"
        )
        return None, [Diagnostic(Position(name, line, col), Severity.ERROR, message)]


def load_bytes(data: bytes, name: str = "<string>") -> LoadResult:
    text, diagnostics = decode(data, name)
    if text is None:
        return LoadResult(None, tuple(diagnostics))
    return load_text(text, name)


def load_text(text: str, name: str = "<string>") -> LoadResult:
    """Load timeline text; `name` is the file name that diagnostics show."""
    if text.startswith("\ufeff"):
        text = text[1:]
    text, control = yamltree.find_control_characters(text)
    with _collector_paused():
        split = split_events(text)
        if split is not None:
            result = _load_blocks(text, split, name, control)
            if result is not None:
                return result
        parsed = yamltree.parse(text)
        return _finish(parsed, None, name, control)


class _Blocks:
    """Reads the event blocks of a split file one at a time, so that each block's nodes
    are turned into an event and dropped before the next block is read."""

    def __init__(self, split: Split, tabs: bool) -> None:
        self.split = split
        self.tabs = tabs  # the fast reader leaves blocks with tabs to libyaml
        self.problems: list[yamltree.Problem] = []
        self.broken = False

    def __iter__(self) -> Iterator[yamltree.Node]:
        for block in self.split.blocks:
            node = None
            if not self.tabs or not any("\t" in line for line in block.lines):
                node = fastyaml.parse_block(block.lines, block.first_line)
            if node is None:
                parsed = yamltree.parse(block.text, block.first_line - 1)
                self.problems.extend(parsed.problems)
                self.broken = self.broken or parsed.syntax_error
                node = parsed.root
            if node.__class__ is yamltree.Seq:
                yield from node.items


def _header(split: Split) -> yamltree.ParsedYaml | None:
    """The document without its event lines, if its `events:` is left empty as expected."""
    header = yamltree.parse(split.header)
    root = header.root
    if header.syntax_error or root.__class__ is not yamltree.Map:
        return None
    value = root.pairs["events"][1]
    if value.__class__ is not yamltree.Scalar or value.value not in ("", "~", "null"):
        return None
    return header


def _load_blocks(
    text: str, split: Split, name: str, control: list[yamltree.Problem]
) -> LoadResult | None:
    """Load by blocks; None when the whole file must be read instead.

    If a block has a syntax error, the whole file is read by libyaml: when that succeeds
    the split was wrong and the whole read is the answer (None); when it fails too, the
    blocks that did read are kept, so one broken event does not hide the others.
    """
    header = _header(split)
    if header is None:
        return None
    blocks = _Blocks(split, "\t" in text)
    parsed = yamltree.ParsedYaml(header.root, header.problems)
    result = _finish(parsed, blocks, name, control)
    if blocks.broken and not yamltree.parse(text).syntax_error:
        return None
    return result


def _finish(
    parsed: yamltree.ParsedYaml,
    blocks: _Blocks | None,
    name: str,
    control: list[yamltree.Problem],
) -> LoadResult:
    problems = control + parsed.problems
    if parsed.syntax_error:
        # What libyaml built before the error may be cut mid-event: never show it as the
        # timeline. The problems say where to look.
        return LoadResult(None, _ordered([_diagnostic(name, p) for p in problems]))
    if parsed.root is None:
        diagnostics = [_diagnostic(name, p) for p in problems]
        if not diagnostics:
            diagnostics.append(
                Diagnostic(
                    Position(name, 1, 1),
                    Severity.ERROR,
                    "file is empty: a timeline needs a title and a list of events "
                    "(`timeline-tui new PATH` writes a starter file)",
                )
            )
        return LoadResult(None, _ordered(diagnostics))
    timeline, diagnostics = read_timeline(parsed.root, name, blocks)
    if blocks is not None:
        problems = problems + blocks.problems
    diagnostics.extend(_diagnostic(name, p) for p in problems)
    if timeline is not None:
        diagnostics.extend(check_timeline(timeline))
    return LoadResult(timeline, _ordered(diagnostics))


def parse_tree(text: str) -> yamltree.ParsedYaml:
    """The node tree of a whole timeline as the loader reads it (by blocks where the file
    allows it): for tests that hold the block reading equal to a whole-file read."""
    split = split_events(text)
    header = _header(split) if split is not None else None
    if split is None or header is None:
        return yamltree.parse(text)
    blocks = _Blocks(split, "\t" in text)
    items = yamltree.Seq(split.blocks[0].first_line, split.item_indent + 1)
    items.items.extend(blocks)
    if blocks.broken:
        whole = yamltree.parse(text)
        if not whole.syntax_error:
            return whole
    root = header.root
    assert root.__class__ is yamltree.Map
    root.pairs["events"] = (root.pairs["events"][0], items)
    problems = sorted(header.problems + blocks.problems, key=lambda p: (p.line, p.col))
    return yamltree.ParsedYaml(root, problems)


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Python's cyclic collector runs again and again while a load builds millions of
    small objects that hold no cycles; pausing it cuts the time of a big load by half."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _diagnostic(name: str, problem: yamltree.Problem) -> Diagnostic:
    return Diagnostic(Position(name, problem.line, problem.col), Severity.ERROR, problem.message)


def _ordered(diagnostics: list[Diagnostic]) -> tuple[Diagnostic, ...]:
    return tuple(sorted(diagnostics, key=lambda d: (d.pos.line, d.pos.col)))


def bundled_timeline() -> Path:
    """The timeline shipped with the package (the repository's events.yaml)."""
    package = Path(__file__).resolve().parent.parent
    installed = package / "data" / "events.yaml"
    if installed.is_file():
        return installed
    # An editable install runs from the source tree, where the file sits at the root.
    return package.parent.parent / "events.yaml"
