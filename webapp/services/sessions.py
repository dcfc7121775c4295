"""Sign-in sessions kept on the server, so that signing out, a new password or a withdrawn role end them.

The signed cookie carries a random token; a request is signed in only while the token's row is
open, younger than the absolute lifetime and used within the idle lifetime. "Last seen" is written
at most once a minute, so reading pages does not write on every request.
"""
import hashlib
import secrets
from datetime import timedelta

from flask import current_app
from sqlalchemy import delete, select, update

from ..extensions import db
from ..models import SignInSession, User
from .audit import append_event
from .clock import resolve_now

#: "Last seen" is at most this stale; the idle lifetime is therefore exact to within a minute.
TOUCH_EVERY = timedelta(minutes=1)
#: Rows of sessions that began longer ago are deleted when someone signs in (the audit trail stays).
KEEP_ROWS = timedelta(days=30)


def _hash(token):
    return hashlib.sha256(token.encode()).hexdigest()


def _lifetimes():
    config = current_app.config
    return timedelta(minutes=config["SESSION_IDLE_MINUTES"]), timedelta(hours=config["SESSION_MAX_HOURS"])


def start_session(user, *, now=None):
    """A new session for `user` (in the caller's transaction); the token goes into the signed cookie."""
    now = resolve_now(now)
    token = secrets.token_urlsafe(32)
    db.session.execute(delete(SignInSession).where(SignInSession.created_at < now - KEEP_ROWS)
                       .execution_options(synchronize_session=False))
    db.session.add(SignInSession(token_hash=_hash(token), user_id=user.id, created_at=now, last_seen_at=now))
    return token


def session_user(token, user_id, *, now=None):
    """The active user whose open session `token` is, or None; ends the session when it has run out."""
    if not isinstance(token, str) or not token or not str(user_id).isdigit():
        return None
    now = resolve_now(now)
    row = db.session.execute(select(SignInSession).where(SignInSession.token_hash == _hash(token))).scalar_one_or_none()
    if row is None or row.ended_at is not None or row.user_id != int(user_id):
        return None
    idle, absolute = _lifetimes()
    reason = "expired" if now - row.created_at >= absolute else "idle" if now - row.last_seen_at >= idle else None
    if reason is not None:
        row.ended_at, row.end_reason = now, reason
        db.session.commit()
        return None
    user = db.session.get(User, row.user_id)
    if user is None or not user.active:
        return None
    if now - row.last_seen_at >= TOUCH_EVERY:
        row.last_seen_at = now
        db.session.commit()
    return user


def end_session(token, *, reason="logout", now=None):
    """Sign-out: the session of `token` no longer opens anything, whoever holds a copy of the cookie."""
    if not isinstance(token, str) or not token:
        return
    now = resolve_now(now)
    row = db.session.execute(select(SignInSession).where(SignInSession.token_hash == _hash(token),
                                                         SignInSession.ended_at.is_(None))).scalar_one_or_none()
    if row is not None:
        # Not an audit event: signing in is not one either. Sessions ended by a change are (below).
        row.ended_at, row.end_reason = now, reason
        db.session.commit()


def end_user_sessions(user_id, reason, *, actor=None, keep_token=None, now=None):
    """End every open session of `user_id` (but `keep_token`'s) in the caller's transaction; how many ended.

    Called by the use cases that change what a user may do (a new password, a reset, a role granted
    or withdrawn, deactivation): sessions opened before the change must not outlive it.
    """
    now = resolve_now(now)
    condition = [SignInSession.user_id == user_id, SignInSession.ended_at.is_(None)]
    if keep_token:
        condition.append(SignInSession.token_hash != _hash(keep_token))
    ended = db.session.execute(update(SignInSession).where(*condition).values(ended_at=now, end_reason=reason)
                               .execution_options(synchronize_session=False)).rowcount
    if ended:
        append_event(kind="session_ended", occurred_at=now, actor=actor,
                     payload={"user_id": user_id, "reason": reason, "sessions": ended})
    return ended
