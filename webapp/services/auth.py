"""Sign-in with throttling, password changes, and the roles a user can act in."""
from dataclasses import dataclass
from datetime import timedelta

from flask import current_app
from sqlalchemy import func, select
from werkzeug.security import check_password_hash, generate_password_hash

from ..extensions import db
from ..models import OrgUnit, RoleAssignment, User
from .audit import append_event
from .clock import resolve_now
from .errors import InvalidSubmission, ServiceError

MAX_FAILURES = 5
LOCK_MINUTES = 15
MIN_PASSWORD_LENGTH = 10


class LoginRefused(ServiceError):
    """Wrong user name or password, or too many failures; `locked_until` is set when throttled."""

    def __init__(self, message, locked_until=None):
        self.locked_until = locked_until
        super().__init__(message)


@dataclass(frozen=True)
class ActingAs:
    """A role a user holds in a unit: what they pick to act in, shown on every page."""

    assignment_id: int
    role: str
    unit_id: int
    unit_name: str


def authenticate(username, password, *, now=None):
    """The active user with these credentials; refuses for a while after repeated failures."""
    now = resolve_now(now)
    user = db.session.execute(
        select(User).where(func.lower(User.username) == (username or "").strip().lower())
    ).scalar_one_or_none()
    if user is None or not user.active:
        # Same answer as a wrong password: do not reveal which user names exist.
        check_password_hash(_dummy_hash(), password or "")
        raise LoginRefused("wrong_credentials")
    if user.locked_until is not None and user.locked_until > now:
        raise LoginRefused("throttled", user.locked_until)
    if not check_password_hash(user.password_hash, password or ""):
        user.failed_logins += 1
        locked_until = None
        if user.failed_logins >= MAX_FAILURES:
            locked_until = user.locked_until = now + timedelta(minutes=LOCK_MINUTES)
            user.failed_logins = 0
            append_event(kind="login_throttled", occurred_at=now, actor=user,
                         payload={"user_id": user.id, "locked_until": locked_until.isoformat()})
        db.session.commit()
        raise LoginRefused("throttled" if locked_until else "wrong_credentials", locked_until)
    user.failed_logins, user.locked_until = 0, None
    db.session.commit()
    return user


def change_password(user, current_password, new_password, *, now=None):
    now = resolve_now(now)
    errors = {}
    if not check_password_hash(user.password_hash, current_password or ""):
        errors["current_password"] = ["wrong_password"]
    if len(new_password or "") < MIN_PASSWORD_LENGTH:
        errors["new_password"] = ["too_short"]
    elif new_password == current_password:
        errors["new_password"] = ["unchanged"]
    if errors:
        raise InvalidSubmission(errors)
    user.password_hash = generate_password_hash(new_password, method=current_app.config["PASSWORD_HASH_METHOD"])
    user.password_changed_at = now
    append_event(kind="password_changed", occurred_at=now, actor=user, payload={"user_id": user.id})
    db.session.commit()


def acting_roles(user_id):
    """Every role the user holds, with its unit, in a stable order."""
    rows = db.session.execute(
        select(RoleAssignment.id, RoleAssignment.role, RoleAssignment.unit_id, OrgUnit.name)
        .join(OrgUnit, OrgUnit.id == RoleAssignment.unit_id)
        .where(RoleAssignment.user_id == user_id).order_by(OrgUnit.name, RoleAssignment.role)
    ).all()
    return [ActingAs(*row) for row in rows]


def acting_role(user_id, assignment_id):
    """The user's own assignment `assignment_id`, or None (never someone else's)."""
    return next((a for a in acting_roles(user_id) if a.assignment_id == assignment_id), None)


_dummy = {}


def _dummy_hash():
    """A hash made like real ones, so an unknown user name costs as much time as a wrong password."""
    method = current_app.config["PASSWORD_HASH_METHOD"]
    if method not in _dummy:
        _dummy[method] = generate_password_hash("timing-equaliser", method=method)
    return _dummy[method]
