"""Units with no admission in the period, and the students at risk now (issue 11).

All SQL over indexed tables: `case_stage` (stage, reached_on), `human_task`'s partial index of
open tasks by due date, `student` by the case. "At risk" is judged on today:
- a certificate (stage `certified`) that lapses within six months, the case not yet admitted;
- a dossier completed more than ten months ago whose cell has not voted: its documents must be no
  older than twelve months on the meeting day (rules/validity.DOCUMENT_VALID_MONTHS);
- a grade-12 pupil who turns 18 after their school year ends (1 June): their file must follow them;
- a step overdue now (open past its working-day due date).
"""
from dataclasses import dataclass
from datetime import date

from sqlalchemy import exists, func, select
from sqlalchemy.orm import aliased

from ...extensions import db
from ...models import HumanTask, OrgUnit, ProcessInstance, Student
from ...models.stages import CaseStage
from ...rules.dates import add_months
from ...rules.validity import CERTIFICATE_VALID_MONTHS, DOCUMENT_VALID_MONTHS
from ..dossier import mask_citizen_id
from ..listing import among
from .counting import reached

RUNNING = ("in_progress", "waiting")
CELL_KINDS = ("cell", "grassroots_cell")
SHOWN = 50
KINDS = ("certificate_expiring", "dossier_stale", "graduating_under_18", "overdue")


@dataclass(frozen=True)
class RiskRow:
    instance_id: int
    full_name: str
    citizen_id: str
    unit_name: str
    on: date  # the date that makes it a risk (lapse, dossier, birth date, due date)


@dataclass(frozen=True)
class Risk:
    kind: str
    total: int
    rows: list  # the first SHOWN


def units_without_admission(scope, period):
    """The cells of the scope where no case reached `admitted` in the period (tree order by name)."""
    admitted = select(CaseStage.id).where(*reached(period, scope.unit_ids, ("admitted",)),
                                          CaseStage.unit_id == OrgUnit.id)
    return db.session.execute(select(OrgUnit).where(
        among(OrgUnit.id, scope.unit_ids), among(OrgUnit.kind, CELL_KINDS), ~exists(admitted))
        .order_by(OrgUnit.name, OrgUnit.id)).scalars().all()


def _no_stage(stage):
    other = aliased(CaseStage)
    return ~exists(select(other.id).where(other.instance_id == ProcessInstance.id, other.stage == stage))


def _listed(kind, query, on_column):
    """Count and the first rows of `query` (FROM process_instance, student joined)."""
    counted = query.add_columns(ProcessInstance.id).subquery()
    total = db.session.execute(select(func.count()).select_from(counted)).scalar()
    rows = db.session.execute(
        query.add_columns(ProcessInstance.id, Student.full_name, Student.citizen_id, OrgUnit.name, on_column)
        .join(OrgUnit, OrgUnit.id == ProcessInstance.unit_id)
        .order_by(on_column, ProcessInstance.id).limit(SHOWN)).all()
    return Risk(kind, total, [RiskRow(r[0], r[1], mask_citizen_id(r[2]), r[3], r[4]) for r in rows])


def _cases(scope):
    return (select().select_from(ProcessInstance).join(Student, Student.id == ProcessInstance.student_id)
            .where(among(ProcessInstance.unit_id, scope.unit_ids), among(ProcessInstance.status, RUNNING)))


def _stage_dated(scope, stage, first, last):
    return (_cases(scope).join(CaseStage, CaseStage.instance_id == ProcessInstance.id)
            .where(CaseStage.stage == stage, CaseStage.reached_on >= first, CaseStage.reached_on <= last))


def school_year_end(today):
    """The end (1 June) of the school year a grade-12 class of `today` belongs to (a school year starts in
    September: in the summer the class is still the one that has just finished)."""
    return date(today.year + (today.month >= 9), 6, 1)


def students_at_risk(scope, today):
    expiring = _stage_dated(scope, "certified", add_months(today, -CERTIFICATE_VALID_MONTHS),
                            add_months(today, 6 - CERTIFICATE_VALID_MONTHS)).where(_no_stage("admitted"))
    # Shown by the day the certificate lapses would need date arithmetic in SQL; by its issue day instead.
    stale = _stage_dated(scope, "dossier_complete", date(1900, 1, 1), add_months(today, 2 - DOCUMENT_VALID_MONTHS)
                         ).where(_no_stage("cell_approved"))
    graduation = school_year_end(today)
    under_18 = _cases(scope).where(Student.class_name.like("12%"),
                                   Student.date_of_birth > add_months(graduation, -18 * 12), _no_stage("admitted"))
    overdue = (_cases(scope).join(HumanTask, HumanTask.instance_id == ProcessInstance.id)
               .where(HumanTask.status == "open", HumanTask.due_on < today))
    return [_listed("certificate_expiring", expiring, CaseStage.reached_on),
            _listed("dossier_stale", stale, CaseStage.reached_on),
            _listed("graduating_under_18", under_18, Student.date_of_birth),
            _listed("overdue", overdue, HumanTask.due_on)]
