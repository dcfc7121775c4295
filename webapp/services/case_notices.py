"""Notices of what the upper level did to a case (issue 12), written in the step's own transaction:
the cell hears of an extension, a decision, a rejection or a removal, and the applicant with an
account hears of their own case. Which acts and who: rules/notice_map.py."""
from sqlalchemy import select

from ..extensions import db
from ..models import OrgUnit, RoleAssignment, User
from ..rules.notice_map import notices_of_completion
from .notices import write_notices


def notify_completion(instance, student, step, label, data, now):
    """Write the notices the completed `step` (with its recorded `data`) calls for; return how many."""
    rules = notices_of_completion(step, data)
    if not rules:
        return 0
    cell = list(db.session.execute(
        select(RoleAssignment.user_id).join(User, User.id == RoleAssignment.user_id)
        .where(RoleAssignment.role == "cell_secretary", RoleAssignment.unit_id == instance.unit_id, User.active))
        .scalars())
    unit = db.session.get(OrgUnit, instance.unit_id).name
    written = 0
    for rule in rules:
        audience = set()
        if "cell" in rule.audiences:
            audience |= set(cell)
        if "applicant" in rule.audiences and student.user_id:
            audience.add(student.user_id)
        params = {"case": instance.id, "step": label, "spec": step, "unit": unit, "student": student.full_name,
                  "number": data.get(rule.number_field) if rule.number_field else None,
                  "date": data.get(rule.date_field) if rule.date_field else None}
        written += write_notices(audience, kind=rule.kind, params=params, instance_id=instance.id, now=now)
    return written
