"""Age of the applicant, counted by month as the Party counts it (domain §2 step 8)."""

import calendar
from datetime import date

from ._checks import flag, non_negative
from .dates import DateLike, add_months, as_date

# [C] full 18 years counted by month = 18 * 12 months; upper bound ≤ 60 years.
MIN_AGE_MONTHS = 216
MAX_AGE_YEARS = 60


def age_in_months(date_of_birth: DateLike, on: DateLike, *, day_counts: bool = False) -> int:
    """Months between the birth month and the month of `on`.

    [C] counts by month only (year*12 + month). Whether the day of the month counts is [U],
    so `day_counts=True` takes a month off while `on.day` has not reached the birth day.
    """
    born = as_date(date_of_birth, name="date_of_birth")
    today = as_date(on, name="on")
    if today < born:
        raise ValueError("on must not be before date_of_birth")
    months = (today.year * 12 + today.month) - (born.year * 12 + born.month)
    if flag(day_counts, "day_counts") and today.day < born.day:
        months -= 1
    return months


def is_of_age(
    date_of_birth: DateLike,
    on: DateLike,
    *,
    min_months: int = MIN_AGE_MONTHS,
    max_years: int = MAX_AGE_YEARS,
    day_counts: bool = False,
) -> bool:
    """At least `min_months` old and not older than `max_years` full years on `on`.

    "≤ 60" [C] is read as "has not reached 61": someone 60 years and 11 months old is still
    60 in full years, so the upper bound is age_in_months < (max_years + 1) * 12.
    """
    min_months = non_negative(min_months, "min_months")
    max_years = non_negative(max_years, "max_years")
    months = age_in_months(date_of_birth, on, day_counts=day_counts)
    return min_months <= months < (max_years + 1) * 12


def month_of_majority(
    date_of_birth: DateLike, *, min_months: int = MIN_AGE_MONTHS, day_counts: bool = False
) -> date:
    """The first date on which the student is `min_months` old; the process timer wakes the case then.

    Counting by month (default) that is the 1st of the month of the 18th birthday. With
    `day_counts=True` it is the birthday itself, or the 1st of the next month when that month
    is too short (born 29 Feb: 1 March), matching `age_in_months(..., day_counts=True)`.
    """
    born = as_date(date_of_birth, name="date_of_birth")
    month_start = add_months(born.replace(day=1), non_negative(min_months, "min_months"))
    if not flag(day_counts, "day_counts"):
        return month_start
    if born.day <= calendar.monthrange(month_start.year, month_start.month)[1]:
        return month_start.replace(day=born.day)
    return add_months(month_start, 1)
