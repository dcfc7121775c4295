"""Search across the cases in a reader's scope, and export the result (auditors, organisation boards).

Chosen like every list of cases (services/listing.py). The filters on open tasks (waiting at a
step, overdue) are semi-joins on the partial indexes of open tasks: PostgreSQL reads the few
thousand matching tasks once and hashes them, instead of probing every case in scope.
"""
import functools
from dataclasses import asdict, dataclass
from datetime import date, datetime, time, timedelta

from sqlalchemy import func, select

from ..extensions import db
from ..models import HumanTask, OrgUnit, ProcessInstance, Student
from .audit import append_event
from .clock import VIETNAM, resolve_now
from .dossier import mask_citizen_id
from .exports import csv_chunks
from .listing import NEWEST_FIRST, OPEN, Page, among, named, page_of_cases, unit_ids, units_in_scope
from .organisation import depth_first
from .versions import active_version, loaded_version

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


@dataclass(frozen=True)
class SearchChoices:
    units: list  # [(unit id, name, depth below the reader's unit)], in tree order
    steps: list  # [(step name, label)] of the active procedure


def search_choices(acting):
    """What the unit and step filters offer: the units in the reader's scope, the procedure's steps."""
    units = db.session.execute(select(OrgUnit.id, OrgUnit.parent_id, OrgUnit.name)
                               .where(among(OrgUnit.id, unit_ids(acting.unit_id)))
                               .order_by(OrgUnit.name, OrgUnit.id)).all()
    version = active_version()
    steps = loaded_version(version.id, version.content_hash).process.user_steps() if version else []
    return SearchChoices([(unit.id, unit.name, depth) for unit, depth in depth_first(units)], steps)


def _start_of(day):
    return datetime.combine(day, time.min, VIETNAM)


def _cases(acting, filters, today):
    """SELECT process_instance.id of the cases matching the filters."""
    cases = select(ProcessInstance.id).where(
        among(ProcessInstance.unit_id, units_in_scope(acting.unit_id, filters.unit_id)))
    if filters.status:
        cases = cases.where(ProcessInstance.status == filters.status)
    if filters.outcome:
        cases = cases.where(ProcessInstance.outcome == filters.outcome)
    if filters.started_from:
        cases = cases.where(ProcessInstance.started_at >= _start_of(filters.started_from))
    if filters.started_to:
        cases = cases.where(ProcessInstance.started_at < _start_of(filters.started_to + timedelta(days=1)))
    open_tasks = select(HumanTask.instance_id).where(HumanTask.status == OPEN)
    if filters.step:
        cases = cases.where(ProcessInstance.id.in_(open_tasks.where(HumanTask.spec_name == filters.step)))
    if filters.overdue:
        cases = cases.where(ProcessInstance.id.in_(open_tasks.where(HumanTask.due_on < today)))
    return named(cases, filters.q, acting) if filters.q else cases


def _rows(ids_or_query, order):
    return db.session.execute(
        select(ProcessInstance.id, Student.full_name, Student.citizen_id, Student.sex, OrgUnit.name,
               ProcessInstance.status, ProcessInstance.current_step, ProcessInstance.outcome,
               ProcessInstance.started_at, ProcessInstance.updated_at)
        .join(Student, Student.id == ProcessInstance.student_id)
        .join(OrgUnit, OrgUnit.id == ProcessInstance.unit_id)
        .where(ProcessInstance.id.in_(ids_or_query)).order_by(*order))


def _found(row):
    return FoundCase(row[0], row[1], mask_citizen_id(row[2]), *row[3:])


def search_cases(acting, filters, today):
    page = max(1, filters.page)
    page_ids, total = page_of_cases(_cases(acting, filters, today), page,
                                    one_pass=bool(filters.q or filters.step or filters.overdue))
    return Page(rows=[_found(row) for row in _rows(page_ids, NEWEST_FIRST)], total=total, page=page)


CSV_COLUMNS = ("Mã hồ sơ", "Họ và tên", "Số CCCD", "Giới tính", "Chi bộ", "Tình trạng", "Bước hiện tại",
               "Kết quả", "Ngày mở hồ sơ", "Cập nhật lần cuối")


def export_csv(reader, acting, filters, today, *, labels=lambda kind, value: value):
    """The search result as streamed CSV chunks (services/exports.py): identity numbers masked.

    Written by services/exports.py, so no cell (a name typed as `=HYPERLINK(...)`) runs as a formula.

    Taking many students' personal data away is itself recorded: who, in which role, with which
    filters, how many rows. The record is written and committed here, before the first row leaves
    (nothing goes out if it cannot be written); the rows are counted as the export begins. The
    returned generator then reads the rows through a cursor, `EXPORT_BATCH` at a time (on
    PostgreSQL a server-side cursor), and formats them as they come: no list of the rows is built.
    """
    cases = _cases(acting, filters, today).order_by(ProcessInstance.id).limit(EXPORT_LIMIT)
    rows = db.session.execute(select(func.count()).select_from(cases.subquery())).scalar()
    chosen = {name: value for name, value in asdict(filters).items() if value and name != "page"}
    append_event(kind="cases_exported", occurred_at=resolve_now(), actor=reader, actor_role=acting.role,
                 actor_unit_id=acting.unit_id, payload={"filters": chosen, "rows": rows})
    db.session.commit()
    return csv_chunks(CSV_COLUMNS, _export_rows(cases, labels))


#: Rows fetched from the cursor at a time while an export streams.
EXPORT_BATCH = 1000


def _local_day(moment):
    local = moment.astimezone(VIETNAM)
    return f"{local.day:02d}/{local.month:02d}/{local.year}"


def _export_rows(cases, labels):
    """The CSV rows of `cases`, lazily. Labels are looked up once per value, not once per row."""
    label = functools.cache(labels)
    statement = (select(ProcessInstance.id, Student.full_name, Student.citizen_id, Student.sex, OrgUnit.name,
                        ProcessInstance.status, ProcessInstance.current_step, ProcessInstance.outcome,
                        ProcessInstance.started_at, ProcessInstance.updated_at)
                 .join(Student, Student.id == ProcessInstance.student_id)
                 .join(OrgUnit, OrgUnit.id == ProcessInstance.unit_id)
                 .where(ProcessInstance.id.in_(cases)).order_by(ProcessInstance.id))
    try:
        result = db.session.execute(statement.execution_options(yield_per=EXPORT_BATCH))
        for (case_id, name, citizen_id, sex, unit_name, status, step, outcome, started_at,
             updated_at) in result:
            yield (case_id, name, mask_citizen_id(citizen_id), label("sex", sex), unit_name, label("status", status),
                   step, label("outcome", outcome or ""), _local_day(started_at), _local_day(updated_at))
    finally:
        db.session.rollback()  # a read: end the transaction (and the cursor) even when the client goes away
