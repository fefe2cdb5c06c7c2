"""One small query language for the CLI's `--query` and the app's filter.

    suleyman modele          words: all must appear (case- and accent-insensitive)
    "super-intelligence"     a quoted phrase is one word; “…”, „…“ and « … » too
    #partnership @openai     a tag (exact) and an actor (part of the name)
    @"Sam Altman"            a tag or an actor with spaces goes in quotes
    since:2025-10 until:2026 events that reach into that range (since: a date's start,
                             until: its end)
    status:forecast,expected one of these statuses (an event without one is confirmed)
    -anthropic -#finance     a leading minus leaves out what the filter selects, so
    -since:2026 -until:2024  keeps the events that end before 2026 and begin after 2024

Words search titles, summaries, quotes (original and translation), speakers, figure labels
and notes, and the titles, publishers and ids of the sources an event cites. The filter
words of other search tools (`tag:`, `actor:`, `year:`, ...) and their operators (`OR`,
`AND`, `NOT`) are refused, with how to write them here.
"""

from __future__ import annotations

import contextlib
import re
import threading
import unicodedata
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from itertools import compress

from timeline_tui.core.dates import DateError, FuzzyDate, Precision, parse_date
from timeline_tui.core.model import Event, Status, Timeline, last_end
from timeline_tui.core.records import suggest
from timeline_tui.core.wordindex import WordIndex, has_space

_KEYS = ("since", "until", "status")
# Filter words of other search languages that people guess: as words, `tag:finance` or
# `year:2025` matched nothing, and said nothing of why (found by user testing). They are
# refused with the way to write them here. Any other `word:` stays a word: text holds some
# (`ratio:2`, `12:30`).
_NAME_KEYS = {"tag": "#", "tags": "#", "actor": "@", "actors": "@"}
_DATE_KEYS = ("year", "month", "day", "date")
_SOURCE_KEYS = ("source", "sources")
# A tag or an actor filter: its article, what it takes, an example, what it selects.
_NAMED = {"#": ("a", "tag", "finance", "tagged with"), "@": ("an", "actor", "openai", "about")}
# Operators of other search languages, in the capitals they ask for: as words,
# `anthropic OR nvidia` wanted "or" as well as both names (found by user testing). In
# lower case or in quotes they are words still.
_OPERATORS = ("OR", "AND", "NOT")
# One name of a list after `#`, `@`, `tag:` or `actor:`: in quotes, or up to a comma.
_NAME_ITEM = re.compile(r'"([^"]*)"?|([^,]+)')
_SHOWN_NAMES = 5  # of a list said back: `#a,a,...` of 30,000 names gave 150 KB of advice
# A token: an optional minus, then a quoted phrase, or a word; a `key:"two words"` value,
# a tag or an actor may be quoted too (`since:"Oct 2025"`, `@"Sam Altman"`), and so may
# the items of a list of them (`tag:a,"b c"`, `@"Sam Altman",openai`: cut at the space,
# the rest was a word, said back wrong or searched for).
_QUOTED_OR_BARE = r'(?:"[^"]*"|[^\s",]*)'
_TOKEN = re.compile(
    rf'(-?)(?:"([^"]*)"?|((?:[A-Za-z]+:|[#@]){_QUOTED_OR_BARE}(?:,{_QUOTED_OR_BARE})+(?=\s|$)'
    r'|(?:[A-Za-z]+:|[#@])"[^"]*"?|\S+))'
)
_QUOTED = re.compile(r'"[^"]*"?')
# Quotes as articles print them, pasted from one, stand for `"`. French sets spaces (often
# no-break ones) inside guillemets: typography, not part of the phrase.
_CURLY_QUOTES = str.maketrans(dict.fromkeys("“”„‟", '"'))
# (Stripped after the match: spaces matched around a lazy phrase cost the square of a
# long run of them.)
_GUILLEMETS = re.compile(r"«([^«»]*)(?:»|$)|»([^«»]*)(?:«|$)")
# Single quotes that open a word and close one (an apostrophe, `l’année`, `'90s`, does
# neither): a phrase. The closing quote is the first that ends a word.
_SINGLE_QUOTED = re.compile(r"(?<!\S)['‘‚]([^'‘’‚\s](?:[^'‘’‚]*?[^\s])??)['’‘](?!\S)")
# Accents, and the characters that show as nothing inside a word: a soft hyphen pasted from
# a news site (`Bundes\u00adregierung`), a zero-width space or joiner, a bidi mark. Kept in
# the text, they made its words unfindable (a user pass).
_COMBINING = re.compile(
    r"[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f"
    r"\u00ad\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]"
)
# Letters NFKD keeps whole, as they are usually spelt in ASCII, so `oeuvre` finds `œuvre`.
# One str.replace each, which searches in C: str.translate looks every character of a
# non-ASCII text up in a dict, and made indexing 100k such events seconds slower.
_LETTERS = (
    ("œ", "oe"), ("æ", "ae"), ("ø", "o"), ("đ", "d"), ("ð", "d"), ("ł", "l"), ("þ", "th"),
    ("ı", "i"), ("ħ", "h"), ("ŧ", "t"),
    # Apostrophes and quotes as articles print them, so that `Anthropic's` finds
    # `Anthropic’s`, and `27”` (which the query reads as `27"`) a `27”` screen.
    ("’", "'"), ("‘", "'"), ("ʼ", "'"), ("“", '"'), ("”", '"'), ("„", '"'), ("‟", '"'),
)  # fmt: skip
_STATUSES = ", ".join(s.value for s in Status)
# Bounds that must come in this order, the second at least that many seconds after the
# first: else no event can match both (`since:2026 -since:2026`), or, for since: after
# until:, only periods across both dates, which is never what was meant.
_ORDER = (
    ("since", "until", 0),
    ("since", "-since", 1),
    ("-until", "until", 1),
    ("-until", "-since", 2),
)


