"""Verification as letters between units (issue 12): the sending cell records each request (20-KNĐ)
for a place to verify; a request to a unit of the tree moves that place's answering step into the
addressee's own inbox; a request outside the tree leaves it with the cell, which records the
written answer (with its scan) when it comes back. The answer is due after the case's rule set's
`verification_working_days`, counted from the day the request was sent.

Read as SQL: the places come from the application's recorded answers, the steps from human_task;
no workflow is restored.
"""
from dataclasses import dataclass
from datetime import date

from sqlalchemy import delete, select

from .. import rules
from ..authz.verification import answering_role, may_send_verification
from ..extensions import db
from ..models import HumanTask, OrgUnit, ProcessInstance, Student, TaskReminder, VerificationRequest
from ..models.verification import PERSONS, SENT_BY
from ..models.worklist import TaskClaim
from .audit import append_event
from .clock import VIETNAM, resolve_now
from .errors import Forbidden, InvalidSubmission, NotFound
from .notices import write_notices
from .reminders import waiting_for

STEP = "record_verification"
#: The application's fields naming the places to verify, in the order the diagram builds its list
#: (admission.bpmn: `verification_places = [hometown_place, residence_place, other_place]` if given).
PLACE_FIELDS = ("hometown_place", "residence_place", "other_place")


@dataclass(frozen=True)
class PlaceToVerify:
    task_id: int
    place: str
    status: str  # the step's: open, completed, cancelled
    request: VerificationRequest | None
    addressee: str | None
    state: str  # to_send, sent, overdue, answered


def _application(instance_id):
    return db.session.execute(
        select(HumanTask.submitted).where(HumanTask.instance_id == instance_id,
                                          HumanTask.spec_name == "write_application", HumanTask.status == "completed")
        .order_by(HumanTask.id.desc()).limit(1)).scalar() or {}


def places_to_verify(instance_id, today):
    """The case's latest round of verification steps, each with its place and its request."""
    tasks = db.session.execute(select(HumanTask).where(HumanTask.instance_id == instance_id,
                                                       HumanTask.spec_name == STEP)
                               .order_by(HumanTask.id)).scalars().all()
    if not tasks:
        return []
    application = _application(instance_id)
    places = [application.get(field) for field in PLACE_FIELDS if application.get(field)]
    latest = tasks[-len(places):] if places and len(tasks) >= len(places) else tasks
    requests = {r.task_id: r for r in db.session.execute(select(VerificationRequest).where(
        VerificationRequest.task_id.in_([t.id for t in latest]))).scalars()}
    units = dict(db.session.execute(select(OrgUnit.id, OrgUnit.name).where(
        OrgUnit.id.in_([r.addressee_unit_id for r in requests.values() if r.addressee_unit_id]))).all())
    rows = []
    for index, task in enumerate(latest):
        request = requests.get(task.id)
        if task.status == "completed":
            state = "answered"
        elif request is None:
            state = "to_send"
        else:
            state = "overdue" if request.due_on < today else "sent"
        addressee = (units.get(request.addressee_unit_id) if request and request.addressee_unit_id
                     else request.addressee_name if request else None)
        rows.append(PlaceToVerify(task.id, places[index] if index < len(places) else "", task.status, request,
                                  addressee, state))
    return rows


def unit_by_code(code):
    """The unit a request is addressed to, by its code as the sender types it (None if unknown)."""
    code = (code or "").strip().upper()
    return db.session.execute(select(OrgUnit).where(OrgUnit.code == code)).scalar_one_or_none() if code else None


def addressee_suggestions(limit=2000):
    """(code, name) of the committees a request usually goes to, for the form's suggestions."""
    return db.session.execute(select(OrgUnit.code, OrgUnit.name).where(
        OrgUnit.kind.in_(("grassroots_committee", "commune", "district"))).order_by(OrgUnit.name).limit(limit)).all()


def move_step(task, unit_id, role):
    """The step now waits for `role` at `unit_id` (or for a new deadline): the reminders and claims
    were about the old deadline and the old holders, so they start again."""
    db.session.execute(delete(TaskReminder).where(TaskReminder.task_id == task.id))
    db.session.execute(delete(TaskClaim).where(TaskClaim.human_task_id == task.id))
    task.unit_id, task.role = unit_id, role


