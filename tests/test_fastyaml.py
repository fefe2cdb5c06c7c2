"""The fast block reader must agree with libyaml exactly, or give up.

Every test compares `fastyaml.parse_block` with `yamltree.parse` (libyaml) on the same
text: same values, same lines and columns. A property test throws random blocks made of
tricky pieces at both.
"""

from __future__ import annotations

import sys
import textwrap
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from timeline_tui.core import fastyaml, yamltree
from timeline_tui.core.blocks import split_events
from timeline_tui.core.loader import load_text, parse_tree

sys.path.insert(0, str(Path(__file__).parent.parent / "benchmarks"))
from generate import generate

ROOT = Path(__file__).parent.parent


def dump(node: yamltree.Node | None) -> object:
    if isinstance(node, yamltree.Scalar):
        return ("S", node.value, node.line, node.col, node.plain)
    if isinstance(node, yamltree.Seq):
        return ("Q", node.line, node.col, [dump(i) for i in node.items])
    if isinstance(node, yamltree.Map):
        keys = [(k, node.key_node(k), v) for k, (_, v) in node.pairs.items()]
        pairs = [(k, kn.line, kn.col, dump(v)) for k, kn, v in keys]
        return ("M", node.line, node.col, pairs)
    if node is None:
        return None
    return ("I", node.line, node.col)


def both(block: str, first_line: int = 7) -> tuple[object, yamltree.ParsedYaml]:
    lines = block.rstrip("\n").split("\n")
    fast = fastyaml.parse_block(lines, first_line)
    slow = yamltree.parse(block, first_line - 1)
    return dump(fast), slow


AGREE = [
    "  - date: 2025\n    title: Plain words, with commas, and colons:inside\n",
    "  - date: 2025-10   # a comment\n    title: 'It''s quoted'  # and another\n",
    '  - date: "2025"\n    title: "« guillemets » and \'single\' inside"\n',
    "  - date: 2025\n    title:\n    summary: ~\n",
    "  - date: 2025\n    tags: [a, b c, 'd''e', \"f g\" , h]\n    actors: []\n",
    "  - date: 2025\n    summary: |\n      line one\n\n      line three\n    title: t\n",
    "  - date: 2025\n    summary: >\n      folded\n      lines\n\n      new paragraph\n",
    "  - date: 2025\n    summary: |-\n      kept\n    note: |+\n      keep\n\n    title: x\n",
    "  - date: 2025\n    summary: |\n      indented\n        more\n    title: x\n",
    "  - date: 2025\n    quotes:\n      - text: q\n        lang: fr\n      - text: r\n",
    "  - date: 2025\n    quotes:\n    - text: same indent as the key\n      speaker: s\n",
    "  - date: 2025\n    sources:\n      - article\n      - https://example.org/a?b=c#frag\n",
    "  - date: 2025\n\n    # a comment line\n    title: after a blank line\n\n",
    "  -   date: 2025\n      title: more spaces after the dash\n",
    "- date: 2025\n  title: flush left\n",
    "  - date: 2025\n    title: C# and F#, 100% [sic] {braces} a,b\n",
    "  - date: 2025\n    title: 12:30 and a:b and http://x.org\n",
]


@pytest.mark.parametrize("block", AGREE)
def test_the_fast_reader_agrees_with_libyaml(block: str) -> None:
    fast, slow = both(block)
    assert fast is not None, "this shape should be in the fast subset"
    assert not slow.problems and not slow.syntax_error
    assert fast == dump(slow.root)


GIVE_UP = [
    "  - date: 2025\n    title: a: b\n",  # an error libyaml words
    "  - date: 2025\n    title: continued\n      on the next line\n",
    '  - date: 2025\n    title: "escaped \\" quote"\n',
    '  - date: 2025\n    title: "C:\\news"\n',  # an escape the libyaml builder warns of
    '  - date: 2025\n    tags: ["C:\\news"]\n',
    '  - date: 2025\n    title: "two\n      lines"\n',
    "  - date: 2025\n    title: &anchor x\n",
    "  - date: 2025\n    title: !!str x\n",
    "  - date: 2025\n    tags: {a: b}\n",
    "  - date: 2025\n    tags: [a,\n      b]\n",
    "  - date: 2025\n    date: 2026\n",  # duplicate key
    "  - date: 2025\n    1: one\n",  # a key that is a number
    "  - date: 2025\n    title:\n      nested: mapping\n",
    "  - date: 2025\n    summary: |2\n        indicator\n",
    "  - date: 2025\n    title: x\n  - date: 2026\n",  # two items
    "  - date: 2025\n\ttitle: tab\n",
    "  - date: 2025\n    title: - dash\n",
    "  - date: 2025\n    quotes:\n      -\n        text: on the next line\n",
    "  - date: 2025\n    title: A new tender #2\n",  # a comment libyaml's reader warns of
    "  - date: 2025\n    summary: #todo\n",  # the same, with no value before it
    "  - date: 2025\n    title: x\n      #2 in the ranking\n",  # the same, a line below
    "  - date: 2025\n    " + "k" * 1025 + ": longer than libyaml reads a key\n",
]


@pytest.mark.parametrize("block", GIVE_UP)
def test_the_fast_reader_gives_up_outside_its_subset(block: str) -> None:
    fast, _ = both(block)
    assert fast is None


