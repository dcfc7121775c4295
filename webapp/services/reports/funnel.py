"""The funnel (issue 11): how many cases reached each stage in a period, beside last year's.

Each stage's figure counts the cases whose stage is dated in the period (the act's own date), so a
period's funnel is not a cohort: the seeds' ratios (12 admitted of 371 trained, 3.2 %) are read the
same way. The exits say where the others went. Per unit below, sortable by any column.
"""
from dataclasses import dataclass

from ...rules.stages import EXITS, FUNNEL
from .counting import count_by_child, count_by_stage, share

STAGES = FUNNEL + EXITS


@dataclass(frozen=True)
class UnitRow:
    unit: object
    counts: dict  # stage -> count in the period
    ratio: float | None


@dataclass(frozen=True)
class Funnel:
    period: object
    previous: object
    counts: dict  # stage -> count, this period
    before: dict  # stage -> count, the same period last year
    ratio_from: str
    ratio_to: str
    units: list  # UnitRow per unit below, sorted as asked

    def ratio(self, counts=None):
        counts = self.counts if counts is None else counts
        return share(counts[self.ratio_to], counts[self.ratio_from])

    @property
    def ratio_before(self):
        return self.ratio(self.before)

    def step_ratio(self, stage):
        """This stage as a share of the stage before it (None for the first)."""
        index = FUNNEL.index(stage)
        return share(self.counts[stage], self.counts[FUNNEL[index - 1]]) if index else None


def funnel(scope, period, *, ratio_from="nominated", ratio_to="admitted", sort="name", descending=False):
    """The funnel of `scope` in `period` and the same period of the previous year.

    `ratio_from`/`ratio_to` are any two stages (unknown ones fall back to nominated → admitted);
    `sort` is "name", "ratio" or a stage.
    """
    ratio_from = ratio_from if ratio_from in STAGES else "nominated"
    ratio_to = ratio_to if ratio_to in STAGES else "admitted"
    previous = period.previous_year()
    by_child = count_by_child(period, scope.unit_ids, STAGES, scope.children)
    rows = []
    for unit in scope.children:
        counts = {stage: by_child.get((unit.id, stage), 0) for stage in STAGES}
        rows.append(UnitRow(unit, counts, share(counts[ratio_to], counts[ratio_from])))
    if sort == "ratio":
        rows.sort(key=lambda row: (row.ratio is None, row.ratio or 0), reverse=descending)
    elif sort in STAGES:
        rows.sort(key=lambda row: row.counts[sort], reverse=descending)
    else:
        rows.sort(key=lambda row: row.unit.name, reverse=descending)
    return Funnel(period, previous, count_by_stage(period, scope.unit_ids, STAGES),
                  count_by_stage(previous, scope.unit_ids, STAGES), ratio_from, ratio_to, rows)


TREND_STAGES = ("nominated", "course_attended", "admitted")


def trend(scope, period, years=5):
    """[(period, counts)] for the same period in each of the last `years` years, oldest first."""
    periods = [period]
    for _ in range(years - 1):
        periods.insert(0, periods[0].previous_year())
    return [(each, count_by_stage(each, scope.unit_ids, TREND_STAGES)) for each in periods]
