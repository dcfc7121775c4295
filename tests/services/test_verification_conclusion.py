"""After the places answer (issue 12): an unclear or negative finding is concluded by the competent
committee (the standing committee of the deciding level), the cell comments on the history (item 25 of
2-KNĐ) and the grassroots committee certifies it (item 26); each by its own body, each recorded, and the
case resumes or stops on what they decided."""
import pytest
from sqlalchemy import select

from webapp.authz import case_units
from webapp.extensions import db
from webapp.models import Notice, OrgUnit
from webapp.services import Forbidden, InvalidSubmission, check_case

from .helpers import completed_specs, events, facts, instance, open_specs, task_named, who_acts

UNCLEAR = {"record_verification": {"verification_finding": "unclear",
                                   "verification_notes": "Chưa rõ thời gian cha công tác ở nước ngoài"}}


def test_an_unclear_answer_waits_for_the_deciding_levels_standing_committee(start_case, driver):
    case = start_case("TQ-CX-THPT-1")
    driver.run(case.id, until="conclude_verification_finding", overrides=UNCLEAR)

    acting = who_acts(case.id)
    assert acting["conclude_verification_finding"][0] == "standing_committee"
    deciding = db.session.get(OrgUnit, case_units(instance(case.id).unit_id).deciding_id)
    assert acting["conclude_verification_finding"][1] == deciding.code
    assert "assign_introducers" in acting  # the introducers' branch goes on meanwhile
    assert "comment_on_history" not in acting  # nothing of the history is commented before the conclusion
    assert "Chưa rõ thời gian cha công tác" in facts(case.id)["verification_problem_reason"]


def test_concluded_to_resume_the_cell_comments_and_the_grassroots_committee_certifies(start_case, driver, world):
    case = start_case("TQ-CX-THPT-1")
    driver.run(case.id, until="comment_on_history", overrides=UNCLEAR)
    assert who_acts(case.id)["comment_on_history"] == ("cell_secretary", "TQ-CX-THPT-1")

    # the cell hears of the upper level's conclusion
    told = db.session.execute(select(Notice.user_id, Notice.params).where(Notice.kind == "finding_cleared")).all()
    assert [user_id for user_id, _ in told] == [world.users[("TQ-CX-THPT-1", "cell_secretary")].id]
    assert told[0].params["number"] == "08-KL/BTV"

    driver.run(case.id, until="certify_history", overrides=UNCLEAR)
    role, unit = who_acts(case.id)["certify_history"]
    assert role == "grassroots_committee" and unit != "TQ-CX-THPT-1"

    driver.run(case.id, until="plan_cell_meeting", overrides=UNCLEAR)
    done = completed_specs(case.id)
    assert done.index("conclude_verification_finding") < done.index("comment_on_history") < \
        done.index("certify_history")
    data = facts(case.id)
    assert (data["finding_conclusion"], data["history_certification"]) == ("resume", "eligible")
    assert instance(case.id).status == "in_progress"
    # the auditor's check: an unclear answer, concluded and certified, is lawful — and says from what
    [check] = [c for c in check_case(instance(case.id)) if c.key == "verification"]
    assert (check.status, check.detail["problems"], check.detail["conclusion"], check.detail["certified"]) == (
        "met", 2, "08-KL/BTV", "eligible")


def test_a_grassroots_cell_certifies_the_history_itself(start_case, driver):
    case = start_case("TQ-LN-THPT")
    driver.run(case.id, until="certify_history_grassroots_cell")
    assert who_acts(case.id)["certify_history_grassroots_cell"] == ("cell_secretary", "TQ-LN-THPT")
    assert "conclude_verification_finding" not in completed_specs(case.id)  # clear answers: nothing to conclude


def test_a_history_certified_not_eligible_stops_the_case_with_the_reason(start_case, driver):
    case = start_case("TQ-CX-THPT-1")
    driver.run(case.id, overrides={"certify_history": {
        "history_certification": "not_eligible", "history_certification_note": "Khai man lý lịch gia đình"}})
    stopped = instance(case.id)
    assert (stopped.status, stopped.outcome) == ("stopped", "stopped_background")
    assert "Khai man lý lịch gia đình" in events(case.id, "case_finished")[-1].payload["reason"]


def test_not_eligible_needs_a_reason_and_nothing_changes_without_it(start_case, driver):
    case = start_case("TQ-CX-THPT-1")
    driver.run(case.id, until="certify_history")
    task = task_named(case.id, "certify_history")
    with pytest.raises(InvalidSubmission) as refused:
        driver.complete(task, {"certify_history": {"history_certification": "not_eligible",
                                                   "history_certification_note": ""}})
    assert "history_certification_note" in refused.value.errors
    assert task_named(case.id, "certify_history").status == "open"


def test_a_conclusion_dated_before_the_personal_history_is_refused(start_case, driver):
    case = start_case("TQ-CX-THPT-1")
    driver.run(case.id, until="conclude_verification_finding", overrides=UNCLEAR)
    task = task_named(case.id, "conclude_verification_finding")
    with pytest.raises(InvalidSubmission) as refused:
        driver.complete(task, {"conclude_verification_finding": {"finding_conclusion_date": "2020-01-01"}})
    assert "finding_conclusion_date" in refused.value.errors
    assert "conclude_verification_finding" in open_specs(case.id)


def test_the_cell_may_not_conclude_its_own_finding_nor_certify_its_own_history(start_case, driver, world):
    case = start_case("TQ-CX-THPT-1")
    driver.run(case.id, until="conclude_verification_finding", overrides=UNCLEAR)
    secretary = world.users[("TQ-CX-THPT-1", "cell_secretary")]
    with pytest.raises(Forbidden):
        driver.complete(task_named(case.id, "conclude_verification_finding"), actor=secretary)
    driver.run(case.id, until="certify_history", overrides=UNCLEAR)
    with pytest.raises(Forbidden):
        driver.complete(task_named(case.id, "certify_history"), actor=secretary)
    assert {"certify_history"} <= set(open_specs(case.id))
