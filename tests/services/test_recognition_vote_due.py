"""Issue 10: the recognition is due by the case's rule set — the cell votes within
`recognition_working_days` after probation ends [C], so the self-review, the helper's comment and the
recognition cell vote are due that day (the diagram computes it from the rule value, no number in it);
the admission cell vote, which no rule gives a deadline, keeps its reminder of 30 working days."""
from sqlalchemy import select

from webapp.extensions import db
from webapp.models import HumanTask
from webapp.rules import add_working_days, rule_value

from .helpers import facts, instance


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
