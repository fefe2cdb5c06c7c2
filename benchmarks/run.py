"""Measure timeline-tui against the floor, in one run, and print a table of ratios.

    python benchmarks/run.py                 # 20k and 100k events
    python benchmarks/run.py --sizes 20000   # one size
    python benchmarks/run.py --skip-app      # only the command-line goals

The floor is the fastest anything can read a YAML file here: iterating libyaml's event
stream, `for _ in yaml.parse(f, Loader=yaml.CSafeLoader): pass`. Every goal is a ratio to
the floor measured in the same run, because machines are noisy: a command's to the floor
timed just before each of its runs (their best against its best), since this machine's
speed drifts within minutes; the app's to the floor timed first. The app is measured end to
end, as a person sees it: started in a pseudo-terminal, timed until the screen shows what it
should (the first event's title, the edited title, the answer to a key).
"""

from __future__ import annotations

import argparse
import compileall
import os
import platform
import pty
import select
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).parent))
from generate import generate

# The command installed beside this Python (a venv not activated), else on PATH.
EXE = shutil.which("timeline-tui", path=str(Path(sys.executable).parent)) or "timeline-tui"
TODAY = "2026-11-26"


def best_of(
    runs: int, work: Callable[[], object], before: Callable[[], object] | None = None
) -> float:
    """The shortest of `runs` timings of `work`, each after `before` (not timed)."""
    times = []
    for _ in range(runs):
        if before is not None:
            before()
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return min(times)


def floor(path: Path, runs: int = 3) -> float:
    def read() -> None:
        with path.open("rb") as handle:
            for _ in yaml.parse(handle, Loader=yaml.CSafeLoader):
                pass

    return best_of(runs, read)


def command(
    args: list[str], cache: Path, path: Path, before: Callable[[], object] | None = None
) -> tuple[float, float]:
    """The command's best time of three, with `cache` as its cache folder, and the best
    time of the floor on `path`, timed before each run: this machine's speed drifts by
    half within minutes (a floor of 3.6 s at 100k at one moment, 5.2 s at another), and a
    ratio must compare times of the same minutes."""
    env = {**os.environ, "XDG_CACHE_HOME": str(cache)}
    floors: list[float] = []

    def run() -> None:
        subprocess.run([EXE, *args], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)

    def settled() -> None:
        # A command that cached a big load left the writing to a process of its own: it
        # must not share the machine with the next run (nor the next run miss its entry).
        wait_for_detached(args)
        floors.append(floor(path, runs=1))
        if before is not None:
            before()

    return best_of(3, run, settled), min(floors)


def wait_for_detached(args: list[str], timeout: float = 60.0) -> None:
    """Wait until no process runs `timeline-tui *args` (the detached cache writer)."""
    wanted = "\0".join(args).encode()
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        running = False
        for cmdline in Path("/proc").glob("[0-9]*/cmdline"):
            try:
                running = running or wanted in cmdline.read_bytes()
            except OSError:
                continue
        if not running:
            return
        time.sleep(0.05)


def measure_commands(path: Path, text: str, tmp: Path) -> list[tuple[str, float, float, float]]:
    """validate and export, each: on a first run (no cache entry: it has one written in
    the background, which the next run waits for, untimed), with --no-cache, on a file
    unchanged since the last run, and after a one-line edit."""
    cache = tmp / "command-cache"
    out = str(tmp / "out.md")
    events = text.index("\nevents:\n")  # an event's title, not a source's in the header
    edited = text[:events] + text[events:].replace("    title: ", "    title: Edited, ", 1)
    rows = []
    for name, args in (
        ("validate", ["validate", str(path)]),
        ("export", ["export", str(path), "-o", out, "--force"]),
    ):
        path.write_text(text, encoding="utf-8")
        clear = lambda: shutil.rmtree(cache, ignore_errors=True)  # noqa: E731
        rows.append(
            (f"{name}, first run (caches it after)", *command(args, cache, path, clear), 1.5)
        )
        wait_for_detached(args)  # the --no-cache runs below have another command line
        rows.append((f"{name} --no-cache", *command([*args, "--no-cache"], cache, path), 1.5))
        rows.append((f"{name}, file unchanged since", *command(args, cache, path), 1.5))
        path.write_text(edited, encoding="utf-8")
        rows.append((f"{name}, after a one-line edit", *command(args, cache, path), 1.5))
        wait_for_detached(args)
    path.write_text(text, encoding="utf-8")
    return rows


class Terminal:
    """The app in a pseudo-terminal, with its output read as it comes."""

    def __init__(self, path: Path, cache: Path, size: tuple[int, int] = (120, 40)) -> None:
        self.pid, self.fd = pty.fork()
        if self.pid == 0:  # the child: become the app
            os.environ.update(
                TERM="xterm-256color",
                COLUMNS=str(size[0]),
                LINES=str(size[1]),
                XDG_CACHE_HOME=str(cache),
                EDITOR="true",
            )
            os.execvp(EXE, [EXE, str(path), "--today", TODAY])
        import fcntl
        import struct
        import termios

        fcntl.ioctl(self.fd, termios.TIOCSWINSZ, struct.pack("HHHH", size[1], size[0], 0, 0))
        self.started = time.perf_counter()
        self.buffer = b""

    def read(self, timeout: float) -> bytes:
        ready, _, _ = select.select([self.fd], [], [], timeout)
        if not ready:
            return b""
        try:
            chunk = os.read(self.fd, 1 << 20)
        except OSError:
            return b""
        self.buffer += chunk
        return chunk

    def wait_for(self, *needles: bytes, timeout: float = 120.0) -> float:
        """Seconds until one of `needles` appears in the output (from the call)."""
        start = time.perf_counter()
        self.buffer = b""
        while time.perf_counter() - start < timeout:
            self.read(0.05)
            if any(needle in self.buffer for needle in needles):
                return time.perf_counter() - start
        raise TimeoutError(f"{needles!r} did not appear within {timeout} s")

    def answer_time(self, keys: bytes, quiet: float = 0.15) -> float:
        """Seconds from sending keys to the last byte of the screen update they cause."""
        return self.answer(keys, quiet)[1]

    def answer(self, keys: bytes, quiet: float = 0.15) -> tuple[float, float]:
        """Seconds from sending keys to the first and to the last byte of what they cause."""
        self.drain()
        start = time.perf_counter()
        os.write(self.fd, keys)
        first = last = None
        while True:
            chunk = self.read(quiet)
            now = time.perf_counter()
            if chunk:
                first = first or now
                last = now
            elif last is not None or now - start > 5:
                break
        end = time.perf_counter()
        return (first or end) - start, (last or end) - start

    def drain(self) -> None:
        while self.read(0.05):
            pass

    def memory_mb(self, field: str = "VmRSS") -> float:
        """Resident memory now (VmRSS), or at its highest so far (VmHWM)."""
        for line in Path(f"/proc/{self.pid}/status").read_text().splitlines():
            if line.startswith(f"{field}:"):
                return int(line.split()[1]) / 1024
        return float("nan")

    def close(self) -> None:
        try:
            os.write(self.fd, b"q")
            for _ in range(40):
                if os.waitpid(self.pid, os.WNOHANG) != (0, 0):
                    return
                time.sleep(0.05)
            os.kill(self.pid, signal.SIGKILL)
            os.waitpid(self.pid, 0)
        except (OSError, ChildProcessError):
            pass


def first_shown_title(path: Path) -> str:
    """The title of the event at the top of the timeline (the first in date order)."""
    from timeline_tui.core.loader import load_file

    timeline = load_file(path).timeline
    assert timeline is not None
    return timeline.events[0].title


