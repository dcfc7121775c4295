"""Who keeps the party member register of which unit (issue 10).

Administrators keep every unit's register, every body (cells and committees). A cell secretary
keeps the register of the cell they are secretary of — exactly that cell (the role held in it),
its "cell" body only; a secretary higher up or of another cell does not.
"""
from sqlalchemy import select

from ..extensions import db
from ..models import OrgUnit, RoleAssignment
from .scope import acting_assignment


def is_administrator(user_id):
    """The role `admin` held at a root of the tree (as services.deployments.require_admin)."""
    roots = select(OrgUnit.id).where(OrgUnit.parent_id.is_(None))
    return db.session.execute(select(RoleAssignment.id).where(
        RoleAssignment.user_id == user_id, RoleAssignment.role == "admin",
        RoleAssignment.unit_id.in_(roots)).limit(1)).first() is not None


def may_keep_register(user_id, unit_id, body="cell"):
    """May this user read and change the register of `body` in unit `unit_id`?"""
    if is_administrator(user_id):
        return True
    return body == "cell" and acting_assignment(user_id, "cell_secretary", unit_id) is not None


def register_units(user_id):
    """The unit ids whose register this user keeps (None: every unit, an administrator)."""
    if is_administrator(user_id):
        return None
    return tuple(db.session.execute(select(RoleAssignment.unit_id).where(
        RoleAssignment.user_id == user_id, RoleAssignment.role == "cell_secretary")
        .order_by(RoleAssignment.unit_id)).scalars())
