"""One case's dossier as a reader sees it: the student, every recorded step, what is open, attachments.

Drawn from the human_task rows (what each step recorded) and the version's form definitions
(what each field means), never from the workflow document. What a reader sees of it is the
need-to-know policy's answer (`authz.need_to_know`): a step whose kind of data the reader's role
does not read is listed (who did what, when) with its values withheld.
"""
from dataclasses import dataclass

from sqlalchemy import select

from ..authz import Reader, can_see_instance, case_reader, section_of
from ..authz.verification import answers_a_request
from ..extensions import db
from ..models import (
    Attachment,
    HumanTask,
    OrgUnit,
    ProcessInstance,
    ProcessVersion,
    Student,
    User,
)
from .attachments import attachment_for_download
from .errors import Forbidden, NotFound
from .versions import loaded_version


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
    withheld: bool = False  # values not shown: the reader's role does not read this kind of data


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
    reader: Reader
    attachments_withheld: int = 0  # scans the reader's role does not read

    def opens(self, page):
        """May the reader open this page of the case (history, diagram, print)?"""
        return self.reader.opens(page)


def mask_citizen_id(value):
    value = value or ""
    return "•" * max(0, len(value) - 3) + value[-3:]


def case_dossier(user_id, instance_id, acting_assignment_id=None):
    """The dossier as this reader may see it (the role they act in, if it reaches the case)."""
    instance = db.session.get(ProcessInstance, instance_id)
    if instance is not None and not can_see_instance(user_id, instance_id) and answers_a_request(user_id, instance_id):
        return _for_the_addressee(user_id, instance)
    if instance is None or not can_see_instance(user_id, instance_id):
        raise NotFound("no such case in your scope")
    reader = case_reader(user_id, instance, acting_assignment_id)
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
        readable = reads_step(reader, task)
        definition = forms.form(task.form_name) if task.form_name and readable else None
        fields = tuple(RecordedField(spec, (task.submitted or {}).get(spec.name))
                       for spec in (definition.fields if definition else ())
                       if (task.submitted or {}).get(spec.name) not in (None, ""))
        steps.append(RecordedStep(task.id, task.spec_name, task.label, task.role, unit_name, actor_name or "",
                                  task.completed_at, fields, withheld=not readable))
    attachments = db.session.execute(
        select(Attachment.id, Attachment.file_name, Attachment.content_type, Attachment.size,
               Attachment.uploaded_at, User.full_name, Attachment.uploaded_by_id)
        .join(User, User.id == Attachment.uploaded_by_id)
        .where(Attachment.instance_id == instance_id).order_by(Attachment.id)).all()
    readable_attachments = tuple(row for row in attachments if reads_attachment(reader, row.uploaded_by_id))
    shown = student.citizen_id if reader.reads("citizen_id") else mask_citizen_id(student.citizen_id)
    return Dossier(instance, student, shown, db.session.get(OrgUnit, instance.unit_id).name, version.number,
                   tuple(steps), tuple(open_steps), readable_attachments, reader,
                   len(attachments) - len(readable_attachments))


def _for_the_addressee(user_id, instance):
    """What the addressee of a verification request reads (issue 12): who is asked about, with the
    identity number masked, and no step, answer or scan of the case."""
    student = db.session.get(Student, instance.student_id)
    version = db.session.get(ProcessVersion, instance.version_id)
    cell = db.session.get(OrgUnit, instance.unit_id).name
    return Dossier(instance, student, mask_citizen_id(student.citizen_id), cell, version.number, (), (), (),
                   Reader(user_id, frozenset(), None, None))


def reads_step(reader, task):
    """May the reader see what this completed step recorded? Its kind of data, or their own entry."""
    return reader.reads(section_of(task.form_name)) or task.completed_by_id == reader.user_id


def reads_attachment(reader, uploaded_by_id):
    """Scans are read by the roles that read attachments, and by whoever uploaded them."""
    return reader.reads("attachments") or uploaded_by_id == reader.user_id


def readable_attachment(user_id, attachment_id, acting_assignment_id=None):
    """The attachment if the reader may download it: in scope (else NotFound) and need-to-know (else Forbidden)."""
    attachment = attachment_for_download(user_id, attachment_id)
    instance = db.session.get(ProcessInstance, attachment.instance_id)
    if not reads_attachment(case_reader(user_id, instance, acting_assignment_id), attachment.uploaded_by_id):
        raise Forbidden("your role does not read this case's documents", code="not_for_your_role")
    return attachment
