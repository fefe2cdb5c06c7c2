"""Fuzzy dates: read what the user wrote and keep exactly as much as it says.

A date arrives as the text typed in the timeline file and becomes a `FuzzyDate`: the
earliest and latest instant it can mean, a precision, EDTF's uncertain/approximate flags and
a short label for the timeline column. `October 2025` is the whole month, never the 26th
because today is the 26th: nothing here looks at the clock, so the order of a timeline is
the same on every day.

Instants are integer seconds since 0001-01-01T00:00:00Z on the proleptic Gregorian calendar
(negative before that; naive times count as UTC). Integers rather than `datetime`, because
`datetime` can hold neither 44 BCE nor Y170000002.

Year numbering: a negative year counts BCE as written, the way our users (historians,
journalists) write it: `-0044`, `44 BC` and `44 BCE` are all 44 BCE, and `-0001` is 1 BCE.
Strict ISO 8601/EDTF would read `-0044` as astronomical year -44 (45 BCE); we deliberately
do not. There is no year 0. Bounds use astronomical years underneath (44 BCE = -43), so 44
BCE sorts before 1 CE, and BCE leap years follow the proleptic Gregorian rule (historians'
Julian dates are not converted).

Accepted: ISO dates and date-times; EDTF levels 0 and 1 (qualifiers `? ~ %`, unspecified
digits `202X 20XX 2026-XX`, seasons `2026-21`..`24`, intervals with open `..` or unknown
(empty) ends, `Y`-years); English dates dateutil can read (`13 February 2026`, `Oct 2025`),
and a small grammar dateutil cannot: `circa 1850`, `sometime in 2026`, `1850s`, `Q3 2026`,
`early/mid/late 2025`, `spring 2026`, `44 BC`, `15 March 44 BCE`, `AD 14`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import date, datetime
from enum import IntEnum
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from dateutil.relativedelta import relativedelta

from timeline_tui.core._calendar import (
    MONTH_ABBR,
    MONTH_NAMES,
    SECONDS_PER_DAY,
    day_number,
    day_start,
    days_in_month,
    is_leap,
    months_bounds,
    span_label,
    year_label,
    year_of,
    years_bounds,
)
from timeline_tui.core.pickled import by_fields
from timeline_tui.core.quickinit import quick_init

__all__ = [
    "DateError",
    "FuzzyDate",
    "Precision",
    "combine",
    "date_key",
    "parse_date",
    "relative_label",
]

_FORMS_HINT = (
    "write 2026-02-13, 2025-10, 2026, 2026?, 13 February 2026, Q3 2026, late 2025, 1850s, "
    "or an interval like 2019/2023"
)


class DateError(ValueError):
    """A date that cannot be read; `str()` is a whole sentence, `hint` says how to fix it."""

    def __init__(self, message: str, hint: str | None = None) -> None:
        super().__init__(message)
        self.hint = hint


class Precision(IntEnum):
    """How much of a date was written, coarse to fine: coarser dates sort first."""

    MILLENNIUM = 0
    CENTURY = 1
    DECADE = 2
    YEAR = 3
    PART_OF_YEAR = 4  # early / mid / late: four months each
    SEASON = 5
    QUARTER = 6
    MONTH = 7
    DAY = 8
    HOUR = 9
    MINUTE = 10
    SECOND = 11


@quick_init
@dataclass(frozen=True, slots=True)
class FuzzyDate:
    """A date as written, with the instants it can mean (seconds, see the module docstring)."""

    __reduce__ = by_fields

    text: str
    lower: int | None  # None: an interval whose start is open or unknown
    upper: int | None  # inclusive last second; None: open or unknown end
    precision: Precision  # of the start point, or of the end when there is no start
    uncertain: bool = False
    approximate: bool = False
    label: str = ""  # what display() shows
    naive: bool = False  # a time of day was written without a zone and was taken as UTC
    start: FuzzyDate | None = None  # interval endpoints; both None for a single date
    end: FuzzyDate | None = None
    open_start: bool = False  # `..` (no bound) rather than empty (a bound nobody knows)
    open_end: bool = False
    offset: int = 0  # a time of day's zone, in seconds east of UTC

    def sort_key(self) -> tuple[int, int, int]:
        """Where the date sorts: its first second, its precision (coarser first), and its
        instant, which orders moments moved to the same edge of the year they are written
        in (see `_within_written_year`); the instant is the first second everywhere else."""
        key, point = self.lower, self.start or self
        if key is None and self.end is not None and self.end.lower is not None:
            # Without a start, the event sits where its known end begins (`/2026-02-13` at
            # the 13th, with the other events of that day), not at the day's last second.
            key, point = self.end.lower, self.end
        if key is None:
            key = self.upper
        if key is None:  # parse_date never builds one; a hand-made one is a bug
            raise ValueError(f"date {self.text!r} has no bound to sort by")
        if point.offset:
            return _within_written_year(key, point.offset), self.precision, key
        return key, self.precision, key

    @property
    def written_lower(self) -> int | None:
        """`lower` on the clock of the zone written (00:30 in Tokyo is 00:30, whatever UTC
        says): where a filter's dates are compared, on the calendar the user wrote in."""
        lower = self.lower
        return lower if lower is None else lower + (self.start or self).offset

    @property
    def written_upper(self) -> int | None:
        """`upper` on the clock of the zone written (see `written_lower`)."""
        upper = self.upper
        return upper if upper is None else upper + (self.end or self).offset

    def display(self) -> str:
        return self.label or self.text  # a hand-made FuzzyDate may have no label

    def heading(self) -> str:
        """What the date is listed under: the year it sorts in or, for a date that says
        only a decade, century or millennium, that span (a `1850s` event is not one of
        1850's, though it sorts at the start of 1850)."""
        key, precision, _ = self.sort_key()
        point = self.start or self.end or self  # the interval's end when its start is unknown
        if precision < Precision.YEAR and point.lower is not None and point.upper is not None:
            return span_label(year_of(point.lower), year_of(point.upper))
        return year_label(year_of(key))

    @property
    def is_interval(self) -> bool:
        return self.start is not None or self.end is not None


