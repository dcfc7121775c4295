"""What every list of cases or tasks shares: a page, the units in scope, and choosing a page of cases.

Shaped for a province-sized database (200,000 cases, 3 million task rows; bench/inbox.py,
bench/history.py and docs/performance.md):

- the units at and below the acting unit are read first and written into the SQL as a list of
  numbers, so the planner sees how many cases they hold and can use them in an index condition;
- a list of cases is counted without joining (a case always has its student: NOT NULL foreign
  key), the ids of the page are chosen on the indexes (newest first), and only those ids are then
  joined to their students and units.
"""
import re
from dataclasses import dataclass, field

from sqlalchemy import bindparam, false, func, literal_column, select

from ..authz.need_to_know import may_search_citizen_id
from ..extensions import db
from ..models import ProcessInstance, Student, UnitClosure
from ..rules.names import fold_name

PER_PAGE = 25

#: Written into the SQL, not bound: the partial indexes on open tasks are only used when the planner
#: can see the value (PostgreSQL's generic plans for prepared statements, SQLite always).
OPEN = literal_column("'open'")

NEWEST_FIRST = (ProcessInstance.updated_at.desc(), ProcessInstance.id.desc())


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


def unit_ids(unit_id):
    """The unit and every unit below it."""
    return db.session.execute(
        select(UnitClosure.descendant_id).where(UnitClosure.ancestor_id == unit_id)).scalars().all()


def units_in_scope(acting_unit_id, chosen_unit_id=None):
    """The units below the acting one; narrowed to those below a chosen unit (none if it is outside)."""
    found = unit_ids(acting_unit_id)
    if chosen_unit_id:
        within = set(unit_ids(chosen_unit_id))
        found = [unit_id for unit_id in found if unit_id in within]
    return found


def among(column, ids):
    """`column IN (…)` with the ids written into the SQL: hundreds of bound parameters cost
    milliseconds per statement in the driver and SQLAlchemy; a list of integers does not."""
    return column.in_(bindparam("ids", list(ids), expanding=True, literal_execute=True, unique=True))


#: A full identity number (CCCD): 12 ASCII digits (`\d` would also take other scripts' digits).
CITIZEN_ID = re.compile(r"[0-9]{12}")


def citizen_id_searched(search, acting):
    """The identity number typed in a search box (spaces allowed: "001 307 000 001"), if the acting
    role may search by it; otherwise None, and the digits are looked for in names like any text."""
    digits = "".join(search.split())
    return digits if CITIZEN_ID.fullmatch(digits) and may_search_citizen_id(acting) else None


def student_matches(folded_name, citizen_id, search, acting):
    """The condition "this student is the one searched for", on the given columns (or lookups).

    A name matches when its folded form (rules/names.py) contains the folded search: "nguyen van an"
    finds "Nguyễn Văn An", and '%' or '_' are characters, not wildcards. Twelve digits are an exact
    identity number for the roles that read it; for the others they are text that no name holds.
    """
    number = citizen_id_searched(search, acting)
    if number:
        return citizen_id == number
    folded = fold_name(search)
    return folded_name.contains(folded, autoescape=True) if folded else false()


def named(cases, search, acting):
    """`cases` (a SELECT of process_instance.id) narrowed to the students `search` finds."""
    return cases.join(Student, Student.id == ProcessInstance.student_id).where(
        student_matches(Student.name_folded, Student.citizen_id, search, acting))


def page_of_cases(cases, page, *, one_pass=False):
    """(ids of the page, total) of `cases` (a SELECT of process_instance.id), newest first.

    Counted on the indexes, then the page chosen by walking the cases newest first. With
    `one_pass`, for filters that read every matching case anyway (a name search, a filter on open
    tasks), they are read once, counting as it goes: walking newest first could read most of the
    scope before finding a page of them (overdue cases are the ones nobody has touched for long).
    """
    offset = (page - 1) * PER_PAGE
    if one_pass:
        # Materialized, so that it is planned for reading every match (a hash join), not for the
        # first few: the LIMIT below would otherwise tempt the planner into the walk newest first.
        matched = cases.add_columns(ProcessInstance.updated_at).cte("matched").prefix_with("MATERIALIZED")
        total = select(func.count()).select_from(matched).scalar_subquery()
        found = db.session.execute(select(matched.c.id, total)
                                   .order_by(matched.c.updated_at.desc(), matched.c.id.desc())
                                   .limit(PER_PAGE).offset(offset)).all()
        if found:
            return [instance_id for instance_id, _total in found], found[0][1]
        return [], db.session.execute(select(total)).scalar()
    total = db.session.execute(cases.with_only_columns(func.count(), maintain_column_froms=True)).scalar()
    return db.session.execute(cases.order_by(*NEWEST_FIRST).limit(PER_PAGE).offset(offset)).scalars().all(), total
