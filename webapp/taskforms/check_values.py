"""What the named checks read: counts and numbers from the form's values, a number of the case's rule set,
a name as words."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Mapping
from typing import Any

from webapp.rules import rule_value

FORM = "_form"

Problem = tuple[str, str]
Check = Callable[[dict, Mapping, dict, str], list[Problem]]


def count_value(values: Mapping, key: str | None) -> int | None:
    value = values.get(key) if key else None
    if isinstance(value, bool) or not isinstance(value, int):
        return None
    return value


def number_value(values: Mapping, key: str | None) -> float | None:
    value = values.get(key) if key else None
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    return value


def from_rule_set(context: Mapping, name: str, given: Any, fallback: Any) -> Any:
    """A number the form names itself, else the value of the case's rule set (context `rule_set`),
    else `fallback` (a form checked outside a case, e.g. a preview)."""
    if given is not None:
        return given
    rule_set = context.get("rule_set")
    try:
        return rule_value(rule_set, name) if isinstance(rule_set, str) else fallback
    except ValueError:
        return fallback


def name_tokens(name: object) -> list[str]:
    if not isinstance(name, str):
        return []
    return re.findall(r"\w+", unicodedata.normalize("NFC", name).casefold())
