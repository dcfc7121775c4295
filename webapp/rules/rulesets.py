"""The two rule sets the product holds, as data (domain: "Rule sets").

Each process instance records the key of the rule set it follows and reads its numbers with
`rule_value(rule_set, name)`, so a value changed by a new regulation is changed here only.
Values tagged [U] are not confirmed by any source; they are listed in `unconfirmed` so the UI
can say so.
"""

from collections.abc import Mapping
from dataclasses import dataclass, fields
from datetime import date
from types import MappingProxyType

from .dates import DateLike, as_date

Fraction = tuple[int, int]


@dataclass(frozen=True, kw_only=True)
class RuleSet:
    key: str
    label: str
    in_force_from: date
    in_force_to: date | None  # last day in force, inclusive; None while still in force
    documents: tuple[str, ...] = ()
    # Age at the cell meeting (§2 step 8)
    min_age_months: int = 216  # [C] full 18 years counted by month
    max_age_years: int = 60  # [C]
    age_day_counts: bool = False  # [U] whether the day of the month counts
    # Dossier (§2 steps 2, 5, 8)
    certificate_valid_months: int = 60  # [S]
    document_valid_months: int = 12  # [S/U]
    verification_working_days: int = 30  # [U] deadline for places to answer
    introducer_min_months: int = 12  # [C]
    # Votes (§2 steps 8–11, 15); fractions are (numerator, denominator)
    min_cell_members: int = 3  # [C]
    cell_vote_fraction: Fraction = (2, 3)  # [C]
    subcommittee_vote_fraction: Fraction = (2, 3)  # [U]
    committee_vote_fraction: Fraction = (2, 3)  # [C]
    standing_committee_fraction: Fraction = (2, 3)  # [U]
    # Deadlines (§2 steps 11–15)
    decision_working_days: int = 60  # [C] from the cell resolution
    decision_extension_working_days: int = 30  # [C] once
    ceremony_working_days: int = 30  # [C] from receiving the decision
    probation_months: int = 12  # [C] from the ceremony
    recognition_working_days: int = 30  # [C] cell vote after probation ends
    recognition_decision_working_days: int = 30  # [C]
    max_recognition_votes: int = 3  # [C] then the upper body decides
    member_record_working_days: int = 30  # [S] the member's personal history and card record after admission
    # Not held (issue 10: a value no step reads is not kept): the recognition decision's one
    # extension of 30 working days [C] — the product has no such step; add the value with the step.
    # Party-awareness course (§2 step 2)
    course_min_attendance_percent: int = 80  # [S] 2025 rules
    course_pass_score: float = 5.0  # [S] 2025 rules
    course_min_class_size: int | None = None
    course_resit_days: int | None = None
    certificate_issue_days: int | None = None
    unconfirmed: frozenset[str] = frozenset()

    def __post_init__(self) -> None:
        unknown = self.unconfirmed - {field.name for field in fields(self)}
        if unknown:
            raise ValueError(f"unconfirmed names unknown fields: {sorted(unknown)}")


_ALWAYS_UNCONFIRMED = frozenset(
    {
        "age_day_counts",
        "document_valid_months",
        "verification_working_days",
        "subcommittee_vote_fraction",
        "standing_committee_fraction",
    }
)

# Read-only, all the way down (frozen dataclasses of tuples and frozensets): diagram scripts are
# handed this mapping, and no script may change the rules of other cases.
RULE_SETS: Mapping[str, RuleSet] = MappingProxyType({
    "2021": RuleSet(
        key="2021",
        label="Quy định 24-QĐ/TW (2021)",
        in_force_from=date(2021, 7, 30),
        in_force_to=date(2025, 6, 30),
        documents=(
            "Điều lệ Đảng 2011",
            "Quy định 24-QĐ/TW (2021)",
            "Hướng dẫn 01-HD/TW (2021)",
            "Hướng dẫn 12-HD/BTCTW (2022)",
        ),
        # The course numbers are sourced for 2025 only [S]; kept for 2021 but not confirmed.
        unconfirmed=_ALWAYS_UNCONFIRMED | {"course_min_attendance_percent", "course_pass_score"},
    ),
    "2025": RuleSet(
        key="2025",
        label="Quy định 294-QĐ/TW (2025)",
        in_force_from=date(2025, 7, 1),
        in_force_to=None,
        documents=(
            "Điều lệ Đảng 2011",
            "Quy định 294-QĐ/TW (26/5/2025)",
            "Hướng dẫn 06-HD/TW (9/6/2025)",
            "Hướng dẫn 38-HD/BTCTW (29/9/2025)",
        ),
        course_min_class_size=25,  # [S]
        course_resit_days=3,  # [S] one resit within 3 days
        certificate_issue_days=15,  # [S] certificate within 15 days of completion
        unconfirmed=_ALWAYS_UNCONFIRMED,
    ),
})

_RULE_NAMES = tuple(field.name for field in fields(RuleSet))


def _rule_set(rule_set_key: str) -> RuleSet:
    rules = RULE_SETS.get(rule_set_key) if isinstance(rule_set_key, str) else None
    if rules is None:
        raise ValueError(f"unknown rule set {rule_set_key!r}; allowed: {', '.join(sorted(RULE_SETS))}")
    return rules


def rule_set_for(day: DateLike) -> RuleSet:
    """The rule set in force on `day`."""
    when = as_date(day, name="day")
    for rules in RULE_SETS.values():
        if rules.in_force_from <= when and (rules.in_force_to is None or when <= rules.in_force_to):
            return rules
    earliest = min(rules.in_force_from for rules in RULE_SETS.values())
    raise ValueError(f"no rule set is held for dates before {earliest.isoformat()}")


def rule_value(rule_set_key: str, name: str) -> object:
    """One value of a rule set, e.g. rule_value('2025', 'decision_working_days') == 60."""
    rules = _rule_set(rule_set_key)
    if name not in _RULE_NAMES:
        raise ValueError(f"unknown rule {name!r}; allowed: {', '.join(_RULE_NAMES)}")
    return getattr(rules, name)
