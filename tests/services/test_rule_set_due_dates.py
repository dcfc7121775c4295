"""Issue 10: the due date of a verification answer is the case's rule set's `verification_working_days`
(the diagram names the rule, not a number); a value changed in one rule set moves only its cases."""
import dataclasses
from types import MappingProxyType

from sqlalchemy import select

from webapp.extensions import db
from webapp.models import HumanTask
from webapp.rules import add_working_days, rulesets

from .helpers import facts, instance


def _verification_dues(case_id):
    return db.session.execute(select(HumanTask.due_on, HumanTask.created_at).where(
        HumanTask.instance_id == case_id, HumanTask.spec_name == "record_verification")).all()


def test_the_verification_answer_is_due_after_the_rule_sets_working_days(start_case, driver, monkeypatch):
    changed = dataclasses.replace(rulesets.RULE_SETS[instance(start_case().id).rule_set], verification_working_days=7)
    case = start_case()
    driver.run(case.id, until="record_verification")
    [(due, _)] = _verification_dues(case.id)[:1]
    assert due == add_working_days(driver.local_day(), 30)  # both rule sets say 30 [U]

    monkeypatch.setattr(rulesets, "RULE_SETS", MappingProxyType({**rulesets.RULE_SETS, changed.key: changed}))
    other = start_case()
    driver.run(other.id, until="record_verification")
    [(due, _)] = _verification_dues(other.id)[:1]
    assert due == add_working_days(driver.local_day(), 7)
    untouched = next(key for key in rulesets.RULE_SETS if key != changed.key)
    assert rulesets.rule_value(untouched, "verification_working_days") == 30


def test_the_recognition_decision_is_due_after_the_rule_sets_working_days(start_case, driver):
    """Counted from the end of probation (issue 12): the cell's recognition days, then the deciding
    body's, both of the case's rule set — computed by the diagram's script (start_probation), which
    runs in the sandbox and reads the rule sets shipped, so the values are the shipped ones here."""
    deciding = ("decide_recognition", "decide_recognition_delegated")
    first = start_case()
    driver.run(first.id, until=deciding)
    [due] = db.session.execute(select(HumanTask.due_on).where(
        HumanTask.instance_id == first.id, HumanTask.spec_name.in_(deciding), HumanTask.status == "open")).scalars()
    data, rule_set = facts(first.id), instance(first.id).rule_set
    vote_due = add_working_days(data["probation_end"], rulesets.rule_value(rule_set, "recognition_working_days"))
    assert due == add_working_days(vote_due, rulesets.rule_value(rule_set, "recognition_decision_working_days"))
    assert due > driver.local_day()