def date_key(d: date) -> int:
    """The first second of a real calendar day, comparable with `lower` and `upper`."""
    return (d.toordinal() - 1) * SECONDS_PER_DAY


# --- the fast path: YYYY, YYYY-MM, YYYY-MM-DD with an optional qualifier -------------------

_FAST = re.compile(r"(\d{4})(?:-(\d\d)(?:-(\d\d))?)?([?~%]?)")
# The longest date people write ("Wednesday, 13 February 2026 09:30:00 +01:00/...") is
# well under this. Longer text is not a date, and its runs of digits would reach int() and
# str(), which refuse numbers of more than 4300 digits with a ValueError.
MAX_DATE_LENGTH = 200


@lru_cache(maxsize=8192)  # timelines repeat dates; FuzzyDate is immutable, so sharing is safe
def parse_date(text: str) -> FuzzyDate:
    """Read a date as written; raises DateError with a message and a hint."""
    text = text.strip()
    match = _FAST.fullmatch(text)
    if match is not None:
        found = _fast(text, *match.groups())
        if found is not None:
            return found
    if not text:
        raise DateError("empty date", _FORMS_HINT)
    if len(text) > MAX_DATE_LENGTH:
        raise DateError(f"a date of {len(text)} characters is too long to be a date", _FORMS_HINT)
    if "/" in text:
        return _parse_interval(text)
    return _parse_point(text)


def _fast(text: str, ys: str, ms: str | None, ds: str | None, q: str) -> FuzzyDate | None:
    """The common forms; None hands anything unusual (errors, seasons, year 0) to the slow path."""
    year = int(ys)
    if year == 0:
        return None
    ylabel = year_label(year)  # not `ys`: `\d` also takes other scripts' digits (２０２６)
    if ms is None:
        lower, upper = years_bounds(year, year)
        precision, label = Precision.YEAR, ylabel
    else:
        month = int(ms)
        if not 1 <= month <= 12:
            return None
        if ds is None:
            lower, upper = months_bounds(year, month)
            precision, label = Precision.MONTH, f"{MONTH_ABBR[month - 1]} {ylabel}"
        else:
            day = int(ds)
            if not 1 <= day <= days_in_month(year, month):
                return None
            lower = day_start(year, month, day)
            upper = lower + SECONDS_PER_DAY - 1
            precision, label = Precision.DAY, f"{day} {MONTH_ABBR[month - 1]} {ylabel}"
    uncertain = q == "?" or q == "%"
    approximate = q == "~" or q == "%"
    if approximate:
        label = "~" + label
    if uncertain:
        label += "?"
    return FuzzyDate(text, lower, upper, precision, uncertain, approximate, label)


# --- intervals ---------------------------------------------------------------------------

_NUMERIC_DMY = re.compile(r"(\d{1,2})([./-])(\d{1,2})\2(\d{2}|\d{4})")


def _parse_interval(text: str) -> FuzzyDate:
    if _NUMERIC_DMY.fullmatch(text):
        raise _ambiguous_numeric(text)
    if zoned := _NAMED_ZONE.fullmatch(text):  # `Europe/Paris` is no interval
        raise DateError(f"cannot read '{text}' as a date", _zone_hint(zoned))
    if text.count("/") > 1:
        raise DateError(f"cannot read '{text}' as a date: an interval has one '/'", _FORMS_HINT)
    left, right = (part.strip() for part in text.split("/"))
    start = None if left in ("", "..") else _parse_point(left)
    try:
        end = None if right in ("", "..") else _parse_point(right)
    except DateError:
        whole = _whole_end(left, right)
        if whole is None:
            raise
        raise DateError(
            f"cannot read '{right}' as the end of '{text}': each end of an interval is a "
            "whole date",
            f"write {left}/{whole}",
        ) from None
    if start is None and end is None:
        raise DateError(
            f"invalid interval '{text}': neither its start nor its end is known",
            "write at least one end, e.g. 2019/.. or ../2032",
        )
    if start is not None and end is not None and _upper(end) < _lower(start):
        raise DateError(
            f"invalid interval '{text}': its end {end.label} is before its start {start.label}",
            "write the earlier date first",
        )
    ends = [p for p in (start, end) if p is not None]
    return FuzzyDate(
        text,
        start.lower if start is not None else None,
        end.upper if end is not None else None,
        ends[0].precision,
        any(p.uncertain for p in ends),
        any(p.approximate for p in ends),
        _interval_label(start, left, end, right),
        any(p.naive for p in ends),
        start,
        end,
        open_start=left == "..",
        open_end=right == "..",
    )


def _whole_end(left: str, right: str) -> str | None:
    """The end of `2025-06/09` written whole (`2025-09`), when that makes an interval."""
    if not re.fullmatch(r"\d{4}-\d{2}(?:-\d{2})?", left) or not re.fullmatch(
        r"\d{1,2}(?:-\d{1,2})?", right
    ):
        return None
    given, written = right.split("-"), left.split("-")
    if len(given) >= len(written):
        return None
    whole = "-".join(written[: len(written) - len(given)] + [part.zfill(2) for part in given])
    return whole if _shown(f"{left}/{whole}") is not None else None


def _interval_label(start: FuzzyDate | None, left: str, end: FuzzyDate | None, right: str) -> str:
    """`Oct 1999–Mar 2000`; one date when both ends say the same (`1999-10/1999-10`)."""
    if start is not None and end is not None:
        return joined_label(start, end)
    return f"{_end_label(start, left)}–{_end_label(end, right)}"


def joined_label(first: FuzzyDate, last: FuzzyDate) -> str:
    """From `first` to `last`, saying once what both say: `Jun–Sep 2025`, `4–6 Mar 2026`,
    `28 Feb–3 Mar 2026`, `Oct 1999–Mar 2000`; one date when they are the same."""
    shown, until = first.display(), last.display()
    if shown == until:
        return shown
    plain = all(
        point.precision in (Precision.MONTH, Precision.DAY)
        and point.precision == first.precision
        and not (point.uncertain or point.approximate or point.start or point.end)
        and point.lower is not None
        and year_of(point.lower) >= 1000  # a year whose label has no era
        for point in (first, last)
    )
    if not plain or shown.rsplit(" ", 1)[-1] != until.rsplit(" ", 1)[-1]:
        return f"{shown}–{until}"
    head = shown.rsplit(" ", 1)[0]  # `Jun`, `28 Feb`, `4 Mar`
    if first.precision == Precision.DAY and head.split(" ")[1] == until.split(" ")[1]:
        head = head.split(" ")[0]  # the same month: `4–6 Mar 2026`
    return f"{head}–{until}"


