"""Complete a human task: the whole unit of work of design §2, in one transaction."""
import unicodedata
from dataclasses import dataclass

from sqlalchemy.orm.exc import StaleDataError

from ..authz import acting_assignment, can_see_instance, case_units
from ..engine import CaseWorkflow, RunawayInstance, ScriptError, TaskNotReady
from ..extensions import db
from ..models import HumanTask, RoleAssignment, User
from ..taskforms import validate_submission
from .audit import append_event
from .case_notices import notify_completion
from .clock import VIETNAM, resolve_now
from .errors import (
    Forbidden,
    InvalidBatch,
    InvalidSubmission,
    NotFound,
    StaleCase,
    StepFailed,
    TaskAlreadyCompleted,
)
from .locking import lock_instance_for_task
from .operations import record_completion_failure
from .progress import save_progress
from .register import enter_case_into_register
from .register_choices import ASSIGNED_BY_DATA, TaskOfNamedMember, check_choices
from .register_votes import check_counts, derive_presence
from .stage_facts import record_stages
from .step_failures import failure_payload, step_failure_message
from .versions import loaded_version


def _normalised_name(name):
    text = unicodedata.normalize("NFC", name or "").casefold()
    return " ".join(text.split())


def _check_verifier_independence(user, student, task_data):
    """The applicant and their relatives may never verify the applicant's background [S]."""
    relatives = {_normalised_name(line) for line in (task_data.get("relatives") or "").splitlines() if line.strip()}
    if user.id == student.user_id or _normalised_name(user.full_name) in relatives | {
            _normalised_name(student.full_name)}:
        raise Forbidden("Người xin vào Đảng và người thân không được làm người thẩm tra lý lịch.",
                        code="verifier_not_independent")


def _acting_assignment(user, task, acting_assignment_id):
    """The assignment the user acts in for `task`: the task's role held in exactly the task's unit.

    Holding the role higher up is not enough (a province's standing committee does not decide in
    a commune committee's place). When the user picked a role to act in, it must be that one.
    """
    if task.assignee_id is not None:
        return None
    assignment = acting_assignment(user.id, task.role, task.unit_id)
    if assignment is not None and acting_assignment_id is not None and assignment.id != acting_assignment_id:
        picked = db.session.get(RoleAssignment, acting_assignment_id)
        fits = picked is not None and picked.user_id == user.id and picked.role == task.role and \
            picked.unit_id == task.unit_id
        return picked if fits else None
    return assignment


def task_and_acting_role(user, human_task_id, acting_assignment_id=None):
    """The task with the role and unit the user acts in; NotFound out of scope, Forbidden in scope.

    Holding the task's role in its unit already puts the case in scope, so the scope query only
    runs to tell a refusal apart (404 hides that the case exists at all).
    """
    task = db.session.get(HumanTask, human_task_id)
    if task is None:
        raise NotFound("no such task in your scope")
    if task.assignee_id is not None and task.assignee_id == user.id:
        return task, task.role, task.unit_id
    assignment = _acting_assignment(user, task, acting_assignment_id)
    if assignment is not None:
        return task, assignment.role, assignment.unit_id
    if not can_see_instance(user.id, task.instance_id):
        raise NotFound("no such task in your scope")
    if task.assignee_id is not None and task.form_name in ASSIGNED_BY_DATA:
        raise TaskOfNamedMember(db.session.get(User, task.assignee_id).full_name)
    if task.assignee_id is not None:
        raise Forbidden("this task belongs to another person", code="task_of_another_person")
    raise Forbidden(f"this step needs the role '{task.role}' in the case's unit")


@dataclass(frozen=True)
class Completion:
    """What the page says after a completion, read inside the unit of work (nothing is read after the commit)."""

    instance_id: int
    status: str
    step_label: str
    student_name: str


def complete_task(user, human_task_id, form_data, *, now=None, acting_assignment_id=None, seen_version=None,
                  lang="vi", page=None):
    """Validate `form_data`, complete the task, run the engine and record it all, or change nothing.

    `acting_assignment_id` is the role the user picked to act in; `seen_version` the case's
    version counter when the page was drawn — a different one means someone acted meanwhile.
    `page` is the TaskPage that task_page drew for this user and task in the same request: its
    authorisation is not checked a second time. Returns a Completion.
    """
    now = resolve_now(now)
    try:
        instance, task, student = _complete(user, human_task_id, form_data, now, acting_assignment_id,
                                            seen_version, lang, page)
        result = Completion(instance.id, instance.status, task.label, student.full_name)
        db.session.commit()
        return result
    except StaleDataError:
        db.session.rollback()
        raise TaskAlreadyCompleted("the case was changed by someone else at the same time") from None
    except StepFailed as failed:  # rolled back whole; then the failure is kept for the operations view
        db.session.rollback()
        record_completion_failure(user, failed.failure, now)
        raise
    except Exception:
        db.session.rollback()
        raise


