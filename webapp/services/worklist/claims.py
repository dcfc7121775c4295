"""Claim, release and hand over a body's task (issue 15); each change is one unit of work with its event.

A claim never changes who may act (authz/claims.py): the task page and the submit tell a colleague
who has it, and ask them to confirm before recording in the holder's place. A claim whose holder
no longer holds the task's role in its unit (a role withdrawn, the task moved by a reorganisation)
counts as no claim: it is read away here, and the next claim replaces it.
"""
import unicodedata
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, select
from sqlalchemy.orm import aliased

from ...authz import can_see_instance
from ...authz.claims import (
    body_members,
    holds_its_role_still,
    is_of_the_body,
    may_claim,
    may_hand_over,
    may_receive,
    may_release,
)
from ...extensions import db
from ...models import HumanTask, User
from ...models.worklist import TaskClaim
from ..audit import append_event
from ..clock import resolve_now
from ..errors import Forbidden, NotFound, ServiceError, TaskAlreadyCompleted

MAX_NOTE = 500


class ClaimRefused(ServiceError):
    """A claim, release or hand-over that cannot be done as asked; `code` says why, nothing changed."""


@dataclass(frozen=True)
class Holder:
    user_id: int
    full_name: str
    claimed_at: datetime
    handed_by_name: str | None
    note: str | None


@dataclass(frozen=True)
class ClaimView:
    """What the task page shows and offers about the task's claim, for one reader."""

    holder: Holder | None
    mine: bool
    may_claim: bool
    may_release: bool
    may_hand_over: bool
    colleagues: tuple  # (user id, full name) of the other members of the body, for a hand-over


def _holder(task):
    giver = aliased(User)
    row = db.session.execute(
        select(TaskClaim.user_id, User.full_name, TaskClaim.claimed_at, giver.full_name, TaskClaim.note)
        .join(User, User.id == TaskClaim.user_id)
        .outerjoin(giver, giver.id == TaskClaim.handed_by_id)
        .where(TaskClaim.human_task_id == task.id, User.active.is_(True),
               holds_its_role_still(TaskClaim.user_id, task.role, task.unit_id))).one_or_none()
    return Holder(*row) if row is not None else None


def holders_of(task_ids):
    """{task id: (holder's user id, name, handed over)} for inbox rows: one statement for the page."""
    if not task_ids:
        return {}
    rows = db.session.execute(
        select(TaskClaim.human_task_id, TaskClaim.user_id, User.full_name, TaskClaim.handed_by_id)
        .join(User, User.id == TaskClaim.user_id)
        .join(HumanTask, HumanTask.id == TaskClaim.human_task_id)
        .where(TaskClaim.human_task_id.in_(list(task_ids)), User.active.is_(True),
               holds_its_role_still(TaskClaim.user_id, HumanTask.role, HumanTask.unit_id))).all()
    return {task_id: (user_id, name, handed_by is not None) for task_id, user_id, name, handed_by in rows}


def claim_view(user, task):
    """The claim of a task whose page `user` already reached (task_page checked it is theirs to act on)."""
    holder = _holder(task)
    holder_id = holder.user_id if holder else None
    return ClaimView(
        holder=holder, mine=holder_id == user.id, may_claim=holder_id is None and may_claim(user.id, task),
        may_release=may_release(user.id, task, holder_id), may_hand_over=may_hand_over(user.id, task, holder_id),
        colleagues=tuple(member for member in body_members(task) if member[0] != user.id))


def claimed_by_another(user, task):
    """The holder when someone other than `user` has the task claimed (asked on submit), else None."""
    holder = _holder(task)
    return holder if holder is not None and holder.user_id != user.id else None


def _task_of_the_body(user, task_id):
    """The open task, its row locked, when the user is of its body; NotFound / Forbidden / AlreadyCompleted."""
    task = db.session.execute(select(HumanTask).where(HumanTask.id == task_id).with_for_update()
                              .execution_options(populate_existing=True)).scalar_one_or_none()
    if task is None or not can_see_instance(user.id, task.instance_id):
        raise NotFound("no such task in your scope")
    if task.status != "open":
        raise TaskAlreadyCompleted(task.instance_id)
    if not is_of_the_body(user.id, task):
        raise Forbidden("only the members of the task's body claim or hand it over", code="not_of_the_body")
    return task


def _record(kind, user, task, now, **payload):
    append_event(kind=kind, occurred_at=now, instance_id=task.instance_id, actor=user, actor_role=task.role,
                 actor_unit_id=task.unit_id, task_spec=task.spec_name,
                 payload={"label": task.label, "human_task_id": task.id, **payload})


def _unit_of_work(change):
    try:
        result = change()
        db.session.commit()
        return result
    except Exception:
        db.session.rollback()
        raise


def claim_task(user, task_id, *, now=None):
    """`user` takes the task; refused (claimed_by_another) when a colleague has it. Claiming one's own: nothing."""
    now = resolve_now(now)

    def change():
        task = _task_of_the_body(user, task_id)
        holder = _holder(task)
        if holder is not None and holder.user_id == user.id:
            return task
        if holder is not None:
            raise ClaimRefused("claimed", code="claimed_by_another", params={"name": holder.full_name})
        db.session.execute(delete(TaskClaim).where(TaskClaim.human_task_id == task.id))  # a stale holder's
        db.session.add(TaskClaim(human_task_id=task.id, user_id=user.id, claimed_at=now))
        _record("task_claimed", user, task, now)
        return task
    return _unit_of_work(change)


def release_task(user, task_id, *, now=None):
    """The holder lets the task go back to the whole body."""
    now = resolve_now(now)

    def change():
        task = _task_of_the_body(user, task_id)
        holder = _holder(task)
        if holder is None or holder.user_id != user.id:
            raise ClaimRefused("not the holder", code="not_your_claim")
        db.session.execute(delete(TaskClaim).where(TaskClaim.human_task_id == task.id))
        _record("task_released", user, task, now)
        return task
    return _unit_of_work(change)


def clean_note(text):
    """A note as typed, without control characters other than line breaks; None when empty."""
    kept = "".join(char for char in unicodedata.normalize("NFC", text or "")
                   if char in "\n\t" or unicodedata.category(char) not in ("Cc", "Cf"))
    return kept.strip() or None


def hand_over_task(user, task_id, colleague_id, note, *, now=None):
    """The task goes to a named colleague of the same body, with a note; both are in the case's timeline."""
    now = resolve_now(now)
    note = clean_note(note)

    def change():
        task = _task_of_the_body(user, task_id)
        holder = _holder(task)
        if holder is not None and holder.user_id != user.id:
            raise ClaimRefused("claimed", code="claimed_by_another", params={"name": holder.full_name})
        if colleague_id == user.id:
            raise ClaimRefused("to oneself", code="hand_over_to_yourself")
        colleague = db.session.get(User, colleague_id) if colleague_id else None
        if colleague is None or not may_receive(colleague.id, task, user.id):
            raise ClaimRefused("outside the body", code="colleague_not_of_the_body")
        if note is not None and len(note) > MAX_NOTE:
            raise ClaimRefused("note too long", code="note_too_long", params={"max": MAX_NOTE})
        db.session.execute(delete(TaskClaim).where(TaskClaim.human_task_id == task.id))
        db.session.add(TaskClaim(human_task_id=task.id, user_id=colleague.id, claimed_at=now,
                                 handed_by_id=user.id, note=note))
        _record("task_handed_over", user, task, now, to_user_id=colleague.id, to_name=colleague.full_name,
                note=note or "")
        return colleague
    return _unit_of_work(change)
