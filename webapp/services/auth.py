"""Sign-in (throttled by services/signin.py), sign-out, password changes, and the roles a user can act in."""
import hashlib
import hmac
from dataclasses import dataclass

from flask import current_app
from sqlalchemy import delete, func, select
from werkzeug.security import check_password_hash, generate_password_hash

from ..extensions import db
from ..models import OrgUnit, RoleAssignment, SignInAttempt, User
from .audit import append_event
from .clock import resolve_now
from .errors import InvalidSubmission, ServiceError
from .passwords import problems_for
from .sessions import end_user_sessions, start_session
from .signin import budget, normalise, record_refusal


class LoginRefused(ServiceError):
    """Wrong user name or password, or too many refusals; `locked_until` is set when throttled."""

    def __init__(self, message, locked_until=None):
        self.locked_until = locked_until
        super().__init__(message)


@dataclass(frozen=True)
class SignedIn:
    """Who signed in, the session token for the signed cookie, and this device's mark for the device cookie."""

    user: User
    session_token: str
    device_mark: str


@dataclass(frozen=True)
class ActingAs:
    """A role a user holds in a unit: what they pick to act in, shown on every page."""

    assignment_id: int
    role: str
    unit_id: int
    unit_name: str


def device_mark(user):
    """What a known-device cookie holds for `user`: keyed, and void once the password changes."""
    message = f"known-device:{user.id}:{user.password_hash}".encode()
    return hmac.new(current_app.config["SECRET_KEY"].encode(), message, hashlib.sha256).hexdigest()[:32]


def sign_in(username, password, *, address, device_marks=(), now=None):
    """Check the credentials within the throttling budgets; a new server-side session when they are right.

    Every path costs one password-hash check and a user name that does not exist is answered as a
    real one: the same messages, the same throttling.
    """
    now = resolve_now(now)
    user = db.session.execute(
        select(User).where(func.lower(User.username) == normalise(username))).scalar_one_or_none()
    if user is not None and not user.active:
        user = None
    known_device = user is not None and device_mark(user) in set(device_marks or ())
    allowed = not budget(username, address, known_device, now).throttled
    checked = check_password_hash(user.password_hash if user is not None and allowed else _dummy_hash(),
                                  password or "")
    if user is not None and allowed and checked:
        # The user's own mistakes from this address are forgiven; strangers' elsewhere are not.
        db.session.execute(delete(SignInAttempt).where(SignInAttempt.username == normalise(username),
                                                       SignInAttempt.address == address)
                           .execution_options(synchronize_session=False))
        token = start_session(user, now=now)
        db.session.commit()
        return SignedIn(user, token, device_mark(user))
    after = record_refusal(username, address, known_device, now, user=user)
    db.session.commit()
    raise LoginRefused("throttled" if after.throttled else "wrong_credentials", after.retry_at)


def change_password(user, current_password, new_password, *, session_token=None, now=None):
    """A new password; every other session of the user ends (this one, `session_token`, stays)."""
    now = resolve_now(now)
    errors = {}
    if not check_password_hash(user.password_hash, current_password or ""):
        errors["current_password"] = ["wrong_password"]
    if new_password == current_password:
        errors["new_password"] = ["unchanged"]
    elif problems := problems_for(user, new_password):
        errors["new_password"] = problems
    if errors:
        raise InvalidSubmission(errors)
    user.password_hash = generate_password_hash(new_password, method=current_app.config["PASSWORD_HASH_METHOD"])
    user.password_changed_at = now
    append_event(kind="password_changed", occurred_at=now, actor=user, payload={"user_id": user.id})
    end_user_sessions(user.id, "password_changed", actor=user, keep_token=session_token, now=now)
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
