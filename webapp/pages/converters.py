"""URL integers the database can hold: `<int:...>` matches only 0 … 2**31 - 1, in ASCII digits.

Werkzeug's stock converter takes any number of digits (and, through `\\d`, non-ASCII ones):
SQLite raised OverflowError binding 99999999999999999999999, PostgreSQL "integer out of range"
for 9999999999, and the request became a 500. The ids in URLs are PostgreSQL `integer` columns
(only audit events are bigint, and no URL names one), so anything above 2**31 - 1 names nothing.

The limit is in the pattern, not a range check after it: werkzeug compares the method before
converting, so a range check would answer a POST to /tasks/<huge> with "405, use GET" where the
pattern makes every method a plain 404 with our error page, before any view or query runs.
"""
import re

from werkzeug.routing import IntegerConverter

LARGEST = 2**31 - 1  # PostgreSQL integer


def at_most(limit):
    """A regular expression for the decimal numbers 0 … limit (leading zeros allowed within its length)."""
    digits = str(limit)
    shorter = [f"[0-9]{{1,{len(digits) - 1}}}"] if len(digits) > 1 else []
    same_length = [f"{digits[:i]}[0-{int(d) - 1}][0-9]{{{len(digits) - i - 1}}}"
                   for i, d in enumerate(digits) if d != "0"]
    return "(?:" + "|".join([*shorter, *same_length, digits]) + ")"


class DatabaseIntConverter(IntegerConverter):
    """`<int:name>` for ids: 0 … 2**31 - 1 (a route's own min/max still apply)."""

    regex = at_most(LARGEST)


_ID = re.compile(at_most(LARGEST))


def url_int(text, default=None):
    """A number from a query string or form field, by the same rule: ASCII digits up to LARGEST, else `default`.

    `str.isdigit()` is not that rule: it accepts "²" (int() then raises) and any length.
    """
    return int(text) if text and _ID.fullmatch(text) else default
