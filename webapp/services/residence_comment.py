"""The residence comment (issue 12, 5-KNĐ): written by the committee of the cell where the student
lives. While the step waits, the case's cell secretary may send it to that cell when it is in the
tree: the step moves into that cell's secretary's inbox, the move is recorded in the timeline and
they are told; otherwise it stays with the school cell's `residence_cell` role, who records the
written comment the residence cell sent on paper."""
from dataclasses import dataclass

from sqlalchemy import select

from ..authz.verification import RESIDENCE_STEP, may_send_verification, residence_comment_role
from ..extensions import db
from ..models import HumanTask, OrgUnit, ProcessInstance
from .audit import append_event
from .clock import resolve_now
from .errors import Forbidden, InvalidSubmission, NotFound
from .notices import write_notices
from .reminders import waiting_for
from .verification_letters import instance_student_name, move_step


@dataclass(frozen=True)
class ResidenceStep:
    task_id: int
    status: str  # open, completed
    unit_name: str  # where the step waits or was written
    sent_to_residence_cell: bool  # moved to the residence cell's own inbox


def residence_step(instance_id):
    """The case's latest residence comment step, or None before the dossier gets there."""
    row = db.session.execute(
        select(HumanTask, OrgUnit.name, ProcessInstance.unit_id)
        .join(OrgUnit, OrgUnit.id == HumanTask.unit_id)
        .join(ProcessInstance, ProcessInstance.id == HumanTask.instance_id)
        .where(HumanTask.instance_id == instance_id, HumanTask.spec_name == RESIDENCE_STEP,
               HumanTask.status.in_(("open", "completed")))
        .order_by(HumanTask.id.desc()).limit(1)).first()
    if row is None:
        return None
    task, unit_name, case_cell = row
    return ResidenceStep(task.id, task.status, unit_name, task.unit_id != case_cell)


def send_to_residence_cell(user, instance_id, unit_id, *, now=None):
    """Move the open residence comment step of the case to the residence cell `unit_id`."""
    now = resolve_now(now)
    instance = db.session.get(ProcessInstance, instance_id)
    if instance is None:
        raise NotFound(f"no case {instance_id}")
    if not may_send_verification(user.id, instance):
        raise Forbidden("only the case's cell secretary sends its residence comment", code="residence_not_your_cell")
    task = db.session.execute(select(HumanTask).where(
        HumanTask.instance_id == instance.id, HumanTask.spec_name == RESIDENCE_STEP,
        HumanTask.status == "open")).scalar_one_or_none()
    if task is None:
        raise InvalidSubmission({"residence": ["residence_step_not_open"]})
    if task.unit_id != instance.unit_id:
        raise InvalidSubmission({"residence": ["residence_already_sent"]})
    unit = db.session.get(OrgUnit, unit_id) if unit_id else None
    if unit is None:
        raise InvalidSubmission({"residence": ["unknown_unit"]})
    if unit.id == instance.unit_id or unit.kind not in ("cell", "grassroots_cell"):
        raise InvalidSubmission({"residence": ["residence_not_a_cell"]})
    role = residence_comment_role(unit.id)
    if role is None:
        raise InvalidSubmission({"residence": ["nobody_answers"]})
    move_step(task, unit.id, role)
    append_event(kind="residence_comment_requested", occurred_at=now, instance_id=instance.id, actor=user,
                 actor_role="cell_secretary", actor_unit_id=instance.unit_id, task_spec=RESIDENCE_STEP,
                 payload={"human_task_id": task.id, "residence_unit_id": unit.id, "residence_unit": unit.name})
    db.session.flush()
    sender = db.session.get(OrgUnit, instance.unit_id).name
    write_notices(waiting_for(task), kind="residence_comment_requested", instance_id=instance.id, task_id=task.id,
                  now=now, params={"case": instance.id, "step": task.label, "spec": RESIDENCE_STEP, "unit": sender,
                                   "student": instance_student_name(instance),
                                   "due_on": task.due_on.isoformat() if task.due_on else None})
    db.session.commit()
    return task
