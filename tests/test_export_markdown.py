"""The Markdown export and the sanitizer it stands on.

Exports are checked by parsing them with markdown-it (CommonMark + GFM tables) and
asserting on the token stream: the structure a reader sees, and the text it shows.
"""

from __future__ import annotations

import datetime as dt
import itertools
import re
import sys
import unicodedata
from pathlib import Path

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt
from markdown_it.token import Token

from timeline_tui.core import export_markdown as export_module
from timeline_tui.core._calendar import year_label, year_of
from timeline_tui.core.dates import parse_date
from timeline_tui.core.export_markdown import escape_inline, escape_paragraphs, export_markdown
from timeline_tui.core.loader import load_text
from timeline_tui.core.model import Event, Figure, Quote, Source, Timeline
from timeline_tui.core.sanitize import safe_url, visible

sys.path.insert(0, str(Path(__file__).parent.parent / "benchmarks"))
from generate import generate

CORPUS = Path(__file__).parent / "corpus"
MD = MarkdownIt("commonmark").enable("table")
# GitHub's autolinks too (`www.`, e-mail addresses), as markdown-it's linkify makes them;
# but not its links of `//host` (GitHub makes none; a source's `//host` URL is shown as text).
GFM = MarkdownIt("gfm-like")
GFM.linkify.add("//", None)

BIDI = [0x061C, 0x200E, 0x200F, *range(0x202A, 0x202F), *range(0x2066, 0x206A)]
# What must never reach the output raw: controls but the newline, DEL, C1, bidi controls.
FORBIDDEN = re.compile(
    "[\x00-\x09\x0b-\x1f\x7f-\x9f\u061c\u200b\u200e\u200f\u202a-\u202e\u2066-\u2069\ufeff]"
)


# -- helpers: the document as markdown-it sees it ------------------------------------------


def text_of(inline: Token) -> str:
    """The text a reader sees in an inline token; breaks as newlines."""
    parts = []
    for child in inline.children or []:
        if child.type in ("text", "code_inline"):
            parts.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            parts.append("\n")
    return "".join(parts)


def child_types(inline: Token) -> set[str]:
    return {child.type for child in inline.children or []}


def blocks(markdown: str) -> list[tuple[str, object]]:
    """Top-level blocks: ("h1", text), ("p", text), ("quote", [(text, italic)]),
    ("table", [[cell, ...], ...]) with the header row first, ("ol", [item, ...])."""
    tokens = MD.parse(markdown)
    out: list[tuple[str, object]] = []
    i = 0
    while i < len(tokens):
        token = tokens[i]
        if token.type == "heading_open":
            out.append((token.tag, text_of(tokens[i + 1])))
            i += 3
        elif token.type == "paragraph_open" and token.level == 0:
            out.append(("p", text_of(tokens[i + 1])))
            i += 3
        elif token.type in ("blockquote_open", "table_open", "ordered_list_open"):
            close = token.type.replace("_open", "_close")
            depth, j = 0, i
            inner: list[Token] = []
            while True:
                if tokens[j].type == token.type:
                    depth += 1
                elif tokens[j].type == close:
                    depth -= 1
                    if depth == 0:
                        break
                inner.append(tokens[j])
                j += 1
            out.append(_container(token.type, inner))
            i = j + 1
        else:
            out.append((token.type, None))
            i += 1
    return out


def _italic(inline: Token) -> bool:
    """True when the whole paragraph is one emphasis, False when it has none at all."""
    types = [child.type for child in inline.children or []]
    if "em_open" not in types:
        return False
    assert types[0] == "em_open" and types[-1] == "em_close", inline.content
    assert types.count("em_open") == 1, inline.content
    return True


def _container(kind: str, inner: list[Token]) -> tuple[str, object]:
    inlines = [t for t in inner if t.type == "inline"]
    if kind == "blockquote_open":
        return "quote", [(text_of(t), _italic(t)) for t in inlines]
    if kind == "ordered_list_open":
        return "ol", [text_of(t) for t in inlines]
    rows: list[list[str]] = []
    for token in inner:
        if token.type == "tr_open":
            rows.append([])
        elif token.type == "inline":
            rows[-1].append(text_of(token))
    return "table", rows


def all_tokens(markdown: str) -> list[Token]:
    tokens = []
    for token in MD.parse(markdown):
        tokens.append(token)
        tokens.extend(token.children or [])
    return tokens


def assert_safe(markdown: str) -> None:
    """No HTML, no image, no link but http(s) (with GitHub's autolinks too), no raw
    control or bidi character."""
    tokens = all_tokens(markdown)
    types = {t.type for t in tokens}
    assert not types & {"html_block", "html_inline", "image"}
    for token in tokens + [c for t in GFM.parse(markdown) for c in t.children or []]:
        if token.type == "link_open":
            assert str(token.attrs["href"]).startswith(("http://", "https://"))
    assert FORBIDDEN.search(markdown) is None
    assert markdown.endswith("\n") and not markdown.endswith("\n\n")


def load(text: str) -> Timeline:
    result = load_text(text, "test.yaml")
    assert result.timeline is not None, result.diagnostics
    return result.timeline


def load_corpus(name: str) -> Timeline:
    return load((CORPUS / name).read_text(encoding="utf-8"))


def one_line(text: str) -> str:
    """What a one-line field should read as once rendered."""
    return visible(text, keep_newlines=False).strip()


