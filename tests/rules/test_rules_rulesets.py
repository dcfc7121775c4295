import ast
import dataclasses
import inspect
import sys
from datetime import date
from pathlib import Path

import pytest

from webapp import rules
from webapp.rules import RULE_SETS, RuleSet, decision_deadline, rule_set_for, rule_value

PUBLIC_API = {
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
}


def test_public_api_is_exactly_the_contract():
    assert set(rules.__all__) == PUBLIC_API
    assert all(hasattr(rules, name) for name in rules.__all__)


def test_rules_import_only_the_standard_library_and_holidays():
    allowed = set(sys.stdlib_module_names) | {"holidays"}
    for path in Path(rules.__file__).parent.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0:
                names = [node.module]
            else:
                continue
            for name in names:
                assert name.split(".")[0] in allowed, f"{path.name} imports {name}"


def test_both_rule_sets_are_held():
    assert set(RULE_SETS) == {"2021", "2025"}
    assert RULE_SETS["2021"].label == "Quy định 24-QĐ/TW (2021)"
    assert RULE_SETS["2025"].label == "Quy định 294-QĐ/TW (2025)"
    assert all(key == rule_set.key for key, rule_set in RULE_SETS.items())


@pytest.mark.parametrize(
    ("day", "key"),
    [("2021-07-30", "2021"), ("2025-06-30", "2021"), ("2025-07-01", "2025"), (date(2030, 1, 1), "2025")],
)
def test_rule_set_for_picks_the_set_in_force(day, key):
    assert rule_set_for(day).key == key


def test_no_rule_set_before_2021_rules():
    with pytest.raises(ValueError, match="2021-07-30"):
        rule_set_for("2021-07-29")


def test_rule_value_reads_one_field():
    assert rule_value("2025", "decision_working_days") == 60
    assert rule_value("2021", "decision_extension_working_days") == 30
    assert rule_value("2025", "course_min_class_size") == 25
    assert rule_value("2021", "course_min_class_size") is None
    assert rule_value("2025", "cell_vote_fraction") == (2, 3)


def test_rule_value_rejects_unknown_names_listing_the_allowed():
    with pytest.raises(ValueError, match="2021, 2025"):
        rule_value("2019", "decision_working_days")
    with pytest.raises(ValueError, match="decision_working_days"):
        rule_value("2025", "no_such_rule")


def test_rule_sets_are_frozen():
    with pytest.raises(dataclasses.FrozenInstanceError):
        RULE_SETS["2025"].decision_working_days = 10


def test_unconfirmed_values_are_marked():
    for rule_set in RULE_SETS.values():
        assert {"age_day_counts", "standing_committee_fraction", "verification_working_days"} <= (
            rule_set.unconfirmed
        )
    with pytest.raises(ValueError):
        RuleSet(key="x", label="x", in_force_from=date(2030, 1, 1), in_force_to=None, unconfirmed={"nope"})


@pytest.mark.parametrize(
    ("function", "parameter", "field"),
    [
        (rules.is_of_age, "min_months", "min_age_months"),
        (rules.is_of_age, "max_years", "max_age_years"),
        (rules.is_of_age, "day_counts", "age_day_counts"),
        (rules.certificate_valid, "months", "certificate_valid_months"),
        (rules.document_fresh, "months", "document_valid_months"),
        (rules.introducer_qualified, "min_months", "introducer_min_months"),
        (rules.course_passes, "min_attendance", "course_min_attendance_percent"),
        (rules.course_passes, "pass_score", "course_pass_score"),
    ],
)
def test_function_defaults_match_the_2025_rule_set(function, parameter, field):
    assert inspect.signature(function).parameters[parameter].default == rule_value("2025", field)


def test_min_cell_members_matches_rule_sets():
    assert all(rule_set.min_cell_members == rules.MIN_CELL_MEMBERS for rule_set in RULE_SETS.values())


def test_decision_deadline_is_sixty_working_days_plus_thirty_when_extended():
    # 2025-07-01 Tue: 22 working days left in July, 21 in August, then Sep 1–2 are National Day.
    assert decision_deadline("2025-07-01") == date(2025, 9, 25)
    assert decision_deadline("2025-07-01", extended=True) == date(2025, 11, 6)
    assert decision_deadline("2024-03-01", rule_set="2021") == rules.add_working_days("2024-03-01", 60)


@pytest.mark.parametrize("kwargs", [{"rule_set": "1999"}, {"extended": "yes"}])
def test_decision_deadline_rejects_bad_options(kwargs):
    with pytest.raises(ValueError):
        decision_deadline("2025-07-01", **kwargs)
