"""Work shared out among forked children: each part done once, here if a child cannot."""

from __future__ import annotations

import os
import signal
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
