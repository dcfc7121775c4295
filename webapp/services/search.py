"""Search across the cases in a reader's scope, and export the result (auditors, organisation boards)."""
import csv
import io
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from sqlalchemy import and_, exists, func, select

from ..extensions import db
from ..models import HumanTask, OrgUnit, ProcessInstance, Student, UnitClosure
from .clock import VIETNAM
from .dossier import mask_citizen_id
from .inbox import PER_PAGE, Page

EXPORT_LIMIT = 50_000
OUTCOMES = ("official", "rejected", "removed", "stopped_background", "not_admitted", "not_eligible")


@dataclass(frozen=True)
class SearchFilters:
    q: str | None = None
    unit_id: int | None = None
    step: str | None = None
    status: str | None = None
    outcome: str | None = None
    started_from: date | None = None
    started_to: date | None = None
    overdue: bool = False
    page: int = 1


@dataclass(frozen=True)
class FoundCase:
    instance_id: int
    student_name: str
    citizen_id: str
    sex: str
    unit_name: str
    status: str
    current_step: str
    outcome: str | None
    started_at: datetime
    updated_at: datetime


def _start_of(day):
    return datetime.combine(day, time.min, VIETNAM)


def _conditions(acting, filters, today):
    below = select(UnitClosure.descendant_id).where(UnitClosure.ancestor_id == acting.unit_id)
    conditions = [ProcessInstance.unit_id.in_(below)]
    if filters.unit_id:
        conditions.append(ProcessInstance.unit_id.in_(
            select(UnitClosure.descendant_id).where(UnitClosure.ancestor_id == filters.unit_id)))
    if filters.q:
        conditions.append(func.lower(Student.full_name).contains(filters.q.strip().lower(), autoescape=True))
    if filters.status:
        conditions.append(ProcessInstance.status == filters.status)
    if filters.outcome:
        conditions.append(ProcessInstance.outcome == filters.outcome)
    if filters.started_from:
        conditions.append(ProcessInstance.started_at >= _start_of(filters.started_from))
    if filters.started_to:
        conditions.append(ProcessInstance.started_at < _start_of(filters.started_to + timedelta(days=1)))
    open_task = select(HumanTask.id).where(HumanTask.instance_id == ProcessInstance.id, HumanTask.status == "open")
    if filters.step:
        conditions.append(exists(open_task.where(HumanTask.spec_name == filters.step)))
    if filters.overdue:
        conditions.append(exists(open_task.where(and_(HumanTask.due_on.is_not(None), HumanTask.due_on < today))))
    return conditions


def _query(acting, filters, today):
    return (select(ProcessInstance.id, Student.full_name, Student.citizen_id, Student.sex, OrgUnit.name,
                   ProcessInstance.status, ProcessInstance.current_step, ProcessInstance.outcome,
                   ProcessInstance.started_at, ProcessInstance.updated_at)
            .join(Student, Student.id == ProcessInstance.student_id)
            .join(OrgUnit, OrgUnit.id == ProcessInstance.unit_id)
            .where(*_conditions(acting, filters, today)))


def _found(row):
    return FoundCase(row[0], row[1], mask_citizen_id(row[2]), *row[3:])


def search_cases(acting, filters, today):
    conditions = _conditions(acting, filters, today)
    total = db.session.execute(
        select(func.count()).select_from(ProcessInstance).join(Student, Student.id == ProcessInstance.student_id)
        .where(*conditions)).scalar()
    page = max(1, filters.page)
    rows = db.session.execute(_query(acting, filters, today)
                              .order_by(ProcessInstance.updated_at.desc(), ProcessInstance.id.desc())
                              .limit(PER_PAGE).offset((page - 1) * PER_PAGE)).all()
    return Page(rows=[_found(row) for row in rows], total=total, page=page)


CSV_COLUMNS = ("Mã hồ sơ", "Họ và tên", "Số CCCD", "Giới tính", "Chi bộ", "Tình trạng", "Bước hiện tại",
               "Kết quả", "Ngày mở hồ sơ", "Cập nhật lần cuối")


def export_csv(acting, filters, today, *, labels=lambda kind, value: value):
    """The search result as CSV: UTF-8 with a BOM so Excel shows Vietnamese; identity numbers masked."""
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    rows = db.session.execute(_query(acting, filters, today).order_by(ProcessInstance.id).limit(EXPORT_LIMIT))
    for row in rows:
        case = _found(row)
        writer.writerow([case.instance_id, case.student_name, case.citizen_id, labels("sex", case.sex), case.unit_name,
                         labels("status", case.status), case.current_step, labels("outcome", case.outcome or ""),
                         case.started_at.astimezone(VIETNAM).strftime("%d/%m/%Y"),
                         case.updated_at.astimezone(VIETNAM).strftime("%d/%m/%Y")])
    return out.getvalue()
