"""Input checks shared by the rule modules.

Workflow data arrives from forms and JSON, so a wrong type must fail loudly with a
ValueError naming the parameter. Values themselves are never echoed: they may be
personal data, and nothing personal may reach a log (domain §5).
Wrong types raise ValueError too, not TypeError (TRY004): the rules' contract is that any bad
input raises ValueError, so callers catch a single exception.
"""

import math
from numbers import Real


def whole_number(value: object, name: str) -> int:
    """An int, or a float with no fractional part (JSON numbers may arrive as 9.0)."""
    if isinstance(value, bool):  # bool is an int subclass; True is not a count
        raise ValueError(f"{name} must be a whole number, not a bool")
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    raise ValueError(f"{name} must be a whole number (got {type(value).__name__})")


def non_negative(value: object, name: str) -> int:
    number = whole_number(value, name)
    if number < 0:
        raise ValueError(f"{name} must not be negative")
    return number


def positive(value: object, name: str) -> int:
    number = whole_number(value, name)
    if number <= 0:
        raise ValueError(f"{name} must be greater than zero")
    return number


def flag(value: object, name: str) -> bool:
    """A real bool: the string 'false' is truthy, so it must not slip through."""
    if not isinstance(value, bool):
        raise ValueError(f"{name} must be True or False (got {type(value).__name__})")
    return value


def real_in_range(value: object, name: str, low: float, high: float) -> float:
    if isinstance(value, bool) or not isinstance(value, Real) or math.isnan(value):
        raise ValueError(f"{name} must be a number (got {type(value).__name__})")
    if not low <= value <= high:
        raise ValueError(f"{name} must be between {low:g} and {high:g}")
    return value