# -- sanitize.visible ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "shown"),
    [
        ("a\x1b[2Jb", "a<U+001B>[2Jb"),
        ("\x1b]52;c;ZXZpbA==\x07", "<U+001B>]52;c;ZXZpbA==<U+0007>"),
        ("nul\x00", "nul<U+0000>"),
        ("del\x7f", "del<U+007F>"),
        ("csi\x9b31m nel\x85", "csi<U+009B>31m nel<U+0085>"),
        ("zero\u200bwidth\ufeff", "zero<U+200B>width<U+FEFF>"),
        ("lone \ud800 surrogate", "lone <U+D800> surrogate"),
        ("vertical\x0bform\x0c", "vertical<U+000B>form<U+000C>"),
        # Invisible fillers and tag characters (a hidden message in plain sight).
        ("\u3164 \u115f\u1160 \uffa0", "<U+3164> <U+115F><U+1160> <U+FFA0>"),
        ("ok\U000e0069\U000e0067", "ok<U+E0069><U+E0067>"),
        ("soft\u00adhyphen", "soft\u00adhyphen"),  # shown by terminals: left alone
    ],
)
def test_visible_turns_controls_into_placeholders(raw: str, shown: str) -> None:
    assert visible(raw) == shown
    assert visible(raw, keep_newlines=False) == shown


@pytest.mark.parametrize("code", BIDI)
def test_visible_shows_every_bidi_control(code: int) -> None:
    assert visible(f"a{chr(code)}b") == f"a<U+{code:04X}>b"


def test_visible_line_breaks() -> None:
    assert visible("a\r\nb\rc\u2028d\u2029e\nf") == "a\nb\nc\nd\ne\nf"
    assert visible("a\r\nb\rc\u2028d\u2029e\nf", keep_newlines=False) == "a b c d e f"
    assert visible("tab\there") == "tab here"


def test_visible_leaves_ordinary_text_alone() -> None:
    text = "Café « quelque part » 漢字 👩\u200d💻 می\u200cخواهم $13 [x](y)"
    assert visible(text) is text  # the fast path: no copy
    assert visible(text, keep_newlines=False) is text


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.characters(exclude_categories=())))
def test_visible_never_lets_a_control_through(text: str) -> None:
    shown = visible(text)
    assert FORBIDDEN.search(shown) is None
    assert "\r" not in shown and "\u2028" not in shown
    shown.encode("utf-8")  # no lone surrogate left
    flat = visible(text, keep_newlines=False)
    assert "\n" not in flat and FORBIDDEN.search(flat) is None


# -- sanitize.safe_url ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "safe"),
    [
        ("https://example.org/a", "https://example.org/a"),
        ("  HTTP://Example.org/x?q=1&r=2#frag  ", "http://Example.org/x?q=1&r=2#frag"),
        ("https://example.org/a b(c)>d", "https://example.org/a%20b%28c%29%3Ed"),
        ('https://x.org/<"`>', "https://x.org/%3C%22%60%3E"),
        (
            "https://ok.example/\x1b\\\x1b]52;c;ZXZpbA==\x07",
            "https://ok.example/%1B%5C%1B%5D52;c;ZXZpbA==%07",
        ),
        # A host in another script in its ASCII form, as a browser looks it up; the rest
        # percent-encoded; a host IDNA refuses (an empty label) percent-encoded too.
        ("https://é.fr/ü", "https://xn--9ca.fr/%C3%BC"),
        ("https://Élysée.fr:8443/ü", "https://xn--lyse-9oad.fr:8443/%C3%BC"),
        ("https://ü:pw@bücher.example/", "https://%C3%BC:pw@xn--bcher-kva.example/"),
        ("https://é..fr/", "https://%C3%A9..fr/"),
        ("https://straße.de/", "https://stra%C3%9Fe.de/"),  # not strasse.de
        # What IDNA would make of these is no host, or another one: percent-encoded.
        ("https://evil.example＃.bank.com/", "https://evil.example%EF%BC%83.bank.com/"),
        ("https://℀.com/", "https://%E2%84%80.com/"),
        ("https://é%41.com/", "https://%C3%A9%41.com/"),
        ("https://x.org/100%25/%zz", "https://x.org/100%25/%25zz"),
        ("http://[::1]:8080/p", "http://[::1]:8080/p"),
        ("https://user@host.org/", "https://user@host.org/"),
        ("https://x.org/[a]?b=[c]", "https://x.org/%5Ba%5D?b=%5Bc%5D"),
    ],
)
def test_safe_url_encodes_http_urls(url: str, safe: str) -> None:
    assert safe_url(url) == safe


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)",
        "JaVaScRiPt:alert(1)",
        " javascript:alert(1)",
        "file:///etc/passwd",
        "data:text/html,<script>alert(1)</script>",
        "//evil.example/x",
        "vscode://file/etc/passwd",
        "https:///path-without-host",
        "https://",
        "https://user@:80/",
        "http:/example.org",
        "example.org",
        "",
    ],
)
def test_safe_url_refuses_everything_else(url: str) -> None:
    assert safe_url(url) is None


# -- the escaper ---------------------------------------------------------------------------