def complete_tasks(user, items, *, now=None, acting_assignment_id=None, lang="vi"):
    """Complete several tasks in one transaction (a course class, one ceremony): all or nothing.

    `items` is [(human task id, form data)]. Each case records its own events. Invalid rows raise
    InvalidBatch with the errors of every row, and nothing is written.
    """
    now = resolve_now(now)
    errors = {}
    try:
        for task_id, form_data in items:
            try:
                with db.session.begin_nested():
                    complete_in_transaction(user, task_id, form_data, now, acting_assignment_id, lang)
            except InvalidSubmission as invalid:
                errors[task_id] = invalid.errors
        if errors:
            raise InvalidBatch(errors)
        db.session.commit()
    except StaleDataError:
        db.session.rollback()
        raise TaskAlreadyCompleted("one of the cases was changed by someone else at the same time") from None
    except StepFailed as failed:
        db.session.rollback()
        record_completion_failure(user, failed.failure, now)
        raise
    except Exception:
        db.session.rollback()
        raise


def complete_in_transaction(user, human_task_id, form_data, now, acting_assignment_id=None, lang="vi"):
    """Complete a task inside the caller's unit of work (batches); the caller commits."""
    return _complete(user, human_task_id, form_data, now, acting_assignment_id, None, lang)


def _checked_task(user, human_task_id, acting_assignment_id, page):
    """(task, role, unit) the user acts in: from the page drawn for this very user and task, else checked now."""
    if page is not None and page.user_id == user.id and page.task.id == human_task_id:
        return page.task, page.acting_role, page.acting_unit_id
    return task_and_acting_role(user, human_task_id, acting_assignment_id)


def _complete(user, human_task_id, form_data, now, acting_assignment_id, seen_version, lang="vi", page=None):
    task, role, unit_id = _checked_task(user, human_task_id, acting_assignment_id, page)
    # The task is read again with the lock: another completion may have just committed.
    instance, content_hash, student = lock_instance_for_task(task)
    if task.status != "open":
        raise TaskAlreadyCompleted("this task has already been completed")
    if seen_version is not None and seen_version != instance.lock_version:
        raise StaleCase("the case changed since the page was opened")
    version = loaded_version(instance.version_id, content_hash)
    case = CaseWorkflow.restore(instance.serialized, version.process_for(instance.process_id))
    ready = {t.id: t for t in case.ready_user_tasks()}
    spiff_task = ready.get(task.task_uuid)
    if spiff_task is None:
        raise TaskAlreadyCompleted("this task is no longer waiting for anyone")
    # A verification answer, wherever it is given (the cell's verifier, or the addressee of a request).
    if task.role == "verifier" or task.spec_name == "record_verification":
        _check_verifier_independence(user, student, spiff_task.data)

    definition = version.form(task.form_name) if task.form_name else None
    data = {}
    if definition is not None:
        # The request's day bounds the dates of acts: nothing is recorded as done later than today.
        context = {**spiff_task.data, "_today": now.astimezone(VIETNAM).date().isoformat()}
        # Who was ticked present on the register's checklist gives the numbers present (issue 10).
        form_data, ticked = derive_presence(task, definition, form_data or {}, lang)
        submission = validate_submission(definition, form_data, context=context, lang=lang)
        if not submission.ok:
            raise InvalidSubmission(submission.errors)
        # Every field of the form is present in the data, empty ones as None, so scripts can read them.
        data = {spec.name: None for spec in definition.fields} | submission.data
        # Counts and chosen members are checked against the member register, and its facts kept.
        data |= check_counts(task, submission.data, ticked, lang)
        data |= check_choices(task.form_name, submission.data, spiff_task.data, instance,
                              now.astimezone(VIETNAM).date(), lang)

    status_before = instance.status
    try:
        # Delegation, sub-committee and grassroots-cell facts are read from the unit at each step, so the
        # gateways after it follow the unit as it is now, not as it was when the case started. The
        # rule set is the case's own and is never refreshed.
        units = case_units(instance.unit_id)
        unit_facts_now = {k: v for k, v in units.facts().items() if k != "rule_set"}
        case.complete(task.task_uuid, data | unit_facts_now, now=now)
    except TaskNotReady:
        raise TaskAlreadyCompleted("this task is no longer waiting for anyone") from None
    except (ScriptError, RunawayInstance) as error:
        failure = failure_payload(error, instance_id=instance.id, task=task.spec_name, label=task.label,
                                  human_task_id=task.id, role=role, unit_id=unit_id)
        raise StepFailed(step_failure_message(task.label, error, lang), failure=failure) from None

    task.status, task.completed_at, task.completed_by_id, task.submitted = "completed", now, user.id, data
    created, facts = save_progress(instance, case, units, now)
    event = append_event(
        kind="task_completed", occurred_at=now, instance_id=instance.id, actor=user, actor_role=role,
        actor_unit_id=unit_id, task_spec=task.spec_name,
        payload={"task": task.spec_name, "label": task.label, "human_task_id": task.id, "data": data,
                 "engine_steps": [step.spec_name for step in case.steps],
                 "status": {"before": status_before, "after": instance.status},
                 "next": [row.spec_name for row in created]})
    # The stages the step reached, read from the event itself (as migration 0013 back-filled them).
    record_stages(instance, event)
    # The cell (and the applicant) hear of the upper level's acts on the case (rules/notice_map.py).
    notify_completion(instance, student, task.spec_name, task.label, data, now)
    # The ceremony and the recognition decision change the member register, in this unit of work.
    enter_case_into_register(instance, task.spec_name, data, now, actor=user)
    if case.completed:
        append_event(kind="case_finished", occurred_at=now, instance_id=instance.id, actor=user,
                     actor_role=role, actor_unit_id=unit_id,
                     payload={"outcome": instance.outcome, "reason": facts.get("stop_reason")})
    return instance, task, student
