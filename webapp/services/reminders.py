"""Reminders before a step's deadline and escalation once it has passed (run by `flask worker`).

For every open step with a due date:
- `lead_working_days` before it is due, those who must act are reminded (`due_soon`);
- the day after it was due, they are told it is overdue and the level above is told too
  (`overdue`): the holders of the escalation roles (by default the organisation board and the
  standing committee) in the nearest unit above the step's unit that has any.

Each (step, kind) happens once: the reminder row's unique pair is inserted first, and a second
worker sweeping at the same time fails that insert and leaves the step to the first. The notices,
the reminder row and the case's timeline entry (an audit event) are one transaction per step.
Read with the partial index of open steps by due date; no workflow is restored.
"""
import logging
from dataclasses import dataclass

from sqlalchemy import and_, exists, select
from sqlalchemy import exc as database_errors

from .. import rules
from ..extensions import db
from ..models import (
    HumanTask,
    OrgUnit,
    ProcessInstance,
    RoleAssignment,
    Student,
    TaskReminder,
    UnitClosure,
    User,
)
from .audit import append_event
from .clock import VIETNAM, resolve_now
from .notices import write_notices

BATCH = 200
DEFAULT_ESCALATION_ROLES = ("org_board", "standing_committee")
log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ReminderPolicy:
    lead_working_days: int = 3
    escalation_roles: tuple = DEFAULT_ESCALATION_ROLES


@dataclass(frozen=True)
class SweepResult:
    reminded: int = 0
    escalated: int = 0


def run_due_reminders(now=None, policy=ReminderPolicy()):
    """Send every reminder and escalation due at `now`; return how many steps got each."""
    now = resolve_now(now)
    today = now.astimezone(VIETNAM).date()
    remind_until = rules.add_working_days(today, policy.lead_working_days)
    reminded = _sweep("due_soon", and_(HumanTask.due_on >= today, HumanTask.due_on <= remind_until), now, policy)
    escalated = _sweep("overdue", HumanTask.due_on < today, now, policy)
    return SweepResult(reminded, escalated)


def _sweep(kind, due_condition, now, policy):
    done, after = 0, 0
    while True:
        sent = exists().where(TaskReminder.task_id == HumanTask.id, TaskReminder.kind == kind)
        ids = db.session.execute(
            select(HumanTask.id).where(HumanTask.status == "open", HumanTask.due_on.is_not(None), due_condition,
                                       ~sent, HumanTask.id > after)
            .order_by(HumanTask.id).limit(BATCH)).scalars().all()
        db.session.rollback()  # end the read; each step is its own unit of work
        if not ids:
            return done
        for task_id in ids:
            done += _remind(task_id, kind, now, policy)
        after = ids[-1]


def _remind(task_id, kind, now, policy):
    try:
        with db.session.begin_nested():
            reminder = TaskReminder(task_id=task_id, kind=kind, sent_at=now, recipients=0)
            db.session.add(reminder)
    except database_errors.IntegrityError:
        db.session.rollback()  # another worker sent it first
        return 0
    task = db.session.get(HumanTask, task_id)
    if task is None or task.status != "open":
        db.session.rollback()
        return 0
    params = _params(task)
    actors = waiting_for(task)
    count = write_notices(actors, kind=kind, params=params, instance_id=task.instance_id, task_id=task.id, now=now)
    above = []
    if kind == "overdue":
        above = [user for user in _level_above(task.unit_id, policy.escalation_roles) if user not in actors]
        count += write_notices(above, kind="escalated", params=params, instance_id=task.instance_id,
                               task_id=task.id, now=now)
    reminder.recipients = count
    append_event(kind="reminder_sent" if kind == "due_soon" else "overdue_escalated", occurred_at=now,
                 instance_id=task.instance_id,
                 payload={"task": task.spec_name, "label": task.label, "due_on": task.due_on.isoformat(),
                          "told": len(actors), "told_above": len(above)})
    db.session.commit()
    log.info("%s for task %s: %d notice(s)", kind, task.id, count)
    return 1


def _params(task):
    """What the notice's words name: nothing the recipients of the case may not already see."""
    student, unit = db.session.execute(
        select(Student.full_name, OrgUnit.name).select_from(ProcessInstance)
        .join(Student, Student.id == ProcessInstance.student_id).join(OrgUnit, OrgUnit.id == task.unit_id)
        .where(ProcessInstance.id == task.instance_id)).one()
    return {"case": task.instance_id, "step": task.label, "spec": task.spec_name, "due_on": task.due_on.isoformat(),
            "unit": unit, "student": student}


def waiting_for(task):
    """Who the step waits for, as the inbox shows it: its one assignee, or its role's holders in its unit."""
    if task.assignee_id is not None:
        return [task.assignee_id]
    return list(db.session.execute(
        select(RoleAssignment.user_id).join(User, User.id == RoleAssignment.user_id)
        .where(RoleAssignment.role == task.role, RoleAssignment.unit_id == task.unit_id, User.active)
        .order_by(RoleAssignment.user_id)).scalars())


def _level_above(unit_id, roles):
    """The holders of `roles` in the nearest unit above `unit_id` that has any."""
    rows = db.session.execute(
        select(UnitClosure.depth, RoleAssignment.user_id)
        .join(RoleAssignment, RoleAssignment.unit_id == UnitClosure.ancestor_id)
        .join(User, User.id == RoleAssignment.user_id)
        .where(UnitClosure.descendant_id == unit_id, UnitClosure.depth > 0, RoleAssignment.role.in_(roles),
               User.active)
        .order_by(UnitClosure.depth, RoleAssignment.user_id)).all()
    nearest = rows[0].depth if rows else None
    return [row.user_id for row in rows if row.depth == nearest]
