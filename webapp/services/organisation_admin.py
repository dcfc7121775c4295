"""Administrators keep the organisation tree and the users; every change is an audit event with before/after.

Moving a unit (the 2025 reorganisation: schools from abolished district committees to commune
committees) keeps its cases and their history; open steps of the moved cases are handed to the
units that now hold those roles, and new steps go to the new deciding body.
"""
import hashlib
import json
from dataclasses import astuple, dataclass

from flask import current_app
from sqlalchemy import delete, func, insert, select
from werkzeug.security import generate_password_hash

from ..authz import case_units, unit_for_lane
from ..authz.role_places import role_fits_unit
from ..extensions import db
from ..models import HumanTask, OrgUnit, ProcessInstance, RoleAssignment, UnitClosure, User
from ..models.org import UNIT_KINDS
from .audit import append_event
from .clock import resolve_now
from .deployments import require_admin
from .errors import Forbidden, InvalidSubmission, NotFound
from .organisation import create_unit, create_user, grant_role
from .passwords import password_problems, problems_for
from .sessions import end_user_sessions
from .unit_reroutes import reroutes, running_cells

EDITABLE = ("name", "kind", "deciding_unit_id", "delegated", "official_members", "committee_members", "rule_set")
RULE_SETS = ("2021", "2025")


def _unit(unit_id):
    unit = db.session.get(OrgUnit, unit_id)
    if unit is None:
        raise NotFound("no such unit")
    return unit


def _snapshot(unit):
    return {key: getattr(unit, key) for key in ("parent_id", *EDITABLE)}


def _subtree(unit_id):
    return select(UnitClosure.descendant_id).where(UnitClosure.ancestor_id == unit_id)


@dataclass(frozen=True)
class Impact:
    cases: int
    open_tasks: int
    reassigned: tuple  # (task label, case id, from unit, to unit) for open steps that change hands
    rerouted: tuple = ()  # unit_reroutes.Reroute: a stage still ahead of a running case done by another body
    token: str = ""  # what the administrator saw: saving needs it back when anything changes hands

    @property
    def changes_hands(self):
        return bool(self.reassigned or self.rerouted)


class ImpactNotConfirmed(InvalidSubmission):
    """A change that reroutes running cases, saved without (or after a stale) preview of exactly that."""

    code = "impact_not_confirmed"

    def __init__(self, impact, *, stale):
        super().__init__({"_form": ["impact_stale" if stale else "impact_not_confirmed"]})
        self.impact = impact
        self.stale = stale


def _token(before, changes, cases, open_tasks, moved, rerouted):
    """A digest of the unit as it was and of every row the preview shows: a different one at saving
    time means the unit or its cases changed since the administrator looked."""
    seen = {"unit": before, "changes": changes, "cases": cases, "open_tasks": open_tasks,
            "moved": [(t.id, a, b) for t, a, b in moved], "rerouted": [list(astuple(r)) for r in rerouted]}
    return hashlib.sha256(json.dumps(seen, sort_keys=True, default=str).encode()).hexdigest()[:32]


def _check_changes(changes):
    errors = {}
    if "kind" in changes and changes["kind"] not in UNIT_KINDS:
        errors["kind"] = ["invalid"]
    if "rule_set" in changes and changes["rule_set"] not in RULE_SETS:
        errors["rule_set"] = ["invalid"]
    for key in ("official_members", "committee_members"):
        if key in changes and (not isinstance(changes[key], int) or changes[key] < 0):
            errors[key] = ["invalid"]
    if "name" in changes and not (changes["name"] or "").strip():
        errors["name"] = ["required"]
    unknown = set(changes) - set(EDITABLE) - {"parent_id"}
    if unknown:
        errors["_form"] = [f"unknown fields: {', '.join(sorted(unknown))}"]
    if errors:
        raise InvalidSubmission(errors)


def _apply(unit, changes):
    for key, value in changes.items():
        if key != "parent_id":
            setattr(unit, key, value)
    if "parent_id" in changes and changes["parent_id"] != unit.parent_id:
        _move(unit, changes["parent_id"])


def _move(unit, new_parent_id):
    new_parent = _unit(new_parent_id)
    inside = set(db.session.execute(_subtree(unit.id)).scalars())
    if new_parent.id in inside:
        raise InvalidSubmission({"parent_id": ["cannot_move_under_itself"]})
    db.session.execute(delete(UnitClosure).where(UnitClosure.descendant_id.in_(inside),
                                                 UnitClosure.ancestor_id.not_in(inside)))
    above = db.session.execute(select(UnitClosure.ancestor_id, UnitClosure.depth)
                               .where(UnitClosure.descendant_id == new_parent.id)).all()
    below = db.session.execute(select(UnitClosure.descendant_id, UnitClosure.depth)
                               .where(UnitClosure.ancestor_id == unit.id)).all()
    rows = [{"ancestor_id": a, "descendant_id": d, "depth": da + dd + 1} for a, da in above for d, dd in below]
    if rows:
        db.session.execute(insert(UnitClosure), rows)
    unit.parent_id = new_parent.id


