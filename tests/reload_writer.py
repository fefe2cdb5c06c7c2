"""Rewrites a timeline file in every way editors (and accidents) do.

The reload tests call its steps one at a time; the torture test runs it as a separate
process: `python reload_writer.py PATH STEPS SEED LOG` cycles STEPS times through saves
(in place, by rename, by delete and recreate) and hostile states (emptied, deleted, chmod
000, a folder, a FIFO, a link to /dev/zero, a syntax error), moving between versions A and
B of the timeline (sometimes C, two events longer), and leaves version C. Each line of LOG
says what it did and when (time.monotonic, comparable across processes on Linux).

Plain Python, no Textual: it also runs in a child process started from the tests.
"""

from __future__ import annotations

import itertools
import os
import random
import stat
import sys
import time
from collections.abc import Callable
from pathlib import Path

BASE = (Path(__file__).resolve().parent / "corpus" / "55_reload_base_good.yaml").read_text(
    encoding="utf-8"
)
BASE_TITLES = ("Kennedy's Moon speech", "Apollo 1 fire", "Apollo 11 landing")
EXTRA_TITLES = ("Apollo 13 oxygen tank explodes", "Apollo 17 leaves the Moon")


def _version(tag: str) -> str:
    """The base file with every title marked `tag`; C also has two more events."""
    text = BASE
    for title in BASE_TITLES:
        old = f"    title: {title}\n"
        assert old in text, title
        text = text.replace(old, f"    title: {title} {tag}\n", 1)
    if tag == "C":
        text += (
            f"  - date: 1970-04-13\n    title: {EXTRA_TITLES[0]} C\n"
            f"  - date: 1972-12-14\n    title: {EXTRA_TITLES[1]} C\n"
        )
    return text


VERSIONS = {tag: _version(tag) for tag in "ABC"}
TITLES = {
    tag: frozenset(f"{t} {tag}" for t in BASE_TITLES + (EXTRA_TITLES if tag == "C" else ()))
    for tag in "ABC"
}
# A syntax error in the second event: the other two still read, but the file has an error.
BROKEN = VERSIONS["A"].replace("    title: Apollo 1 fire A\n", "    title: [Apollo 1 fire A\n")
assert VERSIONS["A"] != BROKEN


# -- saves: each leaves `text` in the file -------------------------------------------------


def write_in_place(path: Path, text: str, pieces: int = 4, pause: float = 0.002) -> None:
    """Like vim's in-place write: truncate the file, then write it in a few pieces (cut at
    any byte, mid-line too), with a short pause between them."""
    data = text.encode("utf-8")
    cuts = [len(data) * k // pieces for k in range(pieces + 1)]
    with open(path, "wb") as file:
        for start, end in itertools.pairwise(cuts):
            file.write(data[start:end])
            file.flush()
            if end < len(data):
                time.sleep(pause)


def write_pausing(path: Path, text: str, pause: float = 0.1) -> None:
    """A slow writer: truncate, write the first event, pause for longer than the app's
    settle time, then write the rest. The first part alone is a valid file."""
    data = text.encode("utf-8")
    at = data.index(b"\n  - ", data.index(b"\n  - ") + 1) + 1
    with open(path, "wb") as file:
        file.write(data[:at])
        file.flush()
        time.sleep(pause)
        file.write(data[at:])


def rename_save(path: Path, text: str) -> None:
    """Like most editors: write a temporary file beside it, then rename it over the file."""
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    temporary.write_bytes(text.encode("utf-8"))
    os.replace(temporary, path)


def recreate(path: Path, text: str) -> None:
    """Delete the file, then write a new one under the same name."""
    remove(path)
    path.write_bytes(text.encode("utf-8"))


SAVES: dict[str, Callable[[Path, str], None]] = {
    "in place": write_in_place,
    "in place, pausing": write_pausing,
    "rename": rename_save,
    "delete and recreate": recreate,
}


# -- hostile states: each is undone by `restore` ------------------------------------------


def remove(path: Path) -> None:
    """Whatever is at `path` (file, link, FIFO, folder) is gone afterwards."""
    try:
        info = os.lstat(path)
    except FileNotFoundError:
        return
    if stat.S_ISDIR(info.st_mode):
        os.rmdir(path)
    else:
        os.unlink(path)


def emptied(path: Path) -> None:
    open(path, "wb").close()


def chmod_000(path: Path) -> None:
    os.chmod(path, 0)


def folder(path: Path) -> None:
    remove(path)
    os.mkdir(path)


def fifo(path: Path) -> None:
    remove(path)
    os.mkfifo(path)


def link_to_dev_zero(path: Path) -> None:
    remove(path)
    os.symlink("/dev/zero", path)


def broken(path: Path) -> None:
    write_in_place(path, BROKEN)


HOSTILE: dict[str, Callable[[Path], None]] = {
    "emptied": emptied,
    "deleted": remove,
    "chmod 000": chmod_000,
    "a folder": folder,
    "a FIFO": fifo,
    "a link to /dev/zero": link_to_dev_zero,
    "a syntax error": broken,
}


def restore(path: Path) -> None:
    """Make `path` a writable regular file again (or nothing), ready for a save."""
    try:
        info = os.lstat(path)
    except FileNotFoundError:
        return
    if not stat.S_ISREG(info.st_mode):
        remove(path)
    elif info.st_mode & 0o777 == 0:
        os.chmod(path, 0o644)


# -- the torture run -----------------------------------------------------------------------


def torture(path: Path, steps: int, seed: int, log: Callable[[str], None]) -> None:
    rng = random.Random(seed)
    saves, hostile = list(SAVES), list(HOSTILE)
    tags = "AB"
    for step in range(steps):
        tag = "C" if step % 7 == 6 else tags[step % 2]
        if step % 2:
            what = hostile[(step // 2) % len(hostile)]
            log(f"hostile {what}")
            HOSTILE[what](path)
            time.sleep(rng.uniform(0.05, 0.5))
            restore(path)
        how = rng.choice(saves)
        log(f"save {tag} {how}")
        SAVES[how](path, VERSIONS[tag])
        log(f"saved {tag}")
        time.sleep(rng.uniform(0.0, 0.2))
    log("save C in place (final)")
    write_in_place(path, VERSIONS["C"])
    log("done")


def main(argv: list[str]) -> int:
    path, steps, seed, log_path = Path(argv[1]), int(argv[2]), int(argv[3]), argv[4]
    with open(log_path, "w", encoding="utf-8", buffering=1) as out:
        torture(path, steps, seed, lambda what: out.write(f"{time.monotonic():.3f} {what}\n"))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