class QueryError(ValueError):
    """A query that cannot be understood; the message says which part and how to fix it."""


def fold(text: str) -> str:
    """Lower-case without accents, so that `modele` finds `modèle` and `SULEYMAN` `Suleyman`,
    with printed apostrophes (`’`) as typed ones (`'`)."""
    if text.isascii():
        return text.lower()
    folded = _COMBINING.sub("", unicodedata.normalize("NFKD", text.casefold()))
    for letter, spelt in _LETTERS:  # after NFKD, which splits `ǿ` into `ø` and an accent
        folded = folded.replace(letter, spelt)
    return folded


@dataclass(frozen=True, slots=True)
class _Terms:
    words: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    actors: tuple[str, ...] = ()
    statuses: frozenset[Status] = frozenset()
    since: int | None = None
    until: int | None = None
    # A bound written as a moment with its zone is an instant (see `_reaches`).
    since_instant: bool = False
    until_instant: bool = False

    @property
    def has_fields(self) -> bool:
        return bool(self.tags or self.actors or self.statuses) or not (
            self.since is None and self.until is None
        )


@dataclass(frozen=True, slots=True)
class Query:
    text: str = ""
    include: _Terms = field(default_factory=_Terms)
    exclude: _Terms = field(default_factory=_Terms)

    @property
    def is_empty(self) -> bool:
        return not self.text.strip()

    @property
    def has_fields(self) -> bool:
        """True when it asks for more than words: tags, actors, dates or statuses."""
        return self.include.has_fields or self.exclude.has_fields

    @property
    def asks_nothing(self) -> bool:
        """True when nothing in it filters (`-`, `""`): every event matches it."""
        return not (self.include.words or self.exclude.words or self.has_fields)

    @property
    def words(self) -> tuple[str, ...]:
        """The folded words to highlight in shown text."""
        return self.include.words

    def matches(self, event: Event, haystack: str) -> bool:
        """Does the event match; `haystack` is its folded searchable text (see SearchIndex)."""
        inc, exc = self.include, self.exclude
        if inc.words and not all(w in haystack for w in inc.words):
            return False
        if exc.words and any(w in haystack for w in exc.words):
            return False
        return self.matches_fields(event)

    def matches_fields(self, event: Event) -> bool:
        """Does the event match the query's tags, actors, dates and statuses (not its words)."""
        inc, exc = self.include, self.exclude
        # The format's default: an event without a status is confirmed (not one whose
        # status cannot be read: that is none of them).
        status = event.status
        if status is None and event.unknown_status is None:
            status = Status.CONFIRMED
        if (inc.statuses and status not in inc.statuses) or status in exc.statuses:
            return False
        if not _reaches(event, inc.since, inc.until, inc.since_instant, inc.until_instant):
            return False
        # Each negated bound leaves out on its own what it would select.
        if exc.since is not None and _reaches(event, exc.since, None, exc.since_instant):
            return False
        if exc.until is not None and _reaches(event, None, exc.until, False, exc.until_instant):
            return False
        if inc.tags or exc.tags:
            tags = {fold(t) for t in event.tags}
            if not all(t in tags for t in inc.tags) or any(t in tags for t in exc.tags):
                return False
        if inc.actors or exc.actors:
            actors = [fold(a) for a in event.actors]
            if not all(any(a in actor for actor in actors) for a in inc.actors):
                return False
            if any(any(a in actor for actor in actors) for a in exc.actors):
                return False
        return True