def _reassign_open_tasks(unit_id, now, actor, *, dry_run):
    """Open steps of the cases under `unit_id` whose responsible unit is no longer the right one."""
    changed = []
    tasks = db.session.execute(
        select(HumanTask, ProcessInstance.unit_id).join(ProcessInstance, ProcessInstance.id == HumanTask.instance_id)
        .where(HumanTask.status == "open", ProcessInstance.unit_id.in_(_subtree(unit_id)))).all()
    for task, cell_id in tasks:
        if task.assignee_id is not None:
            continue
        target = unit_for_lane(case_units(cell_id), task.role)
        if target != task.unit_id:
            changed.append((task, task.unit_id, target))
            if not dry_run:
                before, task.unit_id = task.unit_id, target
                append_event(kind="task_reassigned", occurred_at=now, instance_id=task.instance_id, actor=actor,
                             task_spec=task.spec_name,
                             payload={"human_task_id": task.id, "before": {"unit_id": before},
                                      "after": {"unit_id": target}, "reason": "organisation change"})
    return changed


def _refuse_kind_without_its_roles(unit, changes):
    """A new kind must have every role held at the unit (authz/role_places.py), or a kind change
    would leave grants no grant could make: revoke them first."""
    kind = changes.get("kind", unit.kind)
    if kind == unit.kind:
        return
    held = db.session.execute(select(RoleAssignment.role).where(RoleAssignment.unit_id == unit.id)).scalars()
    if any(not role_fits_unit(role, kind) for role in held):
        raise InvalidSubmission({"kind": ["role_not_at_unit_kind"]})


def _measure(user, unit, changes, now):
    """Apply `changes` (flushed, not committed) and say what they do to the running cases below."""
    _refuse_kind_without_its_roles(unit, changes)
    before, subtree = _snapshot(unit), _subtree(unit.id)
    cells_before = running_cells(unit.id, subtree)
    _apply(unit, changes)
    db.session.flush()
    cases = db.session.execute(select(func.count()).select_from(ProcessInstance).where(
        ProcessInstance.unit_id.in_(subtree), ProcessInstance.finished_at.is_(None))).scalar()
    moved = _reassign_open_tasks(unit.id, now, user, dry_run=True)
    names = dict(db.session.execute(select(OrgUnit.id, OrgUnit.name)).all())
    rerouted = reroutes(cells_before, running_cells(unit.id, subtree), names)
    open_tasks = db.session.execute(select(func.count()).select_from(HumanTask).join(ProcessInstance).where(
        HumanTask.status == "open", ProcessInstance.unit_id.in_(subtree))).scalar()
    return Impact(cases, open_tasks, tuple((t.label, t.instance_id, names.get(a), names.get(b)) for t, a, b in moved),
                  rerouted, _token(before, changes, cases, open_tasks, moved, rerouted))


def unit_change_impact(user, unit_id, changes):
    """What saving `changes` would do to running cases, computed in a transaction that is rolled back."""
    require_admin(user)
    _check_changes(changes)
    try:
        return _measure(user, _unit(unit_id), changes, resolve_now())
    finally:
        db.session.rollback()


def update_unit(user, unit_id, changes, *, now=None, confirmed_impact=None):
    """Edit or move a unit; open steps of its cases follow the new tree.

    `confirmed_impact` is the token of the preview the administrator confirmed (the page always
    passes what it was sent, "" for none): a change that hands open steps or stages ahead of
    running cases to other bodies is saved only when it is the token of that very impact now —
    else ImpactNotConfirmed carries the impact as it is now and nothing is saved. None (a caller
    that is no page: the demo, scripts) does not ask.
    """
    require_admin(user)
    now = resolve_now(now)
    _check_changes(changes)
    try:
        unit = _unit(unit_id)
        before = _snapshot(unit)
        impact = _measure(user, unit, changes, now)
        if confirmed_impact is not None and impact.changes_hands and confirmed_impact != impact.token:
            raise ImpactNotConfirmed(impact, stale=bool(confirmed_impact))
        reassigned = _reassign_open_tasks(unit_id, now, user, dry_run=False)
        append_event(kind="unit_changed", occurred_at=now, actor=user,
                     payload={"unit_id": unit.id, "before": before, "after": _snapshot(unit),
                              "reassigned_tasks": len(reassigned),
                              "rerouted": [{"case_id": r.case_id, "stage": r.stage} for r in impact.rerouted]})
        db.session.commit()
        return unit
    except Exception:
        db.session.rollback()
        raise


