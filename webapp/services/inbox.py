"""The inbox and "my unit's cases": SQL on indexed tables, never a deserialized workflow."""
from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import and_, func, or_, select

from .. import rules
from ..extensions import db
from ..models import HumanTask, OrgUnit, ProcessInstance, Student, UnitClosure

PER_PAGE = 25
SOON_WORKING_DAYS = 3
SORTS = ("arrived", "due", "student")
DUE_STATES = ("overdue", "soon", "later", "none")
CASE_STATUSES = ("in_progress", "waiting", "admitted", "probationary", "official", "rejected", "removed",
                 "stopped", "closed", "failed")


@dataclass(frozen=True)
class InboxFilters:
    step: str | None = None
    unit_id: int | None = None
    due: str | None = None
    search: str | None = None
    sort: str = "arrived"
    page: int = 1
    per_page: int = PER_PAGE


@dataclass(frozen=True)
class InboxRow:
    task_id: int
    instance_id: int
    spec_name: str
    label: str
    student_name: str
    unit_name: str
    arrived: datetime
    due_on: date | None
    due_state: str


@dataclass(frozen=True)
class StepCount:
    spec_name: str
    label: str
    count: int


@dataclass
class Page:
    rows: list
    total: int
    page: int
    per_page: int = PER_PAGE
    counts: list = field(default_factory=list)

    @property
    def pages(self):
        return max(1, -(-self.total // self.per_page))


def _units_below(unit_id):
    return select(UnitClosure.descendant_id).where(UnitClosure.ancestor_id == unit_id)


def due_state(due_on, today):
    if due_on is None:
        return "none"
    if due_on < today:
        return "overdue"
    if due_on <= rules.add_working_days(today, SOON_WORKING_DAYS):
        return "soon"
    return "later"


def _due_condition(state, today):
    soon_limit = rules.add_working_days(today, SOON_WORKING_DAYS)
    return {
        "overdue": HumanTask.due_on < today,
        "soon": and_(HumanTask.due_on >= today, HumanTask.due_on <= soon_limit),
        "later": HumanTask.due_on > soon_limit,
        "none": HumanTask.due_on.is_(None),
    }[state]


def _inbox_scope(user_id, acting):
    """Open tasks of the acting role in units at or below the acting unit, plus the user's own."""
    return and_(HumanTask.status == "open", or_(
        and_(HumanTask.assignee_id.is_(None), HumanTask.role == acting.role,
             HumanTask.unit_id.in_(_units_below(acting.unit_id))),
        HumanTask.assignee_id == user_id))


def inbox(user_id, acting, filters, today):
    scope = _inbox_scope(user_id, acting)
    conditions = [scope]
    if filters.unit_id:
        conditions.append(ProcessInstance.unit_id.in_(_units_below(filters.unit_id)))
    if filters.due in DUE_STATES:
        conditions.append(_due_condition(filters.due, today))
    if filters.search:
        conditions.append(func.lower(Student.full_name).contains(filters.search.strip().lower(), autoescape=True))
    counts = db.session.execute(
        select(HumanTask.spec_name, func.min(HumanTask.label), func.count()).select_from(HumanTask)
        .join(ProcessInstance, ProcessInstance.id == HumanTask.instance_id)
        .join(Student, Student.id == ProcessInstance.student_id)
        .where(*conditions).group_by(HumanTask.spec_name).order_by(HumanTask.spec_name)
    ).all()
    if filters.step:
        conditions.append(HumanTask.spec_name == filters.step)
    order = {"due": (HumanTask.due_on.asc().nulls_last(), HumanTask.id),
             "student": (Student.full_name, HumanTask.id)}.get(filters.sort, (HumanTask.created_at, HumanTask.id))
    total = db.session.execute(
        select(func.count()).select_from(HumanTask)
        .join(ProcessInstance, ProcessInstance.id == HumanTask.instance_id)
        .join(Student, Student.id == ProcessInstance.student_id).where(*conditions)).scalar()
    page = max(1, filters.page)
    rows = db.session.execute(
        select(HumanTask.id, HumanTask.instance_id, HumanTask.spec_name, HumanTask.label, Student.full_name,
               OrgUnit.name, HumanTask.created_at, HumanTask.due_on)
        .join(ProcessInstance, ProcessInstance.id == HumanTask.instance_id)
        .join(Student, Student.id == ProcessInstance.student_id)
        .join(OrgUnit, OrgUnit.id == ProcessInstance.unit_id)
        .where(*conditions).order_by(*order).limit(filters.per_page).offset((page - 1) * filters.per_page)).all()
    return Page(
        rows=[InboxRow(*row, due_state=due_state(row[7], today)) for row in rows], total=total, page=page,
        per_page=filters.per_page, counts=[StepCount(*row) for row in counts])


@dataclass(frozen=True)
class CaseFilters:
    status: str | None = None
    search: str | None = None
    unit_id: int | None = None
    page: int = 1


@dataclass(frozen=True)
class CaseRow:
    instance_id: int
    student_name: str
    unit_name: str
    status: str
    current_step: str
    updated_at: datetime
    next_actors: tuple = ()


def unit_cases(acting, filters):
    """Every case in the acting unit's scope: its status, current step and who must act next."""
    conditions = [ProcessInstance.unit_id.in_(_units_below(filters.unit_id or acting.unit_id)),
                  ProcessInstance.unit_id.in_(_units_below(acting.unit_id))]
    if filters.status in CASE_STATUSES:
        conditions.append(ProcessInstance.status == filters.status)
    if filters.search:
        conditions.append(func.lower(Student.full_name).contains(filters.search.strip().lower(), autoescape=True))
    base = select(ProcessInstance.id).join(Student, Student.id == ProcessInstance.student_id).where(*conditions)
    total = db.session.execute(select(func.count()).select_from(base.subquery())).scalar()
    page = max(1, filters.page)
    rows = db.session.execute(
        select(ProcessInstance.id, Student.full_name, OrgUnit.name, ProcessInstance.status,
               ProcessInstance.current_step, ProcessInstance.updated_at)
        .join(Student, Student.id == ProcessInstance.student_id)
        .join(OrgUnit, OrgUnit.id == ProcessInstance.unit_id)
        .where(*conditions).order_by(ProcessInstance.updated_at.desc(), ProcessInstance.id.desc())
        .limit(PER_PAGE).offset((page - 1) * PER_PAGE)).all()
    actors = _next_actors([row[0] for row in rows])
    return Page(rows=[CaseRow(*row, next_actors=actors.get(row[0], ())) for row in rows], total=total, page=page)


def _next_actors(instance_ids):
    """{instance id: ((role, unit name), …)} for the open tasks of these cases (one query)."""
    if not instance_ids:
        return {}
    found = {}
    for instance_id, role, unit_name in db.session.execute(
            select(HumanTask.instance_id, HumanTask.role, OrgUnit.name)
            .join(OrgUnit, OrgUnit.id == HumanTask.unit_id)
            .where(HumanTask.instance_id.in_(instance_ids), HumanTask.status == "open")
            .order_by(HumanTask.id)).all():
        pair = (role, unit_name)
        if pair not in found.setdefault(instance_id, ()):
            found[instance_id] += (pair,)
    return found
