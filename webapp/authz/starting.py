"""Who may start a case of which process, and where (issue 17).

A role starts a process in the unit where it holds that role: the administrator's rule for the
process names the roles, and optionally a unit (that unit and everything below it) and unit kinds.
"""
from dataclasses import dataclass

from sqlalchemy import select

from ..extensions import db
from ..models import OrgUnit, StartableProcess
from .scope import acting_assignment, unit_reaches


@dataclass(frozen=True)
class DefaultRule:
    """The rule of a process nobody has configured yet (the same attributes as StartableProcess)."""

    process_id: str
    enabled: bool
    role_list: tuple
    kind_list: tuple = ()
    unit_id: int | None = None


#: Until an administrator says otherwise, the admission procedure starts as it always did: by cell
#: secretaries (and the Youth Union nominating), in every unit. Migration 0012 writes the same row.
DEFAULT_RULES = {"admission": DefaultRule("admission", True, ("cell_secretary", "youth_union"))}


def startable_rule(process_id):
    """The stored rule of `process_id`, else its default, else None (nobody may start it)."""
    return db.session.get(StartableProcess, process_id) or DEFAULT_RULES.get(process_id)


def rule_admits(rule, role, unit):
    """Does the process rule `rule` let holders of `role` in `unit` start it?"""
    if rule is None or not rule.enabled or role not in rule.role_list:
        return False
    if rule.kind_list and unit.kind not in rule.kind_list:
        return False
    return rule.unit_id is None or unit_reaches(rule.unit_id, unit.id)


def may_start_process(user_id, process_id, role, unit_id):
    """May this user, acting as `role` in `unit_id`, start a case of `process_id`?

    They must hold that role in exactly that unit, and the process's rule must admit the role there.
    """
    unit = db.session.get(OrgUnit, unit_id)
    if unit is None or acting_assignment(user_id, role, unit_id) is None:
        return False
    return rule_admits(startable_rule(process_id), role, unit)


def startable_processes_for(user_id, role, unit_id):
    """The process ids this user, acting as `role` in `unit_id`, may start (in process id order)."""
    unit = db.session.get(OrgUnit, unit_id)
    if unit is None or acting_assignment(user_id, role, unit_id) is None:
        return []
    rules = {rule.process_id: rule for rule in db.session.execute(select(StartableProcess)).scalars()}
    rules = DEFAULT_RULES | rules
    return [pid for pid, rule in sorted(rules.items()) if rule_admits(rule, role, unit)]
