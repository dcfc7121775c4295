"""Issue 12: every step with a deadline reminds those who must act before it is due and, once it is
overdue, tells them and the level above — once each, however many workers sweep, and in the case's
timeline. Driven through the real procedure; the clock is passed in."""
import threading
from datetime import datetime, time, timedelta

import pytest
from sqlalchemy import select

from webapp.extensions import db
from webapp.models import HumanTask, InstanceEvent, Notice, RoleAssignment, TaskReminder, UnitClosure
from webapp.rules import add_working_days
from webapp.services.clock import VIETNAM
from webapp.services.reminders import ReminderPolicy, run_due_reminders

STEP = "record_verification"


def _at(day, hour=9):
    return datetime.combine(day, time(hour), VIETNAM)


def _open_steps(case_id, spec=STEP):
    return db.session.execute(select(HumanTask).where(
        HumanTask.instance_id == case_id, HumanTask.spec_name == spec, HumanTask.status == "open")
        .order_by(HumanTask.id)).scalars().all()


def _waiting_for(tasks):
    """Who the open steps wait for, as the inbox shows them."""
    users = set()
    for task in tasks:
        users |= _holders(task.role, task.unit_id) if task.assignee_id is None else {task.assignee_id}
    return users


def _holders(role, unit_id):
    return set(db.session.execute(select(RoleAssignment.user_id).where(
        RoleAssignment.role == role, RoleAssignment.unit_id == unit_id)).scalars())


def _notices(kind=None):
    query = select(Notice.user_id, Notice.kind, Notice.task_id, Notice.params)
    if kind:
        query = query.where(Notice.kind == kind)
    return db.session.execute(query.order_by(Notice.id)).all()


def _events(case_id, kind):
    return db.session.execute(select(InstanceEvent.payload).where(
        InstanceEvent.instance_id == case_id, InstanceEvent.kind == kind)).scalars().all()


@pytest.fixture()
def waiting(start_case, driver):
    """A case whose verification answers are open (one per person verified, all due the same day),
    with its open steps that have a due date, verification answers first."""
    case = start_case()
    driver.run(case.id, until=STEP)
    answers = _open_steps(case.id)
    assert answers and len({task.due_on for task in answers}) == 1 and answers[0].due_on is not None
    others = db.session.execute(select(HumanTask).where(
        HumanTask.instance_id == case.id, HumanTask.status == "open", HumanTask.spec_name != STEP,
        HumanTask.due_on.is_not(None))).scalars().all()
    return case, answers + others


def _due_between(tasks, first, last):
    return [task for task in tasks if first <= task.due_on <= last]


def test_nothing_is_sent_before_the_lead_time(waiting):
    _case, [task, *_others] = waiting
    early = add_working_days(task.created_at.astimezone(VIETNAM).date(), 1)
    assert early < task.due_on
    result = run_due_reminders(_at(early), ReminderPolicy(lead_working_days=3))
    assert (result.reminded, result.escalated) == (0, 0)
    assert _notices() == []


def test_those_who_must_act_are_reminded_once_before_the_step_is_due(waiting):
    case, tasks = waiting
    task = tasks[0]
    reminder_day = task.due_on - timedelta(days=1)
    while reminder_day.weekday() >= 5:
        reminder_day -= timedelta(days=1)
    tasks = _due_between(tasks, reminder_day, add_working_days(reminder_day, 3))
    result = run_due_reminders(_at(reminder_day), ReminderPolicy(lead_working_days=3))
    assert result.reminded == len(tasks)
    told = _notices("due_soon")
    holders = _waiting_for(tasks)
    assert {row.user_id for row in told} == holders and holders
    assert {row.task_id for row in told} == {t.id for t in tasks}
    assert all(row.params["due_on"] == task.due_on.isoformat() for row in told)
    assert "citizen_id" not in told[0].params
    events = _events(case.id, "reminder_sent")
    assert sorted(event["task"] for event in events) == sorted(t.spec_name for t in tasks)

    before = len(told)
    again = run_due_reminders(_at(reminder_day, 15), ReminderPolicy(lead_working_days=3))
    assert again.reminded == 0 and len(_notices("due_soon")) == before