def _end_label(point: FuzzyDate | None, written: str) -> str:
    if point is not None:
        return point.label
    return "…" if written == ".." else "?"


def _lower(fd: FuzzyDate) -> int:
    assert fd.lower is not None  # single dates always have both bounds
    return fd.lower


def _upper(fd: FuzzyDate) -> int:
    assert fd.upper is not None
    return fd.upper


# --- single dates ------------------------------------------------------------------------


def _as_written(shown: str) -> str:
    """One end of a date as the app shows it (`?`, `…`, `~Aug 2027`), as it is written
    (nothing, `..`, `Aug 2027~`): people copy what they see."""
    shown = shown.strip()
    if shown == "?":
        return ""
    if shown in ("…", "..."):
        return ".."
    if shown.startswith("~"):
        return f"{shown[1:].lstrip()}~"
    return shown


def _written_hint(written: str, *, interval: bool = False) -> str:
    """The hint to write `written`, if that is a date; else the forms there are."""
    if _shown(written) is None:
        return _FORMS_HINT
    return f"write an interval with a slash: {written}" if interval else f"write {written}"


def _parse_point(text: str) -> FuzzyDate:
    """One date, no interval; `text` is stripped."""
    match = _FAST.fullmatch(text)
    if match is not None and (found := _fast(text, *match.groups())) is not None:
        return found
    qualifier = text[-1] if text[-1] in "?~%" else ""
    core = text[:-1].rstrip() if qualifier else text
    if not core or core[-1] in "?~%":
        raise DateError(f"cannot read '{text}' as a date", _FORMS_HINT)
    try:
        found = _parse_core(core, text)
    except DateError as exc:
        hint = _form_hint(core, qualifier) if exc.hint == _FORMS_HINT else None
        if hint is None:
            raise
        raise DateError(str(exc), hint) from None
    if qualifier:
        found = _qualify(found, qualifier in "?%", qualifier in "~%")
    return replace(found, text=text)


def _form_hint(core: str, qualifier: str) -> str | None:
    """How to write a century or a half year, which people write and no date form reads
    (the forms listed in the general hint do not lead to them: a user pass)."""
    if match := _CENTURY.fullmatch(core):
        number, bce = int(match["n"]), (match["era"] or "").upper().startswith("B")
        if number < 1:
            return None
        # Counted from year 1, the 19th century is 1801–1900; most mean 1800–1899 (18XX).
        first, last = (number - 1) * 100 + 1, number * 100
        sign = "-" if bce else ""
        ends = (last, first) if bce else (first, last)
        written = "/".join(f"{sign}{year:04d}{qualifier}" for year in ends)
        hundreds = f"{sign}{number - 1:02d}XX"
        what = f"the {match['ordinal'].lower()} century{' BCE' if bce else ''}"
        shown = _shown(hundreds)
        if shown is None or _shown(written) is None:
            return None
        return f"write {written} for {what} (or {hundreds}{qualifier} for {shown})"
    if match := _NAMED_ZONE.fullmatch(core):
        return _zone_hint(match)
    if _RANGE_WORD.search(core):
        return _range_hint(core, qualifier)
    if match := _HALF.fullmatch(core):
        first = match["h"] == "1" or (match["which"] or "").lower() in ("first", "1st")
        year = match["year"] or match["year2"]
        months = ("01", "06") if first else ("07", "12")
        written = "/".join(f"{year}-{month}{qualifier}" for month in months)
        if _shown(written) is None:  # no year 0: no form to advise
            return None
        return f"write {written} for the {'first' if first else 'second'} half of {year}"
    return None


def _zone_hint(match: re.Match[str]) -> str:
    """How to write a moment whose zone is named: with its offset from UTC."""
    moment, zone = match["moment"].replace(" ", "T"), match["zone"]
    offset = _ZONE_ABBREVIATIONS.get(zone) or _zone_offset(moment, zone)
    written = f"{moment}{offset}" if offset else ""
    if not written or _shown(written) is None:
        return "write the zone as its offset from UTC, e.g. 2026-02-13T09:30+01:00"
    return f"write {written} (a zone is written as its offset from UTC)"


def _zone_offset(moment: str, zone: str) -> str | None:
    """The offset of the zone `Europe/Paris` at that moment (`+01:00`), if it is known."""
    try:
        local = datetime.fromisoformat(moment).replace(tzinfo=ZoneInfo(zone))
        offset = local.utcoffset()
    except (ValueError, OSError, ZoneInfoNotFoundError):
        return None
    if offset is None:
        return None
    minutes = int(offset.total_seconds()) // 60
    if minutes == 0:
        return "Z"
    sign = "-" if minutes < 0 else "+"
    return f"{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"


def _range_hint(core: str, qualifier: str) -> str | None:
    """How to write a range in words (`Feb–Mar 2026`, `13 to 20 June 2025`, `2019 to
    2023`) as an interval; None when its months, days and years do not say it plainly."""
    words = re.findall(r"[A-Za-z]+|\d+", core)
    months = [_MONTH_WORDS[w.lower()] for w in words if w.lower() in _MONTH_WORDS]
    years = [w for w in words if len(w) == 4 and w.isdigit()]
    days = [int(w) for w in words if len(w) <= 2 and w.isdigit()]
    if len(years) == 1:
        years *= 2
    if len(years) != 2:
        return None
    if not months and not days:
        ends = years
    elif len(months) == 2 and not days:
        ends = [f"{year}-{month:02d}" for year, month in zip(years, months, strict=True)]
    elif len(months) == 1 and len(days) == 2 and years[0] == years[1]:
        ends = [f"{years[0]}-{months[0]:02d}-{day:02d}" for day in days]
    else:
        return None
    written = "/".join(f"{end}{qualifier}" for end in ends)
    if _shown(written) is None:
        return None
    return f"write {written} (an interval is written with a slash between whole dates)"


