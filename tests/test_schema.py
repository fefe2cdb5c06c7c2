"""The JSON Schema of the timeline format, checked the way an editor uses it.

yaml-language-server reads YAML 1.2 core types (an unquoted `2026` is an integer, but
`2025-10-01`, `no` and `12:30` are strings), so the documents here are loaded with a YAML 1.2
core loader rather than PyYAML's YAML 1.1 resolution.
"""

from __future__ import annotations

import datetime
import json
import math
import re
from pathlib import Path
from typing import Any, ClassVar

import pytest
import yaml
from jsonschema import Draft202012Validator

from timeline_tui.core.loader import load_text
from timeline_tui.schema import SCHEMA_PATH, schema_text

ROOT = Path(__file__).resolve().parents[1]
DATA = Path(__file__).resolve().parent / "data"
REPO_SCHEMA = ROOT / "src" / "timeline_tui" / "schema" / "timeline.schema.json"
EVENTS_YAML = ROOT / "events.yaml"


class Yaml12CoreLoader(yaml.SafeLoader):
    """PyYAML with only the YAML 1.2 core schema's implicit types, as editors see them.

    No timestamps, no yes/no/on/off booleans, no sexagesimal numbers, no merge keys.
    """

    yaml_implicit_resolvers: ClassVar[dict[Any, list[tuple[str, re.Pattern[str]]]]] = {}


Yaml12CoreLoader.add_implicit_resolver(
    "tag:yaml.org,2002:null", re.compile(r"^(?:~|null|Null|NULL|)\Z"), ["~", "n", "N", ""]
)
Yaml12CoreLoader.add_implicit_resolver(
    "tag:yaml.org,2002:bool",
    re.compile(r"^(?:true|True|TRUE|false|False|FALSE)\Z"),
    list("tTfF"),
)
# Int before float: the first matching resolver wins, and `27` matches both.
Yaml12CoreLoader.add_implicit_resolver(
    "tag:yaml.org,2002:int",
    re.compile(r"^(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)\Z"),
    list("-+0123456789"),
)
Yaml12CoreLoader.add_implicit_resolver(
    "tag:yaml.org,2002:float",
    re.compile(
        r"^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?"
        r"|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))\Z"
    ),
    list("-+.0123456789"),
)


