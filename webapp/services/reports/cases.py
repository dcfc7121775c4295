"""The cases behind a figure: the same conditions the figure counted, listed (issue 11).

A link from a report carries the stage, the period, the unit (scope-checked again by
report_scope) and, for a column of the new-member form, the column; the list is chosen by exactly
the conditions the count used, so it holds exactly the cases counted. Identity numbers are masked.
"""
from dataclasses import dataclass

from sqlalchemy import func, select

from ...extensions import db
from ...models import OrgUnit, ProcessInstance, Student
from ...models.stages import CaseStage
from ...rules.stages import STAGES
from ..dossier import mask_citizen_id
from ..listing import PER_PAGE, Page
from .counting import reached
from .new_member_form import BY_KEY, column_condition
from .new_members import age_at_stage


@dataclass(frozen=True)
class CaseRow:
    instance_id: int
    full_name: str
    citizen_id: str  # masked
    unit_name: str
    reached_on: object
    status: str


def cases_behind(scope, period, stage, *, column=None, page=1):
    """A page of the cases that reached `stage` in `period` in the scope (and match `column`)."""
    if stage not in STAGES or (column is not None and column not in BY_KEY):
        return Page([], 0, 1)
    where = list(reached(period, scope.unit_ids, (stage,)))
    query = select(CaseStage.instance_id).select_from(CaseStage)
    if column is not None:
        query = (query.join(ProcessInstance, ProcessInstance.id == CaseStage.instance_id)
                 .join(Student, Student.id == ProcessInstance.student_id))
        where.append(column_condition(column, age_at_stage()))
    query = query.where(*where)
    total = db.session.execute(select(func.count()).select_from(query.subquery())).scalar()
    page = max(1, min(page, -(-total // PER_PAGE) or 1))
    rows = db.session.execute(
        select(CaseStage.instance_id, Student.full_name, Student.citizen_id, OrgUnit.name, CaseStage.reached_on,
               ProcessInstance.status)
        .join(ProcessInstance, ProcessInstance.id == CaseStage.instance_id)
        .join(Student, Student.id == ProcessInstance.student_id)
        .join(OrgUnit, OrgUnit.id == CaseStage.unit_id)
        .where(CaseStage.stage == stage, CaseStage.instance_id.in_(query.scalar_subquery()))
        .order_by(CaseStage.reached_on.desc(), CaseStage.instance_id.desc())
        .limit(PER_PAGE).offset((page - 1) * PER_PAGE)).all()
    return Page([CaseRow(row[0], row[1], mask_citizen_id(row[2]), row[3], row[4], row[5]) for row in rows], total, page)
