"""The `timeline-tui` command: exit codes and messages of every subcommand but opening the app.

`main(argv)` is called directly (it returns the exit code); one test runs the module entry
point in a subprocess. Expected event counts and years come from events.yaml read with
PyYAML's BaseLoader, not from the app.
"""

from __future__ import annotations

import io
import json
import os
import re
import shlex
import stat
import subprocess
import sys
import textwrap
import threading
from importlib import metadata
from pathlib import Path
from typing import Any

import pytest
import yaml
from jsonschema import Draft202012Validator

import timeline_tui
from timeline_tui.cli import main
from timeline_tui.core.loader import load_file
from timeline_tui.schema import SCHEMA_PATH

TESTS = Path(__file__).resolve().parent
ROOT = TESTS.parent
EVENTS_YAML = ROOT / "events.yaml"
CORPUS_FILES = sorted((TESTS / "corpus").glob("*.yaml"))


@pytest.fixture(scope="module")
def raw() -> dict[str, Any]:
    return yaml.load(EVENTS_YAML.read_text(encoding="utf-8"), Loader=yaml.BaseLoader)


@pytest.fixture
def events_copy(tmp_path: Path) -> Path:
    copy = tmp_path / "events.yaml"
    copy.write_bytes(EVENTS_YAML.read_bytes())
    return copy


def write(path: Path, text: str) -> Path:
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def run(capsys: pytest.CaptureFixture[str], *argv: str | Path) -> tuple[int, str, str]:
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    return code, out, err


BAD_DATE = """\
    title: T
    events:
      - title: Bad
        sources: [s]
        date: 2025-13-45
      - title: Good
        date: 2026
        sources: [s]
    """


# --- version, help, usage ------------------------------------------------------------------


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "--version")
    assert code == 0
    assert out.strip() == f"timeline-tui {timeline_tui.__version__}"
    assert timeline_tui.__version__ == metadata.version("timeline-tui")


@pytest.mark.parametrize(
    "argv", [["--help"], ["validate", "--help"], ["export", "-h"], ["schema", "--help"]]
)
def test_help_exits_0(capsys: pytest.CaptureFixture[str], argv: list[str]) -> None:
    code, out, _ = run(capsys, *argv)
    assert code == 0
    assert "usage:" in out


def test_a_file_named_like_a_mistyped_command_is_opened(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "valdiate").write_text("title: T\nevents: []\n")
    _, _, err = run(capsys, "valdiate")
    assert "the app needs a terminal" in err  # as for any file opened without one
    assert "neither" not in err


@pytest.mark.parametrize(
    ("argv", "fragment"),
    [
        (["--bogus"], "unrecognized arguments: --bogus"),
        (["validate", "--bogus", "x.yaml"], "unrecognized arguments: --bogus"),
        (["export", "--nope", "x.yaml"], "unrecognized arguments: --nope"),
        (["schema", "extra"], "unrecognized arguments: extra"),
        (["validate"], "the following arguments are required: PATH"),
        (["export"], "the following arguments are required: PATH"),
        (["export", "-o"], "expected one argument"),
        (["new"], "the following arguments are required: PATH"),
        (["--today", "13/02/2026"], "is not a date of the form YYYY-MM-DD"),
        (["a.yaml", "b.yaml"], "unrecognized arguments: b.yaml"),
        # A mistyped command opened the app on a file of that name (a user pass).
        (["valdiate"], "'valdiate' is neither a command nor a file (did you mean 'validate'?)"),
        (["exprot", "a.yaml"], "'exprot' is neither a command nor a file (did you mean 'export'"),
        (["check", "a.yaml"], "'check' is neither a command nor a file (the commands are valid"),
    ],
)
def test_usage_errors_exit_2(
    capsys: pytest.CaptureFixture[str], argv: list[str], fragment: str
) -> None:
    code, out, err = run(capsys, *argv)
    assert code == 2
    assert out == ""
    assert fragment in err
    assert "Try 'timeline-tui" in err and "--help'" in err


# --- validate ------------------------------------------------------------------------------


def test_validate_events_yaml(capsys: pytest.CaptureFixture[str], raw: dict[str, Any]) -> None:
    # On standard output, as linters print theirs: `validate f.yaml | grep error` once
    # found nothing, all of it on standard error.
    code, out, err = run(capsys, "validate", EVENTS_YAML)
    assert code == 0
    assert err == ""
    assert out == f"{EVENTS_YAML}: {len(raw['events'])} events, 0 errors, 0 warnings\n"