def _shown(written: str) -> str | None:
    """How a date is shown; None when `written` is no date."""
    try:
        return parse_date(written).display()
    except DateError:
        return None


def _qualify(fd: FuzzyDate, uncertain: bool, approximate: bool) -> FuzzyDate:
    label = fd.label
    if approximate and not label.startswith("~"):
        label = "~" + label
    if uncertain and not label.endswith("?"):
        label += "?"
    return replace(
        fd, uncertain=fd.uncertain or uncertain, approximate=fd.approximate or approximate,
        label=label,
    )  # fmt: skip


_ISO = re.compile(
    r"(?P<sign>-)?(?P<year>\d{4}|\d{3}X|\d\dXX|\dXXX)"
    r"(?:-(?P<month>\d\d|XX)(?:-(?P<day>\d\d|XX)"
    r"(?:[T ](?P<hour>\d\d):(?P<minute>\d\d)(?::(?P<second>\d\d)(?P<fraction>[.,]\d+)?)?"
    r"(?P<tz>Z|[+-]\d\d(?::?\d\d)?)?)?)?)?",
    re.IGNORECASE,
)
_Y_YEAR = re.compile(r"Y(-?)(\d+)", re.IGNORECASE)
_TIME_ONLY = re.compile(r"\d{1,2}:\d\d(?::\d\d)?(?:\s*[ap]\.?m\.?)?", re.IGNORECASE)
_BARE_NUMBER = re.compile(r"-?\d+")
_DASHED_RANGE = re.compile(r"(.+?)\s*(?:[–—]|(?<=\d)\s*-\s*(?=\d{4}$))\s*(.+)")
# A year inside the English grammar: `2026`, `-0044`, `44 BC`, `AD 14`, `14 CE`.
_ERA = r"(?:BCE|BC|B\.C\.E\.|B\.C\.|CE|C\.E\.|AD|A\.D\.)"
_YEAR = rf"(?:-?\d{{4}}|\d{{1,9}}\s*{_ERA}|(?:AD|A\.D\.)\s*\d{{1,9}})"
_APPROX = re.compile(
    r"(?:(?:circa|about|around|approximately|approx|ca|c)\s+|(?:approx|ca|c)\.\s*)(?P<rest>.+)",
    re.IGNORECASE,
)
_SOMETIME = re.compile(r"some\s?time\s+in\s+(?P<rest>.+)", re.IGNORECASE)
_PART = re.compile(rf"(?P<part>early|mid|late)(?:\s+|-)(?P<rest>{_YEAR})", re.IGNORECASE)
_SEASON = re.compile(rf"(?P<season>spring|summer|autumn|fall|winter)\s+(?P<rest>{_YEAR})", re.I)
_QUARTER = re.compile(rf"Q(?P<q>\d)\s+(?P<rest>{_YEAR})|(?P<rest2>{_YEAR})[\s-]+Q(?P<q2>\d)", re.I)
_DECADE = re.compile(r"(?:the\s+)?(\d{2,3})0s", re.IGNORECASE)
_CENTURY = re.compile(
    rf"(?:the\s+)?(?P<ordinal>(?P<n>\d{{1,2}})(?:st|nd|rd|th))\s+century(?:\s+(?P<era>{_ERA}))?",
    re.IGNORECASE,
)
_HALF = re.compile(
    r"H(?P<h>[12])\s+(?P<year>\d{4})|(?P<which>first|second|1st|2nd)\s+half\s+(?:of\s+)?"
    r"(?P<year2>\d{4})",
    re.IGNORECASE,
)
# A moment with its zone named (`Europe/Paris`, `CET`), which ISO 8601 writes as an offset.
_NAMED_ZONE = re.compile(
    r"(?P<moment>\d{4}-\d{2}-\d{2}[T ]\d{1,2}:\d{2}(?::\d{2})?)\s*"
    r"(?P<zone>[A-Za-z]+(?:/[A-Za-z_+-]+)+|[A-Z]{3,4})"
)
_ZONE_ABBREVIATIONS = {
    "UTC": "Z", "GMT": "Z", "WET": "+00:00", "WEST": "+01:00", "BST": "+01:00",
    "CET": "+01:00", "CEST": "+02:00", "EET": "+02:00", "EEST": "+03:00", "JST": "+09:00",
    "EST": "-05:00", "EDT": "-04:00", "CST": "-06:00", "CDT": "-05:00", "MST": "-07:00",
    "MDT": "-06:00", "PST": "-08:00", "PDT": "-07:00",
}  # fmt: skip
# Words that make a text a range (`Feb–Mar 2026`, `June to September 2025`).
_RANGE_WORD = re.compile(r"[–—]|\s-\s|\b(?:to|between|until|through|thru|from)\b", re.I)
_ERA_BEFORE = re.compile(r"(?:AD|A\.D\.)\s*(?P<rest>.+)", re.IGNORECASE)
_ERA_AFTER = re.compile(rf"(?P<rest>.+?)\s*(?P<era>{_ERA})", re.IGNORECASE)
_YEAR_NUMBER = re.compile(r"-?\d{4}")
# An English date ending in a 4-digit year, perhaps signed: `13 February -2026`.
_ENGLISH_YEAR = re.compile(r"(?P<rest>.*[^\d\s])\s+(?P<sign>-?)(?P<year>\d{4})")

_SEASONS = {"spring": 0, "summer": 1, "autumn": 2, "fall": 2, "winter": 3}
_SEASON_NAMES = ("Spring", "Summer", "Autumn", "Winter")
_PARTS = {"early": 1, "mid": 5, "late": 9}  # first month of four


