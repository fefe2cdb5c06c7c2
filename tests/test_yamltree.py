"""The YAML node builder: text kept as typed, a position for every node, surprises refused.

Expected lines and columns are counted by hand from the YAML written in each test (1-based,
in characters), never read back from the builder.
"""

from __future__ import annotations

import textwrap
import time
from pathlib import Path

import pytest
import yaml

from conftest import CORPUS, DATA
from timeline_tui.core import yamltree
from timeline_tui.core.yamltree import (
    ALIAS_BUDGET,
    MAX_DEPTH,
    Invalid,
    Map,
    Node,
    Problem,
    Scalar,
    Seq,
    find_control_characters,
    line_col,
    parse,
)

LOADERS = [
    pytest.param(getattr(yaml, "CSafeLoader", yaml.SafeLoader), id="libyaml"),
    pytest.param(yaml.SafeLoader, id="pure-python"),
]


def tree(text: str) -> Node | None:
    """The root of `text`, which must parse without any problem."""
    parsed = parse(textwrap.dedent(text))
    assert parsed.problems == []
    assert not parsed.syntax_error
    return parsed.root


def at(node: Node | None, *path: str | int) -> Node:
    """Walk mappings by key and sequences by index."""
    for step in path:
        if isinstance(step, int):
            assert isinstance(node, Seq), node
            node = node.items[step]
        else:
            assert isinstance(node, Map), node
            node = node.pairs[step][1]
    assert node is not None
    return node


def key(node: Node | None, name: str) -> Scalar:
    assert isinstance(node, Map)
    return node.pairs[name][0]


def where(node: Node) -> tuple[int, int]:
    return node.line, node.col


def problems_at(parsed: yamltree.ParsedYaml) -> list[tuple[int, int]]:
    return [(p.line, p.col) for p in parsed.problems]


def one_problem(text: str) -> Problem:
    parsed = parse(text)
    assert len(parsed.problems) == 1, parsed.problems
    return parsed.problems[0]


# --- positions ---------------------------------------------------------------------------


def test_positions_of_keys_scalars_and_nested_items() -> None:
    root = tree(
        """\
        title: Hello
        events:
          - date: 2026-02-13
            tags: [one, two]
            quotes:
              - text: "quoted"
                who: {name: Ann}
        """
    )
    assert where(root) == (1, 1)
    assert where(key(root, "title")) == (1, 1)
    assert where(at(root, "title")) == (1, 8)
    assert where(key(root, "events")) == (2, 1)
    events = at(root, "events")
    assert where(events) == (3, 3)
    event = at(events, 0)
    assert where(event) == (3, 5)
    assert where(key(event, "date")) == (3, 5)
    assert where(at(event, "date")) == (3, 11)
    assert where(at(event, "tags")) == (4, 11)
    assert where(at(event, "tags", 0)) == (4, 12)
    assert where(at(event, "tags", 1)) == (4, 17)
    assert where(at(event, "quotes", 0)) == (6, 9)
    assert where(at(event, "quotes", 0, "text")) == (6, 15)
    assert where(at(event, "quotes", 0, "who")) == (7, 14)
    assert where(at(event, "quotes", 0, "who", "name")) == (7, 21)


def test_block_scalars_start_at_their_indicator() -> None:
    root = tree("a: 1\nsummary: |\n  line one\n  line two\n")
    summary = at(root, "summary")
    assert isinstance(summary, Scalar)
    assert summary.value == "line one\nline two\n"
    assert where(summary) == (2, 10)


def test_bom_is_not_part_of_the_first_key_and_moves_nothing() -> None:
    root = tree("\ufefftitle: x\nb: y\n")
    assert isinstance(root, Map)
    assert list(root.pairs) == ["title", "b"]
    assert where(key(root, "title")) == (1, 1)
    assert where(at(root, "title")) == (1, 8)
    assert where(at(root, "b")) == (2, 4)


def test_crlf_line_endings_count_as_one_line_break() -> None:
    lf = "title: T\nevents:\n  - date: 2025\n    title: A\n"
    crlf = lf.replace("\n", "\r\n")
    for text in (lf, crlf):
        root = tree(text)
        title = at(root, "events", 0, "title")
        assert isinstance(title, Scalar)
        assert title.value == "A"  # no stray "\r"
        assert where(title) == (4, 12)
        assert where(at(root, "events", 0, "date")) == (3, 11)


