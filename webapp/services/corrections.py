"""Correcting a submitted step (issue 15): reopened, never edited silently.

A step may be reopened only while it is the case's last act (no step completed, no timer fired,
no migration after it: the next step has not started). The body that submitted it reopens it to
correct it; the level above (authz.notes) reopens it with a reason too. Reopening resets the
workflow to that task (SpiffWorkflow's `reset_from_task_id`, `CaseWorkflow.reopen`): the steps it
had opened are cancelled, and the task is back in its body's inbox with the values it had
(prefilled). The case keeps both versions: the first submission's `task_completed` event, a
`step_reopened` event (who, in which role, why) with a `step_correction` row holding the values
as they were, then the new submission's own `task_completed` event.

Refused: a step after which something happened (`next_step_started`), a step that wrote the
member register (the ceremony, the recognition: corrected through the register), a finished case,
someone who is neither the body nor the level above, an empty reason, a page drawn before the
case changed (StaleCase), and a second click (the step is open again already).
"""
from dataclasses import dataclass

from sqlalchemy import delete, select
from sqlalchemy.orm import aliased

from ..authz import LEVEL_ABOVE, can_see_instance, case_reader, case_units, correction_right
from ..engine import CaseWorkflow, TaskNotReady
from ..extensions import db
from ..models import (
    CaseStage,
    HumanTask,
    InstanceEvent,
    OrgUnit,
    ProcessInstance,
    ProcessVersion,
    StepCorrection,
    User,
)
from ..rules.stage_map import stages_of_event
from .audit import append_event
from .clock import resolve_now
from .dossier import reads_step
from .errors import Forbidden, InvalidSubmission, NotFound, StaleCase
from .locking import lock_instance_for_task
from .progress import save_progress
from .register.case_entry import CEREMONY_STEP, RECOGNITION_STEPS
from .versions import loaded_version

MAX_REASON_CHARS = 1000
#: Events that move a case on: any of them after a step's completion means the next step started.
ACTS = ("case_started", "task_completed", "timer_fired", "case_finished", "case_migrated", "step_reopened")
#: Steps whose completion wrote the member register: a correction there is the register's.
REGISTER_STEPS = (CEREMONY_STEP, *RECOGNITION_STEPS)


class CorrectionRefused(Forbidden):
    """In scope, but this step cannot be reopened now (the code says why)."""


@dataclass(frozen=True)
class Correctable:
    """The case's last completed step, and whether (and as whom) this reader may reopen it."""

    task_id: int
    label: str
    kind: str  # SAME_BODY or LEVEL_ABOVE
    seen_version: int


@dataclass(frozen=True)
class CorrectionView:
    id: int
    human_task_id: int
    label: str
    kind: str
    reason: str
    reopened_by: str
    reopened_role: str | None
    unit_name: str | None
    reopened_at: object
    previous_by: str
    previous_at: object
    fields: tuple  # ChangedField per field of the step's form (empty when withheld)
    resubmitted: bool  # the step has been submitted again since
    withheld: bool = False  # the reader's role does not read this step's data


@dataclass(frozen=True)
class ChangedField:
    spec: object  # taskforms.FieldSpec: its label and choices draw the value
    before: object
    after: object  # None too while the step is not submitted again

    @property
    def changed(self):
        return self.before != self.after


def _last_act(instance_id):
    """(kind, human task id) of the case's latest act, read from the audit trail."""
    row = db.session.execute(
        select(InstanceEvent.kind, InstanceEvent.payload)
        .where(InstanceEvent.instance_id == instance_id, InstanceEvent.kind.in_(ACTS))
        .order_by(InstanceEvent.seq.desc()).limit(1)).first()
    if row is None:
        return None, None
    return row.kind, (row.payload or {}).get("human_task_id")


def _refusal(instance, task):
    """Why `task` cannot be reopened now (a code), or None."""
    if instance.finished_at is not None:
        return "case_finished"
    if task.status != "completed":
        return "step_not_submitted"  # open again already (a second click), or cancelled
    if task.spec_name in REGISTER_STEPS:
        return "step_wrote_register"
    kind, last_task = _last_act(instance.id)
    if kind != "task_completed" or last_task != task.id:
        return "next_step_started"
    return None