def _parse_core(core: str, text: str) -> FuzzyDate:
    """Every form but the trailing EDTF qualifier, which the caller has taken off."""
    if match := _ISO.fullmatch(core):
        return _from_iso(match, text)
    if match := _Y_YEAR.fullmatch(core):
        written = int(match[2])
        return _year(_astronomical(written, match[1] == "-", text), text)
    if _TIME_ONLY.fullmatch(core):
        raise DateError(f"'{text}' is a time without a date", "write e.g. 2026-02-13T12:30")
    if _BARE_NUMBER.fullmatch(core):
        sign, digits = ("-", core[1:]) if core.startswith("-") else ("", core)
        if len(digits) > 4:
            raise DateError(
                f"cannot read '{text}' as a date", f"write years beyond 9999 as Y{core}"
            )
        raise DateError(
            f"cannot read '{text}' as a date: write years with 4 digits",
            f"write {sign}{int(digits):04d}",
        )
    if _NUMERIC_DMY.fullmatch(core):
        raise _ambiguous_numeric(core)
    # Before the dashed range, which would read `Q1 -0044` as `Q1` to `0044`.
    if match := _QUARTER.fullmatch(core):
        quarter = int(match["q"] or match["q2"])
        year = _year_word(match["rest"] or match["rest2"], text)
        if not 1 <= quarter <= 4:
            raise DateError(f"invalid date '{text}': a quarter is Q1, Q2, Q3 or Q4")
        lower, upper = months_bounds(year, 3 * quarter - 2, 3)
        label = f"Q{quarter} {year_label(year)}"
        return FuzzyDate(text, lower, upper, Precision.QUARTER, label=label)
    if match := _DASHED_RANGE.fullmatch(core):
        raise DateError(
            f"cannot read '{text}' as a date",
            _written_hint(f"{_as_written(match[1])}/{_as_written(match[2])}", interval=True),
        )
    if core.startswith("~") and text == core:
        raise DateError(f"cannot read '{text}' as a date", _written_hint(f"{core[1:]}~"))
    if match := _APPROX.fullmatch(core):
        return _qualify(_parse_point(match["rest"]), uncertain=False, approximate=True)
    if match := _SOMETIME.fullmatch(core):
        return _qualify(_parse_point(match["rest"]), uncertain=True, approximate=False)
    if match := _PART.fullmatch(core):
        part = match["part"].lower()
        year = _year_word(match["rest"], text)
        lower, upper = months_bounds(year, _PARTS[part], 4)
        label = f"{part} {year_label(year)}"
        return FuzzyDate(text, lower, upper, Precision.PART_OF_YEAR, approximate=True, label=label)
    if match := _SEASON.fullmatch(core):
        return _season(_year_word(match["rest"], text), _SEASONS[match["season"].lower()], text)
    if match := _DECADE.fullmatch(core):
        return _decade(match[1], text)
    if match := _ERA_BEFORE.fullmatch(core):
        return _with_era(match["rest"], bce=False, text=text)
    if match := _ERA_AFTER.fullmatch(core):
        return _with_era(match["rest"], bce=match["era"].upper().startswith("B"), text=text)
    if (match := _ENGLISH_YEAR.fullmatch(core)) and (match["sign"] or match["year"] < "1000"):
        # `15 March -0044`, `March 0044`: dateutil drops the sign and cannot read the year.
        return _with_era(f"{match['rest']} {match['year']}", bce=bool(match["sign"]), text=text)
    if core.startswith("-"):
        raise DateError(
            f"cannot read '{text}' as a date: a minus sign means BCE, and goes just before "
            "the year",
            "write e.g. 15 March -0044, 15 March 44 BCE or -0044-03-15",
        )
    return _plain_english(core, text) or _english(core, text)


def _astronomical(written: int, bce: bool, text: str) -> int:
    if written == 0:
        raise DateError(
            f"invalid date '{text}': there is no year 0",
            "write -0001 for 1 BCE or 0001 for 1 CE",
        )
    return 1 - written if bce else written


def _year(year: int, text: str) -> FuzzyDate:
    lower, upper = years_bounds(year, year)
    return FuzzyDate(text, lower, upper, Precision.YEAR, label=year_label(year))


def _month(year: int, month: int, text: str) -> FuzzyDate:
    lower, upper = months_bounds(year, month)
    label = f"{MONTH_ABBR[month - 1]} {year_label(year)}"
    return FuzzyDate(text, lower, upper, Precision.MONTH, label=label)


def _day(year: int, month: int, day: int, text: str) -> FuzzyDate:
    lower = day_start(year, month, day)
    label = f"{day} {MONTH_ABBR[month - 1]} {year_label(year)}"
    return FuzzyDate(text, lower, lower + SECONDS_PER_DAY - 1, Precision.DAY, label=label)


def _season(year: int, index: int, text: str) -> FuzzyDate:
    # Northern hemisphere, meteorological: winter 2026 runs from December 2026 to February 2027.
    lower, upper = months_bounds(year, 3 + 3 * index, 3)
    label = f"{_SEASON_NAMES[index]} {year_label(year)}"
    return FuzzyDate(text, lower, upper, Precision.SEASON, label=label)


def _year_word(word: str, text: str) -> int:
    """The year of `spring 2026`, `Q3 44 BC`...: an astronomical year."""
    # `word` matched _YEAR, so a B can only come from BC, BCE or B.C.
    if _YEAR_NUMBER.fullmatch(word):
        return _astronomical(abs(int(word)), word.startswith("-"), text)
    digits = re.search(r"\d+", word)
    assert digits is not None
    return _astronomical(int(digits[0]), "B" in word.upper(), text)


def _decade(digits: str, text: str, *, bce: bool = False) -> FuzzyDate:
    """`1850s`, or with `bce` `1850s BCE` (the years 1859 to 1850 BCE, as `-185X`)."""
    sign, era = ("-", " BCE") if bce else ("", "")
    if digits.endswith("0"):
        # "the 1900s" is the decade to some readers and the century to others.
        raise DateError(
            f"'{text}' is ambiguous: a decade or a century?",
            f"write {sign}{digits}X for {digits}0–{digits}9{era}"
            f" or {sign}{digits[:-1]}XX for {digits}0–{digits[:-1]}99{era}",
        )
    return _unspecified_year(digits + "X", bce, text)