def _admin_count():
    return db.session.execute(select(func.count(func.distinct(RoleAssignment.user_id))).join(User).where(
        RoleAssignment.role == "admin", User.active)).scalar()


def _is_admin(user_id):
    return db.session.execute(select(func.count()).select_from(RoleAssignment).where(
        RoleAssignment.user_id == user_id, RoleAssignment.role == "admin")).scalar() > 0


def set_user_active(admin, user_id, active, *, now=None):
    require_admin(admin)
    now = resolve_now(now)
    try:
        user = db.session.get(User, user_id)
        if user is None:
            raise NotFound("no such user")
        if not active and _is_admin(user.id) and _admin_count() <= 1:
            raise Forbidden("the last administrator cannot be deactivated", code="last_administrator")
        before, user.active = user.active, bool(active)
        append_event(kind="user_changed", occurred_at=now, actor=admin,
                     payload={"user_id": user.id, "before": {"active": before}, "after": {"active": user.active}})
        if not user.active:
            end_user_sessions(user.id, "deactivated", actor=admin, now=now)
        db.session.commit()
        return user
    except Exception:
        db.session.rollback()
        raise


def reset_password(admin, user_id, new_password, *, now=None):
    require_admin(admin)
    now = resolve_now(now)
    try:
        user = db.session.get(User, user_id)
        if user is None:
            raise NotFound("no such user")
        if problems := problems_for(user, new_password):
            raise InvalidSubmission({"password": problems})
        user.password_hash = generate_password_hash(new_password, method=current_app.config["PASSWORD_HASH_METHOD"])
        user.password_changed_at = now
        append_event(kind="password_reset", occurred_at=now, actor=admin, payload={"user_id": user.id})
        end_user_sessions(user.id, "password_reset", actor=admin, now=now)
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise


def revoke_role(admin, assignment_id, *, now=None):
    require_admin(admin)
    now = resolve_now(now)
    try:
        assignment = db.session.get(RoleAssignment, assignment_id)
        if assignment is None:
            raise NotFound("no such role assignment")
        if assignment.role == "admin" and _admin_count() <= 1 and _is_admin(assignment.user_id):
            remaining = db.session.execute(select(func.count()).select_from(RoleAssignment).where(
                RoleAssignment.user_id == assignment.user_id, RoleAssignment.role == "admin")).scalar()
            if remaining <= 1:
                raise Forbidden("the last administrator cannot lose the role", code="last_administrator")
        append_event(kind="role_revoked", occurred_at=now, actor=admin,
                     payload={"user_id": assignment.user_id, "before": {"role": assignment.role,
                                                                        "unit_id": assignment.unit_id}})
        end_user_sessions(assignment.user_id, "roles_changed", actor=admin, now=now)
        db.session.delete(assignment)
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise


def add_unit(admin, *, parent_id, now=None, **fields):
    require_admin(admin)
    _check_changes({k: v for k, v in fields.items() if k in EDITABLE})
    try:
        unit = create_unit(parent=_unit(parent_id) if parent_id else None, actor=admin, now=resolve_now(now),
                           **fields)
        db.session.commit()
        return unit
    except Exception:
        db.session.rollback()
        raise


def add_user(admin, *, username, full_name, password, now=None):
    require_admin(admin)
    errors = {}
    if not (username or "").strip():
        errors["username"] = ["required"]
    elif db.session.execute(select(User.id).where(func.lower(User.username) == username.strip().lower())).first():
        errors["username"] = ["taken"]
    if not (full_name or "").strip():
        errors["full_name"] = ["required"]
    if problems := password_problems(password, username=username or "", full_name=full_name or ""):
        errors["password"] = problems
    if errors:
        raise InvalidSubmission(errors)
    try:
        user = create_user(username=username.strip(), full_name=full_name.strip(), password=password, actor=admin,
                           now=resolve_now(now))
        db.session.commit()
        return user
    except Exception:
        db.session.rollback()
        raise


def give_role(admin, user_id, role, unit_id, *, now=None):
    require_admin(admin)
    try:
        user = db.session.get(User, user_id)
        if user is None:
            raise NotFound("no such user")
        now = resolve_now(now)
        assignment = grant_role(user, role, _unit(unit_id), actor=admin, now=now)
        end_user_sessions(user.id, "roles_changed", actor=admin, now=now)
        db.session.commit()
        return assignment
    except Exception:
        db.session.rollback()
        raise
