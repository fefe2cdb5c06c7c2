"""Every hostile file of tests/corpus opened in the app: what its EXPECT line says, on screen.

tests/test_loader.py checks the loader and tests/test_cli.py the commands; this checks what a
person sees. One generic check runs for every file (the app is alive, the header counts the
errors, the problems panel lists every problem at its place, no control or bidi character
reaches the screen, nothing is written to the working folder), then the file's own check
from CHECKS. A corpus file without a check fails, so a new hostile file needs one.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from textual.command import CommandList

from conftest import CORPUS, DATA, TODAY, loaded, view_text, wait_until, widget_text
from timeline_tui.ui.app import TimelineApp, make_app
from timeline_tui.ui.render import clean
from timeline_tui.ui.widgets.header import TimelineHeader
from timeline_tui.ui.widgets.problems import ProblemsPanel
from timeline_tui.ui.widgets.timeline_view import TimelineView

SIZE = (120, 40)
FILES = sorted(CORPUS.glob("*.yaml"))
# What must never be drawn: C0 and C1 controls, DEL, bidi controls, BOM and other invisibles.
RAW = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200b\u200e\u200f\u202a-\u202e\u2060-\u206f\ufeff]")


def expect_line(path: Path) -> str:
    for line in path.read_bytes().decode("utf-8", "replace").splitlines():
        if line.lstrip("\ufeff").startswith("# EXPECT:"):
            return line.partition(":")[2].strip()
    raise AssertionError(f"{path.name} has no '# EXPECT:' line")


@dataclass
class Seen:
    """The app on one corpus file, and what it shows."""

    pilot: Any
    app: TimelineApp
    path: Path
    editor_calls: list[list[str]] = field(default_factory=list)

    @property
    def view(self) -> TimelineView:
        return self.app.main.view

    @property
    def panel(self) -> ProblemsPanel:
        return self.app.main.query_one(ProblemsPanel)

    def header(self) -> str:
        return widget_text(self.app.main.query_one(TimelineHeader))

    def shown(self) -> str:
        return view_text(self.view)

    def rows(self) -> list[str]:
        return self.shown().splitlines()

    def event_rows(self) -> list[str]:
        """The rows of the events (collapsed), without the year and "now" lines."""
        return [r for r in self.rows() if "·" in r and not r.lstrip().startswith(("──", "━━"))]

    def problems(self) -> list[str]:
        """The problems panel, one `LINE:COL severity message` per problem, as drawn."""
        panel = self.panel
        return [str(panel.get_option_at_index(i).prompt) for i in range(panel.option_count)]

    def problem_at(self, where: str, *words: str) -> str:
        """The problem listed at `where` (`LINE:COL`) whose text has all `words`."""
        for problem in self.problems():
            if problem.startswith(f"{where} ") and all(w in problem for w in words):
                return problem
        raise AssertionError(f"no problem at {where} with {words}: {self.problems()}")

    def notifications(self) -> list[str]:
        return [str(n.message) for n in self.app._notifications]

    def titles(self) -> list[str]:
        return [event.title for event in self.view.events]

    def links(self) -> dict[str, set[str]]:
        """Each screen row of the timeline, with the link targets of its segments."""
        found: dict[str, set[str]] = {}
        for y in range(self.view.size.height):
            strip = self.view.render_line(y)
            links = {seg.style.link for seg in strip if seg.style and seg.style.link}
            found[strip.text.strip()] = found.get(strip.text.strip(), set()) | links
        return found

    async def expand_all(self) -> None:
        await self.pilot.press("plus")
        await self.pilot.pause()


Check = Callable[[Seen], Awaitable[None]]
CHECKS: dict[str, Check] = {}


def check(prefix: str) -> Callable[[Check], Check]:
    """Register the check of the corpus file whose name starts with `prefix`."""

    def register(function: Check) -> Check:
        name = next(p.name for p in FILES if p.name.startswith(prefix + "_"))
        CHECKS[name] = function
        return function

    return register


def test_every_corpus_file_has_a_check() -> None:
    assert {p.name for p in FILES} == set(CHECKS)


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name[:2])
async def test_the_app_handles_the_file_as_expected(
    path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    expect = expect_line(path)
    monkeypatch.chdir(tmp_path)  # anything the file could make the app write would land here
    monkeypatch.setenv("EDITOR", "vi")  # `+LINE FILE`: the line the editor is asked for
    monkeypatch.delenv("VISUAL", raising=False)
    calls: list[list[str]] = []

    def editor(argv: list[str]) -> int:
        calls.append(argv)
        return 0

    app = make_app(path, today=TODAY, watch=False, cache=False, editor=editor)
    async with app.run_test(size=SIZE) as pilot:
        await loaded(pilot)
        seen = Seen(pilot, app, path, calls)
        generic_checks(seen, expect)
        await CHECKS[path.name](seen)
        for line in [*seen.rows(), seen.header(), *seen.problems()]:
            assert not RAW.search(line), f"a raw control drawn: {line!r}"
        assert app.is_running, f"the app stopped; expected: {expect}"
    assert os.listdir(tmp_path) == [], "the app wrote into its working folder"


def generic_checks(seen: Seen, expect: str) -> None:
    result = seen.app.main.result
    assert result is not None and seen.app.is_running
    header = seen.header()
    errors, warnings = len(result.errors), len(result.warnings)
    if errors:
        # The header says so, and that `p` lists them: with their count, or, when the file as
        # a whole could not be read (empty, not UTF-8), in the first error's own words.
        first = result.errors[0]
        assert "(p)" in header, header
        assert re.search(rf"\b{errors} errors?\b", header) or (
            clean(first.message).split(": ")[0] in header
        ), header
        assert seen.panel.display, "errors open the problems panel"
        # ... and no toast says it again over the panel's text.
        assert not any(f"{first.pos.line}:{first.pos.col}: " in n for n in seen.notifications())
    elif warnings:
        assert f"! {warnings} warning{'s' if warnings != 1 else ''} (p)" in header, header
    # Every problem is listed once, at its place, as plain text.
    problems = seen.problems()
    assert len(problems) == len(result.diagnostics)
    for diagnostic in result.diagnostics:
        where = f"{diagnostic.pos.line}:{diagnostic.pos.col} {diagnostic.severity} "
        assert any(p.startswith(where) and clean(diagnostic.message) in p for p in problems)
    # Where EXPECT names a place ("line 6, col 12"), a problem is listed there.
    for line, col in re.findall(r"line (\d+), col (\d+)", expect):
        assert any(p.startswith(f"{line}:{col} ") for p in problems), (expect, problems)
    # The events that loaded are the ones shown (the screen holds them all, collapsed).
    events = result.timeline.events if result.timeline is not None else []
    assert len(seen.view.events) == len(events)
    plural = "event" if len(events) == 1 else "events"
    assert re.search(rf"  {len(events)} {plural}\b", header), header
    shown = seen.shown()
    for event in events:
        assert clean(event.title)[:40] in shown


# -- code, aliases, nesting: rejected with a place, nothing run --------------------------------


@check("01")
async def _python_tag(seen: Seen) -> None:
    seen.problem_at("6:12", "error", "tag !!python/object/apply:os.system not allowed")
    assert seen.view.events == []
    assert not Path("PWNED_timeline").exists()  # the generic check: the folder stays empty


@check("03")
async def _alias_bomb(seen: Seen) -> None:
    seen.problem_at("7:10", "error", "aliases expand to more than")
    assert seen.view.events == []


@check("05")
async def _alias_cycle(seen: Seen) -> None:
    seen.problem_at("4:11", "error", "alias *a refers to itself")
    assert not any("Recursion" in text for text in seen.problems() + seen.notifications())


@check("07")
async def _deep_nesting(seen: Seen) -> None:
    # Where the runaway brackets start, not where libyaml gave up (a user pass).
    seen.problem_at("7:11", "error", "nesting too deep")
    assert seen.view.events == []


@check("09")
async def _duplicate_key(seen: Seen) -> None:
    seen.problem_at("8:5", "error", "duplicate key 'summary' (first at line 7)")
    await seen.expand_all()
    assert "This paragraph is the one the author wants to keep." in seen.shown()
    assert "oops, pasted twice" not in seen.shown()


# -- YAML 1.1 surprises: text stays text ---------------------------------------------------


@check("11")
async def _norway(seen: Seen) -> None:
    assert seen.titles() == ["no"]
    assert re.search(r"1 Jan 2025 · no\s*❝ 1$", seen.rows()[1])
    await seen.expand_all()
    shown = seen.shown()
    assert "❝ Yes" in shown and "— off, On" in shown
    assert "#NO #SE #on #off #yes #y #n" in shown
    assert "False" not in shown and "True" not in shown


@check("13")
async def _sexagesimal(seen: Seen) -> None:
    await seen.expand_all()
    shown = seen.shown()
    assert "Lunch meeting at 12:30" in shown
    assert re.search(r"duration\s+1:30 h", shown)
    assert "── 2025" in shown and "750" not in shown and "5400" not in shown
    seen.problem_at("6:5", "warning", "unknown field 'time'")


@check("14")
async def _partial_dates(seen: Seen) -> None:
    rows = seen.rows()
    assert any(re.fullmatch(r"\s*2025\s+· Year only", row) for row in rows), rows
    assert any(re.fullmatch(r"\s*Oct 2025\s+· Month only", row) for row in rows), rows
    assert any(re.fullmatch(r"\s*Oct 2025\s+· Month name", row) for row in rows), rows
    assert seen.titles() == ["Year only", "Month only", "Month name"]
    seen.problem_at("11:11", "error", "'March' has no year")
    assert "Month without year" not in seen.shown()


@check("15")
async def _impossible_dates(seen: Seen) -> None:
    seen.problem_at("5:11", "error", "invalid date '2025-02-30'")
    seen.problem_at("7:11", "error", "invalid date '2025-02-29'")
    seen.problem_at("9:11", "error", "invalid date '2025-13-01'")
    assert seen.view.events == []
    assert not any("Traceback" in n or "ValueError" in n for n in seen.notifications())


@check("17")
async def _bce(seen: Seen) -> None:
    rows = seen.rows()
    bce = ["Assassination of Julius Caesar", "Same year, text form", "Same day, text form"]
    for title in bce:
        row = next(r for r in rows if title in r)
        assert "44 BCE" in row, row
    augustus = next(i for i, r in enumerate(rows) if "Death of Augustus" in r)
    assert "19 Aug 14 CE" in rows[augustus]
    assert all(next(i for i, r in enumerate(rows) if t in r) < augustus for t in bce)
    assert "── 44 BCE" in seen.shown() and "── 14 CE" in seen.shown()
    assert "0044" not in seen.shown() and not re.search(r"(?<!\d)44 CE", seen.shown())
    assert "44 BCE → 19 Aug 14 CE" in seen.header()


@check("19")
async def _approximate_dates(seen: Seen) -> None:
    rows = seen.rows()
    for date, title in [("1850s", "A decade"), ("~1850", "Circa"), ("late 2025", "Late 2025"),
                        ("Q3 2026", "Third quarter")]:  # fmt: skip
        assert any(re.fullmatch(rf"\s*{re.escape(date)}\s+· {title}", r) for r in rows), rows
    seen.problem_at("13:11", "error", "cannot read 'Revenue fell 12% in Q3' as a date")
    assert "Sentence in date field" not in seen.shown()
    assert "Dec" not in seen.shown()  # fuzzy parsing would have made it 3 Dec this year


@check("20")
async def _mixed_date_types(seen: Seen) -> None:
    order = seen.titles()
    assert len(order) == 6
    # The date-only events come before the ones with a time that day; 10:00 UTC comes
    # before 09:00 at -05:00 (14:00 UTC).
    for day_only in ("date", "quoted string"):
        assert order.index(day_only) < order.index("naive datetime")
    assert order.index("aware UTC") < order.index("aware -05:00 (later than the UTC one)")
    drawn = [r.partition("· ")[2].strip() for r in seen.event_rows()]
    assert drawn == order  # drawn in that order


@check("23")
async def _missing_fields(seen: Seen) -> None:
    assert seen.titles() == ["The only valid event"]
    for where, words in [("5:5", "no date"), ("7:11", "title is empty"),
                         ("9:12", "title is empty"), ("10:5", "must be a mapping"),
                         ("11:5", "must be a mapping"), ("12:5", "no title")]:  # fmt: skip
        seen.problem_at(where, "error", words)
    assert not any("NoneType" in text for text in seen.problems() + seen.notifications())


@check("25")
async def _top_level_list(seen: Seen) -> None:
    seen.problem_at("3:1", "error", "expected a mapping with title and events")
    assert seen.view.events == []


@check("27")
async def _empty(seen: Seen) -> None:
    seen.problem_at("1:1", "error", "file is empty")
    assert "file is empty" in seen.header()
    assert "27_empty_document.yaml  0 events" in seen.header()


# -- text the loader cannot read: the error, literally, at its place ---------------------


@check("29")
async def _truncated(seen: Seen) -> None:
    problem = seen.problem_at("6:12", "error", "this quoted text is never closed")
    assert "Truncated" in seen.header()
    prompt = seen.panel.get_option_at_index(seen.problems().index(problem)).prompt
    # Plain text: no span carries an action or a link.
    assert all(not (span.style and "@" in str(span.style)) for span in prompt.spans)


@check("30")
async def _tab(seen: Seen) -> None:
    seen.problem_at("6:1", "error", "tab character used for indentation", "spaces")


@check("32")
async def _bom(seen: Seen) -> None:
    assert seen.app.main.timeline is not None
    assert seen.app.main.timeline.title == "BOM file"
    header = seen.header()
    assert header.strip().startswith("BOM file  1 event ")
    assert "\ufeff" not in header and "<U+FEFF>" not in header
    seen.problem_at("5:5", "warning", "'Zoë'")  # line numbers as the file has them
    await seen.expand_all()
    assert "line 5" in seen.shown()


@check("33")
async def _latin1(seen: Seen) -> None:
    seen.problem_at("6:15", "error", "not valid UTF-8 (byte 0xE9)")
    assert seen.view.events == []


@check("35")
async def _crlf(seen: Seen) -> None:
    lines = seen.path.read_bytes().split(b"\n")  # as an editor counts them
    first = lines.index(b"  - date: 2025-01-01\r") + 1
    second = lines.index(b"  - date: 2025-01-02\r") + 1
    seen.problem_at(f"{first}:5", "warning", "'Windows line endings'")
    seen.problem_at(f"{second}:5", "warning", "'Second'")
    target = str(seen.path.absolute())
    pilot = seen.pilot
    await pilot.press("e")
    await pilot.press("j", "e")
    assert seen.editor_calls == [["vi", f"+{first}", target], ["vi", f"+{second}", target]]
    # The problems panel opens the editor at the same lines.
    await pilot.press("p")
    assert seen.app.focused is seen.panel
    await pilot.press("down", "enter")
    assert seen.editor_calls[-1] == ["vi", f"+{second}", target]
    await pilot.press("p", "plus")
    assert await wait_until(pilot, lambda: f"line {second}" in seen.shown())


@check("38")
async def _raw_control_bytes(seen: Seen) -> None:
    seen.problem_at("6:25", "error", "control character U+001B not allowed")
    seen.problem_at("8:16", "error", "control character U+0000 not allowed")
    shown = seen.shown()
    assert "clear screen" in shown and "\x1b" not in shown and "\x00" not in shown


# -- terminal escapes, bidi, markup, links: shown, never obeyed --------------------------


@check("39")
async def _escape_sequences(seen: Seen) -> None:
    assert "Escapes <U+001B>]0;HACKED WINDOW TITLE<U+001B>\\" in seen.header()
    await seen.expand_all()
    shown = seen.shown()
    for text in [
        "Clear <U+001B>[2J<U+001B>[H screen",
        "Clipboard <U+001B>]52;c;cm0gLXJmIH4K<U+001B>\\ write",
        "Hyperlink <U+001B>]8;;https://evil.example/<U+001B>\\innocent text<U+001B>]8;;",
        "— <U+001B>[31mRed speaker<U+001B>[0m, <U+001B>P+q544e<U+001B>\\ DCS query",
        "<U+001B>[8mhidden<U+001B>[0m",
        "1 <U+001B>[5mblink",
        "<U+001B>]0;t<U+0007>",
    ]:
        assert text in shown, text
    assert set().union(*seen.links().values()) == set()


@check("41")
async def _bidi(seen: Seen) -> None:
    await seen.expand_all()
    shown = seen.shown()
    for text in [
        "Budget approved <U+202E>0001$ DSU<U+202C> for 2026",
        "❝ <U+2067>Quote that reorders what follows",
        "— Admin<U+202E> nimdA, <U+2066>isolated<U+2069> source",
        "1000 <U+202E>DSU",
    ]:
        assert text in shown, text


@check("44")
async def _markup(seen: Seen) -> None:
    assert "[bold red]Styled app title[/]" in seen.header()
    await seen.expand_all()
    shown = seen.shown()
    for text in [
        "Revenue [/] fell",
        "Q3 [/italic] results",
        "[@click=app.quit]Read more[/]",
        "[@click=app.screenshot('authorized_keys','.')]Click to expand[/]",
        "[link=javascript:alert(1)]source[/link] and [link='file:///etc/passwd']x[/link]",
        "He said [sic] it [citation needed]",
        "❝ [reverse]Inverted[/reverse] C:\\path\\[bold] trailing\\",
        "— [@click=app.simulate_key('ctrl+q')]Speaker[/], [on red]x",
        "#[b] #[red] #[$var] #[type=x, v={'a[0]'}] #[1] #[Smith 2020]",
    ]:
        assert text in shown, text
    assert set().union(*seen.links().values()) == set()
    # Clicking the would-be link selects its event, then expands or folds it: nothing else.
    row = next(y for y, line in enumerate(seen.rows()) if "[@click=app.quit]" in line)
    for _ in range(3):
        await seen.pilot.click(TimelineView, offset=(40, row))
    assert seen.app.is_running
    assert seen.view.current is not None
    assert seen.view.current.title == "[@click=app.quit]Read more[/]"


@check("45")
async def _markdown_in_titles(seen: Seen) -> None:
    shown = seen.shown()
    for title in [
        "# Fake Heading",
        "Revenue | 12 | fake column",
        "use `rm -rf` and ``` fence",
        "<script>alert(1)</script><img src=x onerror=alert(1)>",
        '[click](javascript:alert(1)) <a href="javascript:alert(1)">a</a>',
        "*not* _italic_ **bold** ~~strike~~ \\ ends with backslash\\",
    ]:
        assert title in shown, title
    await seen.expand_all()
    links = seen.links()
    assert links["javascript:alert(1)"] == set()
    assert links["https://ok.example/a b(c)>d"] == {"https://ok.example/a%20b%28c%29%3Ed"}


@check("47")
async def _source_urls(seen: Seen) -> None:
    await seen.expand_all()
    links = seen.links()
    inert = [
        "javascript:alert(1)",
        "JaVaScRiPt:alert(1)",
        "file:///etc/passwd",
        "data:text/html,<script>alert(1)</script>",
        "//evil.example/x",
        "— s, vscode://file/etc/passwd",
    ]
    for text in inert:
        assert links[text] == set(), (text, links[text])
    assert links["https://ok.example/<U+001B>\\<U+001B>]52;c;ZXZpbA==<U+0007>"] == {
        "https://ok.example/%1B%5C%1B%5D52;c;ZXZpbA==%07"
    }
    assert links["https://example.org/a b(c)>d"] == {"https://example.org/a%20b%28c%29%3Ed"}
    assert set().union(*links.values()) == {
        "https://ok.example/%1B%5C%1B%5D52;c;ZXZpbA==%07",
        "https://example.org/a%20b%28c%29%3Ed",
    }


# -- keys and tags ----------------------------------------------------------------------------


@check("49")
async def _non_text_keys(seen: Seen) -> None:
    for where, key in [("8:10", "'1'"), ("8:16", "'1.0'"), ("8:24", "'true'"),
                       ("9:10", "'2025-01-01'")]:  # fmt: skip
        seen.problem_at(where, "error", "mapping keys must be text", key)
    seen.problem_at("12:7", "error", "mapping keys must be text, not a list or mapping")
    assert seen.titles() == ["Colliding keys", "Unhashable"]


@check("51")
async def _exotic_tags(seen: Seen) -> None:
    for where, tag in [("5:11", "!!timestamp"), ("6:12", "!!binary"), ("7:11", "!!set"),
                       ("8:14", "!!omap"), ("9:14", "!!float")]:  # fmt: skip
        seen.problem_at(where, "error", f"tag {tag} not allowed")
    assert seen.view.events == []
    assert "b'Hello'" not in seen.shown() and "SGVsbG8=" not in seen.shown()


@check("54")
async def _typos(seen: Seen) -> None:
    for where, typo, meant in [("5:5", "Date", "date"), ("6:5", "tittle", "title"),
                               ("7:5", "sumary", "summary"), ("8:5", "quote", "quotes"),
                               ("9:5", "figure", "figures")]:  # fmt: skip
        seen.problem_at(where, "warning", f"unknown field '{typo}'", f"did you mean '{meant}'?")
    assert seen.titles() == ["Misspelled title"]
    await seen.expand_all()
    assert "Misspelled summary" in seen.shown()


@check("55")
async def _reload_base(seen: Seen) -> None:
    assert seen.titles() == ["Kennedy's Moon speech", "Apollo 1 fire", "Apollo 11 landing"]
    assert "Reload baseline  3 events  25 May 1961 → 20 Jul 1969" in seen.header()
    assert seen.problems() == [] and not seen.panel.display


# -- beyond one opening ---------------------------------------------------------------------


async def test_partial_dates_sort_the_same_whatever_the_day() -> None:
    """14: the order and the labels of partial dates do not depend on today's date."""
    path = CORPUS / "14_partial_dates.yaml"
    seen: list[tuple[list[str], list[str]]] = []
    for today in (TODAY, dt.date(2025, 3, 1), dt.date(2031, 12, 31)):
        app = make_app(path, today=today, watch=False, cache=False, editor=lambda argv: 0)
        async with app.run_test(size=SIZE) as pilot:
            await loaded(pilot)
            view = app.main.view
            rows = [
                r.split("·")[0].strip()
                for r in view_text(view).splitlines()
                if "·" in r and "━━ now" not in r  # the "now" line moves with today, of course
            ]
            seen.append(([e.title for e in view.events], rows))
    assert seen[0] == seen[1] == seen[2]
    assert seen[0] == (["Year only", "Month only", "Month name"], ["2025", "Oct 2025", "Oct 2025"])


