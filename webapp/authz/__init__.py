"""Who may see and do what: named predicates and SQL query scopes."""
from .lanes import CaseUnits, case_units, unit_for_lane
from .scope import acting_assignment, can_see_instance, unit_reaches, visible_instances_query

__all__ = [
    "CaseUnits", "acting_assignment", "can_see_instance", "case_units", "unit_for_lane", "unit_reaches",
    "visible_instances_query",
]
