"""Timeline files to `Timeline` objects plus diagnostics, never an exception.

Reading goes bytes -> text (UTF-8, BOM or not) -> node tree (`yamltree`) -> model (`records`)
-> cross-checks (`validate`). Each step reports problems with a position and carries on with
what it could read, so one bad event never hides the good ones.
"""

from __future__ import annotations

import codecs
import errno
import gc
import hashlib
import os
import stat
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path

from timeline_tui.core import fastyaml, yamltree
from timeline_tui.core.blocks import Block, Split, split_events
from timeline_tui.core.model import Diagnostic, Event, Position, Severity, Timeline
from timeline_tui.core.records import Reader, read_timeline
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
            return Diagnostic(where, Severity.ERROR, _FOLDER)
        if not stat.S_ISREG(info.st_mode):
            return Diagnostic(
                where,
                Severity.ERROR,
                "not a regular file: a pipe, a device or a socket is never read as a "
                "timeline; give the path of a .yaml file",
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


# Each message says what is wrong, then after ": " what to do: the app's header shows
# only what is wrong, so keep that part short.
_FOLDER = "a folder, not a file: give the path of a timeline .yaml file"


def _os_message(exc: OSError) -> str:
    if exc.errno == errno.ENOENT:
        return "no such file: check the path, or create one with `timeline-tui new PATH`"
    if exc.errno in (errno.EACCES, errno.EPERM):
        return "permission denied: the file cannot be read (check its permissions)"
    if exc.errno == errno.EISDIR:
        return _FOLDER
    return f"cannot read the file ({exc.strerror or exc})"


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
        # The bytes before the first bad one are valid UTF-8. Lines end at CR, LF or CRLF
        # there, as the YAML reader counts them: a file saved with old-Mac CR line endings
        # is often in an old encoding too, and its error must point at the right line.
        before = data[:start].decode("utf-8")
        line, col = yamltree.line_col(before, len(before))
        byte = data[start]
        message = (
            f"not valid UTF-8 (byte 0x{byte:02X}): the file seems to use another encoding, "
            "such as Latin-1 or Windows-1252; save it as UTF-8"
        )
        return None, [Diagnostic(Position(name, line, col), Severity.ERROR, message)]


def load_bytes(data: bytes, name: str = "<string>", progress: Progress | None = None) -> LoadResult:
    text, diagnostics = decode(data, name)
    if text is None:
        return LoadResult(None, tuple(diagnostics))
    return load_text(text, name, progress)


Progress = Callable[[Timeline, int], None]


def load_text(text: str, name: str = "<string>", progress: Progress | None = None) -> LoadResult:
    """Load timeline text; `name` is the file name that diagnostics show.

    `progress`, if given, is called now and then during a long load with the timeline read
    so far and the number of events the file holds.
    """
    return BlockLoader(name).load(text, progress)


@dataclass(frozen=True, slots=True)
class _Read:
    """What one event block gave: its event (if any) and its problems, at its place."""

    first_line: int
    index: int
    event: Event | None
    diagnostics: tuple[Diagnostic, ...]
    broken: bool  # a syntax error: the block could not be read as YAML
    # A YAML problem may name a line in its message ("first at line 12"), which moving the
    # diagnostic cannot shift: such a block is read again when it moves.
    names_lines: bool

    def moved(self, first_line: int, index: int) -> _Read:
        """The same block read at another place in the file."""
        shift = first_line - self.first_line
        event = self.event
        if event is not None and (shift or index != event.index):
            assert event.pos is not None
            pos = event.pos._replace(line=event.pos.line + shift)
            event = replace(event, pos=pos, index=index)
        diagnostics = tuple(
            replace(d, pos=d.pos._replace(line=d.pos.line + shift)) for d in self.diagnostics
        )
        return _Read(first_line, index, event, diagnostics, self.broken, self.names_lines)


class BlockLoader:
    """Loads a timeline, remembering what each event block gave, so that loading the file
    again after an edit reads only the blocks whose text changed."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.blocks: dict[bytes, _Read] = {}
        # The generation before: an editor that truncates the file and then writes it lets
        # a reload see it empty or cut for a moment; what the full file gave must survive.
        self.older: dict[bytes, _Read] = {}

    def load(self, text: str, progress: Progress | None = None) -> LoadResult:
        if text.startswith("\ufeff"):
            text = text[1:]
        text, control = yamltree.find_control_characters(text)
        with _collector_paused():
            split = split_events(text)
            if split is not None:
                result = self._load_blocks(text, split, control, progress)
                if result is not None:
                    return result
            return _load_whole(yamltree.parse(text), self.name, control)

    def _load_blocks(
        self,
        text: str,
        split: Split,
        control: list[yamltree.Problem],
        progress: Progress | None,
    ) -> LoadResult | None:
        """Load by blocks; None when the whole file must be read instead.

        If a block has a syntax error, the whole file is read by libyaml: when that
        succeeds the split was wrong and the whole read is the answer (None); when it fails
        too, the blocks that did read are kept, so one broken event does not hide others.
        """
        parsed_header = _header(split)
        if parsed_header is None:
            return None
        reader = Reader(self.name)
        header = reader.header(parsed_header.root)
        assert header is not None
        tabs = "\t" in text
        known, older, fresh = self.blocks, self.older, {}
        events: list[Event] = []
        diagnostics = [_diagnostic(self.name, p) for p in control + parsed_header.problems]
        broken = False
        total, next_report = len(split.blocks), 500
        for index, block in enumerate(split.blocks, 1):
            key = hashlib.blake2b(block.text.encode(), digest_size=16).digest()
            read = known.get(key) or older.get(key)
            if read is None or (read.names_lines and read.first_line != block.first_line):
                read = self._read(reader, block, index, tabs)
            elif read.first_line != block.first_line or read.index != index:
                read = read.moved(block.first_line, index)
            fresh[key] = read
            if read.event is not None:
                events.append(read.event)
            diagnostics.extend(read.diagnostics)
            broken = broken or read.broken
            if progress is not None and index == next_report:
                next_report *= 2
                # The ids of a partial timeline are provisional; their problems are not kept.
                progress(Reader(self.name).finish(header, events), total)
        if broken and not yamltree.parse(text).syntax_error:
            return None
        # A version that lost blocks may be a cut one: keep what the longer one gave.
        self.older = known if len(fresh) < len(known) else {}
        self.blocks = fresh
        timeline = reader.finish(header, events)
        diagnostics.extend(reader.diagnostics)
        diagnostics.extend(check_timeline(timeline))
        return LoadResult(timeline, _ordered(diagnostics))

    def _read(self, reader: Reader, block: Block, index: int, tabs: bool) -> _Read:
        node, problems, broken = _block_nodes(block, tabs)
        before = len(reader.diagnostics)
        event = None
        if node.__class__ is yamltree.Seq:
            for item in node.items:
                if item.__class__ is yamltree.Map:
                    event = reader.event(item, index) or event
                elif item.__class__ is not yamltree.Invalid:
                    reader.error(item, "each item of events must be a mapping (field: value)")
        found = [_diagnostic(self.name, p) for p in problems] + reader.diagnostics[before:]
        del reader.diagnostics[before:]
        return _Read(block.first_line, index, event, tuple(found), broken, bool(problems))


def _block_nodes(
    block: Block, tabs: bool
) -> tuple[yamltree.Node | None, list[yamltree.Problem], bool]:
    """The nodes of one event block: by the fast reader, else by libyaml."""
    if not tabs or "\t" not in block.text:
        node = fastyaml.parse_block(block.lines, block.first_line)
        if node is not None:
            return node, [], False
    # The block's list is the value of the root mapping's `events`: one level down.
    parsed = yamltree.parse(block.text, block.first_line - 1, depth=1)
    return parsed.root, parsed.problems, parsed.syntax_error


def _header(split: Split) -> yamltree.ParsedYaml | None:
    """The document without its event lines, if its `events:` is left empty as expected."""
    header = yamltree.parse(split.header)
    root = header.root
    if header.syntax_error or root.__class__ is not yamltree.Map:
        return None
    # The `events:` line may not be in the root: the parse stops at a second document
    # (`---`) and keeps the first one, which the whole-file read reports.
    found = root.pairs.get("events")
    if found is None:
        return None
    value = found[1]
    if value.__class__ is not yamltree.Scalar or value.value not in ("", "~", "null"):
        return None
    return header


def _load_whole(
    parsed: yamltree.ParsedYaml, name: str, control: list[yamltree.Problem]
) -> LoadResult:
    diagnostics = [_diagnostic(name, p) for p in control + parsed.problems]
    if parsed.syntax_error:
        # What libyaml built before the error may be cut mid-event: never show it as the
        # timeline. The problems say where to look.
        return LoadResult(None, _ordered(diagnostics))
    if parsed.root is None:
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
    timeline, found = read_timeline(parsed.root, name)
    diagnostics.extend(found)
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
    items = yamltree.Seq(split.blocks[0].first_line, split.item_indent + 1)
    problems = list(header.problems)
    broken = False
    for block in split.blocks:
        node, found, syntax_error = _block_nodes(block, "\t" in text)
        problems.extend(found)
        broken = broken or syntax_error
        if node.__class__ is yamltree.Seq:
            items.items.extend(node.items)
    if broken:
        whole = yamltree.parse(text)
        if not whole.syntax_error:
            return whole
    root = header.root
    assert root.__class__ is yamltree.Map
    root.pairs["events"] = (root.pairs["events"][0], items)
    return yamltree.ParsedYaml(root, sorted(problems, key=lambda p: (p.line, p.col)))


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Python's cyclic collector runs again and again while a load builds millions of
    small objects that hold no cycles; pausing it cuts the time of a big load by half.

    The objects that survive the load are then frozen (moved out of the collector's sight):
    otherwise the next allocation would start a full collection over all of them, a
    third of a second at 100k events, and again and again later, in the middle of a key
    press. They hold no cycles, so reference counting still frees them.

    But everything alive is frozen, garbage with cycles that the collector has not reached
    yet included, and that is never freed: it is collected first. Earlier loads froze all
    that was older, so this scans only what was made since (a millisecond or so)."""
    enabled = gc.isenabled()
    if enabled:
        gc.collect()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.freeze()
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