def _reaches(
    event: Event,
    since: int | None,
    until: int | None,
    since_instant: bool = False,
    until_instant: bool = False,
) -> bool:
    """Whether the event reaches into the range from `since` to `until`.

    An unknown or open bound may lie anywhere beyond the known one, so such an event
    reaches into every range on that side (`2026-02-13/` matches since:2030). A date is
    a date on the calendar the event was written in: a moment is compared as written, in
    its own zone (00:30 on 1 Jan 2026 in Tokyo, listed under 2026, is kept by since:2026:
    a user pass). A bound that is a moment with its zone is an instant, and then so is
    the event's."""
    if since is not None:
        end = event.end or event.date
        upper = end.upper if since_instant else end.written_upper
        if upper is not None and upper < since:
            return False
    if until is None:
        return True
    lower = event.date.lower if until_instant else event.date.written_lower
    return lower is None or lower <= until


def parse_query(text: str) -> Query:
    """Parse a query; raises QueryError with a message a person can act on."""
    include: dict[str, list[str]] = {"words": [], "tags": [], "actors": []}
    exclude: dict[str, list[str]] = {"words": [], "tags": [], "actors": []}
    statuses: dict[str, set[Status]] = {"": set(), "-": set()}
    # "since", "-since", "until", "-until": the second, whether it is an instant (see
    # `_reaches`), and the token as written.
    bounds: dict[str, tuple[int, bool, str]] = {}
    straight = _straight_quotes(text)
    tokens = list(_TOKEN.finditer(straight))
    for number, match in enumerate(tokens):
        sign, phrase, token = match.groups()
        terms = exclude if sign else include
        if phrase is not None:
            # (Folded: a soft hyphen or a zero-width space alone is no word, which every
            # event holds: `-\u200b` left out every event.)
            if (folded := fold(phrase)).strip():
                terms["words"].append(folded)
            continue
        if token[0] in "#@":
            name = fold(token[1:].strip('"')).strip()
            if not name and token[0] == "#":
                raise QueryError(f"{sign}# needs a tag name, such as {sign}#finance")
            if not name:
                raise QueryError(
                    f'{sign}@ needs an actor\'s name, such as {sign}@openai or {sign}@"Sam Altman"'
                )
            if "," in _QUOTED.sub("", token[1:]):
                # `status:` takes a list, and `#finance,#compute` looked for one tag of that
                # name: nothing matched, and nothing said why (found by user testing). A
                # name with a comma goes in quotes.
                article, kind, _, _ = _NAMED[token[0]]
                raise QueryError(
                    f"{match[0]}: {article} {kind} filter takes one {kind}: "
                    + _write_names(token[0], token[1:], sign)
                )
            terms["tags" if token[0] == "#" else "actors"].append(name)
        elif ":" in token and token.split(":", 1)[0].isalpha():
            key, written = token.split(":", 1)
            key, value = key.lower(), written.strip('"')
            if key in ("since", "until"):
                name = sign + key
                if name in bounds:
                    raise QueryError(
                        f"{name}: is given twice: keep one of {bounds[name][2]} and {match[0]}"
                    )
                following = straight[match.end() :].split(None, 2)[:2]
                bounds[name] = (
                    *_bound(value, name, lower=key == "since", following=following),
                    match[0],
                )
            elif key == "status":
                statuses[sign].update(_statuses(value, sign + key))
            elif (instead := _instead(key, written, sign)) is not None:
                raise QueryError(f"{sign}{key}: is not a filter word: {instead}")
            elif (guess := suggest(key, _KEYS)) is not None:
                raise QueryError(f"unknown filter '{key}:' (did you mean '{guess}:'?)")
            else:
                terms["words"].append(fold(token))
        elif token in _OPERATORS and not sign:
            before = tokens[number - 1][0] if number else None
            after = tokens[number + 1][0] if number + 1 < len(tokens) else None
            raise QueryError(_operator(token, before, after))
        elif token != "-":
            # A quote that closes no phrase (`Microsoft"`, pasted) is no part of a word:
            # as one that opens none, it found nothing (a user pass).
            terms["words"].extend(word for word in map(fold, token.split('"')) if word)
    _check_bounds(bounds)
    return Query(
        text=text,
        include=_terms(include, statuses[""], bounds, ""),
        exclude=_terms(exclude, statuses["-"], bounds, "-"),
    )


