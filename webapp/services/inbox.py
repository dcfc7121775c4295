"""The inbox and "my unit's cases": SQL on indexed tables, never a deserialized workflow.

Shaped for a province-sized database (200,000 cases, 3 million task rows; bench/inbox.py and
docs/performance.md):

- the units in scope are written into the SQL as a list of numbers (services/listing.py);
- the inbox scope "open tasks of my role in my unit, or assigned to me" is the UNION ALL of its
  two disjoint halves, each answered by its own index (`A OR B` on one table cannot put the units
  in an index condition: every open task of the role was read from the table). The role half
  reads the partial index of open, unassigned tasks, which holds every column needed to count
  and order them, so no table row is visited;
- the matching tasks are computed once per page: one statement returns the counts per step and
  the ids of the page (the total is the sum of the counts), and only those ids are then joined to
  their students and units. Filters on the case or the student are looked up task by task;
- "my unit's cases" is chosen like every list of cases (services/listing.py).
"""
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import Integer, String, and_, func, literal, null, select, union_all

from .. import rules
from ..authz.claims import CLAIM_STATES, claimed_condition
from ..extensions import db
from ..models import HumanTask, OrgUnit, ProcessInstance, Student
from ..models.process import INSTANCE_STATUSES
from .listing import (
    NEWEST_FIRST,
    OPEN,
    PER_PAGE,
    Page,
    among,
    named,
    page_of_cases,
    student_matches,
    unit_ids,
    units_in_scope,
)

SOON_WORKING_DAYS = 3
SORTS = ("arrived", "due", "student")
DUE_STATES = ("overdue", "soon", "later", "none")
CASE_STATUSES = INSTANCE_STATUSES  # the filter accepts exactly the statuses a case can have (models/process.py)


@dataclass(frozen=True)
class InboxFilters:
    step: str | None = None
    unit_id: int | None = None
    due: str | None = None
    search: str | None = None
    sort: str = "arrived"
    page: int = 1
    per_page: int = PER_PAGE
    claim: str | None = None  # one of CLAIM_STATES


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


def _inbox_scope(user_id, acting, conditions, *columns):
    """Open tasks of the acting role in exactly the acting unit, or assigned to the user, with `columns`.

    A step waits for the holders of its role in the unit it belongs to (`authz.unit_for_lane`), so
    the same role held higher up does not see it here. The two halves are disjoint (no assignee /
    this assignee), so UNION ALL is exactly their OR.
    """
    by_role = select(*columns).where(
        HumanTask.status == OPEN, HumanTask.assignee_id.is_(None), HumanTask.role == acting.role,
        HumanTask.unit_id == acting.unit_id, *conditions)
    own = select(*columns).where(HumanTask.status == OPEN, HumanTask.assignee_id == user_id, *conditions)
    return union_all(by_role, own).subquery("scope")


def _case_of(instance_id, column):
    """`column` of the task's case (or of its student), looked up for each task row of the scope."""
    query = select(column).select_from(ProcessInstance).where(ProcessInstance.id == instance_id)
    if column.table is Student.__table__:
        query = query.join(Student, Student.id == ProcessInstance.student_id)
    return query.scalar_subquery()


def _claim_condition(state, task_id, user_id, acting):
    """Claimed by me / by nobody / by a colleague (a body task's role and unit are the acting ones)."""
    claimed = claimed_condition(task_id, acting.role, acting.unit_id)
    return {"mine": claimed_condition(task_id, acting.role, acting.unit_id, user_id), "free": ~claimed,
            "others": and_(claimed, ~claimed_condition(task_id, acting.role, acting.unit_id, user_id))}[state]


