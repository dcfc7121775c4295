"""The named cross-field rules, through the real form definitions."""

import dataclasses
from functools import cache
from pathlib import Path
from types import MappingProxyType

import pytest

from webapp.rules import add_working_days, rulesets
from webapp.taskforms import CHECKS, FormDefinition, load_definitions_from_dir, validate_submission

FORMS_DIR = Path(__file__).resolve().parents[2] / "forms"


#: The `introducers` rule reads typed facts; the shipped form chooses members from the register
#: instead (services/register_choices.py), so the rule is tested on the earlier, typed form.
TYPED_INTRODUCERS_DIR = Path(__file__).resolve().parents[1] / "data" / "typed_introducers"


@cache
def form(name: str) -> FormDefinition:
    if name == "assign_introducers":
        return load_definitions_from_dir(TYPED_INTRODUCERS_DIR)[name]
    return load_definitions_from_dir(FORMS_DIR)[name]


def check(name, data, context=None, lang="vi"):
    return validate_submission(form(name), data, context, lang=lang)


# ---------------------------------------------------------------- vote_tally

CELL_VOTE = {
    "vote_date": "2026-03-02",
    "official_members": 9,
    "temporarily_attached": 0,
    "exempt_absent": 0,
    "present": 8,
    "agree": 6,
    "disagree": 2,
    "resolution_number": "05-NQ/CB",
    "resolution_date": "2026-03-02",
}


def cell_vote(**changes):
    return {**CELL_VOTE, **changes}


def test_consistent_cell_vote_passes():
    result = check("record_cell_vote", CELL_VOTE)
    assert result.ok, result.errors
    assert result.data == CELL_VOTE


def test_a_vote_below_two_thirds_is_not_a_form_error():
    result = check("record_cell_vote", cell_vote(agree=3, disagree=5))
    assert result.ok  # the process branches on the result


def test_cell_with_two_counted_members_cannot_vote():
    result = check(
        "record_cell_vote", cell_vote(official_members=2, present=2, agree=2, disagree=0), lang="en"
    )
    assert result.errors == {
        "official_members": ["A cell with fewer than 3 counted official members cannot vote (2 counted)."]
    }
    vi = check("record_cell_vote", cell_vote(official_members=2, present=2, agree=2, disagree=0))
    assert "ít hơn 3" in vi.errors["official_members"][0]


def test_members_attached_elsewhere_and_exempt_absent_are_not_counted():
    # 4 official, 1 attached elsewhere, 1 exempt and absent: only 2 count
    result = check(
        "record_cell_vote",
        cell_vote(
            official_members=4, temporarily_attached=1, exempt_absent=1, present=2, agree=2, disagree=0
        ),
        lang="en",
    )
    assert "fewer than 3" in result.errors["official_members"][0]
    result = check(
        "record_cell_vote", cell_vote(official_members=9, temporarily_attached=2, present=8), lang="en"
    )
    assert result.errors == {"present": ["Present (8) is more than the counted members (7)."]}


def test_attached_and_exempt_cannot_exceed_the_members():
    result = check("record_cell_vote", cell_vote(official_members=3, temporarily_attached=2, exempt_absent=2))
    assert list(result.errors) == ["temporarily_attached"]
    assert "(4)" in result.errors["temporarily_attached"][0]


def test_agree_plus_disagree_more_than_present_is_refused():
    result = check("record_cell_vote", cell_vote(present=7, agree=6, disagree=2), lang="en")
    assert result.errors == {"agree": ["Agree plus disagree (6 + 2 = 8) is more than those present (7)."]}
    vi = check("record_cell_vote", cell_vote(present=7, agree=6, disagree=2))
    assert vi.errors["agree"][0].startswith("Số đồng ý và không đồng ý (6 + 2 = 8)")


def test_blank_ballots_are_allowed():
    assert check("record_cell_vote", cell_vote(present=8, agree=6, disagree=1)).ok


def test_committee_vote_has_no_minimum_and_no_exclusions():
    vote = {
        "committee_vote_date": "2026-03-10",
        "committee_members": 2,
        "committee_present": 2,
        "committee_agree": 2,
        "committee_disagree": 0,
        "committee_resolution_number": "12-NQ/ĐU",
        "committee_resolution_date": "2026-03-10",
    }
    assert check("record_committee_vote", vote).ok
    result = check("record_committee_vote", {**vote, "committee_present": 3}, lang="en")
    assert result.errors == {"committee_present": ["Present (3) is more than the counted members (2)."]}
    result = check("record_committee_vote", {**vote, "committee_members": 0})
    assert list(result.errors) == ["committee_members"]  # minimum 1: a field error, the check stays quiet


