"""The `timeline-tui` command: open the app, or validate, export, print the schema, start a file.

The UI is imported only when the app opens, so `validate` and `export` never load Textual.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import errno
import os
import shlex
import signal
import stat
import sys
import unicodedata
from collections.abc import Sequence
from pathlib import Path
from typing import TextIO

from timeline_tui import __version__
from timeline_tui.core.forked import MAX_PROCESSES, cpus, terminated
from timeline_tui.core.loader import LoadResult, bundled_timeline, load_bytes, read_stream
from timeline_tui.core.memory import return_freed_memory_promptly
from timeline_tui.core.model import Diagnostic, Timeline
from timeline_tui.core.sanitize import visible
from timeline_tui.core.session import Session
from timeline_tui.core.wording import counted
from timeline_tui.core.writing import (
    WriteError,
    not_a_file,
    refuse_non_file,
    same_file,
    stream_kind,
    write_atomic,
    write_into,
)

COMMANDS = ("validate", "export", "schema", "new")

EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE = 0, 1, 2
EXIT_BROKEN_PIPE = 141  # what a shell reports for a command killed by SIGPIPE
# What a command loaded, held until the process ends (see `main_entry`).
_HELD: list[object] = []
FRAMES_PER_SECOND = 120  # the app's screen updates at most (see `_open`)

STARTER = """\
# yaml-language-server: $schema={schema}
# A timeline for timeline-tui. Dates say exactly what is known: 2026-02-13, 2025-10, 2026,
# 2026? (uncertain), 2026~ (approximate), 2019/2023 (a period). Check it with
# `timeline-tui validate {name}`; open it with `timeline-tui {name}`.
title: {title}
lang: en
sources:
  example:
    title: An article the events below come from
    publisher: Example News
    date: {today}
    url: https://example.org/article
events:
  - id: first-event
    date: {today}
    title: Something happened
    summary: |
      What happened, in a sentence or two, as plain text; a blank line starts a paragraph.
    tags: [example]
    actors: [Someone]
    status: confirmed
    sources: [example]
    quotes:
      - text: "The words as they were said."
        speaker: Someone
        source: example
    figures:
      - label: A number that matters
        value: 42
        unit: "%"
        as_of: {today}
        source: example