def test_validate_reports_a_bad_date_at_its_line(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = write(tmp_path / "bad.yaml", BAD_DATE)
    code, err, _ = run(capsys, "validate", path)
    assert code == 1
    lines = err.splitlines()
    assert re.fullmatch(rf"{re.escape(str(path))}:5:11: error: .*2025-13-45.*", lines[0])
    assert lines[-1] == f"{path}: 1 event, 1 error, 0 warnings"


def test_validate_warnings_alone_exit_0(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    path = write(
        tmp_path / "typo.yaml",
        """\
        title: T
        events:
          - date: 2026
            title: A
            sumary: misspelled
            sources: [s]
        """,
    )
    code, err, _ = run(capsys, "validate", path)
    assert code == 0
    assert f"{path}:5:5: warning: unknown field 'sumary'" in err
    assert "did you mean 'summary'?" in err
    code, err, _ = run(capsys, "validate", "--quiet", path, path)
    assert (code, err) == (0, "")  # as a linter in a hook: nothing to say (a review)
    bad = write(tmp_path / "bad.yaml", BAD_DATE)
    code, err, _ = run(capsys, "validate", "-q", bad, path)
    assert code == 1
    assert [line.split(": ")[1] for line in err.splitlines()] == [
        "error",
        "1 event, 1 error, 0 warnings",
        "2 events, 1 error, 1 warning",  # all of them: the warning not shown is counted
    ]


def test_validate_reads_standard_input_for_a_dash(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    # In a hook, what is staged: `git show :events.yaml | timeline-tui validate -`.
    staged = textwrap.dedent(BAD_DATE).encode()
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(staged)))
    code, out, _ = run(capsys, "validate", "-", EVENTS_YAML)
    assert code == 1
    assert out.splitlines()[0].startswith("-:5:11: error: invalid date")
    assert "-: 1 event, 1 error, 0 warnings" in out.splitlines()


def test_validate_refuses_standard_input_twice(capsys: pytest.CaptureFixture[str]) -> None:
    # The second `-` read what was left of standard input, nothing: "file is empty" (a
    # user pass).
    code, out, err = run(capsys, "validate", "-", EVENTS_YAML, "-")
    assert code == 2 and out == ""
    assert err.startswith(
        "timeline-tui validate: error: '-' (standard input) is given twice: it can be read once"
    )


def test_export_reads_standard_input_for_a_dash(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    # As validate does: it said "-:1:1: error: no such file" (found by a user pass).
    staged = textwrap.dedent(BAD_DATE).encode()
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(staged)))
    code, out, err = run(capsys, "export", "-")
    assert code == 1
    assert err.splitlines()[0].startswith("-:5:11: error: invalid date")
    assert "*Incomplete: standard input has 1 error (line 5)" in out


def test_standard_input_over_the_size_limit_is_refused(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    # `cat /dev/zero | timeline-tui validate -` filled memory: a file has a limit, and now
    # standard input has the same one (found by a review).
    monkeypatch.setattr("timeline_tui.core.loader.MAX_FILE_BYTES", 64)
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(b"#" * 65)))
    code, out, _ = run(capsys, "validate", "-")
    assert code == 1
    assert out.splitlines()[0] == (
        "-:1:1: error: file too large (more than 0 MB; the limit is 0 MB): split the timeline "
        "into several files"
    )
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(b"title: T\nevents: []\n")))
    code, out, _ = run(capsys, "validate", "-")
    assert code == 0


