"""A task's drafts go when the task closes (issue 15): called by save_progress, in the unit of work that closes it.

Its own module because save_progress sits under complete_task, which services/drafts.py uses.
"""
from sqlalchemy import delete, select

from ..extensions import db
from ..models import HumanTask, TaskDraft


def discard_closed_drafts(instance_id):
    """Delete every draft of the case's tasks that are no longer open (completed, cancelled)."""
    closed = select(HumanTask.id).where(HumanTask.instance_id == instance_id, HumanTask.status != "open")
    db.session.execute(delete(TaskDraft).where(TaskDraft.human_task_id.in_(closed)),
                       execution_options={"synchronize_session": False})