def inbox(user_id, acting, filters, today):
    on_task = [_due_condition(filters.due, today)] if filters.due in DUE_STATES else []
    scope = _inbox_scope(user_id, acting, on_task, HumanTask.id, HumanTask.spec_name,
                         HumanTask.label, HumanTask.created_at, HumanTask.due_on, HumanTask.instance_id)
    # The case and the student of each task in scope are looked up one by one (there are at most a few
    # thousand tasks): joined instead, PostgreSQL underestimates what a name search keeps and reads
    # every student first.
    if filters.sort == "student":
        scope = select(*scope.c, _case_of(scope.c.instance_id, Student.full_name).label("student_name")).subquery()
    matched = select(*scope.c)
    if filters.unit_id:
        case_unit = _case_of(scope.c.instance_id, ProcessInstance.unit_id)
        matched = matched.where(among(case_unit, unit_ids(filters.unit_id)))
    if filters.search:
        matched = matched.where(student_matches(_case_of(scope.c.instance_id, Student.name_folded),
                                                _case_of(scope.c.instance_id, Student.citizen_id),
                                                filters.search, acting))
    if filters.claim in CLAIM_STATES:
        matched = matched.where(_claim_condition(filters.claim, scope.c.id, user_id, acting))
    matched = matched.cte("matched")  # used twice below, computed once

    page = max(1, filters.page)
    if filters.sort == "due":
        order = (matched.c.due_on.asc().nulls_last(), matched.c.id)
    elif filters.sort == "student":
        order = (matched.c.student_name, matched.c.id)
    else:
        order = (matched.c.created_at, matched.c.id)
    page_ids = (select(matched.c.id).where(*([matched.c.spec_name == filters.step] if filters.step else []))
                .order_by(*order).limit(filters.per_page).offset((page - 1) * filters.per_page).subquery())
    # One statement: the count per step (part 0, by step) and the ids on the page (part 1).
    both = union_all(
        select(literal(0).label("part"), matched.c.spec_name, func.min(matched.c.label).label("label"),
               func.count().label("tasks"), null().cast(Integer).label("id")).group_by(matched.c.spec_name),
        select(literal(1), null().cast(String), null().cast(String), null().cast(Integer), page_ids.c.id))
    found = db.session.execute(both.order_by(both.selected_columns.part, both.selected_columns.spec_name)).all()
    counts = [StepCount(row.spec_name, row.label, row.tasks) for row in found if row.part == 0]
    # The per-step counts already count every task the page could list.
    if filters.step:
        total = next((count.count for count in counts if count.spec_name == filters.step), 0)
    else:
        total = sum(count.count for count in counts)

    rows = db.session.execute(
        select(HumanTask.id, HumanTask.instance_id, HumanTask.spec_name, HumanTask.label, Student.full_name,
               OrgUnit.name, HumanTask.created_at, HumanTask.due_on)
        .join(ProcessInstance, ProcessInstance.id == HumanTask.instance_id)
        .join(Student, Student.id == ProcessInstance.student_id)
        .join(OrgUnit, OrgUnit.id == ProcessInstance.unit_id)
        .where(HumanTask.id.in_([row.id for row in found if row.part == 1]))
        .order_by(*{"due": (HumanTask.due_on.asc().nulls_last(), HumanTask.id),  # the same order again
                    "student": (Student.full_name, HumanTask.id)}.get(filters.sort,
                                                                      (HumanTask.created_at, HumanTask.id)))).all()
    return Page(
        rows=[InboxRow(*row, due_state=due_state(row[7], today)) for row in rows], total=total, page=page,
        per_page=filters.per_page, counts=counts)


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
    cases = select(ProcessInstance.id).where(
        among(ProcessInstance.unit_id, units_in_scope(acting.unit_id, filters.unit_id)))
    if filters.status in CASE_STATUSES:
        cases = cases.where(ProcessInstance.status == filters.status)
    page = max(1, filters.page)
    if filters.search:
        cases = named(cases, filters.search, acting)
    page_ids, total = page_of_cases(cases, page, one_pass=bool(filters.search))
    rows = db.session.execute(
        select(ProcessInstance.id, Student.full_name, OrgUnit.name, ProcessInstance.status,
               ProcessInstance.current_step, ProcessInstance.updated_at)
        .join(Student, Student.id == ProcessInstance.student_id)
        .join(OrgUnit, OrgUnit.id == ProcessInstance.unit_id)
        .where(ProcessInstance.id.in_(page_ids)).order_by(*NEWEST_FIRST)).all()
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
