"""Dates the way a UK council writes them: day first, never guessed.

Accepted: ISO (2004-05-31), day-first numeric (31/05/2004, 31-05-2004, 31.05.2004),
day and month name (31 May 2004, 22nd January 2004) and month only
(May 2004 -> 31/05/2004). Anything that is not a real date raises DateError.

Every door into a plan (the window, CSV imports, the command line) keeps dates
within FIRST_DATE..LAST_DATE and lags within MAX_LAG_DAYS, checked here, so the
rules' date sums always have room; `shift` clamps sums over values an older
version let in.
"""

from __future__ import annotations

import calendar
import re
from datetime import date

from dateutil.relativedelta import relativedelta

MONTHS: dict[str, int] = {}
for _number in range(1, 13):
    MONTHS[calendar.month_name[_number].lower()] = _number
    MONTHS[calendar.month_abbr[_number].lower()] = _number
MONTHS["sept"] = 9

# Years of four digits or more: 01/01/10000 is refused as out of range, not as "not a date".
_ISO = re.compile(r"(\d{4,})-(\d{1,2})-(\d{1,2})")
_NUMERIC = re.compile(r"(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4,})")
_NAMED = re.compile(r"(\d{1,2})(?:st|nd|rd|th)?\s+([a-z]+)\.?,?\s+(\d{4,})")
_MONTH_ONLY = re.compile(r"([a-z]+)\.?\s+(\d{4,})")

# What a council plan can mean: wide enough for any real target or "never"
# written as 31/12/2199, narrow enough that every sum the rules make fits in a date.
FIRST_DATE = date(1900, 1, 1)
LAST_DATE = date(2199, 12, 31)
RANGE_TEXT = "01/01/1900–31/12/2199"
MAX_LAG_DAYS = 3650  # ten years either way


class DateError(ValueError):
    """A text that is not a real date in a form we accept."""


def out_of_range_message(shown: str) -> str:
    """'31/12/9999 is outside the dates this plan accepts (01/01/1900–31/12/2199)'."""
    return f"{shown} is outside the dates this plan accepts ({RANGE_TEXT})"


def in_range(value: date) -> bool:
    return FIRST_DATE <= value <= LAST_DATE


def lag_in_range(days: int) -> bool:
    return -MAX_LAG_DAYS <= days <= MAX_LAG_DAYS


def lag_message(days: int | str) -> str:
    if isinstance(days, int) and abs(days) >= 10**9:
        days = "more than 999,999,999"  # the readers cap longer digit strings at 10**9: never show that number
    return f"a lag of {days} days is outside what this plan accepts (at most {MAX_LAG_DAYS:,} days either way)"


_MAX_ORDINAL = date.max.toordinal()


def shift(value: date, days: int) -> date:
    """value + days, clamped to the calendar's first and last day instead of overflowing."""
    ordinal = value.toordinal() + days
    return date.fromordinal(min(max(ordinal, 1), _MAX_ORDINAL))


def clamp_to_range(value: date) -> date:
    """value brought within FIRST_DATE..LAST_DATE (for spans drawn over stored values)."""
    return min(max(value, FIRST_DATE), LAST_DATE)


def _year(text: str, whole: str) -> int:
    """The year of a date text; years outside the range are refused here (before date() can fail)."""
    year = int(text) if len(text) <= 6 else 10**6  # a 30-digit year is just "too late"
    if not FIRST_DATE.year <= year <= LAST_DATE.year:
        raise DateError(out_of_range_message(f"'{whole}'"))
    return year


def _make(year: int, month: int, day: int, text: str) -> date:
    if not 1 <= month <= 12:
        hint = " (dates are day first: DD/MM/YYYY)" if 1 <= day <= 12 else ""
        raise DateError(f"'{text}' is not a real date: there is no month {month}{hint}")
    last = calendar.monthrange(year, month)[1]
    if not 1 <= day <= last:
        raise DateError(f"'{text}' is not a real date: {calendar.month_name[month]} {year} has {last} days")
    return date(year, month, day)


def parse_date(text: str) -> date:
    """Parse a date typed by an officer; raise DateError naming what is wrong."""
    cleaned = " ".join(text.strip().split()).lower()
    if not cleaned:
        raise DateError("no date given")
    whole = text.strip()
    if match := _ISO.fullmatch(cleaned):
        year_text, month_text, day_text = match.groups()
        return _make(_year(year_text, whole), int(month_text), int(day_text), whole)
    if match := _NUMERIC.fullmatch(cleaned):
        day_text, month_text, year_text = match.groups()
        return _make(_year(year_text, whole), int(month_text), int(day_text), whole)
    if match := _NAMED.fullmatch(cleaned):
        day_text, month_name, year_text = match.groups()
        if month_name not in MONTHS:
            raise DateError(f"'{whole}' is not a date: unknown month '{month_name}'")
        return _make(_year(year_text, whole), MONTHS[month_name], int(day_text), whole)
    if match := _MONTH_ONLY.fullmatch(cleaned):
        month_name, year_text = match.groups()
        if month_name not in MONTHS:
            raise DateError(f"'{whole}' is not a date: unknown month '{month_name}'")
        return month_end(date(_year(year_text, whole), MONTHS[month_name], 1))
    raise DateError(f"'{text.strip()}' is not a date (use 31/05/2004, 31 May 2004, May 2004 or 2004-05-31)")


def parse_optional_date(text: str | None) -> date | None:
    """Like parse_date, but an empty text means no date."""
    if text is None or not text.strip():
        return None
    return parse_date(text)


def british(value: date | None, empty: str = "") -> str:
    """31/05/2004."""
    # An f-string, not strftime: the rules word thousands of reasons per pass.
    return f"{value.day:02d}/{value.month:02d}/{value.year:04d}" if value else empty


def long_british(value: date | None, empty: str = "") -> str:
    """12 January 2004 (no leading zero)."""
    return f"{value.day} {calendar.month_name[value.month]} {value.year}" if value else empty


def ordinal_british(value: date) -> str:
    """22nd January 2004, as the seed's front page prints meeting dates."""
    day = value.day
    suffix = "th" if 11 <= day % 100 <= 13 else {1: "st", 2: "nd", 3: "rd"}.get(day % 10, "th")
    return f"{day}{suffix} {calendar.month_name[value.month]} {value.year}"


def iso(value: date | None) -> str | None:
    """2004-05-31, or None."""
    return value.isoformat() if value else None


def month_end(value: date) -> date:
    """The last day of value's month (relativedelta clamps day=31 to the month's length)."""
    return value + relativedelta(day=31)


def financial_year_end(value: date) -> date:
    """31 March closing the financial year (April-March) that contains value."""
    return value + relativedelta(months=+9, day=1) + relativedelta(month=3, day=31)


def month_ends(first: date, last: date) -> list[date]:
    """Every month end from first's month to last's month (chart points)."""
    points, current = [], month_end(first)
    while current <= month_end(last):
        points.append(current)
        current = month_end(current + relativedelta(months=+1, day=1))
    return points
