"""The admission procedure end to end, through the services, on the real processes/ files.

The four demo cells cover every shape of organisation:
- TQ-CH-THPT: grassroots cell under a district committee, 2021 rules;
- TQ-LN-THPT: grassroots cell under a commune committee, 2025 rules;
- TQ-CX-THPT-1: cell of a grassroots committee (committee vote), 2025 rules;
- TQ-DHTT-SP-SV: cell under a sub-committee of a delegated university committee.
"""
from datetime import date

import pytest

from webapp.rules import add_months
from webapp.services import InvalidSubmission

from .helpers import completed_specs, engine_path, events, facts, instance, open_specs, who_acts

GRASSROOTS_CELL_PATH = [
    "nominate_student", "add_to_sympathiser_list", "enroll_in_course", "record_course_result",
    "write_application", "record_verification", "record_verification", "comment_on_history",
    "certify_history_grassroots_cell", "assign_introducers",
    "issue_youth_union_resolution", "write_introduction_letters", "write_residence_comment",
    "summarise_comments", "plan_cell_meeting", "record_cell_vote", "appraise_file", "decide_admission",
    "hold_ceremony", "record_member_file", "write_self_review", "comment_on_probation", "record_cell_vote",
    "decide_recognition",
]


def test_a_student_goes_from_nomination_to_official_member(start_case, driver):
    case = start_case("TQ-LN-THPT")
    assert who_acts(case.id) == {"nominate_student": ("youth_union", "TQ-LN-THPT")}

    driver.run(case.id)

    done = instance(case.id)
    assert (done.status, done.outcome) == ("official", "official")
    assert sorted(completed_specs(case.id)) == sorted(GRASSROOTS_CELL_PATH)
    # Recognised as of the end of the 12 months from the ceremony, whenever the decision came.
    data = facts(case.id)
    assert data["recognised_as_of"] == data["probation_end"]
    ceremony = date.fromisoformat(data["ceremony_date"])
    assert data["probation_end"] == ceremony.replace(year=ceremony.year + 1).isoformat()
    kinds = [e.kind for e in events(case.id)]
    assert kinds[0] == "case_started" and kinds[-1] == "case_finished"
    assert kinds.count("timer_fired") == 1  # the probation timer


def test_each_lane_resolves_to_the_right_unit(start_case, driver):
    case = start_case("TQ-LN-THPT")
    assert driver.run(case.id, until="record_course_result")
    assert who_acts(case.id) == {"record_course_result": ("political_center", "TQ-LN")}
    driver.run(case.id, until="decide_admission")
    assert who_acts(case.id)["decide_admission"] == ("standing_committee", "TQ-LN")


def test_2021_rules_send_the_decision_to_the_district_committee(start_case, driver):
    case = start_case("TQ-CH-THPT")
    driver.run(case.id, until="appraise_file")
    assert who_acts(case.id) == {"appraise_file": ("org_board", "TQ-CH")}
    assert instance(case.id).rule_set == "2021"


def test_a_grassroots_committee_votes_before_the_upper_level_decides(start_case, driver):
    case = start_case("TQ-CX-THPT-1")
    driver.run(case.id, until="record_committee_vote")
    assert who_acts(case.id) == {"record_committee_vote": ("grassroots_committee", "TQ-CX-THPT")}
    driver.run(case.id, until="appraise_file")
    assert who_acts(case.id) == {"appraise_file": ("org_board", "TQ-CX")}
    assert "appraise_subcommittee" not in completed_specs(case.id)


def test_a_failed_committee_vote_is_still_reported_up(start_case, driver):
    case = start_case("TQ-CX-THPT-1")
    driver.run(case.id, until="appraise_file", overrides={
        "record_committee_vote": {"committee_agree": 3, "committee_disagree": 4}})
    assert open_specs(case.id) == ["appraise_file"]
    assert facts(case.id)["admission_committee_vote_passed"] is False


def test_a_sub_committee_appraises_and_a_delegated_committee_decides(start_case, driver):
    case = start_case("TQ-DHTT-SP-SV")
    driver.run(case.id, until="appraise_subcommittee")
    assert who_acts(case.id) == {"appraise_subcommittee": ("subcommittee", "TQ-DHTT-SP")}
    driver.run(case.id, until="decide_admission_delegated")
    assert who_acts(case.id) == {"decide_admission_delegated": ("grassroots_committee", "TQ-DHTT")}
    driver.run(case.id)
    assert instance(case.id).status == "official"
    assert "appraise_file" not in completed_specs(case.id)
    assert "decide_recognition_delegated" in completed_specs(case.id)


def test_a_grassroots_cell_skips_the_committee_vote(start_case, driver):
    case = start_case("TQ-LN-THPT")
    driver.run(case.id, until="appraise_file")
    assert "admission_committee_vote" not in engine_path(case.id)
    assert "record_committee_vote" not in completed_specs(case.id)


def test_two_members_introduce_without_a_youth_union_resolution(start_case, driver):
    case = start_case()
    # The driver chooses two official members of the cell's register with 12 months together.
    driver.run(case.id, until="plan_cell_meeting", overrides={"assign_introducers": {
        "introduction_mode": "two_members"}})
    assert "issue_youth_union_resolution" not in completed_specs(case.id)
    data = facts(case.id)
    assert data["introducer2_member_id"] not in (None, data["introducer1_member_id"])
    assert data["introducer2_official"] is True and data["introducer2_months_together"] >= 12


def test_an_unqualified_introducer_is_refused_and_a_replacement_is_exempt(start_case, driver):
    case = start_case()
    # The applicant has been in the unit for 8 months only (the Youth Union nominated them then: the
    # earliest recorded day they are in the unit): nobody has 12 months together with them.
    since = add_months(driver.local_day(), -8).isoformat()
    task = driver.run(case.id, until="assign_introducers", overrides={"nominate_student": {"nomination_date": since}})
    task = next(t for t in task if t.spec_name == "assign_introducers")
    with pytest.raises(InvalidSubmission) as refused:
        driver.complete(task)
    assert "12" in str(refused.value)
    assert "assign_introducers" in open_specs(case.id)
    driver.complete(task, {"assign_introducers": {
        "introducer1_replacement_reason": "disciplined",
        "introducer1_replacement_note": "Người giới thiệu trước bị kỷ luật (QĐ 03-QĐ/UBKT)."}})
    assert "assign_introducers" not in open_specs(case.id)


def test_failing_then_passing_the_course(start_case, driver):
    case = start_case()
    tasks = driver.run(case.id, until="record_course_result")
    driver.complete(tasks[0], {"record_course_result": {
        "essay_score": 4.0, "certificate_number": None, "certificate_date": None}})
    assert open_specs(case.id) == ["enroll_in_course"]
    driver.run(case.id, until="write_application")
    assert completed_specs(case.id).count("record_course_result") == 2
    assert facts(case.id)["course_attempts"] == 2
