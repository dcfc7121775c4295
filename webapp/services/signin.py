"""Sign-in throttling that a stranger cannot turn into a lock-out, with the same answer for everyone.

Refused attempts are rows (`sign_in_attempt`), counted over a sliding window, so every process
sees the same counts. Three budgets:

- per address, for everyone: past SIGNIN_ADDRESS_LIMIT refusals from one address, it is refused;
- per account, for attempts *without* this user's known-device cookie: past SIGNIN_ACCOUNT_LIMIT,
  strangers (and the user on a new device) are refused for that user name;
- per account, for attempts *with* it: a separate SIGNIN_DEVICE_LIMIT, which a stranger cannot
  spend — so guessing at a committee's user name before a meeting does not stop its members
  signing in from the devices they used before.

Every answer costs one password-hash check (a real one, or one against a dummy hash when the user
does not exist, is inactive or is throttled), and a user name that does not exist gets exactly the
answers a real one gets, the throttled one included: nothing tells which names exist.
"""
from dataclasses import dataclass
from datetime import timedelta

from flask import current_app
from sqlalchemy import delete, func, select

from ..extensions import db
from ..models import SignInAttempt
from .audit import append_event

#: Attempt rows older than this are deleted as new ones come (the window is minutes).
KEEP_ATTEMPTS = timedelta(days=1)


def normalise(username):
    """The user name as attempts are counted: what sign-in matches (trimmed, lower case), at most 80 characters.

    A NUL cannot be stored in PostgreSQL text (it would be a 500): it becomes U+FFFD, which no name holds.
    """
    return (username or "").replace("\x00", "\ufffd").strip().lower()[:80]


@dataclass(frozen=True)
class Budget:
    """Whether an attempt may be checked; when not, the earliest time a new attempt could be."""

    throttled: bool
    retry_at: object = None


def _limits():
    config = current_app.config
    return (timedelta(minutes=config["SIGNIN_WINDOW_MINUTES"]), config["SIGNIN_ACCOUNT_LIMIT"],
            config["SIGNIN_DEVICE_LIMIT"], config["SIGNIN_ADDRESS_LIMIT"])


def _retry_at(condition, limit, window, now):
    """When the window will hold fewer than `limit` of these attempts again; None while it already does."""
    times = db.session.execute(select(SignInAttempt.attempted_at).where(
        *condition, SignInAttempt.attempted_at > now - window)
        .order_by(SignInAttempt.attempted_at.desc()).limit(limit)).scalars().all()
    if len(times) < limit:
        return None
    return times[-1] + window  # the oldest of the last `limit` leaves the window then


def budget(username, address, known_device, now):
    """Whether this attempt may be checked: the address's budget, then the account's for this kind of attempt."""
    window, account_limit, device_limit, address_limit = _limits()
    name = normalise(username)
    waits = [
        _retry_at([SignInAttempt.address == address], address_limit, window, now),
        _retry_at([SignInAttempt.username == name, SignInAttempt.known_device == known_device],
                  device_limit if known_device else account_limit, window, now),
    ]
    waits = [wait for wait in waits if wait is not None]
    return Budget(True, max(waits)) if waits else Budget(False)


def record_refusal(username, address, known_device, now, *, user=None):
    """Count one refused attempt (in the caller's transaction); audit the one that starts a throttle."""
    db.session.execute(delete(SignInAttempt).where(SignInAttempt.attempted_at < now - KEEP_ATTEMPTS)
                       .execution_options(synchronize_session=False))
    db.session.add(SignInAttempt(username=normalise(username), address=address, attempted_at=now,
                                 known_device=known_device))
    db.session.flush()
    after = budget(username, address, known_device, now)
    if after.throttled and _just_reached(username, address, known_device, now):
        append_event(kind="login_throttled", occurred_at=now, actor=user,
                     payload={"user_id": user.id if user else None, "address": address,
                              "known_device": known_device, "until": after.retry_at.isoformat()})
    return after


def _just_reached(username, address, known_device, now):
    """True on the attempt that filled a budget exactly (so one event per throttle, not one per attempt)."""
    window, account_limit, device_limit, address_limit = _limits()
    since = now - window
    by_address = db.session.execute(select(func.count()).select_from(SignInAttempt).where(
        SignInAttempt.address == address, SignInAttempt.attempted_at > since)).scalar()
    by_account = db.session.execute(select(func.count()).select_from(SignInAttempt).where(
        SignInAttempt.username == normalise(username), SignInAttempt.known_device == known_device,
        SignInAttempt.attempted_at > since)).scalar()
    return by_address == address_limit or by_account == (device_limit if known_device else account_limit)