NASTY = [
    "# Fake Heading",
    "Title ===",
    "Revenue | 12 | fake column",
    "use `rm -rf` and ``` fence",
    "<script>alert(1)</script><img src=x onerror=alert(1)>",
    '[click](javascript:alert(1)) <a href="javascript:alert(1)">a</a>',
    "[x](jav&#x09;ascript:alert(1)) &amp; &copy;",
    "![](https://attacker.example/pixel.png?leak=1)",
    "[ref]: https://evil.example",
    "*not* _italic_ **bold** ~~strike~~ \\ ends with backslash\\",
    "<!-- comment -->",
    "1. not a list",
    "- not a list",
    "+ nor this",
    "> not a quote",
    "    not code",
    "a\\|b\\\\|c |",
    "trailing spaces    ",
    "<https://autolink.example>",
    "$x^2$ :smile: {.class} @user",
]


@pytest.mark.parametrize("text", NASTY)
def test_escape_inline_is_inert_in_every_one_line_context(text: str) -> None:
    escaped = escape_inline(text)
    for markdown, kind in (
        (escaped, "p"),
        (f"### {escaped}", "h3"),
        (f"1. {escaped}", "ol"),
    ):
        assert blocks(markdown) == [(kind, [text.strip()] if kind == "ol" else text.strip())]
        assert_inline_text_only(markdown)
    table = f"| a | b |\n| --- | --- |\n| {escaped} | x |"
    assert blocks(table) == [("table", [["a", "b"], [text.strip(), "x"]])]


def assert_inline_text_only(markdown: str) -> None:
    for token in MD.parse(markdown):
        if token.type == "inline":
            assert child_types(token) <= {"text", "softbreak"}, markdown


def test_escape_paragraphs_keeps_paragraphs_and_nothing_else() -> None:
    text = "Title\n===\n## Another\n> not a quote\n- not a list\n1. nor this\n\n\n    code?\n```"
    paragraphs = escape_paragraphs(text)
    markdown = "\n\n".join("\n".join(lines) for lines in paragraphs)
    assert blocks(markdown) == [
        ("p", "Title\n===\n## Another\n> not a quote\n- not a list\n1. nor this"),
        ("p", "code?\n```"),
    ]
    assert_inline_text_only(markdown)


# Text made of what the escapes look at: Markdown punctuation, spaces of every kind, line
# breaks, characters `visible` changes, digits and the marks that make a list number;
# and lines made of such marks, which find the cases at a line's start or end sooner.
ESCAPED_TEXT = st.text(
    alphabet=" \t\n\r\x0b\x85\xa0\u2028\u3000\u200b\x1b0123456789.)-+=:#*_<>|aé"
) | st.lists(
    st.sampled_from(["0.", "12)", "0", "-", "+ a", "=", ":", "#", " a", "a\t", "a", ""]), max_size=4
).map("\n".join)


@settings(max_examples=1000, deadline=None)
@given(ESCAPED_TEXT)
@example("0.\n0")  # a list's number ends its line: found by CI (the fast path missed it)
@example("1)\n\n-\n+ x")
def test_the_fast_paths_escape_as_the_full_steps_do(text: str) -> None:
    # Most text takes a shortcut (one search says it needs nothing): it must give what
    # making it visible, trimming it and escaping it line by line gives.
    full = export_module._escape
    assert escape_inline(text) == full(visible(text, keep_newlines=False).strip())
    lines = [full(line.strip()) for line in visible(text).split("\n")]
    paragraphs = [p.split("\n") for p in re.split(r"\n{2,}", "\n".join(lines).strip("\n")) if p]
    assert escape_paragraphs(text) == paragraphs


@pytest.mark.parametrize(
    ("text", "raw"),
    [
        ("88.7 billion", "88.7 billion"),  # was 88\.7: a number is no list unless a space follows
        ("2025) was the year", "2025\\) was the year"),
        ("1. first", "1\\. first"),
        ("3.", "3\\."),
    ],
)
def test_a_number_at_the_start_is_escaped_only_where_it_starts_a_list(text: str, raw: str) -> None:
    # The raw Markdown is pasted into publishing tools: a backslash it did not need
    # shows there (a user pass).
    assert escape_inline(text) == raw
    assert blocks(raw) == [("p", text)]


# -- years -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "moment",
    [
        dt.datetime(1, 1, 1),
        dt.datetime(1, 12, 31, 23, 59, 59),
        dt.datetime(1900, 3, 1),
        dt.datetime(2000, 2, 29, 12),
        dt.datetime(2024, 12, 31, 23, 59, 59),
        dt.datetime(2025, 1, 1),
        dt.datetime(9999, 12, 31, 23, 59, 59),
    ],
)
def test_year_of_matches_the_calendar(moment: dt.datetime) -> None:
    seconds = int((moment - dt.datetime(1, 1, 1)).total_seconds())
    assert year_of(seconds) == moment.year


@pytest.mark.parametrize(
    ("written", "label"),
    [
        ("-0044-03-15", "44 BCE"),
        ("-0001", "1 BCE"),
        ("0014", "14 CE"),
        ("2025-10", "2025"),
        ("Y-10000", "10000 BCE"),
        ("Y170000002", "170000002"),
    ],
)
def test_year_label_of_a_date(written: str, label: str) -> None:
    lower = parse_date(written).lower
    assert lower is not None
    assert year_label(year_of(lower)) == label


@pytest.mark.parametrize(
    ("written", "heading"),
    [
        ("2025-10-28", "2025"),
        ("1850~", "1850"),
        ("1850s", "1850s"),
        ("185X?", "1850s"),
        ("18XX", "1800–1899"),
        ("1XXX", "1000–1999"),
        ("00XX", "1–99 CE"),
        ("-185X", "1859–1850 BCE"),
        ("-0044-03-15", "44 BCE"),
        ("202X/2026", "2020s"),  # an interval is listed where it starts
        ("/202X", "2020s"),  # or, with no start, where its known end begins
        ("1999/202X", "1999"),
    ],
)
def test_a_date_is_listed_under_its_year_or_the_span_that_is_all_it_says(
    written: str, heading: str
) -> None:
    assert parse_date(written).heading() == heading