def instance_student_name(instance):
    """The name the addressee verifies: they are asked about this person, so it is theirs to read."""
    return db.session.execute(select(Student.full_name).where(Student.id == instance.student_id)).scalar()


def send_request(user, task_id, *, number, sent_on, persons, addressee_unit_id=None, addressee_name=None,
                 addressee_address=None, sent_by="post", instance_id=None, now=None):
    """Record the request for one place; route its answering step to the addressee when in the tree."""
    now = resolve_now(now)
    today = now.astimezone(VIETNAM).date()
    task = db.session.get(HumanTask, task_id)
    if task is None or task.spec_name != STEP or (instance_id is not None and task.instance_id != instance_id):
        raise NotFound(f"no verification step {task_id}")
    instance = db.session.get(ProcessInstance, task.instance_id)
    if not may_send_verification(user.id, instance):
        raise Forbidden("only the case's cell secretary sends its verification requests",
                        code="verification_not_your_cell")
    if task.status != "open":
        raise InvalidSubmission({"task": ["step_not_open"]})
    if db.session.execute(select(VerificationRequest.id).where(VerificationRequest.task_id == task.id)).first():
        raise InvalidSubmission({"task": ["already_sent"]})
    errors = {}
    number = (number or "").strip()
    if not number or len(number) > 60:
        errors["number"] = ["number_needed"]
    if not isinstance(sent_on, date):
        errors["sent_on"] = ["date_needed"]
    elif sent_on > today:
        errors["sent_on"] = ["sent_in_future"]
    else:
        application_day = _application(instance.id).get("application_date")
        if application_day and sent_on < rules.as_date(application_day):
            errors["sent_on"] = ["sent_before_application"]
    persons = [p for p in (persons or []) if p]
    if not persons or any(p not in PERSONS for p in persons) or len(set(persons)) != len(persons):
        errors["persons"] = ["persons_needed"]
    if sent_by not in SENT_BY:
        errors["sent_by"] = ["unknown_way"]
    addressee_name, addressee_address = (addressee_name or "").strip(), (addressee_address or "").strip()
    role = None
    if addressee_unit_id:
        if addressee_name or addressee_address:
            errors["addressee"] = ["one_addressee"]
        elif db.session.get(OrgUnit, addressee_unit_id) is None:
            errors["addressee"] = ["unknown_unit"]
        else:
            role = answering_role(addressee_unit_id)
            if role is None:
                errors["addressee"] = ["nobody_answers"]
    elif not addressee_name or not addressee_address or len(addressee_name) > 200 or len(addressee_address) > 300:
        errors["addressee"] = ["addressee_needed"]
    if errors:
        raise InvalidSubmission(errors)
    due_on = rules.add_working_days(sent_on, rules.rule_value(instance.rule_set, "verification_working_days"))
    request = VerificationRequest(task_id=task.id, instance_id=instance.id, number=number, sent_on=sent_on,
                                  persons=persons, addressee_unit_id=addressee_unit_id or None,
                                  addressee_name=addressee_name or None, addressee_address=addressee_address or None,
                                  sent_by=sent_by, due_on=due_on, sent_by_user_id=user.id, created_at=now)
    db.session.add(request)
    task.due_on = due_on
    move_step(task, addressee_unit_id or task.unit_id, role or task.role)
    append_event(kind="verification_requested", occurred_at=now, instance_id=instance.id, actor=user,
                 actor_role="cell_secretary", actor_unit_id=instance.unit_id, task_spec=STEP,
                 payload={"human_task_id": task.id, "number": number, "sent_on": sent_on.isoformat(),
                          "persons": persons, "addressee_unit_id": addressee_unit_id or None,
                          "addressee_name": addressee_name or None, "sent_by": sent_by,
                          "due_on": due_on.isoformat()})
    if addressee_unit_id:
        db.session.flush()
        sender = db.session.get(OrgUnit, instance.unit_id).name
        write_notices(waiting_for(task), kind="verification_requested", instance_id=instance.id, task_id=task.id,
                      now=now, params={"case": instance.id, "step": task.label, "spec": STEP, "unit": sender,
                                       "number": number, "due_on": due_on.isoformat(),
                                       "student": instance_student_name(instance)})
    db.session.commit()
    return request
