"""Claims and hand-overs of a task among the members of its body (issue 15).

A task of a lane waits for a *body*: every holder of the lane's role in the task's unit
(`acting_assignment`). A claim says which one of them is doing it; it never changes who may act
in law, so every member may still complete the step (asked to confirm when a colleague has it).
A task assigned to one named person (the applicant, a named introducer) has no body to share it.
"""
from sqlalchemy import and_, exists, select

from ..extensions import db
from ..models import RoleAssignment, User
from ..models.worklist import TaskClaim

#: The inbox's claim filter: claimed by me, by nobody, by a colleague.
CLAIM_STATES = ("mine", "free", "others")


def is_of_the_body(user_id, task):
    """Does the user hold the task's role in exactly the task's unit (an active account)?"""
    if user_id is None or task.assignee_id is not None:
        return False
    return db.session.execute(select(exists(
        select(RoleAssignment.id).join(User, User.id == RoleAssignment.user_id)
        .where(RoleAssignment.user_id == user_id, RoleAssignment.role == task.role,
               RoleAssignment.unit_id == task.unit_id, User.active.is_(True))))).scalar()


def may_claim(user_id, task, holder_id=None):
    """An open body task, a member of its body, and nobody else holding it."""
    return (task.status == "open" and holder_id in (None, user_id) and is_of_the_body(user_id, task))


def may_release(user_id, task, holder_id):
    """Only the one holding the claim lets it go (a colleague asks them, or completes with a confirmation)."""
    return task.status == "open" and holder_id is not None and holder_id == user_id


def may_hand_over(user_id, task, holder_id):
    """The holder hands their task on; an unclaimed task can be handed on by any member of its body."""
    return may_claim(user_id, task, holder_id)


def may_receive(colleague_id, task, giver_id):
    """A hand-over goes to another member of the same body, never outside it (nor to oneself)."""
    return colleague_id != giver_id and is_of_the_body(colleague_id, task)


def body_members(task):
    """(user id, full name) of the task's body: active holders of its role in its unit, by name."""
    if task.assignee_id is not None:
        return []
    return [tuple(row) for row in db.session.execute(
        select(User.id, User.full_name).join(RoleAssignment, RoleAssignment.user_id == User.id)
        .where(RoleAssignment.role == task.role, RoleAssignment.unit_id == task.unit_id, User.active.is_(True))
        .distinct().order_by(User.full_name, User.id)).all()]


def holds_its_role_still(claim_user, task_role, task_unit):
    """SQL: the claim's holder still holds the task's role in its unit (else the claim counts as none)."""
    return exists(select(RoleAssignment.id).where(
        RoleAssignment.user_id == claim_user, RoleAssignment.role == task_role,
        RoleAssignment.unit_id == task_unit))


def claimed_condition(task_id_column, role, unit, user_id=None):
    """SQL for lists: a claim on the task by a current member of its body (by `user_id`, when given)."""
    where = [TaskClaim.human_task_id == task_id_column, holds_its_role_still(TaskClaim.user_id, role, unit)]
    if user_id is not None:
        where.append(TaskClaim.user_id == user_id)
    return exists(select(TaskClaim.user_id).where(and_(*where)))
