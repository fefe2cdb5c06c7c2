"""Atomic writes: a reader (or a crash) sees the old file or the new one, never a mix."""

from __future__ import annotations

import errno
import os
import stat
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import pytest

from conftest import EVENTS
from timeline_tui.core import writing
from timeline_tui.core.writing import WriteError, same_file, write_atomic

IS_ROOT = hasattr(os, "geteuid") and os.geteuid() == 0


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".tmp"))


def test_creates_a_file_with_the_umask_applied(tmp_path: Path) -> None:
    target = tmp_path / "out.md"
    old = os.umask(0o027)
    try:
        write_atomic(target, "héllo\n")
    finally:
        os.umask(old)
    assert target.read_bytes() == "héllo\n".encode()
    assert mode(target) == 0o640
    assert leftovers(tmp_path) == []


def test_newlines_are_written_as_given(tmp_path: Path) -> None:
    target = tmp_path / "out.md"
    write_atomic(target, "a\r\nb\n")
    assert target.read_bytes() == b"a\r\nb\n"


def test_replaces_a_file_and_keeps_its_permissions(tmp_path: Path) -> None:
    target = tmp_path / "out.md"
    target.write_text("old", encoding="utf-8")
    target.chmod(0o604)
    inode = target.stat().st_ino
    write_atomic(target, "new")
    assert target.read_text(encoding="utf-8") == "new"
    assert mode(target) == 0o604
    assert target.stat().st_ino != inode  # replaced by rename, not rewritten in place
    assert leftovers(tmp_path) == []


@pytest.mark.parametrize("interruption", [KeyboardInterrupt, SystemExit])
def test_an_interrupted_write_leaves_no_temporary_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, interruption: type[BaseException]
) -> None:
    # A SIGTERM (a cancelled CI job, raised as SystemExit) during `export -o` left its
    # `.out.md.xxxx.tmp` in the repository (found by a review).
    target = tmp_path / "out.md"
    target.write_text("before\n", encoding="utf-8")

    def interrupted(fd: int) -> None:
        raise interruption

    monkeypatch.setattr(writing.os, "fsync", interrupted)
    with pytest.raises(interruption):
        write_atomic(target, "after\n")
    assert os.listdir(tmp_path) == ["out.md"]
    assert target.read_text(encoding="utf-8") == "before\n"


@pytest.mark.skipif(sys.platform != "linux", reason="watches the process in /proc")
def test_the_command_line_ends_on_sigterm_as_on_an_interruption(tmp_path: Path) -> None:
    # Waiting for a reader of its pipe, the export is told to stop: it ends as after
    # Ctrl-C (cleaning up), with the status a shell gives a command SIGTERM killed.
    os.mkfifo(tmp_path / "pipe")
    process = subprocess.Popen(
        [sys.executable, "-m", "timeline_tui", "export", str(EVENTS), "-o", "pipe"],
        cwd=tmp_path,
        stderr=subprocess.PIPE,
        env={**os.environ, "XDG_CACHE_HOME": str(tmp_path)},
    )
    wchan = Path(f"/proc/{process.pid}/wchan")
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and wchan.read_text() != "wait_for_partner":
        time.sleep(0.05)  # until it waits for a reader (the kernel's name for that wait)
    process.terminate()
    assert process.wait(timeout=30) == 143
    assert process.stderr is not None and b"Traceback" not in process.stderr.read()


def test_exclusive_refuses_an_existing_file(tmp_path: Path) -> None:
    target = tmp_path / "events.yaml"
    target.write_text("precious", encoding="utf-8")
    with pytest.raises(WriteError) as caught:
        write_atomic(target, "starter", exclusive=True)
    assert caught.value.errno == errno.EEXIST
    assert str(caught.value) == f"{target} already exists; it was left as it is"
    assert target.read_text(encoding="utf-8") == "precious"
    assert leftovers(tmp_path) == []


def test_exclusive_refuses_a_dangling_symlink(tmp_path: Path) -> None:
    link = tmp_path / "events.yaml"
    link.symlink_to(tmp_path / "nowhere.yaml")
    with pytest.raises(WriteError):
        write_atomic(link, "starter", exclusive=True)
    assert not (tmp_path / "nowhere.yaml").exists()


def test_exclusive_creates_a_new_file(tmp_path: Path) -> None:
    target = tmp_path / "events.yaml"
    write_atomic(target, "starter", exclusive=True)
    assert target.read_text(encoding="utf-8") == "starter"
    assert leftovers(tmp_path) == []


