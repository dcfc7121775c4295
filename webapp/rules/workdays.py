"""Working days in Vietnam: Monday–Friday minus public holidays (domain §2, "Working days").

Deadlines such as "60 working days" [C] are counted with these functions. Holidays come from
the `holidays` package (country 'VN'), which knows Tết, Hùng Kings, 30/4, 1/5, 2/9 and the
substituted days off; it is offline data, so the on-premise rule (domain §5) holds.
A weekend made a working day to pay for a substituted day off (e.g. Sat 26/4/2025) still
counts as weekend here, as the domain defines working days as Monday–Friday; this can only
make a deadline later, never earlier.
"""

from datetime import date, timedelta
from functools import cache

import holidays

from ._checks import non_negative
from .dates import DateLike, as_date

_SATURDAY = 5
_ONE_DAY = timedelta(days=1)
# Outside these years the package has no Vietnamese calendar and would silently return none.
_FIRST_YEAR = getattr(holidays.VN, "start_year", 1901)
_LAST_YEAR = getattr(holidays.VN, "end_year", 2100)


@cache  # bounded: one entry per supported year at most
def _public_holidays(year: int) -> frozenset[date]:
    if not _FIRST_YEAR <= year <= _LAST_YEAR:
        raise ValueError(f"working days are only known for the years {_FIRST_YEAR}..{_LAST_YEAR}")
    return frozenset(holidays.country_holidays("VN", years=year))


def _is_working(day: date) -> bool:
    return day.weekday() < _SATURDAY and day not in _public_holidays(day.year)


def is_working_day(day: DateLike) -> bool:
    return _is_working(as_date(day, name="day"))


def add_working_days(start: DateLike, days: int) -> date:
    """The day that ends `days` working days after `start`; `start` itself is not counted."""
    day = as_date(start, name="start")
    remaining = non_negative(days, "days")
    while remaining:
        day += _ONE_DAY
        if _is_working(day):
            remaining -= 1
    return day


def working_days_between(start: DateLike, end: DateLike) -> int:
    """Number of working days d with start < d <= end (0 when end <= start)."""
    day = as_date(start, name="start")
    last = as_date(end, name="end")
    count = 0
    while day < last:
        day += _ONE_DAY
        count += _is_working(day)
    return count
