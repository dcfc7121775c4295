"""One case's dossier as a reader sees it: the student, every recorded step, what is open, attachments.

Drawn from the human_task rows (what each step recorded) and the version's form definitions
(what each field means), never from the workflow document.
"""
from dataclasses import dataclass

from sqlalchemy import select

from ..authz import can_see_instance
from ..extensions import db
from ..models import (
    Attachment,
    HumanTask,
    OrgUnit,
    ProcessInstance,
    ProcessVersion,
    RoleAssignment,
    Student,
    UnitClosure,
    User,
)
from .errors import NotFound
from .versions import loaded_version

#: Roles that need the full citizen ID (they fill in and check the official forms).
ID_READERS = ("cell_secretary", "org_board")


@dataclass(frozen=True)
class RecordedField:
    spec: object  # taskforms.FieldSpec: label, choices, type
    value: object


@dataclass(frozen=True)
class RecordedStep:
    task_id: int
    spec_name: str
    label: str
    role: str
    unit_name: str
    actor_name: str
    completed_at: object
    fields: tuple


@dataclass(frozen=True)
class OpenStep:
    task_id: int
    spec_name: str
    label: str
    role: str
    unit_name: str
    arrived: object
    due_on: object


@dataclass(frozen=True)
class Dossier:
    instance: ProcessInstance
    student: Student
    citizen_id_shown: str
    unit_name: str
    version_number: int
    steps: tuple
    open_steps: tuple
    attachments: tuple


def mask_citizen_id(value):
    value = value or ""
    return "•" * max(0, len(value) - 3) + value[-3:]


def _reads_ids(user_id, unit_id):
    return db.session.execute(select(
        select(RoleAssignment.id).join(UnitClosure, UnitClosure.ancestor_id == RoleAssignment.unit_id)
        .where(RoleAssignment.user_id == user_id, RoleAssignment.role.in_(ID_READERS),
               UnitClosure.descendant_id == unit_id).exists())).scalar()


def case_dossier(user_id, instance_id):
    instance = db.session.get(ProcessInstance, instance_id)
    if instance is None or not can_see_instance(user_id, instance_id):
        raise NotFound("no such case in your scope")
    version = db.session.get(ProcessVersion, instance.version_id)
    forms = loaded_version(version.id, version.content_hash)
    student = db.session.get(Student, instance.student_id)
    rows = db.session.execute(
        select(HumanTask, OrgUnit.name, User.full_name)
        .join(OrgUnit, OrgUnit.id == HumanTask.unit_id)
        .outerjoin(User, User.id == HumanTask.completed_by_id)
        .where(HumanTask.instance_id == instance_id, HumanTask.status.in_(("open", "completed")))
        .order_by(HumanTask.completed_at.nulls_last(), HumanTask.id)).all()
    steps, open_steps = [], []
    for task, unit_name, actor_name in rows:
        if task.status == "open":
            open_steps.append(OpenStep(task.id, task.spec_name, task.label, task.role, unit_name, task.created_at,
                                       task.due_on))
            continue
        definition = forms.form(task.form_name) if task.form_name else None
        fields = tuple(RecordedField(spec, (task.submitted or {}).get(spec.name))
                       for spec in (definition.fields if definition else ())
                       if (task.submitted or {}).get(spec.name) not in (None, ""))
        steps.append(RecordedStep(task.id, task.spec_name, task.label, task.role, unit_name, actor_name or "",
                                  task.completed_at, fields))
    attachments = db.session.execute(
        select(Attachment.id, Attachment.file_name, Attachment.content_type, Attachment.size,
               Attachment.uploaded_at, User.full_name)
        .join(User, User.id == Attachment.uploaded_by_id)
        .where(Attachment.instance_id == instance_id).order_by(Attachment.id)).all()
    shown = student.citizen_id if _reads_ids(user_id, instance.unit_id) else mask_citizen_id(student.citizen_id)
    return Dossier(instance, student, shown, db.session.get(OrgUnit, instance.unit_id).name, version.number,
                   tuple(steps), tuple(open_steps), tuple(attachments))
