"""A case's full history: every audit event, who acted in which role and unit, the time each step took.

Read from instance_event and human_task. Reading a dossier is itself recorded (`record_view`)
unless the reader is the one the case's open step waits for; what each event recorded is shown
only to roles that read that kind of data (`authz.need_to_know`).
"""
from dataclasses import dataclass

from sqlalchemy import select

from .. import rules
from ..authz import acts_on_open_step, can_see_instance, case_reader
from ..engine import processes_by_file
from ..extensions import db
from ..models import HumanTask, InstanceEvent, OrgUnit, ProcessInstance, ProcessVersion
from .audit import append_event
from .clock import VIETNAM, resolve_now
from .dossier import reads_step
from .errors import Forbidden, NotFound


@dataclass(frozen=True)
class TimelineEntry:
    seq: int
    kind: str
    occurred_at: object
    actor_name: str
    actor_role: str | None
    unit_name: str | None
    task_spec: str | None
    label: str
    data: dict
    status_before: str | None
    status_after: str | None
    arrived_at: object  # when the task opened (task completions)
    working_days: int | None  # working days the step took
    due_on: object
    deadline_met: bool | None
    engine_steps: tuple
    payload: dict


def record_view(user, instance, what, *, acting=None, now=None):
    """A reading of a case's data is an audit event, with the reader's role and unit.

    Not recorded: the person the case's open step waits for, reading it to do that step (in the
    role they act in), and the student reading their own case. Everyone else — upper levels,
    auditors, administrators, the cell reading a case that waits elsewhere — is recorded, on every
    page that shows the case's data. One insert; `dossier_viewed` events are not state changes.
    """
    reader = case_reader(user.id, instance, acting.assignment_id if acting else None)
    if reader.own_case and reader.roles == {"applicant"}:
        return
    if acts_on_open_step(user.id, instance.id, acting):
        return
    append_event(kind="dossier_viewed", occurred_at=resolve_now(now), instance_id=instance.id, actor=user,
                 actor_role=reader.role, actor_unit_id=reader.unit_id, payload={"view": what})
    db.session.commit()


def record_listing(user, acting, what, instance_ids, *, now=None):
    """A page listing cases' data (search results): one event naming the cases shown, not one per case."""
    if not instance_ids:
        return
    append_event(kind="dossier_viewed", occurred_at=resolve_now(now), actor=user,
                 actor_role=acting.role if acting else None, actor_unit_id=acting.unit_id if acting else None,
                 payload={"view": what, "instances": list(instance_ids)})
    db.session.commit()


def require_page(user, instance, page, acting=None):
    """Forbidden unless the reader's role opens this page of a case (history, diagram, print)."""
    if not case_reader(user.id, instance, acting.assignment_id if acting else None).opens(page):
        raise Forbidden(f"your role does not open the case's {page}", code="not_for_your_role")


def visible_instance(user_id, instance_id):
    instance = db.session.get(ProcessInstance, instance_id)
    if instance is None or not can_see_instance(user_id, instance_id):
        raise NotFound("no such case in your scope")
    return instance


def case_timeline(user, instance_id, *, now=None, record=True, acting=None):
    """Every event of the case; what a step recorded only where the reader's role reads that data."""
    instance = visible_instance(user.id, instance_id)
    if record:
        record_view(user, instance, "history", acting=acting, now=now)
    reader = case_reader(user.id, instance, acting.assignment_id if acting else None)
    tasks = {t.id: t for t in db.session.execute(
        select(HumanTask).where(HumanTask.instance_id == instance_id)).scalars()}
    units = dict(db.session.execute(select(OrgUnit.id, OrgUnit.name)).all())
    entries = []
    for event in db.session.execute(
            select(InstanceEvent).where(InstanceEvent.instance_id == instance_id).order_by(InstanceEvent.seq)
    ).scalars():
        payload = event.payload or {}
        task = tasks.get(payload.get("human_task_id"))
        arrived = task.created_at if task else None
        took = (rules.working_days_between(arrived.astimezone(VIETNAM).date(),
                                           event.occurred_at.astimezone(VIETNAM).date()) if arrived else None)
        due = task.due_on if task else None
        met = (event.occurred_at.astimezone(VIETNAM).date() <= due) if (task and due) else None
        status = payload.get("status")
        if not isinstance(status, dict):  # only a step's event carries a before/after status
            status = {}
        data = payload.get("data") or {}
        if data and not (task is not None and reads_step(reader, task)):
            data = {}  # a task's data the reader's role does not read (or no task to classify it by)
            payload = {key: value for key, value in payload.items() if key != "data"}
        entries.append(TimelineEntry(
            seq=event.seq, kind=event.kind, occurred_at=event.occurred_at, actor_name=event.actor_name,
            actor_role=event.actor_role, unit_name=units.get(event.actor_unit_id), task_spec=event.task_spec,
            label=payload.get("label") or "", data=data, status_before=status.get("before"),
            status_after=status.get("after"), arrived_at=arrived, working_days=took, due_on=due,
            deadline_met=met, engine_steps=tuple(payload.get("engine_steps") or ()), payload=payload))
    return instance, entries


@dataclass(frozen=True)
class PathMarks:
    """What the diagram of a case marks: steps done, steps open, steps cancelled, by process."""

    completed: dict  # process id → set of element ids
    current: dict
    cancelled: dict


def case_path(instance_id):
    """Element ids the case went through, from the audit trail and the inbox rows."""
    completed, current, cancelled = {}, {}, {}
    for task in db.session.execute(select(HumanTask).where(HumanTask.instance_id == instance_id)).scalars():
        target = {"completed": completed, "open": current, "cancelled": cancelled}[task.status]
        target.setdefault(task.process_id, set()).add(task.spec_name)
    for payload in db.session.execute(
            select(InstanceEvent.payload).where(InstanceEvent.instance_id == instance_id)).scalars():
        for step in (payload or {}).get("engine_steps", ()):
            completed.setdefault("*", set()).add(step)
    return PathMarks(completed, current, cancelled)


@dataclass(frozen=True)
class DiagramFiles:
    main_process: str
    by_process: dict  # process id → file name
    content: dict  # file name → bytes


def diagram_files(instance_id):
    """The exact diagrams of the version the case runs on."""
    instance = db.session.get(ProcessInstance, instance_id)
    version = db.session.get(ProcessVersion, instance.version_id)
    content = {f.name: f.content for f in version.files if f.name.endswith(".bpmn")}
    return DiagramFiles(version.process_id, processes_by_file(content), content)