def test_decades_and_centuries_have_their_own_headings_before_their_first_year() -> None:
    text = "title: T\nevents:\n" + "".join(
        f"  - id: e{i}\n    date: '{d}'\n    title: E{i}\n"
        for i, d in enumerate(["1853-04-02", "1850", "1850s", "18XX", "185X?", "1851"])
    )
    timeline = load_text(text, "t.yaml").timeline
    assert timeline is not None
    headings = re.findall(r"^##+ .*", export_markdown(timeline), re.M)
    assert headings == [
        "## 1800–1899",
        "### 1800–1899 — E3",
        "## 1850s",
        "### 1850s — E2",
        "### 1850s? — E4",
        "## 1850",
        "### 1850 — E1",
        "## 1851",
        "### 1851 — E5",
        "## 1853",
        "### 2 Apr 1853 — E0",
    ]


def test_a_moment_near_new_year_is_listed_under_the_year_written() -> None:
    # 00:30 on 1 Jan 2026 in Tokyo is 15:30 on 31 Dec 2025 in UTC: it was listed under
    # 2025 with its 2026 date. Each is listed under the year written, in the order of
    # their instants within it.
    text = "title: T\nevents:\n" + "".join(
        f"  - id: e{i}\n    date: '{d}'\n    title: E{i}\n"
        for i, d in enumerate(
            [
                "2025-12-31T20:00Z",
                "2026-01-01T00:30+09:00",
                "2025-12-31T23:00-05:00",
                "2026-01-01T01:00Z",
                "2025-12-31T15:00Z",
            ]
        )
    )
    timeline = load_text(text, "t.yaml").timeline
    assert timeline is not None
    headings = re.findall(r"^##+ .*", export_markdown(timeline), re.M)
    assert headings == [
        "## 2025",
        "### 31 Dec 2025 15:00 UTC — E4",
        "### 31 Dec 2025 20:00 UTC — E0",
        "### 31 Dec 2025 23:00 -05:00 — E2",
        "## 2026",
        "### 1 Jan 2026 00:30 +09:00 — E1",
        "### 1 Jan 2026 01:00 UTC — E3",
    ]
    # Moments moved to the same edge of their year keep the order of their instants
    # (they were in file order: a review).
    text = "title: T\nevents:\n" + "".join(
        f"  - {{date: '{d}', title: {t}}}\n"
        for d, t in [
            ("2026-01-01T08:00+09:00", "Tokyo 8"),
            ("2026-01-01T01:00+09:00", "Tokyo 1"),
            ("2025-12-31T23:00-05:00", "New York 23"),
            ("2025-12-31T20:00-05:00", "New York 20"),
        ]
    )
    timeline = load_text(text, "t.yaml").timeline
    assert timeline is not None
    assert [e.title for e in timeline.events] == [
        "New York 20",
        "New York 23",
        "Tokyo 1",
        "Tokyo 8",
    ]


def test_year_of_at_year_boundaries() -> None:
    for written, year in (("2025", 2025), ("0001", 1), ("-0001", 0), ("-0044", -43)):
        lower = parse_date(written).lower
        assert lower is not None
        assert (year_of(lower - 1), year_of(lower)) == (year - 1, year)


# -- whole exports ---------------------------------------------------------------------------

RICH = """\
title: "Partners & rivals: a *test*"
description: |
  First paragraph,
    wrapped.

  # Second paragraph, not a heading.
sources:
  article:
    title: Le partenariat vole en éclats
    publisher: Le Journal
    date: 2026-02-13
    url: https://news.example/article?id=1
  ft:
    title: Interview
    publisher: FT
    via: article
  bad:
    title: Local copy
    url: "javascript:alert(1)"
events:
  - id: ides
    date: -0044-03-15
    title: Ides of March
    sources: ["Plutarch, Lives"]
  - id: stake
    date: /2026-02-13
    title: Microsoft holds 27% of OpenAI
    status: confirmed
    sources: [article]
  - id: rewrite
    date: 2025-10
    title: Partnership rewritten
    status: forecast
    tags: [partnership]
    actors: [Microsoft, OpenAI]
    summary: The companies revised their partnership.
    sources: [ft, article, ft, "https://example.org/a b"]
    quotes:
      - text: "« OpenAI n'est plus indispensable »"
        speaker: Mustafa Suleyman
        lang: fr
        translation: OpenAI is no longer indispensable
        source: ft
      - text: Words of the outlet
        source: article
    figures:
      - {label: Stake, value: 27, unit: "%", as_of: 2026-02, source: article}
      - {label: Invested, value: 13, unit: billion USD, source: bad}
      - {label: Count, value: 3}
  - id: ip
    date: 2032
    title: IP rights end
    end: 2033
"""


@pytest.mark.parametrize(
    ("date", "heading"),
    [
        ("/2026-02-13", "Up to 13 Feb 2026"),
        ("../2026", "Up to 2026"),
        ("2024/", "From 2024"),
        ("2024-03/..", "From Mar 2024"),
        ("2024/2025~", "2024–\\~2025"),
    ],
)
def test_an_interval_with_an_end_unknown_is_said_in_words(date: str, heading: str) -> None:
    # `?–13 Feb 2026` in a published heading needed the app's key to read (helper-66).
    markdown = export_markdown(load(f"title: T\nevents:\n  - date: '{date}'\n    title: E\n"))
    assert f"### {heading} — E" in markdown.splitlines()


