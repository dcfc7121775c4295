"""Query scopes and predicates: every list is filtered in SQL, and checked again in the service."""
from sqlalchemy import exists, or_, select

from ..extensions import db
from ..models import ProcessInstance, RoleAssignment, Student, UnitClosure


def _any_role_over(user_id, unit_column):
    return exists(
        select(RoleAssignment.id)
        .join(UnitClosure, UnitClosure.ancestor_id == RoleAssignment.unit_id)
        .where(RoleAssignment.user_id == user_id, UnitClosure.descendant_id == unit_column))


def visible_instances_query(user_id):
    """Cases in the user's scope: any role held at or above the case's unit, or the student's own."""
    own = select(Student.id).where(Student.user_id == user_id)
    return select(ProcessInstance).where(
        or_(_any_role_over(user_id, ProcessInstance.unit_id), ProcessInstance.student_id.in_(own)))


def can_see_instance(user_id, instance_id):
    query = visible_instances_query(user_id).where(ProcessInstance.id == instance_id)
    return db.session.execute(select(query.exists())).scalar()


def unit_reaches(ancestor_id, unit_id):
    """Is `unit_id` the unit `ancestor_id` or below it?"""
    return db.session.execute(select(exists(select(UnitClosure.depth).where(
        UnitClosure.ancestor_id == ancestor_id, UnitClosure.descendant_id == unit_id)))).scalar()


def acting_assignment(user_id, role, unit_id):
    """The user's assignment of `role` held in exactly `unit_id`, or None.

    A step is done by the holders of its lane's role in the unit it belongs to (`unit_for_lane`),
    never by the same role higher up: a province's standing committee reaches a commune's cases
    (it reads them) but does not decide in the commune committee's place.
    """
    return db.session.execute(
        select(RoleAssignment)
        .where(RoleAssignment.user_id == user_id, RoleAssignment.role == role, RoleAssignment.unit_id == unit_id)
        .order_by(RoleAssignment.id).limit(1)
    ).scalar_one_or_none()
