"""The SQL every report shares: stage rows of a scope in a period, counted whole or per unit below.

Counted on `case_stage` alone (its indexes (stage, reached_on) and (unit_id, stage, reached_on));
the scope's units are literal ids (services/listing.among), as every list of cases does.
"""
from sqlalchemy import func, select

from ...extensions import db
from ...models import UnitClosure
from ...models.stages import CaseStage
from ..listing import among


def reached(period, unit_ids, stages):
    """The conditions "a stage among `stages`, reached in `period`, by a case of these units"."""
    return (among(CaseStage.stage, stages), CaseStage.reached_on >= period.start, CaseStage.reached_on <= period.end,
            among(CaseStage.unit_id, unit_ids))


def count_by_stage(period, unit_ids, stages):
    """{stage: cases that reached it in the period} (every stage asked for, zeros included)."""
    rows = db.session.execute(select(CaseStage.stage, func.count()).where(*reached(period, unit_ids, stages))
                              .group_by(CaseStage.stage)).all()
    found = dict.fromkeys(stages, 0)
    found.update(dict(rows))
    return found


def count_by_child(period, unit_ids, stages, children):
    """{(child unit id, stage): count}: the same figures split by the units directly below."""
    if not children:
        return {}
    rows = db.session.execute(
        select(UnitClosure.ancestor_id, CaseStage.stage, func.count())
        .join(UnitClosure, UnitClosure.descendant_id == CaseStage.unit_id)
        .where(*reached(period, unit_ids, stages), among(UnitClosure.ancestor_id, [unit.id for unit in children]))
        .group_by(UnitClosure.ancestor_id, CaseStage.stage)).all()
    return {(unit_id, stage): count for unit_id, stage, count in rows}


def share(part, whole):
    """part / whole as a percentage with one decimal, or None when the whole is zero."""
    return round(100 * part / whole, 1) if whole else None
