"""Issue 12: a holder names a deputy of the same body for a period; the deputy sees and does the
role's steps during it, the history says "on behalf of", and the deputy loses the role when the
period ends. Wrong people, dates and overlaps are refused and change nothing."""
from datetime import date, datetime, time, timedelta

import pytest
from sqlalchemy import select

from webapp.extensions import db
from webapp.models import Deputyship, InstanceEvent, RoleAssignment, User
from webapp.services import Forbidden, InvalidSubmission, NotFound, complete_task, grant_role
from webapp.services.clock import VIETNAM
from webapp.services.deputies import cancel_deputyship, candidates, name_deputy, on_behalf_of, run_deputy_periods

CELL = "TQ-LN-THPT"


def _at(day, hour=9):
    return datetime.combine(day, time(hour), VIETNAM)


@pytest.fixture()
def body(world):
    """The cell's secretary (the holder) and a youth-union colleague of the same cell (the deputy)."""
    secretary = world.users[(CELL, "cell_secretary")]
    colleague = world.users[(CELL, "youth_union")]
    assignment = db.session.execute(select(RoleAssignment).where(
        RoleAssignment.user_id == secretary.id, RoleAssignment.role == "cell_secretary",
        RoleAssignment.unit_id == world.cells[CELL].id)).scalar_one()
    return secretary, colleague, assignment


def _holds(user, assignment):
    return db.session.execute(select(RoleAssignment).where(
        RoleAssignment.user_id == user.id, RoleAssignment.role == assignment.role,
        RoleAssignment.unit_id == assignment.unit_id)).scalar_one_or_none()


def _name(holder, deputy, assignment, first, last, now, reason="Nghỉ phép"):
    return name_deputy(holder, assignment_id=assignment.id, deputy_id=deputy.id, starts_on=first, ends_on=last,
                       reason=reason, now=now)


def test_the_deputy_holds_the_role_exactly_for_the_period(body):
    holder, deputy, assignment = body
    monday = date(2026, 3, 2)
    deputyship = _name(holder, deputy, assignment, monday + timedelta(days=1), monday + timedelta(days=4), _at(monday))
    assert deputyship.state == "planned" and _holds(deputy, assignment) is None
    assert deputy.id in {user_id for user_id, _ in candidates(holder, assignment.id)}

    assert run_deputy_periods(_at(monday + timedelta(days=1), 0)) == (1, 0)
    granted = _holds(deputy, assignment)
    assert granted is not None and granted.deputyship_id == deputyship.id
    assert run_deputy_periods(_at(monday + timedelta(days=4), 23)) == (0, 0)  # the last day is included
    assert run_deputy_periods(_at(monday + timedelta(days=5), 0)) == (0, 1)
    assert _holds(deputy, assignment) is None
    assert db.session.get(Deputyship, deputyship.id).state == "ended"
    kinds = db.session.execute(select(InstanceEvent.kind).where(InstanceEvent.kind.like("deputy_%"))
                               .order_by(InstanceEvent.seq)).scalars().all()
    assert kinds == ["deputy_named", "deputy_started", "deputy_ended"]


def test_a_deputy_does_the_holders_steps_on_their_behalf_then_cannot(body, start_case, driver):
    holder, deputy, assignment = body
    case = start_case(CELL)
    today = driver.local_day()
    deputyship = _name(holder, deputy, assignment, today, today + timedelta(days=10), driver.now)
    assert deputyship.state == "active"
    # Run the case until a step of the secretary is open, then let the deputy do it.
    for _ in range(30):
        mine = [t for t in driver.open_tasks(case.id) if t.role == "cell_secretary" and t.assignee_id is None]
        if mine:
            break
        driver.complete(driver.open_tasks(case.id)[0])
    task = mine[0]
    driver.now += timedelta(hours=1)
    complete_task(deputy, task.id, driver.answers(task), now=driver.now)
    acts = db.session.execute(select(InstanceEvent.seq).where(
        InstanceEvent.instance_id == case.id, InstanceEvent.actor_id == deputy.id,
        InstanceEvent.actor_role == "cell_secretary", InstanceEvent.kind == "task_completed")).scalars().all()
    assert acts and on_behalf_of(case.id) == {seq: holder.full_name for seq in acts}
    own = db.session.execute(select(InstanceEvent.seq).where(
        InstanceEvent.instance_id == case.id, InstanceEvent.actor_id == deputy.id,
        InstanceEvent.actor_role == "youth_union")).scalars().all()
    assert not set(own) & set(on_behalf_of(case.id))  # acts in the deputy's own role are theirs

    cancel_deputyship(holder, deputyship.id, now=driver.now + timedelta(minutes=1))
    assert _holds(deputy, assignment) is None
    later = [t for t in driver.open_tasks(case.id) if t.role == "cell_secretary" and t.assignee_id is None]
    for _ in range(30):
        if later:
            break
        driver.complete(driver.open_tasks(case.id)[0])
        later = [t for t in driver.open_tasks(case.id) if t.role == "cell_secretary" and t.assignee_id is None]
    with pytest.raises(Forbidden):
        complete_task(deputy, later[0].id, driver.answers(later[0]), now=driver.now + timedelta(hours=2))