def test_tally_check_is_quiet_when_an_input_is_invalid():
    result = check("record_cell_vote", cell_vote(present="nhiều", agree=9, disagree=9))
    assert list(result.errors) == ["present"]


# ---------------------------------------------------------------- decision_vote

DECISION = {
    "decision": "admit",
    "decision_members": 9,
    "decision_agree": 6,
    "decision_number": "125-QĐ/ĐU",
    "decision_date": "2026-04-01",
}


def test_six_of_nine_admits():
    result = check("decide_admission", DECISION)
    assert result.ok and result.data == DECISION


def test_five_of_nine_is_refused_saying_six_are_needed():
    result = check("decide_admission", {**DECISION, "decision_agree": 5}, lang="en")
    assert result.errors == {
        "decision_agree": ["Approval needs at least 6 of 9 members in favour (2/3); only 5 agreed."]
    }
    vi = check("decide_admission", {**DECISION, "decision_agree": 5})
    assert "Cần ít nhất 6/9" in vi.errors["decision_agree"][0]


def test_agree_cannot_exceed_members():
    result = check("decide_admission", {**DECISION, "decision_agree": 10}, lang="en")
    assert result.errors == {"decision_agree": ["Agree (10) is more than the members (9)."]}


def test_a_rejection_needs_no_threshold_but_a_reason():
    rejection = {**DECISION, "decision": "reject", "decision_agree": 2}
    result = check("decide_admission", rejection)
    assert list(result.errors) == ["decision_reason"]
    assert "“Quyết định” là “Không kết nạp”" in result.errors["decision_reason"][0]
    assert check("decide_admission", {**rejection, "decision_reason": "Chưa đủ tiêu chuẩn."}).ok


def test_recognition_decision_vote():
    decision = {
        "recognition_decision": "recognise",
        "recognition_members": 7,
        "recognition_agree": 5,
        "recognition_decision_number": "40-QĐ/ĐU",
        "recognition_decision_date": "2027-05-04",
    }
    assert check("decide_recognition", decision).ok
    result = check("decide_recognition", {**decision, "recognition_agree": 4}, lang="en")
    assert "needs at least 5 of 7" in result.errors["recognition_agree"][0]
    removal = {**decision, "recognition_decision": "remove", "recognition_agree": 0}
    assert list(check("decide_recognition", removal).errors) == ["recognition_reason"]


def test_decision_threshold_is_configurable():
    definition = form("decide_admission")
    params = {**definition.checks[0].params, "numerator": 1, "denominator": 2}
    values = {"decision": "admit", "decision_members": 9, "decision_agree": 5}
    assert CHECKS["decision_vote"](values, {}, params, "en") == []
    values["decision_agree"] = 4
    [(target, text)] = CHECKS["decision_vote"](values, {}, params, "en")
    assert target == "decision_agree" and "at least 5 of 9" in text and "(1/2)" in text


# ---------------------------------------------------------------- introducers

INTRODUCERS = {
    "introduction_mode": "two_members",
    "introducer1_name": "Nguyễn Văn An",
    "introducer1_official": True,
    "introducer1_months_together": 14,
    "introducer2_name": "Trần Thị Bình",
    "introducer2_official": True,
    "introducer2_months_together": 12,
}


def test_two_qualified_introducers():
    result = check("assign_introducers", INTRODUCERS)
    assert result.ok, result.errors
    assert result.data["introducer1_replacement"] is False


def test_introducer_with_eight_months_is_refused_unless_replacement():
    result = check("assign_introducers", {**INTRODUCERS, "introducer2_months_together": 8}, lang="en")
    assert result.errors == {
        "introducer2_months_together": [
            "Introducer 2 (Trần Thị Bình) has studied or worked with the applicant for 8 months, fewer than "
            "12 months (only a replacement introducer is exempt)."
        ]
    }
    vi = check("assign_introducers", {**INTRODUCERS, "introducer2_months_together": 8})
    assert vi.errors["introducer2_months_together"][0].startswith("Người giới thiệu thứ hai (Trần Thị Bình)")
    replacement = {**INTRODUCERS, "introducer2_months_together": 8, "introducer2_replacement": True}
    assert check("assign_introducers", replacement).ok


