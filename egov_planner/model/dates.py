"""Dates the way a UK council writes them: day first, never guessed.

Accepted: ISO (2004-05-31), day-first numeric (31/05/2004, 31-05-2004, 31.05.2004),
day and month name (31 May 2004, 22nd January 2004) and month only
(May 2004 -> 31/05/2004). Anything that is not a real date raises DateError.
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

_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_NUMERIC = re.compile(r"(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})")
_NAMED = re.compile(r"(\d{1,2})(?:st|nd|rd|th)?\s+([a-z]+)\.?,?\s+(\d{4})")
_MONTH_ONLY = re.compile(r"([a-z]+)\.?\s+(\d{4})")


class DateError(ValueError):
    """A text that is not a real date in a form we accept."""


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
    if match := _ISO.fullmatch(cleaned):
        year, month, day = (int(g) for g in match.groups())
        return _make(year, month, day, text.strip())
    if match := _NUMERIC.fullmatch(cleaned):
        day, month, year = (int(g) for g in match.groups())
        return _make(year, month, day, text.strip())
    if match := _NAMED.fullmatch(cleaned):
        day_text, month_name, year_text = match.groups()
        if month_name not in MONTHS:
            raise DateError(f"'{text.strip()}' is not a date: unknown month '{month_name}'")
        return _make(int(year_text), MONTHS[month_name], int(day_text), text.strip())
    if match := _MONTH_ONLY.fullmatch(cleaned):
        month_name, year_text = match.groups()
        if month_name not in MONTHS:
            raise DateError(f"'{text.strip()}' is not a date: unknown month '{month_name}'")
        return month_end(date(int(year_text), MONTHS[month_name], 1))
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