def _straight_quotes(text: str) -> str:
    """The query with its printed quotes as `"` (see `_GUILLEMETS`), and single quotes
    around words (`‘commercial failure’`, as British papers print them) too."""
    if "'" in text or "‘" in text or "‚" in text:
        text = _SINGLE_QUOTED.sub(r'"\1"', text)
    if text.isascii():
        return text
    text = _GUILLEMETS.sub(lambda m: f'"{(m[1] if m[2] is None else m[2]).strip()}"', text)
    return text.translate(_CURLY_QUOTES)


def _operator(word: str, before: str | None, after: str | None) -> str:
    """What to do instead of an operator (`word`) written between the filter's `before`
    and `after`, if any: the filter has no operator, and every word has to match."""
    quoted = f'("{word}" in quotes searches for the word)'
    if word == "AND":
        return f"AND is not needed: every word has to match, so leave it out {quoted}"
    if word == "NOT":
        fix = f": write -{after}" if after and not after.startswith("-") else ", such as -nvidia"
        return f"NOT is not supported: a minus leaves out what follows it{fix} {quoted}"
    either = f"for {before}, then for {after}" if before and after else "for each in turn"
    return f"OR is not supported: every word has to match; for either, filter {either} {quoted}"


def _instead(key: str, written: str, sign: str) -> str | None:
    """How this language writes `key:written` (`sign`: its minus, if any), for a filter
    word people guess from other search languages; None for any other key."""
    if key in _NAME_KEYS:
        return _write_names(_NAME_KEYS[key], written, sign)  # quotes may keep a comma in
    value = written.strip('"')
    if key in _DATE_KEYS:
        date = value if _is_date(value) else "2025"
        since, until = _written(f"{sign}since:", date), _written(f"{sign}until:", date)
        if sign:  # no one filter leaves out a range: each bound leaves out one side of it
            fix = f"{since} for the events before {date}, or {until} for those after it"
        else:
            fix = f"{since} {until} for the events that reach into {date}"
        if date == value:
            return f"write {fix}"
        both = "or" if sign else "and"
        return f"write a date after {sign}since: {both} {sign}until:, such as {fix}"
    if key in _SOURCE_KEYS:
        fix = _written(sign, value) if value else "a word of its title"
        return f"words search the sources an event cites (titles, publishers, ids): write {fix}"
    return None


def _write_names(sigil: str, value: str, sign: str) -> str:
    """How to write the tags or the actors (`sigil`) that `value` names, separated by
    commas: each after its own `#` or `@`, and what that finds."""
    _, kind, example, selects = _NAMED[sigil]
    # A name in quotes may hold a comma (`"Apple, Inc."`); each is said once, and a long
    # list only in part.
    found = (quoted or bare for quoted, bare in _NAME_ITEM.findall(value))
    names = list(
        dict.fromkeys(n for n in (n.strip().removeprefix(sigil).strip() for n in found) if n)
    )
    if not names:
        return f"write the {kind} after {sign}{sigil}, such as {sign}{sigil}{example}"
    written = "write " + " ".join(_written(sign + sigil, name) for name in names[:_SHOWN_NAMES])
    if len(names) > _SHOWN_NAMES:
        written += " …"
    if len(names) == 1:
        return written
    # Say what it finds: several tags or actors must all match, and there is no "or".
    every, either = ("both", "either") if len(names) == 2 else ("all of them", "any of them")
    if sign:
        return f"{written}, which leaves out the events {selects} {either}"
    return f"{written} for the events {selects} {every}; for {either}, filter for each in turn"


def _written(prefix: str, value: str) -> str:
    """`prefix` and `value` as a filter is written: `value` in quotes if it has a space or
    a comma."""
    return f'{prefix}"{value}"' if has_space(value) or "," in value else f"{prefix}{value}"


def _terms(
    found: dict[str, list[str]],
    statuses: set[Status],
    bounds: dict[str, tuple[int, bool, str]],
    sign: str,
) -> _Terms:
    since, until = bounds.get(f"{sign}since"), bounds.get(f"{sign}until")
    return _Terms(
        **{k: tuple(v) for k, v in found.items()},
        statuses=frozenset(statuses),
        since=None if since is None else since[0],
        until=None if until is None else until[0],
        since_instant=since is not None and since[1],
        until_instant=until is not None and until[1],
    )


