"""Work spread over the machine's cores by forking, for the command line's big loads and exports.

Reading 100k events is pure Python, held to one core by the GIL. A forked child starts
with the parent's memory, the file's text included, so it needs nothing sent: it reads its
share of the blocks and sends back only what it made, pickled (a fifth of what reading
costs). A thread cannot help, and a spawned process would have to be sent the text and to
import everything first.

Only a process with no other thread may fork (a thread holding a lock at the fork leaves
it held for ever in the child), and only on Linux: the app, whose loads run in threads,
never does. A child that fails, or a fork that the system refuses, costs only time: its
share is done here.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import signal
import sys
import threading
from collections.abc import Callable, Sequence
from itertools import pairwise
from typing import TypeVar

from timeline_tui.core.memory import libc

T = TypeVar("T")
R = TypeVar("R")

# More processes than this gain little: the parent unpickles every child's share alone.
MAX_PROCESSES = 8
_PR_SET_PDEATHSIG = 1  # prctl's option (linux/prctl.h)


def cpus() -> int:
    """The cores this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def runs(
    count: int, processes: int, minimum: int, first_weight: float = 1.0
) -> list[tuple[int, int]]:
    """`count` items cut into one run (first:stop) per process, each of `minimum` items or
    more, the first one (the parent's) `first_weight` times as long as the others."""
    processes = max(1, min(processes, count // minimum))
    weights = [first_weight] + [1.0] * (processes - 1)
    bounds, total, done = [0], sum(weights), 0.0
    for weight in weights:
        done += weight
        bounds.append(round(count * done / total))
    return [(first, stop) for first, stop in pairwise(bounds) if stop > first]


def can_fork() -> bool:
    # Not on macOS, where system libraries may run threads of their own that Python does
    # not count (multiprocessing no longer forks there either).
    return sys.platform == "linux" and threading.active_count() == 1


def forked_map(work: Callable[[T], R], parts: Sequence[T]) -> list[R]:
    """`[work(part) for part in parts]`: the first part here, each other one in a forked
    child at the same time, when this process can fork (else all here, in turn).

    `work` must not change what the parent keeps (a child's changes are lost with it);
    its result must pickle."""
    if len(parts) < 2 or not can_fork():
        return [work(part) for part in parts]
    libc("prctl")  # looked up once, here: each child has it at hand
    children: list[tuple[int, int] | None] = []
    try:
        # A Ctrl-C is held back while the children are made, so that none is left out of
        # `children` (nor interrupted half-made, with a traceback on the terminal).
        mask = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
        try:
            for part in parts[1:]:
                children.append(_fork(work, part, mask))
        finally:
            signal.pthread_sigmask(signal.SIG_SETMASK, mask)
        results = [work(parts[0])]
        for index, child in enumerate(children):
            children[index] = None  # _collect ends it, whatever happens
            result = _collect(child)
            results.append(work(parts[index + 1]) if result is None else result[0])
        return results
    finally:
        for child in children:
            if child is not None:
                _abandon(child)


def _fork(work: Callable[[T], R], part: T, mask: set[signal.Signals]) -> tuple[int, int] | None:
    """A child working on `part`: its pid and the pipe its result comes through. `mask`:
    the signals blocked before the parent held back Ctrl-C."""
    try:
        read_end, write_end = os.pipe()
    except OSError:
        return None
    parent = os.getpid()
    try:
        pid = os.fork()
    except OSError:
        os.close(read_end)
        os.close(write_end)
        return None
    if pid == 0:  # the child: it never returns, and leaves the parent's files alone
        status = 1
        try:
            os.close(read_end)
            _die_with(parent)
            # Ctrl-C stops the children with the parent, unless the parent ignores it.
            if signal.getsignal(signal.SIGINT) is not signal.SIG_IGN:
                signal.signal(signal.SIGINT, signal.SIG_DFL)
            signal.pthread_sigmask(signal.SIG_SETMASK, mask)
            _without_terminal()
            with open(write_end, "wb") as out:
                out.write(pickle.dumps(work(part), pickle.HIGHEST_PROTOCOL))
            status = 0
        finally:
            os._exit(status)
    os.close(write_end)
    return pid, read_end


def _die_with(parent: int) -> None:
    """Have the kernel kill this child when its parent dies, by any signal: else it would
    read on alone, holding the command's output open."""
    prctl = libc("prctl")
    if prctl is not None:
        prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    if os.getppid() != parent:
        os._exit(1)  # the parent died before that


def _without_terminal() -> None:
    """Standard input and output on /dev/null: a child never writes the command's output,
    nor reads its input."""
    null = os.open(os.devnull, os.O_RDWR)
    for fd in (0, 1, 2):
        os.dup2(null, fd)
    os.close(null)


def _collect(child: tuple[int, int] | None) -> tuple[R] | None:
    """A child's result (in a 1-tuple), or None if it has none to give; the child is
    ended (killed if interrupted) and reaped."""
    if child is None:
        return None
    pid, read_end = child
    try:
        with open(read_end, "rb") as pipe:
            payload = pipe.read()
    except BaseException:
        _end(pid)
        raise
    try:
        _, status = os.waitpid(pid, 0)
    except ChildProcessError:  # reaped already: SIGCHLD is ignored; the payload tells
        status = 0
    if status != 0 or not payload:
        return None
    try:
        return (pickle.loads(payload),)
    except Exception:  # cut short: the child died while writing
        return None


def _abandon(child: tuple[int, int]) -> None:
    """End a child whose result is not wanted (the parent is failing or interrupted)."""
    pid, read_end = child
    with contextlib.suppress(OSError):
        os.close(read_end)
    _end(pid)


def _end(pid: int) -> None:
    with contextlib.suppress(OSError):
        os.kill(pid, signal.SIGKILL)
    with contextlib.suppress(OSError):
        os.waitpid(pid, 0)


def in_background(work: Callable[[], object], keep: int | None = None) -> None:
    """Do `work` in a process that outlives this one, so that a command can end now (as
    `git gc --auto` detaches): here, in turn, when this process cannot fork.

    The worker is a grandchild, in a session of its own: the parent waits only for the
    child between them, the terminal's Ctrl-C and hang-up no longer reach it, and init
    reaps it. It keeps no file of the command's open (a shell, or a hook that reads the
    command's output, would wait for it) but `keep` (a lock it holds while it works), nor
    its working folder (which could then not be unmounted), and SIGTERM ends it as it
    ends the command: cleaning up what is half-written."""
    if not can_fork():
        work()
        return
    try:
        pid = os.fork()
    except OSError:
        work()
        return
    if pid == 0:  # the child: it never returns
        status = 1
        try:
            os.setsid()
            if os.fork() == 0:
                _detached(work, keep)
            status = 0
        finally:
            os._exit(status)
    try:
        _, status = os.waitpid(pid, 0)
    except ChildProcessError:  # reaped already: SIGCHLD is ignored (see `cli.main`)
        return
    if status != 0:  # no grandchild was made
        work()


def _detached(work: Callable[[], object], keep: int | None) -> None:
    """The grandchild's life: `work`, alone, and out."""
    status = 1
    try:
        signal.signal(signal.SIGINT, signal.SIG_DFL)
        signal.signal(signal.SIGTERM, terminated)
        _without_terminal()
        if keep is None:
            os.closerange(3, os.sysconf("SC_OPEN_MAX"))
        else:
            os.closerange(3, keep)
            os.closerange(keep + 1, os.sysconf("SC_OPEN_MAX"))
        os.chdir("/")
        work()
        status = 0
    finally:
        os._exit(status)


def terminated(signum: int, frame: object) -> None:
    """A SIGTERM handler: end as for Ctrl-C, cleaning up what is half-written."""
    raise SystemExit(128 + signum)
