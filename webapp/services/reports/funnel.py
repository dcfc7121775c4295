"""The funnel (issue 11): how many cases reached each stage in a period, beside last year's.

Each stage's figure counts the cases whose stage is dated in the period (the act's own date), so a
period's funnel is not a cohort: the seeds' ratios (12 admitted of 371 trained, 3.2 %) are read the
same way. The exits say where the others went. Per unit below, sortable by any column.
"""
from dataclasses import dataclass

from ...rules.stages import EXITS, FUNNEL
from .counting import count_stages, share

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
    counts = count_stages([period, previous], scope.unit_ids, STAGES, scope.children)
    rows = []
    for unit in scope.children:
        of_unit = counts.of_child(0, unit.id, STAGES)
        rows.append(UnitRow(unit, of_unit, share(of_unit[ratio_to], of_unit[ratio_from])))
    if sort == "ratio":
        rows.sort(key=lambda row: -1 if row.ratio is None else row.ratio, reverse=descending)
    elif sort in STAGES:
        rows.sort(key=lambda row: row.counts[sort], reverse=descending)
    else:
        rows.sort(key=lambda row: row.unit.name, reverse=descending)
    return Funnel(period, previous, counts.of(0, STAGES), counts.of(1, STAGES), ratio_from, ratio_to, rows)

TREND_STAGES = ("nominated", "course_attended", "admitted")


def trend(scope, period, years=5):
    """[(period, counts)] for the same period in each of the last `years` years, oldest first (one statement)."""
    periods = [period]
    for _ in range(years - 1):
        periods.insert(0, periods[0].previous_year())
    counts = count_stages(periods, scope.unit_ids, TREND_STAGES)
    return [(each, counts.of(index, TREND_STAGES)) for index, each in enumerate(periods)]
