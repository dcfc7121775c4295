"""Deadlines that depend on the rule set an instance follows."""

from datetime import date

from ._checks import flag
from .dates import DateLike
from .rulesets import _rule_set
from .workdays import add_working_days


def decision_deadline(resolution_date: DateLike, *, extended: bool = False, rule_set: str = "2025") -> date:
    """[C] the deciding body decides within 60 working days of the cell resolution, extendable once by 30."""
    rules = _rule_set(rule_set)
    days = rules.decision_working_days
    if flag(extended, "extended"):
        days += rules.decision_extension_working_days
    return add_working_days(resolution_date, days)
