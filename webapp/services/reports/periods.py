"""The periods a report covers, and the same period of the previous year (domain.md §4).

A period is read from the page's address (`period_from_args`); anything that does not make a
period (an unknown kind, month 13, a range ending before it starts, a range longer than five years)
is a `BadPeriod` with a code the page words, and the report is not drawn.
"""
from calendar import monthrange
from dataclasses import dataclass
from datetime import date

KINDS = ("month", "quarter", "half", "nine_months", "year", "school_year", "range")
#: How many parts of a year each kind has (the `number` in the address).
PARTS = {"month": 12, "quarter": 4, "half": 2}
FIRST_YEAR, LAST_YEAR = 2000, 2100
MAX_RANGE_DAYS = 5 * 366


class BadPeriod(ValueError):
    """The address does not name a period; `code` says why (the page words it)."""

    def __init__(self, code):
        super().__init__(code)
        self.code = code


def _shift_year(day, years):
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February in a year without one
        return day.replace(year=day.year + years, day=28)


@dataclass(frozen=True)
class Period:
    kind: str
    start: date  # first day, included
    end: date  # last day, included
    year: int | None = None
    number: int | None = None

    def previous_year(self):
        """The same period one year earlier (a school year: the school year before)."""
        if self.kind == "range":
            return Period("range", _shift_year(self.start, -1), _shift_year(self.end, -1))
        return make_period(self.kind, self.year - 1, self.number)

    def args(self):
        """The period as address arguments (links keep the period the reader chose)."""
        if self.kind == "range":
            return {"period": "range", "from": self.start.isoformat(), "to": self.end.isoformat()}
        found = {"period": self.kind, "year": self.year}
        if self.number is not None:
            found["n"] = self.number
        return found

    @property
    def short_label(self):
        """The period in figures only (any language): 2025, 2025–2026, 3/2025, 01/01/2025–31/03/2025."""
        if self.kind == "range":
            return f"{self.start:%d/%m/%Y}–{self.end:%d/%m/%Y}"
        if self.kind == "school_year":
            return f"{self.year}–{self.year + 1}"
        if self.number is not None:
            return f"{self.number}/{self.year}"
        return str(self.year)

    @property
    def days(self):
        return (self.end - self.start).days + 1


def make_period(kind, year, number=None):
    if kind not in KINDS or kind == "range":
        raise BadPeriod("unknown_period")
    if year is None or not FIRST_YEAR <= year <= LAST_YEAR:
        raise BadPeriod("bad_year")
    if kind in PARTS:
        if number is None or not 1 <= number <= PARTS[kind]:
            raise BadPeriod("bad_part")
        months = 12 // PARTS[kind]
        first_month = (number - 1) * months + 1
        last_month = first_month + months - 1
        return Period(kind, date(year, first_month, 1), date(year, last_month, monthrange(year, last_month)[1]),
                      year, number)
    if kind == "nine_months":
        return Period(kind, date(year, 1, 1), date(year, 9, 30), year)
    if kind == "school_year":  # school year 2024 = September 2024 to August 2025
        return Period(kind, date(year, 9, 1), date(year + 1, 8, 31), year)
    return Period(kind, date(year, 1, 1), date(year, 12, 31), year)


def date_range(start, end):
    if start is None or end is None:
        raise BadPeriod("bad_dates")
    if end < start:
        raise BadPeriod("range_reversed")
    if (end - start).days > MAX_RANGE_DAYS or start.year < FIRST_YEAR or end.year > LAST_YEAR:
        raise BadPeriod("range_too_long")
    return Period("range", start, end)


def _int(text):
    try:
        return int(text) if text not in (None, "") and len(text) <= 6 else None
    except ValueError:
        return None


def _date(text):
    try:
        return date.fromisoformat(text) if text and len(text) <= 10 else None
    except ValueError:
        return None


def period_from_args(args, today):
    """The period the address names; with no `period` argument, the current year."""
    kind = args.get("period") or "year"
    if kind == "range":
        return date_range(_date(args.get("from")), _date(args.get("to")))
    year = _int(args.get("year")) if args.get("year") else today.year
    number = _int(args.get("n"))
    if kind in PARTS and args.get("n") in (None, ""):
        number = (today.month - 1) // (12 // PARTS[kind]) + 1
    return make_period(kind, year, number)


def year_start(period):
    """The first day of the calendar year the period starts in (members "at the start of the year")."""
    return date(period.start.year, 1, 1)