def _construct_int(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> int:
    # PyYAML's own constructor reads a leading 0 as octal (YAML 1.1): `09` would fail.
    text = loader.construct_scalar(node)
    if text.startswith("0o"):
        return int(text[2:], 8)
    if text.startswith("0x"):
        return int(text[2:], 16)
    return int(text, 10)


def _construct_float(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> float:
    text = loader.construct_scalar(node)
    lowered = text.lower()
    if lowered.endswith(".inf"):
        return -math.inf if lowered.startswith("-") else math.inf
    if lowered == ".nan":
        return math.nan
    return float(text)


Yaml12CoreLoader.add_constructor("tag:yaml.org,2002:int", _construct_int)
Yaml12CoreLoader.add_constructor("tag:yaml.org,2002:float", _construct_float)


def load_yaml(text: str) -> Any:
    return yaml.load(text, Loader=Yaml12CoreLoader)  # a SafeLoader subclass: safe


@pytest.fixture(scope="module")
def schema() -> dict[str, Any]:
    return json.loads(REPO_SCHEMA.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def validator(schema: dict[str, Any]) -> Draft202012Validator:
    return Draft202012Validator(schema)


def messages(validator: Draft202012Validator, document: Any) -> list[str]:
    return [
        f"{'/'.join(map(str, error.absolute_path)) or '(root)'}: {error.message}"
        for error in validator.iter_errors(document)
    ]


def one_event(**fields: str) -> str:
    """A timeline with one event, as YAML text; `fields` are raw YAML values."""
    event = {"date": "2026-02-13", "title": "Something happened", **fields}
    body = "\n".join(f"    {key}: {value}" for key, value in event.items())
    return f"title: A timeline\nevents:\n  - {body.lstrip()}\n"


# -- the loader used by these tests ------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026", 2026),
        ("-0044", -44),
        ("09", 9),
        ("0o17", 15),
        ("0x1F", 31),
        ("1.1", 1.1),
        ("-.inf", -math.inf),
        ("~", None),
        ("null", None),
        ("", None),
        ("true", True),
        ("FALSE", False),
        ("2025-10-01", "2025-10-01"),
        ("2025-10", "2025-10"),
        ("2025-01-01 10:00:00", "2025-01-01 10:00:00"),
        ("no", "no"),
        ("yes", "yes"),
        ("on", "on"),
        ("12:30", "12:30"),
        ("~1", "~1"),
        ("1,1", "1,1"),
        ("0b101", "0b101"),
    ],
)
def test_loader_reads_yaml_1_2_core_types(text: str, expected: object) -> None:
    assert load_yaml(f"value: {text}\n") == {"value": expected}


def test_loader_leaves_pyyaml_safe_loader_alone() -> None:
    """The subclass has its own resolver table: SafeLoader still reads YAML 1.1."""
    assert yaml.safe_load("when: 2025-10-01\nanswer: no\n") == {
        "when": datetime.date(2025, 10, 1),
        "answer": False,
    }


# -- the schema itself -------------------------------------------------------------------


def test_schema_is_valid_draft_2020_12(schema: dict[str, Any]) -> None:
    Draft202012Validator.check_schema(schema)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"


def test_schema_text_is_the_file() -> None:
    from_package = json.loads(schema_text())
    assert from_package == json.loads(REPO_SCHEMA.read_text(encoding="utf-8"))
    assert from_package == json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    assert SCHEMA_PATH.name == "timeline.schema.json"


def test_every_property_has_a_description(schema: dict[str, Any]) -> None:
    """Editors show `description` on hover: no field may be left without one."""
    missing = []

    def walk(node: Any, where: str) -> None:
        if isinstance(node, dict):
            for name, sub in node.get("properties", {}).items():
                if "description" not in sub:
                    missing.append(f"{where}/properties/{name}")
            for key, sub in node.items():
                walk(sub, f"{where}/{key}")
        elif isinstance(node, list):
            for i, sub in enumerate(node):
                walk(sub, f"{where}/{i}")

    walk(schema, "#")
    assert not missing
    assert schema["title"] and schema["description"]


def test_patterns_mean_the_same_in_ecma_and_python(schema: dict[str, Any]) -> None:
    """Only syntax shared by ECMA-262 (editors) and Python `re` (jsonschema) is used."""
    patterns = []

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            if isinstance(node.get("pattern"), str):
                patterns.append(node["pattern"])
            for sub in node.values():
                walk(sub)
        elif isinstance(node, list):
            for sub in node:
                walk(sub)

    walk(schema)
    assert patterns
    for pattern in patterns:
        re.compile(pattern)
        # Python-only constructs: \A \Z, named groups (?P<..>), inline flags (?i).
        assert not re.search(r"\\[AZ]|\(\?P|\(\?[aiLmsux]", pattern), pattern


def test_schema_uses_only_keywords_draft_07_editors_understand(schema: dict[str, Any]) -> None:
    """yaml-language-server validates with draft-07 semantics (it resolves `$defs` as a plain
    JSON pointer): keywords new in 2019-09/2020-12 would be silently ignored by editors."""
    newer = {
        "prefixItems",
        "unevaluatedItems",
        "unevaluatedProperties",
        "dependentRequired",
        "dependentSchemas",
        "$dynamicRef",
        "$dynamicAnchor",
        "$anchor",
        "$recursiveRef",
        "minContains",
        "maxContains",
    }
    text = json.dumps(schema)
    assert not [keyword for keyword in newer if f'"{keyword}"' in text]


# -- valid documents ---------------------------------------------------------------------


def test_events_yaml_is_valid(validator: Draft202012Validator) -> None:
    if not EVENTS_YAML.is_file():
        pytest.fail(f"{EVENTS_YAML} is missing: the bundled timeline must exist and be valid")
    document = load_yaml(EVENTS_YAML.read_text(encoding="utf-8"))
    assert messages(validator, document) == []


def test_text_typed_as_a_number_or_a_word_yaml_reads_otherwise_is_valid(
    validator: Draft202012Validator,
) -> None:
    # The app reads every value as the text typed (the README: `2026` stays "2026"), but
    # the schema wanted strings: an editor flagged 24 values that `validate` accepts
    # (helper-63's user pass).
    text = """\
title: 2026
description: 1.5
sources:
  s2024:
    title: 42
    publisher: true
    note: 7
events:
  - id: 2026
    date: 2026
    title: 1984
    summary: 3
    tags: [2026, true]
    actors: [3M, 7]
    related: [2027]
    sources: [s2024, 12]
    quotes:
      - text: 99
        speaker: 7
        source: s2024
        translation: 100
    figures:
      - label: 12
        value: 3
        unit: 1
        note: false
  - id: 2027
    date: 2027
    title: Next
    sources: [s2024]
"""
    assert messages(validator, load_yaml(text)) == []
    result = load_text(text, "t.yaml")
    assert result.errors == (), result.errors


@pytest.mark.parametrize("name", ["schema_minimal.yaml", "schema_rich.yaml"])
def test_example_is_valid(validator: Draft202012Validator, name: str) -> None:
    document = load_yaml((DATA / name).read_text(encoding="utf-8"))
    assert messages(validator, document) == []


def test_rich_example_uses_every_field(schema: dict[str, Any]) -> None:
    document = load_yaml((DATA / "schema_rich.yaml").read_text(encoding="utf-8"))
    defs = schema["$defs"]
    sources = list(document["sources"].values())
    events = document["events"]
    used = {
        "#": set(document),
        "source": set().union(*sources),
        "event": set().union(*events),
        "quote": set().union(*(q for e in events for q in e.get("quotes", []))),
        "figure": set().union(*(f for e in events for f in e.get("figures", []))),
    }
    assert used["#"] == set(schema["properties"])
    for record in ("source", "event", "quote", "figure"):
        assert used[record] == set(defs[record]["properties"]), record
    statuses = {e["status"] for e in events if "status" in e}
    assert statuses == set(defs["event"]["properties"]["status"]["enum"])


DATES = [
    "2026-02-13",
    "2025-10",
    "2026",
    "2026?",
    "2026~",
    "2026%",
    "202X",
    "2026-XX",
    "2026-21",
    "2019/2023",
    "2026-02/..",
    "../2032",
    "/2032",
    "2026-02/",
    "-0044-03-15",
    "Y-10000",
    "2026-02-13T09:30+01:00",
    "2025-01-01 10:00:00",
    "13 February 2026",
    "October 2025",
    "circa 1850",
    "late 2025",
    "Q3 2026",
    "44 BCE",
    "-44",
    "'2026'",
]


@pytest.mark.parametrize("field", ["date", "end"])
@pytest.mark.parametrize("date", DATES)
def test_dates_are_accepted_as_typed(
    validator: Draft202012Validator, field: str, date: str
) -> None:
    assert messages(validator, load_yaml(one_event(**{field: date}))) == []


@pytest.mark.parametrize("value", ["27", "1.1", "~1", "1,1", "'27'", "-3.5e2"])
def test_figure_values_are_numbers_or_text(validator: Draft202012Validator, value: str) -> None:
    # Block style: in a flow mapping, `1,1` would be split at the comma.
    figure = f"\n      - label: A figure\n        value: {value}"
    document = load_yaml(one_event(figures=figure))
    assert messages(validator, document) == []


# -- invalid documents -------------------------------------------------------------------

MINIMAL = "title: A timeline\nevents:\n  - date: 2026\n    title: Something happened\n"

INVALID = {
    "event without date": (
        "title: T\nevents:\n  - title: Something happened\n",
        "events/0",
        "required",
    ),
    "event without title": ("title: T\nevents:\n  - date: 2026\n", "events/0", "required"),
    "unknown status": (one_event(status="rumoured"), "events/0/status", "enum"),
    "unknown event field": (
        one_event(sumary="a typo"),
        "events/0",
        "additionalProperties",
    ),
    "no events": ("title: T\n", "", "required"),
    "no title": ("events: []\n", "", "required"),
    "unknown top-level field": (MINIMAL + "author: me\n", "", "additionalProperties"),
    "figure without value": (
        one_event(figures="[{label: Stake, unit: '%'}]"),
        "events/0/figures/0",
        "required",
    ),
    "figure without label": (
        one_event(figures="[{value: 27}]"),
        "events/0/figures/0",
        "required",
    ),
    "figure value null": (
        one_event(figures="[{label: Stake, value: ~}]"),
        "events/0/figures/0/value",
        "type",
    ),
    "unknown figure field": (
        one_event(figures="[{label: Stake, value: 27, units: '%'}]"),
        "events/0/figures/0",
        "additionalProperties",
    ),
    "quote without text": (
        one_event(quotes="[{speaker: Someone}]"),
        "events/0/quotes/0",
        "required",
    ),
    "unknown quote field": (
        one_event(quotes="[{text: Hello, author: Someone}]"),
        "events/0/quotes/0",
        "additionalProperties",
    ),
    "title over two lines": (
        one_event(title="|\n      Line one\n      line two"),
        "events/0/title",
        "pattern",
    ),
    "title from a block scalar": (
        one_event(title="|\n      One line, but a block keeps its newline"),
        "events/0/title",
        "pattern",
    ),
    "blank title": (one_event(title="'  '"), "events/0/title", "pattern"),
    "date over two lines": (
        one_event(date="|\n      2026\n      2027"),
        "events/0/date",
        "pattern",
    ),
    "empty date": (one_event(date="''"), "events/0/date", "pattern"),
    "null date": (one_event(date="~"), "events/0/date", "type"),
    "decimal date": (one_event(date="2026.5"), "events/0/date", "type"),
    "boolean date": (one_event(date="true"), "events/0/date", "type"),
    "tags as a single string": (one_event(tags="politics"), "events/0/tags", "type"),
    "id with a space": (one_event(id="'two words'"), "events/0/id", "pattern"),
    "related id with a slash": (one_event(related="[a/b]"), "events/0/related/0", "pattern"),
    "language with underscore": (MINIMAL + "lang: en_GB\n", "lang", "pattern"),
    "source without title": (
        MINIMAL + "sources:\n  article:\n    url: https://news.example/a\n",
        "sources/article",
        "required",
    ),
    "source id with a space": (
        MINIMAL + "sources:\n  'my article':\n    title: A\n",
        "sources",
        "pattern",  # propertyNames reports the failing keyword of the id schema
    ),
    "source as plain text": (MINIMAL + "sources:\n  article: A title\n", "sources/article", "type"),
    "unknown source field": (
        MINIMAL + "sources:\n  article:\n    title: A\n    author: B\n",
        "sources/article",
        "additionalProperties",
    ),
    "events as a mapping": ("title: T\nevents:\n  date: 2026\n  title: X\n", "events", "type"),
}


@pytest.mark.parametrize(("text", "path", "keyword"), INVALID.values(), ids=INVALID.keys())
def test_schema_rejects(
    validator: Draft202012Validator, text: str, path: str, keyword: str
) -> None:
    errors = list(validator.iter_errors(load_yaml(text)))
    found = [("/".join(map(str, e.absolute_path)), e.validator) for e in errors]
    assert (path, keyword) in found, found
