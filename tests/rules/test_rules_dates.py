from datetime import date, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from webapp.rules import add_months, as_date

FAST = settings(max_examples=60, deadline=None)


@pytest.mark.parametrize(
    "value",
    [date(2026, 6, 15), datetime(2026, 6, 15, 23, 59), "2026-06-15", " 2026-06-15 "],
)
def test_as_date_accepts_date_datetime_and_iso_string(value):
    result = as_date(value)
    assert result == date(2026, 6, 15)
    assert type(result) is date


@pytest.mark.parametrize(
    "value",
    [None, "", "15/06/2026", "2026-6-15", "2026-02-30", "2026-06-15T10:00", "20260615", 20260615, 1.5],
)
def test_as_date_rejects_anything_else_with_value_error(value):
    with pytest.raises(ValueError):
        as_date(value)


def test_as_date_error_names_the_parameter_not_the_value():
    with pytest.raises(ValueError, match="date_of_birth") as error:
        as_date("2008-02-30", name="date_of_birth")
    assert "2008-02-30" not in str(error.value)


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        ("2026-01-31", 1, date(2026, 2, 28)),
        ("2028-01-31", 1, date(2028, 2, 29)),
        ("2026-03-31", -1, date(2026, 2, 28)),
        ("2025-11-15", 2, date(2026, 1, 15)),
        ("2026-06-15", 0, date(2026, 6, 15)),
        ("2008-06-15", 216, date(2026, 6, 15)),
        ("2026-01-15", -13, date(2024, 12, 15)),
    ],
)
def test_add_months_moves_by_calendar_months_and_clamps(start, months, expected):
    assert add_months(start, months) == expected


@pytest.mark.parametrize("months", [None, "1", 1.5, True])
def test_add_months_rejects_non_whole_months(months):
    with pytest.raises(ValueError):
        add_months("2026-01-01", months)


some_dates = st.dates(min_value=date(1950, 1, 1), max_value=date(2100, 12, 31))
some_months = st.integers(min_value=-600, max_value=600)


@FAST
@given(day=some_dates.filter(lambda d: d.day <= 28), months=some_months)
def test_add_months_round_trips_when_day_exists_in_every_month(day, months):
    assert add_months(add_months(day, months), -months) == day


@FAST
@given(day=some_dates, months=some_months)
def test_add_months_keeps_the_day_or_clamps_to_month_end(day, months):
    moved = add_months(day, months)
    assert (moved.year * 12 + moved.month) - (day.year * 12 + day.month) == months
    if moved.day != day.day:
        assert moved.day < day.day
        assert (moved + timedelta(days=1)).day == 1  # clamped to the last day of the month
