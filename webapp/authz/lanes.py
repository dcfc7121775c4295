"""Resolve a lane (a role) of the diagram to the organisation unit whose role holders act.

A lane name is a role. Which unit it means depends on where the case's cell sits in the tree:
the cell itself, its sub-committee, its grassroots organisation, or the deciding body above.
"""
from dataclasses import dataclass

from sqlalchemy import select

from ..extensions import db
from ..models import OrgUnit, UnitClosure
from ..models.org import DECIDING_KINDS

CELL_LANES = ("applicant", "youth_union", "introducer", "cell_secretary", "verifier", "residence_cell")
DECIDING_BODY_LANES = ("political_center", "org_board", "standing_committee")
GRASSROOTS_KINDS = ("grassroots_committee", "grassroots_cell")


@dataclass(frozen=True)
class CaseUnits:
    cell_id: int
    subcommittee_id: int | None
    grassroots_id: int
    deciding_id: int
    grassroots_cell: bool
    delegated: bool
    rule_set: str

    def facts(self):
        """The unit facts a case starts with (gateways branch on them)."""
        return {
            "has_subcommittee": self.subcommittee_id is not None,
            "grassroots_cell": self.grassroots_cell,
            "delegated": self.delegated,
            "rule_set": self.rule_set,
        }


class UnitTreeError(Exception):
    """The unit is not placed in a tree that can run the procedure.

    `code` names what is missing for the pages (webapp/pages/refusals.py); the message is English
    for the log and the command line.
    """

    def __init__(self, message, *, code):
        super().__init__(message)
        self.code = code


def _ancestors(unit_id):
    """The unit and its ancestors, nearest first."""
    rows = db.session.execute(
        select(OrgUnit).join(UnitClosure, UnitClosure.ancestor_id == OrgUnit.id)
        .where(UnitClosure.descendant_id == unit_id).order_by(UnitClosure.depth)
    ).scalars().all()
    return rows


def case_units(cell_id):
    chain = _ancestors(cell_id)
    if not chain:
        raise UnitTreeError(f"unit {cell_id} does not exist", code="unit_missing")
    grassroots = next((u for u in chain if u.kind in GRASSROOTS_KINDS), None)
    if grassroots is None:
        raise UnitTreeError(f"{chain[0].name} has no grassroots party organisation above it", code="no_grassroots")
    below_grassroots = chain[:chain.index(grassroots)]
    subcommittee = next((u for u in below_grassroots if u.kind == "subcommittee"), None)
    above = chain[chain.index(grassroots):]
    explicit = next((u.deciding_unit_id for u in above if u.deciding_unit_id), None)
    deciding = explicit or next((u.id for u in above[1:] if u.kind in DECIDING_KINDS), None)
    if deciding is None:
        raise UnitTreeError(f"no deciding body above {grassroots.name}", code="no_deciding_body")
    return CaseUnits(
        cell_id=chain[0].id, subcommittee_id=subcommittee.id if subcommittee else None,
        grassroots_id=grassroots.id, deciding_id=deciding,
        grassroots_cell=grassroots.kind == "grassroots_cell", delegated=bool(grassroots.delegated),
        rule_set=grassroots.rule_set)


def unit_for_lane(units, lane):
    """The unit whose holders of role `lane` act on a task of that lane."""
    if lane in CELL_LANES:
        return units.cell_id
    if lane == "subcommittee":
        return units.subcommittee_id or units.cell_id
    if lane == "grassroots_committee":
        return units.grassroots_id
    if lane in DECIDING_BODY_LANES:
        return units.deciding_id
    raise UnitTreeError(f"the diagram uses a lane '{lane}' that is not a known role", code="unknown_lane")