def correctable_step(user, instance_id, acting=None):
    """The step this reader may reopen on the case page now, or None (at most one: the last act)."""
    instance = db.session.get(ProcessInstance, instance_id)
    if instance is None or instance.finished_at is not None:
        return None
    kind, task_id = _last_act(instance_id)
    task = db.session.get(HumanTask, task_id) if kind == "task_completed" and task_id else None
    if task is None or _refusal(instance, task) is not None:
        return None
    right = correction_right(user.id, task, acting.assignment_id if acting else None)
    return Correctable(task.id, task.label, right, instance.lock_version) if right else None


def reopen_step(user, human_task_id, reason, *, instance_id=None, acting_assignment_id=None, seen_version=None,
                now=None):
    """Reopen the completed task for correction, in one unit of work; returns the StepCorrection.

    NotFound out of scope; CorrectionRefused (a Forbidden with a code) when the user may not or the
    step cannot be reopened; InvalidSubmission without a reason; StaleCase when the page was
    drawn before the case last changed. `instance_id` (the case in the address) must be the task's.
    """
    now = resolve_now(now)
    try:
        correction = _reopen(user, human_task_id, reason, instance_id, acting_assignment_id, seen_version, now)
        db.session.commit()
        return correction
    except Exception:
        db.session.rollback()
        raise


def _reopen(user, human_task_id, reason, instance_id, acting_assignment_id, seen_version, now):
    task = db.session.get(HumanTask, human_task_id)
    if task is None or (instance_id is not None and task.instance_id != instance_id) or \
            not can_see_instance(user.id, task.instance_id):
        raise NotFound("no such step in your scope")
    kind = correction_right(user.id, task, acting_assignment_id)
    if kind is None:
        raise CorrectionRefused("neither the step's body nor the level above", code="not_your_correction")
    reason = " ".join((reason or "").split())
    if not reason:
        raise InvalidSubmission({"reason": ["reason_required"]})
    if len(reason) > MAX_REASON_CHARS:
        raise InvalidSubmission({"reason": ["reason_too_long"]})
    instance, content_hash, _student = lock_instance_for_task(task)
    refused = _refusal(instance, task)
    if refused == "step_not_submitted":
        raise CorrectionRefused("the step is not a submitted one", code=refused)
    if seen_version is not None and seen_version != instance.lock_version:
        raise StaleCase("the case changed since the page was opened")
    if refused:
        raise CorrectionRefused(f"the step cannot be reopened: {refused}", code=refused)

    previous = dict(task.submitted or {})
    version = loaded_version(instance.version_id, content_hash)
    case = CaseWorkflow.restore(instance.serialized, version.process_for(instance.process_id))
    definition = version.form(task.form_name) if task.form_name else None
    typed = {name: previous[name] for name in (definition.field_names if definition else ()) if name in previous}
    try:
        case.reopen(task.task_uuid, typed)  # the form shows what was submitted, to be corrected
    except TaskNotReady:
        raise CorrectionRefused("the engine has moved past the step", code="next_step_started") from None
    _forget_stages(instance, task)
    reader = case_reader(user.id, instance, acting_assignment_id)
    correction = StepCorrection(
        instance_id=instance.id, human_task_id=task.id, kind=kind, reason=reason, previous_values=previous,
        previous_by_id=task.completed_by_id, previous_at=task.completed_at, reopened_by_id=user.id,
        reopened_role=reader.role, reopened_unit_id=reader.unit_id, reopened_at=now)
    db.session.add(correction)
    task.status, task.completed_at, task.completed_by_id, task.submitted = "open", None, None, None
    status_before = instance.status
    cancelled = [row.label for row in db.session.execute(
        select(HumanTask).where(HumanTask.instance_id == instance.id, HumanTask.status == "open",
                                HumanTask.id != task.id)).scalars()]
    save_progress(instance, case, case_units(instance.unit_id), now)
    db.session.flush()
    append_event(kind="step_reopened", occurred_at=now, instance_id=instance.id, actor=user,
                 actor_role=reader.role, actor_unit_id=reader.unit_id, task_spec=task.spec_name,
                 payload={"human_task_id": task.id, "label": task.label, "correction_id": correction.id,
                          "by": kind, "reason": reason, "cancelled": cancelled,
                          "status": {"before": status_before, "after": instance.status}})
    return correction


