"""Dates as the workflow holds them, and calendar-month arithmetic."""

import calendar
import re
from datetime import date, datetime

from ._checks import whole_number

DateLike = date | datetime | str

# Workflow data stores dates as ISO strings; accept only the plain date form so a
# stray time or week-date format is caught instead of silently reinterpreted.
_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def as_date(value: DateLike, *, name: str = "date") -> date:
    """Return `value` as a `date`; `name` only labels the error message."""
    if isinstance(value, datetime):  # test first: datetime is a subclass of date
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        text = value.strip()
        if not _ISO_DATE.fullmatch(text):
            raise ValueError(f"{name} must be an ISO date 'YYYY-MM-DD'")
        try:
            return date.fromisoformat(text)
        except ValueError:
            raise ValueError(f"{name} is not a real calendar date") from None
    raise ValueError(
        f"{name} must be a date, a datetime or an ISO string 'YYYY-MM-DD' (got {type(value).__name__})"
    )


def add_months(day: DateLike, months: int) -> date:
    """Move by calendar months, clamping to the month's end (31 Jan + 1 month = 28/29 Feb)."""
    start = as_date(day, name="day")
    month_index = start.year * 12 + (start.month - 1) + whole_number(months, "months")
    year, month_zero_based = divmod(month_index, 12)
    if not 1 <= year <= 9999:
        raise ValueError("add_months went outside the supported years 1..9999")
    month = month_zero_based + 1
    last_day = calendar.monthrange(year, month)[1]
    return date(year, month, min(start.day, last_day))
