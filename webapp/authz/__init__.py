"""Who may see and do what: named predicates and SQL query scopes."""
from .lanes import CaseUnits, case_units, unit_for_lane
from .scope import (
    acting_assignment,
    can_act_on_task,
    can_see_instance,
    inbox_query,
    unit_reaches,
    visible_instances_query,
)

__all__ = [
    "CaseUnits", "acting_assignment", "can_act_on_task", "can_see_instance", "case_units", "inbox_query",
    "unit_for_lane", "unit_reaches", "visible_instances_query",
]
