"""Register a student and start their case."""
from ..authz import acting_assignment, case_units
from ..engine import CaseWorkflow
from ..extensions import db
from ..models import ProcessInstance, Student
from .audit import append_event
from .clock import resolve_now
from .errors import Forbidden, InvalidBatch, InvalidSubmission, NotFound
from .progress import open_tasks_of, save_progress
from .tasks import complete_in_transaction
from .versions import active_version, loaded_version

STARTING_ROLES = ("cell_secretary", "youth_union")
STUDENT_FIELDS = ("full_name", "date_of_birth", "sex", "ethnicity", "religion", "citizen_id",
                  "youth_union_member", "occupation", "education_level", "school", "class_name")


def _starting_assignment(actor, unit_id):
    for role in STARTING_ROLES:
        assignment = acting_assignment(actor.id, role, unit_id)
        if assignment is not None:
            return assignment
    return None


REQUIRED_FIELDS = ("full_name", "date_of_birth", "citizen_id", "school", "class_name", "sex")


def register_and_start(actor, unit_id, student_fields, *, user_id=None, now=None):
    """Put a student on the cell's list and start their admission case: one unit of work."""
    now = resolve_now(now)
    try:
        instance = _register(actor, _assignment_or_refuse(actor, unit_id), unit_id, student_fields, user_id, now)
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
                    instance = _register(actor, assignment, unit_id, fields, None, now)
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


def _assignment_or_refuse(actor, unit_id):
    assignment = _starting_assignment(actor, unit_id)
    if assignment is None:
        raise Forbidden("only the cell secretary or the Youth Union of this unit may start a case")
    return assignment


def _register(actor, assignment, unit_id, student_fields, user_id, now):
    missing = [f for f in REQUIRED_FIELDS if not student_fields.get(f)]
    if missing:
        raise InvalidSubmission({f: ["required"] for f in missing})
    student = Student(unit_id=unit_id, user_id=user_id,
                      **{k: v for k, v in student_fields.items() if k in STUDENT_FIELDS})
    db.session.add(student)
    db.session.flush()
    return _start(student, actor, assignment, now)


def _start(student, actor, assignment, now):
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
    case = CaseWorkflow.start(loaded_version(version.id, version.content_hash).process, data, now=now)
    instance = ProcessInstance(version_id=version.id, student_id=student.id, unit_id=student.unit_id,
                               rule_set=units.rule_set, serialized="", serializer_version="",
                               started_by_id=actor.id, started_at=now)
    db.session.add(instance)
    db.session.flush()
    created, _ = save_progress(instance, case, units, now)
    append_event(kind="case_started", occurred_at=now, instance_id=instance.id, actor=actor,
                 actor_role=assignment.role, actor_unit_id=assignment.unit_id,
                 payload={"version_id": version.id, "student_id": student.id, "unit_facts": units.facts(),
                          "next": [row.spec_name for row in created]})
    return instance