def measure_app(path: Path, text: str, cache: Path, size: int) -> dict[str, float]:
    figures: dict[str, float] = {}
    title = first_shown_title(path)
    # The header shows "loading… n of total events read" while a long load shows its
    # first events, then "total events" once everything is in.
    first_screen = f" of {size:,} events read".encode()
    ready = f"  {size:,} events".encode()
    app = Terminal(path, cache)
    try:
        app.wait_for(first_screen, ready)
        figures["open cold"] = time.perf_counter() - app.started
        app.wait_for(ready)
        figures["open cold, all loaded"] = time.perf_counter() - app.started
        app.drain()
        time.sleep(1.0)  # let a progressive load finish before timing keys
        app.drain()
        keys = {"j": b"j", "k": b"k", "PageDown": b"\x1b[6~", "Enter": b"\r"}
        for name, key in keys.items():
            figures[f"key {name}"] = statistics.median(app.answer_time(key) for _ in range(15))
        figures["key G"] = statistics.median(
            [app.answer_time(b"G"), app.answer_time(b"g"), app.answer_time(b"G")]
        )
        app.answer_time(b"g")
        app.answer_time(b"/")
        typed = [app.answer(ch.encode()) for ch in "partner"]
        figures["filter keystroke, echoed"] = statistics.median(t[0] for t in typed)
        figures["filter keystroke, list updated"] = statistics.median(t[1] for t in typed)
        app.answer_time(b"\x1b")
        # The edits below are of the first event's title: the list back at its top (a
        # filter cleared keeps the cursor's row where it was on screen, rows above it).
        app.answer_time(b"g")
        time.sleep(0.3)
        figures["rss MB"] = app.memory_mb()
        figures["peak rss MB"] = app.memory_mb("VmHWM")
        saved, started = timed_edits(app, path, text, title, "Edited by the benchmark", 5)
        figures["reload after edit"] = saved
        figures["reload after edit, from the start of the write"] = started
        # Edits a save each, timed three times over (medians: one save's time varies by
        # half between runs on this machine). A line added to the first event moves every
        # event below it; the timeline renamed is an edit of the header, above the events;
        # a quote left open is a slip of YAML in one event, then fixed; one left open in the
        # timeline's title, a slip in the header.
        renamed = text.replace("title: Generated benchmark timeline\n", "title: Renamed tl\n", 1)
        header_slip = text.replace("title: Generated", 'title: "Generated', 1)
        slip = text.replace(f"title: {title}\n", f'title: "{title}\n', 1)
        timed: dict[str, list[float]] = {}
        for n in range(3):
            added = text.replace(f"title: {title}\n", f"title: Line added {n}\n    # below\n", 1)
            fixed = text.replace(f"title: {title}\n", f"title: Slip fixed {n}\n", 1)
            for name, version, shown in [
                ("reload after a line added", added, f"Line added {n}".encode()),
                ("", text, title[:20].encode()),
                ("reload after the header edited", renamed, b"Renamed tl"),
                ("", text, b"Generated benchmark timeline"),
                ("reload after a slip in the header", header_slip, b" closed"),
                ("", text, b"Generated benchmark timeline"),
                ("reload after a slip", slip, b" closed"),
                ("reload after the slip fixed", fixed, f"Slip fixed {n}".encode()),
                ("", text, title[:20].encode()),
            ]:
                seconds = timed_write(app, path, version, shown)
                if name:
                    timed.setdefault(name, []).append(seconds)
        figures.update((name, statistics.median(times)) for name, times in timed.items())
    finally:
        app.close()
    time.sleep(3)  # the app caches a load once the file has been quiet for 2 s
    app = Terminal(path, cache)
    try:
        app.wait_for(first_screen, ready)
        figures["reopen"] = time.perf_counter() - app.started
        app.wait_for(ready)
        figures["reopen, all loaded"] = time.perf_counter() - app.started
        time.sleep(3)  # the reopened app makes ready for the next edit once the file is quiet
        app.drain()
        saved, _ = timed_edits(app, path, text, title, "Edited after reopening", 3)
        figures["reload after edit, reopened"] = saved
        path.write_text(text, encoding="utf-8")
    finally:
        app.close()
    return figures


def timed_write(app: Terminal, path: Path, text: str, shown: bytes) -> float:
    """How long after `text` is saved to `path` the app shows `shown`."""
    time.sleep(0.5)
    path.write_text(text, encoding="utf-8")
    written = time.perf_counter()
    app.wait_for(shown)
    return time.perf_counter() - written


def timed_edits(
    app: Terminal, path: Path, text: str, title: str, label: str, count: int
) -> tuple[float, float]:
    """One-line edits of the first event's title, saved in place: the median time until
    each shows, from the end of the save (writing 54 MB takes this machine 0.05-0.2 s,
    and nothing can be shown before the file is whole) and from its start."""
    saved, started = [], []
    for number in range(count):
        new = f"{label} {number}"
        edited = text.replace(f"title: {title}\n", f"title: {new}\n", 1)
        start = time.perf_counter()
        path.write_text(edited, encoding="utf-8")
        written = time.perf_counter()
        app.wait_for(new.encode())
        saved.append(time.perf_counter() - written)
        started.append(time.perf_counter() - start)
        time.sleep(0.5)
    return statistics.median(saved), statistics.median(started)


def bare_textual() -> float:
    code = (
        "from textual.app import App\n"
        "class A(App):\n"
        "    def on_mount(self): self.exit()\n"
        "A().run(headless=True)\n"
    )
    return best_of(3, lambda: subprocess.run([sys.executable, "-c", code], check=True))


