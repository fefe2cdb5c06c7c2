"""The JSON Schema (draft 2020-12) of the timeline file format, for editors.

`timeline-tui schema` prints it; a timeline file points at it with a
`# yaml-language-server: $schema=...` comment to get completion, hover help and checks.
The schema describes what an editor sees (YAML 1.2 core types, so an unquoted `2026` is an
integer); the loader stays the authority and reports the same problems at their line.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

__all__ = ["SCHEMA_PATH", "schema_text"]

_SCHEMA_FILE = "timeline.schema.json"

# The file on disk, for `$schema=` comments and tests. Read it with `schema_text()`, which
# also works when the package is not installed as plain files.
SCHEMA_PATH: Path = Path(__file__).with_name(_SCHEMA_FILE)


def schema_text() -> str:
    """The schema as JSON text, read from the package data."""
    return resources.files(__name__).joinpath(_SCHEMA_FILE).read_text(encoding="utf-8")
