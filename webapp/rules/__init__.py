"""Domain rules of the admission procedure as pure functions (see docs/domain.md).

Only the standard library and `holidays` are used, so BPMN scripts can call these names as
allow-listed helpers and tests need no application. Dates may be given as `date`, `datetime`
or ISO 'YYYY-MM-DD' strings; bad input raises ValueError.
"""

from .age import age_in_months, is_of_age, month_of_majority
from .course import course_grade, course_passes
from .dates import add_months, as_date
from .deadlines import decision_deadline
from .introducers import introducer_qualified
from .rulesets import RULE_SETS, RuleSet, rule_set_for, rule_value
from .validity import certificate_valid, document_fresh
from .votes import (
    MIN_CELL_MEMBERS,
    counted_members,
    tally_problems,
    threshold,
    two_thirds_threshold,
    vote_passes,
)
from .workdays import add_working_days, is_working_day, working_days_between

__all__ = [
    "MIN_CELL_MEMBERS",
    "RULE_SETS",
    "RuleSet",
    "add_months",
    "add_working_days",
    "age_in_months",
    "as_date",
    "certificate_valid",
    "counted_members",
    "course_grade",
    "course_passes",
    "decision_deadline",
    "document_fresh",
    "introducer_qualified",
    "is_of_age",
    "is_working_day",
    "month_of_majority",
    "rule_set_for",
    "rule_value",
    "tally_problems",
    "threshold",
    "two_thirds_threshold",
    "vote_passes",
    "working_days_between",
]