def compiled() -> None:
    """Have timeline_tui's bytecode compiled, as it is once installed: pip compiles what it
    installs, and Python writes the bytecode of an editable install at its first import.
    With PYTHONDONTWRITEBYTECODE set (as on the machines this was measured on), nothing
    wrote it, and every command compiled the package's source again: 0.1 s each."""
    import timeline_tui

    compileall.compile_dir(Path(timeline_tui.__file__).parent, quiet=1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[20_000, 100_000])
    parser.add_argument("--skip-app", action="store_true")
    args = parser.parse_args()
    compiled()
    print(
        f"machine: {platform.node()} {platform.machine()}, {os.cpu_count()} cpus, "
        f"Python {platform.python_version()}, libyaml {yaml.__with_libyaml__}"
    )
    if not args.skip_app:
        print(f"bare Textual app start and exit: {bare_textual():.2f} s")
    with tempfile.TemporaryDirectory() as tmp:
        for size in args.sizes:
            path = Path(tmp) / f"t{size}.yaml"
            text = generate(size)
            path.write_text(text, encoding="utf-8")
            base = floor(path)
            mb = path.stat().st_size / 1e6
            commands = measure_commands(path, text, Path(tmp))
            beside = [row[2] for row in commands]
            print(
                f"\n{size} events, {mb:.1f} MB; floor (libyaml event stream): {base:.2f} s "
                f"(timed beside each command: {min(beside):.2f}-{max(beside):.2f} s)"
            )
            # (name, seconds, the floor of the same minutes, goal as a ratio)
            rows: list[tuple[str, float, float, float | None]] = list(commands)
            if not args.skip_app:
                app = measure_app(path, text, Path(tmp) / "cache", size)
                app_rows: list[tuple[str, float, float | None]] = [
                    ("app: first screen, cold", app["open cold"], 2.0),
                    ("app: all events loaded, cold", app["open cold, all loaded"], None),
                    ("app: first screen, reopen", app["reopen"], None),
                    ("app: all events loaded, reopen", app["reopen, all loaded"], None),
                    ("app: reload after a one-line edit (median)", app["reload after edit"], None),
                    (
                        "  (timed from the start of the write)",
                        app["reload after edit, from the start of the write"],
                        None,
                    ),
                    (
                        "app: reload, line added at the top (median)",
                        app["reload after a line added"],
                        None,
                    ),
                    (
                        "app: reload, the header edited (median)",
                        app["reload after the header edited"],
                        None,
                    ),
                    (
                        "app: reload, a quote left open in the header (median)",
                        app["reload after a slip in the header"],
                        None,
                    ),
                    (
                        "app: reload, a quote left open (median)",
                        app["reload after a slip"],
                        None,
                    ),
                    (
                        "app: reload, that quote closed (median)",
                        app["reload after the slip fixed"],
                        None,
                    ),
                    (
                        "app: reload after an edit, reopened (median)",
                        app["reload after edit, reopened"],
                        None,
                    ),
                ]
                keys = [k for k in app if k.startswith(("key", "filter"))]
                app_rows += [(f"app: {k} (median)", app[k], None) for k in keys]
                app_rows.append(("app: resident memory (MB)", app["rss MB"], None))
                app_rows.append(("app: peak resident memory (MB)", app["peak rss MB"], None))
                rows += [(name, seconds, base, goal) for name, seconds, goal in app_rows]
            print(f"{'measure':46} {'seconds':>9} {'x floor':>8} {'goal':>12}")
            for name, seconds, same_minutes, goal in rows:
                if name.startswith("app: peak"):  # loading, indexing, caching
                    print(f"{name:46} {seconds:9.0f} {'':>8} {'(shown)':>12}")
                    continue
                if name.endswith("(MB)"):
                    if size < 100_000:  # Python and Textual alone take 40 MB
                        print(f"{name:46} {seconds:9.0f} {'':>8} {'(shown)':>12} goal at 100k")
                        continue
                    limit = 4 * mb
                    verdict = "ok" if seconds <= limit else "MISSED"
                    print(f"{name:46} {seconds:9.0f} {'':>8} {f'<= {limit:.0f} MB':>12} {verdict}")
                    continue
                ratio = seconds / same_minutes
                if goal is not None:
                    target, verdict = f"<= {goal}x", "ok" if ratio <= goal else "MISSED"
                elif "all events" in name or "(timed" in name:
                    target, verdict = "(shown)", ""
                elif "reload" in name:
                    target, verdict = "<= 0.3 s", "ok" if seconds <= 0.3 else "MISSED"
                elif "reopen" in name:
                    target, verdict = "<= 1 s", "ok" if seconds <= 1 else "MISSED"
                else:
                    target, verdict = "<= 50 ms", "ok" if seconds <= 0.05 else "MISSED"
                print(f"{name:46} {seconds:9.3f} {ratio:8.2f} {target:>12} {verdict}")


if __name__ == "__main__":
    main()