"""


class _Parser(argparse.ArgumentParser):
    """argparse that exits with 2 and a one-line hint instead of its usage dump on stderr."""

    def error(self, message: str) -> None:  # type: ignore[override]
        dashed = [a for a in self.given if a.startswith("-") and os.path.lexists(a)]
        if dashed:
            message += f" (a file whose name starts with '-' goes after '--': -- {dashed[0]})"
        # What was typed is echoed: an escape sequence in it must not reach the terminal.
        message = _plain(message)
        self.exit(EXIT_USAGE, f"{self.prog}: error: {message}\nTry '{self.prog} --help'.\n")

    given: Sequence[str] = ()

    def parse_args(  # type: ignore[override]
        self, args: Sequence[str], namespace: None = None
    ) -> argparse.Namespace:
        self.given = args
        options = super().parse_args(args, namespace)
        for name in ("path", "paths"):
            given = getattr(options, name, None)
            if given == "" or (isinstance(given, list) and "" in given):
                self.error("no file name was given: name a timeline file")
        return options


def _open_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="timeline-tui",
        description="Explore a timeline kept as YAML. Without PATH: ./events.yaml if present, "
        "else the bundled example timeline.",
        epilog="Commands: validate PATH..., export PATH, schema, new PATH "
        "(timeline-tui COMMAND --help for each).",
    )
    parser.add_argument("path", nargs="?", help="timeline file to open")
    parser.add_argument(
        "--today",
        metavar="YYYY-MM-DD",
        type=_iso_day,
        help="the date of the 'now' line (default: the system date)",
    )
    parser.add_argument("--version", action="version", version=f"timeline-tui {__version__}")
    return parser


def _command_parser(command: str) -> argparse.ArgumentParser:
    parser = _Parser(prog=f"timeline-tui {command}")
    if command == "validate":
        parser.description = "Check timeline files; exit 1 if any has an error (warnings allowed)."
        parser.add_argument(
            "paths", nargs="+", metavar="PATH", help="timeline files (- for standard input)"
        )
        parser.add_argument(
            "-q",
            "--quiet",
            action="store_true",
            help="print errors only (nothing for a file without any)",
        )
        _cache_option(parser)
    elif command == "export":
        parser.description = "Write a timeline (or the events a query selects) as Markdown."
        parser.add_argument("path", metavar="PATH", help="the timeline (- for standard input)")
        parser.add_argument("-o", "--output", metavar="OUT", help="file to write (default: stdout)")
        parser.add_argument("--query", "-Q", metavar="Q", help="only events matching this query")
        parser.add_argument(
            "--force", action="store_true", help="overwrite OUT if it exists (never the input)"
        )
        _cache_option(parser)
    elif command == "schema":
        parser.description = "Print the JSON Schema of the timeline format."
    elif command == "new":
        parser.description = (
            "Write a small commented starter timeline (never overwrites), and beside it "
            "timeline.schema.json, the schema its first line names for editors (one already "
            "there is left as it is)."
        )
        parser.add_argument("path", metavar="PATH")
        parser.add_argument("--title", default="My timeline", help="the timeline's title")
    return parser


def _cache_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--no-cache",
        dest="cache",
        action="store_false",
        help="neither read nor write the cache of loaded timelines",
    )


def _iso_day(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a date of the form YYYY-MM-DD") from None


def main(argv: Sequence[str] | None = None) -> int:
    _HELD.clear()
    args = list(sys.argv[1:] if argv is None else argv)
    if sys.stderr is None:
        # Started with standard error closed (`2>&-`): Python would print its messages
        # to standard output instead, into an export. They go nowhere.
        sys.stderr = open(os.devnull, "w")  # noqa: SIM115 (for the life of the process)
    try:
        if args and args[0] in COMMANDS:
            command = args[0]
            _output_encoding(markdown=command == "export")
            # A cancelled CI job sends SIGTERM: end as for Ctrl-C, cleaning up what is
            # half-written, rather than dying at once.
            signal.signal(signal.SIGTERM, terminated)
            # Whatever started this may have had the children it does not wait for
            # reaped at once (SIGCHLD ignored, which a child inherits): the forks here
            # wait for theirs.
            signal.signal(signal.SIGCHLD, signal.SIG_DFL)
            options = _command_parser(command).parse_args(_attached_queries(args[1:]))
            return {"validate": _validate, "export": _export, "schema": _schema, "new": _new}[
                command
            ](options)
        parser = _open_parser()
        unknown = _unknown_command(args)
        if unknown:
            parser.given = args
            parser.error(unknown)
        return _open(parser.parse_args(args))
    except SystemExit as exit_:
        return exit_.code if isinstance(exit_.code, int) else EXIT_USAGE
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # The reader of the output went away (`| head`): as for any command it kills, and
        # without Python's complaint when it flushes the rest at exit.
        _stdout_to_devnull()
        return EXIT_BROKEN_PIPE


def _unknown_command(args: list[str]) -> str | None:
    """What is wrong when the first word names no file and is no command: a mistyped one
    (`valdiate`) opened the app on a file of that name, and `exprot a.yaml` said only
    "unrecognized arguments: a.yaml" (a user pass)."""
    first = args[0] if args else ""
    if not first or first.startswith("-") or not first.isalpha() or os.path.lexists(first):
        return None  # a file's name has a dot or a slash in it, most often
    import difflib  # (here, as `json` below: `validate` and `export` start quicker without)

    close = difflib.get_close_matches(first.lower(), COMMANDS, n=1, cutoff=0.6)
    positional = [a for a in args[1:] if not a.startswith("-")]
    if not close and not positional:
        return None  # a file to open, which the app says is missing
    hint = f"did you mean '{close[0]}'?" if close else "the commands are " + ", ".join(COMMANDS)
    return f"'{first}' is neither a command nor a file ({hint})"


def _output_encoding(*, markdown: bool) -> None:
    """In a locale that is not UTF-8 (LC_ALL=en_US.ISO-8859-1), a message with a dash
    ended in a traceback. Markdown goes out as UTF-8, as it does to a file with -o, whatever
    the locale; a message shows what the locale cannot as an escape (`\\u2013`)."""
    stream = sys.stdout
    if stream is None or not hasattr(stream, "reconfigure"):
        return
    with contextlib.suppress(ValueError, OSError):  # a stream that cannot be changed
        if markdown:
            stream.reconfigure(encoding="utf-8")
        else:
            stream.reconfigure(errors="backslashreplace")


def _attached_queries(args: list[str]) -> list[str]:
    """`--query -anthropic` as `--query=-anthropic`: argparse takes a value that starts
    with a minus for an option, but in a query it means "without"."""
    out: list[str] = []
    at = 0
    while at < len(args):
        arg = args[at]
        value = args[at + 1] if at + 1 < len(args) else None
        # An option right after it (`--query --force`) is no query: argparse then says the
        # query is missing, rather than filtering by a word "--force".
        if arg in ("--query", "-Q") and value is not None and not _option_like(value):
            out.append(f"{arg}={value}")
            at += 2
        else:
            out.append(arg)
            at += 1
    return out


def _option_like(value: str) -> bool:
    return value.startswith("--") or value in ("-o", "-Q", "-h")  # export's short options


def main_entry() -> None:
    """Console-script entry point."""
    code = main()
    if _HELD:
        # A command that loaded a file ends here, its loads still held: the system takes
        # their memory back at once, where Python freed the objects of 100k events one by
        # one (0.08 s) before it could exit.
        for stream in (sys.stdout, sys.stderr):
            with contextlib.suppress(Exception):  # (closed, or a reader gone: said already)
                stream.flush()
        os._exit(code)
    sys.exit(code)


def _problem_lines(result: LoadResult, *, quiet: bool = False) -> list[str]:
    """`FILE:LINE:COL: severity: message`, one per problem (errors only when `quiet`)."""
    return [_plain(str(d)) for d in result.diagnostics if d.is_error or not quiet]


def _plain(text: str) -> str:
    return visible(text, keep_newlines=False)


def _loaded(path: str, options: argparse.Namespace) -> tuple[LoadResult, Session | None]:
    """The file loaded as the app loads it: from the cache when it holds this version, or
    an earlier one to read again only what changed (unless --no-cache). `-` is standard
    input (`git show :events.yaml | timeline-tui validate -`: what is staged, in a hook),
    which has no session."""
    if path == "-":
        data = b"" if sys.stdin is None else read_stream(sys.stdin.buffer, path)
        if isinstance(data, Diagnostic):
            return LoadResult(None, (data,)), None
        return load_bytes(data, path), None
    session = Session(path, use_cache=options.cache, processes=_processes())
    result, _ = session.load()
    _HELD[:] = [(result, session)]  # (the last file's: `validate` may be given many)
    return result, session


def _processes() -> int:
    """No thread runs here: a big first load, or a big export, is shared out among the
    cores (see `forked`)."""
    return min(cpus(), MAX_PROCESSES)


def _validate(options: argparse.Namespace) -> int:
    if options.paths.count("-") > 1:
        print(
            "timeline-tui validate: error: '-' (standard input) is given twice: it can be "
            "read once",
            file=sys.stderr,
        )
        return EXIT_USAGE
    status = EXIT_OK
    all_events = all_errors = all_warnings = failures = 0
    for path in options.paths:
        result, session = _loaded(path, options)
        errors, warnings = len(result.errors), len(result.warnings)
        failed = bool(errors) or result.timeline is None
        if failed:
            status = EXIT_PROBLEMS
            failures += 1
        events = len(result.timeline.events) if result.timeline else 0
        all_events += events
        all_errors += errors
        all_warnings += warnings
        # On standard output, as linters print theirs: `validate f.yaml | grep error`.
        lines = _problem_lines(result, quiet=options.quiet)
        if failed or not options.quiet:
            # Quiet, as a linter in a hook is, about a file that has no error.
            lines.append(_plain(f"{path}: {_counts(events, errors, warnings)}"))
        written = _to_stdout(
            "validate", "".join(f"{line}\n" for line in lines), EXIT_OK, "redirect it"
        )
        if written != EXIT_OK:  # standard output is closed, or failed
            return written
        if session is not None:
            session.remember(exiting=True)  # once the answer is out
    if len(options.paths) > 1 and (failures or not options.quiet):
        # Each file's line scrolls away above its problems: the answer for them all.
        failing = f" ({counted(failures, 'file')} with errors)" if failures else ""
        counts = _counts(all_events, all_errors, all_warnings)
        total = f"{counted(len(options.paths), 'file')}{failing}: {counts}"
        return _to_stdout("validate", f"{total}\n", status, "redirect it")
    return status


def _counts(events: int, errors: int, warnings: int) -> str:
    return ", ".join(
        counted(n, noun)
        for n, noun in ((events, "event"), (errors, "error"), (warnings, "warning"))
    )


def _export(options: argparse.Namespace) -> int:
    result, session = _loaded(options.path, options)
    for line in _problem_lines(result, quiet=True):
        print(line, file=sys.stderr)
    if result.timeline is None:
        return EXIT_PROBLEMS
    status = _write_export(options, result.timeline, result.errors)
    if sys.stdout is not None:
        sys.stdout.flush()
        # A reader in a pipe has it all: it need not wait for the cache.
        _stdout_to_devnull(pipe_only=True)
    if session is not None:
        session.remember(exiting=True)
    return status


def _stdout_to_devnull(*, pipe_only: bool = False) -> None:
    """Point standard output (with `pipe_only`, only a pipe) at /dev/null: a reader in a
    pipe gets its end of file now, and what is still buffered goes nowhere."""
    with contextlib.suppress(OSError, ValueError):  # not a file (a test captures it)
        fd = sys.stdout.fileno()
        if not pipe_only or stat.S_ISFIFO(os.fstat(fd).st_mode):
            null = os.open(os.devnull, os.O_WRONLY)
            os.dup2(null, fd)
            os.close(null)


def _opened_as(path: str, fd: int) -> bool:
    """Whether `path` names the file open as `fd` (1: standard output), through links and
    names such as /dev/stdout, /dev/fd/1, /proc/self/fd/1."""
    try:
        it, opened = os.stat(path), os.fstat(fd)
    except (OSError, ValueError):  # closed, or no such file
        return False
    return (it.st_dev, it.st_ino) == (opened.st_dev, opened.st_ino)


def _write_export(
    options: argparse.Namespace, timeline: Timeline, errors: Sequence[Diagnostic]
) -> int:
    """Write the export as the options say; `errors`: the file's, which the document and
    the exit status tell."""
    from timeline_tui.core.export_markdown import export_markdown, incomplete_note
    from timeline_tui.core.query import QueryError, SearchIndex, parse_query

    events = list(timeline.events)
    if options.query:
        try:
            query = parse_query(options.query)
        except QueryError as exc:
            print(f"timeline-tui export: error: --query: {_plain(str(exc))}", file=sys.stderr)
            return EXIT_USAGE
        if query.asks_nothing:
            # `--query -` exported every event under "Filtered: -" (a user pass).
            print(
                f"timeline-tui export: error: --query {_plain(options.query)} filters nothing "
                "(a minus or quotes with no word): give a word, #tag, @actor, since:, until: "
                "or status:, or leave --query out",
                file=sys.stderr,
            )
            return EXIT_USAGE
        events = SearchIndex(timeline).filter(query)
        if not events and timeline.events:
            print(
                f"timeline-tui export: note: --query {_plain(options.query)} matches none of "
                f"the {counted(len(timeline.events), 'event')}; the document says so",
                file=sys.stderr,
            )
    written = EXIT_PROBLEMS if errors else EXIT_OK
    # Published as it is, the document would lack what an error leaves out without a word
    # (found by a review): it says so, where the filter is said.
    name = "standard input" if options.path == "-" else Path(options.path).name
    incomplete = incomplete_note(name, errors, lang=timeline.lang) if errors else None
    text = export_markdown(
        timeline,
        events,
        query=options.query or None,
        incomplete=incomplete,
        processes=_processes(),
    )
    if options.output in (None, "-"):
        fd: int | None = 1
    else:
        fd = next((fd for fd in (1, 2) if _opened_as(options.output, fd)), None)
    if fd is not None:
        # `-o /dev/stdout` is standard output as the shell set it up: opening the name
        # again would truncate a file it appends to (`>>`), or replace it with --force.
        if _opened_as(options.path, fd):  # `export t.yaml >> t.yaml`
            print(
                f"timeline-tui export: error: standard {'error' if fd == 2 else 'output'} "
                f"is the timeline itself ({_plain(options.path)}); write to another file",
                file=sys.stderr,
            )
            return EXIT_USAGE
        if fd == 2:
            sys.stderr.write(text)
            return written
        return _to_stdout("export", text, written, "write to a file with -o OUT")
    if same_file(options.output, options.path):
        print(
            f"timeline-tui export: error: {_plain(options.output)} is the timeline itself; "
            "choose another output file",
            file=sys.stderr,
        )
        return EXIT_USAGE
    stream = stream_kind(options.output) is not None
    try:
        if not stream:  # a folder, a socket: for what it is, not as a file that exists
            refuse_non_file(options.output)
    except WriteError as exc:
        print(f"timeline-tui export: error: {_plain(str(exc))}", file=sys.stderr)
        return EXIT_USAGE
    if not stream and os.path.lexists(options.output) and not options.force:
        print(
            f"timeline-tui export: error: {_plain(options.output)} exists; "
            "add --force to overwrite it",
            file=sys.stderr,
        )
        return EXIT_USAGE
    try:
        (write_into if stream else write_atomic)(options.output, text)
    except WriteError as exc:
        print(f"timeline-tui export: error: {_plain(str(exc))}", file=sys.stderr)
        return EXIT_USAGE if _chosen_badly(exc) else EXIT_PROBLEMS
    print(_plain(f"wrote {counted(len(events), 'event')} to {options.output}"), file=sys.stderr)
    return written


def _schema(options: argparse.Namespace) -> int:
    from timeline_tui.schema import schema_text

    return _to_stdout("schema", schema_text(), EXIT_OK, "redirect it to a file")


def _to_stdout(command: str, text: str, written: int, hint: str) -> int:
    """Write `text` to standard output; `written`: the exit status once it is; `hint`:
    what to do when it is closed."""
    if sys.stdout is None:  # started with it closed (`>&-`)
        print(
            f"timeline-tui {command}: error: standard output is closed; {hint}",
            file=sys.stderr,
        )
        return EXIT_USAGE
    try:
        _write_all(sys.stdout, text)
    except BrokenPipeError:
        raise  # the reader went away: `main` ends quietly
    except OSError as exc:  # a full disk (`> /dev/full`), a device that refuses it
        _stdout_to_devnull()  # what is still buffered would fail again at exit
        print(
            f"timeline-tui {command}: error: cannot write to standard output: "
            f"{exc.strerror or exc}",
            file=sys.stderr,
        )
        return EXIT_PROBLEMS
    return written


def _write_all(stream: TextIO, text: str) -> None:
    """Write all of `text`, or raise. A buffered stream may write part of a big text and
    say nothing: when the reader of a pipe goes away (`export | head`), the write that
    it cuts short returns what went through, and the rest was lost with exit status 0."""
    buffer = getattr(stream, "buffer", None)
    if buffer is None:
        stream.write(text)
        stream.flush()
        return
    stream.flush()
    left = memoryview(text.encode(stream.encoding, stream.errors or "strict"))
    while left:
        left = left[buffer.write(left) :]
    buffer.flush()


def _as_argument(path: str) -> str:
    """`path` as a shell argument that timeline-tui reads as a file, not as an option
    (`./-x.yaml`) or a command (`./validate`)."""
    return shlex.quote(f"./{path}" if path.startswith("-") or path in COMMANDS else path)


def _new(options: argparse.Namespace) -> int:
    path = Path(options.path)
    from timeline_tui.schema import SCHEMA_PATH

    title = " ".join(options.title.split())
    if not title:
        print("timeline-tui new: error: --title needs some text", file=sys.stderr)
        return EXIT_USAGE
    if any(unicodedata.category(c) == "Cc" or c in "\u2028\u2029" for c in options.path):
        # A line break or a control character in a file name: no command we could print
        # names it in a way a person can type.
        print(
            f"timeline-tui new: error: the name {_plain(repr(options.path))} holds a line "
            "break or a control character; choose another",
            file=sys.stderr,
        )
        return EXIT_USAGE
    if options.path == "-":
        # Elsewhere `-` is standard input or output: a file of that name surprised (a
        # user pass). One can still be named `./-`.
        print(
            "timeline-tui new: error: new writes a file, and '-' names none here: name one, "
            "such as timeline.yaml (./- for a file called -)",
            file=sys.stderr,
        )
        return EXIT_USAGE
    if path.name == SCHEMA_PATH.name:
        print(
            f"timeline-tui new: error: {SCHEMA_PATH.name} is the name of the schema the "
            "starter points at; choose another name, such as timeline.yaml",
            file=sys.stderr,
        )
        return EXIT_USAGE
    text = STARTER.format(
        schema=SCHEMA_PATH.name,
        name=_plain(_as_argument(path.name)),
        title=_yaml_quoted(title),
        today=dt.date.today().isoformat(),
    )
    try:
        # As typed: `Path` would make "" the folder "." and drop the `/` of `dir/`.
        write_atomic(options.path, text, exclusive=True)
    except WriteError as exc:
        print(f"timeline-tui new: error: {_plain(str(exc))}", file=sys.stderr)
        return EXIT_USAGE if _chosen_badly(exc) else EXIT_PROBLEMS
    shown = _as_argument(str(path))
    print(_plain(f"wrote {path}: open it with `timeline-tui {shown}`"), file=sys.stderr)
    _schema_beside(path)
    return EXIT_OK


def _chosen_badly(exc: WriteError) -> bool:
    """Whether a write failed for the name the user chose (one taken, a folder's, none,
    a pipe's): a usage error, for which another name is the fix."""
    return exc.errno in (errno.EEXIST, errno.EISDIR, errno.EINVAL)


def _schema_beside(path: Path) -> None:
    """Write the schema that a starter's first line names beside it, where editors look
    for it on every machine the folder is cloned to (a path into this installation would
    point nowhere on a collaborator's); one already there is left as it is."""
    from timeline_tui.schema import SCHEMA_PATH, schema_text

    schema = path.with_name(SCHEMA_PATH.name)
    text = schema_text()
    try:
        write_atomic(schema, text, exclusive=True)
    except WriteError as exc:
        kind = not_a_file(schema) or (None if schema.exists() else "a link to nothing")
        if exc.errno != errno.EEXIST or kind is not None:
            why = f"{schema} is {kind}, not a file" if kind is not None else str(exc)
            print(
                f"timeline-tui new: warning: {_plain(why)}; editors will not find the "
                f"schema the starter's first line names",
                file=sys.stderr,
            )
        elif not _is_schema(there := _read(schema)):
            print(
                f"timeline-tui new: warning: {_plain(str(schema))} is there and is not a "
                "JSON schema; it was left as it is, and editors will not find the schema",
                file=sys.stderr,
            )
        elif there != text:
            print(
                f"timeline-tui new: note: left {_plain(str(schema))} as it is, though it "
                f"differs from this version's schema; `timeline-tui schema > "
                f"{_plain(shlex.quote(str(schema)))}` updates it",
                file=sys.stderr,
            )
        return
    print(
        _plain(f"wrote {schema} beside it, for editors to complete and check the file"),
        file=sys.stderr,
    )


def _read(path: Path) -> str | None:
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None


def _is_schema(text: str | None) -> bool:
    """Whether `text` is a JSON schema (one another version wrote, or the user's)."""
    import json

    try:
        found = json.loads(text) if text is not None else None
    except ValueError:
        return False
    return isinstance(found, dict) and "$schema" in found


def _yaml_quoted(text: str) -> str:
    """`text` as a YAML double-quoted scalar, so that no title (`Rome: a history`, `#1`)
    can change the structure of the starter file; invisible characters become escapes."""
    out = []
    for char in text:
        code = ord(char)
        if char in '"\\':
            out.append("\\" + char)
        elif char.isprintable():
            out.append(char)
        elif 0xD800 <= code <= 0xDFFF:  # from undecodable argv bytes: no escape can hold it
            out.append("\\uFFFD")
        else:
            out.append(f"\\u{code:04X}" if code <= 0xFFFF else f"\\U{code:08X}")
    return '"' + "".join(out) + '"'


def _open(options: argparse.Namespace) -> int:
    example = False
    if options.path is not None:
        path = Path(options.path)
    elif Path("events.yaml").is_file():
        path = Path("events.yaml")
    else:
        path, example = bundled_timeline(), True
    if not sys.stdout.isatty() or not sys.stdin.isatty():
        print(
            "timeline-tui: the app needs a terminal; use `timeline-tui validate` or "
            "`timeline-tui export` in scripts",
            file=sys.stderr,
        )
        return EXIT_USAGE
    # Textual draws what changed on the next of its frames: at its default 60 a second, a
    # keystroke's answer waited up to 17 ms for one (8 on average: a sixth of the 50 ms a
    # filter keystroke has at 100k events). Read once, as Textual is imported; the user's
    # own TEXTUAL_FPS wins, and ours is not passed on to $EDITOR (it may be a Textual app).
    ours = "TEXTUAL_FPS" not in os.environ
    if ours:
        os.environ["TEXTUAL_FPS"] = str(FRAMES_PER_SECOND)
    from timeline_tui.ui.app import make_app

    if ours:
        del os.environ["TEXTUAL_FPS"]
    app = make_app(path, today=options.today, example=example)
    return_freed_memory_promptly()
    app.run()
    return app.return_code or EXIT_OK