def test_crlf_inside_a_block_scalar_becomes_a_plain_newline() -> None:
    root = tree("summary: |\r\n  one\r\n  two\r\nx: 1\r\n")
    summary = at(root, "summary")
    assert isinstance(summary, Scalar)
    assert summary.value == "one\ntwo\n"
    assert where(at(root, "x")) == (4, 4)


@pytest.mark.parametrize(
    ("text", "path", "col"),
    [
        ("é€: x\n", ("é€",), 5),  # two 2- and 3-byte characters in the key
        ("a: [é, 😀, x]\n", ("a", 2), 11),  # an astral character is one column
        ("title: Zoë\nb: 'ü' \n", ("b",), 4),
        ("k: {名前: 東京, z: v}\n", ("k", "z"), 16),
    ],
)
def test_columns_count_characters_not_bytes(text: str, path: tuple, col: int) -> None:
    node = at(tree(text), *path)
    assert node.col == col
    line = text.splitlines()[node.line - 1]
    assert line[node.col - 1 :].startswith(("x", "'ü'", "v"))


def test_columns_after_non_ascii_with_crlf() -> None:
    root = tree("t: Zoë\r\nu: [ü, 😀, end]\r\n")
    assert where(at(root, "u", 2)) == (2, 11)


# --- values are the text as typed ---------------------------------------------------------


@pytest.mark.parametrize(
    "typed",
    ["no", "NO", "yes", "on", "off", "2026", "12:30", "190:20:30", "010", "0x1F", "3.10",
     "1e3", "~", "null", "true", "2025-10-01", "2025-01-01 10:00:00", ".inf", "-0044-03-15"],
)  # fmt: skip
def test_plain_values_keep_the_text_typed(typed: str) -> None:
    value = at(tree(f"v: {typed}\n"), "v")
    assert isinstance(value, Scalar)
    assert value.value == typed
    assert type(value.value) is str
    assert value.plain


@pytest.mark.parametrize("quoted", ["'2026'", '"no"', "'~'", '"12:30"'])
def test_quoted_values_are_not_plain(quoted: str) -> None:
    value = at(tree(f"v: {quoted}\n"), "v")
    assert isinstance(value, Scalar)
    assert value.value == quoted[1:-1]
    assert not value.plain


def test_an_empty_value_is_an_empty_plain_scalar() -> None:
    value = at(tree("v:\nw: 1\n"), "v")
    assert isinstance(value, Scalar)
    assert (value.value, value.plain) == ("", True)


@pytest.mark.parametrize("tagged", ["!!str 2026", "!<tag:yaml.org,2002:str> 2026", "! 2026"])
def test_str_and_non_specific_tags_are_allowed(tagged: str) -> None:
    parsed = parse(f"v: {tagged}\n")
    value = at(parsed.root, "v")
    assert isinstance(value, Scalar)
    assert value.value == "2026"
    # A lone `!` is most often meant as text (`! Breaking news`): it is warned of.
    warned = [(p.line, p.col, p.warning) for p in parsed.problems]
    assert warned == ([(1, 4, True)] if tagged.startswith("! ") else [])


# --- tags ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        ('!!python/object/apply:os.system ["echo hi"]', "!!python/object/apply:os.system"),
        ("!!python/name:os.system x", "!!python/name:os.system"),
        ("!!python/object:builtins.dict {a: 1}", "!!python/object:builtins.dict"),
        ("!!binary SGVsbG8=", "!!binary"),
        ("!!set {a, b}", "!!set"),
        ("!!omap [{a: 1}]", "!!omap"),
        ("!!timestamp 2025-01-01", "!!timestamp"),
        ("!!int '5'", "!!int"),
        ("!!map {a: 1}", "!!map"),
        ("!foo bar", "!foo"),
        ("!foo {a: 1}", "!foo"),
        ("!<tag:example.com,2000:x> y", "tag:example.com,2000:x"),
    ],
)
def test_tags_are_refused_at_their_position(value: str, shown: str) -> None:
    parsed = parse(f"title: T\nevents:\n  - v: {value}\n    w: after\n")
    assert len(parsed.problems) == 1, parsed.problems
    problem = parsed.problems[0]
    assert (problem.line, problem.col) == (3, 8)
    assert f"tag {shown} not allowed" in problem.message
    event = at(parsed.root, "events", 0)
    assert isinstance(at(event, "v"), Invalid)
    assert at(event, "w").value == "after"  # the rest of the mapping is still read


def test_a_tag_on_a_key_is_refused_and_the_pair_dropped() -> None:
    parsed = parse("!!python/name:os.system k: v\nz: 1\n")
    assert problems_at(parsed) == [(1, 1)]
    assert isinstance(parsed.root, Map)
    assert list(parsed.root.pairs) == ["z"]


