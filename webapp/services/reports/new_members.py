"""New members by category (issue 11): the form's columns (new_member_form.py) counted in SQL.

A new member is a case that reached `admitted` in the period; each column is a SUM(CASE …) over
the student's recorded fields, grouped by the unit below (the form's rows) — one statement for the
rows, one for the total, one for the same period last year.
"""
from dataclasses import dataclass

from sqlalchemy import case, extract, func, select

from ...extensions import db
from ...models import ProcessInstance, Student, UnitClosure
from ...models.stages import CaseStage
from ..listing import among
from .counting import reached, share
from .new_member_form import COLUMNS

ADMITTED = ("admitted",)


def age_at_stage():
    """The student's age in whole years on the day the stage was reached."""
    day, born = CaseStage.reached_on, Student.date_of_birth
    before_birthday = (extract("month", day) * 100 + extract("day", day)
                       < extract("month", born) * 100 + extract("day", born))
    return extract("year", day) - extract("year", born) - case((before_birthday, 1), else_=0)


def _sums():
    age = age_at_stage()
    return [func.coalesce(func.sum(case((column.condition(age), 1), else_=0)), 0).label(column.key)
            for column in COLUMNS]


def _joined(query):
    return (query.join(ProcessInstance, ProcessInstance.id == CaseStage.instance_id)
            .join(Student, Student.id == ProcessInstance.student_id))


def _totals(period, unit_ids):
    row = db.session.execute(_joined(select(*_sums()).select_from(CaseStage))
                             .where(*reached(period, unit_ids, ADMITTED))).one()
    return dict(row._mapping)


@dataclass(frozen=True)
class NewMembers:
    period: object
    previous: object
    rows: list  # (unit, {column key: count})
    total: dict
    before: dict

    def change(self, key):
        """This period's figure minus last year's."""
        return self.total[key] - self.before[key]

    def share_of_total(self, key, counts=None):
        counts = counts or self.total
        return share(counts[key], counts["total"])


def new_members(scope, period):
    previous = period.previous_year()
    rows = []
    if scope.children:
        found = db.session.execute(
            _joined(select(UnitClosure.ancestor_id, *_sums()).select_from(CaseStage))
            .join(UnitClosure, UnitClosure.descendant_id == CaseStage.unit_id)
            .where(*reached(period, scope.unit_ids, ADMITTED),
                   among(UnitClosure.ancestor_id, [unit.id for unit in scope.children]))
            .group_by(UnitClosure.ancestor_id)).all()
        by_unit = {row[0]: dict(row._mapping) for row in found}
        zero = dict.fromkeys((column.key for column in COLUMNS), 0)
        rows = [(unit, by_unit.get(unit.id, zero)) for unit in scope.children]
    return NewMembers(period, previous, rows, _totals(period, scope.unit_ids), _totals(previous, scope.unit_ids))