def test_validate_several_files_exits_1_if_any_has_an_error(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    bad = write(tmp_path / "bad.yaml", BAD_DATE)
    code, err, _ = run(capsys, "validate", EVENTS_YAML, bad, EVENTS_YAML)
    assert code == 1
    summaries = [line for line in err.splitlines() if line.endswith(("warning", "warnings"))]
    assert len(summaries) == 4
    assert summaries[0].startswith(f"{EVENTS_YAML}: ")
    assert summaries[1] == f"{bad}: 1 event, 1 error, 0 warnings"
    events = len(yaml.safe_load(Path(EVENTS_YAML).read_text())["events"])
    # The last line adds them up: each file's scrolled away above its problems.
    assert summaries[3] == (
        f"3 files (1 file with errors): {2 * events + 1} events, 1 error, 0 warnings"
    )


@pytest.mark.parametrize("kind", ["missing", "folder", "empty", "latin1"])
def test_validate_unreadable_inputs_exit_1(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, kind: str
) -> None:
    path = tmp_path / "x.yaml"
    if kind == "folder":
        path.mkdir()
    elif kind == "empty":
        path.write_bytes(b"")
    elif kind == "latin1":
        path.write_bytes(b"title: Caf\xe9\nevents: []\n")
    code, err, _ = run(capsys, "validate", path)
    assert code == 1
    assert err.startswith(f"{path}:1:")
    assert ": error: " in err


def test_validate_never_prints_raw_control_characters(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = write(
        tmp_path / "esc.yaml",
        """\
        title: T
        "bad\\e]0;pwned\\akey": 1
        events: []
        """,
    )
    code, err, _ = run(capsys, "validate", path)
    assert code == 0
    assert "<U+001B>" in err and "<U+0007>" in err
    assert "\x1b" not in err and "\x07" not in err


# --- export --------------------------------------------------------------------------------


def headings(markdown: str, level: int) -> list[str]:
    prefix = "#" * level + " "
    return [line[len(prefix) :] for line in markdown.splitlines() if line.startswith(prefix)]


def test_export_events_yaml_to_stdout(
    capsys: pytest.CaptureFixture[str], raw: dict[str, Any]
) -> None:
    code, out, err = run(capsys, "export", EVENTS_YAML)
    assert code == 0
    assert err == ""
    assert out.startswith(f"# {raw['title']}\n")
    years = [h for h in headings(out, 2) if h != "References"]
    assert years == sorted(years, key=int)
    assert {"2025", "2026", "2032"} <= set(years)
    assert headings(out, 2)[-1] == "References"
    assert len(headings(out, 3)) == len(raw["events"])
    quotes = [q for e in raw["events"] for q in e.get("quotes", [])]
    blockquotes = [block for block in out.split("\n\n") if block.startswith("> ")]
    assert quotes and len(blockquotes) == len(quotes)
    attributed = [b for b in blockquotes if b.splitlines()[-1].startswith("> — ")]
    assert len(attributed) == sum(1 for q in quotes if q.get("speaker") or q.get("source"))
    translated = [b for b in blockquotes if "\n>\n> *" in b]
    assert len(translated) == sum(1 for q in quotes if q.get("translation"))
    figures = sum(1 for e in raw["events"] if e.get("figures"))
    assert out.count("| Figure | Value | As of | Source |") == figures
    assert out.endswith("\n") and not out.endswith("\n\n")


def test_export_to_a_file(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, raw: dict[str, Any]
) -> None:
    _, expected, _ = run(capsys, "export", EVENTS_YAML)
    out_path = tmp_path / "timeline.md"
    code, out, err = run(capsys, "export", EVENTS_YAML, "-o", out_path)
    assert code == 0
    assert out == ""
    assert err == f"wrote {len(raw['events'])} events to {out_path}\n"
    assert out_path.read_text(encoding="utf-8") == expected
    assert [p.name for p in tmp_path.iterdir()] == ["timeline.md"]  # no temp file left


def test_export_dash_means_stdout(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "export", EVENTS_YAML, "-o", "-")
    assert code == 0
    assert out.startswith("# ")


def test_export_refuses_to_overwrite_the_input(
    capsys: pytest.CaptureFixture[str], events_copy: Path
) -> None:
    before = events_copy.read_bytes()
    soft = events_copy.with_name("soft.yaml")
    soft.symlink_to(events_copy)
    hard = events_copy.with_name("hard.yaml")
    os.link(events_copy, hard)
    for target in (events_copy, soft, hard, Path(os.path.relpath(events_copy))):
        for force in ([], ["--force"]):
            code, out, err = run(capsys, "export", events_copy, "-o", target, *force)
            assert code == 2, target
            assert out == ""
            assert "is the timeline itself" in err
            assert events_copy.read_bytes() == before
    assert soft.is_symlink()


def test_export_refuses_an_existing_output_without_force(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    out_path = tmp_path / "out.md"
    out_path.write_text("keep me", encoding="utf-8")
    out_path.chmod(0o640)
    code, _, err = run(capsys, "export", EVENTS_YAML, "-o", out_path)
    assert code == 2
    assert "exists; add --force to overwrite it" in err
    assert out_path.read_text(encoding="utf-8") == "keep me"
    code, _, _ = run(capsys, "export", EVENTS_YAML, "-o", out_path, "--force")
    assert code == 0
    assert out_path.read_text(encoding="utf-8").startswith("# ")
    assert stat.S_IMODE(out_path.stat().st_mode) == 0o640
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.md"]


def test_export_writes_into_a_pipe_or_a_device_and_never_replaces_it(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    code, expected, _ = run(capsys, "export", EVENTS_YAML)
    assert code == 0
    pipe = tmp_path / "pipe"
    os.mkfifo(pipe)
    got: list[bytes] = []
    reader = threading.Thread(target=lambda: got.append(pipe.read_bytes()), daemon=True)
    reader.start()
    # No --force: writing into a pipe, as `-o /dev/stdout` does, overwrites nothing.
    code, _, err = run(capsys, "export", EVENTS_YAML, "-o", pipe)
    reader.join(timeout=10)
    assert code == 0 and err.startswith("wrote 16 events to")
    assert got == [expected.encode()]
    assert stat.S_ISFIFO(os.lstat(pipe).st_mode)
    node = tmp_path / "null"
    try:
        os.mknod(node, 0o666 | stat.S_IFCHR, os.makedev(1, 3))
    except OSError:
        return  # not allowed to make a device here: the pipe stands for both
    code, _, _ = run(capsys, "export", EVENTS_YAML, "-o", node, "--force")
    assert code == 0 and stat.S_ISCHR(os.lstat(node).st_mode)


def shell(command: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    """`command` run by sh, with `timeline-tui` meaning this checkout's."""
    me = f"{shlex.quote(sys.executable)} -m timeline_tui"
    return subprocess.run(
        ["sh", "-c", command.replace("timeline-tui", me)],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "PYTHONPATH": str(ROOT / "src")},
    )


def test_export_to_dev_stdout_is_standard_output_as_the_shell_set_it(tmp_path: Path) -> None:
    # Opened again by name, /dev/stdout truncated a file the shell appends to (`>>`), and
    # a file there was "exists; add --force", then replaced.
    events = shlex.quote(str(EVENTS_YAML))
    alone = shell(f"timeline-tui export {events}", tmp_path).stdout
    os.symlink("/proc/self/fd/1", tmp_path / "out-link")
    for output in ("/dev/stdout", "/dev/./stdout", "/dev/fd/1", "out-link"):
        (tmp_path / "out.md").write_text("PRE\n", encoding="utf-8")
        done = shell(f"timeline-tui export {events} -o {output} >> out.md", tmp_path)
        assert done.returncode == 0, done.stderr
        assert (tmp_path / "out.md").read_text(encoding="utf-8") == "PRE\n" + alone
    (tmp_path / "err.md").write_text("PRE\n", encoding="utf-8")
    done = shell(f"timeline-tui export {events} -o /dev/stderr 2>> err.md", tmp_path)
    assert done.returncode == 0
    assert (tmp_path / "err.md").read_text(encoding="utf-8").startswith("PRE\n" + alone)


@pytest.mark.parametrize("output", ["", "-o - ", "-o /dev/stdout "])
def test_export_refuses_a_standard_output_that_is_the_timeline(tmp_path: Path, output: str) -> None:
    # `-o /dev/stdout >> t.yaml` once appended the Markdown to the timeline.
    (tmp_path / "t.yaml").write_bytes(EVENTS_YAML.read_bytes())
    done = shell(f"timeline-tui export t.yaml {output}>> t.yaml", tmp_path)
    assert done.returncode == 2
    assert done.stderr == (
        "timeline-tui export: error: standard output is the timeline itself (t.yaml); "
        "write to another file\n"
    )
    assert (tmp_path / "t.yaml").read_bytes() == EVENTS_YAML.read_bytes()


def test_export_into_a_pipe_whose_reader_stops_ends_quietly(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "pipe")
    big = tmp_path / "big.yaml"
    events = "".join(f"  - {{date: 2025, title: Event {n}}}\n" for n in range(20000))
    big.write_text(f"title: T\nevents:\n{events}", encoding="utf-8")
    done = shell("(head -c 10 pipe > /dev/null &) ; timeline-tui export big.yaml -o pipe", tmp_path)
    assert done.returncode == 141  # as a shell reports a command SIGPIPE killed
    assert "Broken pipe" not in done.stderr and "Traceback" not in done.stderr


def test_an_export_to_standard_output_cut_short_by_its_reader_says_so(tmp_path: Path) -> None:
    # `export | head -c 10`: the write the reader cut short returned what went through,
    # the rest was dropped without a word, and the export exited 0 (found by a review).
    big = tmp_path / "big.yaml"
    events = "".join(f"  - {{date: 2025, title: Event {n}}}\n" for n in range(20000))
    big.write_text(f"title: T\nevents:\n{events}", encoding="utf-8")
    done = shell("{ timeline-tui export big.yaml; echo $? >&2; } | head -c 10 >/dev/null", tmp_path)
    assert done.stderr == "141\n"  # as a shell reports a command SIGPIPE killed


def test_export_to_a_folder_says_it_is_a_folder_even_without_force(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    code, _, err = run(capsys, "export", EVENTS_YAML, "-o", tmp_path)
    assert code == 2  # a usage error, as 'exists; add --force' is
    assert "it is a folder, not a file; choose a file name" in err and "--force" not in err


@pytest.mark.parametrize(
    ("output", "says", "code"),
    [("", "no file name was given", 2), ("./", "cannot write ./: it is a folder, not a file", 2)],
)
def test_export_to_no_name_or_the_current_folder_says_so(
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    output: str,
    says: str,
    code: int,
) -> None:
    monkeypatch.chdir(tmp_path)
    got, _, err = run(capsys, "export", EVENTS_YAML, "-o", output, "--force")
    assert got == code and says in err
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("force", [[], ["--force"]])
def test_export_to_a_name_ending_in_a_slash_touches_nothing(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, force: list[str]
) -> None:
    # It skipped both the "exists" check and the "timeline itself" one: through a link
    # to the timeline, `-o link.yaml/` replaced the timeline with its own export.
    timeline = tmp_path / "t.yaml"
    timeline.write_bytes(EVENTS_YAML.read_bytes())
    (tmp_path / "link.yaml").symlink_to("t.yaml")
    (tmp_path / "notes.md").write_text("mine", encoding="utf-8")
    for name in ("notes.md/", "link.yaml/", "newdir/"):
        code, _, err = run(capsys, "export", timeline, "-o", f"{tmp_path}/{name}", *force)
        assert code == 2, err
        assert "names a folder" in err
    assert timeline.read_bytes() == EVENTS_YAML.read_bytes()
    assert (tmp_path / "notes.md").read_text(encoding="utf-8") == "mine"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["link.yaml", "notes.md", "t.yaml"]


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="no /dev/full here")
@pytest.mark.parametrize("command", ["export", "schema"])
def test_a_full_standard_output_is_a_message_not_a_traceback(command: str) -> None:
    args = [command, "events.yaml"] if command == "export" else [command]
    completed = shell(f"exec timeline-tui {shlex.join(args)} >/dev/full", ROOT)
    assert completed.returncode == 1
    assert completed.stderr == (
        f"timeline-tui {command}: error: cannot write to standard output: No space left on device\n"
    )


def test_export_to_a_missing_folder_exits_1(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    code, _, err = run(capsys, "export", EVENTS_YAML, "-o", tmp_path / "no" / "out.md")
    assert code == 1
    assert "does not exist" in err
    assert "[Errno" not in err


def test_export_with_a_query(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, raw: dict[str, Any]
) -> None:
    finance = [e for e in raw["events"] if "finance" in e.get("tags", [])]
    out_path = tmp_path / "finance.md"
    code, _, err = run(capsys, "export", EVENTS_YAML, "--query", "#finance", "-o", out_path)
    assert code == 0
    assert err == f"wrote {len(finance)} events to {out_path}\n"
    text = out_path.read_text(encoding="utf-8")
    assert f"*Filtered: \\#finance ({len(finance)} of {len(raw['events'])} events)*" in text
    assert len(headings(text, 3)) == len(finance)
    shown = [re.sub(r"\\(.)", r"\1", h) for h in headings(text, 3)]  # undo the escaping
    for event in finance:
        assert any(" ".join(event["title"].split()) in h for h in shown), event["title"]
    code, out, _ = run(capsys, "export", EVENTS_YAML, "-Q", "status:forecast")
    forecasts = [e for e in raw["events"] if e.get("status") == "forecast"]
    assert code == 0
    assert len(headings(out, 3)) == len(forecasts)


def test_export_says_when_its_query_matches_no_event(capsys: pytest.CaptureFixture[str]) -> None:
    # It wrote "*No events.*" to standard output with nothing said (a user pass): a
    # script or a person piping it on would not know the query was mistyped.
    code, out, err = run(capsys, "export", EVENTS_YAML, "-Q", "zzzz")
    assert code == 0 and "No events" in out
    assert err == (
        "timeline-tui export: note: --query zzzz matches none of the 16 events; the "
        "document says so\n"
    )


@pytest.mark.parametrize("option", ["--query", "-Q"])
def test_a_query_may_start_with_a_minus(
    capsys: pytest.CaptureFixture[str], raw: dict[str, Any], option: str
) -> None:
    """`-#finance` means "without the tag", not an unknown option."""
    others = [e for e in raw["events"] if "finance" not in e.get("tags", [])]
    code, out, err = run(capsys, "export", EVENTS_YAML, option, "-#finance")
    assert code == 0, err
    assert 0 < len(headings(out, 3)) == len(others)


@pytest.mark.parametrize("after", ["--force", "--no-cache", "-o"])
def test_an_option_right_after_query_is_not_taken_for_the_query(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, after: str
) -> None:
    # `--query --force` filtered by the word "--force" and labelled the document with it.
    out_path = tmp_path / "out.md"
    code, _, err = run(capsys, "export", EVENTS_YAML, "-o", out_path, "--query", after)
    assert code == 2
    assert "argument --query/-Q: expected one argument" in err
    assert not out_path.exists()


@pytest.mark.parametrize(
    ("query", "fragment"),
    [
        ("sice:2026", "did you mean 'since:'?"),
        ("status:forcast", "did you mean 'forecast'?"),
        ("until:2026-13", "month must be 1–12"),
        ("tag:finance", "tag: is not a filter word: write #finance"),
    ],
)
def test_export_with_a_bad_query_exits_2(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, query: str, fragment: str
) -> None:
    out_path = tmp_path / "out.md"
    code, out, err = run(capsys, "export", EVENTS_YAML, "--query", query, "-o", out_path)
    assert code == 2
    assert out == ""
    assert err.startswith("timeline-tui export: error: --query: ")
    assert fragment in err
    assert not out_path.exists()


@pytest.mark.parametrize("query", ["-", '"', '""', '- ""', " "])
def test_export_with_a_query_that_filters_nothing_exits_2(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, query: str
) -> None:
    # `--query -` exported every event under "Filtered: -" (a user pass).
    out_path = tmp_path / "out.md"
    code, out, err = run(capsys, "export", EVENTS_YAML, "--query", query, "-o", out_path)
    assert (code, out) == (2, "")
    assert err == (
        f"timeline-tui export: error: --query {query} filters nothing (a minus or quotes "
        "with no word): give a word, #tag, @actor, since:, until: or status:, or leave "
        "--query out\n"
    )
    assert not out_path.exists()


def test_export_of_a_file_with_errors_keeps_the_good_events_and_exits_1(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = write(tmp_path / "bad.yaml", BAD_DATE)
    code, out, err = run(capsys, "export", path)
    assert code == 1
    assert headings(out, 3) == ["2026 — Good"]
    # Published, it would lack the broken event without a word (found by a review).
    incomplete = "*Incomplete: bad.yaml has 1 error (line 5), and what an error leaves out is "
    assert out.split("\n\n")[1] == incomplete + "not here*"
    assert f"{path}:5:11: error:" in err
    assert "warning" not in err


def test_an_export_names_the_first_lines_of_its_errors(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    events = "".join(f"  - {{date: 2026-1{n}, title: E{n}, sources: [s]}}\n" for n in range(3, 7))
    path = write(tmp_path / "bad.yaml", "title: T\nevents:\n" + events)
    code, out, _ = run(capsys, "export", path)
    assert code == 1
    assert "*Incomplete: bad.yaml has 4 errors (lines 3, 4, 5, …), and what" in out


def test_export_of_an_unreadable_file_writes_nothing(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = tmp_path / "broken.yaml"
    path.write_text('title: "never closed\n', encoding="utf-8")
    out_path = tmp_path / "out.md"
    code, out, err = run(capsys, "export", path, "-o", out_path)
    assert code == 1
    assert out == ""
    assert f"{path}:1:8: error:" in err
    assert not out_path.exists()


# --- schema --------------------------------------------------------------------------------


def test_schema_prints_json_that_events_yaml_satisfies(
    capsys: pytest.CaptureFixture[str], raw: dict[str, Any]
) -> None:
    code, out, err = run(capsys, "schema")
    assert code == 0
    assert err == ""
    schema = json.loads(out)
    assert out == SCHEMA_PATH.read_text(encoding="utf-8")
    Draft202012Validator.check_schema(schema)
    validator = Draft202012Validator(schema)
    assert list(validator.iter_errors(raw)) == []
    no_date = {"title": "T", "events": [{"title": "No date"}]}
    errors = list(validator.iter_errors(no_date))
    assert errors
    assert any("'date' is a required property" in e.message for e in errors)


# --- new -----------------------------------------------------------------------------------


def test_new_writes_a_starter_that_validates_cleanly(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = tmp_path / "mine.yaml"
    code, out, err = run(capsys, "new", path)
    assert code == 0
    assert out == ""
    assert str(path) in err
    text = path.read_text(encoding="utf-8")
    assert text.startswith("# yaml-language-server: $schema=")
    assert sum(1 for line in text.splitlines() if line.startswith("#")) >= 3  # commented
    result = load_file(path)
    assert result.timeline is not None
    assert result.diagnostics == ()  # 0 errors and 0 warnings
    assert len(result.timeline.events) >= 1
    code, out, _ = run(capsys, "validate", path)
    assert code == 0
    assert out.endswith("0 errors, 0 warnings\n")


@pytest.mark.parametrize(
    "title",
    [
        "Rome: a history",
        "#1 hits",
        'He said "no"',
        "back\\slash",
        "- a dash",
        "[not, a, list]",
        "{not: a map}",
        "&anchor *alias",
        "%YAML? @at `tick | pipe > gt",
        "no",
        "2026",
        "  spaced   out  ",
        "two\nlines",
        "tab\there",
        "Zoë’s ünïcödé 😀",
        "bidi \u202eevil",
        "nul \x00 and del \x7f",
    ],
)
def test_new_with_any_title_still_validates(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, title: str
) -> None:
    path = tmp_path / "titled.yaml"
    code, _, _ = run(capsys, "new", path, "--title", title)
    assert code == 0
    result = load_file(path)
    assert result.diagnostics == ()
    assert result.timeline is not None
    assert result.timeline.title == " ".join(title.split())


@pytest.mark.parametrize(
    ("name", "argument"),
    [("-x.yaml", "./-x.yaml"), ("a b.yaml", "'a b.yaml'"), ("validate", "./validate")],
)
def test_new_says_how_to_open_a_file_whose_name_a_shell_would_misread(
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    name: str,
    argument: str,
) -> None:
    # `timeline-tui -x.yaml`, as it once said, fails: "unrecognized arguments".
    monkeypatch.chdir(tmp_path)
    code, _, err = run(capsys, "new", "--", name)
    assert code == 0
    assert err.startswith(f"wrote {name}: open it with `timeline-tui {argument}`\n")
    text = (tmp_path / name).read_text(encoding="utf-8")
    assert f"`timeline-tui validate {argument}`; open it with `timeline-tui {argument}`" in text
    code, _, _ = run(capsys, "validate", *shlex.split(argument))
    assert code == 0


def test_new_writes_the_schema_its_first_line_names_beside_it(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    # A path into this installation, as it once wrote, points nowhere on a collaborator's
    # machine; the file beside it travels with the folder.
    code, _, err = run(capsys, "new", tmp_path / "a.yaml")
    assert code == 0
    first = (tmp_path / "a.yaml").read_text(encoding="utf-8").splitlines()[0]
    assert first == "# yaml-language-server: $schema=timeline.schema.json"
    schema = tmp_path / "timeline.schema.json"
    assert schema.read_text(encoding="utf-8") == SCHEMA_PATH.read_text(encoding="utf-8")
    assert err.endswith(f"wrote {schema} beside it, for editors to complete and check the file\n")
    # A second timeline in the same folder shares it, and says nothing of it.
    code, _, err = run(capsys, "new", tmp_path / "b.yaml")
    assert code == 0
    assert "timeline.schema.json" not in err
    # One the user changed is theirs: left as it is, and said so.
    mine = '{"$schema": "https://json-schema.org/draft/2020-12/schema"}'
    schema.write_text(mine, encoding="utf-8")
    code, _, err = run(capsys, "new", tmp_path / "c.yaml")
    assert code == 0
    assert schema.read_text(encoding="utf-8") == mine
    assert f"left {schema} as it is" in err
    assert f"`timeline-tui schema > {schema}` updates it" in err


@pytest.mark.parametrize("kind", ["a folder", "a link to nothing"])
def test_new_says_when_the_schema_s_name_beside_it_is_not_a_file(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, kind: str
) -> None:
    # It said the schema there "differs from this version's", and how to update it.
    schema = tmp_path / "timeline.schema.json"
    if kind == "a folder":
        schema.mkdir()
    else:
        schema.symlink_to("nowhere")
    code, _, err = run(capsys, "new", tmp_path / "a.yaml")
    assert code == 0
    assert f"warning: {schema} is {kind}, not a file; editors will not find the schema" in err
    assert "differs" not in err


def test_new_refuses_a_name_with_a_line_break(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # It suggested `timeline-tui 'x y.yaml'`, a file that does not exist.
    monkeypatch.chdir(tmp_path)
    code, _, err = run(capsys, "new", "x\ny.yaml")
    assert code == 2
    assert "holds a line break or a control character" in err
    assert list(tmp_path.iterdir()) == []
    # A joiner is part of a name as written in some scripts: no reason to refuse it.
    code, _, err = run(capsys, "new", "می\u200cخواهم.yaml")
    assert code == 0, err


def test_new_never_writes_the_starter_as_the_schema_nor_advises_overwriting_a_timeline(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # `new timeline.schema.json` wrote the starter under the schema's name, pointing at
    # itself, and the next `new` advised `timeline-tui schema > timeline.schema.json`:
    # over the user's timeline.
    monkeypatch.chdir(tmp_path)
    code, _, err = run(capsys, "new", "timeline.schema.json")
    assert code == 2
    assert "is the name of the schema the starter points at" in err
    assert list(tmp_path.iterdir()) == []
    (tmp_path / "timeline.schema.json").write_text("title: mine\nevents: []\n")
    code, _, err = run(capsys, "new", "b.yaml")
    assert code == 0
    assert "timeline.schema.json is there and is not a JSON schema" in err
    assert "schema >" not in err
    assert (tmp_path / "timeline.schema.json").read_text() == "title: mine\nevents: []\n"


def test_new_refuses_an_empty_title(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, _, err = run(capsys, "new", tmp_path / "x.yaml", "--title", "   ")
    assert code == 2
    assert "--title" in err
    assert not (tmp_path / "x.yaml").exists()


def test_new_refuses_to_overwrite(capsys: pytest.CaptureFixture[str], events_copy: Path) -> None:
    before = events_copy.read_bytes()
    code, _, err = run(capsys, "new", events_copy)
    assert code == 2
    assert err == f"timeline-tui new: error: {events_copy} already exists; it was left as it is\n"
    assert events_copy.read_bytes() == before


@pytest.mark.parametrize(
    ("name", "says"),
    [
        ("", "no file name was given"),
        ("starter/", "a name ending in '/' names a folder"),
        # Elsewhere standard input or output: it wrote a file called `-` (a user pass).
        ("-", "new writes a file, and '-' names none here: name one, such as timeline.yaml"),
    ],
)
def test_new_refuses_no_name_and_a_folder_s_name(
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    name: str,
    says: str,
) -> None:
    # "" said ". already exists"; "starter/" wrote the file starter.
    monkeypatch.chdir(tmp_path)
    code, _, err = run(capsys, "new", "--", name)
    assert code == 2  # a usage error, as `export -o starter/` is
    assert says in err
    assert list(tmp_path.iterdir()) == []


def test_new_on_a_folder_says_it_is_one(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    # It said the folder "already exists" (found by a user pass).
    (tmp_path / "story").mkdir()
    code, _, err = run(capsys, "new", tmp_path / "story")
    assert code == 2
    assert err == (
        f"timeline-tui new: error: cannot write {tmp_path / 'story'}: it is a folder, not a "
        "file; choose a file name\n"
    )


def test_new_into_a_missing_folder(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, _, err = run(capsys, "new", tmp_path / "no" / "x.yaml")
    assert code == 1
    assert "does not exist" in err


# --- the module entry point and the corpus ---------------------------------------------------


def test_python_dash_m_runs_the_cli() -> None:
    completed = subprocess.run(
        [sys.executable, "-m", "timeline_tui", "validate", "events.yaml"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert completed.returncode == 0, completed.stderr
    assert completed.stdout.startswith("events.yaml: ")
    assert completed.stdout.endswith(" events, 0 errors, 0 warnings\n")
    failing = subprocess.run(
        [sys.executable, "-m", "timeline_tui", "validate"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert failing.returncode == 2


def test_a_locale_that_is_not_utf8_gets_messages_and_utf8_markdown(tmp_path: Path) -> None:
    # LC_ALL=en_US.ISO-8859-1: a message with a dash ended in a traceback (a review).
    path = write(tmp_path / "bad.yaml", BAD_DATE)
    env = {**os.environ, "PYTHONIOENCODING": "ascii", "XDG_CACHE_HOME": str(tmp_path)}

    def command(*args: object) -> subprocess.CompletedProcess[bytes]:
        argv = [sys.executable, "-m", "timeline_tui", *map(str, args)]
        return subprocess.run(argv, capture_output=True, env=env, timeout=60)

    validated = command("validate", path)
    assert validated.returncode == 1 and b"Traceback" not in validated.stderr
    assert b"month must be 1\\u201312" in validated.stdout  # the dash, as an escape
    exported = command("export", ROOT / "events.yaml")
    assert exported.returncode == 0, exported.stderr
    assert "— Microsoft spends" in exported.stdout.decode("utf-8")


@pytest.mark.parametrize("path", CORPUS_FILES, ids=lambda p: p.name[:2])
def test_no_corpus_file_makes_the_cli_raise(
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    path: Path,
) -> None:
    monkeypatch.chdir(tmp_path)
    code, out, err = run(capsys, "validate", path)
    assert code in (0, 1)
    assert "\x1b" not in out + err
    code, out, err = run(capsys, "export", path)
    assert code in (0, 1)
    assert "\x1b" not in out + err
    code, _, _ = run(capsys, "export", path, "-o", tmp_path / "out.md", "--force")
    assert code in (0, 1)


def test_export_into_a_closed_pipe_ends_quietly() -> None:
    # `timeline-tui export events.yaml | head -0`: the reader is gone before the output.
    process = subprocess.Popen(
        [sys.executable, "-m", "timeline_tui", "export", "events.yaml"],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert process.stdout is not None and process.stderr is not None
    process.stdout.close()
    errors = process.stderr.read()
    assert process.wait(timeout=60) == 141  # as a shell reports a command SIGPIPE killed
    assert errors == b""


def _with_closed(fd: int, *args: str) -> subprocess.CompletedProcess[str]:
    """The command run with standard output (fd 1) or error (fd 2) closed, as `>&-` does."""
    return shell(f"exec timeline-tui {shlex.join(args)} {fd}>&-", ROOT)


@pytest.mark.parametrize("command", ["export", "schema"])
def test_a_closed_standard_output_is_a_usage_error_not_a_traceback(command: str) -> None:
    completed = _with_closed(1, *([command, "events.yaml"] if command == "export" else [command]))
    assert completed.returncode == 2
    assert completed.stderr.startswith(f"timeline-tui {command}: error: standard output is closed")
    assert "Traceback" not in completed.stderr


def test_with_standard_error_closed_no_message_lands_in_the_export() -> None:
    completed = _with_closed(2, "export", "tests/data/mistakes.yaml")
    assert completed.returncode == 1  # the file has errors
    assert completed.stdout.startswith("# A timeline with mistakes\n")
    assert "error:" not in completed.stdout and "mistakes.yaml:" not in completed.stdout


@pytest.mark.parametrize("command", ["validate", "export"])
def test_an_empty_path_is_a_usage_error(capsys: pytest.CaptureFixture[str], command: str) -> None:
    # `validate ""` reported ":1:1: error: no such file", naming no file at all.
    code, out, err = run(capsys, command, "")
    assert code == 2 and out == ""
    assert "no file name was given: name a timeline file" in err


def test_what_was_typed_is_echoed_without_its_escape_sequences(
    capsys: pytest.CaptureFixture[str],
) -> None:
    # argparse echoed an unknown option as typed: its escape sequence reached the terminal.
    code, _, err = run(capsys, "validate", EVENTS_YAML, "--bo\x1b[31mgus")
    assert code == 2
    assert "unrecognized arguments: --bo<U+001B>[31mgus" in err and "\x1b" not in err


def test_a_file_named_with_a_leading_dash_is_shown_how_to_name_it(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "-dash.yaml").write_text(EVENTS_YAML.read_text(encoding="utf-8"), encoding="utf-8")
    code, _, err = run(capsys, "validate", "-dash.yaml")
    assert code == 2
    assert "(a file whose name starts with '-' goes after '--': -- -dash.yaml)" in err
    assert run(capsys, "validate", "--", "-dash.yaml")[0] == 0


def test_counts_in_the_thousands_are_grouped_as_the_header_groups_them() -> None:
    # `validate` said `100000 events`, the header `100,000 events` (a user pass).
    from timeline_tui.core.wording import counted

    assert counted(100_000, "event") == "100,000 events"
    assert counted(1, "warning") == "1 warning"


def test_a_mistyped_path_is_given_the_file_meant(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    # Mistyped commands got a "did you mean", mistyped paths none (a user pass).
    monkeypatch.chdir(tmp_path)
    (tmp_path / "story.yaml").write_text("title: T\nevents: []\n")
    code, out, _ = run(capsys, "validate", "story.yml", "other.yaml")
    assert code == 1
    assert out.splitlines()[0] == (
        "story.yml:1:1: error: no such file (did you mean 'story.yaml'?): check the path, or "
        "create one with `timeline-tui new PATH`"
    )
    assert "did you mean" not in out.split("other.yaml:1:1", 1)[1].splitlines()[0]
