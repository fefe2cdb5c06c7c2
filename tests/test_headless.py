"""The core is headless: no core module, nor the CLI's validate/export path, loads the UI.

Each check runs in a fresh interpreter, so modules imported by other tests cannot hide an
import (or fake one).
"""

from __future__ import annotations

import json
import pkgutil
import subprocess
import sys
from pathlib import Path

import pytest

import timeline_tui.core

ROOT = Path(__file__).resolve().parents[1]
UI_PACKAGES = ("textual", "rich", "timeline_tui.ui")

CORE_MODULES = sorted(
    f"timeline_tui.core.{info.name}" for info in pkgutil.iter_modules(timeline_tui.core.__path__)
)

PROBE = """
import json, sys
{setup}
loaded = sorted(
    name for name in sys.modules
    if any(name == p or name.startswith(p + ".") for p in {packages!r})
)
print(json.dumps(loaded))
"""


def ui_modules_after(setup: str) -> list[str]:
    """The UI modules loaded in a fresh interpreter after running `setup`."""
    code = PROBE.format(setup=setup, packages=UI_PACKAGES)
    completed = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60
    )
    assert completed.returncode == 0, completed.stderr
    return json.loads(completed.stdout.strip().splitlines()[-1])


def test_the_core_modules_are_found() -> None:
    assert len(CORE_MODULES) >= 10
    for name in ("loader", "yamltree", "records", "validate", "query", "export_markdown"):
        assert f"timeline_tui.core.{name}" in CORE_MODULES


def test_the_probe_can_see_rich() -> None:
    # Without this, a probe that never saw anything would pass every test below.
    assert "rich" in ui_modules_after("import rich.text")


@pytest.mark.parametrize("module", [*CORE_MODULES, "timeline_tui.cli", "timeline_tui.schema"])
def test_module_imports_no_ui(module: str) -> None:
    assert ui_modules_after(f"import {module}") == []


def test_validate_and_export_never_load_the_ui() -> None:
    setup = f"""
import contextlib, io
from timeline_tui.cli import main
with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
    assert main(["validate", "events.yaml"]) == 0
    assert main(["export", "events.yaml", "--query", "#finance"]) == 0
    assert main(["schema"]) == 0
    assert main(["--version"]) == 0
    assert main(["validate", {str(ROOT / "tests" / "corpus" / "33_latin1_bytes.yaml")!r}]) == 1
"""
    assert ui_modules_after(setup) == []
