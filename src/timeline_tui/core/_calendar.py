"""Day arithmetic on the proleptic Gregorian calendar, for any year.

`datetime` stops at years 1 and 9999, but a history timeline needs 44 BCE and an
astronomy one needs Y170000002, so bounds are computed here with plain integers.

Years in this module are astronomical: 1 BCE is year 0 and 44 BCE is year -43, which
keeps the leap rule and the arithmetic uniform across the era boundary. Converting the
year as the user wrote it is `dates.py`'s business.
"""

from __future__ import annotations

SECONDS_PER_DAY = 86_400

MONTH_NAMES = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip
MONTH_ABBR = tuple(name[:3] for name in MONTH_NAMES)

_DAYS_IN_MONTH = (31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)
_DAYS_BEFORE_MONTH = (0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334)


def is_leap(year: int) -> bool:
    return year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)


def days_in_month(year: int, month: int) -> int:
    if month == 2 and is_leap(year):
        return 29
    return _DAYS_IN_MONTH[month - 1]


def days_before_year(year: int) -> int:
    """Days from 0001-01-01 to the first day of `year` (negative before year 1)."""
    # Floor division keeps the leap-day count right for years before 1 as well.
    y = year - 1
    return 365 * y + y // 4 - y // 100 + y // 400


def day_number(year: int, month: int, day: int) -> int:
    """Days from 0001-01-01 to the given day: matches `date.toordinal() - 1` where both exist."""
    days = days_before_year(year) + _DAYS_BEFORE_MONTH[month - 1] + day - 1
    if month > 2 and is_leap(year):
        days += 1
    return days


def day_start(year: int, month: int = 1, day: int = 1) -> int:
    """The first second of a day, in seconds since 0001-01-01T00:00:00Z."""
    return day_number(year, month, day) * SECONDS_PER_DAY


def months_bounds(year: int, month: int, count: int = 1) -> tuple[int, int]:
    """First and last second of `count` months starting at `month` (may cross into next year)."""
    end_year, end_month = year + (month + count - 2) // 12, (month + count - 2) % 12 + 1
    last_day = days_in_month(end_year, end_month)
    return day_start(year, month), day_start(end_year, end_month, last_day) + SECONDS_PER_DAY - 1


def years_bounds(first: int, last: int) -> tuple[int, int]:
    """First second of year `first` and last second of year `last`."""
    return days_before_year(first) * SECONDS_PER_DAY, days_before_year(
        last + 1
    ) * SECONDS_PER_DAY - 1


def year_of(seconds: int) -> int:
    """The astronomical year (1 BCE is 0) that holds an instant in `core.dates` seconds."""
    days = seconds // SECONDS_PER_DAY
    # An estimate from the mean Gregorian year, then exact correction: integers only,
    # because datetime holds neither BCE years nor years past 9999.
    year = days * 400 // 146_097 + 1
    while days_before_year(year) > days:
        year -= 1
    while days_before_year(year + 1) <= days:
        year += 1
    return year


def year_label(year: int) -> str:
    """A heading for an astronomical year, in the style of `FuzzyDate.display()`."""
    if year >= 1000:
        return str(year)
    return f"{year} CE" if year >= 1 else f"{1 - year} BCE"


def span_label(first: int, last: int) -> str:
    """A heading for astronomical years `first` to `last`: a decade as `1850s`, else both
    ends, with the era where the reader needs it."""
    if first >= 10 and last - first == 9 and first % 10 == 0:
        return f"{first}s"
    if first >= 1:
        return f"{first}–{last}" + (" CE" if last < 1000 else "")
    if last <= 0:
        return f"{1 - first}–{1 - last} BCE"
    return f"{year_label(first)}–{year_label(last)}"