def _from_iso(m: re.Match[str], text: str) -> FuzzyDate:
    bce = m["sign"] == "-"
    year_digits = m["year"].upper()
    if "X" in year_digits:
        if m["month"]:
            raise DateError(f"invalid date '{text}': a year with X digits takes no month or day")
        return _unspecified_year(year_digits, bce, text)
    year = _astronomical(int(year_digits), bce, text)
    if m["month"] is None:
        return _year(year, text)
    if m["month"].upper() == "XX":
        if (m["day"] is not None and m["day"].upper() != "XX") or m["hour"] is not None:
            raise DateError(f"invalid date '{text}': a day needs a known month")
        return _year(year, text)
    month = int(m["month"])
    if m["day"] is None:
        if 21 <= month <= 24:
            return _season(year, month - 21, text)
        if not 1 <= month <= 12:
            raise DateError(f"invalid date '{text}': month must be 1–12 (or 21–24 for a season)")
        return _month(year, month, text)
    if not 1 <= month <= 12:
        raise DateError(f"invalid date '{text}': month must be 1–12")
    if m["day"].upper() == "XX":
        if m["hour"] is not None:
            raise DateError(f"invalid date '{text}': a time needs a known day")
        return _month(year, month, text)
    day = int(m["day"])
    _check_day(year, month, day, text)
    if m["hour"] is None:
        return _day(year, month, day, text)
    hour, minute = int(m["hour"]), int(m["minute"])
    second = int(m["second"]) if m["second"] is not None else None
    offset, zone = _offset(m["tz"], text)
    fraction = (m["fraction"] or "").replace(",", ".")
    return _instant(year, month, day, hour, minute, second, offset, zone, text, fraction)


def _check_day(year: int, month: int, day: int, text: str) -> None:
    length = days_in_month(year, month)
    if day < 1:
        raise DateError(f"invalid date '{text}': day must be 1–{length}")
    if day > length:
        name = f"{MONTH_NAMES[month - 1]} {year_label(year)}"
        raise DateError(f"invalid date '{text}': {name} has {length} days")


def _offset(tz: str | None, text: str) -> tuple[int | None, str]:
    """Seconds east of UTC and how to show them; None for a naive time."""
    if tz is None:
        return None, ""
    if tz.upper() == "Z":
        return 0, " UTC"
    digits = tz[1:].replace(":", "")
    hours, minutes = int(digits[:2]), int(digits[2:] or 0)
    if hours > 23 or minutes > 59:
        raise DateError(f"invalid date '{text}': time zone offset {tz} is out of range")
    sign = -1 if tz[0] == "-" else 1
    return sign * (hours * 3600 + minutes * 60), f" {tz[0]}{hours:02d}:{minutes:02d}"


def _instant(
    year: int, month: int, day: int, hour: int, minute: int | None, second: int | None,
    offset: int | None, zone: str, text: str, fraction: str = "",
) -> FuzzyDate:  # fmt: skip
    """A time of day; `minute`/`second` None when not written (the precision stops there).
    `fraction`: the part of a second written (`.123`), shown as written; the bounds stay
    whole seconds."""
    for name, value, top in (("hour", hour, 23), ("minute", minute, 59), ("second", second, 59)):
        if value is not None and not 0 <= value <= top:
            raise DateError(f"invalid date '{text}': {name} must be 0–{top}")
    local = day_start(year, month, day) + hour * 3600 + (minute or 0) * 60 + (second or 0)
    lower = local - (offset or 0)
    day_label = f"{day} {MONTH_ABBR[month - 1]} {year_label(year)}"
    if minute is None:
        precision, span, clock = Precision.HOUR, 3599, f"{hour:02d}h"
    elif second is None:
        precision, span, clock = Precision.MINUTE, 59, f"{hour:02d}:{minute:02d}"
    else:
        clock = f"{hour:02d}:{minute:02d}:{second:02d}{fraction}"
        precision, span = Precision.SECOND, 0
    label = f"{day_label} {clock}{zone}"
    return FuzzyDate(
        text, lower, lower + span, precision, label=label, naive=offset is None, offset=offset or 0
    )


def _within_written_year(instant: int, offset: int) -> int:
    """`instant` moved into the year its local time is in, at that year's nearest end.

    00:30 on 1 Jan 2026 in Tokyo is 15:30 on 31 Dec 2025 in UTC: sorted at its instant it
    would be listed under 2025 with its 2026 date. Within hours of New Year, a moment
    sorts at the edge of the year written instead; everywhere else, at its instant."""
    year = year_of(instant + offset)
    first, last = years_bounds(year, year)
    return min(max(instant, first), last)


def _unspecified_year(digits: str, bce: bool, text: str) -> FuzzyDate:
    unknown = digits.count("X")
    if unknown == 4:
        raise DateError(f"invalid date '{text}': no digit of the year is known", _FORMS_HINT)
    low, high = int(digits.replace("X", "0")), int(digits.replace("X", "9"))
    low = max(low, 1)  # there is no year 0 on either side of the era
    precision = {1: Precision.DECADE, 2: Precision.CENTURY, 3: Precision.MILLENNIUM}[unknown]
    first, last = (1 - high, 1 - low) if bce else (low, high)
    lower, upper = years_bounds(first, last)
    return FuzzyDate(text, lower, upper, precision, label=span_label(first, last))


def _with_era(rest: str, bce: bool, text: str) -> FuzzyDate:
    """`44 BC`, `AD 14`, `15 March 44 BCE`: the year number is whatever precedes the era."""
    rest = rest.strip()
    if decade := _DECADE.fullmatch(rest):
        return _decade(decade[1], text, bce=bce)
    # `\d`, not str.isdigit(): that also takes `²` and `①`, which int() refuses.
    last = re.search(r"(\d+)\D*$", rest)
    if last is not None and last[1] == rest:
        return _year(_astronomical(int(rest), bce, text), text)
    if last is None or len(last[1]) > 9:
        raise DateError(f"cannot read '{text}' as a date", _FORMS_HINT)
    year = _astronomical(int(last[1]), bce, text)
    # dateutil reads only years 1-9999.
    return _english_stand_in(rest, last.start(1), last.end(1), year, text)


