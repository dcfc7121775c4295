"""The reports of issue 11: figures over `case_stage`, `process_instance`, `student` and the verification
letters (`verification_request`, with their answering steps), all SQL.

Nothing here restores a workflow. Every report takes a `ReportScope` (scope.py: the reader's unit
or one below it, refused outside) and a `Period` (periods.py), and gives the same period of the
previous year beside it.
"""
from .cases import cases_behind
from .durations import stage_times
from .funnel import funnel
from .letters import letter_cases, verification_letters
from .new_members import new_members
from .periods import BadPeriod, Period, make_period, period_from_args
from .risks import students_at_risk, units_without_admission
from .scope import ReportScope, report_scope
from .targets import set_target, targets_report

__all__ = [
    "BadPeriod", "Period", "ReportScope", "cases_behind", "funnel", "letter_cases", "make_period", "new_members",
    "period_from_args", "report_scope", "set_target", "stage_times", "students_at_risk", "targets_report",
    "units_without_admission", "verification_letters",
]