def test_a_hash_word_comment_in_line_with_the_fields_is_read_fast() -> None:
    # `#reviewed` beside the fields is a comment, which libyaml does not warn of: giving
    # such blocks up to libyaml made a 100k-event file take 10.7 s instead of 5.8 (a review).
    block = "  - date: 2025\n    title: x\n    #reviewed\n    status: reported\n"
    fast, slow = both(block)
    assert fast is not None and not slow.problems
    assert fast == dump(slow.root)


PIECES = st.sampled_from(
    [
        "word", "two words", "a: b", "a:b", "x #c", "x# c", "#", "'q'", "'it''s'", '"dq"',
        '"a\\"b"', "[a, b]", "[]", "[a, [b]]", "{a: 1}", "-", "- x", "-x", "?", "? x", "|",
        ">", "|-", "&a x", "*a", "!t x", "%", "@x", "`x`", "é ü 中", "~", "null", "", " ",
        "2025-10", "12:30", "no", "C#", "a, b", "x ]", "'unclosed", '"unclosed', "a\tb",
        "[a , b]", "[a,b]", "[ a, b ]", "[src-1, Jean Luc, x.y/z]", "[a, b] # c", "[a, b ]",
        "[a,, b]", "[a, b,]", "[1, 2.5, no, null, ~]", "[a-, b.]", "[a  b, c]", "[x]",
        "[a, b]x", "[a, b]  ", "[-a, b]", "[a:b, c]", "[a #b]", "[é, b]",
    ]
)  # fmt: skip
KEYS = st.sampled_from(["date", "title", "summary", "tags", "note", "x-y", "1", "true"])


@st.composite
def blocks(draw: st.DrawFn) -> str:
    lines = [f"  - {draw(KEYS)}: {draw(PIECES)}"]
    for _ in range(draw(st.integers(0, 6))):
        kind = draw(st.integers(0, 5))
        if kind == 0:
            lines.append(f"    {draw(KEYS)}: {draw(PIECES)}")
        elif kind == 1:
            lines.append(f"    {draw(KEYS)}:")
            indent = draw(st.sampled_from([4, 6]))
            for _ in range(draw(st.integers(1, 3))):
                lines.append(" " * indent + f"- {draw(PIECES)}")
        elif kind == 2:
            lines.append(f"    {draw(KEYS)}: {draw(st.sampled_from(['|', '>', '|-', '>+']))}")
            for _ in range(draw(st.integers(0, 3))):
                lines.append(" " * draw(st.sampled_from([0, 4, 6, 8])) + draw(PIECES))
        elif kind == 3:
            lines.append(" " * draw(st.sampled_from([0, 4, 6])) + draw(PIECES))
        elif kind == 4:
            lines.append("    quotes:")
            lines.append(f"      - text: {draw(PIECES)}")
            lines.append(f"        {draw(KEYS)}: {draw(PIECES)}")
        else:
            comments = ["", "    # comment", "# col 0", "      #tag", "    #x", "#x"]
            lines.append(draw(st.sampled_from(comments)))
    return "\n".join(lines) + "\n"


@settings(max_examples=int(__import__("os").environ.get("FUZZ_EXAMPLES", 400)), deadline=None)
@given(blocks())
def test_whenever_the_fast_reader_answers_libyaml_agrees(block: str) -> None:
    fast, slow = both(block)
    if fast is not None:
        assert not slow.syntax_error and not slow.problems, block
        assert fast == dump(slow.root), block


def _paths() -> list[Path]:
    return [ROOT / "events.yaml", *sorted((ROOT / "tests" / "corpus").glob("*.yaml"))]


@pytest.mark.parametrize("path", _paths(), ids=lambda p: p.name[:12])
def test_reading_by_blocks_equals_reading_whole(path: Path) -> None:
    text = path.read_bytes().decode("utf-8", errors="replace").removeprefix("\ufeff")
    text, _ = yamltree.find_control_characters(text)
    whole = yamltree.parse(text)
    if whole.syntax_error:
        return  # the block reader salvages instead: tested in test_loader
    by_blocks = parse_tree(text)
    assert dump(by_blocks.root) == dump(whole.root)
    # (Invisible characters are looked for apart, in the whole text or part by part.)
    problems = whole.problems + yamltree.invisible_characters(text)
    assert sorted(by_blocks.problems, key=repr) == sorted(problems, key=repr)


def test_a_generated_timeline_reads_the_same_by_blocks() -> None:
    text = generate(300, seed=7)
    split = split_events(text)
    assert split is not None and len(split.blocks) == 300
    assert all(fastyaml.parse_block(b.lines, b.first_line) is not None for b in split.blocks)
    assert dump(parse_tree(text).root) == dump(yamltree.parse(text).root)


def test_the_list_ends_at_the_next_top_level_key() -> None:
    text = textwrap.dedent(
        """\
        title: T
        events:
          - date: 2025
            title: a
        # between
        sources:
          s: {title: S}
        """
    )
    split = split_events(text)
    assert split is not None and len(split.blocks) == 1
    result = load_text(text, "t.yaml")
    assert result.timeline is not None and "s" in result.timeline.sources
    assert dump(parse_tree(text).root) == dump(yamltree.parse(text).root)
