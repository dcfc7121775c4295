"""Who reads the reports and who sets the annual targets (issue 11).

A report is figures over many cases, never a case's contents, so the readers are the bodies that
answer for a unit's admissions: organisation boards, standing committees, grassroots committees,
cell secretaries (their own cell: the scope of a cell role is the cell) and the auditors. Every
figure is for the reader's unit and the units below it (`report_reaches`).
"""
from .scope import unit_reaches

#: The roles that open the reports, each over its own unit and the units below.
REPORT_READERS = frozenset({"org_board", "standing_committee", "grassroots_committee", "cell_secretary", "auditor"})
#: The annual targets (chỉ tiêu) are set by the organisation board, for the units below its committee.
TARGET_SETTERS = frozenset({"org_board"})


def may_read_reports(acting):
    """The "Báo cáo" pages, for the acting role (None: no role picked)."""
    return acting is not None and acting.role in REPORT_READERS


def report_reaches(acting, unit_id):
    """May the acting role read the figures of `unit_id` (its own unit or one below it)?"""
    return may_read_reports(acting) and unit_id is not None and unit_reaches(acting.unit_id, unit_id)


def may_set_targets(acting):
    """The target form, for the acting role."""
    return acting is not None and acting.role in TARGET_SETTERS


def may_set_target_for(acting, unit_id):
    """A board sets the targets of its own unit and of the units below it, never a neighbour's."""
    return may_set_targets(acting) and unit_id is not None and unit_reaches(acting.unit_id, unit_id)