def test_a_python_tag_never_runs_code(tmp_path: Path) -> None:
    marker = tmp_path / "PWNED"
    parsed = parse(f'title: !!python/object/apply:os.system ["touch {marker}"]\n')
    assert "not allowed" in parsed.problems[0].message
    assert not marker.exists()


# --- aliases -------------------------------------------------------------------------------


def test_a_small_alias_is_expanded() -> None:
    root = tree("a: &x [one, two]\nb: *x\nc: &s text\nd: *s\n")
    b = at(root, "b")
    assert isinstance(b, Seq)
    assert [item.value for item in b.items] == ["one", "two"]
    assert at(root, "d").value == "text"


def billion_laughs(levels: int = 9, width: int = 9) -> str:
    lines = [f"a0: &a0 [{', '.join(['lol'] * width)}]"]
    for i in range(1, levels):
        lines.append(f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * width)}]")
    return "\n".join(lines) + f"\ntitle: Laughs\nevents: *a{levels - 1}\n"


def test_billion_laughs_is_refused_fast() -> None:
    text = billion_laughs()
    start = time.perf_counter()
    parsed = parse(text)
    elapsed = time.perf_counter() - start
    assert elapsed < 0.5
    assert parsed.root is None
    assert len(parsed.problems) == 1
    problem = parsed.problems[0]
    assert f"more than {ALIAS_BUDGET}" in problem.message
    assert "alias" in problem.message
    # Refused at an alias, long before the last line uses the 387M-leaf value.
    assert problem.line < len(text.splitlines()) - 2
    line = text.splitlines()[problem.line - 1]
    assert line[problem.col - 1 :].startswith("*a")


