"""Dates as a UK council writes them: day first, never guessed."""

from __future__ import annotations

from datetime import date

import pytest

from egov_planner.model.dates import DateError, british, financial_year_end, long_british, ordinal_british, parse_date


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2004-05-31", date(2004, 5, 31)),
        ("31/05/2004", date(2004, 5, 31)),
        ("1/5/2004", date(2004, 5, 1)),
        ("31-05-2004", date(2004, 5, 31)),
        ("31.05.2004", date(2004, 5, 31)),
        ("31 May 2004", date(2004, 5, 31)),
        ("  31   may  2004 ", date(2004, 5, 31)),
        ("22nd January 2004", date(2004, 1, 22)),
        ("3 Sept 2004", date(2004, 9, 3)),
        ("May 2004", date(2004, 5, 31)),
        ("February 2004", date(2004, 2, 29)),
        ("Feb 2005", date(2005, 2, 28)),
        ("29/02/2004", date(2004, 2, 29)),
    ],
)
def test_accepted_forms(text, expected):
    assert parse_date(text) == expected


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("31/02/2004", "February 2004 has 29 days"),
        ("29/02/2005", "February 2005 has 28 days"),
        ("05/31/2004", "there is no month 31"),
        ("12/13/2004", "there is no month 13 (dates are day first"),
        ("31 Mai 2004", "unknown month 'mai'"),
        ("next Tuesday", "is not a date"),
        ("31/05/04", "is not a date"),
        ("", "no date given"),
    ],
)
def test_refused_forms_say_why(text, words):
    with pytest.raises(DateError) as refused:
        parse_date(text)
    assert words in str(refused.value)


def test_printing():
    assert british(date(2004, 1, 2)) == "02/01/2004"
    assert long_british(date(2004, 1, 2)) == "2 January 2004"
    assert ordinal_british(date(2004, 1, 22)) == "22nd January 2004"
    assert ordinal_british(date(2004, 2, 2)) == "2nd February 2004"
    assert ordinal_british(date(2004, 2, 11)) == "11th February 2004"
    assert financial_year_end(date(2004, 3, 31)) == date(2004, 3, 31)
    assert financial_year_end(date(2004, 4, 1)) == date(2005, 3, 31)