def _english_stand_in(core: str, start: int, end: int, year: int, text: str) -> FuzzyDate:
    """`_english` of `core` with the year written at start:end given to dateutil as a
    stand-in with the same leap rule, and `year` put back afterwards."""
    stand_in = "2000" if is_leap(year) else "2001"
    return _english(core[:start] + stand_in + core[end:], text, year)


# --- English dates through dateutil ------------------------------------------------------

_MONTH_WORDS = {name.lower(): i for i, name in enumerate(MONTH_NAMES, 1)}
_MONTH_WORDS |= {abbr.lower(): i for i, abbr in enumerate(MONTH_ABBR, 1)} | {"sept": 9}
_WEEKDAY_NAMES = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_WEEKDAY_WORDS = {name: i for i, name in enumerate(_WEEKDAY_NAMES)}
_WEEKDAY_WORDS |= {name[:3]: i for i, name in enumerate(_WEEKDAY_NAMES)}
_NOISE_WORDS = {"the", *_WEEKDAY_WORDS}  # taken out before dateutil sees the text
_ENGLISH_WORDS = {
    *_MONTH_WORDS, *_NOISE_WORDS, "of", "at", "on", "am", "pm", "a", "p", "m",
    "utc", "gmt", "z", "st", "nd", "rd", "th",
}  # fmt: skip
_ENGLISH_CHARS = re.compile(r"[\w\s,.:+-]+")
# Two defaults that differ in every field: a field that comes back the same from both was
# written, one that differs was filled in. Both years are leap years, so 29 February parses.
_DEFAULTS = (datetime(2000, 1, 1, 0, 0, 0), datetime(1996, 12, 28, 23, 59, 59))
_FIELD_PRECISION = (
    Precision.YEAR, Precision.MONTH, Precision.DAY,
    Precision.HOUR, Precision.MINUTE, Precision.SECOND,
)  # fmt: skip


# The English forms people write most, read without dateutil (fifty times quicker).
_PLAIN_ENGLISH = re.compile(r"(?:(\d{1,2}) ([A-Za-z]+)|([A-Za-z]+)(?: (\d{1,2}),?)?) (\d{4})")


def _plain_english(core: str, text: str) -> FuzzyDate | None:
    """`13 February 2026`, `February 13, 2026`, `Feb 2026` as `_english` reads them; None
    for anything else, and for a day that does not exist (`_english` words the error)."""
    match = _PLAIN_ENGLISH.fullmatch(core)
    if match is None:
        return None
    month = _MONTH_WORDS.get((match[2] or match[3]).lower())
    year = int(match[5])
    if month is None or year < 1000:  # dateutil's reading of `0099` is its own
        return None
    written = match[1] or match[4]
    if written is None:
        return _month(year, month, text)
    day = int(written)
    if not 1 <= day <= days_in_month(year, month):
        return None
    return _day(year, month, day, text)


def _english(core: str, text: str, year: int | None = None) -> FuzzyDate:
    """Only text made of date words reaches dateutil, so a sentence is never read as a date."""
    words = re.findall(r"[a-z]+", core.lower())
    if (
        not _ENGLISH_CHARS.fullmatch(core)
        or not any(w in _MONTH_WORDS for w in words)
        or not all(w in _ENGLISH_WORDS for w in words)
    ):
        raise DateError(f"cannot read '{text}' as a date", _FORMS_HINT)
    if year is None:
        long = [n for n in re.finditer(r"\d+", core) if len(n[0]) >= 4]
        padded = [n for n in long if 0 < int(n[0]) < 1000]
        # The only long number: in `13 Feb 2020 0800`, 0800 is a time (a review).
        if len(padded) == len(long) == 1:
            # `13 Feb 0044 12:30`: with a time, dateutil widens `0044` to 2044.
            written = padded[0]
            return _english_stand_in(core, written.start(), written.end(), int(written[0]), text)
    numbers = re.findall(r"\d+", core)
    if not any(len(n) >= 4 for n in numbers):
        if any(len(n) == 3 for n in numbers):
            raise DateError(f"cannot read '{text}' as a date: write years with 4 digits")
        raise DateError(f"'{text}' has no year", "add the year with 4 digits, e.g. October 2025")
    # Imported here: dateutil.parser costs ~20 ms at startup, and most files never need it.
    from dateutil.parser import ParserError
    from dateutil.parser import parse as _dateutil_parse

    weekdays = [_WEEKDAY_WORDS[w] for w in words if w in _WEEKDAY_WORDS]
    cleaned = re.sub(r"[a-z]+", lambda w: "" if w[0].lower() in _NOISE_WORDS else w[0], core,
                     flags=re.IGNORECASE)  # fmt: skip
    try:
        a, b = (_dateutil_parse(cleaned, default=default) for default in _DEFAULTS)
    except (ParserError, ValueError, OverflowError) as exc:
        raise _english_error(text, words, numbers, year) from exc
    written = [
        a.year == b.year, a.month == b.month, a.day == b.day,
        a.hour == b.hour, a.minute == b.minute, a.second == b.second,
    ]  # fmt: skip
    if not written[0]:
        raise DateError(f"'{text}' has no year", "add the year with 4 digits, e.g. October 2025")
    if not any(len(n) >= 4 and int(n) == a.year for n in numbers):
        # dateutil widened a two-digit year with today's century: never let that through.
        raise DateError(f"'{text}' has no year", "add the year with 4 digits, e.g. October 2025")
    count = written.index(False) if False in written else len(written)
    if any(written[count:]):
        raise DateError(f"cannot read '{text}' as a date: a time needs a day", _FORMS_HINT)
    precision = _FIELD_PRECISION[count - 1]
    if year is None:
        year = a.year
    if weekdays:
        _check_weekday(year, a.month, a.day if precision >= Precision.DAY else None, weekdays, text)
    if precision == Precision.MONTH:
        return _month(year, a.month, text)
    if precision == Precision.DAY:
        return _day(year, a.month, a.day, text)
    if precision == Precision.YEAR:
        return _year(year, text)
    delta = a.utcoffset()
    offset = None if delta is None else int(delta.total_seconds())
    zone = "" if offset is None else _zone_label(offset, words)
    minute = a.minute if precision >= Precision.MINUTE else None
    second = a.second if precision >= Precision.SECOND else None
    return _instant(year, a.month, a.day, a.hour, minute, second, offset, zone, text)