def test_an_overdue_step_tells_its_holders_and_the_nearest_level_above(waiting):
    case, tasks = waiting
    task = tasks[0]
    late = add_working_days(task.due_on, 1)
    tasks = _due_between(tasks, task.due_on.min, late - timedelta(days=1))
    result = run_due_reminders(_at(late))
    assert result.escalated == len(tasks)
    holders = _waiting_for(tasks)
    assert {row.user_id for row in _notices("overdue")} == holders
    above = db.session.execute(
        select(UnitClosure.depth, RoleAssignment.user_id)
        .join(RoleAssignment, RoleAssignment.unit_id == UnitClosure.ancestor_id)
        .where(UnitClosure.descendant_id == task.unit_id, UnitClosure.depth > 0,
               RoleAssignment.role.in_(("org_board", "standing_committee")))).all()
    nearest = min(depth for depth, _ in above)
    expected = {user for depth, user in above if depth == nearest} - holders
    assert expected and {row.user_id for row in _notices("escalated")} == expected
    events = _events(case.id, "overdue_escalated")
    assert len(events) == len(tasks) and all(event["told_above"] == len(expected) for event in events)
    assert run_due_reminders(_at(late, 16)).escalated == 0


def test_a_completed_step_is_not_reminded(waiting, driver):
    _case, tasks = waiting
    done = tasks[0]
    late = add_working_days(done.due_on, 2)
    still_open = [task for task in _due_between(tasks, done.due_on.min, late - timedelta(days=1)) if task is not done]
    driver.complete(done)
    assert run_due_reminders(_at(late)).escalated == len(still_open)
    assert db.session.execute(select(TaskReminder).where(TaskReminder.task_id == done.id)).first() is None


def test_the_escalation_roles_come_from_the_policy(waiting):
    _case, tasks = waiting
    run_due_reminders(_at(add_working_days(tasks[0].due_on, 1)), ReminderPolicy(escalation_roles=("auditor",)))
    told_above = {row.user_id for row in _notices("escalated")}
    assert told_above
    for user_id in told_above:
        roles = set(db.session.execute(select(RoleAssignment.role).where(RoleAssignment.user_id == user_id)).scalars())
        assert "auditor" in roles and "org_board" not in roles


@pytest.mark.postgres
def test_two_workers_sweeping_at_once_send_each_reminder_once(app, waiting):
    _case, tasks = waiting
    task = tasks[0]
    tasks = _due_between(tasks, task.due_on.min, task.due_on)
    late = _at(add_working_days(task.due_on, 1))
    results, barrier = [], threading.Barrier(2)

    def sweep():
        with app.app_context():
            barrier.wait()
            results.append(run_due_reminders(late))
            db.session.remove()

    threads = [threading.Thread(target=sweep) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sum(result.escalated for result in results) == len(tasks)
    assert len(_events(task.instance_id, "overdue_escalated")) == len(tasks)
    for each in tasks:
        assert db.session.execute(select(TaskReminder.kind).where(TaskReminder.task_id == each.id)).scalars().all() == [
            "overdue"]


DEADLINE_STEPS = {  # the steps the rules give a deadline (issue 12), and how far the case is driven
    "record_verification": ("record_verification",),
    "decide_admission": ("decide_admission",),
    "hold_ceremony": ("hold_ceremony",),
    "record_member_file": ("record_member_file",),
    "recognition vote": ("write_self_review", "record_cell_vote"),
    "decide_recognition": ("decide_recognition",),
}


@pytest.mark.parametrize("deadline", DEADLINE_STEPS)
def test_every_deadline_reminds_then_escalates_once_however_often_it_is_swept(start_case, driver, deadline):
    case = start_case()
    for until in DEADLINE_STEPS[deadline]:
        driver.run(case.id, until=until)
    spec = DEADLINE_STEPS[deadline][-1]
    task = _open_steps(case.id, spec)[0]
    assert task.due_on is not None
    soon = _at(task.due_on - timedelta(days=1))
    late = _at(add_working_days(task.due_on, 1))
    for moment in (soon, soon, late, late):  # two workers' rounds at each moment
        run_due_reminders(moment)

    mine = [row for row in _notices() if row.task_id == task.id]
    holders = _waiting_for([task])
    assert sorted(row.user_id for row in mine if row.kind == "due_soon") == sorted(holders)
    assert sorted(row.user_id for row in mine if row.kind == "overdue") == sorted(holders)
    above = [row.user_id for row in mine if row.kind == "escalated"]
    assert above and not set(above) & holders and len(above) == len(set(above))
    same_step = len(_open_steps(case.id, spec))  # two places to verify: two answers due the same day
    for kind in ("reminder_sent", "overdue_escalated"):  # in the timeline, once per step
        recorded = [p["due_on"] for p in _events(case.id, kind) if p["task"] == spec]
        assert recorded == [task.due_on.isoformat()] * same_step
