"""The real app in a real (pseudo-)terminal: nothing from the file reaches it as a control.

Each test starts `python -m timeline_tui FILE` on a pty of 120x40, presses the keys that show
every part of the file (expand all, last/first event, problems, a filter, help, the command
palette), quits with `q`, and keeps every byte the app wrote. Textual writes escape sequences
of its own (colours, cursor moves, OSC 8 for links the app made, OSC 22 for the pointer), so
the tests check two things:

- the shape of the stream: every ESC starts a sequence of the few kinds Textual writes, and
  every OSC 8 link goes to a percent-encoded http(s) URL: a sequence written by the data
  (OSC 0 title, OSC 52 clipboard, DCS, an OSC 8 to a `javascript:` URL) has no place in it;
- the bytes around the data: `Clear \\x1b[2J` never appears, `Clear <U+001B>[2J` does.
"""

from __future__ import annotations

import os
import re
import select
import signal
import struct
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

from conftest import CORPUS, DATA

try:
    import fcntl
    import termios
except ImportError:  # Windows
    fcntl = termios = None  # type: ignore[assignment]


def _pty_available() -> bool:
    if fcntl is None or not hasattr(os, "openpty"):
        return False
    try:
        master, slave = os.openpty()
    except OSError:
        return False
    os.close(master)
    os.close(slave)
    return True


pytestmark = pytest.mark.skipif(not _pty_available(), reason="no pseudo-terminal on this system")

ROWS, COLS = 40, 120
ESC = b"\x1b"
# The sequences Textual 8.2.8 writes on its own (pinned exactly, see pyproject.toml): SGR
# colours, cursor positions, DEC private modes and their queries, the kitty keyboard
# protocol, OSC 8 links and OSC 22 pointer shapes. Anything else after an ESC came from data.
TEXTUAL_CSI = re.compile(rb"\x1b\[(?:[0-9;:]*m|\d+;\d+H|\?\d+[hl]|\?\d+\$p|[<>=]\d*u)")
OSC_8 = re.compile(rb"\x1b\]8;([^;\x1b\x07]*);([^\x1b\x07]*)\x1b\\")
OSC_22 = re.compile(rb"\x1b\]22;[a-z-]+\x07")
# What safe_url() lets through: http(s), then RFC 3986 characters and %XX escapes only.
SAFE_LINK = re.compile(rb"https?://[A-Za-z0-9\-._~:/?#@!$&'*+,;=%\[\]]+")
# Bidi embeddings, overrides, isolates and marks, in UTF-8: never written raw.
BIDI = ["\u061c", "\u200e", "\u200f", *map(chr, range(0x202A, 0x202F)),
        *map(chr, range(0x2066, 0x206A))]  # fmt: skip
# The keys of every test: expand all, last and first event, problems, a filter kept with
# Enter, help and Escape, the command palette and Escape (`q` follows). `\x10` is ctrl+p;
# None stands for a word of the file, typed into the filter and into the palette.
KEYS = [b"+", b"G", b"g", b"p", b"/", None, b"\r", b"?", ESC, b"\x10", None, ESC]


@dataclass
class Run:
    output: bytes  # every byte the app wrote, its exit included
    alive_before_quit: bool
    exit_code: int | None

    @property
    def text(self) -> str:
        """What was drawn, escape sequences taken out (a string split by colours is whole)."""
        plain = OSC_8.sub(b"", OSC_22.sub(b"", TEXTUAL_CSI.sub(b"", self.output)))
        return plain.decode("utf-8", "replace")