def test_aliases_within_the_budget_are_fine() -> None:
    items = ", ".join(["x"] * 99)  # a 100-node list (the list and 99 items)
    uses = "\n".join(f"u{i}: *big" for i in range(ALIAS_BUDGET // 100))
    parsed = parse(f"big: &big [{items}]\n{uses}\n")
    assert parsed.problems == []


def test_one_alias_over_the_budget_is_refused() -> None:
    items = ", ".join(["x"] * 99)
    uses = "\n".join(f"u{i}: *big" for i in range(ALIAS_BUDGET // 100 + 1))
    parsed = parse(f"big: &big [{items}]\n{uses}\n")
    assert len(parsed.problems) == 1
    assert parsed.problems[0].line == ALIAS_BUDGET // 100 + 2


@pytest.mark.parametrize(
    ("text", "line", "col"),
    [
        ("title: Cycle\nloop: &a [*a]\n", 2, 11),
        ("loop: &m {k: *m}\n", 1, 14),
        ("loop: &a\n  - x\n  - [*a]\n", 3, 6),
    ],
)
def test_a_recursive_alias_is_refused_at_the_alias(text: str, line: int, col: int) -> None:
    problem = one_problem(text)
    assert (problem.line, problem.col) == (line, col)
    assert "refers to itself" in problem.message


def test_a_recursive_alias_used_later_stays_finite() -> None:
    parsed = parse("loop: &a [*a]\ntags: *a\n")
    tags = at(parsed.root, "tags")
    assert isinstance(tags, Seq)
    assert len(tags.items) == 1
    assert isinstance(tags.items[0], Invalid)


def test_an_alias_without_anchor_is_reported() -> None:
    # libyaml's parser accepts it (only a composer would fail): the builder must not.
    parsed = parse("a: 1\nb: *nowhere\n")
    assert problems_at(parsed) == [(2, 4)]
    assert "no anchor &nowhere" in parsed.problems[0].message
    assert isinstance(at(parsed.root, "b"), Invalid)


def test_a_text_anchor_given_again_is_reported_at_both_places() -> None:
    # Only the last was (a fuzz find): the read of the file by blocks reported both.
    parsed = parse("a: &k one\nb: &k two\nc: &j three\n")
    assert problems_at(parsed) == [(1, 4), (2, 4), (3, 4)]
    assert all("is read by YAML as an anchor" in p.message for p in parsed.problems)
    used = parse("a: &k one\nb: *k\nc: &k two\n")  # the first one was used
    assert problems_at(used) == [(3, 4)]


# --- nesting ------------------------------------------------------------------------------


def flow(depth: int) -> str:
    return "a: " + "[" * depth + "x" + "]" * depth + "\n"


@pytest.mark.parametrize("loader", LOADERS)
def test_nesting_up_to_the_limit_is_fine(monkeypatch: pytest.MonkeyPatch, loader: type) -> None:
    monkeypatch.setattr(yamltree, "_Loader", loader)
    parsed = parse(flow(MAX_DEPTH - 1))  # the root mapping is the first level
    assert parsed.problems == []


@pytest.mark.parametrize("loader", LOADERS)
@pytest.mark.parametrize("depth", [MAX_DEPTH, 500, 5000])
def test_nesting_beyond_the_limit_is_refused(
    monkeypatch: pytest.MonkeyPatch, loader: type, depth: int
) -> None:
    monkeypatch.setattr(yamltree, "_Loader", loader)
    parsed = parse(flow(depth))  # never a RecursionError, with or without libyaml
    assert len(parsed.problems) == 1
    problem = parsed.problems[0]
    assert f"nesting too deep (more than {MAX_DEPTH} levels)" in problem.message
    assert problem.line == 1
    assert flow(depth)[problem.col - 1] == "["
    assert parsed.root is None


def test_deep_block_nesting_is_refused_too() -> None:
    text = "".join("  " * i + f"k{i}:\n" for i in range(MAX_DEPTH + 5)) + "  " * 70 + "v\n"
    problem = one_problem(text)
    assert "nesting too deep" in problem.message
    assert problem.line == MAX_DEPTH + 1  # the line whose value opens the 65th mapping


# --- keys ----------------------------------------------------------------------------------


def test_duplicate_key_keeps_the_first_value_and_reports_the_second() -> None:
    text = textwrap.dedent(
        """\
        title: T
        events:
          - date: 2025-01-01
            summary: keep me
            title: x
            summary: pasted twice
        """
    )
    parsed = parse(text)
    assert problems_at(parsed) == [(6, 5)]
    message = parsed.problems[0].message
    assert "duplicate key 'summary'" in message
    assert "first at line 4" in message
    assert at(parsed.root, "events", 0, "summary").value == "keep me"


def test_duplicate_top_level_key() -> None:
    parsed = parse("title: A\ntitle: B\n")
    assert problems_at(parsed) == [(2, 1)]
    assert at(parsed.root, "title").value == "A"


@pytest.mark.parametrize(
    ("text", "line", "col", "shown"),
    [
        ("1: a\n", 1, 1, "'1'"),
        ("x: 0\n1.0: b\n", 2, 1, "'1.0'"),
        ("true: c\n", 1, 1, "'true'"),
        ("yes: c\n", 1, 1, "'yes'"),
        ("null: c\n", 1, 1, "'null'"),
        ("~: c\n", 1, 1, "'~'"),
        ("0x1F: c\n", 1, 1, "'0x1F'"),
        ("f: {2025-01-01: dated}\n", 1, 5, "'2025-01-01'"),
        ("f: {a: 1, 1: b, true: c}\n", 1, 11, "'1'"),
    ],
)
def test_keys_that_yaml_reads_as_non_text_are_refused(
    text: str, line: int, col: int, shown: str
) -> None:
    parsed = parse(text)
    first = parsed.problems[0]
    assert (first.line, first.col) == (line, col)
    assert "mapping keys must be text" in first.message
    assert shown in first.message


def test_refused_keys_never_collide() -> None:
    parsed = parse("f: {1: a, 1.0: b, true: c}\n")
    assert problems_at(parsed) == [(1, 5), (1, 11), (1, 19)]
    assert at(parsed.root, "f").pairs == {}


def test_a_complex_key_is_refused() -> None:
    parsed = parse("a: 1\n? [a, b]\n: complex\nz: 2\n")
    assert problems_at(parsed) == [(2, 3)]
    assert "not a list or mapping" in parsed.problems[0].message
    assert list(parsed.root.pairs) == ["a", "z"]


@pytest.mark.parametrize("text", ['"1": a\n', "'true': b\n", "date1: c\n", "v1.0: d\n"])
def test_quoted_or_wordy_keys_are_text(text: str) -> None:
    parsed = parse(text)
    assert parsed.problems == []
    assert len(parsed.root.pairs) == 1


# --- documents, control characters, syntax -----------------------------------------------


@pytest.mark.parametrize("separator", ["---\n", "...\n---\n"])
def test_a_second_document_is_refused(separator: str) -> None:
    parsed = parse(f"title: One\n{separator}title: Two\n")
    assert len(parsed.problems) == 1
    problem = parsed.problems[0]
    assert "second YAML document" in problem.message
    assert problem.line == 1 + separator.count("\n")
    assert at(parsed.root, "title").value == "One"


def test_one_explicit_document_is_fine() -> None:
    assert at(tree("---\ntitle: One\n...\n"), "title").value == "One"


@pytest.mark.parametrize("text", ["", "\n\n", "# only a comment\n", "---\n"])
def test_nothing_to_read(text: str) -> None:
    parsed = parse(text)
    assert parsed.problems == []
    assert not parsed.syntax_error
    if text != "---\n":
        assert parsed.root is None


@pytest.mark.parametrize(
    ("text", "line", "col", "code"),
    [
        ("title: clear \x1b[2J now\n", 1, 14, 0x1B),
        ("a: 1\nb: x\n  \x00\n", 3, 3, 0x00),
        ("a: 1\r\nb: x\x7f\r\n", 2, 5, 0x7F),
        ("a: Zoë \x9b\n", 1, 8, 0x9B),
        ("a: \ufffe\n", 1, 4, 0xFFFE),
    ],
)
def test_control_characters_get_a_line_and_column_and_are_replaced(
    text: str, line: int, col: int, code: int
) -> None:
    cleaned, problems = find_control_characters(text)
    assert [(p.line, p.col) for p in problems] == [(line, col)]
    assert f"U+{code:04X} not allowed" in problems[0].message
    assert chr(code) not in cleaned
    assert cleaned == text.replace(chr(code), "\ufffd")
    assert parse(cleaned).problems == []  # the rest of the file still reads


def test_a_key_longer_than_libyaml_reads_is_said_to_be_so() -> None:
    # It was told that a field needs a space after its colon, which it had.
    parsed = parse("title: T\n" + "k" * 1025 + ": v\n")
    [problem] = parsed.problems
    assert (problem.line, problem.col) == (2, 1)
    assert problem.message.startswith("a field name longer than 1024 characters")
    assert parse("k" * 1024 + ": v\n").problems == []
    # ... and when the colon ends the line (the generic hint said a space was missing).
    [problem] = parse("title: T\n" + "k" * 1100 + ":\n  - x\n").problems
    assert problem.message.startswith("a field name longer than 1024 characters")


def test_a_long_run_of_spaces_costs_no_more_than_once_over() -> None:
    # The search for `#word` after a value backtracked over every run of spaces: a title
    # of 100,000 spaces took 30 s (found by a review). Timed loosely: 1 ms now.
    start = time.perf_counter()
    parsed = parse("title: &t x\nsame: *t\nnote: A" + " " * 100_000 + "B\n")
    assert time.perf_counter() - start < 2 and not parsed.problems


def test_past_the_twentieth_control_character_the_rest_are_counted_and_replaced() -> None:
    # A file of NULs (what a crash can leave) took 5 s a 20 MB here, one Python step per
    # character; the rest are now counted and replaced in C, with the same answer.
    text = "a: " + "\x00" * 18 + "\n" + "b: " + "\u2028\x01" * 5 + "\n" + "\x00" * 100_000
    cleaned, problems = find_control_characters(text)
    assert len(problems) == 21
    assert [(p.line, p.col) for p in problems[18:20]] == [(2, 4), (2, 5)]
    assert (problems[20].line, problems[20].col) == (2, 6)
    assert problems[20].message.startswith(f"{18 + 10 + 100_000 - 20} more characters")
    assert cleaned == ("a: " + "\ufffd" * 18 + "\nb: " + " \ufffd" * 5 + "\n" + "\ufffd" * 100_000)


def test_control_character_hints_give_a_yaml_escape() -> None:
    _, problems = find_control_characters("a: \x1b b: \ufffe\n")
    assert '"\\x1B"' in problems[0].message
    assert '"\\uFFFE"' in problems[1].message


def test_allowed_whitespace_is_not_a_control_character() -> None:
    text = "a: x\ty\r\nb: next\u00a0line\r\nc: 1\n"
    assert find_control_characters(text) == (text, [])
    old_mac = "a: 1\rb: 2\r"  # every line ends with CR: line breaks, as YAML reads them
    assert find_control_characters(old_mac) == (old_mac, [])


@pytest.mark.parametrize(
    ("line", "col", "says"),
    [
        # Pasted from a web page: libyaml said "event has no title", "the list of events
        # ends at this line" and "indented more than the one above it" (a user test).
        (
            "\xa0\xa0\xa0\xa0title: B",
            1,
            "non-breaking space (U+00A0) used for indentation: YAML indents with spaces "
            "only; replace each with a space",
        ),
        (
            "\u3000  title: B",  # two columns wide
            1,
            "ideographic space (U+3000) used for indentation: YAML indents with spaces "
            "only; replace it with two spaces",
        ),
        (
            "  \u200b  title: B",
            3,
            "invisible zero-width space (U+200B) at the start of the line: YAML reads it as "
            "text, not as indentation; remove it",
        ),
        ("\u2009 \u2009 title: B", 1, "thin space (U+2009) used for indentation"),
        ("\r\n\xa0\xa0\xa0\xa0title: B", 1, "non-breaking space (U+00A0)"),  # after CRLF
    ],
)
def test_invisible_indentation_is_named_and_read_as_the_spaces_it_looks_like(
    line: str, col: int, says: str
) -> None:
    text = f"events:\n  - date: 2025\n{line}\n    sources: [x]\n"
    cleaned, problems = find_control_characters(text)
    [problem] = problems
    assert (problem.line, problem.col) == (3 + line.count("\n"), col)
    assert problem.message.startswith(says)
    assert cleaned == text.replace(line.lstrip("\r\n"), "    title: B")
    assert parse(cleaned).problems == []


def test_a_byte_order_mark_where_two_files_were_joined_is_named() -> None:
    text = "a: 1\n\ufeffb: 2\n"  # `cat a.yaml b.yaml`, b.yaml saved with a BOM
    cleaned, problems = find_control_characters(text)
    assert [(p.line, p.col) for p in problems] == [(2, 1)]
    assert problems[0].message.startswith("invisible byte order mark (U+FEFF) at the start")
    assert cleaned == "a: 1\nb: 2\n"
    assert find_control_characters("\ufeffa: 1\n") == ("\ufeffa: 1\n", [])  # YAML's own


def test_an_invisible_character_that_starts_a_line_of_a_block_of_text_is_text() -> None:
    # Under `|` or `>`, YAML reads it as text, as its writer meant; elsewhere it is not.
    text = (
        "a:\n  - b: |\n      \xa0\xa0indented\n\n      \xa0\n        \xa0more\n"
        "    c: >-\n      \xa0x\n      \xa0\n    \xa0d: 1\n"
    )
    cleaned, problems = find_control_characters(text)
    assert [(p.line, p.col) for p in problems] == [(10, 5)]
    assert cleaned == text.replace("    \xa0d", "     d")
    many = "a: |\n" + "  \xa0x: 1\n   \xa0- y\n" * 50_000  # each walks up to the one above
    assert find_control_characters(many) == (many, [])


def test_an_invisible_character_that_starts_a_line_of_text_going_on_a_value_is_text() -> None:
    # French puts U+00A0 before « » : ; ! ?: a value going on over lines may have one start
    # a line, where YAML reads it as text; it was called indentation, an error (a review).
    text = (
        "a:\n  - b: Il a dit bonjour\n      \xa0» puis il est parti.\n"
        '    c: "« Oui\n      \xa0» dit-il"\n'
    )
    assert find_control_characters(text) == (text, [])


def test_past_the_twentieth_line_with_invisible_indentation_the_rest_are_counted() -> None:
    text = "a:\n" + "\xa0\xa0b: 1\n" * 25
    cleaned, problems = find_control_characters(text)
    assert cleaned == "a:\n" + "  b: 1\n" * 25
    assert len(problems) == 21
    assert (problems[20].line, problems[20].col) == (22, 1)
    assert problems[20].message.startswith("5 more lines indented with invisible characters")


@pytest.mark.parametrize("separator", ["\x85", "\u2028", "\u2029"])
def test_invisible_line_breaks_are_reported_and_made_spaces(separator: str) -> None:
    # libyaml (YAML 1.1) ends a line at each of these; editors and YAML 1.2 do not.
    text = f"title: one{separator}two\nevents: []\nb: !foo x\n"
    cleaned, problems = find_control_characters(text)
    assert [(p.line, p.col) for p in problems] == [(1, 11)]
    assert f"U+{ord(separator):04X}" in problems[0].message
    assert "line break" in problems[0].message
    assert cleaned == text.replace(separator, " ")
    parsed = parse(cleaned)
    assert at(parsed.root, "title").value == "one two"
    assert problems_at(parsed) == [(3, 4)]  # line numbers after it match the editor's


def test_positions_after_lone_carriage_returns() -> None:
    # In a file whose lines end with LF, a CR alone ends no line for an editor: it is
    # reported there, read as a space, and the positions after it stay the editor's.
    text = "a: 1\rb: x\x00\r\nc: \x01\n"
    cleaned, problems = find_control_characters(text)
    assert [(p.line, p.col) for p in problems] == [(1, 5), (1, 10), (2, 4)]
    assert "stray carriage return" in problems[0].message
    assert cleaned.startswith("a: 1 b: x")
    # A file whose lines all end with CR is read as YAML reads it: CR ends its lines.
    old_mac = "a: 1\rb: x\x00\rc: \x01\r"
    _, problems = find_control_characters(old_mac)
    assert [(p.line, p.col) for p in problems] == [(2, 5), (3, 4)]
    root = parse(old_mac.replace("\x00", "").replace("\x01", "")).root
    assert where(at(root, "b")) == (2, 4)


def test_a_file_full_of_nuls_is_reported_briefly_and_fast() -> None:
    text = "title: T\n" + "\x00" * 300_000 + "\nend: 1\n"
    start = time.perf_counter()
    cleaned, problems = find_control_characters(text)
    assert time.perf_counter() - start < 2.0
    assert len(problems) == yamltree.MAX_CONTROL_PROBLEMS + 1
    assert [(p.line, p.col) for p in problems[:3]] == [(2, 1), (2, 2), (2, 3)]
    summary = problems[-1]
    assert (summary.line, summary.col) == (2, yamltree.MAX_CONTROL_PROBLEMS + 1)
    assert f"{300_000 - yamltree.MAX_CONTROL_PROBLEMS} more characters" in summary.message
    assert cleaned.count("\ufffd") == 300_000


def test_a_lone_surrogate_is_reported_not_raised() -> None:
    cleaned, problems = find_control_characters("a: b\ud800c\n")
    assert [(p.line, p.col) for p in problems] == [(1, 5)]
    assert "surrogate" in problems[0].message
    cleaned.encode("utf-8")  # now safe to hand to libyaml


def test_raw_controls_left_in_are_a_reader_problem_with_a_position() -> None:
    parsed = parse("a: 1\nb: x\x00y\n")
    assert parsed.syntax_error
    assert len(parsed.problems) == 1
    assert parsed.problems[0].line == 2


@pytest.mark.parametrize(
    ("index", "expected"),
    [(0, (1, 1)), (3, (1, 4)), (4, (2, 1)), (6, (2, 3)), (9, (3, 2)), (11, (4, 1))],
)
def test_line_col(index: int, expected: tuple[int, int]) -> None:
    assert line_col("abc\nde\r\nfg\rh", index) == expected


@pytest.mark.parametrize("loader", LOADERS)
@pytest.mark.parametrize(
    ("text", "line", "col"),
    [
        ('title: T\nevents:\n  - date: 2025\n    title: "Budget [/] cut\n', 4, 12),
        ("title: T\nsummary: 'it is\n\nnever closed\n", 2, 10),
        ('a: "x\\"\n', 1, 4),  # the escaped quote does not close it
    ],
)
def test_an_unclosed_quote_points_at_its_start(
    monkeypatch: pytest.MonkeyPatch, loader: type, text: str, line: int, col: int
) -> None:
    monkeypatch.setattr(yamltree, "_Loader", loader)
    parsed = parse(text)
    assert parsed.syntax_error
    assert [(p.line, p.col) for p in parsed.problems] == [(line, col)]
    assert "never closed" in parsed.problems[0].message
    assert text.splitlines()[line - 1][col - 1] in "'\""


@pytest.mark.parametrize("loader", LOADERS)
@pytest.mark.parametrize(
    ("text", "col", "written"),
    [
        ('a: "C:\\Users\\x"\n', 7, "\\Users"),  # libyaml points at the `s`
        ('a: "x \\q"\n', 7, "\\q"),  # PyYAML points at the `q`
        ('a: "\\\\\\x4g"\n', 7, "\\x4g"),  # past an escaped backslash
        ('a: "it\'s \\q"\n', 10, "\\q"),
    ],
)
def test_an_unreadable_escape_is_reported_at_its_backslash(
    monkeypatch: pytest.MonkeyPatch, loader: type, text: str, col: int, written: str
) -> None:
    monkeypatch.setattr(yamltree, "_Loader", loader)
    parsed = parse(text)
    assert parsed.syntax_error
    [problem] = parsed.problems
    assert (problem.line, problem.col) == (1, col)
    assert text[col - 1] == "\\"
    assert f"and '{written}' is not one: " in problem.message
    assert problem.message.endswith("write each backslash twice (\\\\)")
    assert ("single quotes" in problem.message) is ("'" not in text)


@pytest.mark.parametrize("loader", LOADERS)
@pytest.mark.parametrize(
    ("text", "line"),
    [
        ("title: T\nevents:\n  - date: 2025\n\ttitle: x\n", 4),
        ("a:\n\tb: 1\n", 2),
        ("a:\n\t- b\n", 2),
        ("a:\n  b: 1\n\tc: 2\n", 3),
    ],
)
def test_tab_indentation_is_named(
    monkeypatch: pytest.MonkeyPatch, loader: type, text: str, line: int
) -> None:
    monkeypatch.setattr(yamltree, "_Loader", loader)
    parsed = parse(text)
    assert parsed.syntax_error
    assert len(parsed.problems) == 1
    problem = parsed.problems[0]
    assert (problem.line, problem.col) == (line, 1)
    assert "tab character used for indentation" in problem.message
    assert "spaces" in problem.message


def test_tabs_after_a_colon_are_fine() -> None:
    assert at(tree("a:\tvalue\n"), "a").value == "value"


@pytest.mark.parametrize(
    ("text", "line", "fragment"),
    [
        ("title: T\nevents: [\n  a, b\n", 2, "this '[' is not closed: add the closing ']'"),
        # A list over several lines, closed, but for a comma: not said to be unclosed.
        ('a: [\n  "b",\n  "c"\n  "d",\n]\n', 4, "YAML syntax: did not find expected ','"),
        ("a: b: c\n", 1, "': ' inside a value that is not in quotes"),
        ("- a\nb: c\n", 2, "YAML syntax"),
        ("a: [1, 2}\n", 1, "YAML syntax"),
    ],
)
def test_syntax_errors_have_a_position_and_a_message(text: str, line: int, fragment: str) -> None:
    parsed = parse(text)
    assert parsed.syntax_error
    assert len(parsed.problems) == 1
    assert parsed.problems[0].line == line
    assert fragment in parsed.problems[0].message
    assert parsed.problems[0].col >= 1


def test_line_offset_shifts_every_reported_line() -> None:
    parsed = parse("a: 1\na: 2\nb: !foo x\n", line_offset=10)
    assert problems_at(parsed) == [(12, 1), (13, 4)]
    assert where(at(parsed.root, "b")) == (13, 4)


SYNTAX_CASES = [
    "title: a\nevents:\n  - title: x\n",
    'title: a\nevents:\n  - title: "open\n  - title: y\n',
    "a: [1, 2\nb: 3\n",
    "a: 1\n---\nb: [\n",  # an error after a second document: `parse` stops before it
    "a: " + "[" * 70 + "\nb: {\n",  # too deep before the error: so does `parse`
    "a: &x [1, 2]\nb: *x\nc: {\n",
    "a: *nowhere\n",
    "\ta: 1\n",
    "",
]


@pytest.mark.parametrize(
    "text",
    SYNTAX_CASES
    + [p.read_bytes().decode("utf-8", "replace") for p in sorted(CORPUS.glob("*.yaml"))]
    + [p.read_text(encoding="utf-8") for p in sorted(DATA.glob("*.yaml"))],
)
def test_has_syntax_error_says_what_a_whole_parse_says(text: str) -> None:
    # The loader asks it of a whole file whose event block would not read (is the split
    # wrong, or the error real?): the same answer as the parse, without the nodes.
    assert yamltree.has_syntax_error(text) == yamltree.parse(text).syntax_error


def test_invisible_characters_are_placed_on_lines_as_yaml_ends_them() -> None:
    # Found by the fuzz: in a file of CR-only lines, read whole, a warning pointed past the
    # end of line 1.
    text = 'a: b\rc: "x\u200by"\r\nd: \u202e\n'
    found = [(p.line, p.col, p.warning) for p in yamltree.invisible_characters(text, 10)]
    assert found == [(12, 6, True), (13, 4, True)]
    assert yamltree.invisible_characters("\ufeffa: b\n") == []  # YAML's to skip


def test_a_text_cut_short_after_a_hash_word_is_a_syntax_error_not_a_crash() -> None:
    # libyaml gives an empty value where the text ends without its last line break, on
    # a line past the text's last: the check for `#word` comments looked it up there
    # (found by the fuzz, with a file saved half-written).
    parsed = yamltree.parse("\ntitle: #0\nx: {d")
    assert parsed.syntax_error
    assert [(p.line, p.col, p.warning) for p in parsed.problems] == [(2, 8, True), (3, 4, False)]
    assert "'{' is not closed" in parsed.problems[1].message