@pytest.mark.parametrize(("change", "field", "code"), [
    ({"first": -1}, "starts_on", "starts_in_past"),
    ({"first": 3, "last": 2}, "ends_on", "ends_before_start"),
    ({"last": 400}, "ends_on", "too_long"),
    ({"reason": "  "}, "reason", "reason_needed"),
    ({"reason": "x" * 301}, "reason", "reason_too_long"),
])
def test_wrong_dates_and_reasons_are_refused(body, change, field, code):
    holder, deputy, assignment = body
    today = date(2026, 3, 2)
    with pytest.raises(InvalidSubmission) as refused:
        _name(holder, deputy, assignment, today + timedelta(days=change.get("first", 0)),
              today + timedelta(days=change.get("last", 5)), _at(today), reason=change.get("reason", "Nghỉ phép"))
    assert refused.value.errors[field] == [code]
    assert db.session.execute(select(Deputyship)).first() is None


def test_wrong_people_are_refused(body, world):
    holder, deputy, assignment = body
    today = date(2026, 3, 2)
    elsewhere = world.users[("TQ-CX-THPT-1", "youth_union")]
    for person, code in ((holder, "deputy_is_holder"), (elsewhere, "deputy_not_same_body")):
        with pytest.raises(InvalidSubmission) as refused:
            _name(holder, person, assignment, today, today, _at(today))
        assert refused.value.errors["deputy"] == [code]
    # Only the holder names a deputy for their own role; a deputy does not pass it on.
    with pytest.raises(Forbidden):
        name_deputy(deputy, assignment_id=assignment.id, deputy_id=deputy.id, starts_on=today, ends_on=today,
                    reason="x", now=_at(today))
    active = _name(holder, deputy, assignment, today, today + timedelta(days=3), _at(today))
    granted = _holds(deputy, assignment)
    third = db.session.execute(select(User).where(User.username == f"{CELL.lower()}.verifier")).scalar_one_or_none()
    if third is not None:
        with pytest.raises(Forbidden):
            name_deputy(deputy, assignment_id=granted.id, deputy_id=third.id, starts_on=today, ends_on=today,
                        reason="x", now=_at(today))
    # One deputy at a time for a role.
    if third is not None:
        with pytest.raises(InvalidSubmission) as refused:
            _name(holder, third, assignment, today + timedelta(days=1), today + timedelta(days=5), _at(today))
        assert refused.value.errors["starts_on"] == ["overlaps"]
    assert db.session.execute(select(Deputyship.id)).scalars().all() == [active.id]


def test_the_period_ends_when_the_holder_loses_the_role(body):
    holder, deputy, assignment = body
    today = date(2026, 3, 2)
    _name(holder, deputy, assignment, today, today + timedelta(days=30), _at(today))
    db.session.delete(db.session.get(RoleAssignment, assignment.id))
    db.session.commit()
    assert run_deputy_periods(_at(today, 15)) == (0, 1)
    assert _holds(deputy, assignment) is None


def test_only_the_holder_or_an_administrator_cancels(body, world):
    holder, deputy, assignment = body
    today = date(2026, 3, 2)
    deputyship = _name(holder, deputy, assignment, today, today + timedelta(days=3), _at(today))
    with pytest.raises(Forbidden):
        cancel_deputyship(deputy, deputyship.id, now=_at(today, 10))
    assert _holds(deputy, assignment) is not None
    stranger = world.users[("TQ-CX-THPT-1", "cell_secretary")]
    with pytest.raises(NotFound):
        cancel_deputyship(stranger, deputyship.id, now=_at(today, 10))
    cancel_deputyship(holder, deputyship.id, now=_at(today, 11))
    assert db.session.get(Deputyship, deputyship.id).state == "cancelled"
    _ = grant_role  # the admin path is the same function with is_admin (tested on the page)
