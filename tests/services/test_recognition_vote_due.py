"""Issue 10: the recognition is due by the case's rule set — the cell votes within
`recognition_working_days` after probation ends [C], so the self-review, the helper's comment and the
recognition cell vote are due that day (the diagram computes it from the rule value, no number in it);
the admission cell vote, which no rule gives a deadline, keeps its reminder of 30 working days."""
from datetime import timedelta

from sqlalchemy import select

from webapp.extensions import db
from webapp.models import HumanTask
from webapp.rules import add_working_days, rule_value
from webapp.services import run_due_timers
from webapp.services.clock import VIETNAM

from .helpers import facts, instance, open_specs


def _due(case_id, spec_name):
    return db.session.execute(select(HumanTask.due_on).where(
        HumanTask.instance_id == case_id, HumanTask.spec_name == spec_name).order_by(HumanTask.id.desc())).scalar()


def test_the_recognition_steps_are_due_the_rule_sets_working_days_after_probation(start_case, driver):
    case = start_case("TQ-LN-THPT")
    driver.run(case.id, until="record_cell_vote")
    assert _due(case.id, "record_cell_vote") == add_working_days(driver.local_day(), 30)  # admission: a reminder

    driver.run(case.id, until="write_self_review")
    data = facts(case.id)
    days = rule_value(instance(case.id).rule_set, "recognition_working_days")
    due = add_working_days(data["probation_end"], days)
    assert data["recognition_vote_due_date"] == due.isoformat()
    assert _due(case.id, "write_self_review") == due
    driver.run(case.id, until="comment_on_probation")
    assert _due(case.id, "comment_on_probation") == due
    driver.run(case.id, until="record_cell_vote")
    assert _due(case.id, "record_cell_vote") == due  # the recognition vote: the rule's day, not 30 from today


def test_the_recognition_decision_is_due_after_the_vote_deadline_and_its_timer_marks_it_overdue(
        start_case, driver):
    """Issue 12: the decision's deadline counts from the end of probation (the cell's days, then the
    deciding body's), not from when its step opened; a timer on the step records it overdue, once."""
    case = start_case("TQ-LN-THPT")
    driver.run(case.id, until="decide_recognition")
    data = facts(case.id)
    rule_set = instance(case.id).rule_set
    vote_due = add_working_days(data["probation_end"], rule_value(rule_set, "recognition_working_days"))
    due = add_working_days(vote_due, rule_value(rule_set, "recognition_decision_working_days"))
    assert _due(case.id, "decide_recognition") == due
    assert data["recognition_decision_overdue"] is False

    timer_at = instance(case.id).next_timer_at
    assert timer_at.astimezone(VIETNAM).date() == due
    assert run_due_timers(now=timer_at - timedelta(minutes=1)) == {}
    assert run_due_timers(now=timer_at + timedelta(minutes=1)) == {case.id: ["Quá hạn quyết định công nhận"]}
    assert run_due_timers(now=timer_at + timedelta(days=3)) == {}  # once
    assert facts(case.id)["recognition_decision_overdue"] is True
    assert open_specs(case.id) == ["decide_recognition"]  # the decision is still to be taken
    driver.now = timer_at + timedelta(days=1)
    driver.run(case.id)
    assert instance(case.id).status == "official"
