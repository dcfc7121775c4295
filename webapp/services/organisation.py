"""Organisation units, users and role grants (kept with their closure rows and audit events)."""
from flask import current_app
from sqlalchemy import insert, select
from werkzeug.security import generate_password_hash

from ..authz.role_places import role_fits_unit
from ..extensions import db
from ..models import OrgUnit, RoleAssignment, UnitClosure, User
from ..models.org import UNIT_KINDS
from ..models.people import ROLES
from .audit import append_event
from .clock import resolve_now
from .errors import InvalidSubmission


def create_unit(*, kind, name, code, parent=None, actor=None, now=None, **attributes):
    """Add a unit under `parent` with its closure rows, in the caller's transaction."""
    if kind not in UNIT_KINDS:
        raise InvalidSubmission({"kind": [f"unknown unit kind '{kind}'"]})
    unit = OrgUnit(kind=kind, name=name, code=code, parent_id=parent.id if parent else None, **attributes)
    db.session.add(unit)
    db.session.flush()
    rows = [{"ancestor_id": unit.id, "descendant_id": unit.id, "depth": 0}]
    if parent is not None:
        ancestors = db.session.execute(
            select(UnitClosure.ancestor_id, UnitClosure.depth).where(UnitClosure.descendant_id == parent.id)).all()
        rows += [{"ancestor_id": a, "descendant_id": unit.id, "depth": d + 1} for a, d in ancestors]
    db.session.execute(insert(UnitClosure), rows)
    append_event(kind="unit_created", occurred_at=resolve_now(now), actor=actor,
                 payload={"unit_id": unit.id, "after": {"kind": kind, "name": name, "code": code,
                                                        "parent_id": unit.parent_id, **attributes}})
    return unit


def create_user(*, username, full_name, password, actor=None, now=None):
    user = User(username=username, full_name=full_name, password_hash=generate_password_hash(
        password, method=current_app.config["PASSWORD_HASH_METHOD"]))
    db.session.add(user)
    db.session.flush()
    append_event(kind="user_created", occurred_at=resolve_now(now), actor=actor,
                 payload={"user_id": user.id, "after": {"username": username, "full_name": full_name}})
    return user


def grant_role(user, role, unit, *, actor=None, now=None):
    if role not in ROLES:
        raise InvalidSubmission({"role": [f"unknown role '{role}'"]})
    if not role_fits_unit(role, unit.kind):  # e.g. a standing committee at a cell: no such body there
        raise InvalidSubmission({"role": ["role_not_at_unit_kind"]})
    assignment = RoleAssignment(user_id=user.id, role=role, unit_id=unit.id)
    db.session.add(assignment)
    db.session.flush()
    append_event(kind="role_granted", occurred_at=resolve_now(now), actor=actor,
                 payload={"user_id": user.id, "role": role, "unit_id": unit.id})
    return assignment


def depth_first(units):
    """[(unit, depth)] in tree order (each unit under its parent, siblings in the given order).

    A unit whose parent is not among `units` is a root: a reader's scope starts at their own unit.
    """
    ids = {unit.id for unit in units}
    children = {}
    for unit in units:
        children.setdefault(unit.parent_id if unit.parent_id in ids else None, []).append(unit)
    ordered, stack = [], [(unit, 0) for unit in reversed(children.get(None, []))]
    while stack:
        unit, depth = stack.pop()
        ordered.append((unit, depth))
        stack.extend((child, depth + 1) for child in reversed(children.get(unit.id, [])))
    return ordered