def _check_bounds(bounds: dict[str, tuple[int, bool, str]]) -> None:
    """Refuse bounds that together leave no event, or a since: after an until:."""
    for first, second, gap in _ORDER:
        if first in bounds and second in bounds and bounds[second][0] - bounds[first][0] < gap:
            a, b = bounds[first][2], bounds[second][2]
            if not gap:
                raise QueryError(f"{a} is after {b}: since: takes the earlier date")
            raise QueryError(f"{a} and {b} leave no event: {second}: needs a later date")


def _bound(value: str, key: str, *, lower: bool, following: list[str]) -> tuple[int, bool]:
    """The second a since: or until: bound stands for, and whether it is an instant (a
    moment with its zone, Z included) or a date on the calendar (see `_reaches`);
    `following`: the words after it in the filter (two at most), which may be the rest of
    a date written with spaces."""
    if not value:
        raise QueryError(f"{key}: needs a date, such as {key}:2025-10")
    try:
        date = parse_date(value)
    except DateError as exc:
        # `since:'Oct 2025'`: here single quotes group no words (a word may hold one).
        written = " ".join([value, *following])
        close = written.find("'", 1)
        if value.startswith("'") and close > 0 and _is_date(written[1:close]):
            whole = written[1:close]
            raise QueryError(
                f"{key}:{written[: close + 1]}: write {_written(f'{key}:', whole)} (a date "
                "with spaces goes in double quotes)"
            ) from None
        for count in range(1, len(following) + 1):
            whole = " ".join([value, *following[:count]])
            if _is_date(whole):
                fixed = _written(f"{key}:", whole)
                raise QueryError(
                    f"{key}:{value}: a date with spaces goes in quotes: {fixed}"
                ) from None
        raise QueryError(f"{key}:{value}: {exc}") from None
    bound, point = (date.lower, date.start or date) if lower else (date.upper, date.end or date)
    if bound is None:
        # `since:../2026` stood for the end of 2026, and dropped every event that might
        # end before it (a user pass): an open or unknown end is no bound.
        side, other = ("start", "until") if lower else ("end", "since")
        sign = "-" if key.startswith("-") else ""  # (`-since:`: the other takes it too)
        does = "leaves out" if sign else "keeps"
        kept = "up to its end" if lower else "from its start on"
        raise QueryError(
            f"{key}:{value} has no known {side}, which {key}: needs (such as {key}:2025-10); "
            f"{sign}{other}:{value} {does} the events {kept}"
        )
    return bound, point.precision >= Precision.HOUR and not point.naive


def _is_date(text: str) -> bool:
    try:
        parse_date(text)
    except DateError:
        return False
    return True


def _statuses(value: str, key: str) -> list[Status]:
    names = [name for name in value.lower().split(",") if name]
    if not names:
        raise QueryError(f"{key}: needs one of {_STATUSES}")
    found = []
    for name in names:
        try:
            found.append(Status(name))
        except ValueError:
            guess = suggest(name, [s.value for s in Status])
            hint = f" (did you mean '{guess}'?)" if guess else f"; use one of {_STATUSES}"
            raise QueryError(f"unknown status '{name}'{hint}") from None
    return found


def searchable_text(event: Event, timeline: Timeline) -> str:
    """Everything a word can match in an event, folded once."""
    parts = [event.title, event.summary or ""]
    for quote in event.quotes:
        parts += [quote.text, quote.translation or "", quote.speaker or ""]
    for figure in event.figures:
        parts += [figure.label, figure.note or ""]
    refs = list(event.sources) + [r.source for r in (*event.quotes, *event.figures) if r.source]
    for ref in refs:
        record = timeline.sources.get(ref)
        # Its outlet and id too: "which events rest on La Provence?" (a user pass).
        parts += [ref] if record is None else [record.title, record.publisher or "", ref]
    return fold("\n".join(parts))


class _Cancelled(Exception):
    pass