class Terminal:
    """The master side of a pty with the app on the other side; keeps all it reads."""

    def __init__(self, path: Path, tmp_path: Path) -> None:
        master, slave = os.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", ROWS, COLS, 0, 0))
        cwd = tmp_path / "cwd"  # an injected screenshot or `touch`, if it ran, writes here
        cwd.mkdir()
        env = {k: v for k, v in os.environ.items() if not k.startswith("TEXTUAL")}
        for name in ("VISUAL", "COLUMNS", "LINES", "NO_COLOR"):
            env.pop(name, None)
        env.update(
            TERM="xterm-256color",
            COLORTERM="truecolor",
            XDG_CACHE_HOME=str(tmp_path / "cache"),
            EDITOR="true",  # `e` or a problem's Enter would run it: it does nothing
        )
        self.process = subprocess.Popen(
            [sys.executable, "-m", "timeline_tui", str(path), "--today", "2026-11-26"],
            stdin=slave,
            stdout=slave,
            stderr=slave,
            cwd=cwd,
            env=env,
            start_new_session=True,  # its own session: a signal for it never reaches pytest
            close_fds=True,
        )
        os.close(slave)
        self.master = master
        self.output = bytearray()
        self.closed = False

    def read(self, seconds: float) -> None:
        """Read whatever the app writes for `seconds`."""
        deadline = time.monotonic() + seconds
        while not self.closed and (left := deadline - time.monotonic()) > 0:
            ready, _, _ = select.select([self.master], [], [], min(left, 0.05))
            if ready:
                self._read_once()

    def settle(self, quiet: float = 0.15, longest: float = 1.5) -> None:
        """Read until the app has written nothing for `quiet` seconds (at most `longest`)."""
        deadline = time.monotonic() + longest
        while not self.closed and time.monotonic() < deadline:
            ready, _, _ = select.select([self.master], [], [], quiet)
            if not ready:
                return
            self._read_once()

    def wait_for(self, needle: bytes, timeout: float = 10.0) -> bool:
        deadline = time.monotonic() + timeout
        while needle not in self.output and not self.closed and time.monotonic() < deadline:
            self.read(0.05)
        return needle in self.output

    def _read_once(self) -> None:
        try:
            data = os.read(self.master, 65536)
        except OSError:  # EIO: the app has gone and closed its side
            data = b""
        if data:
            self.output.extend(data)
        else:
            self.closed = True

    def press(self, key: bytes, quiet: float = 0.15) -> None:
        os.write(self.master, key)
        # A lone ESC waits for Textual to decide it is not the start of a sequence.
        self.settle(quiet=max(quiet, 0.25) if key == ESC else quiet)

    def press_keys(self, word: str) -> None:
        for key in KEYS:
            self.press(word.encode() if key is None else key)

    def finish(self, timeout: float = 10.0) -> int | None:
        deadline = time.monotonic() + timeout
        while self.process.poll() is None and time.monotonic() < deadline:
            self.read(0.05)
        self.read(0.1)  # what it wrote as it left
        code = self.process.poll()
        if code is None:  # hung: end it (only this process, which this test started)
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(5)
        os.close(self.master)
        return code


def run_app(path: Path, tmp_path: Path, *, word: str, ready: bytes) -> Run:
    """Open `path`, wait for `ready` to be drawn, press KEYS with `word`, then `q`."""
    terminal = Terminal(path, tmp_path)
    try:
        assert terminal.wait_for(ready), (
            f"{ready!r} never drawn; the app wrote: {bytes(terminal.output[-2000:])!r}"
        )
        terminal.settle()
        terminal.press_keys(word)
        alive = terminal.process.poll() is None
        terminal.press(b"q")
    finally:
        code = terminal.finish()
    return Run(bytes(terminal.output), alive, code)


def assert_only_textual_sequences(output: bytes) -> None:
    """Every ESC in the stream starts a sequence Textual writes; every link is http(s)."""
    for match in OSC_8.finditer(output):
        target = match.group(2)
        assert target == b"" or SAFE_LINK.fullmatch(target), f"unsafe OSC 8 link: {target!r}"
    rest = OSC_22.sub(b"", OSC_8.sub(b"", TEXTUAL_CSI.sub(b"", output)))
    index = rest.find(ESC)
    assert index < 0, f"an escape sequence Textual does not write: {rest[index : index + 40]!r}"
    # The other C0 controls and the C1 ones (UTF-8 \xc2\x80-\x9f) have no business there.
    stray = re.search(rb"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]|\xc2[\x80-\x9f]", rest)
    assert stray is None, f"a raw control byte: {rest[stray.start() - 20 : stray.end() + 20]!r}"
    text = output.decode("utf-8", "replace")
    for char in BIDI:
        assert char not in text, f"raw U+{ord(char):04X} written to the terminal"


def assert_clean_exit(run: Run, tmp_path: Path) -> None:
    last = run.text[-1500:]  # a traceback, if it crashed
    assert run.alive_before_quit, f"the app died before `q`: {last}"
    assert run.exit_code == 0, f"exit code {run.exit_code} after `q`: {last}"
    assert os.listdir(tmp_path / "cwd") == [], "the app wrote a file in its working folder"


def assert_never(output: bytes, *payloads: bytes) -> None:
    for payload in payloads:
        assert payload not in output, f"{payload!r} reached the terminal raw"


def assert_drawn(run: Run, *texts: str) -> None:
    for text in texts:
        assert text in run.text, f"{text!r} was not drawn"


# -- the files ---------------------------------------------------------------------------------


def test_terminal_escape_sequences_are_drawn_as_placeholders(tmp_path: Path) -> None:
    run = run_app(CORPUS / "39_terminal_escape_sequences.yaml", tmp_path, word="Clear",
                  ready=b"Clear")  # fmt: skip
    assert_clean_exit(run, tmp_path)
    assert_only_textual_sequences(run.output)
    out = run.output
    assert_never(out, b"\x1b]52;", b"\x1b]0;", b"\x1b]2;", b"\x1bP", b"\x1b]8;;https://evil")
    assert_never(out, b"Clear \x1b", b"\x1b[2J\x1b[H screen", b"HACKED WINDOW TITLE\x1b")
    assert_never(out, b"\x1b[31mRed speaker", b"\x1b[8mhidden", b"\x1b[5mblink")
    assert not any(b"evil.example" in target for _, target in OSC_8.findall(out))
    assert b"<U+001B>" in out
    assert_drawn(
        run,
        "Escapes <U+001B>]0;HACKED WINDOW TITLE<U+001B>\\",  # the header
        "Clear <U+001B>[2J<U+001B>[H screen",
        "Clipboard <U+001B>]52;c;cm0gLXJmIH4K<U+001B>\\ write",
        "Hyperlink <U+001B>]8;;https://evil.example/<U+001B>\\innocent text",
        "<U+001B>[31mRed speaker<U+001B>[0m",
        "<U+001B>P+q544e<U+001B>\\ DCS query",
        "<U+001B>[8mhidden<U+001B>[0m",
        "<U+001B>]0;t<U+0007>",
    )


def test_bidi_controls_are_drawn_as_placeholders(tmp_path: Path) -> None:
    run = run_app(CORPUS / "41_bidi_trojan_source.yaml", tmp_path, word="Budget",
                  ready=b"Budget approved")  # fmt: skip
    assert_clean_exit(run, tmp_path)
    assert_only_textual_sequences(run.output)
    for raw in (b"\xe2\x80\xae", b"\xe2\x80\xac", b"\xe2\x81\xa6", b"\xe2\x81\xa7",
                b"\xe2\x81\xa9"):  # fmt: skip
        assert raw not in run.output
    assert_drawn(
        run,
        "Budget approved <U+202E>0001$ DSU<U+202C> for 2026",
        "<U+2067>Quote that reorders what follows",
        "Admin<U+202E> nimdA",
        "<U+2066>isolated<U+2069> source",
        "1000 <U+202E>DSU",
    )


def test_markup_in_the_file_is_drawn_as_written(tmp_path: Path) -> None:
    path = CORPUS / "44_rich_textual_markup_injection.yaml"
    terminal = Terminal(path, tmp_path)
    try:
        assert terminal.wait_for(b"Read more")
        terminal.settle()
        # Click (SGR mouse reports) down the list, twice per row: the row of
        # "[@click=app.quit]Read more[/]" is among them, and a click on it only selects it.
        for row in range(2, 15):
            for _ in range(2):
                terminal.press(f"\x1b[<0;40;{row}M\x1b[<0;40;{row}m".encode(), quiet=0.04)
        clicked = "▾".encode() in terminal.output  # the clicks reached it: events expanded
        terminal.press_keys("sic")
        alive = terminal.process.poll() is None
        terminal.press(b"q")
    finally:
        code = terminal.finish()
    run = Run(bytes(terminal.output), alive, code)
    assert clicked
    assert_clean_exit(run, tmp_path)
    assert_only_textual_sequences(run.output)
    links = {target for _, target in OSC_8.findall(run.output)} - {b""}
    assert links == set(), "a link was made from markup in the file"
    assert_drawn(
        run,
        "[bold red]Styled app title[/]",
        "Revenue [/] fell",
        "[@click=app.quit]Read more[/]",
        "He said [sic] it [citation needed]",
        "[link=javascript:alert(1)]source[/link]",
        "[reverse]Inverted[/reverse] C:\\path\\[bold] trailing\\",
        "#[$var] #[type=x, v={'a[0]'}]",
    )


def test_only_http_sources_become_links(tmp_path: Path) -> None:
    run = run_app(CORPUS / "47_source_urls.yaml", tmp_path, word="Sourced",
                  ready=b"Sourced event")  # fmt: skip
    assert_clean_exit(run, tmp_path)
    assert_only_textual_sequences(run.output)
    targets = {target for _, target in OSC_8.findall(run.output)} - {b""}
    assert targets == {
        b"https://ok.example/%1B%5C%1B%5D52;c;ZXZpbA==%07",
        b"https://example.org/a%20b%28c%29%3Ed",
    }
    for scheme in (b"javascript:", b"JaVaScRiPt:", b"file:", b"data:", b"vscode:", b"//evil"):
        assert not any(target.startswith(scheme) for target in targets)
    assert_never(run.output, b"\x1b]52;", b"ZXZpbA==\x07", b"ok.example/\x1b")
    assert_drawn(
        run,
        "javascript:alert(1)",
        "file:///etc/passwd",
        "data:text/html,<script>alert(1)</script>",
        "//evil.example/x",
        "vscode://file/etc/passwd",
        "https://ok.example/<U+001B>\\<U+001B>]52;c;ZXZpbA==<U+0007>",
    )


def test_raw_control_bytes_in_the_file_never_reach_the_terminal(tmp_path: Path) -> None:
    run = run_app(CORPUS / "38_raw_control_bytes.yaml", tmp_path, word="screen",
                  ready=b"not allowed")  # fmt: skip
    assert_clean_exit(run, tmp_path)
    assert_only_textual_sequences(run.output)
    assert_never(run.output, b"screen \x1b", b"\x00")
    assert_drawn(run, "6:25", "control character U+001B not allowed", "8:16", "U+0000")


def test_a_cut_file_shows_its_error_as_plain_text(tmp_path: Path) -> None:
    run = run_app(CORPUS / "29_truncated_invalid.yaml", tmp_path, word="budget",
                  ready=b"never closed")  # fmt: skip
    assert_clean_exit(run, tmp_path)
    assert_only_textual_sequences(run.output)
    assert_drawn(run, "6:12", "this quoted text is never closed", "Truncated")


def test_problems_that_quote_the_file_are_drawn_with_placeholders(tmp_path: Path) -> None:
    # The problems panel, the error notification, the header and the palette's hit all
    # quote text of the file that holds escape sequences.
    run = run_app(DATA / "problems_quote_escapes.yaml", tmp_path, word="Evil",
                  ready=b"cannot read")  # fmt: skip
    assert_clean_exit(run, tmp_path)
    assert_only_textual_sequences(run.output)
    assert_never(run.output, b"\x1b]0;PWNED", b"\x1b]52;", b"ti\x1b[2J", b"2025-\x1b[31m01")
    # Short pieces: a notification drawn over the panel can split a longer line in two
    # paints, which is still the same screen.
    assert_drawn(
        run,
        "<U+001B>]0;PWNED<U+0007>",
        "<U+001B>]52;c;ZXZpbA==<U+0007>",
        "<U+202E>eman",
        "ti<U+001B>[2Jtle2",
        "2025-<U+001B>[31m01",
        "<U+001B>]8;;https://evil.example/",
    )
