"""The command line that opens the user's editor at a given line of a file.

The command is an argv list run without a shell, so a file name with spaces, `;` or a
leading `+`/`-` is passed as one harmless argument.
"""

from __future__ import annotations

import os
import shlex
import shutil
from collections.abc import Mapping
from pathlib import Path

# Editors that take `+LINE FILE` (vi, which may be a vim without `:call`, joe, ...).
_PLUS_LINE = {"vi", "view", "pico", "joe", "jed", "mg", "ne", "ed", "ex", "vis", "amp"}
# Editors that take `+LINE` then a command: vim's column numbers count bytes, so the
# cursor is moved along the line by characters, as the columns of problems are counted.
_VIM = {"vim", "nvim", "gvim", "mvim"}
# How the others that take `+...` before the file are given the column too.
_PLUS_LINE_COL = {
    "nano": "+{line},{col}",
    "emacs": "+{line}:{col}",
    "emacsclient": "+{line}:{col}",
    "micro": "+{line}:{col}",
    "kak": "+{line}:{col}",
}
# Editors that take `-g FILE:LINE:COL` (VS Code and its forks).
_GOTO_FLAG = {"code", "code-insiders", "codium", "vscodium", "cursor", "windsurf"}
# Editors that take `FILE:LINE:COL`.
_COLON_SUFFIX = {"subl", "sublime_text", "hx", "helix", "zed", "mate", "gedit", "kate"}

# Window editors that hand the file to a running instance and return at once, unless
# asked to wait until it is closed: their flag for that, and its other spellings.
_WAIT_FLAG = {
    **{name: ("--wait", "-w") for name in _GOTO_FLAG},
    **{name: ("--wait", "-w") for name in ("subl", "sublime_text", "zed", "mate", "gedit")},
    "kate": ("--block", "-b"),
    "gvim": ("-f", "--nofork"),
    "mvim": ("-f", "--nofork"),
}

FALLBACKS = ("nano", "vim", "vi")


def _vim_behind(command: str) -> str | None:
    """The vim that `vi` is a link to, as on most Linux systems: then it is given the
    column too (a user pass found `vi` opening at the line only)."""
    found = shutil.which(command)
    if found is None:
        return None
    name = Path(os.path.realpath(found)).name.lower()
    return name if name.startswith(("vim", "nvim")) else None


class EditorError(RuntimeError):
    """No editor can be run; the message says how to set one."""


def editor_argv(
    path: str | os.PathLike[str],
    line: int = 1,
    col: int = 1,
    env: Mapping[str, str] | None = None,
    *,
    wait: bool = False,
) -> list[str]:
    """The argv that opens `path` at `line` (and `col` where the editor takes one); with
    `wait`, one that returns only once the file is closed (`git commit` needs
    `code --wait` too), given the flag for it when the editor is known to need one."""
    env = os.environ if env is None else env
    command = env.get("VISUAL") or env.get("EDITOR") or ""
    try:
        words = shlex.split(command)
    except ValueError as exc:
        raise EditorError(f"cannot read $VISUAL/$EDITOR ({command!r}): {exc}") from None
    if not words:
        found = next((name for name in FALLBACKS if shutil.which(name)), None)
        if found is None:
            raise EditorError("no editor found: set $EDITOR (for example `export EDITOR=nano`)")
        words = [found]
    # An absolute path never starts with `+` or `-`, so no editor reads it as an option.
    target = str(Path(path).absolute())
    line, col = max(1, line), max(1, col)
    name = Path(words[0]).name.lower().removesuffix(".exe")
    if name in ("vi", "view"):
        name = _vim_behind(words[0]) or name
    if name.startswith("vim."):  # Debian's vim.basic, vim.tiny, vim.gtk3
        name = "vim"
    flags = _WAIT_FLAG.get(name)
    if wait and flags is not None and not set(flags) & set(words[1:]):
        words = [*words, flags[0]]
    if name in _GOTO_FLAG:
        return [*words, "-g", f"{target}:{line}:{col}"]
    if name in _COLON_SUFFIX:
        return [*words, f"{target}:{line}:{col}"]
    if name in _VIM:
        right = f"{col - 1}l" if col > 1 else ""
        return [*words, f"+{line}", f"+normal! 0{right}", target]
    if name in _PLUS_LINE_COL:
        return [*words, _PLUS_LINE_COL[name].format(line=line, col=col), target]
    if name in _PLUS_LINE:
        return [*words, f"+{line}", target]
    return [*words, target]