def test_rich_export_structure() -> None:
    markdown = export_markdown(load(RICH))
    assert_safe(markdown)
    assert blocks(markdown) == [
        ("h1", "Partners & rivals: a *test*"),
        ("p", "First paragraph,\nwrapped."),
        ("p", "# Second paragraph, not a heading."),
        ("h2", "44 BCE"),
        ("h3", "15 Mar 44 BCE — Ides of March"),
        ("p", "Sources: [1]"),
        ("h2", "2025"),
        ("h3", "Oct 2025 — Partnership rewritten"),
        ("p", "Status: forecast"),
        ("p", "Actors: Microsoft, OpenAI · Tags: partnership"),
        ("p", "The companies revised their partnership."),
        (
            "quote",
            [
                ("« OpenAI n'est plus indispensable »", False),
                ("OpenAI is no longer indispensable", True),
                ("— Mustafa Suleyman, [2]", False),
            ],
        ),
        ("quote", [("Words of the outlet", False), ("— Le Journal, [3]", False)]),
        (
            "table",
            [
                ["Figure", "Value", "As of", "Source"],
                ["Stake", "27%", "Feb 2026", "[3]"],
                ["Invested", "13 billion USD", "", "[4]"],
                ["Count", "3", "", ""],
            ],
        ),
        ("p", "Sources: [2], [3], [5]"),
        # An unknown start: listed under the year of the end, after 2025.
        ("h2", "2026"),
        ("h3", "Up to 13 Feb 2026 — Microsoft holds 27% of OpenAI"),
        ("p", "Sources: [3]"),
        ("h2", "2032"),
        ("h3", "2032–2033 — IP rights end"),
        ("h2", "References"),
        (
            "ol",
            [
                "Plutarch, Lives",
                # The reference it came through, by its number when it has one: its
                # whole title again was 200 characters in the bundled export (a user pass).
                "Interview — FT, via [3]",
                "Le partenariat vole en éclats — Le Journal, 13 Feb 2026. "
                "https://news.example/article?id=1",
                "Local copy. javascript:alert(1)",
                "https://example.org/a b",
            ],
        ),
    ]
    hrefs = [t.attrs["href"] for t in all_tokens(markdown) if t.type == "link_open"]
    assert hrefs == ["https://news.example/article?id=1", "https://example.org/a%20b"]


def test_export_is_deterministic_and_ends_with_one_newline() -> None:
    timeline = load(RICH)
    first = export_markdown(timeline)
    assert first == export_markdown(load(RICH))
    assert first.endswith("\n") and not first.endswith("\n\n") and "\n\n\n" not in first
    assert not any(line != line.rstrip() for line in first.split("\n"))


def test_filtered_export_says_which_filter_and_keeps_only_its_events() -> None:
    timeline = load(RICH)
    chosen = [e for e in timeline.events if e.id in ("ip", "stake")]
    markdown = export_markdown(timeline, chosen, query="#partnership since:2025 <b>*")
    assert_safe(markdown)
    shown = blocks(markdown)
    assert shown[1] == ("p", "Filtered: #partnership since:2025 <b>* (2 of 4 events)")
    assert [text for kind, text in shown if kind == "h3"] == [
        "Up to 13 Feb 2026 — Microsoft holds 27% of OpenAI",
        "2032–2033 — IP rights end",
    ]
    # Only the sources the chosen events cite are listed, renumbered from 1.
    assert shown[-1] == (
        "ol",
        [
            "Le partenariat vole en éclats — Le Journal, 13 Feb 2026. "
            "https://news.example/article?id=1"
        ],
    )
    assert ("p", "Sources: [1]") in shown


def test_unfiltered_and_empty_exports() -> None:
    timeline = load(RICH)
    assert not any("Filtered" in str(text) for _, text in blocks(export_markdown(timeline)))
    empty = blocks(export_markdown(timeline, [], query="@nobody"))
    assert empty[1] == ("p", "Filtered: @nobody (0 of 4 events)")
    assert ("p", "No events.") in empty
    assert not any(kind in ("h2", "h3") for kind, _ in empty)


def test_markdown_injection_corpus() -> None:
    timeline = load_corpus("45_markdown_export_injection.yaml")
    markdown = export_markdown(timeline)
    assert_safe(markdown)
    shown = blocks(markdown)
    assert [kind for kind, _ in shown].count("h1") == 1
    assert shown[0] == ("h1", "# Export | injection")
    assert [text for kind, text in shown if kind == "h2"] == ["2025", "References"]
    titles = [text for kind, text in shown if kind == "h3"]
    assert len(titles) == len(timeline.events) == 6
    for event, title in zip(timeline.events, titles, strict=True):
        assert one_line(event.title) in title
    paragraphs = [text for kind, text in shown if kind == "p"]
    assert "Title\n===\n## Another\n> not a quote\n- not a list\n1. nor this" in paragraphs
    assert "```\nunclosed fence swallows the rest of the export" in paragraphs
    assert "<!-- hides everything after it" in paragraphs
    assert "[ref]: https://evil.example\n![](https://attacker.example/pixel.png?leak=1)" in (
        paragraphs
    )
    assert {kind for kind, _ in shown} == {"h1", "h2", "h3", "p", "ol"}  # nothing crept in
    hrefs = [t.attrs["href"] for t in all_tokens(markdown) if t.type == "link_open"]
    assert hrefs == ["https://ok.example/a%20b%28c%29%3Ed"]
    assert dict(shown)["ol"] == ["javascript:alert(1)", "https://ok.example/a b(c)>d"]
    tokens = MD.parse(markdown)
    for opening, inline in itertools.pairwise(tokens):
        if opening.type == "heading_open":
            assert child_types(inline) <= {"text"}, inline.content


