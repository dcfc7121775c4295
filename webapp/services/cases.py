"""Register a student and start their case."""
from sqlalchemy import select

from ..authz import acting_assignment, case_units
from ..engine import CaseWorkflow, RunawayInstance, ScriptError
from ..extensions import db
from ..models import ProcessInstance, RoleAssignment, Student
from .audit import append_event
from .clock import VIETNAM, resolve_now
from .errors import Forbidden, InvalidBatch, InvalidSubmission, NotFound, StepFailed
from .people_registry import normalised_citizen_id, refuse_impossible_birth, refuse_registered_person
from .progress import open_tasks_of, save_progress
from .startable import may_start
from .step_failures import step_failure_message
from .student_facts import clean_statistics
from .tasks import complete_in_transaction
from .versions import MAIN_PROCESS, active_version, loaded_version

STUDENT_FIELDS = ("full_name", "date_of_birth", "sex", "ethnicity", "religion", "citizen_id",
                  "youth_union_member", "occupation", "education_level", "school", "class_name", "readmission")


def _starting_assignment(actor, unit_id, process_id, role=None):
    """The actor's assignment in `unit_id` that may start `process_id` (as `role` when given), or None."""
    roles = (role,) if role else _roles_in(actor.id, unit_id)
    for candidate in roles:
        assignment = acting_assignment(actor.id, candidate, unit_id)
        if assignment is not None and may_start(actor.id, process_id, candidate, unit_id):
            return assignment
    return None


def _roles_in(user_id, unit_id):
    return db.session.execute(
        select(RoleAssignment.role).where(RoleAssignment.user_id == user_id, RoleAssignment.unit_id == unit_id)
        .order_by(RoleAssignment.id)).scalars().all()


#: What a failure before the first step is called in its message ("Bước “Mở hồ sơ” không thực hiện được").
START_LABEL = {"vi": "Mở hồ sơ", "en": "Open the case"}
REQUIRED_FIELDS = ("full_name", "date_of_birth", "citizen_id", "school", "class_name", "sex")


def register_and_start(actor, unit_id, student_fields, *, user_id=None, now=None, process_id=MAIN_PROCESS,
                       role=None, lang="vi"):
    """Put a student on the cell's list and start their case of `process_id`: one unit of work.

    Forbidden unless the actor holds a role in `unit_id` (`role` when given) that the process's
    startable rule admits there (authz.may_start_process).
    """
    now = resolve_now(now)
    try:
        assignment = _assignment_or_refuse(actor, unit_id, process_id, role)
        instance = _register(actor, assignment, unit_id, student_fields, user_id, now, process_id, lang)
        db.session.commit()
        return instance
    except Exception:
        db.session.rollback()
        raise


def nominate_batch(actor, unit_id, students, nomination, *, now=None, acting_assignment_id=None, lang="vi"):
    """The Youth Union nominates several students at once: one case each, all or nothing.

    Each case starts and its nomination step is completed with the shared resolution
    (`nomination`: number, date); every case records its own events.
    """
    now = resolve_now(now)
    errors = {}
    try:
        assignment = _assignment_or_refuse(actor, unit_id)
        for index, fields in enumerate(students):
            try:
                with db.session.begin_nested():
                    instance = _register(actor, assignment, unit_id, fields, None, now, lang=lang)
                    task = next(t for t in open_tasks_of(instance.id) if t.spec_name == "nominate_student")
                    complete_in_transaction(actor, task.id, nomination | {
                        "youth_union_member": bool(fields.get("youth_union_member", True))}, now,
                        acting_assignment_id, lang)
            except InvalidSubmission as invalid:
                errors[index] = invalid.errors
        if errors:
            raise InvalidBatch(errors)
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise


def _assignment_or_refuse(actor, unit_id, process_id=MAIN_PROCESS, role=None):
    assignment = _starting_assignment(actor, unit_id, process_id, role)
    if assignment is None:
        raise Forbidden(f"no role of this user in this unit may start the process '{process_id}'")
    return assignment


def _register(actor, assignment, unit_id, student_fields, user_id, now, process_id=MAIN_PROCESS, lang="vi"):
    missing = [f for f in REQUIRED_FIELDS if not student_fields.get(f)]
    if missing:
        raise InvalidSubmission({f: ["required"] for f in missing})
    # The statistics fields from the official lists, the unit's defaults for those left out (issue 11).
    student_fields = clean_statistics(student_fields, unit_id)
    # One person, one record; and no one is born after the day they are registered.
    refuse_impossible_birth(student_fields["date_of_birth"], now.astimezone(VIETNAM).date())
    student_fields = {**student_fields, "citizen_id": normalised_citizen_id(student_fields["citizen_id"])}
    refuse_registered_person(student_fields["citizen_id"])
    student = Student(unit_id=unit_id, user_id=user_id,
                      **{k: v for k, v in student_fields.items() if k in STUDENT_FIELDS})
    db.session.add(student)
    db.session.flush()
    return _start(student, actor, assignment, now, process_id, lang)


def _start(student, actor, assignment, now, process_id=MAIN_PROCESS, lang="vi"):
    version = active_version()
    if version is None:
        raise NotFound("no process version is deployed")
    units = case_units(student.unit_id)
    data = {
        "student_name": student.full_name,
        "date_of_birth": student.date_of_birth.isoformat(),
        "youth_union_member": bool(student.youth_union_member),
        **units.facts(),
    }
    try:
        case = CaseWorkflow.start(loaded_version(version.id, version.content_hash).process_for(process_id), data,
                                  now=now)
    except (ScriptError, RunawayInstance) as error:
        # The diagram's code before the first step failed: nothing is stored (the caller rolls back),
        # and the person starting the case is told which element failed and why, as for any step.
        raise StepFailed(step_failure_message(START_LABEL.get(lang, START_LABEL["vi"]), error, lang)) from None
    instance = ProcessInstance(version_id=version.id, process_id=process_id, student_id=student.id,
                               unit_id=student.unit_id,
                               rule_set=units.rule_set, serialized=b"", serializer_version="",
                               started_by_id=actor.id, started_at=now)
    db.session.add(instance)
    db.session.flush()
    created, _ = save_progress(instance, case, units, now)
    append_event(kind="case_started", occurred_at=now, instance_id=instance.id, actor=actor,
                 actor_role=assignment.role, actor_unit_id=assignment.unit_id,
                 payload={"version_id": version.id, "process_id": process_id, "student_id": student.id,
                          "unit_facts": units.facts(),
                          "next": [row.spec_name for row in created]})
    return instance
