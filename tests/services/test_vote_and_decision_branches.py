"""Cell vote, decision, deadlines, ceremony, and the recognition branches."""
from datetime import UTC, datetime, timedelta

import pytest

from webapp import rules
from webapp.extensions import db
from webapp.models import MemberAbsence
from webapp.services import InvalidSubmission, run_due_timers
from webapp.services.register import members_for_choice

from .helpers import completed_specs, events, facts, instance, open_specs, task_named

FAILED_CELL_VOTE = {"record_cell_vote": {"agree": 5, "disagree": 4}}
REJECT = {"decision": "reject", "decision_agree": 2, "decision_reason": "Chưa gương mẫu trong học tập."}


def test_the_cell_vote_threshold_counts_all_official_members(start_case, driver, world):
    case = start_case()
    tasks = driver.run(case.id, until="record_cell_vote")
    # The register: 11 official, 2 of them attached elsewhere on the vote's day → 9 counted → 6 needed;
    # 6 agree passes even if only 7 came.
    day = driver.local_day() + timedelta(days=1)  # the day driver.complete records the vote
    for entry in members_for_choice(world.cells["TQ-LN-THPT"].id, day)[:2]:
        db.session.add(MemberAbsence(membership_id=entry.membership_id, kind="attached", starts_on=day,
                                     detail="Đi học tập trung tại Học viện"))
    db.session.commit()
    driver.complete(tasks[0], {"record_cell_vote": {"official_members": 11, "temporarily_attached": 2,
                                                   "present": 7, "agree": 6, "disagree": 1}})
    data = facts(case.id)
    assert (data["counted_official_members"], data["cell_vote_threshold"]) == (9, 6)
    assert data["admission_cell_vote_passed"] is True


def test_a_failed_cell_vote_returns_to_helping_and_can_be_reconsidered(start_case, driver):
    case = start_case()
    driver.run(case.id, until="reconsider_after_failed_vote", overrides=FAILED_CELL_VOTE)
    assert instance(case.id).status == "in_progress"
    driver.complete(task_named(case.id, "reconsider_after_failed_vote"))
    assert open_specs(case.id) == ["plan_cell_meeting"]
    driver.run(case.id, until="appraise_file")
    assert completed_specs(case.id).count("record_cell_vote") == 2


def test_a_failed_cell_vote_can_close_the_case(start_case, driver):
    case = start_case()
    driver.run(case.id, overrides=FAILED_CELL_VOTE | {"reconsider_after_failed_vote": {
        "reconsider_decision": "close", "reconsider_reason": "Học sinh chuyển trường."}})
    closed = instance(case.id)
    assert (closed.status, closed.outcome) == ("closed", "not_admitted")
    assert events(case.id, "case_finished")[-1].payload["reason"] == "Học sinh chuyển trường."


@pytest.mark.parametrize("tally, message", [
    ({"official_members": 2, "present": 2, "agree": 2, "disagree": 0}, "3"),
    ({"present": 10}, "present"),
    ({"agree": 10, "disagree": 2}, "agree"),  # 12 votes, 11 present
])
def test_a_tally_that_does_not_add_up_is_refused_and_changes_nothing(start_case, driver, tally, message):
    case = start_case()
    tasks = driver.run(case.id, until="record_cell_vote")
    before = len(events(case.id))
    with pytest.raises(InvalidSubmission) as refused:
        driver.complete(tasks[0], {"record_cell_vote": tally})
    assert refused.value.errors
    assert open_specs(case.id) == ["record_cell_vote"]
    assert len(events(case.id)) == before


def test_a_rejection_notifies_the_cell(start_case, driver):
    case = start_case()
    driver.run(case.id, until="acknowledge_rejection", overrides={"decide_admission": REJECT})
    assert instance(case.id).status == "rejected"
    driver.run(case.id)
    done = instance(case.id)
    assert (done.status, done.outcome) == ("rejected", "rejected")
    assert events(case.id, "case_finished")[-1].payload["reason"] == REJECT["decision_reason"]


def test_a_rejection_needs_a_reason(start_case, driver):
    case = start_case()
    tasks = driver.run(case.id, until="decide_admission")
    with pytest.raises(InvalidSubmission) as refused:
        driver.complete(tasks[0], {"decide_admission": {"decision": "reject", "decision_agree": 2}})
    assert "decision_reason" in refused.value.errors