def test_an_at_sign_links_to_nothing() -> None:
    # GitHub made `foo@bar.com` a mailto: link (and `@name` a link to a user's page),
    # where only http(s) links are to be made (a user pass). `\@` shows as `@`.
    timeline = load(
        "title: Mail foo@bar.com\n"
        "events:\n"
        "  - date: 2026\n"
        "    title: Write to press@example.org\n"
        "    summary: '@openai said so; a.b+c@d.example'\n"
        "    quotes:\n"
        "      - text: contact x@y.fr\n"
        "        lang: en\n"
    )
    markdown = export_markdown(timeline)
    assert_safe(markdown)
    shown = GFM.render(markdown)
    for written in ("foo@bar.com", "press@example.org", "@openai said so", "a.b+c@d.example"):
        assert written in shown
    assert "x@y.fr" in shown
    assert "mailto" not in shown


def test_source_url_corpus_links_only_http() -> None:
    markdown = export_markdown(load_corpus("47_source_urls.yaml"))
    assert_safe(markdown)
    hrefs = [t.attrs["href"] for t in all_tokens(markdown) if t.type == "link_open"]
    assert hrefs == [
        "https://ok.example/%1B%5C%1B%5D52;c;ZXZpbA==%07",
        "https://example.org/a%20b%28c%29%3Ed",
    ]
    references = dict(blocks(markdown))["ol"]
    for inert in (
        "vscode://file/etc/passwd",
        "javascript:alert(1)",
        "JaVaScRiPt:alert(1)",
        "file:///etc/passwd",
        "data:text/html,<script>alert(1)</script>",
        "//evil.example/x",
    ):
        assert inert in references
    assert "javascript" not in "".join(hrefs).lower()


def test_terminal_escapes_corpus_shows_placeholders() -> None:
    timeline = load_corpus("39_terminal_escape_sequences.yaml")
    markdown = export_markdown(timeline)
    assert_safe(markdown)
    assert "\x1b" not in markdown and "\x07" not in markdown
    shown = blocks(markdown)
    assert shown[0] == ("h1", "Escapes <U+001B>]0;HACKED WINDOW TITLE<U+001B>\\")
    assert ("h3", "1 Jan 2025 — Clear <U+001B>[2J<U+001B>[H screen") in shown
    table = dict(shown)["table"]
    assert table[1][:2] == ["<U+001B>[8mhidden<U+001B>[0m", "1 <U+001B>[5mblink"]


def test_bidi_corpus_shows_placeholders() -> None:
    markdown = export_markdown(load_corpus("41_bidi_trojan_source.yaml"))
    assert_safe(markdown)
    shown = blocks(markdown)
    assert ("h3", "1 Jan 2025 — Budget approved <U+202E>0001$ DSU<U+202C> for 2026") in shown
    quote = dict(shown)["quote"]
    assert quote == [
        ("<U+2067>Quote that reorders what follows", False),
        ("— Admin<U+202E> nimdA, [1]", False),
    ]
    assert dict(shown)["table"][1] == ["total", "1000 <U+202E>DSU", "", "[2]"]


# -- property: any text keeps the structure and round-trips -----------------------------------

# Plain unicode, plus text made mostly of Markdown syntax so that escaping is really tested.
SYNTAX = "#*_`[]()<>!&|\\-=+.:~^${}\"' \n\t\r>1aé\x1b\u202e\u2028"
any_text = st.one_of(st.text(), st.text(alphabet=SYNTAX), st.text(alphabet=st.characters()))


def _cell(text: str) -> str:
    """A multi-line field in one table cell: its paragraphs' lines run on, ¶ between."""
    return " ¶ ".join(p.replace("\n", " ") for p in paragraphs_of(text))


def paragraphs_of(text: str) -> list[str]:
    """A multi-line field as rendered: trimmed lines, blank lines between paragraphs."""
    out, lines = [], []
    for line in visible(text).split("\n"):
        if line.strip():
            lines.append(line.strip())
        elif lines:
            out.append("\n".join(lines))
            lines = []
    if lines:
        out.append("\n".join(lines))
    return out


FIELDS = ("title", "summary", "quote", "translation", "speaker", "label", "note", "source_note")


