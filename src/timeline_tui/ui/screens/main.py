"""The main screen: header, filter, the timeline, the problems panel and the footer.

It owns what is shown: the last good timeline, the filter, and the state of the file.
Loading, reloading, watching and exporting run in thread workers; their results come back
as messages, so the UI thread never waits on the disk.
"""

from __future__ import annotations

import contextlib
import itertools
import shlex
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.events import Resize
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Footer, Input
from textual.worker import Worker, WorkerState, get_current_worker

from timeline_tui.core import append as appending
from timeline_tui.core.carried import as_shown, carry_over
from timeline_tui.core.dates import FuzzyDate
from timeline_tui.core.editor import EditorError, editor_argv
from timeline_tui.core.export_markdown import export_markdown, incomplete_note
from timeline_tui.core.export_words import export_words, stale_why
from timeline_tui.core.loader import LoadResult, decode, read_file_bytes
from timeline_tui.core.memory import release_free_memory
from timeline_tui.core.model import Diagnostic, Event, Timeline
from timeline_tui.core.query import Query, QueryError, SearchIndex, best_match, parse_query
from timeline_tui.core.session import Session, sleep
from timeline_tui.core.validate import left_out_ids
from timeline_tui.core.watch import Signature, Watcher, signature
from timeline_tui.core.wording import counted
from timeline_tui.core.writing import (
    WriteError,
    not_a_file,
    read_only,
    same_file,
    write_atomic,
)
from timeline_tui.ui.render import clean
from timeline_tui.ui.screens.export_dialog import ExportDialog
from timeline_tui.ui.screens.help import HelpScreen
from timeline_tui.ui.widgets.header import HeaderState, TimelineHeader, filter_mistake
from timeline_tui.ui.widgets.problems import ProblemsPanel
from timeline_tui.ui.widgets.timeline_view import TimelineView, index_of
from timeline_tui.ui.widgets.typed_input import TypedInput

WATCH_INTERVAL = 0.05
# What a load leaves to do in the background (caching it, indexing its words) waits until
# the file has been quiet this long (seconds).
QUIET_WORK = 2.0
# A reload that takes longer than this says so in the header: at 100k events, a save that
# the loader must read whole (text after the list, a problem across events) takes seconds,
# the old list shown.
RELOAD_NOTICE = 0.5
# Up to this many events a filter runs at once on each keystroke (a few milliseconds);
# above it, in a worker, so that typing never waits for it.
SYNC_FILTER_LIMIT = 5_000
# The rows the problems panel may take on a short terminal, its border included.
PROBLEMS_AT_LEAST = 7


