"""Saved drafts of a task's form (issue 15): one person's unfinished typing, for them alone.

"Lưu nháp" stores the raw values as typed — nothing validated, nothing completed, no event
(a draft is not an act, and the audit chain must not keep personal data nobody submitted) — per
(task, user). Only the person who may act on the task saves one and only they get it back, on
that task's page while it is open. It is gone when the task closes: submitted by anyone,
cancelled by the engine or fired past by a timer (`discard_closed_drafts`, in the unit of work
that closes it: services/closed_drafts.py). Values are never written to a log.
"""
import json
from dataclasses import dataclass

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError

from ..extensions import db
from ..models import HumanTask, TaskDraft
from .clock import resolve_now
from .errors import InvalidSubmission, TaskAlreadyCompleted
from .tasks import task_and_acting_role

MAX_DRAFT_BYTES = 64 * 1024  # the longest personal history is a few kilobytes
MAX_DRAFT_FIELDS = 300
#: Form keys that are the page's machinery, not the person's typing.
NOT_TYPED = ("csrf_token", "_seen_version", "_confirm", "_comment", "file")


@dataclass(frozen=True)
class Draft:
    form_values: dict  # {name: [values]}
    saved_at: object


def _typed(form):
    """{name: [values]} of what was typed, from a werkzeug MultiDict or a plain dict."""
    items = form.lists() if hasattr(form, "lists") else (
        (k, v if isinstance(v, list) else [v]) for k, v in form.items())
    values = {name: [str(v) for v in vals] for name, vals in items if name not in NOT_TYPED}
    if len(values) > MAX_DRAFT_FIELDS or len(json.dumps(values, ensure_ascii=False).encode()) > MAX_DRAFT_BYTES:
        raise InvalidSubmission({"_form": ["draft_too_large"]})
    return values


def save_draft(user, human_task_id, form, *, acting_assignment_id=None, now=None):
    """Keep `form` (what the page posted) as this user's draft of the task; returns when it was saved.

    NotFound/Forbidden exactly as the task page (only whoever may act on the task saves a draft of
    it), TaskAlreadyCompleted when the task has closed, InvalidSubmission when it is too large.
    """
    now = resolve_now(now)
    task, _role, _unit = task_and_acting_role(user, human_task_id, acting_assignment_id)
    if task.status != "open":
        raise TaskAlreadyCompleted(task.instance_id)
    values = _typed(form)
    for attempt in (1, 2):  # two tabs saving at once: the second insert finds the first one's row
        draft = db.session.get(TaskDraft, (task.id, user.id))
        if draft is None:
            db.session.add(TaskDraft(human_task_id=task.id, user_id=user.id, form_values=values, saved_at=now))
        else:
            draft.form_values, draft.saved_at = values, now
        try:
            db.session.commit()
            return now
        except IntegrityError:
            db.session.rollback()
            if attempt == 2:
                raise
    return now


def saved_draft(user_id, human_task_id):
    """This user's own draft of this task while it is open, else None (no one reads another's draft)."""
    row = db.session.execute(
        select(TaskDraft.form_values, TaskDraft.saved_at)
        .join(HumanTask, HumanTask.id == TaskDraft.human_task_id)
        .where(TaskDraft.human_task_id == human_task_id, TaskDraft.user_id == user_id,
               HumanTask.status == "open")).first()
    return Draft(row.form_values, row.saved_at) if row is not None else None


def discard_draft(user_id, human_task_id):
    """The person threw their draft away ("Bỏ nháp")."""
    db.session.execute(delete(TaskDraft).where(TaskDraft.human_task_id == human_task_id,
                                               TaskDraft.user_id == user_id))
    db.session.commit()

