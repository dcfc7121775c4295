"""Failed steps: recorded as rows of the audit trail, listed from indexed columns (issue 15).

A failure is recorded after the failed attempt was rolled back, in a unit of work of its own
(the rule the timer worker already follows): the case is marked `failed` and an event says what
failed and why — `timer_failed` (the worker, services/timers.py) or `step_failed` (a step's code
failing when a person completed it: that person's step stays open, but nobody can get past it
until the diagram is fixed). The list is a query on `process_instance.status` (its unit/status
index) and the cases' own events (the instance_id index); no workflow is restored to draw it.
"""
import logging
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select, update

from ...extensions import db
from ...models import InstanceEvent, OrgUnit, ProcessInstance, ProcessVersion, Student
from ..audit import append_event
from ..deployments import require_admin
from ..versions import MAIN_PROCESS, active_version

FAILURE_KINDS = ("timer_failed", "step_failed")
#: Codes that say the server was busy, not that the diagram is wrong: not a failure of the case.
TRANSIENT_CODES = ("busy",)
PAGE_SIZE = 50
log = logging.getLogger(__name__)


def record_completion_failure(user, failure, now):
    """After a completion's rollback: mark the case failed and keep a `step_failed` event (one commit).

    `failure` is the StepFailed's record (services/tasks.py). The status is written without the
    version counter, so the person's page (which holds the counter) is not made stale by it. A
    failure that could not be recorded is logged; the person's message is unchanged either way.
    """
    if not failure or failure.get("code") in TRANSIENT_CODES:
        return
    try:
        db.session.execute(update(ProcessInstance).where(ProcessInstance.id == failure["instance_id"])
                           .values(status="failed").execution_options(synchronize_session=False))
        append_event(kind="step_failed", occurred_at=now, instance_id=failure["instance_id"], actor=user,
                     actor_role=failure.get("role"), actor_unit_id=failure.get("unit_id"),
                     task_spec=failure.get("task"), payload={k: v for k, v in failure.items()
                                                             if k not in ("instance_id", "role", "unit_id")})
        db.session.commit()
    except Exception as failed:  # noqa: BLE001 — the person's answer must not turn into a 500
        db.session.rollback()
        log.error("the failed step of case %s could not be recorded (%s)", failure.get("instance_id"),
                  type(failed).__name__)


@dataclass(frozen=True)
class FailedCase:
    instance_id: int
    student_name: str
    unit_name: str
    version_number: int
    current_step: str
    failed_at: datetime
    failure_id: int | None  # the latest failure event: the retry form carries it (a newer one makes it stale)
    kind: str | None  # timer_failed, step_failed
    payload: dict


@dataclass(frozen=True)
class FailedCases:
    rows: tuple
    total: int
    page: int
    pages: int
    active_number: int | None  # the active version, where a fixed diagram is deployed
    active_id: int | None


def latest_failures(instance_ids):
    """{instance id: its latest failure event} for the given cases (the events' instance_id index)."""
    if not instance_ids:
        return {}
    newest = (select(func.max(InstanceEvent.id)).where(InstanceEvent.instance_id.in_(instance_ids),
                                                       InstanceEvent.kind.in_(FAILURE_KINDS))
              .group_by(InstanceEvent.instance_id))
    events = db.session.execute(select(InstanceEvent).where(InstanceEvent.id.in_(newest))).scalars()
    return {event.instance_id: event for event in events}


def failed_cases(user, page=1, process_id=MAIN_PROCESS):
    """The failed cases, most recently changed first, with each one's latest failure."""
    require_admin(user)
    failed = ProcessInstance.status == "failed"
    total = db.session.execute(select(func.count()).select_from(ProcessInstance).where(failed)).scalar()
    pages = max(1, -(-total // PAGE_SIZE))
    page = min(max(1, page or 1), pages)
    rows = db.session.execute(
        select(ProcessInstance.id, Student.full_name, OrgUnit.name, ProcessVersion.number,
               ProcessInstance.current_step, ProcessInstance.updated_at)
        .join(Student, Student.id == ProcessInstance.student_id)
        .join(OrgUnit, OrgUnit.id == ProcessInstance.unit_id)
        .join(ProcessVersion, ProcessVersion.id == ProcessInstance.version_id)
        .where(failed).order_by(ProcessInstance.updated_at.desc(), ProcessInstance.id.desc())
        .limit(PAGE_SIZE).offset((page - 1) * PAGE_SIZE)).all()
    events = latest_failures([row[0] for row in rows])
    cases = []
    for instance_id, name, unit_name, number, step, updated_at in rows:
        event = events.get(instance_id)
        cases.append(FailedCase(instance_id, name, unit_name, number, step,
                                event.occurred_at if event else updated_at, event.id if event else None,
                                event.kind if event else None, dict(event.payload) if event else {}))
    active = active_version(process_id)
    return FailedCases(tuple(cases), total, page, pages, active.number if active else None,
                       active.id if active else None)