def test_the_introducers_months_come_from_the_cases_rule_set(monkeypatch):

    changed = dataclasses.replace(rulesets.RULE_SETS["2025"], introducer_min_months=15)
    monkeypatch.setattr(rulesets, "RULE_SETS", MappingProxyType({**rulesets.RULE_SETS, "2025": changed}))
    assert check("assign_introducers", INTRODUCERS, {"rule_set": "2021"}).ok
    refused = check("assign_introducers", INTRODUCERS, {"rule_set": "2025"}, lang="en").errors
    assert refused["introducer1_months_together"] == [
        "Introducer 1 (Nguyễn Văn An) has studied or worked with the applicant for 14 months, fewer than "
        "15 months (only a replacement introducer is exempt)."]


def test_probationary_introducer_is_refused_even_as_replacement():
    data = {**INTRODUCERS, "introducer1_official": False, "introducer1_replacement": True}
    result = check("assign_introducers", data, lang="en")
    assert list(result.errors) == ["introducer1_official"]
    assert (
        "Introducer 1 (Nguyễn Văn An) is not an official member" in result.errors["introducer1_official"][0]
    )


def test_both_reasons_are_given():
    data = {**INTRODUCERS, "introducer1_official": False, "introducer1_months_together": 3}
    result = check("assign_introducers", data)
    assert set(result.errors) == {"introducer1_official", "introducer1_months_together"}


def test_youth_union_mode_needs_one_introducer_only():
    data = {
        "introduction_mode": "youth_union_and_member",
        "introducer1_name": "Nguyễn Văn An",
        "introducer1_official": True,
        "introducer1_months_together": 12,
    }
    assert check("assign_introducers", data).ok
    assert check("assign_introducers", data, {"youth_union_member": True}).ok
    result = check("assign_introducers", data, {"youth_union_member": False})
    assert list(result.errors) == ["introduction_mode"]
    # a second introducer, when given, is checked too
    result = check("assign_introducers", {**data, "introducer2_name": "Lê C"})
    assert set(result.errors) == {"introducer2_official", "introducer2_months_together"}


def test_two_members_mode_requires_the_second_introducer():
    data = {k: v for k, v in INTRODUCERS.items() if not k.startswith("introducer2")}
    result = check("assign_introducers", data, lang="en")
    assert set(result.errors) == {"introducer2_name", "introducer2_months_together"}
    assert result.errors["introducer2_name"] == [
        "This field is required when “Introduced by” is “Two official members”."
    ]


def test_the_two_introducers_must_differ():
    result = check("assign_introducers", {**INTRODUCERS, "introducer2_name": "  nguyễn  VĂN an "})
    assert list(result.errors) == ["introducer2_name"]


# ---------------------------------------------------------------- course_certificate

COURSE = {
    "course_attended": True,
    "attendance_percent": 90,
    "essay_score": 7.5,
    "certificate_number": "123/GCN-TTCT",
    "certificate_date": "2026-01-20",
}


def test_passed_course_with_certificate():
    result = check("record_course_result", COURSE)
    assert result.ok and result.data == {**COURSE, "resit_taken": False}


def test_passed_course_without_certificate_is_refused():
    data = {k: v for k, v in COURSE.items() if not k.startswith("certificate")}
    result = check("record_course_result", data, lang="en")
    assert set(result.errors) == {"certificate_number", "certificate_date"}
    assert "the certificate is required" in result.errors["certificate_number"][0]


@pytest.mark.parametrize(
    "changes",
    [{"attendance_percent": 79}, {"essay_score": 4.75}, {"course_attended": False}],
)
def test_failed_course_has_no_certificate(changes):
    result = check("record_course_result", {**COURSE, **changes}, lang="en")
    assert result.errors == {
        "certificate_number": ["No certificate for a failed course (attendance at least 80 %, essay at least 5.0)."],
        "certificate_date": ["No certificate for a failed course (attendance at least 80 %, essay at least 5.0)."],
    }
    data = {k: v for k, v in {**COURSE, **changes}.items() if not k.startswith("certificate")}
    assert check("record_course_result", data).ok


def test_pass_limits_are_inclusive():
    assert check("record_course_result", {**COURSE, "attendance_percent": 80, "essay_score": "5,0"}).ok


# ---------------------------------------------------------------- ceremony_deadline

DECIDED = {"decision_date": "2026-03-02"}


def ceremony(day, consent=None):
    data = {"ceremony_date": day, "probation_helper_member": 1}
    if consent:
        data["upper_consent_number"] = consent
    return data


