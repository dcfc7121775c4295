"""Time per stage (issue 11): median and 90th percentile of working days from each stage to the next.

For the cases that reached a stage in the period, the working days (rules/workdays: Monday–Friday
less Vietnam's public holidays) since they reached the stage before it. The dates come from
`case_stage` (one self-join per pair, on its unique (instance_id, stage)); the working days are
counted in Python on a cumulative calendar, one lookup per case. The deadline-bound steps
(verification answers, the admission decision, the ceremony) also say how many were late: a step
completed after its recorded due date, or still open past it.
"""
from collections import defaultdict
from dataclasses import dataclass
from datetime import timedelta
from itertools import pairwise

from sqlalchemy import and_, case, func, or_, select
from sqlalchemy.orm import aliased

from ...extensions import db
from ...models import HumanTask, ProcessInstance
from ...models.stages import CaseStage
from ...rules.stages import FUNNEL
from ...rules.workdays import is_working_day
from ..listing import among
from .counting import child_of

PAIRS = tuple(pairwise(FUNNEL))
#: The steps with a deadline the reports watch, by the pair of stages they lie between.
DEADLINE_STEPS = {
    ("dossier_complete", "verified"): ("record_verification",),
    ("committee_approved", "decided"): ("decide_admission", "decide_admission_delegated"),
    ("decided", "admitted"): ("hold_ceremony",),
}


class WorkingCalendar:
    """Working days between two dates in O(1): a running count of working days from `first`."""

    def __init__(self, first, last):
        self.first, self._count = first, []
        running, day = 0, first
        while day <= last:
            running += is_working_day(day)
            self._count.append(running)
            day += timedelta(days=1)

    def between(self, start, end):
        """Working days d with start < d <= end, as rules.workdays.working_days_between."""
        if end <= start:
            return 0
        return self._count[(end - self.first).days] - self._count[(start - self.first).days]


def percentile(values, fraction):
    """The nearest-rank percentile of sorted `values` (None when empty): p50 is the median rank."""
    if not values:
        return None
    rank = max(1, -(-len(values) * fraction // 1))
    return values[int(rank) - 1]


@dataclass(frozen=True)
class StageTime:
    pair: tuple
    cases: int
    median: int | None
    p90: int | None
    late: int | None  # None: no deadline-bound step between these stages


def _pair_days(period, unit_ids, children):
    """{(pair, child id or None): [working days]} for the cases reaching each pair's later stage in the period.

    One statement: the later stage's rows of the period, each joined to the same case's stage before
    it on the unique (instance_id, stage) — the stage before given by a CASE, so the join is an
    equality the index answers. The whole scope's list is every row; a child's, the rows of its units.
    """
    earlier, later = aliased(CaseStage), aliased(CaseStage)
    before = case(*((later.stage == b, a) for a, b in PAIRS))
    # On the connection, not the session: plain tuples, without the ORM's per-row work (a province's
    # year is some 160,000 pairs at 200,000 cases; the session's rows cost twice as much to fetch).
    rows = db.session.connection().execute(
        select(earlier.stage, later.stage, earlier.reached_on, later.reached_on, later.unit_id)
        .select_from(later)
        .join(earlier, and_(earlier.instance_id == later.instance_id, earlier.stage == before))
        .where(among(later.stage, [b for _a, b in PAIRS]), later.reached_on >= period.start,
               later.reached_on <= period.end, among(later.unit_id, unit_ids))).all()
    if not rows:
        return {}
    mapping = child_of(children)
    calendar = WorkingCalendar(min(row[2] for row in rows), max(max(row[2], row[3]) for row in rows))
    found = defaultdict(list)
    between = calendar.between
    for a, b, start, end, unit_id in rows:
        days = between(start, end)
        found[((a, b), None)].append(days)
        child = mapping.get(unit_id)
        if child is not None:
            found[((a, b), child)].append(days)
    return found


def _late(period, unit_ids, children, today):
    """{(pair, child id or None): late steps} among the deadline-bound steps due in the period (one statement)."""
    steps = {step: pair for pair, names in DEADLINE_STEPS.items() for step in names}
    late = or_(and_(HumanTask.status == "completed", func.date(HumanTask.completed_at) > HumanTask.due_on),
               and_(HumanTask.status == "open", HumanTask.due_on < today))
    rows = db.session.execute(
        select(HumanTask.spec_name, ProcessInstance.unit_id, func.count()).select_from(HumanTask)
        .join(ProcessInstance, ProcessInstance.id == HumanTask.instance_id)
        .where(among(HumanTask.spec_name, list(steps)), HumanTask.due_on >= period.start,
               HumanTask.due_on <= period.end, among(ProcessInstance.unit_id, unit_ids), late)
        .group_by(HumanTask.spec_name, ProcessInstance.unit_id)).all()
    mapping, found = child_of(children), defaultdict(int)
    for spec_name, unit_id, count in rows:
        found[(steps[spec_name], None)] += count
        if unit_id in mapping:
            found[(steps[spec_name], mapping[unit_id])] += count
    return found


def _times(days_by_key, late_by_key, key_of):
    result = []
    for pair in PAIRS:
        days = sorted(days_by_key.get(key_of(pair), ()))
        late = late_by_key.get(key_of(pair), 0) if pair in DEADLINE_STEPS else None
        result.append(StageTime(pair, len(days), percentile(days, 0.5), percentile(days, 0.9), late))
    return result


@dataclass(frozen=True)
class UnitTimes:
    unit: object
    times: list  # StageTime per pair

    @property
    def slowest(self):
        """The longest median of any stage (the order of the table: slowest units first)."""
        return max((time.median for time in self.times if time.median is not None), default=-1)


def stage_times(scope, period, today):
    """(the scope's times per pair, [UnitTimes] per unit below, slowest first)."""
    days = _pair_days(period, scope.unit_ids, scope.children)
    late = _late(period, scope.unit_ids, scope.children, today)
    whole = _times(days, late, lambda pair: (pair, None))
    units = [UnitTimes(unit, _times(days, late, lambda pair, unit=unit: (pair, unit.id))) for unit in scope.children]
    units.sort(key=lambda row: (-row.slowest, row.unit.name))
    return whole, units