async def test_problems_that_quote_the_file_show_its_controls_as_placeholders() -> None:
    """The loader's messages quote titles, keys, dates and ids: raw, if nothing cleaned them."""
    path = DATA / "problems_quote_escapes.yaml"
    app = make_app(path, today=TODAY, watch=False, cache=False, editor=lambda argv: 0)
    async with app.run_test(size=SIZE) as pilot:
        await loaded(pilot)
        seen = Seen(pilot, app, path)
        seen.problem_at("6:5", "warning", "'Evil <U+001B>]52;c;ZXZpbA==<U+0007> <U+202E>eman'")
        seen.problem_at("8:5", "warning", "unknown field 'ti<U+001B>[2Jtle2'")
        seen.problem_at("9:11", "error", "cannot read '2025-<U+001B>[31m01' as a date")
        seen.problem_at("13:15", "error", "'<U+001B>]8;;https://evil.example/<U+001B>\\id'")
        assert "Diag <U+001B>]0;PWNED<U+0007> title" in seen.header()
        # The command palette's hits: the title as a prompt, the date as help.
        await pilot.press("ctrl+p", *"evil")
        commands = app.screen.query_one(CommandList)

        def first_hit() -> str:
            return str(commands.get_option_at_index(0).prompt) if commands.option_count else ""

        assert await wait_until(pilot, lambda: "Evil <U+001B>]52;c;" in first_hit())
        assert "1 Jan 2025 · jump to this event" in first_hit()
        texts = [*seen.problems(), *seen.notifications(), seen.header(), first_hit()]
        await pilot.press("escape")
    for text in texts:
        for line in text.splitlines():  # a palette hit is its prompt, "\n", its help
            assert not RAW.search(line), line