class MainScreen(Screen[None]):
    AUTO_FOCUS = "TimelineView"
    # The filter keys are priority bindings: they run as soon as the app reads the key, so
    # the keys typed right after them (`/suleyman`, Enter Enter) already reach the widget
    # that now has focus instead of racing the focus change.
    BINDINGS = [
        # First of the screen's keys in the footer: below 80 columns the last ones are cut
        # off, and help names them all (htop and nano put it first too).
        Binding("question_mark", "help", "Help"),
        Binding("slash", "filter", "Filter", priority=True),
        Binding("enter", "filter_keep", "Keep filter", show=False, priority=True),
        # Down from the box goes down into the list, as Enter does (it is above the list).
        Binding("down", "filter_keep", "Keep filter", show=False, priority=True),
        Binding("escape", "filter_clear", "Clear filter", priority=True),
        # Textual's "Keys" panel (from the palette) had no key to close it.
        Binding("escape", "close_keys", "Close keys", show=False),
        # While a first load has nothing to show yet, the list takes no keys: G then was
        # lost (a user pass); it is kept for when the first events show.
        Binding("G,end", "end_when_shown", "Last event, once shown", show=False),
        Binding("e", "edit", "Edit"),
        Binding("a", "add", "Add event"),
        # The file reloads by itself when saved: r stays in the help and the palette,
        # and leaves the footer's room to the keys a person looks for.
        Binding("r", "reload", "Reload", show=False),
        Binding("x", "export", "Export"),
        Binding("p", "problems", "Problems"),
        Binding("q", "app.quit", "Quit"),
    ]

    @dataclass
    class Loaded(Message):
        """A load or reload finished; `signature` identifies the file version it read.

        `ticket` orders loads by their start: a load cancelled by a newer one may still
        finish and post after it, and must not replace the newer result."""

        result: LoadResult
        signature: Signature
        manual: bool
        ticket: int = 0

    @dataclass
    class Progress(Message):
        """A long first load has read `read` events of `total`; now and then with a
        result of them to show."""

        read: int
        total: int
        result: LoadResult | None

    @dataclass
    class Filtered(Message):
        """A filter run in a worker finished."""

        timeline: Timeline
        query: Query
        events: list[Event]
        end: FuzzyDate | None  # their latest end (see `last_end`)

    class FileChanged(Message):
        """The watcher saw the file change and settle."""

    @dataclass
    class Slow(Message):
        """The load with this ticket has taken RELOAD_NOTICE already."""

        ticket: int

    def __init__(self, path: Path) -> None:
        super().__init__()
        self.path = path
        self.result: LoadResult | None = None  # the latest load, good or not
        self.timeline: Timeline | None = None  # what is on screen
        self.shown_has_errors = False
        # The last version shown that had no error: what events an error leaves out are
        # carried over from (see `core.carried`).
        self.last_good: Timeline | None = None
        self.stale: str | None = None
        # Events shown as they were before an error left them out (see `core.carried`),
        # by id, with that error.
        self.carried: dict[str, Diagnostic] = {}
        self.index: SearchIndex | None = None
        self.filter_query = Query()
        self.query_error: str | None = None
        self._filter_typed = False  # the filter box holds text ("Clear filter" shows)
        # No settle time of its own: the session reads the file only once it holds still.
        self.watcher = Watcher(path, settle=0)
        self.session = Session(path, use_cache=self.app.use_cache)  # type: ignore[attr-defined]
        self.progress: tuple[int, int] | None = None
        # The list shows part of a first load: `G` then means the end of the timeline.
        self._growing = False
        self.reloading = False  # a reload has taken RELOAD_NOTICE, its result not shown
        self._slow_ticket = 0  # of the newest load that took RELOAD_NOTICE
        self.first_load = True
        self._tickets = itertools.count(1)
        self._ticket = 0  # of the load whose result is shown
        # The cursor and expanded events to keep when a filter run in a worker comes back.
        self._pending: tuple[Event | None, frozenset[str] | None] = (None, None)
        self._span_end: FuzzyDate | None = None  # the latest end among the events shown
        self._reading = False  # a load started by the watcher or `e` has not given its result
        # The line of an event just added with `a`: the next load puts the cursor on it.
        self._added_line: int | None = None
        # The event the cursor was on when `a` was pressed, to go back to if the new one
        # is taken out again; set for the load after it is.
        self._before_add: Event | None = None
        self._back_to: Event | None = None
        # The event `e` opened the editor at, and the timeline it was in, for the next
        # load to keep the cursor on.
        self._edited: tuple[Event, Timeline] | None = None
        # The version of the file last read (its signature then); whether `e` was pressed
        # while the file had changed since, on which event, and after how many inputs (see
        # `TimelineApp.inputs`): opened once the change is read, unless a key was pressed
        # meanwhile.
        self._read_signature: Signature | None = None
        self._edit_when_read = False
        self._edit_asked_on: Event | None = None
        self._edit_asked_after = 0
        # While the editor is open on an event `a` wrote: the file's text before it, the
        # text written, and the file's signature once written (see `take_back_unsaved`).
        self._adding: tuple[str, str, Signature] | None = None

    def compose(self) -> ComposeResult:
        yield TimelineHeader(id="header")
        yield TypedInput(
            # Back in the box (`/` again), typing goes on from the end of the filter, as
            # in a shell's line, rather than replacing it.
            select_on_focus=False,
            placeholder="/ filter: words  #tag  @actor  since:2025-10  until:2026  status:forecast",
            id="filter",
        )
        yield TimelineView(id="timeline")
        yield ProblemsPanel(id="problems")
        yield Footer()

    @property
    def view(self) -> TimelineView:
        return self.query_one(TimelineView)

    def on_mount(self) -> None:
        self.query_one(ProblemsPanel).display = False
        self.view.focus()
        self.view.loading = True
        self._update_header()
        self.load(manual=True)
        if self.app.watch_file:  # type: ignore[attr-defined]
            self.watch_file()

    def on_resize(self, event: Resize) -> None:
        # At the widths most terminals open at, the last keys (? Help, q Quit) ran off the
        # footer: it drops its padding below 120 columns, and the palette's key (also in
        # the help) below 100; all of them show from 80 columns (from 95 while a kept
        # filter adds "esc Clear filter": then the help names the last ones).
        footer = self.query_one(Footer)
        footer.compact = event.size.width < 120
        # The problems take 40% of the height at most (app.tcss): two lines on a terminal
        # 12 rows high, too few for one problem and its fix (a user pass). Never fewer
        # than five.
        short = event.size.height * 2 // 5 < PROBLEMS_AT_LEAST
        self.query_one(ProblemsPanel).styles.max_height = PROBLEMS_AT_LEAST if short else None
        palette = event.size.width >= 100
        if footer.show_command_palette != palette:
            footer.show_command_palette = palette
            # The footer lays out its keys when it composes them, not when this changes.
            footer.refresh(recompose=True)

    # -- loading ----------------------------------------------------------------------------

    @work(thread=True, exclusive=True, group="load", exit_on_error=False)
    def load(self, manual: bool = False) -> None:
        """Load the file (from the cache, incrementally, or in full) and post the result;
        a long first load posts its progress on the way."""

        def partial(read: int, total: int, result: LoadResult | None) -> None:
            self.post_message(self.Progress(read, total, result))

        worker = get_current_worker()
        ticket = next(self._tickets)
        slow = threading.Timer(RELOAD_NOTICE, lambda: self.post_message(self.Slow(ticket)))
        slow.daemon = True
        slow.start()
        try:
            result, sig = self.session.load(
                partial if self.timeline is None else None,
                lambda: worker.is_cancelled,
                lambda: self.app.quitting,  # type: ignore[attr-defined]
            )
        finally:
            slow.cancel()
        if worker.is_cancelled:
            return
        if result.timeline is not None:
            # The header's span, and each event's end for a filter's: worked out here, not
            # on the UI thread (40 ms at 100k events).
            result.timeline.span_end  # noqa: B018
        self.post_message(self.Loaded(result, sig, manual, ticket))
        # After the result is on its way: a millisecond or so. (The collection that
        # empties the free lists waits for `remember`, once the file is quiet.)
        release_free_memory(collect=False)
        # Cache the result for the next opening, once the file has been quiet for a moment:
        # a newer load cancels this one, so a burst of saves is cached once.
        if _quiet_for(QUIET_WORK):
            self.session.remember()

    def on_main_screen_progress(self, message: Progress) -> None:
        if self.result is not None:
            return  # the full result is already here
        self.progress = (message.read, message.total)
        if message.result is None or message.result.timeline is None:
            self._update_header()
            return
        self.view.loading = False
        self._growing = True
        self._show(message.result.timeline)

    @work(thread=True, exclusive=True, group="watch", exit_on_error=False)
    def watch_file(self) -> None:
        worker = get_current_worker()
        while not worker.is_cancelled:
            if self.watcher.poll(time.monotonic()):
                self.post_message(self.FileChanged())
            time.sleep(WATCH_INTERVAL)

    def on_main_screen_slow(self, message: Slow) -> None:
        # A first load shows its own progress.
        if message.ticket > self._ticket and self.result is not None:
            self._slow_ticket = max(self._slow_ticket, message.ticket)
            if not self.reloading:
                self.reloading = True
                self._update_header()

    def on_main_screen_file_changed(self, message: FileChanged) -> None:
        # A load under way reads the file once it holds still, and then tells the watcher
        # what it read: a change after that read is seen again. Starting another load
        # meanwhile would only read the same file twice.
        if not self._reading:
            self._reading = True
            # The words of the version shown are no longer worth indexing: the next
            # version's are, once it is read. Left to run, the indexing held the
            # interpreter for a second at 100k events, and a reload under it took twice
            # as long.
            self.workers.cancel_group(self, "search")
            self.load()

    def on_main_screen_loaded(self, message: Loaded) -> None:
        if message.ticket < self._ticket:
            return  # an older load that finished late: a newer result is already shown
        self._ticket = message.ticket
        self._reading = False
        # An older load's result, while a newer one that said it was slow still runs.
        self.reloading = self._slow_ticket > message.ticket
        self.watcher.accept(message.signature)
        self._read_signature = message.signature
        self.view.loading = False
        result = message.result
        if self.result is None and self.progress is not None and result.timeline is None:
            # The file went (deleted, replaced) while its first load was under way: the
            # part read so far is no version of it, never to be shown or exported as one.
            self.timeline = self.index = None
            self.view.show(self.view.timeline or Timeline("", ""), [])
        self.progress = None
        self.result = result
        good = result.timeline is not None and (not result.errors or self.shown_has_errors)
        if (self.first_load or self.timeline is None) and result.timeline is not None:
            good = True  # with nothing on screen, show whatever loaded, with its problems
        self.first_load = False
        over = None
        if not good and result.timeline is not None and self.last_good is not None:
            over = carry_over(result.timeline, result.diagnostics, self.last_good, result.edit)
        if (good or over is not None) and result.timeline is not None:
            self.stale = None
            self.shown_has_errors = good and bool(result.errors)
            timeline, self.carried = over if over is not None else (result.timeline, {})
            if not result.errors:
                self.last_good = timeline
            self._show(timeline)
            self._place_cursor_after_editing(timeline)
        else:
            self.stale = stale_status(result, self.timeline is not None)
            self._growing = False  # no list of the whole timeline to follow up to
            self.view.end_wanted = False  # (a G pressed for a load that showed nothing)
        if self.timeline is not None and len(self.timeline.events) > SYNC_FILTER_LIMIT:
            # (Also for a version kept on screen: the change stopped its indexing.)
            self.prepare_search(self.index)
        problems = self.query_one(ProblemsPanel)
        problems.show(as_shown(result.diagnostics, self.carried))
        if result.errors:
            # The panel says it all; a toast saying it again covered the panel's text.
            problems.display = True
        elif not result.diagnostics:
            self.action_close_problems()
        self._update_header()
        if self._edit_when_read:
            if self.app.inputs != self._edit_asked_after:  # type: ignore[attr-defined]
                # Keys typed since would have gone into the editor, opened out of the blue.
                self._edit_when_read = False
                self.notify(
                    "The editor was not opened: keys were pressed while the file was read; "
                    "press e again to edit"
                )
            elif signature(self.path) != message.signature:
                # Changed again since this load read it (or read before `e` was pressed):
                # its lines may not be the file's either.
                self._reading = True
                self.load()
            else:
                self._edit_when_read = False
                self._edit_read(self._edit_asked_on)

    def _show(self, timeline: Timeline) -> None:
        keep = self.view.current
        expanded = self.view.expanded_ids
        if self.index is None or self.index.timeline is not timeline:
            # (A save of the same bytes gives the same timeline: its index stays.)
            self.index = SearchIndex(timeline)
        self.timeline = timeline
        self._apply_filter(keep=keep, expanded=expanded)

    def _apply_filter(
        self, keep: Event | None = None, expanded: frozenset[str] | None = None
    ) -> None:
        timeline, index = self.timeline, self.index
        if timeline is None or index is None:
            return
        if self.filter_query.is_empty or len(timeline.events) <= SYNC_FILTER_LIMIT:
            query = self.filter_query
            if not query.is_empty:
                index.prepare()  # a few milliseconds, once per version of the timeline
            events, end = index.filter_with_end(query)
            self._filtered(timeline, query, events, keep, expanded, end)
        else:
            # A big timeline is filtered in a worker; the newest keystroke wins.
            self._pending = (keep, expanded)
            self.filter_in_worker(timeline, index, self.filter_query)

    @work(thread=True, exclusive=True, group="search", exit_on_error=False, description="index")
    def prepare_search(self, index: SearchIndex | None) -> None:
        """Index a big timeline's words (a second at 100k events), once the file has been
        quiet for a moment: a burst of saves is indexed once, and the reloads in it do not
        wait for the indexing. Filters meanwhile read the text itself (a fifth of a second
        at 100k events)."""
        worker = get_current_worker()
        if index is not None and _quiet_for(QUIET_WORK):
            index.prepare(lambda: worker.is_cancelled)
            # Its token lists, freed once made into bit sets, were 40 MB at 100k events.
            release_free_memory()

    # A description of its own: by default Textual would repr() the arguments, a whole
    # timeline, for every keystroke.
    @work(thread=True, exclusive=True, group="filter", exit_on_error=False, description="filter")
    def filter_in_worker(self, timeline: Timeline, index: SearchIndex, query: Query) -> None:
        events, end = index.filter_with_end(query)
        if not get_current_worker().is_cancelled:
            self.post_message(self.Filtered(timeline, query, events, end))
            # What filtering 100k events freed in this thread's malloc arena, some 7 MB,
            # would stay with the process: handing it back takes a millisecond.
            release_free_memory(collect=False)

    def on_main_screen_filtered(self, message: Filtered) -> None:
        if message.timeline is self.timeline and message.query is self.filter_query:
            keep, expanded = self._pending
            self._filtered(
                message.timeline, message.query, message.events, keep, expanded, message.end
            )

    def _filtered(
        self,
        timeline: Timeline,
        query: Query,
        events: list[Event],
        keep: Event | None,
        expanded: frozenset[str] | None,
        end: FuzzyDate | None,
    ) -> None:
        if keep is None:
            keep = self._landing(events, query)
        self._span_end = end
        # Followed up to the list of the whole timeline, shown once the load is done.
        growing, self._growing = self._growing, self._growing and self.progress is not None
        self.view.show(
            timeline,
            events,
            today=self.app.today,  # type: ignore[attr-defined]
            words=query.words,
            keep=keep,
            expanded=expanded,
            carried={ident: _carried_note(error) for ident, error in self.carried.items()},
            filtered=not query.is_empty,
            blank=not timeline.events and not (self.result is not None and self.result.errors),
            partial=self.progress is not None,
            follow_end=growing,
        )
        self._update_header()

    def _landing(self, events: list[Event], query: Query) -> Event | None:
        """Where a filter typed puts the cursor: on the event the user chose, whenever the
        filter matches it (a typo that matched nothing for a moment lost it: a user pass),
        else on the best match. So where it lands hangs on what is typed, not on which
        keystrokes' results were shown on the way. A filter cleared leaves the cursor
        where the last one put it (and the event chosen as it was); one kept with Enter
        makes its event the one chosen."""
        view = self.view
        for event in (view.current, view.chosen) if query.is_empty else (view.chosen,):
            # The events are in timeline order: bisection finds the event, if kept.
            at = index_of(events, event.sort_key(), event.id) if event is not None else None
            if at is not None:
                return events[at]
        return best_match(events, query)

    def _update_header(self) -> None:
        view = self.view
        result = self.result
        self.query_one(TimelineHeader).show(
            HeaderState(
                title=self.timeline.title if self.timeline else self.path.name,
                file=(
                    "bundled example"
                    if self.app.example  # type: ignore[attr-defined]
                    else self.path.name
                )
                if self.timeline
                else "",
                shown=len(view.events),
                total=len(self.timeline.events) if self.timeline else 0,
                first=view.events[0] if view.events else None,
                last=view.events[-1] if view.events else None,
                end=self._span_end,
                errors=len(result.errors) if result else 0,
                warnings=len(result.warnings) if result else 0,
                stale=self.stale,
                carried=len(self.carried),
                older_shown=self.timeline is not None,
                query_error=self.query_error,
                query_shown=self.filter_query.text.strip(),
                loading=result is None,
                progress=self.progress,
                reloading=self.reloading,
            )
        )

    # -- filter --------------------------------------------------------------------------------

    @on(Input.Changed, "#filter")
    def filter_changed(self, event: Input.Changed) -> None:
        if bool(event.value) != self._filter_typed:
            # "Clear filter" shows in the list only while there is a filter. Only then:
            # the footer is made again on each refresh, 20 ms and more a keystroke.
            self._filter_typed = bool(event.value)
            self.refresh_bindings()
        try:
            self.filter_query = parse_query(event.value)
            self.query_error = None
        except QueryError as exc:
            # The list keeps the last filter that could be read (typing `until:2025-1` goes
            # through invalid texts): the message says which, and the list is dimmed, as
            # not the answer to what is typed.
            self.query_error = str(exc)
            self.view.add_class("-outdated")
            self._update_header()
            return
        self.view.remove_class("-outdated")
        self._apply_filter()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        box = self.query_one("#filter", Input)
        in_filter = self.focused is box
        if action == "filter":
            return not in_filter
        if action == "filter_keep":
            return in_filter
        if action == "filter_clear":  # from the list too, while a filter is on
            if not in_filter and self.query("HelpPanel"):
                return False  # Escape closes the Keys panel first
            return in_filter or (bool(box.value) and self.focused is self.view)
        if action == "close_keys":  # else Escape goes on as it would
            return bool(self.query("HelpPanel"))
        if action == "end_when_shown":
            return self.view.loading
        return True

    def action_end_when_shown(self) -> None:
        self.view.end_wanted = True

    def action_close_keys(self) -> None:
        self.app.action_hide_help_panel()

    def action_filter(self) -> None:
        self.set_focus(self.query_one("#filter", Input))

    def action_filter_keep(self) -> None:
        if self.query_error is not None:
            # The header has room for the start of the message only, and the way to fix it
            # comes last: say all of it, and stay in the box to fix it.
            self._warn(filter_mistake(self.query_error, self.filter_query.text.strip()))
            return
        self.view.chosen = self.view.current
        self.set_focus(self.view)

    def action_filter_clear(self) -> None:
        self.query_one("#filter", Input).value = ""
        self.view.forget_pending_keys()  # Escape, a priority key, never reaches the list
        self.set_focus(self.view)

    # -- actions ---------------------------------------------------------------------------------

    def action_reload(self) -> None:
        self.load(manual=True)
        self.notify("Reloading…", timeout=1)

    def action_problems(self) -> None:
        panel = self.query_one(ProblemsPanel)
        if panel.display and panel.option_count and not panel.has_focus:
            # Shown by a load that found errors, but the list has the keys: go into it.
            self.set_focus(panel)
            return
        panel.display = not panel.display
        if panel.display and panel.option_count:
            self.set_focus(panel)
        else:
            if not panel.option_count and panel.display:
                panel.display = False
                self.notify("No problems in this file", timeout=2)
            self.set_focus(self.view)

    def action_close_problems(self) -> None:
        panel = self.query_one(ProblemsPanel)
        # Hidden with the keys, it would hand them to the next widget: the filter box.
        if panel.has_focus:
            self.set_focus(self.view)
        panel.display = False

    def action_help(self) -> None:
        self.app.push_screen(HelpScreen())

    def action_edit(self) -> None:
        if self._not_editable():
            return
        # (A first load that failed leaves no result: the file opens as it is.)
        first_loading = self.result is None and self.first_load
        if (
            self._reading
            or first_loading
            or (self.result is not None and signature(self.path) != self._read_signature)
        ):
            # Changed since it was read (a `git checkout`, a save in another editor): the
            # lines shown may no longer be the event's, and opening the editor there put
            # it in another event. It opens once the change is read.
            self._edit_when_read = True
            self._edit_asked_on = self.view.current
            self._edit_asked_after = self.app.inputs  # type: ignore[attr-defined]
            if first_loading:
                self.notify("The file is still being read: the editor opens once it is")
            elif not self._reading:
                self._reading = True
                self.load()
            return
        self._edit(self.view.current)

    def _edit_read(self, before: Event | None) -> None:
        """`e` pressed on `before` while the file was changing, now that it is read."""
        event = self.view.current
        timeline = self.timeline
        if before is not None and timeline is not None:
            # The event as the file now has it (the list may still show the older version
            # while a filter runs): by its id, else, if its id changed, by date and title.
            event = timeline.event_by_id(before.id) or next(
                (e for e in timeline.events if e.title == before.title and e.date == before.date),
                None,
            )
            if event is None:
                self._warn(
                    f'the file changed on disk and no longer holds the event "{before.title}":'
                    " the editor was not opened; press e again to edit the event now under the"
                    " cursor"
                )
                return
            self.view.go_to(event.id)  # (unless a filter leaves it out)
        if not self._not_editable():
            self._edit(event)

    def _edit(self, event: Event | None) -> None:
        result = self.result
        error = self.carried.get(event.id) if event is not None else None
        if error is not None and self.stale is None:
            # Shown as it was: its lines in the file are where its error is. (Once the
            # list is stale, that place may be gone: as for any event, below.)
            self.open_editor(error.pos.line, error.pos.col)
            return
        shown = self.timeline is not None
        if (self.stale is not None or not shown) and result is not None and result.errors:
            # The list shows the last good version (or none loaded): its lines may no longer
            # be the file's. The event where the file has it now, else the first mistake.
            now = result.timeline.event_by_id(event.id) if result.timeline and event else None
            if now is not None:
                self.open_editor(result.timeline.line_of(now), now.col)
                return
            first = result.errors[0]
            if shown:
                self.notify(
                    f"The list shows the last good version: opening the file at its first "
                    f"problem, line {first.pos.line}",
                    timeout=4,
                )
            self.open_editor(first.pos.line, first.pos.col)
            return
        # An event without an id is known by its date and title: once the editor changes
        # them, the next load finds it where its lines still start.
        if event is not None and self.timeline is not None:
            self._edited = (event, self.timeline)
        if event is None or self.timeline is None:
            self.open_editor(1)
        else:
            self.open_editor(self.timeline.line_of(event), event.col)

    @on(ProblemsPanel.Chosen)
    def problem_chosen(self, message: ProblemsPanel.Chosen) -> None:
        self.open_editor(message.diagnostic.pos.line, message.diagnostic.pos.col)

    def open_editor(self, line: int, col: int = 1) -> None:
        self._edit_when_read = False  # (`a` or a problem chosen meanwhile: this editor)
        try:
            # The event `a` wrote is taken out again if the editor returns with the file
            # unsaved: so it must return only once the file is closed.
            argv = editor_argv(self.path, line, col, wait=self._adding is not None)
        except EditorError as exc:
            self._warn(str(exc))
            return
        # Said as `a` says it, before the terminal is handed over for nothing.
        problem = self.app.editor_problem(argv)  # type: ignore[attr-defined]
        if problem is not None:
            self._warn(problem)
            return
        if self._not_editable():
            return
        code = self.app.run_editor(argv)  # type: ignore[attr-defined]
        if code not in (0, None):
            self.notify(
                clean(f"the editor exited with status {code}: {' '.join(argv)}"),
                severity="warning",
                markup=False,
            )
        adding, self._adding = self._adding, None
        if adding is not None:
            self.take_back_unsaved(*adding)
        else:
            self.load(manual=True)

    def _not_editable(self) -> bool:
        """Whether the file is not to be edited, said if so: the bundled example, a file
        that is missing (the editor would open an empty new one, while the list shows its
        last version, if any), or a path that is no file (vim lists a folder, and waits on
        a pipe with the terminal handed over to it)."""
        if self.app.example:  # type: ignore[attr-defined]
            self._warn(
                "this is the example timeline that comes with timeline-tui, which it does "
                "not change: start your own with `timeline-tui new events.yaml`"
            )
            return True
        kind = not_a_file(self.path)
        if kind is not None:
            self._warn(
                f"cannot edit {self.path.name or self.path}: it is {kind}, not a file; open a "
                "timeline file (`timeline-tui events.yaml`) to edit it"
            )
            return True
        if self.path.exists():
            return False
        if self.timeline is None:
            self._warn(
                f"cannot edit {self.path.name}: no such file; create it with "
                f"`timeline-tui new {shlex.quote(str(self.path))}`"
            )
        else:
            self._warn(
                f"cannot edit {self.path.name}: it is gone (deleted, moved or renamed); "
                "the list shows the last version read"
            )
        return True

    def action_add(self) -> None:
        if self._not_editable():
            return
        # The event is written for the editor to fill in: with no editor to run, it would
        # be left in the file as a stray placeholder.
        try:
            problem = self.app.editor_problem(editor_argv(self.path))  # type: ignore[attr-defined]
        except EditorError as exc:
            problem = str(exc)
        if problem is not None:
            self._warn(f"cannot add an event: {problem}")
            return
        self._before_add = self.view.current
        if self.timeline is not None and len(self.timeline.events) > SYNC_FILTER_LIMIT:
            # The whole file is read, split and written again: a second at 100k events,
            # which looked like a key that did nothing.
            self.notify("Adding an event at the end of the list…", timeout=3)
        self.add_event()

    @work(thread=True, exclusive=True, group="write", exit_on_error=False)
    def add_event(self) -> None:
        if read_only(self.path):
            self.app.call_from_thread(
                self._warn,
                "cannot add an event: the file is read-only; make it writable first "
                f"(chmod u+w {self.path.name}) if you mean to change it",
            )
            return
        before = signature(self.path)
        data = read_file_bytes(str(self.path))
        if isinstance(data, Diagnostic):
            self.app.call_from_thread(self._warn, f"cannot add an event: {data.message}")
            return
        text, _ = decode(data, str(self.path))
        if text is None:
            self.app.call_from_thread(self._warn, "cannot add an event: the file is not UTF-8")
            return
        bom = data.startswith(b"\xef\xbb\xbf")
        try:
            added = appending.append_event(text, self.app.today)  # type: ignore[attr-defined]
        except appending.AppendError as exc:
            self.app.call_from_thread(self._warn, f"cannot add an event: {exc}")
            return
        if signature(self.path) != before:
            self.app.call_from_thread(self._warn, "the file changed meanwhile: try again")
            return
        mark = "\ufeff" if bom else ""
        before, after = mark + text, mark + added.text
        if self.app.quitting:  # `q` while the file was read (seconds, for a big one)
            return
        try:
            write_atomic(self.path, after)
        except WriteError as exc:
            self.app.call_from_thread(self._warn, f"cannot add an event: {exc}")
            return
        adding = (before, after, signature(self.path))
        try:
            if not self.app.quitting:
                self.app.call_from_thread(self._edit_added, added.line, adding)
                return
        except RuntimeError:  # the app has ended
            pass
        # No editor will open on the event: it must not stay in the file, unseen.
        with contextlib.suppress(WriteError):
            _take_back(self.path, *adding)

    def _edit_added(self, line: int, adding: tuple[str, str, Signature]) -> None:
        if self.app.quitting:  # `q` while the event was written
            with contextlib.suppress(WriteError):
                _take_back(self.path, *adding)
            return
        self._added_line = line
        self._adding = adding
        self.open_editor(line)

    @work(thread=True, exclusive=True, group="write", exit_on_error=False)
    def take_back_unsaved(self, before: str, after: str, written: Signature) -> None:
        """Take out the event `a` wrote when the editor left the file untouched (quit
        without saving): else a placeholder stays in the timeline (see `_take_back`)."""
        try:
            if _take_back(self.path, before, after, written):
                self.app.call_from_thread(self._taken_back)
        except WriteError as exc:
            self.app.call_from_thread(self._warn, str(exc))
        self.app.call_from_thread(self.load, manual=True)

    def _taken_back(self) -> None:
        self._added_line = None  # no event is there to go to
        # Back where it was: a reload while the editor was open (the watcher's) had put
        # the cursor on the new event, and once it was gone, on the next one.
        self._back_to = self._before_add
        self.notify("The new event was not saved: it was taken out again")

    def _place_cursor_after_editing(self, timeline: Timeline) -> None:
        """After `a` and `e`, the cursor on the event just added, on the one `e` gave
        another date or title (an event without an id is known by those), or back where
        it was when an added one was taken out again. Without this it stayed where it
        was, and in a long timeline the event was somewhere off screen."""
        line, self._added_line = self._added_line, None
        back, self._back_to = self._back_to, None
        edited, self._edited = self._edited, None
        target = None
        if edited is not None and timeline.event_by_id(edited[0].id) is None:
            event, before = edited
            there = _at_line(timeline, before.line_of(event))
            # A new one, not the next event moved up into its place by a deletion.
            if there is not None and before.event_by_id(there.id) is None:
                target = there
        if target is None and line is not None:
            target = _at_line(timeline, line)
        elif target is None and back is not None:
            target = timeline.event_by_id(back.id)
        if target is not None:
            self.jump_to(target)

    def _warn(self, message: str) -> None:
        self.notify(clean(message), severity="error", markup=False)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        # Workers run with exit_on_error=False so that a bug in one never takes the app
        # down; but its error must not vanish either: a first load that failed would have
        # left "loading…" on screen for good, an export would have said nothing.
        if event.state is not WorkerState.ERROR:
            return
        error = event.worker.error
        self._warn(f"{event.worker.name} failed: {type(error).__name__}: {error}")
        if event.worker.group == "load":
            self._reading = self.reloading = self._edit_when_read = False
            self.first_load = False  # (none runs any more: `e` opens the file as it is)
            self._slow_ticket = 0  # else an older load's result would say it again
            self._update_header()
        if self.result is None and event.worker.group == "load":
            self.view.loading = False

    def action_export(self) -> None:
        self._open_export()

    def _open_export(self, name: str | None = None, error: str | None = None) -> None:
        """The export dialog; again with the `name` a write failed for, and the `error`."""
        if self.timeline is None:
            self._warn("nothing to export: the file did not load")
            return
        if self.progress is not None:
            # The events read so far are not the timeline: a document of them would look
            # whole, and be cut short.
            read, total = self.progress
            self._warn(f"still loading ({read:,} of {total:,} events): export once all are read")
            return
        if self.query_error is not None:
            # The list shows an older filter than the one typed: which did the user mean?
            self._warn("the filter has a mistake: fix it, or clear it with Escape, then export")
            return
        # The file as it is now does not load cleanly: the list, and so the export, is an
        # older version, which the CLI's export of the same file would not write.
        warning = None
        if self.stale is not None:
            warning = (
                f"⚠ The file {self._stale_why()}: this exports the last good version, as the "
                "list shows it, not the file as it is now."
            )
        elif self.result is not None and self.result.errors:
            # What an error leaves out (an event with a bad date) is missing from the
            # document without a trace: the command line says so, and exits 1.
            errors = self.result.errors
            has = f"⚠ The file has {counted(len(errors), 'error')}"
            warning = f"{has}: what they leave out is not in the export (p lists them)."
            if self.carried:
                left_out = left_out_ids(errors)
                carried = len(self.carried)
                others = left_out - set(self.carried) or len(left_out) < len(errors)
                warning = (
                    f"{has}: {counted(carried, 'event')} they leave out "
                    f"{'are' if carried > 1 else 'is'} exported as before, as the list shows"
                    + ("; the others are not in the export" if others else "")
                    + " (p lists the errors)."
                )
        dialog = ExportDialog(self.path, warning, name=name, error=error)
        self.app.push_screen(dialog, self._export_to)

    def _stale_why(self) -> str:
        """Why the list shows the last good version, in the header's words."""
        return stale_why(self._unreadable())

    def _unreadable(self) -> str | None:
        """Why the file cannot be read now (deleted...), if it cannot."""
        whole = _whole_file_problem(self.result) if self.result is not None else None
        return whole.what if whole is not None else None

    def _incomplete(self) -> str | None:
        """What the document exported now says under its title of the file's errors, as
        the command line's does (see `incomplete_note`)."""
        shown = self.timeline
        lang = shown.lang if shown is not None else None
        if self.stale is not None:
            return export_words(lang).last_good(self.path.name, self._unreadable())
        if self.result is not None and self.result.errors:
            carried = [shown.event_by_id(ident) for ident in self.carried] if shown else []
            titles = [event.title for event in carried if event is not None]
            return incomplete_note(self.path.name, self.result.errors, as_before=titles, lang=lang)
        return None

    def _export_to(self, target: Path | None) -> None:
        # What to write is read here, on the UI thread: a worker must not query widgets,
        # and a reload or a keystroke meanwhile must not change what the dialog was for.
        if target is not None and self.timeline is not None:
            query = None if self.filter_query.is_empty else self.filter_query.text
            events = list(self.view.events)
            if len(events) > SYNC_FILTER_LIMIT:  # seconds at 100k: said, not silent
                self.notify(f"Exporting {counted(len(events), 'event')}…", timeout=3)
            self.export(target, self.timeline, events, query, self._incomplete())

    # A description of its own, or Textual would repr() the whole timeline.
    @work(thread=True, exclusive=True, group="write", exit_on_error=False, description="export")
    def export(
        self,
        target: Path,
        timeline: Timeline,
        events: list[Event],
        query: str | None,
        incomplete: str | None,
    ) -> None:
        if same_file(target, self.path):
            self.app.call_from_thread(self._warn, "refused: that is the timeline file itself")
            return
        try:
            text = export_markdown(timeline, events, query=query, incomplete=incomplete)
            write_atomic(target, text)
        except WriteError as exc:
            # Back in the dialog, with the name, to mend it there.
            self.app.call_from_thread(self._open_export, str(target), str(exc))
            return
        self.app.call_from_thread(
            self.notify,
            clean(f"Wrote {counted(len(events), 'event')} to {target}"),
            title="Exported",
            markup=False,
        )

    # -- for the command palette ----------------------------------------------------------------

    def jump_to(self, event: Event) -> None:
        if not self.view.go_to(event.id):
            box = self.query_one("#filter", Input)
            if box.value.strip():
                # Said, or the filter the user typed would vanish without a word.
                self.notify(
                    clean(f"The filter “{box.value.strip()}” was cleared to show this event"),
                    timeout=4,
                    markup=False,
                )
            box.value = ""
            self.filter_query = Query()
            self._apply_filter(keep=event)
        self.view.focus()


