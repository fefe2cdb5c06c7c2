"""Work shared out among forked children: each part done once, here if a child cannot."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from timeline_tui.core import forked
from timeline_tui.core.forked import forked_map

PARENT = os.getpid()
# Elsewhere every part is done here, in turn (see `forked.can_fork`).
forks = pytest.mark.skipif(sys.platform != "linux", reason="forks only on Linux")


@forks
def test_each_part_but_the_first_is_worked_on_in_a_child() -> None:
    pids = forked_map(lambda part: (part, os.getpid()), [1, 2, 3])
    assert [part for part, _ in pids] == [1, 2, 3]
    assert pids[0][1] == PARENT
    assert PARENT not in {pids[1][1], pids[2][1]}
    assert pids[1][1] != pids[2][1]


def _fails_in_a_child(part: int) -> tuple[int, int]:
    if os.getpid() != PARENT:
        if part == 2:
            raise ValueError("child failed")
        os.kill(os.getpid(), signal.SIGKILL)
    return part * 10, os.getpid()


@forks
def test_a_part_whose_child_fails_or_dies_is_done_here() -> None:
    assert forked_map(_fails_in_a_child, [1, 2, 3]) == [(10, PARENT), (20, PARENT), (30, PARENT)]


@forks
def test_no_child_is_forked_while_another_thread_runs() -> None:
    stop = threading.Event()
    thread = threading.Thread(target=stop.wait)
    thread.start()
    try:
        assert forked_map(lambda part: os.getpid(), [1, 2]) == [PARENT, PARENT]
    finally:
        stop.set()
        thread.join()


@forks
def test_a_failure_here_ends_the_children_at_once(tmp_path: Path) -> None:
    def work(part: int) -> int:
        if os.getpid() == PARENT:
            time.sleep(0.2)  # the children have started
            raise RuntimeError("failed here")
        (tmp_path / str(os.getpid())).touch()
        time.sleep(60)
        return part

    start = time.monotonic()
    with pytest.raises(RuntimeError):
        forked_map(work, [1, 2, 3])
    assert time.monotonic() - start < 10
    children = [int(p.name) for p in tmp_path.iterdir()]
    assert len(children) == 2
    for pid in children:
        with pytest.raises(ChildProcessError):
            os.waitpid(pid, os.WNOHANG)  # killed and reaped: no zombie left


def test_runs_cover_every_item_once_and_are_never_too_short() -> None:
    assert forked.runs(0, 4, 10) == []
    assert forked.runs(19, 4, 10) == [(0, 19)]
    assert forked.runs(40, 4, 10) == [(0, 10), (10, 20), (20, 30), (30, 40)]
    parts = forked.runs(100, 2, 10, 1.25)
    assert parts == [(0, 56), (56, 100)]  # the parent's run is longer: it pickles nothing


# A program that shares two parts out: the child's sleeps `CHILD` seconds, the parent's
# `PARENT`; each writes its pid to the folder in argv[1] first. It prints the pids that
# did the parts, or exits with 130 on an interrupt. (Python leaves Ctrl-C ignored when
# it starts so, as a shell starts `./.ci/run &`: the tests of Ctrl-C then hung.)
DRIVER = """
import os, sys, time, signal
from timeline_tui.core.forked import forked_map
if sys.argv[4] == "ignore":
    signal.signal(signal.SIGINT, signal.SIG_IGN)
else:
    signal.signal(signal.SIGINT, signal.default_int_handler)
def work(part):
    open(os.path.join(sys.argv[1], f"{part}-{os.getpid()}"), "w").close()
    time.sleep(float(sys.argv[2] if part == 0 else sys.argv[3]))
    return os.getpid()
try:
    print(forked_map(work, [0, 1]), flush=True)
except KeyboardInterrupt:
    sys.exit(130)
