"""The SQL every report shares: stage rows of a scope in one or more periods, counted per unit.

One statement per report reads `case_stage` on its index (unit_id, stage, reached_on), which
holds every column the count needs (SQLite is told to use it: its planner otherwise takes
(stage, reached_on) and reads every row for its unit), grouped by unit, stage and period. The
counts are then added up per unit directly below (a map read from `unit_closure`) and for the
whole scope, in Python over a few thousand groups: the scope's units are literal ids
(services/listing.among), as every list of cases has them.
"""
from collections import defaultdict

from sqlalchemy import and_, func, select

from ...extensions import db
from ...models import UnitClosure
from ...models.stages import CaseStage
from ..listing import among

COVERING = "INDEXED BY ix_case_stage_unit_stage_reached"


def reached(period, unit_ids, stages):
    """The conditions "a stage among `stages`, reached in `period`, by a case of these units"."""
    return (among(CaseStage.stage, stages), CaseStage.reached_on >= period.start, CaseStage.reached_on <= period.end,
            among(CaseStage.unit_id, unit_ids))


def _in(period):
    return and_(CaseStage.reached_on >= period.start, CaseStage.reached_on <= period.end)


def child_of(children):
    """{unit id: the child (directly below the scope's unit) it lies under} for every unit below them."""
    if not children:
        return {}
    return dict(db.session.execute(select(UnitClosure.descendant_id, UnitClosure.ancestor_id).where(
        among(UnitClosure.ancestor_id, [unit.id for unit in children]))).all())


class Counts:
    """Counts of one statement: `whole[(period index, stage)]`, `by_child[(period index, child id, stage)]`."""

    def __init__(self):
        self.whole = defaultdict(int)
        self.by_child = defaultdict(int)

    def of(self, index, stages):
        return {stage: self.whole[(index, stage)] for stage in stages}

    def of_child(self, index, child_id, stages):
        return {stage: self.by_child[(index, child_id, stage)] for stage in stages}


def count_stages(periods, unit_ids, stages, children=()):
    """Cases reaching each stage in each of `periods` (a list), for the scope and per child, in one statement.

    One count per period (COUNT(*) FILTER (WHERE the day lies in it)) grouped by (unit_id, stage) only:
    the index already yields that order, so PostgreSQL aggregates as it scans. Grouping by a CASE of
    the period as well made it sort every row of the range first (the province's funnel, 470,000
    rows over two years at 200,000 cases: the sort took as long as the scan).
    """
    query = (select(CaseStage.unit_id, CaseStage.stage, *(func.count().filter(_in(period)) for period in periods))
             .where(among(CaseStage.stage, stages), among(CaseStage.unit_id, unit_ids),
                    # one range (the planner scans it once); days between the periods are counted by none
                    CaseStage.reached_on >= min(period.start for period in periods),
                    CaseStage.reached_on <= max(period.end for period in periods))
             .group_by(CaseStage.unit_id, CaseStage.stage)
             .with_hint(CaseStage, COVERING, "sqlite"))
    mapping, counts = child_of(children), Counts()
    for unit_id, stage, *per_period in db.session.execute(query).all():
        child = mapping.get(unit_id)
        for index, count in enumerate(per_period):
            if count:
                counts.whole[(index, stage)] += count
                if child is not None:
                    counts.by_child[(index, child, stage)] += count
    return counts


def count_by_stage(period, unit_ids, stages):
    """{stage: cases that reached it in the period} (every stage asked for, zeros included)."""
    return count_stages([period], unit_ids, stages).of(0, stages)


def share(part, whole):
    """part / whole as a percentage with one decimal, or None when the whole is zero."""
    return round(100 * part / whole, 1) if whole else None
