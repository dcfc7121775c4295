"""Values across the pipe to and from a sandbox worker: JSON, never pickle.

A worker runs untrusted code; unpickling what it sends would hand that code the server. JSON
carries only data. Task data is what SpiffWorkflow's serializer can store: JSON values plus
datetime and timedelta (its registry knows those two); an expression's result may also be a
date (the rules' helpers return dates). Those travel as small tagged objects.
"""
import json
from datetime import date, datetime, timedelta

TAG = "__ketnap_value__"

#: Beyond JSON, what may stay in task data (SpiffWorkflow's serializer stores these).
STORABLE_EXTRA = (datetime, timedelta)


class UnstorableValue(ValueError):
    """A value that cannot cross the pipe or be kept in the case's data."""

    def __init__(self, name, value):
        self.name = name
        self.type_name = type(value).__name__
        super().__init__(f"'{name}' holds a {self.type_name}, which cannot be kept in the case's data "
                         "(only text, numbers, true/false, lists and dictionaries of them, datetime and timedelta)")


def _tagged(value):
    if isinstance(value, datetime):
        return {TAG: "datetime", "value": value.isoformat()}
    if isinstance(value, date):
        return {TAG: "date", "value": value.isoformat()}
    if isinstance(value, timedelta):
        return {TAG: "timedelta", "days": value.days, "seconds": value.seconds, "microseconds": value.microseconds}
    raise TypeError(type(value).__name__)


def _untagged(obj):
    kind = obj.get(TAG)
    if kind is None:
        return obj
    if kind == "datetime":
        return datetime.fromisoformat(obj["value"])
    if kind == "date":
        return date.fromisoformat(obj["value"])
    if kind == "timedelta":
        return timedelta(days=obj["days"], seconds=obj["seconds"], microseconds=obj["microseconds"])
    raise ValueError(f"unknown tagged value {kind!r}")


def dumps(message):
    """One line of JSON (no raw newline can appear in it); TypeError/ValueError if it cannot be."""
    return json.dumps(message, default=_tagged, allow_nan=False, separators=(",", ":")).encode() + b"\n"


def loads(line):
    return json.loads(line, object_hook=_untagged)


class TooManyItems(ValueError):
    """A list or dictionary longer than a case may hold: a multi-instance over it would create one
    task per item in the server before any cap on tasks could look."""

    def __init__(self, name, size, limit):
        self.name, self.size, self.limit = name, size, limit
        super().__init__(f"'{name}' holds {size} items; at most {limit} are allowed")


class _Oversized(Exception):
    def __init__(self, size):
        self.size = size


def _storable(value, max_items, depth=0):
    if value is None or type(value) in (str, int, float, bool) or isinstance(value, STORABLE_EXTRA):
        return True
    if depth > 50:
        return False
    if type(value) in (list, tuple, dict) and len(value) > max_items:
        raise _Oversized(len(value))
    if type(value) in (list, tuple):
        return all(_storable(item, max_items, depth + 1) for item in value)
    if type(value) is dict:
        return all(type(key) is str and _storable(item, max_items, depth + 1) for key, item in value.items())
    return False


def check_storable(variables, max_items):
    """Raise UnstorableValue (or TooManyItems) naming the first variable the case's data could not keep."""
    for name, value in variables.items():
        try:
            storable = _storable(value, max_items)
        except _Oversized as oversized:
            raise TooManyItems(name, oversized.size, max_items) from None
        if not storable:
            raise UnstorableValue(name, value)