def _take_back(path: Path, before: str, after: str, written: Signature) -> bool:
    """Put back the text `before` of a file that `a` wrote `after` into (signature
    `written`), if it is still just that; whether it was. A file saved since, even
    unchanged, or changed in any way, is the user's and is left as it is."""
    # The signature first: a file saved since is not read at all.
    if signature(path) == written and read_file_bytes(str(path)) == after.encode():
        write_atomic(path, before)
        return True
    return False


def _carried_note(error: Diagnostic) -> str:
    """What an event shown as it was before its error says of that."""
    return (
        f"Shown as it was before the error at line {error.pos.line}:{error.pos.col}: "
        f"{error.what}. Fix it (e goes there) to see the event as "
        "the file has it."
    )


def _whole_file_problem(result: LoadResult) -> Diagnostic | None:
    """The one error of a file that did not load as a whole: missing, unreadable, a
    folder, a FIFO or a device, empty, too large."""
    errors = result.errors
    if (
        result.timeline is None
        and len(errors) == 1
        and (errors[0].pos.line, errors[0].pos.col) == (1, 1)
    ):
        return errors[0]
    return None


def stale_status(result: LoadResult, older_shown: bool) -> str:
    """The header's plain-text status for a result that is not shown: why not, and what
    is on screen instead (`older_shown`: the last good version; else nothing)."""
    errors = result.errors
    first = errors[0] if errors else None
    whole = _whole_file_problem(result)
    if first is None:
        why = "no timeline"
    elif whole is not None:
        why = whole.what
        if not older_shown:
            return f"error: {why} (p)"
    else:
        count = len(errors)
        at = f"the first at line {first.pos.line}" if count > 1 else f"at line {first.pos.line}"
        why = f"{counted(count, 'error')}, {at}"
    if older_shown:
        return f"showing the last good version: {why} (p)"
    return f"the file did not load: {why} (p)"


def _at_line(timeline: Timeline, line: int) -> Event | None:
    """The event whose lines start at `line` of the file."""
    return next((e for e in timeline.events if timeline.line_of(e) == line), None)


def _quiet_for(seconds: float) -> bool:
    """Sleep in a worker; False as soon as the worker is cancelled (by a newer one)."""
    worker = get_current_worker()
    return sleep(seconds, lambda: worker.is_cancelled)