"""


def _driver(folder: Path, parent: float, child: float, sigint: str = "") -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-c", DRIVER, str(folder), str(parent), str(child), sigint or "-"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,  # a process group of its own, as a command in a shell
    )


def _started(folder: Path, count: int = 2) -> dict[int, int]:
    """The pid of each part, once both have started."""
    deadline = time.monotonic() + 10
    while len(list(folder.iterdir())) < count and time.monotonic() < deadline:
        time.sleep(0.02)
    return {int(p.name.split("-")[0]): int(p.name.split("-")[1]) for p in folder.iterdir()}


def _gone(pid: int, within: float = 3.0) -> bool:
    """Whether the process has ended (a zombie nobody reaps counts as ended)."""
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        try:
            with open(f"/proc/{pid}/stat") as stat:
                if stat.read().rsplit(")", 1)[1].split()[0] in ("Z", "X"):
                    return True
        except FileNotFoundError:
            return True
        time.sleep(0.02)
    return False


@forks
@pytest.mark.parametrize("sent", [signal.SIGTERM, signal.SIGKILL])
def test_a_child_dies_with_its_parent(tmp_path: Path, sent: signal.Signals) -> None:
    process = _driver(tmp_path, parent=30, child=30)
    pids = _started(tmp_path)
    os.kill(process.pid, sent)  # the parent alone, not its group
    process.wait(timeout=10)
    assert _gone(pids[1])


@forks
def test_ctrl_c_to_the_parent_alone_ends_the_child_it_waits_for(tmp_path: Path) -> None:
    process = _driver(tmp_path, parent=0, child=30)
    pids = _started(tmp_path)
    time.sleep(0.2)  # the parent is done with its part, and waits for the child's
    start = time.monotonic()
    os.kill(process.pid, signal.SIGINT)
    assert process.wait(timeout=10) == 130
    assert time.monotonic() - start < 3
    assert _gone(pids[1])
    assert process.stderr is not None and process.stderr.read() == ""


@forks
def test_a_child_ignores_ctrl_c_when_its_parent_does(tmp_path: Path) -> None:
    process = _driver(tmp_path, parent=1, child=1, sigint="ignore")
    pids = _started(tmp_path)
    os.killpg(process.pid, signal.SIGINT)  # the whole group, as a terminal sends it
    out, err = process.communicate(timeout=10)
    assert process.returncode == 0 and err == ""
    assert out.strip() == f"[{pids[0]}, {pids[1]}]"  # the child's part was done by the child


@forks
def test_work_in_the_background_outlives_the_call_and_holds_no_file_open(tmp_path: Path) -> None:
    done = tmp_path / "done"

    def work() -> None:
        time.sleep(1)
        done.write_text(f"{os.getpid()} {os.getsid(0)} {os.getcwd()}")

    # A pipe this process opened, as a shell's pipe or a hook's is: its reader sees the
    # end once every writer has closed it, and the worker must not be one of them.
    read_end, write_end = os.pipe()
    start = time.monotonic()
    forked.in_background(work)
    returned = time.monotonic() - start
    os.close(write_end)
    assert os.read(read_end, 1) == b""
    read_eof = time.monotonic() - start
    os.close(read_end)
    assert returned < 0.5 and read_eof < 0.5
    assert not done.exists()
    deadline = time.monotonic() + 10
    while not done.exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    pid, session, folder = done.read_text().split()
    assert int(pid) != PARENT and int(session) != os.getsid(0)  # out of the terminal's
    assert folder == "/"  # the command's working folder is not kept in use


@forks
def test_work_in_the_background_keeps_its_lock_and_cleans_up_on_sigterm(tmp_path: Path) -> None:
    started, cleaned = tmp_path / "started", tmp_path / "cleaned"

    def work() -> None:
        started.write_text(str(os.getpid()))
        try:
            time.sleep(30)
        finally:
            cleaned.touch()  # as a cache write removes its half-written file

    read_end, lock = os.pipe()  # stands for the lock: held open while the work runs
    forked.in_background(work, keep=lock)
    os.close(lock)
    deadline = time.monotonic() + 10
    while not (started.exists() and started.read_text()) and time.monotonic() < deadline:
        time.sleep(0.02)
    os.kill(int(started.read_text()), signal.SIGTERM)
    assert os.read(read_end, 1) == b""  # the worker held it to its end
    os.close(read_end)
    assert cleaned.exists()


@forks
def test_work_is_done_here_when_no_process_can_be_made(monkeypatch: pytest.MonkeyPatch) -> None:
    def refused() -> int:
        raise OSError("no more processes")

    monkeypatch.setattr(os, "fork", refused)
    pids: list[int] = []
    forked.in_background(lambda: pids.append(os.getpid()))
    assert pids == [PARENT]
