"""Timeline files to `Timeline` objects plus diagnostics, never an exception.

Reading goes bytes -> text (UTF-8, BOM or not) -> node tree (`yamltree`) -> model (`records`)
-> cross-checks (`validate`). Each step reports problems with a position and carries on with
what it could read, so one bad event never hides the good ones.
"""

from __future__ import annotations

import codecs
import errno
import hashlib
import os
import re
import stat
import weakref
from array import array
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from itertools import chain, pairwise
from pathlib import Path
from typing import BinaryIO

from timeline_tui.core import fastyaml, yamltree
from timeline_tui.core.blocks import (
    Block,
    Split,
    blocks_of,
    runs_of_items,
    split_events,
    split_header,
    split_items,
)
from timeline_tui.core.changed import CHUNK, Fingerprint, changed_span
from timeline_tui.core.forked import forked_map, runs
from timeline_tui.core.memory import collector_paused
from timeline_tui.core.model import Diagnostic, Event, Position, Severity, Timeline
from timeline_tui.core.pickled import by_fields
from timeline_tui.core.quickinit import quick_init
from timeline_tui.core.records import Reader, assign_ids, name_left_out, read_timeline
from timeline_tui.core.validate import Checks, EventChecks, check_timeline, left_out_ids

# Larger than any timeline a person or a feed writes (100k rich events are ~50 MB), small
# enough that a mistaken path to a disk image is refused before it is read into memory.
MAX_FILE_BYTES = 256 * 1024 * 1024


@dataclass(frozen=True)
class Edit:
    """What a reload changed in the timeline of the load it was an edit of (`base`, held
    weakly): the events of the span it read again, as they were, and the ids of those
    there now. The app carries over the events an error leaves out from these, rather
    than compare all the ids of two versions (60 ms at 100k events)."""

    base: weakref.ReferenceType[Timeline]
    before: tuple[Event, ...]
    after: frozenset[str]


@dataclass(frozen=True)
class LoadResult:
    """What a load produced: a timeline (None when nothing could be read) and its problems."""

    timeline: Timeline | None
    diagnostics: tuple[Diagnostic, ...] = field(default=())
    # Set when the load was an edit of the one before (see `BlockLoader`); never pickled.
    edit: Edit | None = field(default=None, compare=False, repr=False)

    def __getstate__(self) -> dict[str, object]:
        state = dict(self.__dict__)
        state.pop("edit", None)
        return state

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
        nearby = _nearby_name(name) if exc.errno == errno.ENOENT else ""
        return Diagnostic(where, Severity.ERROR, _os_message(exc, nearby))
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
            return _too_large(where, f"{info.st_size // (1024 * 1024)} MB")
        # One read of the size fstat gave: half the time of reading it in chunks and
        # joining them. Then on to the end, for a file that grew or a short read.
        chunks = [os.read(fd, info.st_size + 1)]
        while chunk := os.read(fd, 1 << 20):
            chunks.append(chunk)
        return chunks[0] if len(chunks) == 1 else b"".join(chunks)
    except OSError as exc:
        return Diagnostic(where, Severity.ERROR, _os_message(exc))
    finally:
        os.close(fd)


def read_stream(stream: BinaryIO, name: str) -> bytes | Diagnostic:
    """All of a stream (standard input), or a diagnostic when it holds more than a file may
    (`cat /dev/zero | timeline-tui validate -` would fill memory)."""
    data = stream.read(MAX_FILE_BYTES + 1)
    if len(data) > MAX_FILE_BYTES:
        return _too_large(Position(name, 1, 1), f"more than {MAX_FILE_BYTES // (1024 * 1024)} MB")
    return data


def _too_large(where: Position, size: str) -> Diagnostic:
    return Diagnostic(
        where,
        Severity.ERROR,
        f"file too large ({size}; the limit is {MAX_FILE_BYTES // (1024 * 1024)} MB): "
        "split the timeline into several files",
    )


# Each message says what is wrong, then after ": " what to do: the app's header shows
# only what is wrong, so keep that part short.
_FOLDER = "a folder, not a file: give the path of a timeline .yaml file"


def _nearby_name(name: str) -> str:
    """` (did you mean 'big.yaml'?)` for `big.yml`: a file of its folder named nearly so
    (a user pass found the mistyped commands got one, and mistyped paths none)."""
    folder, base = os.path.split(name)
    try:
        names = [n for n in os.listdir(folder or ".") if n.endswith((".yaml", ".yml"))]
    except OSError:
        return ""
    import difflib  # (here: most commands never need it)

    close = difflib.get_close_matches(base, names, n=1, cutoff=0.75)
    return f" (did you mean '{os.path.join(folder, close[0])}'?)" if close else ""


def _os_message(exc: OSError, nearby: str = "") -> str:
    if exc.errno == errno.ENOENT:
        return f"no such file{nearby}: check the path, or create one with `timeline-tui new PATH`"
    if exc.errno in (errno.EACCES, errno.EPERM):
        return "permission denied: the file cannot be read (check its permissions)"
    if exc.errno == errno.EISDIR:
        return _FOLDER
    return f"cannot read the file ({exc.strerror or exc})"


def decode(data: bytes, name: str, *, wide: bool = True) -> tuple[str | None, list[Diagnostic]]:
    """UTF-8 text without its BOM, or a diagnostic at the first byte that is not UTF-8.
    `wide`: tell a UTF-16 or UTF-32 file (False: it was told from the bytes before)."""
    # The BOM is cut off here rather than by the "utf-8-sig" codec, whose error offsets
    # count from after the BOM and would point three bytes too early.
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8) :]
    found = _wide_diagnostic(data, name) if wide else None
    if found is not None:
        return None, [found]
    try:
        return data.decode("utf-8"), []
    except UnicodeDecodeError as exc:
        if b"\0" in data[:8000]:  # as git tells a binary file
            message = (
                "not a text file (it holds NUL bytes, as a program, an image or an archive "
                "does): a timeline is a YAML text file, in UTF-8"
            )
            return None, [Diagnostic(Position(name, 1, 1), Severity.ERROR, message)]
        start = exc.start
        # The bytes before the first bad one are valid UTF-8. Lines end at CR, LF or CRLF
        # there, as the YAML reader counts them: a file saved with old-Mac CR line endings
        # is often in an old encoding too, and its error must point at the right line.
        before = data[:start].decode("utf-8")
        # A CR alone counts as the whole file has it count (see `cr_ends_lines`).
        cr = yamltree.cr_ends_lines(data.decode("utf-8", errors="replace"))
        line, col = yamltree.line_col(before, len(before), cr=cr)
        byte = data[start]
        message = (
            f"not valid UTF-8 (byte 0x{byte:02X}): the file seems to use another encoding, "
            "such as Latin-1 or Windows-1252; save it as UTF-8"
        )
        return None, [Diagnostic(Position(name, line, col), Severity.ERROR, message)]


def _wide_diagnostic(data: bytes, name: str) -> Diagnostic | None:
    """The error of a file in UTF-16 or UTF-32 (`data` without a UTF-8 BOM), if it is."""
    wide = _wide_encoding(data)
    if wide is None:
        return None
    message = f"the file is {wide}, not UTF-8: save it as UTF-8"
    return Diagnostic(Position(name, 1, 1), Severity.ERROR, message)


