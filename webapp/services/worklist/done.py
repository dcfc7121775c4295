""""Done by me": the tasks a person completed, newest first, paged (SQL on human_task.completed_by_id).

Only cases the person can still see are listed (a role given up takes its cases' names with it);
the walk follows ix_human_task_completed_by and joins students and units for the page's rows only.
"""
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select

from ...authz import visible_instances_query
from ...extensions import db
from ...models import HumanTask, OrgUnit, ProcessInstance, Student
from ..listing import PER_PAGE, Page


@dataclass(frozen=True)
class DoneRow:
    task_id: int
    instance_id: int
    spec_name: str
    label: str
    student_name: str
    unit_name: str
    completed_at: datetime
    case_status: str


def done_by(user, page=1, per_page=PER_PAGE):
    page = max(1, page)
    visible = visible_instances_query(user.id).with_only_columns(ProcessInstance.id)
    mine = select(HumanTask.id).where(HumanTask.completed_by_id == user.id, HumanTask.status == "completed",
                                      HumanTask.instance_id.in_(visible))
    total = db.session.execute(select(func.count()).select_from(mine.subquery())).scalar()
    ids = db.session.execute(mine.order_by(HumanTask.completed_at.desc(), HumanTask.id.desc())
                             .limit(per_page).offset((page - 1) * per_page)).scalars().all()
    rows = db.session.execute(
        select(HumanTask.id, HumanTask.instance_id, HumanTask.spec_name, HumanTask.label, Student.full_name,
               OrgUnit.name, HumanTask.completed_at, ProcessInstance.status)
        .join(ProcessInstance, ProcessInstance.id == HumanTask.instance_id)
        .join(Student, Student.id == ProcessInstance.student_id)
        .join(OrgUnit, OrgUnit.id == ProcessInstance.unit_id)
        .where(HumanTask.id.in_(ids))
        .order_by(HumanTask.completed_at.desc(), HumanTask.id.desc())).all() if ids else []
    return Page(rows=[DoneRow(*row) for row in rows], total=total, page=page, per_page=per_page)