def _check_weekday(year: int, month: int, day: int | None, weekdays: list[int], text: str) -> None:
    """A written weekday must agree with the day: a mismatch means one of them is a typo."""
    if day is None:
        raise DateError(f"invalid date '{text}': a weekday needs a day of the month")
    actual = day_number(year, month, day) % 7  # 0001-01-01 was a Monday
    if weekdays != [actual]:
        name = f"{day} {MONTH_NAMES[month - 1]} {year_label(year)}"
        raise DateError(f"invalid date '{text}': {name} is a {_WEEKDAY_NAMES[actual].title()}")


def _zone_label(offset: int, words: list[str]) -> str:
    if offset == 0 and {"utc", "gmt", "z"} & set(words):
        return " UTC"
    sign, size = ("-" if offset < 0 else "+"), abs(offset)
    return f" {sign}{size // 3600:02d}:{size % 3600 // 60:02d}"


def _english_error(text: str, words: list[str], numbers: list[str], year: int | None) -> DateError:
    """Turn dateutil's complaint into our sentence when the date is clearly a wrong day."""
    months = [_MONTH_WORDS[w] for w in words if w in _MONTH_WORDS]
    days = [int(n) for n in numbers if len(n) <= 2]
    years = [int(n) for n in numbers if len(n) >= 4]
    if len(months) == 1 and len(days) == 1 and years:
        try:
            _check_day(year if year is not None else years[-1], months[0], days[0], text)
        except DateError as err:
            return err
    return DateError(f"cannot read '{text}' as a date", _FORMS_HINT)


def _ambiguous_numeric(text: str) -> DateError:
    m = _NUMERIC_DMY.fullmatch(text)
    assert m is not None
    first, second, year = int(m[1]), int(m[3]), m[4]
    readings = {f"{year}-{b:02d}-{a:02d}" for a, b in ((first, second), (second, first)) if b <= 12}
    if len(year) == 4 and readings:
        hint = "write " + " or ".join(sorted(readings))
    else:
        hint = "write the year first with 4 digits, e.g. 2026-02-13"
    return DateError(f"cannot read '{text}': numeric dates are read differently by country", hint)


# --- combining and relative labels ------------------------------------------------------


def combine(start: FuzzyDate, end: FuzzyDate) -> tuple[int | None, int | None]:
    """The bounds of an event that has an `end:`; its lower bound comes from `start`."""
    if start.lower is not None and end.upper is not None and end.upper < start.lower:
        raise DateError(
            f"end '{end.text}' is before start '{start.text}'", "swap them, or check the year"
        )
    return start.lower, end.upper


def relative_label(fd: FuzzyDate, today: date, end: FuzzyDate | None = None) -> str:
    """How far a date is from `today`: "in 3 mo", "2 y ago", "today", "now". `end`: an
    event's end written apart (`end:`), which makes its date a period."""
    upper, open_end = (fd.upper, fd.open_end) if end is None else (end.upper, end.open_end)
    first, last = date_key(today), date_key(today) + SECONDS_PER_DAY - 1
    lower = fd.lower
    # Months are counted only where the date says its month (see `_distance`).
    start_months = (fd.start or fd).precision >= Precision.MONTH
    end_months = (end or fd.end or fd).precision >= Precision.MONTH
    if fd.precision < Precision.YEAR and end is None and not fd.is_interval:
        # A decade, century or millennium: the years from its nearest to its farthest end
        # ("16 y ago" said more than `2010s` does: a user pass).
        if lower is not None and lower > last:
            return f"in {_years_between(_distance(first, lower), _distance(first, upper))}"
        if upper is not None and upper < first:
            return f"{_years_between(_distance(upper, first), _distance(lower, first))} ago"
    if lower is not None and lower > last:
        return f"in {_distance(first, lower, start_months)}"
    if upper is not None and upper < first:
        # A single date counts from its start (2024 is "2 y ago" in 2026); a period from its end.
        if fd.is_interval or end is not None or lower is None:
            return f"{_distance(upper, first, end_months)} ago"
        return f"{_distance(lower, first, start_months)} ago"
    if lower is None and not fd.open_start and upper is not None and upper > last:
        return f"ends in {_distance(first, upper, end_months)}"
    if upper is None and not open_end and lower is not None and lower < first:
        return f"began {_distance(lower, first, start_months)} ago"
    if lower is not None and upper is not None and first <= lower and upper <= last:
        return "today"
    return "now"


def _years_between(near: str, far: str) -> str:
    """`7–16 y` from "7 y" and "16 y" (`_distance`s), each alone when they differ in unit."""
    if near == far:
        return near
    if near.endswith(" y") and far.endswith(" y"):
        return f"{near[:-2]}–{far}"
    return f"{near}–{far}"


_MAX_ORDINAL = date.max.toordinal()


def _distance(earlier: int, later: int, months: bool = False) -> str:
    """The largest whole unit between two instants: "2 y", "3 mo" or "12 d"; with
    `months`, under ten years, the months past the years too ("1 y 10 mo": "1 y" for
    23 months said too little of a date that gives its month, a user pass)."""
    start, end = earlier // SECONDS_PER_DAY + 1, later // SECONDS_PER_DAY + 1
    if not (1 <= start <= _MAX_ORDINAL and 1 <= end <= _MAX_ORDINAL):
        # Beyond datetime's years only whole years matter; the mean Gregorian year is exact enough.
        return f"{(later - earlier) // 31_556_952} y"
    delta = relativedelta(date.fromordinal(end), date.fromordinal(start))
    if delta.years:
        if months and delta.months and delta.years < 10:
            return f"{delta.years} y {delta.months} mo"
        return f"{delta.years} y"
    if delta.months:
        return f"{delta.months} mo"
    return f"{max(delta.days, 1)} d"
