"""Working days checked against real Vietnamese calendars as `holidays` 0.108 gives them:
Tết 2026 = Mon 16 – Fri 20 Feb; 2026: Hùng Kings observed Mon 27 Apr, 30/4 Thu, 1/5 Fri,
Mon 31 Aug substituted day off, 1–2 Sep; 2025: 30/4 Wed, 1/5 Thu, 2/5 Fri substituted, 1–2 Sep.
"""

from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from webapp.rules import add_working_days, is_working_day, working_days_between

FAST = settings(max_examples=80, deadline=None)


@pytest.mark.parametrize(
    "day",
    [
        "2026-02-16",
        "2026-02-17",
        "2026-02-18",
        "2026-02-19",
        "2026-02-20",
        "2026-04-27",
        "2026-04-30",
        "2026-05-01",
        "2026-08-31",
        "2026-09-01",
        "2026-09-02",
        "2025-05-02",
        "2025-09-01",
        "2025-09-02",
        "2026-03-07",
        "2026-03-08",
    ],
)
def test_holidays_and_weekends_are_not_working_days(day):
    assert not is_working_day(day)


@pytest.mark.parametrize("day", ["2026-02-13", "2026-02-23", "2026-04-28", "2026-09-03", "2026-03-09"])
def test_ordinary_weekdays_are_working_days(day):
    assert is_working_day(day)


@pytest.mark.parametrize(
    ("start", "days", "expected"),
    [
        ("2026-02-13", 1, date(2026, 2, 23)),  # over Tết 2026
        ("2025-01-24", 1, date(2025, 2, 3)),  # over Tết 2025 (27 Jan – 1 Feb)
        ("2026-04-24", 1, date(2026, 4, 28)),  # over Hùng Kings observed
        ("2026-04-24", 3, date(2026, 5, 4)),  # over 30/4 – 1/5
        ("2025-04-29", 1, date(2025, 5, 5)),  # over 30/4, 1/5 and the substituted 2/5
        ("2026-08-28", 1, date(2026, 9, 3)),  # over 31/8 – 2/9
        ("2025-08-29", 1, date(2025, 9, 3)),  # over 1–2/9
        ("2026-03-06", 1, date(2026, 3, 9)),  # Friday to Monday
        ("2026-03-07", 1, date(2026, 3, 9)),  # from a Saturday
        ("2026-03-02", 5, date(2026, 3, 9)),  # a full week
        ("2026-03-07", 0, date(2026, 3, 7)),  # zero days: the start itself
    ],
)
def test_add_working_days_skips_weekends_and_holidays(start, days, expected):
    assert add_working_days(start, days) == expected


def test_working_days_between_counts_after_start_up_to_end():
    assert working_days_between("2026-02-13", "2026-02-23") == 1
    assert working_days_between("2026-04-24", "2026-05-04") == 3
    assert working_days_between("2026-03-02", "2026-03-02") == 0
    assert working_days_between("2026-03-09", "2026-03-02") == 0


@pytest.mark.parametrize("days", [-1, None, 1.5])
def test_add_working_days_rejects_bad_counts(days):
    with pytest.raises(ValueError):
        add_working_days("2026-03-02", days)


def test_years_without_a_holiday_calendar_raise():
    with pytest.raises(ValueError, match="years"):
        is_working_day("2150-01-02")


starts = st.dates(min_value=date(2000, 1, 1), max_value=date(2095, 12, 31))
spans = st.integers(min_value=0, max_value=200)


@FAST
@given(start=starts, n=spans)
def test_working_days_between_inverts_add_working_days(start, n):
    assert working_days_between(start, add_working_days(start, n)) == n


@FAST
@given(start=starts, n=st.integers(min_value=1, max_value=200))
def test_add_working_days_lands_on_a_working_day(start, n):
    assert is_working_day(add_working_days(start, n))


@FAST
@given(start=starts, first=spans, second=spans)
def test_working_days_between_is_additive(start, first, second):
    middle = start + timedelta(days=first)
    end = middle + timedelta(days=second)
    assert working_days_between(start, middle) + working_days_between(middle, end) == working_days_between(
        start, end
    )