@settings(max_examples=200, deadline=None)
@given(
    title=any_text,
    events=st.lists(
        st.fixed_dictionaries({name: any_text for name in FIELDS}), min_size=1, max_size=4
    ),
)
def test_any_text_keeps_the_structure(title: str, events: list[dict[str, str]]) -> None:
    date = parse_date("2025-10")
    timeline = Timeline(
        title=title,
        path="generated.yaml",
        events=tuple(
            Event(
                id=f"e{i}",
                date=date,
                title=e["title"],
                summary=e["summary"],
                quotes=(
                    Quote(text=e["quote"], translation=e["translation"], speaker=e["speaker"]),
                ),
                figures=(Figure(label=e["label"], value="1", source=f"s{i}", note=e["note"]),),
                index=i,
            )
            for i, e in enumerate(events)
        ),
        sources={
            f"s{i}": Source(id=f"s{i}", title="Source", note=e["source_note"])
            for i, e in enumerate(events)
        },
    )
    markdown = export_markdown(timeline)
    assert_safe(markdown)
    for token in all_tokens(markdown):
        assert token.type not in ("code_block", "fence", "bullet_list_open", "link_open")
    shown = blocks(markdown)
    kinds = [kind for kind, _ in shown]
    assert kinds.count("h1") == 1 and shown[0] == ("h1", one_line(title))
    assert [text for kind, text in shown if kind == "h2"] == ["2025", "References"]
    h3 = [text for kind, text in shown if kind == "h3"]
    assert h3 == [f"Oct 2025 — {one_line(e['title'])}".rstrip(" ") for e in events]
    tables = [rows for kind, rows in shown if kind == "table"]
    assert [rows[1] for rows in tables] == [
        [
            one_line(e["label"]),
            "1",
            "",
            f"[{i}]",
            *([_cell(e["note"])] if _cell(e["note"]) else []),
        ]
        for i, e in enumerate(events, 1)
    ]
    assert [len(rows[0]) for rows in tables] == [len(rows[1]) for rows in tables]
    expected_quotes = []
    for e in events:
        original = [(p, False) for p in paragraphs_of(e["quote"])]
        translation = [(p, True) for p in paragraphs_of(e["translation"])]
        speaker = one_line(e["speaker"])
        attribution = [(f"— {speaker}", False)] if speaker else []
        if original or translation or attribution:  # an empty quote is left out
            expected_quotes.append([*original, *translation, *attribution])
    assert [q for kind, q in shown if kind == "quote"] == expected_quotes
    paragraphs = [text for kind, text in shown if kind == "p"]
    assert paragraphs == [p for e in events for p in paragraphs_of(e["summary"])]
    notes = [one_line(e["source_note"]) for e in events]
    assert dict(shown)["ol"] == [f"Source. Note: {n}" if n else "Source" for n in notes]


def test_property_alphabet_really_has_controls() -> None:
    # Guards the strategy above: it must keep producing what the export has to neutralise.
    assert any(unicodedata.category(c) == "Cc" for c in SYNTAX)
    assert any(ord(c) in BIDI for c in SYNTAX)


