"""Lock a case before changing it: one writer at a time, on every backend."""
from sqlalchemy import func, select

from ..extensions import db
from ..models import HumanTask, ProcessInstance, ProcessVersion, Student


def lock_instance(instance_id, *, skip_locked=False):
    """(instance, its version's content hash) with the instance row locked on PostgreSQL.

    Others wait here (or skip, for timer workers); the version counter catches the rest on
    commit on every backend. None when skipped or gone.
    """
    row = db.session.execute(
        select(ProcessInstance, ProcessVersion.content_hash)
        .join(ProcessVersion, ProcessVersion.id == ProcessInstance.version_id)
        .where(ProcessInstance.id == instance_id)
        .with_for_update(of=ProcessInstance, skip_locked=skip_locked).execution_options(populate_existing=True)
    ).one_or_none()
    return (row[0], row[1]) if row is not None else (None, None)


def lock_instance_for_task(task):
    """(instance, its version's content hash, the student) for completing `task`, in one statement.

    The instance row is locked as lock_instance does, and `task` is read again in the same
    statement (another completion may have committed it while this one waited). The task row is
    locked too: PostgreSQL re-reads only the locked rows of a join once a lock it waited for is
    released, so an unlocked task row would come back as it was before the wait. The student comes
    along because the page says whose case it was, and it would otherwise cost statements after
    the commit.
    """
    row = db.session.execute(
        select(ProcessInstance, ProcessVersion.content_hash, Student, HumanTask)
        .join(ProcessVersion, ProcessVersion.id == ProcessInstance.version_id)
        .join(Student, Student.id == ProcessInstance.student_id)
        .join(HumanTask, HumanTask.instance_id == ProcessInstance.id)
        .where(ProcessInstance.id == task.instance_id, HumanTask.id == task.id)
        .with_for_update(of=(ProcessInstance, HumanTask)).execution_options(populate_existing=True)
    ).one()
    return row[0], row[1], row[2]


def try_exclusive(name):
    """Whether this transaction got the one lock called `name` (held until it ends), on PostgreSQL.

    For work only one process should do at a time (the workers' walk over the audit chain). SQLite
    has a single writer and serves development: there every caller gets it.
    """
    if db.session.get_bind().dialect.name != "postgresql":
        return True
    return db.session.execute(select(func.pg_try_advisory_xact_lock(func.hashtext(name)))).scalar()
