"""After the engine has run: save the workflow, sync the inbox rows, derive the case's status.

Shared by starting a case, completing a task and firing timers, so the three never disagree
about what a case looks like.
"""

from sqlalchemy import select

from .. import rules
from ..authz import unit_for_lane
from ..engine import SERIALIZER_VERSION
from ..extensions import db
from ..models import HumanTask, Student
from .clock import VIETNAM
from .closed_drafts import discard_closed_drafts
from .register_choices import ASSIGNED_BY_DATA, assigned_account

FINAL_STATUSES = ("official", "rejected", "removed", "stopped", "closed")


def local_day(moment):
    return moment.astimezone(VIETNAM).date()


def _due_on(task, now):
    props = task.properties
    variable = props.get("dueDateVariable")
    if variable and task.data.get(variable):
        try:
            return rules.as_date(task.data[variable])
        except ValueError:
            return None
    days = _rule_days(props.get("dueWorkingDaysRule"), task.data.get("rule_set"))
    if days is not None:
        return rules.add_working_days(local_day(now), days)
    if props.get("dueWorkingDays", "").isdigit():
        return rules.add_working_days(local_day(now), int(props["dueWorkingDays"]))
    return None


def _rule_days(name, rule_set):
    """The working days a rule value of the case's rule set gives (`dueWorkingDaysRule`, e.g. the
    verification answer's `verification_working_days`), so the diagram carries no number; None when
    the task names no rule or the rule set/rule is unknown (the diagram's own `dueWorkingDays` then)."""
    if not name:
        return None
    try:
        value = rules.rule_value(rule_set, name)
    except ValueError:
        return None
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _form_name(task):
    schema = task.properties.get("formJsonSchemaFilename", "")
    return schema.removesuffix(".schema.json") or None


def open_tasks_of(instance_id):
    return db.session.execute(
        select(HumanTask).where(HumanTask.instance_id == instance_id, HumanTask.status == "open")
        .order_by(HumanTask.id)).scalars().all()


def _applicant_account(instance):
    return db.session.execute(select(Student.user_id).where(Student.id == instance.student_id)).scalar()


def sync_human_tasks(instance, case, units, now):
    """Insert rows for newly ready tasks; close rows of tasks the engine cancelled. Returns new rows."""
    ready = {t.id: t for t in case.ready_user_tasks()}
    open_rows = db.session.execute(
        select(HumanTask).where(HumanTask.instance_id == instance.id, HumanTask.status == "open")
    ).scalars().all()
    for row in open_rows:
        if row.task_uuid not in ready:
            row.status, row.completed_at = "cancelled", now
    known = {row.task_uuid for row in open_rows}
    created = []
    for task in ready.values():
        if task.id in known:
            continue
        role = task.lane or "cell_secretary"
        assignee = None
        if role == "applicant":
            # The student acts on their own application; without an account the cell secretary
            # enters the signed paper documents on their behalf.
            assignee = _applicant_account(instance)
            if assignee is None:
                role = "cell_secretary"
        elif _form_name(task) in ASSIGNED_BY_DATA:
            # Each introducer's letter and the helper's comment: the chosen member's own account
            # alone (register_choices.py refused a member without one when they were chosen).
            assignee = assigned_account(_form_name(task), task.data)
        row = HumanTask(
            instance_id=instance.id, task_uuid=task.id, spec_name=task.spec_name, label=task.label,
            process_id=task.process_id, form_name=_form_name(task), role=role,
            unit_id=unit_for_lane(units, task.lane or role), assignee_id=assignee, status="open",
            created_at=now, due_on=_due_on(task, now))
        db.session.add(row)
        created.append(row)
    return created


def _status(case, facts, has_open_tasks):
    case_status = facts.get("case_status") or "in_progress"
    if case.completed:
        return case_status if case_status in FINAL_STATUSES else "closed"
    if case_status == "in_progress" and not has_open_tasks and case.next_timer_at() is not None:
        return "waiting"
    return case_status


def _current_step(case, ready):
    if ready:
        return "; ".join(sorted({t.label for t in ready}))[:300]
    timers = case.pending_timers()
    if timers:
        name, when = min(timers, key=lambda t: t[1])
        return f"{name} ({local_day(when).strftime('%d/%m/%Y')})"[:300]
    return ""


def save_progress(instance, case, units, now):
    """Write everything the engine changed onto the instance and its inbox rows."""
    created = sync_human_tasks(instance, case, units, now)
    discard_closed_drafts(instance.id)  # a closed task's drafts go with it (issue 15)
    ready = case.ready_user_tasks()
    facts = case.facts()
    instance.serialized = case.serialize()
    instance.serializer_version = SERIALIZER_VERSION
    instance.status = _status(case, facts, bool(ready))
    instance.current_step = _current_step(case, ready)
    instance.outcome = facts.get("outcome") if case.completed else None
    instance.next_timer_at = case.next_timer_at()
    instance.updated_at = now
    if case.completed and instance.finished_at is None:
        instance.finished_at = now
    return created, facts
