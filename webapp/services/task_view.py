"""What the task page needs: the task (if this user may act on it), its form, the case's version counter."""
from dataclasses import dataclass

from sqlalchemy import select

from ..authz import case_units, open_steps_acted_on
from ..engine import CaseWorkflow
from ..extensions import db
from ..models import HumanTask, OrgUnit, ProcessInstance, ProcessVersion
from ..rules import as_date
from .clock import resolve_now
from .errors import TaskAlreadyCompleted
from .instructions import placeholder_values
from .progress import local_day
from .register_choices import member_choices
from .register_votes import register_for, register_prefill
from .tasks import task_and_acting_role
from .versions import loaded_version


@dataclass(frozen=True)
class TaskPage:
    task: HumanTask
    definition: object  # taskforms.FormDefinition or None
    seen_version: int
    acting_role: str
    acting_unit_id: int
    prefill: dict  # case data under the form's field names (e.g. youth_union_member)
    shown: tuple  # (name, value) the diagram asks to show with the task (property "showData")
    user_id: int | None = None  # whom it was drawn for: complete_task trusts its check for that user only
    with_case_data: bool = True  # False: drawn to take a submission, without restoring the case (no prefill/shown)
    instructions: str = ""  # the step's instructionsForEndUser as modelled (pages.instructions renders it)
    instruction_values: tuple = ()  # (name, value): plain task data the instructions name as {{ name }}
    register: object = None  # a vote's body in the member register (register.CountedMembers) when kept
    member_choices: tuple = ()  # (member id, label) of the cell's register for the form's member fields
    rule_set: str | None = None  # the key of the rule set the case follows: the form's numbers (issue 10)


def task_page(user, human_task_id, acting_assignment_id=None, *, case_data=True):
    """NotFound out of scope, Forbidden when not this user's step, TaskAlreadyCompleted when done.

    With `case_data=False` (taking a submission: complete_task restores the case itself) the
    stored workflow is neither read nor restored, so there is no prefill and nothing shown.
    """
    task, role, unit_id = task_and_acting_role(user, human_task_id, acting_assignment_id)
    if task.status != "open":
        raise TaskAlreadyCompleted(task.instance_id)
    if not case_data:
        version_id, content_hash, lock_version, rule_set = db.session.execute(
            select(ProcessVersion.id, ProcessVersion.content_hash, ProcessInstance.lock_version,
                   ProcessInstance.rule_set)
            .join(ProcessInstance, ProcessInstance.version_id == ProcessVersion.id)
            .where(ProcessInstance.id == task.instance_id)).one()
        definition = loaded_version(version_id, content_hash).form(task.form_name) if task.form_name else None
        # Neither the register nor the member choices: the completion checks the act against the
        # register on its own date, and a page drawn again is drawn with the case's data.
        return TaskPage(task, definition, lock_version, role, unit_id, {}, (), user.id, with_case_data=False,
                        rule_set=rule_set)
    version_id, content_hash, lock_version, serialized, process_id, rule_set = db.session.execute(
        select(ProcessVersion.id, ProcessVersion.content_hash, ProcessInstance.lock_version,
               ProcessInstance.serialized, ProcessInstance.process_id, ProcessInstance.rule_set)
        .join(ProcessInstance, ProcessInstance.version_id == ProcessVersion.id)
        .where(ProcessInstance.id == task.instance_id)).one()
    version = loaded_version(version_id, content_hash)
    definition = version.form(task.form_name) if task.form_name else None
    # One case, read without a lock: what the task carries (never done to draw a list).
    ready = {t.id: t for t in CaseWorkflow.restore(serialized, version.process_for(process_id)).ready_user_tasks()}
    spiff_task = ready.get(task.task_uuid)
    data = spiff_task.data if spiff_task else {}
    names = definition.field_names if definition else ()
    prefill = _unit_counts(task.instance_id, names) | {name: data[name] for name in names if data.get(name) is not None}
    shown_names = [n.strip() for n in (spiff_task.properties.get("showData", "") if spiff_task else "").split(",")]
    shown = tuple((name, data[name]) for name in shown_names if name and data.get(name) not in (None, ""))
    instructions = spiff_task.instructions if spiff_task else ""
    register, choices = _register_view(task, data)
    if register is not None:  # the register's counts, not the unit record's typed ones
        prefill |= register_prefill(task, register)
    return TaskPage(task, definition, lock_version, role, unit_id, prefill, shown, user.id,
                    instructions=instructions, instruction_values=placeholder_values(instructions, data),
                    register=register, member_choices=choices, rule_set=rule_set)


def _register_view(task, data):
    """The voting body's register on the planned meeting day (or today) and the cell's members to
    choose from; the completion checks both again on the act's own date."""
    today = local_day(resolve_now(None))
    planned = data.get("meeting_date") if task.form_name == "record_cell_vote" else None
    try:
        day = as_date(planned) if planned else today
    except ValueError:
        day = today
    register = register_for(task, day)
    cell_id = db.session.execute(select(ProcessInstance.unit_id).where(ProcessInstance.id == task.instance_id)).scalar()
    return (register if register is not None and register.kept else None,
            tuple(member_choices(task.form_name, cell_id, today)))


def step_form(human_task_id):
    """The form definition of a task's step, from its case's deployed version (no case restored).

    For pages about many tasks of one step (the batch pages), which list only tasks in the user's
    scope and leave every check to the completion.
    """
    row = db.session.execute(
        select(HumanTask.form_name, ProcessVersion.id, ProcessVersion.content_hash)
        .join(ProcessInstance, ProcessInstance.id == HumanTask.instance_id)
        .join(ProcessVersion, ProcessVersion.id == ProcessInstance.version_id)
        .where(HumanTask.id == human_task_id)).one_or_none()
    if row is None or row.form_name is None:
        return None
    return loaded_version(row.id, row.content_hash).form(row.form_name)


def _unit_counts(instance_id, names):
    """Member counts the organisation record already knows, proposed where a vote form asks for them."""
    wanted = {"official_members", "committee_members"} & set(names)
    if not wanted:
        return {}
    cell_id = db.session.execute(select(ProcessInstance.unit_id).where(ProcessInstance.id == instance_id)).scalar()
    units = case_units(cell_id)
    counts = {"official_members": db.session.get(OrgUnit, cell_id).official_members,
              "committee_members": db.session.get(OrgUnit, units.grassroots_id).committee_members}
    return {name: counts[name] for name in wanted if counts[name]}


def own_completion(user, human_task_id):
    """When this user completed the task themselves (a second tab, a retry after a lost answer): when; else None."""
    task = db.session.get(HumanTask, human_task_id)
    if task is None or task.status != "completed" or task.completed_by_id != user.id:
        return None
    return task.completed_at


def steps_to_open(user, instance_id, acting=None):
    """The ids of the case's open steps this user may open from the case page (as the inbox lists them)."""
    return open_steps_acted_on(user.id, instance_id, acting)
