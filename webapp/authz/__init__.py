"""Who may see and do what: named predicates and SQL query scopes."""
from .attachments import may_add_attachment
from .lanes import CaseUnits, case_units, unit_for_lane
from .need_to_know import (
    Reader,
    acts_on_open_step,
    case_reader,
    may_check_integrity,
    may_export_cases,
    may_search_cases,
    open_steps_acted_on,
    section_of,
)
from .notes import (
    LEVEL_ABOVE,
    SAME_BODY,
    correction_right,
    may_comment,
    reads_case_comments,
    reads_step_comments,
)
from .scope import acting_assignment, can_see_instance, unit_reaches, visible_instances_query
from .starting import may_start_process, rule_admits, startable_processes_for

__all__ = [
    "LEVEL_ABOVE",
    "SAME_BODY",
    "CaseUnits",
    "Reader",
    "acting_assignment",
    "acts_on_open_step",
    "can_see_instance",
    "case_reader",
    "case_units",
    "correction_right",
    "may_add_attachment",
    "may_check_integrity",
    "may_comment",
    "may_export_cases",
    "may_search_cases",
    "may_start_process",
    "open_steps_acted_on",
    "reads_case_comments",
    "reads_step_comments",
    "rule_admits",
    "section_of",
    "startable_processes_for",
    "unit_for_lane",
    "unit_reaches",
    "visible_instances_query",
]
