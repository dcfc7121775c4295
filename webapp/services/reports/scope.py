"""Which units a report covers: the reader's unit or a chosen one below it, and the units below that.

An out-of-scope unit in the address is refused (`Forbidden`, code `report_unit_out_of_scope`)
before any figure is read: nothing of a neighbour's is computed, let alone shown.
"""
from dataclasses import dataclass

from sqlalchemy import select

from ...authz.reports import may_read_reports, report_reaches
from ...extensions import db
from ...models import OrgUnit, UnitClosure
from ..errors import Forbidden
from ..listing import unit_ids


@dataclass(frozen=True)
class ReportScope:
    unit: OrgUnit  # the unit the figures are for
    unit_ids: tuple  # it and every unit below it (written into the SQL as literal ids)
    children: tuple  # the units directly below, each a row of the per-unit tables
    path: tuple  # the units from the reader's own down to this one (the breadcrumb)


def report_scope(acting, unit_id=None):
    """The scope of a report for the acting role; `unit_id` narrows it to a unit below the reader's."""
    if not may_read_reports(acting):
        raise Forbidden("the reports are not for the role you act in", code="not_for_reports")
    chosen = unit_id or acting.unit_id
    if not report_reaches(acting, chosen):
        raise Forbidden("that unit is outside your scope", code="report_unit_out_of_scope")
    unit = db.session.get(OrgUnit, chosen)
    children = db.session.execute(
        select(OrgUnit).where(OrgUnit.parent_id == unit.id).order_by(OrgUnit.name, OrgUnit.id)).scalars().all()
    path = db.session.execute(
        select(OrgUnit).join(UnitClosure, UnitClosure.ancestor_id == OrgUnit.id)
        .where(UnitClosure.descendant_id == unit.id, OrgUnit.id.in_(unit_ids(acting.unit_id)))
        .order_by(UnitClosure.depth.desc())).scalars().all()
    return ReportScope(unit, tuple(unit_ids(unit.id)), tuple(children), tuple(path))