def _forget_stages(instance, task):
    """The report facts (case_stage, issue 11) the step's completion wrote go with it, in this unit of work.

    Its `task_completed` event says what it reached (rules/stage_map.py, the same map that wrote
    them): those rows recorded by that very event are deleted and the case columns it filled are
    emptied. The new submission records them again from its own event.
    """
    event = db.session.execute(
        select(InstanceEvent).where(InstanceEvent.instance_id == instance.id, InstanceEvent.kind == "task_completed",
                                    InstanceEvent.task_spec == task.spec_name)
        .order_by(InstanceEvent.seq.desc()).limit(1)).scalar_one_or_none()
    if event is None or (event.payload or {}).get("human_task_id") != task.id:
        return
    reached = stages_of_event(event.kind, event.payload, event.occurred_at, rule_set=instance.rule_set,
                              ceremony_date=instance.ceremony_date)
    for column in reached.columns:
        setattr(instance, column, None)
    stages = [stage for stage, _day in reached.stages]
    if stages:
        db.session.execute(delete(CaseStage).where(
            CaseStage.instance_id == instance.id, CaseStage.stage.in_(stages),
            CaseStage.recorded_at == event.occurred_at), execution_options={"synchronize_session": False})


def case_corrections(user_id, instance_id, acting_assignment_id=None):
    """Every reopening of the case's steps, oldest first: the values before and after, as the reader reads them."""
    instance = db.session.get(ProcessInstance, instance_id)
    if instance is None or not can_see_instance(user_id, instance_id):
        return ()
    reader = case_reader(user_id, instance, acting_assignment_id)
    reopener, earlier = aliased(User), aliased(User)
    rows = db.session.execute(
        select(StepCorrection, HumanTask, reopener.full_name, earlier.full_name, OrgUnit.name)
        .join(HumanTask, HumanTask.id == StepCorrection.human_task_id)
        .join(reopener, reopener.id == StepCorrection.reopened_by_id)
        .outerjoin(earlier, earlier.id == StepCorrection.previous_by_id)
        .outerjoin(OrgUnit, OrgUnit.id == StepCorrection.reopened_unit_id)
        .where(StepCorrection.instance_id == instance_id).order_by(StepCorrection.id)).all()
    forms = loaded_version(instance.version_id, db.session.execute(
        select(ProcessVersion.content_hash).where(ProcessVersion.id == instance.version_id)).scalar())
    views = []
    for index, (correction, task, reopened_by, previous_by, unit_name) in enumerate(rows):
        # The values after a reopening: the next reopening's "before", else what the step holds now.
        later = next((c for c, t, *_ in rows[index + 1:] if t.id == task.id), None)
        after = later.previous_values if later is not None else (task.submitted if task.status == "completed"
                                                                 else None)
        readable = reads_step(reader, task) or correction.previous_by_id == user_id
        fields = ()
        definition = forms.form(task.form_name) if readable and task.form_name else None
        if definition is not None:
            before, now_values = correction.previous_values or {}, after or {}
            fields = tuple(ChangedField(spec, before.get(spec.name), now_values.get(spec.name))
                           for spec in definition.fields
                           if before.get(spec.name) not in (None, "") or now_values.get(spec.name) not in (None, ""))
        views.append(CorrectionView(
            correction.id, task.id, task.label, correction.kind, correction.reason, reopened_by,
            correction.reopened_role, unit_name, correction.reopened_at, previous_by or "", correction.previous_at,
            fields, after is not None, withheld=not readable))
    return tuple(views)




@dataclass(frozen=True)
class Reopening:
    reason: str
    reopened_by: str
    reopened_at: object
    kind: str


def latest_reopening(human_task_id):
    """Why the open task is open again (its latest correction), for its page; None if it never was reopened."""
    row = db.session.execute(
        select(StepCorrection.reason, User.full_name, StepCorrection.reopened_at, StepCorrection.kind)
        .join(User, User.id == StepCorrection.reopened_by_id)
        .join(HumanTask, HumanTask.id == StepCorrection.human_task_id)
        .where(StepCorrection.human_task_id == human_task_id, HumanTask.status == "open")
        .order_by(StepCorrection.id.desc()).limit(1)).first()
    return Reopening(*row) if row is not None else None


__all__ = [
    "LEVEL_ABOVE", "ChangedField", "Correctable", "CorrectionRefused", "CorrectionView", "Reopening",
    "case_corrections", "correctable_step", "latest_reopening", "reopen_step",
]