@pytest.mark.parametrize("text", ["rich", "generated"])
@pytest.mark.parametrize("chosen", ["all", "filtered"])
def test_an_export_shared_out_among_processes_equals_one_written_alone(
    text: str, chosen: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """References keep their numbers of first use, years their headings, across runs."""
    timeline = load(RICH if text == "rich" else generate(300, seed=5))
    events = timeline.events if chosen == "all" else timeline.events[1::2]
    monkeypatch.setattr(export_module, "MIN_SHARE", 1)
    calls: list[int] = []
    real = export_module.forked_map

    def counted(work, parts):  # type: ignore[no-untyped-def]
        calls.append(len(parts))
        return real(work, parts)

    monkeypatch.setattr(export_module, "forked_map", counted)
    shared = export_markdown(timeline, events, query="x", processes=3)
    assert calls == [3]
    assert shared == export_markdown(timeline, events, query="x")


def test_a_status_that_cannot_be_read_is_exported_as_written_never_as_confirmed() -> None:
    # No status line means confirmed: a mistyped forecast was published as a fact.
    result = load_text(
        "title: T\nevents:\n  - {date: 2030, title: OpenAI goes bankrupt, status: forcast}\n",
        "t.yaml",
    )
    assert result.errors
    assert result.timeline is not None
    markdown = export_markdown(result.timeline)
    assert "*Status: forcast (not a known status)*" in markdown


# -- notes: what qualifies a figure or a source is published with it ------------------------

NOTES = """\
title: Notes
sources:
  article:
    title: Le partenariat vole en éclats
    date: 2026-02-13
    note: publisher and URL not recorded in the seed copy
  web:
    title: A page?
    url: https://news.example/a
    note: |
      Archived copy | only.
      # Not a heading: [x](javascript:alert(1)) <b>bold</b>

      1. Nor a list.
  plain:
    title: No note
    note: "   "
events:
  - date: 2025
    title: Capital expenditure
    sources: [plain]
    figures:
      - label: Capex
        value: "88.7"
        unit: billion (currency not stated)
        source: article
        note: |
          Article: « 88,7 milliards »; | no currency
          ---
          <img src=x onerror=alert(1)> ![](https://attacker.example/p.png)

          - counted here from the article's date
      - {label: Stake, value: 27, unit: "%", source: web}
  - date: 2026
    title: No notes here
    figures:
      - {label: Count, value: 3, note: "  "}
"""


def test_figure_notes_are_a_column_of_their_table_only_when_one_has_a_note() -> None:
    timeline = load(NOTES)
    markdown = export_markdown(timeline)
    assert_safe(markdown)
    note = timeline.events[0].figures[0].note
    assert note is not None
    # One cell: its paragraphs told apart by a ¶, each paragraph's lines run on.
    paragraphs = " ¶ ".join(one_line(p) for p in note.split("\n\n") if p.strip())
    assert paragraphs.count(" ¶ ") == 1
    tables = [rows for kind, rows in blocks(markdown) if kind == "table"]
    assert tables == [
        [
            ["Figure", "Value", "As of", "Source", "Note"],
            ["Capex", "88.7 billion (currency not stated)", "", "[1]", paragraphs],
            ["Stake", "27%", "", "[2]", ""],
        ],
        # A blank note is no note: the table keeps its four columns.
        [["Figure", "Value", "As of", "Source"], ["Count", "3", "", ""]],
    ]
    assert "counted here from the article's date" in tables[0][1][4]


def test_related_events_are_named_as_their_sections_are() -> None:
    text = (
        "title: T\nevents:\n"
        "  - {id: a, date: 2019/2023, title: First *concession*, related: [b, c]}\n"
        "  - {id: b, date: 2026?, title: A new tender}\n"
        "  - {id: c, date: 2027, title: Third, related: [a]}\n"
    )
    timeline = load_text(text, "t.yaml").timeline
    assert timeline is not None
    lines = export_markdown(timeline).splitlines()
    related = [line for line in lines if line.startswith("Related: ")]
    assert related == [
        "Related: 2026? — A new tender; 2027 — Third",
        "Related: 2019–2023 — First \\*concession\\*",
    ]
    assert "### 2019–2023 — First \\*concession\\*" in lines
    assert sum(line.startswith("Related") for line in lines) == 2  # b relates to nothing


def test_source_notes_end_their_references() -> None:
    timeline = load(NOTES)
    markdown = export_markdown(timeline)
    assert_safe(markdown)
    shown = blocks(markdown)
    web_note = timeline.sources["web"].note
    assert web_note is not None
    assert dict(shown)["ol"] == [
        "Le partenariat vole en éclats — 13 Feb 2026. "
        "Note: publisher and URL not recorded in the seed copy",
        f"A page? https://news.example/a. Note: {one_line(web_note)}",
        "No note",
    ]
    assert [kind for kind, _ in shown].count("h1") == 1
    hrefs = [t.attrs["href"] for t in all_tokens(markdown) if t.type == "link_open"]
    assert hrefs == ["https://news.example/a"]


def test_a_reference_whose_parts_make_a_list_mark_is_one_item() -> None:
    # A source titled `0` with a note gave `1. 0. Note: x`: a list inside the item.
    text = (
        "title: T\nsources:\n  s:\n    title: '0'\n    note: x\n"
        "events:\n  - date: 2026\n    title: E\n    sources: [s]\n"
    )
    markdown = export_markdown(load(text))
    assert_safe(markdown)
    assert dict(blocks(markdown))["ol"] == ["0. Note: x"]
    assert [t.type for t in all_tokens(markdown)].count("ordered_list_open") == 1


def test_every_note_of_the_bundled_timeline_is_exported() -> None:
    timeline = load((Path(__file__).parent.parent / "events.yaml").read_text(encoding="utf-8"))
    shown = blocks(export_markdown(timeline))
    tables = [rows for kind, rows in shown if kind == "table"]
    cells = {cell for rows in tables for row in rows for cell in row}
    figure_notes = [f.note for e in timeline.events for f in e.figures if f.note]
    assert figure_notes and {one_line(note) for note in figure_notes} <= cells
    references = "\n".join(dict(shown)["ol"])
    source_notes = [s.note for s in timeline.sources.values() if s.note]
    assert source_notes
    for note in source_notes:
        assert f"Note: {one_line(note)}" in references


@pytest.mark.parametrize(
    ("unit", "lang", "shown"),
    [
        ("%", None, "27%"),  # was "27 %" in English too (found by a user pass)
        ("%", "en-GB", "27%"),
        ("%", "fr", "27 %"),  # French typography spaces it
        ("billion USD", "en", "27 billion USD"),
        (None, "en", "27"),
    ],
)
def test_a_figure_is_written_with_its_unit_as_its_language_writes_it(
    unit: str | None, lang: str | None, shown: str
) -> None:
    assert Figure(label="Stake", value="27", unit=unit).amount(lang) == shown


def test_a_url_that_needed_encoding_is_shown_as_written() -> None:
    # Readers saw `l-%C3%A9lys%C3%A9e` and `Foo_%28bar%29` in the references: the link
    # text is the URL as written, its target the encoded one (a user pass).
    timeline = load(
        "title: T\nsources:\n"
        '  lm: {title: Le Monde, url: "https://lemonde.fr/l-élysée_1.html"}\n'
        '  ok: {title: OK, url: "https://example.org/a"}\n'
        "events:\n  - date: 2026\n    title: A\n"
        '    sources: [lm, ok, "https://en.wikipedia.org/wiki/Foo_(bar)"]\n'
    )
    markdown = export_markdown(timeline)
    assert_safe(markdown)
    assert "OK. <https://example.org/a>" in markdown  # no encoding needed: an autolink
    tokens = all_tokens(markdown)
    links = [
        (token.attrs["href"], tokens[k + 1].content)
        for k, token in enumerate(tokens)
        if token.type == "link_open"
    ]
    assert links == [
        ("https://lemonde.fr/l-%C3%A9lys%C3%A9e_1.html", "https://lemonde.fr/l-élysée_1.html"),
        ("https://example.org/a", "https://example.org/a"),
        ("https://en.wikipedia.org/wiki/Foo_%28bar%29", "https://en.wikipedia.org/wiki/Foo_(bar)"),
    ]
    assert "[https://lemonde.fr/l-élysée\\_1.html](<https://lemonde.fr/l-%C3%A9lys" in markdown