def _wide_encoding(data: bytes) -> str | None:
    """'UTF-16' or 'UTF-32' when the file says so with its byte order mark, or shows it
    with a NUL beside every ASCII character ("Unicode" in Windows' Save As)."""
    if data.startswith((codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)):
        return "UTF-32"
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "UTF-16"
    head = data[: len(data[:64]) // 2 * 2]
    even, odd = head[0::2].count(0), head[1::2].count(0)
    half = len(head) // 2
    if half >= 4 and (even, odd) in ((0, half), (half, 0)):
        return "UTF-16"  # ASCII with a NUL on one side of each: not a file of NULs
    # Text that does not start in ASCII (`title: 東京`): it reads as UTF-16 with no
    # control character but line ends and tabs, and holds a `:` (every timeline does).
    # A program or an image, read so, is full of controls (a review).
    head = data[: len(data[:8000]) // 2 * 2]
    if b"\0" in head:
        for codec in ("utf-16-le", "utf-16-be"):
            text = head.decode(codec, errors="replace")
            if ":" in text and not _CONTROLS_BUT_BREAKS.search(text):
                return "UTF-16"
    return None


_CONTROLS_BUT_BREAKS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffd]")


_CONFLICT_START = "<<<<<<<"
# The lines git writes around a conflict (`|||||||` with merge.conflictStyle=diff3).
_CONFLICT_LINE = re.compile(r"^((?:<{7}|\|{7}|={7}|>{7})(?: [^\r\n]*)?)\r?$", re.MULTILINE)


def merge_conflicts(text: str, name: str) -> list[Diagnostic]:
    """An error for each git merge conflict left in the text: YAML reads its marker lines
    as mistakes of indentation or as a '>' block, and one side of a conflict on a field
    at the margin as the file's (a user pass). Neither side is the file."""
    if _CONFLICT_START not in text:  # one scan of the text, in C
        return []
    found: list[Diagnostic] = []
    start: tuple[int, str] | None = None
    line, counted_to = 1, 0
    for match in _CONFLICT_LINE.finditer(text):
        line += text.count("\n", counted_to, match.start())
        counted_to = match.start()
        marker = match[1] if len(match[1]) <= 40 else match[1][:39] + "…"
        if marker.startswith("<"):
            start = (line, marker)
        elif marker.startswith(">") and start is not None:
            found.append(_conflict(name, start, (line, marker)))
            start = None
    if start is not None:  # no end: to the end of the file
        found.append(_conflict(name, start, None))
    return found


def _conflict(name: str, start: tuple[int, str], end: tuple[int, str] | None) -> Diagnostic:
    first, opening = start
    span = f"lines {first}–{end[0]}, '{opening}' to '{end[1]}'" if end else f"from line {first}"
    return Diagnostic(
        Position(name, first, 1),
        Severity.ERROR,
        f"unresolved git merge conflict ({span}): keep the side you want, or both, delete "
        "the lines git added ('<<<<<<<', '=======', '>>>>>>>'), and save; the file is not "
        "read until then",
    )


def load_bytes(data: bytes, name: str = "<string>", progress: Progress | None = None) -> LoadResult:
    text, diagnostics = decode(data, name)
    if text is None:
        return LoadResult(None, tuple(diagnostics))
    return load_text(text, name, progress)


# Called with the events read so far, how many the file holds, and now and then (ever
# further apart: it takes sorting them) a timeline of those read, else None.
Progress = Callable[[int, int, Timeline | None], None]


class LoadStopped(Exception):
    """A load given up half-way, as its `stop()` asked (the app is quitting)."""


# How many event blocks a load reads between two looks at whether to stop.
STOP_CHECK = 512
# How many between two reports of the count read, between the timelines of them.
COUNT_EVERY = 2_000


def load_text(text: str, name: str = "<string>", progress: Progress | None = None) -> LoadResult:
    """Load timeline text; `name` is the file name that diagnostics show.

    `progress`, if given, is called now and then during a long load with the timeline read
    so far and the number of events the file holds.
    """
    return BlockLoader(name).load(text, progress)


# The digest of a block's text: what finds an earlier read of the same text.
DIGEST = 16
# A first load shares its list out among processes only if each gets this many of its
# characters (some 2000 blocks): fewer take less time to read than a fork and the
# pickling cost.
MIN_SHARE = 1_000_000
# A child process also pickles what it read (measured at 100k events: 54 µs a block to
# read here, 56 in a child, and 6 to pickle): the parent reads a larger share, so that
# both are done at once (the parent then unpickles the child's share).
PARENT_SHARE = 1.15


@quick_init
@dataclass(frozen=True, slots=True)
class _Read:
    """What one event block gave: its event (if any) and its problems, at its place."""

    __reduce__ = by_fields  # a forked reader sends them back pickled

    first_line: int
    line: int  # the line its item starts on (see `Timeline.lines`)
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
        event = _renumbered(self.event, index)
        diagnostics = _shifted(self.diagnostics, shift)
        return _Read(
            first_line, self.line + shift, index, event, diagnostics, self.broken, self.names_lines
        )


def _renumbered(event: Event | None, index: int) -> Event | None:
    """An event read at place `index` of its list."""
    if event is not None and index != event.index:
        return event.renumbered(index)
    return event


def _shifted(diagnostics: tuple[Diagnostic, ...], lines: int) -> tuple[Diagnostic, ...]:
    """Diagnostics moved down `lines` lines."""
    if not diagnostics or not lines:
        return diagnostics
    return tuple(replace(d, pos=d.pos._replace(line=d.pos.line + lines)) for d in diagnostics)


@dataclass(slots=True)
class _Generation:
    """What a load left for the next one, when the file is one header followed by a list
    of events that runs to its end, with no problem beyond single events: an edit
    within the list is then loaded by reading the blocks it touched, and nothing else.

    What each block gave is kept by column, a place per block in file order, rather than
    as a `_Read` per block: at 100k events, objects per block cost 20 MB more."""

    # The file, without a byte order mark: its bytes, or once `BlockLoader.compact` has
    # let them go, their fingerprint.
    seen: bytes | Fingerprint
    size: int
    newlines: int
    starts: array[int]  # where each block starts in the file
    lines: array[int]  # the line each block starts on
    keys: bytes  # the digest of each block's text, DIGEST bytes each
    raws: list[Event | None]  # each block's event as read: with the id written, if any
    found: list[tuple[Diagnostic, ...]]  # each block's own problems
    events: list[Event | None]  # each block's event as shown: with its id
    # Each block's problems, its cross-checks' included, in order of position.
    problems: list[tuple[Diagnostic, ...]]
    named: list[int]  # the blocks whose problems name a line in their message
    broken: list[int]  # the blocks that have a syntax error
    relating: list[int]  # the blocks whose event names others in `related:`
    fixed: tuple[Diagnostic, ...]  # the problems before the list: the header's
    timeline: Timeline
    indent: int
    derived: bool  # some event has an id made from its date and title
    # When the header has a syntax error and a stand-in holds its place (see
    # `_stand_in_header`): the file up to its list of events.
    stand_in: str | None

    def diagnostics(self) -> tuple[Diagnostic, ...]:
        found = tuple(chain.from_iterable(self.problems))  # in order of position
        if self.stand_in is None:
            return self.fixed + found
        # A syntax error in a stand-in's header may be told where the file ends: each of
        # its problems goes in place, as `_ordered` puts it (before those of its place).
        out: list[Diagnostic] = []
        at = 0
        for problem in self.fixed:
            place = (problem.pos.line, problem.pos.col)
            k = bisect_left(found, place, lo=at, key=_place)
            out += found[at:k]
            out.append(problem)
            at = k
        out += found[at:]
        return tuple(out)

    def __len__(self) -> int:
        return len(self.raws)

    def key(self, k: int) -> bytes:
        return self.keys[k * DIGEST : (k + 1) * DIGEST]

    def read(self, k: int) -> _Read:
        """What block k gave."""
        lines, items = self.lines, self.timeline.lines
        return _read_of(k, lines, items, self.raws, self.found, self.broken, self.named)

    def by_digest(self, first: int, stop: int) -> dict[bytes, _Read]:
        """What blocks first:stop gave, by the digest of their text."""
        return {self.key(k): self.read(k) for k in range(first, stop)}


class _Columns:
    """What each block of a load gave, by column as a `_Generation` keeps it, filled as
    each block is read: while its read is at hand (at 100k events, each pass over them
    afterwards cost 10-20 ms), and sent back so by a forked reader (a `_Read` and a tuple
    per block took a third longer to pickle and to unpickle)."""

    __slots__ = (
        "broken",
        "checked",
        "first_lines",
        "found",
        "item_lines",
        "keys",
        "named",
        "raws",
        "starts",
    )

    def __init__(self) -> None:
        self.starts = array("q")  # where each block starts, in bytes
        self.keys: list[bytes] = []  # the digest of each block's text
        self.first_lines = array("q")
        self.item_lines = array("q", [0])  # counted from 1 (see `Timeline.lines`)
        self.raws: list[Event | None] = []
        self.found: list[tuple[Diagnostic, ...]] = []  # each block's own problems
        self.checked: list[tuple[Diagnostic, ...]] = []  # what its `EventChecks` found
        self.broken: list[int] = []
        self.named: list[int] = []

    def add(self, start: int, key: bytes, read: _Read, checked: tuple[Diagnostic, ...]) -> None:
        """Block `read.index` (the next one), which starts at byte `start`."""
        self.starts.append(start)
        self.keys.append(key)
        self.first_lines.append(read.first_line)
        self.item_lines.append(read.line)
        self.raws.append(read.event)
        self.found.append(read.diagnostics)
        self.checked.append(checked)
        if read.broken:
            self.broken.append(read.index - 1)
        if read.names_lines:
            self.named.append(read.index - 1)

    def extend(self, other: _Columns, shift: int) -> None:
        """Add the blocks of `other`, the run that follows, whose bytes are counted from
        `shift`."""
        self.starts.extend([start + shift for start in other.starts])
        self.keys += other.keys
        self.first_lines += other.first_lines
        self.item_lines += other.item_lines[1:]
        self.raws += other.raws
        self.found += other.found
        self.checked += other.checked
        self.broken += other.broken
        self.named += other.named

    def events(self) -> list[Event]:
        return [event for event in self.raws if event is not None]

    def reads(self) -> dict[bytes, _Read]:
        """What each block gave, by the digest of its text."""
        lines, items, raws, found = self.first_lines, self.item_lines, self.raws, self.found
        return {
            key: _read_of(k, lines, items, raws, found, self.broken, self.named)
            for k, key in enumerate(self.keys)
        }


def _read_of(
    k: int,
    lines: array[int],
    items: Sequence[int],
    raws: list[Event | None],
    found: list[tuple[Diagnostic, ...]],
    broken: list[int],
    named: list[int],
) -> _Read:
    """What block k gave, from the columns of its load: the lines blocks start on, those
    their items start on (counted from 1, see `Timeline.lines`), their events as read,
    their own problems, and which are broken and which name lines."""
    return _Read(
        lines[k], items[k + 1], k + 1, raws[k], found[k], _holds(broken, k), _holds(named, k)
    )


def _holds(ascending: list[int], k: int) -> bool:
    at = bisect_left(ascending, k)
    return at < len(ascending) and ascending[at] == k


def _reads_whole(data: bytes, starts: array[int], broken: int, window: int = 1 << 16) -> bool:
    """Whether a timeline file (`data`, its blocks starting at `starts`) reads as YAML
    when read whole, its block `broken` being the first that could not be read alone:
    then the split into blocks was wrong (a quoted value runs on over a line that looked
    like the next item), and the whole read is the answer.

    The blocks before `broken` are whole items that read cleanly, so libyaml reaches it
    in the state it is in after the first of them: the others are left out. And the
    answer, an error almost always, is where the slip is: the text after the broken block
    is read a `window` of whole lines at a time, growing, until libyaml finds the error
    well before the window's end, where what it read ahead of it is in the window too (a
    quote left open in one event of 100k took 2.5 s to show, reading the whole file)."""
    head = data[: starts[min(broken, 1)]]
    at = starts[broken]
    while at + window < len(data):
        cut = data.rfind(b"\n", at, at + window) + 1
        if cut > at:
            part = head + data[at:cut]
            error, line = yamltree.syntax_verdict(part)
            if 0 <= line < part.count(b"\n") - 2:
                return not error
        window *= 4
    return not yamltree.has_syntax_error(head + data[at:])


class _Digests:
    """The reads of a generation by the digest of their text, for one load: only the
    blocks found are made into `_Read`s."""

    __slots__ = ("_at", "generation")

    def __init__(self, generation: _Generation) -> None:
        self.generation = generation
        self._at = {generation.key(k): k for k in range(len(generation))}

    def __len__(self) -> int:
        return len(self._at)  # distinct texts, as for a dict of reads

    def get(self, key: bytes) -> _Read | None:
        k = self._at.get(key)
        return None if k is None else self.generation.read(k)


# What earlier loads read, by the digest of each block's text.
Known = dict[bytes, _Read] | _Digests


class BlockLoader:
    """Loads a timeline, remembering what each event block gave, so that loading the file
    again after an edit reads only the blocks whose text changed."""

    def __init__(self, name: str, processes: int = 1) -> None:
        self.name = name
        # How many processes may read a first load's blocks (see `forked`).
        self.processes = processes
        # What the last load read, never changed once made (a thread may pickle it while
        # the next load runs): a generation, or the reads by digest when it left none.
        self.known: _Generation | dict[bytes, _Read] = {}
        # The generation before: an editor that truncates the file and then writes it lets
        # a reload see it empty or cut for a moment; what the full file gave must survive.
        self.older: Known = {}
        self._last: _Generation | None = None
        # The ids of `_last`'s events, once an edit needed them (5 MB at 100k events): each
        # edit after it changes them in place, where making them again took 27 ms (80 in
        # the app) of each edit that let an event in, left one out or renamed one. Only
        # this loader's loads, which take turns, use it: never pickled with `known`.
        self._ids: set[str] | None = None
        # The blocks the last load read, when it loaded an edit by reading only the blocks
        # the edit touched; None when it went through the whole file.
        self.edit_reads: int | None = None
        # Blocks read by this process (a forked child's are not counted): for edit_reads.
        self._blocks_read = 0

    def adopt(self, known: object) -> bool:
        """Take what a load of the same bytes read (`known`, from the cache) as this
        loader's own last load; False, taking nothing, if it is not what a load leaves."""
        if isinstance(known, _Generation):
            self.known = self._last = known
            self._ids = None
        elif isinstance(known, dict):
            self.known = known
        else:
            return False
        return True

    def make_ids(self) -> None:
        """Make the set of the last load's ids (see `_ids`) now, while nothing waits for
        it: the first edit that needs it took 0.15 s at 100k events in the app, not 0.07."""
        if self._ids is None and self._last is not None:
            self._ids = {e.id for e in self._last.timeline.events}

    def compact(self, chunk: int = CHUNK) -> None:
        """Let go of the last file's bytes, keeping only what finds the next edit in it:
        a reload then costs a little more (hashing, and a few more blocks read again), but
        memory no longer holds the file twice, as bytes and as events."""
        last = self._last
        if last is not None and isinstance(last.seen, bytes):
            last.seen = Fingerprint(last.seen, chunk, keep=last.starts[0])

    def load(self, text: str, progress: Progress | None = None) -> LoadResult:
        """Load a timeline's text, reusing the blocks that the last load read."""
        self.edit_reads = None
        return self._load_text(text, None, progress)

    def load_data(
        self,
        data: bytes,
        progress: Progress | None = None,
        stop: Callable[[], bool] | None = None,
    ) -> LoadResult:
        """Load a timeline file's bytes: when only part of the event list changed since
        the last load, by reading only that part; else as `load` does. A long read of
        the event blocks raises LoadStopped once `stop()` is true."""
        self.edit_reads = None
        if data.startswith(codecs.BOM_UTF8):
            data = data[len(codecs.BOM_UTF8) :]
        # Told from the bytes as they are: without their CRs (below), the NULs of a
        # UTF-16 file may no longer fall beside every other byte (found by the fuzz).
        wide = _wide_diagnostic(data, self.name)
        if wide is not None:
            return LoadResult(None, (wide,))
        if b"\r" in data:
            # CRLF read as LF (see `_load_text`), here already: the bytes then still match
            # the text, and an edit of a Windows file is placed by the bytes it changed.
            lf = data.replace(b"\r\n", b"\n")
            if b"\r" not in lf:
                data = lf
        if self._last is not None:
            before = self._blocks_read
            result = self._edited(self._last, data)
            if result is not None:
                self.edit_reads = self._blocks_read - before
                return result
        text, diagnostics = decode(data, self.name, wide=False)
        if text is None:
            return LoadResult(None, tuple(diagnostics))
        # A second byte order mark, which decode cut off too: the text no longer starts
        # where the bytes do, and a later edit could not be placed by its offsets.
        base = None if data.startswith(codecs.BOM_UTF8) else data
        return self._load_text(text, base, progress, stop)

    def _load_text(
        self,
        text: str,
        data: bytes | None,
        progress: Progress | None,
        stop: Callable[[], bool] | None = None,
    ) -> LoadResult:
        if text.startswith("\ufeff"):
            text = text[1:]
        conflicts = merge_conflicts(text, self.name)
        if conflicts:
            return LoadResult(None, tuple(conflicts))
        text, control = yamltree.find_control_characters(text)  # stray CRs too
        # ("\r" first: memchr finds it 25 times faster than the two-character search.)
        if "\r" in text and "\r\n" in text:
            # YAML reads CRLF as LF, and lines and columns stay the same: read by blocks
            # like any other file (`load_data` has done this to the bytes already).
            lf = text.replace("\r\n", "\n")
            if "\r" not in lf:
                text, data = lf, None
        with collector_paused():
            # Left uncut: a first load shared out has each process cut its own run.
            split = split_events(text, cut=False)
            if split is not None:
                result = self._load_blocks(text, data, split, control, progress, stop)
                if result is not None:
                    return result
            found = control + yamltree.invisible_characters(text)
            return _load_whole(yamltree.parse(text), self.name, found)

    def _load_blocks(
        self,
        text: str,
        data: bytes | None,
        split: Split,
        control: list[yamltree.Problem],
        progress: Progress | None,
        stop: Callable[[], bool] | None,
    ) -> LoadResult | None:
        """Load by blocks; None when the whole file must be read instead.

        If a block has a syntax error, the whole file is read by libyaml: when that
        succeeds the split was wrong and the whole read is the answer (None); when it fails
        too, the blocks that did read are kept, so one broken event does not hide others.
        """
        parsed_header = _header(split)
        stand_in = None
        if parsed_header is None:
            ends = text.count("\n", 0, split.end) + 1 if split.end < len(text) else None
            parsed_header = _stand_in_header(split.header, text, self.name, ends)
            if parsed_header is None:
                return None
            stand_in = _up_to_list(split)
        reader = Reader(self.name)
        header = reader.header(parsed_header.root)
        assert header is not None
        tabs = "\t" in text
        known = self.known
        if isinstance(known, _Generation):
            known = _Digests(known)
        header_problems = _header_problems(split.header, parsed_header)
        diagnostics = [_diagnostic(self.name, p) for p in control + header_problems]
        first_byte = len(text[: split.start].encode())
        own = EventChecks(self.name, header.sources, header.lang)
        parts = self._runs(text, split, known, progress)
        if len(parts) > 1:
            # (A shared load reports no progress, and is never stopped: see `_runs`.)
            columns = self._shared_reads(text, split, parts, first_byte, tabs, own)
        else:
            cut = blocks_of(text, split, parts[0])[1]
            total = len(cut)
            blocks = self._reads(reader, _taken(cut), 1, first_byte, tabs, known, self.older)
            columns = _Columns()
            next_report = 500
            for index, found in enumerate(_checked(blocks, own), 1):
                columns.add(*found)
                if stop is not None and not index % STOP_CHECK and stop():
                    raise LoadStopped
                if progress is not None and index == next_report:
                    next_report *= 2
                    # The ids of a partial timeline are provisional; its problems are not
                    # kept.
                    lines = columns.item_lines[:]
                    partial = Reader(self.name).finish(header, columns.events(), lines)
                    progress(index, total, partial)
                elif progress is not None and not index % COUNT_EVERY:
                    # The timelines double: at 100k events the last came at 64,000, and
                    # the count stood there for seconds (a user pass).
                    progress(index, total, None)
        keys, raws, broken, item_lines = (
            columns.keys,
            columns.raws,
            columns.broken,
            columns.item_lines,
        )
        if broken and _reads_whole(text.encode(), columns.starts, broken[0]):
            return None
        # A version that lost blocks may be a cut one: keep what the longer one gave.
        self.older = known if known and len(set(keys)) < len(known) else {}
        events = columns.events()
        named_events = assign_ids(events, reader, item_lines)
        timeline = reader.timeline_of(header, named_events, item_lines)
        checks = Checks(timeline, left_out_ids(chain.from_iterable(columns.found)))
        diagnostics.extend(reader.diagnostics)
        diagnostics.extend(checks.sources())
        derived = named_events is not events  # some event's id was made (or made unique)
        shown: list[Event | None] = raws[:]
        if derived:
            for event in timeline.events:
                shown[event.index - 1] = event
        problems = [
            _problems(f, e, checks, c)
            for f, e, c in zip(columns.found, shown, columns.checked, strict=True)
        ]
        if data is None or control or reader.diagnostics or split.end < len(text):
            # Not from a file (nothing to compare the next version with), problems that
            # span events, or text after the list: the next load reads it all.
            self.known = columns.reads()
            return LoadResult(timeline, _ordered([*diagnostics, *chain.from_iterable(problems)]))
        self._ids = None
        self._last = self.known = _Generation(
            seen=data,
            size=len(data),
            # (The header keeps every line break of the file: see `split_events`.)
            newlines=split.header.count("\n"),
            starts=columns.starts,
            lines=columns.first_lines,
            keys=b"".join(keys),
            raws=raws,
            found=columns.found,
            events=shown,
            problems=problems,
            named=columns.named,
            broken=broken,
            relating=[k for k, event in enumerate(shown) if event is not None and event.related],
            fixed=_ordered(diagnostics),
            timeline=timeline,
            indent=split.item_indent,
            derived=derived and any(_derived(r, e) for r, e in zip(raws, shown, strict=True)),
            stand_in=stand_in,
        )
        return LoadResult(timeline, self._last.diagnostics())

    def _reads(
        self,
        reader: Reader,
        blocks: Iterable[Block],
        first_index: int,
        start: int,
        tabs: bool,
        known: Known,
        older: Known,
    ) -> Iterator[tuple[int, bytes, _Read]]:
        """For each block (the first at place `first_index` of the list, at byte `start` of
        the file): where it starts, the digest of its text, and what it gives, from an
        earlier read of the same text when there is one."""
        for index, block in enumerate(blocks, first_index):
            encoded = block.text.encode()
            key = hashlib.blake2b(encoded, digest_size=DIGEST).digest()
            read = known.get(key) or older.get(key)
            if read is None or (read.names_lines and read.first_line != block.first_line):
                read = self._read(reader, block, index, tabs)
            elif read.first_line != block.first_line or read.index != index:
                read = read.moved(block.first_line, index)
            yield start, key, read
            start += block.size(encoded) + 1

    def _runs(
        self, text: str, split: Split, known: Known, progress: Progress | None
    ) -> list[tuple[int, int]]:
        """The list cut into runs of whole items, one for each process that may read it: a
        load that knows no block and reports no progress is shared out."""
        if self.processes > 1 and not known and not self.older and progress is None:
            shares = runs(split.end - split.start, self.processes, MIN_SHARE, PARENT_SHARE)
            return runs_of_items(text, split, [stop for _, stop in shares[:-1]])
        return [(split.start, split.end)]

    def _shared_reads(
        self,
        text: str,
        split: Split,
        parts: list[tuple[int, int]],
        start: int,
        tabs: bool,
        own: EventChecks,
    ) -> _Columns:
        """What `_checked` gives, by column, for a load with nothing known, its list shared
        out among processes, a run of items (`parts`) each, which each cuts into blocks."""

        def read(part: tuple[int, int]) -> tuple[_Columns, int]:
            """The columns of the blocks of a run (from byte 0), and the bytes they span."""
            first, blocks = blocks_of(text, split, part)
            columns = _Columns()
            for found in _checked(
                self._reads(Reader(self.name), blocks, first, 0, tabs, {}, {}), own
            ):
                columns.add(*found)
            last = blocks[-1]
            return columns, columns.starts[-1] + last.size(last.text.encode()) + 1

        columns = _Columns()
        for share, end in forked_map(read, parts):
            columns.extend(share, start)
            start += end
        return columns

    def _read(self, reader: Reader, block: Block, index: int, tabs: bool) -> _Read:
        self._blocks_read += 1
        node, problems, broken = _block_nodes(block, tabs)
        before = len(reader.diagnostics)
        event = None
        line = block.first_line
        if node.__class__ is yamltree.Seq:
            for item in node.items:
                if item.__class__ is yamltree.Map:
                    line = item.line
                    event = reader.event(item, index) or event
                elif item.__class__ is not yamltree.Invalid:
                    reader.error(item, "each item of events must be a mapping (field: value)")
        found = reader.diagnostics[before:]
        if found:
            del reader.diagnostics[before:]
        if problems:  # (most blocks have none: no list of them is made)
            found[:0] = [_diagnostic(self.name, p) for p in problems]
        if broken:
            name_left_out(found, 0, fastyaml.block_id(block.lines, block.first_line))
        return _Read(block.first_line, line, index, event, tuple(found), broken, bool(problems))

    def _edited(self, last: _Generation, data: bytes) -> LoadResult | None:
        """The load of `data` from the last one, reading only the blocks that an edit
        touched; None when the edit reaches beyond the event list, or the blocks it
        leaves do not read cleanly, or it changes how the ids of other events are made."""
        change = changed_span(last.seen, data)
        if change.start == len(data) == last.size:
            return LoadResult(last.timeline, last.diagnostics())  # the same bytes
        starts = last.starts
        # The blocks the change touches, and the one before: deleting a `- ` joins a block
        # to it. A block that starts after the change is untouched, even at its first byte.
        # An edit of the header is read from the top, with the first block at least (where
        # the header ends is found by splitting the two).
        first = max(bisect_right(starts, change.start) - 2, 0)
        stop = bisect_right(starts, change.old_end)
        begin = starts[first] if change.start >= starts[0] else 0
        if not begin:
            stop = max(stop, 1)
        end = starts[stop] - 1 if stop < len(starts) else last.size
        try:
            text = data[begin : end + len(data) - last.size].decode("utf-8")
        except UnicodeDecodeError:
            return None
        if yamltree.find_control_characters(text)[1] or _CONFLICT_START in text:
            return None  # said by a full load (a merge conflict is where the file changed)
        line = last.lines[first] if begin else 1
        # The line breaks the edit replaced: those from the first block's line to the next
        # block's, but for the one before that block (or to the end of the file).
        next_line = last.lines[stop] if stop < len(starts) else last.newlines + 2
        lines = text.count("\n") - (next_line - line - 1)
        head = None
        if begin:
            blocks = split_items(text, line, last.indent)
        else:
            head, blocks = self._header_and_blocks(text, last.indent, data, last.newlines + lines)
            if head is None:
                return None
        if blocks is None:
            return None
        moved = len(blocks) - (stop - first)
        if (lines or moved) and last.named and last.named[-1] >= stop:
            return None  # a block after the edit names lines in its problems: read it all
        with collector_paused():
            return self._apply(last, data, (first, stop), blocks, lines, moved, head)

    def _header_and_blocks(
        self, text: str, indent: int, data: bytes, newlines: int
    ) -> tuple[_Head | None, list[Block] | None]:
        """The header of `text`, the start of the file `data` (of `newlines` line breaks)
        up to the end of one of its event blocks, and the blocks in it; no header when it
        is not only that, or its header does not read as cleanly as one whose events can be
        kept (a full load says why). A header with a syntax error gives a stand-in, as in a
        full load."""
        split = split_header(text, indent)
        if split is None:
            return None, None
        parsed = _header(split)
        stand_in = None
        if parsed is None:
            stand_in = _up_to_list(split)
            parsed = _stand_in_header(_blanked(stand_in, newlines), data, self.name)
            if parsed is None:
                return None, None
        reader = Reader(self.name)
        header = reader.header(parsed.root)
        if header is None or reader.diagnostics:
            return None, None
        head = _Head(
            reader.finish(header, (), array("q")),
            [_diagnostic(self.name, p) for p in _header_problems(split.header, parsed)],
            len(text[: split.start].encode()),
            stand_in,
        )
        return head, split.blocks

    def _apply(
        self,
        last: _Generation,
        data: bytes,
        span: tuple[int, int],
        blocks: list[Block],
        lines: int,
        moved: int,
        head: _Head | None = None,
    ) -> LoadResult | None:
        """`last` with its blocks first:stop replaced by `blocks`, the blocks after them
        moved down `lines` lines and `moved` places, and its header replaced by `head`."""
        first, stop = span
        # The header's problems: made anew below when the header, or its stand-in, was
        # read again (with the sources' own, which a stand-in may now keep).
        fixed = last.fixed
        header_problems = None if head is None else head.problems
        if head is None and last.stand_in is not None:
            # The stand-in's error may be told where the file ends, which the edit moved;
            # or the edit closed what the header left open (a quote that ran on into the
            # events), and the file reads whole: the split was wrong.
            blanked = _blanked(last.stand_in, last.newlines + lines)
            parsed = _stand_in_header(blanked, data, self.name)
            if parsed is None:
                return None
            header_problems = [_diagnostic(self.name, p) for p in _header_problems(blanked, parsed)]
        shift = len(data) - last.size
        reader = Reader(self.name)
        reads: list[_Read] = []
        keys: list[bytes] = []
        starts = array("q")
        # A block the edit moved is within the span; one elsewhere with the same text
        # gives the same read, so looking through the span's blocks is enough.
        known = last.by_digest(first, stop)
        at = last.starts[first] if head is None else head.end
        found = self._reads(reader, blocks, first + 1, at, True, known, {})
        for start, key, read in found:
            starts.append(start)
            keys.append(key)
            reads.append(read)
        broken = (
            [k for k in last.broken if k < first]
            + [k for k, read in enumerate(reads, first) if read.broken]
            + [k + moved for k in last.broken if k >= stop]
        )
        later = array("q", [s + shift for s in last.starts[stop:]])
        all_starts = last.starts[:first] + starts + later
        # The edit may have closed a quote that a broken block left open (here or above).
        if broken and _reads_whole(data, all_starts, broken[0]):
            return None
        kept = _kept_ids(last, span, reads)
        if kept is None:
            return None
        ids, new_ids = kept
        known = self._ids  # the ids of the events, when a pass over them was needed
        if new_ids:
            if known is None:
                known = {e.id for e in last.timeline.events}
            if not new_ids.isdisjoint(known):
                return None  # another event has an id new to the span
        raws = [read.event for read in reads]
        events = [_with_id(event, i) for event, i in zip(raws, ids, strict=True)]
        renamed = None
        later_lines, later_raws = last.lines[stop:], last.raws[stop:]
        later_found, later_events = last.found[stop:], last.events[stop:]
        later_items = last.timeline.lines[stop + 1 :]
        if lines:
            # The events below keep no line of their own: only the columns move.
            later_lines = array("q", [line + lines for line in later_lines])
            later_items = array("q", [line + lines for line in later_items])
            later_found = [_shifted(found, lines) for found in later_found]
        if moved:
            later_raws = [
                _renumbered(event, index)
                for index, event in enumerate(later_raws, stop + moved + 1)
            ]
            later_events = [
                _with_id(r, e.id if e is not None else None)
                for r, e in zip(later_raws, last.events[stop:], strict=True)
            ]
            renamed = {id(e): f for e, f in zip(last.events[stop:], later_events, strict=True)}
        item_lines = last.timeline.lines[: first + 1]
        item_lines += array("q", [read.line for read in reads]) + later_items
        header = {} if head is None else {n: getattr(head.timeline, n) for n in _HEADER_FIELDS}
        before = [e for e in last.events[first:stop] if e is not None]
        after = [e for e in events if e is not None]
        timeline = last.timeline.edited(before, after, renamed, lines=item_lines, **header)
        all_found = last.found[:first] + [read.diagnostics for read in reads] + later_found
        if known is not None:  # (ids are unique in either version)
            self._ids = None  # changed below: a load cut short by an error leaves none
            known.difference_update(e.id for e in before)
            known.update(e.id for e in after)
        checks = Checks(timeline, left_out_ids(chain.from_iterable(all_found)), known)
        relating = (
            [k for k in last.relating if k < first]
            + [k for k, event in enumerate(events, first) if event is not None and event.related]
            + [k + moved for k in last.relating if k >= stop]
        )
        all_events = last.events[:first] + events + later_events
        if head is not None and (list(timeline.sources), timeline.lang) != (
            list(last.timeline.sources),
            last.timeline.lang,
        ):
            # The events' sources and quotes are checked against the header's source ids
            # and language.
            problems = [_problems(f, e, checks) for f, e in zip(all_found, all_events, strict=True)]
        else:
            changed = zip(all_found[first : first + len(reads)], events, strict=True)
            problems = last.problems[:first] + [_problems(f, e, checks) for f, e in changed]
            # The same problems, lower down: none names a line in its message.
            problems += (
                [_shifted(found, lines) for found in last.problems[stop:]]
                if lines
                else last.problems[stop:]
            )
            touched = left_out_ids(
                chain.from_iterable(last.found[first:stop])
            ).symmetric_difference(
                left_out_ids(chain.from_iterable(read.diagnostics for read in reads))
            )
            # The ids that came or went, or were left out or let in again: an event's
            # `related:` naming one may now point at a missing id (or one left out), or no
            # longer do; and one naming a missing id is told the first close id in date
            # order, which any id that came or went, a date, or two events of one date
            # swapped changes. An event whose id is one may have it as an event left out
            # does. Nothing else is checked against other events.
            came_or_went = touched | {e.id for e in before} ^ {e.id for e in after}
            order_changed = len(before) != len(after) or any(
                (b.date.sort_key(), b.id) != (a.date.sort_key(), a.id)
                for b, a in zip(before, after, strict=True)
            )
            if came_or_went or order_changed:
                # Only the events that name others, not a pass over all of them (30 ms at
                # 100k events), and set operations in C on each one's ids.
                known = checks.known
                again = [k for k in relating if _names_any(all_events[k], came_or_went, known)]
                # An event outside the span with the id of one left out or let in again
                # (in the span, its events were checked afresh): most often there is none.
                elsewhere = (touched & known).difference(e.id for e in after)
                if elsewhere:
                    again += [
                        k
                        for k, event in enumerate(all_events)
                        if event is not None and event.id in elsewhere
                    ]
                for k in again:
                    problems[k] = _problems(all_found[k], all_events[k], checks)
        self._ids = known
        self._last = self.known = _Generation(
            seen=data,
            size=len(data),
            newlines=last.newlines + lines,
            starts=all_starts,
            lines=last.lines[:first] + array("q", [r.first_line for r in reads]) + later_lines,
            keys=last.keys[: first * DIGEST] + b"".join(keys) + last.keys[stop * DIGEST :],
            raws=last.raws[:first] + raws + later_raws,
            found=all_found,
            events=all_events,
            problems=problems,
            named=[k for k in last.named if k < first]
            + [k for k, read in enumerate(reads, first) if read.names_lines]
            + [k + moved for k in last.named if k >= stop],
            broken=broken,
            relating=relating,
            fixed=fixed
            if header_problems is None
            else _ordered([*header_problems, *checks.sources()]),
            timeline=timeline,
            indent=last.indent,
            derived=last.derived or any(_derived(r, e) for r, e in zip(raws, events, strict=True)),
            stand_in=last.stand_in if head is None else head.stand_in,
        )
        edit = Edit(weakref.ref(last.timeline), tuple(before), frozenset(e.id for e in after))
        return LoadResult(timeline, self._last.diagnostics(), edit)


# What an edit of the header changes in a timeline: all but its events and where they are.
_HEADER_FIELDS = ("title", "description", "lang", "sources", "pos", "spans")


@dataclass(frozen=True, slots=True)
class _Head:
    """A header read again after an edit that reached it."""

    timeline: Timeline  # its fields, with no events
    problems: list[Diagnostic]
    end: int  # the byte its list of events starts at
    stand_in: str | None  # see `_Generation.stand_in`


def _taken(blocks: list[Block]) -> Iterator[Block]:
    """The blocks in order, each let go of by the list as it is given: the blocks of a big
    file, a copy of its text, are not all held until the last one is read."""
    blocks.reverse()
    while blocks:
        yield blocks.pop()


def _problems(
    found: tuple[Diagnostic, ...],
    event: Event | None,
    checks: Checks,
    own: tuple[Diagnostic, ...] | None = None,
) -> tuple[Diagnostic, ...]:
    """A block's problems and its event's checks, in order of position. `own`: what its
    `EventChecks` found, when they were made already."""
    if event is None:
        crossed = []
    elif own is None:
        crossed = checks.event(event)
    else:
        crossed = checks.crossed(event)
        crossed += own
    if not crossed and len(found) < 2:
        return found
    return _ordered([*found, *crossed])


def _checked(
    reads: Iterable[tuple[int, bytes, _Read]], own: EventChecks
) -> Iterator[tuple[int, bytes, _Read, tuple[Diagnostic, ...]]]:
    """Each of `reads` with what its event's `EventChecks` find, checked while the event is
    at hand (see `EventChecks`)."""
    for start, key, read in reads:
        event = read.event
        yield start, key, read, (tuple(own(event, read.line)) if event is not None else ())


def _derived(raw: Event | None, shown: Event | None) -> bool:
    return shown is not None and raw is not None and shown.id != raw.id


def _with_id(event: Event | None, new_id: str | None) -> Event | None:
    if event is None or new_id is None or event.id == new_id:
        return event
    return replace(event, id=new_id)


def _names_any(event: Event | None, ids: set[str], known: set[str]) -> bool:
    """Whether `event`'s `related:` names one of `ids`, or an id not `known`."""
    related = event.related if event is not None else ()
    return not (ids.isdisjoint(related) and known.issuperset(related))


def _kept_ids(
    last: _Generation, span: tuple[int, int], reads: list[_Read]
) -> tuple[list[str | None], set[str]] | None:
    """The ids that the events of `reads`, put in place of the blocks first:stop, get
    when no other event's id changes, and those of them that no event of the span had
    (which no other event may have); None when that cannot be told without the rest.

    An id written in the file is kept unless another event has it. A derived id depends
    on the event's date and title, and on the other ids: it is kept when the edit left
    the event's date, title and place alone."""
    first, stop = span
    before = last.raws[first:stop]
    if len(before) == len(reads) and all(
        _same_id(old, new.event) for old, new in zip(before, reads, strict=True)
    ):
        return [e.id if e is not None else None for e in last.events[first:stop]], set()
    old_ids = [e.id for e in before if e is not None]
    new_ids = [r.event.id for r in reads if r.event is not None]
    if not all(new_ids) or not all(old_ids) or len(set(new_ids)) < len(new_ids):
        return None
    if last.derived and set(new_ids) != set(old_ids):
        return None  # a derived id may take, or have to leave, a name freed or taken
    ids = [r.event.id if r.event is not None else None for r in reads]
    return ids, set(new_ids).difference(old_ids)


def _same_id(old: Event | None, new: Event | None) -> bool:
    if old is None or new is None:
        return old is new
    if old.id != new.id:
        return False
    return bool(new.id) or (old.date.text, old.title) == (new.date.text, new.title)


def _block_nodes(
    block: Block, tabs: bool
) -> tuple[yamltree.Node | None, list[yamltree.Problem], bool]:
    """The nodes of one event block: by the fast reader, else by libyaml."""
    invisible = yamltree.invisible_characters(block.text, block.first_line - 1)
    if not tabs or "\t" not in block.text:
        node = fastyaml.parse_block(block.lines, block.first_line)
        if node is not None:
            return node, invisible, False
    # The block's list is the value of the root mapping's `events`: one level down.
    parsed = yamltree.parse(block.text, block.first_line - 1, depth=1)
    parsed.problems.extend(invisible)
    if parsed.syntax_error:
        # What libyaml built before the error may be the event cut short (a summary cut
        # at a stray line): never shown as the event, as in a whole-file read.
        return None, parsed.problems, True
    if parsed.root is not None and parsed.root.__class__ is not yamltree.Seq:
        # A block starts at each dash at the items' column; with no space after it
        # (`-date: 2026`), it starts no item, and the event was lost without a word.
        # (No root: a refusal that stopped the parse, reported already.)
        col, message = yamltree.not_an_item(block.lines[0])
        problem = yamltree.Problem(block.first_line, col + 1, message)
        # What the dash's line reads as (`-1: x`, a key that is a number) is moot once it
        # is said to start no item.
        others = [p for p in parsed.problems if p.line != block.first_line]
        return None, [*others, problem], True
    return parsed.root, parsed.problems, False


def _header(split: Split) -> yamltree.ParsedYaml | None:
    """The document without its event lines, if its `events:` is left empty as expected."""
    # Read without the blank lines that stand for the events at its end, which change
    # nothing (1.3M of them at 100k events, which libyaml took 20 ms to go through); a
    # broken header is read again in full by `_stand_in_header`.
    header = yamltree.parse(split.header.rstrip("\n"))
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


def _stand_in_header(
    blanked: str, whole: str | bytes, name: str, list_ends: int | None = None
) -> yamltree.ParsedYaml | None:
    """When a syntax error outside the events (in the title, the description, a source)
    breaks the file, a header that keeps the events readable: each of the header's parts
    at the margin (`title:`, `sources:` and what is under it, ...) that reads on its own,
    with the error; the title if it can be read on its own line, else the file's name.
    None when the header reads, or the whole file does (the split was wrong: the whole
    read is the answer). `blanked`: the file with its event lines blanked
    (`Split.header`); `whole`: the file; `list_ends`: the line the list of events ends
    at, when text follows it.

    One mistake in the description hid every event (found by a review); one in the title
    took the sources away from every event, and at 100k events had each checked again."""
    short = _short_blank_end(blanked)
    header = yamltree.parse(short)
    if len(short) < len(blanked):
        last = short.count("\n") + 1  # the text's last line, where it ends
        if any(p.line >= last for p in header.problems):
            header = yamltree.parse(blanked)  # told where the text ends: where the file does
    if not header.syntax_error or not yamltree.has_syntax_error(whole):
        return None
    root = yamltree.Map(1, 1)
    for line, part in _margin_parts(short):
        alone = yamltree.parse(part, line - 1)
        if not alone.problems and alone.root.__class__ is yamltree.Map:
            for key, pair in alone.root.pairs.items():
                root.pairs.setdefault(key, pair)
    found = root.pairs.get("title", (None, None))[1]
    if found.__class__ is not yamltree.Scalar or not found.value.strip():
        title = os.path.basename(name)
        line = _TITLE_LINE.search(blanked)
        if line is not None:
            alone = yamltree.parse(line[0])
            if not alone.problems and alone.root.__class__ is yamltree.Map:
                found = alone.root.pairs["title"][1]
                if found.__class__ is yamltree.Scalar and found.value.strip():
                    title = found.value
        stand_in = yamltree.Scalar(title, 1, 1, False)
        root.pairs["title"] = (yamltree.Scalar("title", 1, 1, True), stand_in)
    root.pairs["events"] = (yamltree.Scalar("events", 1, 1, True), yamltree.Scalar("", 1, 1, False))
    problems = list(header.problems)
    if list_ends is not None and problems:
        # What follows the list is read with the header, which stops at its error: an
        # event after a stray `Update: ...` line would be gone without a word.
        problems.append(
            yamltree.Problem(
                list_ends,
                1,
                "the list of events ends at this line, at the margin: nothing after it is "
                f"read while the error at line {problems[0].line} is there (indent this "
                "line if it belongs to the event above)",
            )
        )
    return yamltree.ParsedYaml(root, problems)


def _short_blank_end(blanked: str) -> str:
    """`blanked` with the blank lines it ends with cut to as many as a hint may look back
    over (a hint read from the text's end must find them blank, as in the file).

    Where the list of events ends the file, its lines are the header's last ones, blank:
    at 100k events, 1.3 million of them that libyaml and every check went through for a
    quote left open in the title (the stand-in took 75-100 ms, 10-20 without them, at each
    edit until the header reads). They change only what is told where the text ends (a
    bracket left open at the header's end): that is read again whole."""
    return blanked[: len(blanked.rstrip("\n")) + yamltree.HINT_REACH + 2]


# The file's `title:` line, read alone when the rest of the header cannot be.
_TITLE_LINE = re.compile(r"^title:[ \t].*$", re.M)
# A line at the margin that is not a comment: where a part of the header starts.
_AT_MARGIN = re.compile(r"^[^ \t\n#]", re.M)


def _margin_parts(blanked: str) -> Iterator[tuple[int, str]]:
    """The parts of a header that start at the margin, each with the lines under it, and
    the line each starts on; not the list of events (blank in `blanked`)."""
    starts = [match.start() for match in _AT_MARGIN.finditer(blanked)]
    line, at = 1, 0
    for start, stop in pairwise([*starts, len(blanked)]):
        line += blanked.count("\n", at, start)
        at = start
        if not blanked.startswith("events:", start):
            yield line, blanked[start:stop]


def _header_problems(blanked: str, parsed: yamltree.ParsedYaml) -> list[yamltree.Problem]:
    """The problems of a header (`parsed` from `blanked`, see `Split.header`)."""
    return [*yamltree.invisible_characters(blanked), *parsed.problems]


def _up_to_list(split: Split) -> str:
    """The file up to the first line of its list of events (which runs to its end)."""
    return split.header.rstrip("\n") + "\n"


def _blanked(up_to_list: str, newlines: int) -> str:
    """`Split.header` for a file of `newlines` line breaks: the lines of its list blank
    (libyaml tells a construct left open in the header where the text ends)."""
    return up_to_list + "\n" * (newlines - up_to_list.count("\n"))


def _load_whole(
    parsed: yamltree.ParsedYaml, name: str, found: list[yamltree.Problem]
) -> LoadResult:
    """The load of a file read whole, given the problems found in its text before."""
    diagnostics = [_diagnostic(name, p) for p in found + parsed.problems]
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
        diagnostics.extend(check_timeline(timeline, left_out_ids(found)))
    return LoadResult(timeline, _ordered(diagnostics))


def parse_tree(text: str) -> yamltree.ParsedYaml:
    """The node tree of a whole timeline as the loader reads it (by blocks where the file
    allows it): for tests that hold the block reading equal to a whole-file read."""
    split = split_events(text)
    header = _header(split) if split is not None else None
    if split is None or header is None:
        return _parsed_whole(text)
    items = yamltree.Seq(split.blocks[0].first_line, split.item_indent + 1)
    problems = [*yamltree.invisible_characters(split.header), *header.problems]
    broken = False
    for block in split.blocks:
        node, found, syntax_error = _block_nodes(block, "\t" in text)
        problems.extend(found)
        broken = broken or syntax_error
        if node.__class__ is yamltree.Seq:
            items.items.extend(node.items)
    if broken and not yamltree.has_syntax_error(text):
        return _parsed_whole(text)
    root = header.root
    assert root.__class__ is yamltree.Map
    root.pairs["events"] = (root.pairs["events"][0], items)
    return yamltree.ParsedYaml(root, sorted(problems, key=lambda p: (p.line, p.col)))


def _parsed_whole(text: str) -> yamltree.ParsedYaml:
    """libyaml's reading of the whole text, with the invisible characters the loader
    finds in it apart (as `parse_tree` finds them in the header and each block)."""
    parsed = yamltree.parse(text)
    parsed.problems.extend(yamltree.invisible_characters(text))
    return parsed


def _diagnostic(name: str, problem: yamltree.Problem) -> Diagnostic:
    severity = Severity.WARNING if problem.warning else Severity.ERROR
    return Diagnostic(Position(name, problem.line, problem.col), severity, problem.message)


def _place(diagnostic: Diagnostic) -> tuple[int, int]:
    return diagnostic.pos.line, diagnostic.pos.col


def _ordered(diagnostics: list[Diagnostic]) -> tuple[Diagnostic, ...]:
    return tuple(sorted(diagnostics, key=_place))


def bundled_timeline() -> Path:
    """The timeline shipped with the package (the repository's events.yaml)."""
    package = Path(__file__).resolve().parent.parent
    installed = package / "data" / "events.yaml"
    if installed.is_file():
        return installed
    # An editable install runs from the source tree, where the file sits at the root.
    return package.parent.parent / "events.yaml"