def test_an_admission_without_two_thirds_of_the_standing_committee_is_refused(start_case, driver):
    case = start_case()
    tasks = driver.run(case.id, until="decide_admission")
    with pytest.raises(InvalidSubmission) as refused:
        driver.complete(tasks[0], {"decide_admission": {"decision_members": 9, "decision_agree": 5}})
    assert "6" in " ".join(refused.value.errors["decision_agree"])


def test_the_decision_deadline_is_60_working_days_and_extends_once_by_30(start_case, driver):
    case = start_case()
    driver.run(case.id, until="appraise_file")
    data = facts(case.id)
    due = rules.add_working_days(data["cell_resolution_date"], 60)
    assert data["decision_due_date"] == due.isoformat()
    driver.complete(task_named(case.id, "appraise_file"), {"appraise_file": {
        "request_extension": True, "extension_reason": "Chờ kết luận thẩm tra bổ sung."}})
    extended = rules.add_working_days(due, 30)
    assert facts(case.id)["decision_due_date"] == extended.isoformat()
    assert task_named(case.id, "decide_admission").due_on == extended


def test_a_missed_decision_deadline_is_recorded_and_the_decision_stays_open(start_case, driver):
    case = start_case()
    driver.run(case.id, until="decide_admission")
    due = instance(case.id).next_timer_at
    assert due is not None
    fired = run_due_timers(now=due + timedelta(minutes=1))
    assert fired == {case.id: ["Quá hạn quyết định"]}
    assert open_specs(case.id) == ["decide_admission"]
    assert facts(case.id)["decision_overdue"] is True
    driver.now = due + timedelta(days=1)
    driver.run(case.id, until="hold_ceremony")
    assert open_specs(case.id) == ["hold_ceremony"]


def test_a_late_ceremony_needs_the_upper_committees_consent(start_case, driver):
    case = start_case()
    tasks = driver.run(case.id, until="hold_ceremony")
    late = rules.add_working_days(facts(case.id)["decision_date"], 40).isoformat()
    driver.now = datetime.fromisoformat(late).replace(tzinfo=UTC) + timedelta(hours=3)  # held: not a future date
    with pytest.raises(InvalidSubmission) as refused:
        driver.complete(tasks[0], {"hold_ceremony": {"ceremony_date": late}})
    assert "upper_consent_number" in refused.value.errors
    driver.complete(tasks[0], {"hold_ceremony": {"ceremony_date": late, "upper_consent_number": "88-CV/ĐU"}})
    assert instance(case.id).status == "probationary"


def _to_recognition_vote(start_case, driver, cell="TQ-LN-THPT"):
    case = start_case(cell)
    driver.run(case.id, until="comment_on_probation")
    driver.complete(task_named(case.id, "comment_on_probation"))
    return case


def test_recognition_vote_failure_then_removal(start_case, driver):
    case = _to_recognition_vote(start_case, driver)
    driver.complete(task_named(case.id, "record_cell_vote"), FAILED_CELL_VOTE)
    assert open_specs(case.id) == ["review_failed_recognition_vote"]
    driver.complete(task_named(case.id, "review_failed_recognition_vote"), {"review_failed_recognition_vote": {
        "next_step": "propose_removal", "review_reason": "Vi phạm kỷ luật."}})
    assert facts(case.id)["recognition_proposal"] == "remove"
    driver.complete(task_named(case.id, "decide_recognition"), {"decide_recognition": {
        "recognition_decision": "remove", "recognition_reason": "Không đủ tư cách đảng viên."}})
    removed = instance(case.id)
    assert (removed.status, removed.outcome) == ("removed", "removed")


def test_after_three_failed_recognition_votes_the_upper_level_decides(start_case, driver):
    case = _to_recognition_vote(start_case, driver, "TQ-CX-THPT-1")
    for attempt in range(3):
        driver.complete(task_named(case.id, "record_cell_vote"), FAILED_CELL_VOTE)
        if attempt < 2:
            driver.complete(task_named(case.id, "review_failed_recognition_vote"))
    assert facts(case.id)["recognition_proposal"] == "upper_decides"
    assert open_specs(case.id) == ["record_committee_vote"]
    driver.run(case.id)
    assert instance(case.id).status == "official"
    assert completed_specs(case.id).count("review_failed_recognition_vote") == 2