def test_exclusive_never_clobbers_a_file_created_meanwhile(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "events.yaml"
    real_mkstemp = tempfile.mkstemp

    def racing_mkstemp(*args, **kwargs):  # type: ignore[no-untyped-def]
        target.write_text("someone else's", encoding="utf-8")  # appears after the check
        return real_mkstemp(*args, **kwargs)

    monkeypatch.setattr(tempfile, "mkstemp", racing_mkstemp)
    with pytest.raises(WriteError) as caught:
        write_atomic(target, "starter", exclusive=True)
    assert caught.value.errno == errno.EEXIST
    assert target.read_text(encoding="utf-8") == "someone else's"
    assert leftovers(tmp_path) == []


def test_writes_through_a_symlink_to_its_target(tmp_path: Path) -> None:
    real = tmp_path / "real" / "out.md"
    real.parent.mkdir()
    real.write_text("old", encoding="utf-8")
    real.chmod(0o600)
    link = tmp_path / "link.md"
    link.symlink_to(real)
    write_atomic(link, "new")
    assert link.is_symlink()
    assert real.read_text(encoding="utf-8") == "new"
    assert mode(real) == 0o600
    assert leftovers(real.parent) == [] and leftovers(tmp_path) == []


def test_a_file_with_hard_links_is_written_into_so_every_name_sees_the_new_text(
    tmp_path: Path,
) -> None:
    real = tmp_path / "story.yaml"
    real.write_text("old text, longer than the new one\n", encoding="utf-8")
    real.chmod(0o640)
    other = tmp_path / "copy.yaml"
    os.link(real, other)
    inode = real.stat().st_ino
    write_atomic(real, "new\n")
    assert other.read_text(encoding="utf-8") == real.read_text(encoding="utf-8") == "new\n"
    assert real.stat().st_ino == inode and real.stat().st_nlink == 2
    assert mode(real) == 0o640
    assert leftovers(tmp_path) == []


def full_after(count: int, monkeypatch: pytest.MonkeyPatch) -> None:
    """Make os.write fail with a full disk after `count` calls, once."""
    real_write, calls = os.write, [0]

    def write(fd: int, data: bytes) -> int:
        calls[0] += 1
        if calls[0] == count + 1:
            raise OSError(errno.ENOSPC, "No space left on device")
        return real_write(fd, data)

    monkeypatch.setattr(writing.os, "write", write)


def linked(folder: Path) -> Path:
    """story.yaml, holding "original", with a second name: copy.yaml."""
    real = folder / "story.yaml"
    real.write_text("original\n", encoding="utf-8")
    os.link(real, folder / "copy.yaml")
    return real


def test_a_failed_write_into_a_hard_linked_file_puts_its_old_text_back(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = linked(tmp_path)
    full_after(0, monkeypatch)
    with pytest.raises(WriteError) as caught:
        write_atomic(real, "new text\n")
    assert "the disk is full" in str(caught.value)
    assert (tmp_path / "copy.yaml").read_text(encoding="utf-8") == "original\n"
    assert leftovers(tmp_path) == []


def test_when_even_the_old_text_cannot_be_put_back_the_new_one_is_kept(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = linked(tmp_path)

    real_fsync, calls = os.fsync, [0]

    def fsync(fd: int) -> None:
        # The copy's fsync works; each one after it (the file written into) fails.
        calls[0] += 1
        if calls[0] > 1:
            raise OSError(errno.ENOSPC, "No space left on device")
        real_fsync(fd)

    monkeypatch.setattr(writing.os, "fsync", fsync)
    with pytest.raises(WriteError) as caught:
        write_atomic(real, "new text\n")
    [kept] = leftovers(tmp_path)
    assert (tmp_path / kept).read_text(encoding="utf-8") == "new text\n"
    assert kept in str(caught.value) and "copy it over story.yaml" in str(caught.value)
    assert "nothing was changed" not in str(caught.value)  # it said both


def test_a_read_only_file_with_hard_links_says_it_is_read_only(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Written into, it fails where a rename would not; the message blamed the folder.
    real = linked(tmp_path)

    real_open = os.open

    def refuse(path: str, flags: int, *args: int) -> int:
        if Path(path) == real:  # the file itself, as its mode (0444) would for a user
            raise PermissionError(errno.EACCES, "Permission denied")
        return real_open(path, flags, *args)

    monkeypatch.setattr(writing.os, "open", refuse)
    with pytest.raises(WriteError) as caught:
        write_atomic(real, "new text\n")
    assert "the file is read-only" in str(caught.value)
    assert "folder" not in str(caught.value)
    assert real.read_text(encoding="utf-8") == "original\n" and leftovers(tmp_path) == []


def test_a_relative_path_in_the_current_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    write_atomic("plain.md", "x")
    assert (tmp_path / "plain.md").read_text(encoding="utf-8") == "x"


def test_disk_full_leaves_the_original_and_no_temp_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "out.md"
    target.write_text("original", encoding="utf-8")

    def full(*args: object) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(writing.os, "replace", full)
    with pytest.raises(WriteError) as caught:
        write_atomic(target, "new")
    assert caught.value.errno == errno.ENOSPC
    assert "the disk is full" in str(caught.value)
    assert not str(caught.value).startswith("[Errno")
    assert target.read_text(encoding="utf-8") == "original"
    assert leftovers(tmp_path) == []


def test_a_failing_fsync_leaves_no_temp_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(fd: int) -> None:
        raise OSError(errno.EIO, "Input/output error")

    monkeypatch.setattr(writing.os, "fsync", broken)
    with pytest.raises(WriteError) as caught:
        write_atomic(tmp_path / "out.md", "new")
    assert "Input/output error" in str(caught.value)
    assert list(tmp_path.iterdir()) == []


@pytest.mark.skipif(IS_ROOT, reason="root ignores folder permissions")
def test_a_read_only_folder(tmp_path: Path) -> None:
    folder = tmp_path / "locked"
    folder.mkdir()
    target = folder / "out.md"
    target.write_text("original", encoding="utf-8")
    folder.chmod(0o555)
    try:
        with pytest.raises(WriteError) as caught:
            write_atomic(target, "new")
    finally:
        folder.chmod(0o755)
    assert "permission denied" in str(caught.value)
    assert target.read_text(encoding="utf-8") == "original"
    assert leftovers(folder) == []


def test_a_missing_folder(tmp_path: Path) -> None:
    target = tmp_path / "no" / "such" / "out.md"
    with pytest.raises(WriteError) as caught:
        write_atomic(target, "x")
    assert "does not exist" in str(caught.value)


def test_a_file_named_as_a_folder_is_said_to_be_one(tmp_path: Path) -> None:
    # `-o /etc/passwd/x.md` said only "Not a directory" (found by a user pass).
    (tmp_path / "notes").write_text("mine")
    with pytest.raises(WriteError) as caught:
        write_atomic(tmp_path / "notes" / "deeper" / "out.md", "x")
    assert str(caught.value) == (
        f"cannot write {tmp_path}/notes/deeper/out.md: {tmp_path}/notes is a file, not a "
        "folder; choose another name"
    )
    assert (tmp_path / "notes").read_text() == "mine"


@pytest.mark.skipif(not os.path.isdir("/proc/self"), reason="needs /proc")
def test_a_folder_that_makes_no_new_file_is_not_said_to_be_missing() -> None:
    # `-o /proc/version --force` said "the folder /proc does not exist" (a user pass).
    with pytest.raises(WriteError) as caught:
        write_atomic("/proc/self/out.md", "x")
    assert str(caught.value) == (
        "cannot write /proc/self/out.md: no file can be made in /proc/self; choose another folder"
    )


def test_a_folder_in_the_way(tmp_path: Path) -> None:
    target = tmp_path / "out.md"
    target.mkdir()
    with pytest.raises(WriteError) as caught:
        write_atomic(target, "x")
    assert "folder" in str(caught.value)
    assert target.is_dir()
    assert leftovers(tmp_path) == []


@pytest.mark.parametrize("exclusive", [False, True])
def test_a_name_ending_in_a_slash_is_a_folder_s_never_a_file(
    tmp_path: Path, exclusive: bool
) -> None:
    # `Path` drops the slash: "notes.md/" was written as the file notes.md, replacing it.
    (tmp_path / "notes.md").write_text("mine", encoding="utf-8")
    for name in ("notes.md/", "newdir/"):
        with pytest.raises(WriteError) as caught:
            write_atomic(f"{tmp_path}/{name}", "x", exclusive=exclusive)
        assert str(caught.value) == (
            f"cannot write {tmp_path}/{name}: a name ending in '/' names a folder; "
            "drop the '/' or add a file name"
        )
    assert (tmp_path / "notes.md").read_text(encoding="utf-8") == "mine"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.md"]


def device_node(folder: Path) -> Path:
    """A character device like /dev/null, made in `folder` (so no test can replace the real
    one); skips where making one is not allowed."""
    node = folder / "null"
    try:
        os.mknod(node, 0o666 | stat.S_IFCHR, os.makedev(1, 3))
    except (OSError, AttributeError):
        pytest.skip("cannot make a device node here")
    return node


@pytest.mark.parametrize("kind", ["a pipe", "a device"])
@pytest.mark.parametrize("exclusive", [False, True])
def test_a_pipe_or_a_device_is_never_replaced(tmp_path: Path, kind: str, exclusive: bool) -> None:
    # Renaming the new file over them replaced the node: `-o /dev/null --force`, as root,
    # turned the system's /dev/null into a plain file.
    if kind == "a pipe":
        node = tmp_path / "pipe"
        os.mkfifo(node)
    else:
        node = device_node(tmp_path)
    link = tmp_path / "link"
    link.symlink_to(node)
    for target in (node, link):
        with pytest.raises(WriteError) as caught:
            write_atomic(target, "x", exclusive=exclusive)
        assert f"it is {kind}, not a file" in str(caught.value)  # not that it "exists"
    assert writing.stream_kind(node) == writing.stream_kind(link) == kind
    test = stat.S_ISFIFO if kind == "a pipe" else stat.S_ISCHR
    assert test(os.lstat(node).st_mode) and link.is_symlink()
    assert leftovers(tmp_path) == []


def test_write_into_a_pipe_writes_what_its_reader_gets(tmp_path: Path) -> None:
    pipe = tmp_path / "pipe"
    os.mkfifo(pipe)
    got: list[bytes] = []
    reader = threading.Thread(target=lambda: got.append(pipe.read_bytes()), daemon=True)
    reader.start()
    writing.write_into(pipe, "héllo\r\n")
    reader.join(timeout=10)
    assert got == ["héllo\r\n".encode()]
    assert stat.S_ISFIFO(os.lstat(pipe).st_mode)


def test_a_regular_file_or_nothing_is_no_stream(tmp_path: Path) -> None:
    (tmp_path / "file").write_text("x", encoding="utf-8")
    assert writing.stream_kind(tmp_path / "file") is None
    assert writing.stream_kind(tmp_path / "absent") is None
    assert writing.stream_kind(tmp_path) is None  # a folder is refused, not written into


def test_an_empty_name_is_a_write_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    with pytest.raises(WriteError) as caught:
        write_atomic("", "x")
    assert "no file name was given" in str(caught.value)
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("exclusive", [False, True])
def test_a_name_too_long_is_a_write_error(tmp_path: Path, exclusive: bool) -> None:
    # Path.is_symlink() raises on such a name; it once escaped as a traceback.
    with pytest.raises(WriteError) as caught:
        write_atomic(tmp_path / ("a" * 300), "x", exclusive=exclusive)
    assert "too long" in str(caught.value)
    assert leftovers(tmp_path) == []


def test_write_error_is_an_os_error_with_a_plain_message() -> None:
    error = WriteError(errno.ENOSPC, "cannot write x: the disk is full; nothing was changed")
    assert isinstance(error, OSError)
    assert error.errno == errno.ENOSPC
    assert str(error) == "cannot write x: the disk is full; nothing was changed"


# --- same_file ----------------------------------------------------------------------------


def test_same_file_through_links(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    real = tmp_path / "events.yaml"
    real.write_text("x", encoding="utf-8")
    soft = tmp_path / "soft.yaml"
    soft.symlink_to(real)
    hard = tmp_path / "hard.yaml"
    os.link(real, hard)
    other = tmp_path / "other.yaml"
    other.write_text("x", encoding="utf-8")  # same content, another file
    monkeypatch.chdir(tmp_path)
    assert same_file(real, real)
    assert same_file(soft, real) and same_file(real, soft)
    assert same_file(hard, real)
    assert same_file("events.yaml", real)
    assert same_file(tmp_path / "." / "events.yaml", real)
    assert not same_file(other, real)


def test_same_file_when_one_does_not_exist(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    missing = tmp_path / "missing.md"
    assert same_file("missing.md", missing)
    assert same_file(missing, "./missing.md")
    assert not same_file(missing, tmp_path / "other.md")