def test_ceremony_within_thirty_working_days():
    deadline = add_working_days("2026-03-02", 30)
    assert check("hold_ceremony", ceremony(deadline.isoformat()), DECIDED).ok


def test_ceremony_forty_working_days_later_needs_consent():
    late = add_working_days("2026-03-02", 40).isoformat()
    result = check("hold_ceremony", ceremony(late), DECIDED, lang="en")
    assert list(result.errors) == ["upper_consent_number"]
    assert "30 working days" in result.errors["upper_consent_number"][0]
    assert add_working_days("2026-03-02", 30).strftime("%d/%m/%Y") in result.errors["upper_consent_number"][0]
    assert check("hold_ceremony", ceremony(late, "08-CV/ĐU"), DECIDED).ok


def test_one_day_after_the_deadline_needs_consent():
    deadline = add_working_days("2026-03-02", 30)
    next_working = add_working_days(deadline, 1).isoformat()
    assert not check("hold_ceremony", ceremony(next_working), DECIDED).ok


def test_ceremony_before_the_decision_is_refused():
    result = check("hold_ceremony", ceremony("2026-03-01", "08-CV/ĐU"), DECIDED, lang="en")
    assert result.errors == {
        "ceremony_date": ["The ceremony (01/03/2026) cannot be before the decision date (02/03/2026)."]
    }


def test_ceremony_without_decision_date_in_context_is_not_checked():
    assert check("hold_ceremony", ceremony("2030-01-01")).ok
    assert check("hold_ceremony", ceremony("2030-01-01"), {"decision_date": "not a date"}).ok


# ---------------------------------------------------------------- not_a_relative

VERIFICATION = {
    "verifier_name": "Phạm Văn Dũng",
    "verification_document_number": "03-CV/ĐU",
    "verification_date": "2026-02-10",
    "verification_finding": "clear",
}


@pytest.mark.parametrize(
    "relatives",
    [
        "Phạm Văn Dũng",
        "Bố: Phạm Văn Dũng\nMẹ: Lê Thị E",
        "lê thị e\nPHẠM VĂN DŨNG (chú ruột)",
        "Lê Thị E - mẹ\nPhạm Văn Dũng - bố",
        "Chú ruột Phạm  Văn Dũng",
        "Pha\u0323m Văn Du\u0303ng",  # decomposed Unicode, as some keyboards type it
    ],
)
def test_a_relative_cannot_verify(relatives):
    result = check("record_verification", VERIFICATION, {"relatives": relatives})
    assert list(result.errors) == ["verifier_name"]


def test_a_stranger_can_verify():
    assert check("record_verification", VERIFICATION, {"relatives": "Phạm Văn Dũng Anh\nLê Thị E"}).ok
    assert check("record_verification", VERIFICATION).ok


def test_a_problem_needs_notes():
    result = check("record_verification", {**VERIFICATION, "verification_finding": "problem"}, lang="en")
    assert result.errors == {
        "verification_notes": ["This field is required when “Finding” is “Unclear, needs clarifying / Problem found”."]
    }


# ---------------------------------------------------------------- robustness of the rules


def test_checks_never_raise_on_odd_values():
    odd = [None, "", "x", -1, 10**20, 1.5, True, [], {}]
    for rule, function in CHECKS.items():
        for value in odd:
            values = {
                key: value
                for key in (
                    "official_members",
                    "present",
                    "agree",
                    "disagree",
                    "decision",
                    "decision_members",
                    "decision_agree",
                    "introducer1_name",
                    "introducer1_months_together",
                    "attendance_percent",
                    "essay_score",
                    "course_attended",
                    "ceremony_date",
                    "verifier_name",
                )
            }
            params = {
                "members": "official_members",
                "present": "present",
                "agree": "agree",
                "disagree": "disagree",
                "decision": "decision",
                "approve": "admit",
                "attended": "course_attended",
                "attendance": "attendance_percent",
                "score": "essay_score",
                "certificate_number": "n",
                "certificate_date": "d",
                "decision_date_from": "decision_date",
                "within_working_days": 30,
                "date": "ceremony_date",
                "consent": "c",
                "field": "verifier_name",
                "relatives_from": "relatives",
            }
            if rule == "decision_vote":
                params = {**params, "members": "decision_members", "agree": "decision_agree"}
            context = {"decision_date": value, "relatives": value}
            assert isinstance(function(values, context, params, "vi"), list)