class SearchIndex:
    """Filters one timeline's events by a query: once `prepare` has indexed the words of
    their searchable text (see `wordindex`), through that index; until then, by reading
    the text, which is quicker for a single query."""

    def __init__(self, timeline: Timeline) -> None:
        self.timeline = timeline
        self._words: WordIndex | None = None
        self._building = threading.Lock()
        # The last selection through the index: its bits, events and latest end.
        self._last: tuple[int, list[Event], FuzzyDate | None] | None = None

    def prepare(self, cancelled: Callable[[], bool] | None = None) -> None:
        """Build the index: a second or so at 100k events, so from a worker, which can
        give up (`cancelled()` true) when the timeline is no longer shown."""
        with self._building:
            if self._words is None:
                with contextlib.suppress(_Cancelled):
                    self._words = WordIndex(self._texts(cancelled), len(self.timeline.events))

    def _texts(self, cancelled: Callable[[], bool] | None) -> Iterator[str]:
        timeline = self.timeline
        for number, event in enumerate(timeline.events):
            if cancelled is not None and number % 1000 == 0 and cancelled():
                raise _Cancelled
            yield searchable_text(event, timeline)

    @property
    def ready(self) -> bool:
        """True once `prepare` has built the index."""
        return self._words is not None

    def filter(self, query: Query) -> list[Event]:
        """The events that match, in timeline order (a list that may be shared with the
        next call: not to be changed)."""
        return self.filter_with_end(query)[0]

    def filter_with_end(self, query: Query) -> tuple[list[Event], FuzzyDate | None]:
        """The events that match, in timeline order (not to be changed), and their latest
        end (see `last_end`), found among the ends selected with the events, in C (a pass
        over 100k events in Python took 14 ms of a keystroke's 50).

        Typing a word narrows its events in steps: `part`, `partn` and `partner` select
        the same 66k of 100k generated events. A filter that selects the events the last
        one did gives what it gave (selecting them again took 9 ms: each event's count of
        references is written to, 66k places in memory)."""
        timeline = self.timeline
        events = timeline.events
        if query.is_empty:
            return list(events), timeline.span_end  # worked out once per version
        words = self._words
        if words is None:
            kept = [e for e in events if query.matches(e, searchable_text(e, timeline))]
            return kept, last_end(kept)
        chosen = words.everything
        for word in query.include.words:
            chosen &= self._holders(words, word)
        for word in query.exclude.words:
            chosen &= ~self._holders(words, word)
        if query.has_fields:
            kept = [e for e in words.selected(events, chosen) if query.matches_fields(e)]
            return kept, last_end(kept)
        last = self._last
        if last is not None and last[0] == chosen:
            return last[1], last[2]
        selector = words.selector(chosen)
        kept = list(compress(events, selector))
        end = last_end(kept, list(compress(timeline.end_keys, selector)))
        self._last = (chosen, kept, end)  # (one assignment: filters run in threads)
        return kept, end

    def _holders(self, words: WordIndex, word: str) -> int:
        if not word:  # a word that folds to nothing (a lone accent) is in every text
            return words.everything
        if not has_space(word):
            return words.holders(word)
        # A phrase: the index finds the events that hold each of its parts, and their
        # text tells which hold it whole.
        events, timeline = self.timeline.events, self.timeline
        candidates = words.selected(range(len(events)), words.candidates(word))
        return words.bits([i for i in candidates if word in searchable_text(events[i], timeline)])


def best_match(events: Sequence[Event], query: Query) -> Event | None:
    """Where a cursor should land after filtering: the first event whose title has every
    word of the query, else the first event."""
    words = query.include.words
    if words:
        for event in events:
            title = fold(event.title)
            if all(word in title for word in words):
                return event
    return events[0] if events else None


def highlight_spans(text: str, words: Sequence[str]) -> list[tuple[int, int]]:
    """Where the (folded) words occur in `text`, as merged [start, end) character ranges."""
    if not words or not text:
        return []
    # Each character's folded form, and for each folded character the one it came from.
    folded_chars: Sequence[str] = text
    origin: Sequence[int] = range(len(text))
    folded = text.lower()
    if not text.isascii():  # else folding keeps every character in place
        pieces: list[str] = []
        places: list[int] = []
        for index, char in enumerate(text):
            piece = fold(char)
            pieces.append(piece)
            places.extend([index] * len(piece))
        folded, folded_chars, origin = "".join(pieces), pieces, places
    spans = []
    for word in words:
        if not word:
            continue
        start = folded.find(word)
        while start != -1:
            end = start + len(word)
            last = origin[end - 1] + 1
            # Take the combining accents after the last letter too (`cafe` + U+0301): they
            # fold to nothing, and a span must not split a letter from its accent.
            while last < len(text) and not folded_chars[last]:
                last += 1
            spans.append((origin[start], last))
            start = folded.find(word, end)
    spans.sort()
    merged: list[tuple[int, int]] = []
    for start, end in spans:
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged
