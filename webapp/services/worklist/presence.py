"""Who of the body has a task's page open: a light row per (task, person), written on each view.

Read only while recent: a row older than PRESENCE_MINUTES means the page was left (there is no
"page closed" to record without a script, and a script's goodbye is lost when the tab dies). It is
no audit event: opening a page changes nothing in the case.
"""
from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from ...authz.claims import is_of_the_body
from ...extensions import db
from ...models import User
from ...models.worklist import TaskPresence
from ..clock import resolve_now

#: A view counts as "has it open" this long (a form of this size is typed in a few minutes).
PRESENCE_MINUTES = 10


def note_presence(user, task, *, now=None):
    """Record that `user` has the task's page open now (one upsert, its own commit). Body tasks only."""
    if task.assignee_id is not None or task.status != "open":
        return
    values = {"human_task_id": task.id, "user_id": user.id, "seen_at": resolve_now(now)}
    insert = postgresql_insert if db.session.get_bind().dialect.name == "postgresql" else sqlite_insert
    statement = insert(TaskPresence).values(**values)
    statement = statement.on_conflict_do_update(index_elements=["human_task_id", "user_id"],
                                                set_={"seen_at": statement.excluded.seen_at})
    try:
        db.session.execute(statement)
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise


def others_with_it_open(user, task, *, now=None):
    """((full name, seen at), …) of the other members of the body who opened the page lately, latest first."""
    if task.assignee_id is not None:
        return ()
    since = resolve_now(now) - timedelta(minutes=PRESENCE_MINUTES)
    rows = db.session.execute(
        select(TaskPresence.user_id, User.full_name, TaskPresence.seen_at)
        .join(User, User.id == TaskPresence.user_id)
        .where(TaskPresence.human_task_id == task.id, TaskPresence.user_id != user.id,
               TaskPresence.seen_at >= since)
        .order_by(TaskPresence.seen_at.desc())).all()
    # A presence row outlives a role withdrawn: only current members of the body are named.
    return tuple((name, seen_at) for user_id, name, seen_at in rows if is_of_the_body(user_id, task))
