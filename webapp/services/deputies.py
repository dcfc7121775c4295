"""Deputies during leave (issue 12): naming one, the periods starting and ending, cancelling, and
the history's "on behalf of".

While a deputyship is active the deputy holds its role in its unit as a role assignment of their
own (`deputyship_id` set), so the inbox, the step checks and the scope treat them exactly as a
holder; when its last day has passed, the worker deletes that assignment and the deputy loses every
right it gave. Periods are whole Vietnam days; `flask worker` starts and ends them on its rounds
(every `KETNAP_TIMER_POLL_SECONDS`). Each start, end and cancellation is an audit event.
"""
from dataclasses import dataclass
from datetime import date

from sqlalchemy import and_, delete, or_, select

from ..authz.deputies import DEPUTISABLE_ROLES, may_cancel_deputyship, may_name_deputy, of_the_same_body
from ..extensions import db
from ..models import Deputyship, InstanceEvent, OrgUnit, RoleAssignment, User
from .audit import append_event
from .clock import VIETNAM, resolve_now
from .errors import Forbidden, InvalidSubmission, NotFound

#: The longest period one deputyship may cover (a leave of six months).
MAX_DAYS = 183
REASON_LENGTH = 300


@dataclass(frozen=True)
class DeputyRow:
    id: int
    holder_name: str
    deputy_name: str
    role: str
    unit_name: str
    starts_on: date
    ends_on: date
    reason: str
    state: str
    mine: bool  # named by me as holder (I may cancel it)


def _today(now):
    return now.astimezone(VIETNAM).date()


def deputisable_roles(user):
    """[(assignment id, role, unit name)] of the roles the user may hand to a deputy."""
    rows = db.session.execute(
        select(RoleAssignment.id, RoleAssignment.role, OrgUnit.name).join(OrgUnit, OrgUnit.id == RoleAssignment.unit_id)
        .where(RoleAssignment.user_id == user.id, RoleAssignment.deputyship_id.is_(None),
               RoleAssignment.role.in_(DEPUTISABLE_ROLES))
        .order_by(OrgUnit.name, RoleAssignment.role)).all()
    return [tuple(row) for row in rows]


def candidates(holder, assignment_id):
    """(user id, name) of the colleagues who may be named for that role: of the same body, not
    holding the role already, active."""
    assignment = db.session.get(RoleAssignment, assignment_id)
    if not may_name_deputy(holder.id, assignment):
        return []
    holders = select(RoleAssignment.user_id).where(RoleAssignment.role == assignment.role,
                                                   RoleAssignment.unit_id == assignment.unit_id)
    rows = db.session.execute(
        select(User.id, User.full_name).join(RoleAssignment, RoleAssignment.user_id == User.id)
        .where(RoleAssignment.unit_id == assignment.unit_id, RoleAssignment.deputyship_id.is_(None), User.active,
               User.id != holder.id, User.id.not_in(holders))
        .distinct().order_by(User.full_name, User.id)).all()
    return [(row.id, row.full_name) for row in rows]


def name_deputy(holder, *, assignment_id, deputy_id, starts_on, ends_on, reason, now=None):
    """Name `deputy_id` to act in the holder's role for [starts_on, ends_on]; starts now if today."""
    now = resolve_now(now)
    today = _today(now)
    assignment = db.session.get(RoleAssignment, assignment_id)
    if not may_name_deputy(holder.id, assignment):
        raise Forbidden("only the holder of that role names its deputy", code="deputy_not_your_role")
    deputy = db.session.get(User, deputy_id) if deputy_id else None
    reason = (reason or "").strip()
    errors = {key: [code] for key, code in (("deputy", _deputy_refusal(holder, deputy, assignment)),
                                            ("starts_on", _start_refusal(starts_on, today)),
                                            ("ends_on", _end_refusal(starts_on, ends_on)),
                                            ("reason", _reason_refusal(reason))) if code}
    if not errors and _overlapping(deputy.id, assignment, starts_on, ends_on):
        errors["starts_on"] = ["overlaps"]
    if errors:
        raise InvalidSubmission(errors)
    deputyship = Deputyship(holder_id=holder.id, deputy_id=deputy.id, role=assignment.role,
                            unit_id=assignment.unit_id, starts_on=starts_on, ends_on=ends_on, reason=reason,
                            state="planned", named_by_id=holder.id, named_at=now)
    db.session.add(deputyship)
    db.session.flush()
    append_event(kind="deputy_named", occurred_at=now, actor=holder, actor_role=assignment.role,
                 actor_unit_id=assignment.unit_id,
                 payload={"deputyship": deputyship.id, "deputy": deputy.id, "role": assignment.role,
                          "unit_id": assignment.unit_id, "from": starts_on.isoformat(), "to": ends_on.isoformat(),
                          "reason": reason})
    if starts_on <= today:
        _start(deputyship, now)
    db.session.commit()
    return deputyship


def _deputy_refusal(holder, deputy, assignment):
    """Why this person may not be the deputy (None when they may): an active account of the same body,
    not the holder, not holding the role already."""
    if deputy is None or not deputy.active:
        return "deputy_unknown"
    if deputy.id == holder.id:
        return "deputy_is_holder"
    if not of_the_same_body(deputy.id, assignment.unit_id):
        return "deputy_not_same_body"
    if db.session.execute(select(RoleAssignment.id).where(
            RoleAssignment.user_id == deputy.id, RoleAssignment.role == assignment.role,
            RoleAssignment.unit_id == assignment.unit_id)).first():
        return "deputy_holds_role"
    return None


def _start_refusal(starts_on, today):
    if starts_on is None:
        return "date_needed"
    return "starts_in_past" if starts_on < today else None


def _end_refusal(starts_on, ends_on):
    if ends_on is None:
        return "date_needed"
    if starts_on is not None and ends_on < starts_on:
        return "ends_before_start"
    if starts_on is not None and (ends_on - starts_on).days + 1 > MAX_DAYS:
        return "too_long"
    return None


def _reason_refusal(reason):
    if not reason:
        return "reason_needed"
    return "reason_too_long" if len(reason) > REASON_LENGTH else None


def _overlapping(deputy_id, assignment, starts_on, ends_on):
    """Another live deputyship of that role and unit over those days (for this deputy, or from this
    holder): one deputy at a time, and never two grants of one role to one person."""
    return db.session.execute(select(Deputyship.id).where(
        Deputyship.role == assignment.role, Deputyship.unit_id == assignment.unit_id,
        Deputyship.state.in_(("planned", "active")),
        or_(Deputyship.deputy_id == deputy_id, Deputyship.holder_id == assignment.user_id),
        Deputyship.starts_on <= ends_on, Deputyship.ends_on >= starts_on)).first() is not None


def _holder_still_holds(deputyship):
    return db.session.execute(select(RoleAssignment.id).where(
        RoleAssignment.user_id == deputyship.holder_id, RoleAssignment.role == deputyship.role,
        RoleAssignment.unit_id == deputyship.unit_id, RoleAssignment.deputyship_id.is_(None))).first() is not None


def _start(deputyship, now):
    db.session.add(RoleAssignment(user_id=deputyship.deputy_id, role=deputyship.role, unit_id=deputyship.unit_id,
                                  deputyship_id=deputyship.id))
    deputyship.state, deputyship.started_at = "active", now
    append_event(kind="deputy_started", occurred_at=now,
                 payload={"deputyship": deputyship.id, "deputy": deputyship.deputy_id,
                          "holder": deputyship.holder_id, "role": deputyship.role, "unit_id": deputyship.unit_id})


def _end(deputyship, now, state, actor=None):
    db.session.execute(delete(RoleAssignment).where(RoleAssignment.deputyship_id == deputyship.id)
                       .execution_options(synchronize_session=False))
    was = deputyship.state
    deputyship.state, deputyship.ended_at = state, now
    append_event(kind="deputy_cancelled" if state == "cancelled" else "deputy_ended", occurred_at=now, actor=actor,
                 payload={"deputyship": deputyship.id, "deputy": deputyship.deputy_id,
                          "holder": deputyship.holder_id, "role": deputyship.role, "unit_id": deputyship.unit_id,
                          "was": was})


def cancel_deputyship(user, deputyship_id, *, is_admin=False, now=None):
    now = resolve_now(now)
    deputyship = db.session.get(Deputyship, deputyship_id)
    if deputyship is None or not (is_admin or user.id in (deputyship.holder_id, deputyship.deputy_id)):
        raise NotFound(f"deputyship {deputyship_id}")
    if not may_cancel_deputyship(user.id, deputyship, is_admin=is_admin):
        raise Forbidden("this deputyship cannot be cancelled", code="deputy_not_cancellable")
    _end(deputyship, now, "cancelled", actor=user)
    db.session.commit()


def run_deputy_periods(now=None):
    """Start the deputyships whose first day has come, end those whose last day has passed or whose
    holder no longer holds the role; each its own unit of work. Returns (started, ended)."""
    now = resolve_now(now)
    today = _today(now)
    due = db.session.execute(select(Deputyship.id).where(or_(
        and_(Deputyship.state == "planned", Deputyship.starts_on <= today),
        Deputyship.state == "active")).order_by(Deputyship.id)).scalars().all()
    db.session.rollback()
    started = ended = 0
    for deputyship_id in due:
        deputyship = db.session.execute(select(Deputyship).where(Deputyship.id == deputyship_id)
                                        .with_for_update()).scalar_one_or_none()
        if deputyship is None or deputyship.state not in ("planned", "active"):
            db.session.rollback()
            continue
        if deputyship.ends_on < today or not _holder_still_holds(deputyship):
            _end(deputyship, now, "ended")
            ended += 1
        elif deputyship.state == "planned":
            _start(deputyship, now)
            started += 1
        else:
            db.session.rollback()
            continue
        db.session.commit()
    return started, ended


def deputyships_for(user):
    """The deputyships the user named or was named in, newest first."""
    holder, deputy = User.__table__.alias("holder"), User.__table__.alias("deputy")
    rows = db.session.execute(
        select(Deputyship, holder.c.full_name, deputy.c.full_name, OrgUnit.name)
        .join(holder, holder.c.id == Deputyship.holder_id).join(deputy, deputy.c.id == Deputyship.deputy_id)
        .join(OrgUnit, OrgUnit.id == Deputyship.unit_id)
        .where(or_(Deputyship.holder_id == user.id, Deputyship.deputy_id == user.id))
        .order_by(Deputyship.id.desc()).limit(200)).all()
    return [DeputyRow(d.id, holder_name, deputy_name, d.role, unit_name, d.starts_on, d.ends_on, d.reason, d.state,
                      d.holder_id == user.id)
            for d, holder_name, deputy_name, unit_name in rows]


def on_behalf_of(instance_id):
    """{event seq: holder's name} for the acts on a case a deputy did in the holder's role and unit
    while the deputyship ran (the history says "thay cho …")."""
    acts = db.session.execute(
        select(InstanceEvent.seq, InstanceEvent.occurred_at, Deputyship.started_at, Deputyship.ended_at,
               User.full_name)
        .join(Deputyship, and_(Deputyship.deputy_id == InstanceEvent.actor_id,
                               Deputyship.role == InstanceEvent.actor_role,
                               Deputyship.unit_id == InstanceEvent.actor_unit_id))
        .join(User, User.id == Deputyship.holder_id)
        .where(InstanceEvent.instance_id == instance_id, Deputyship.started_at.is_not(None))).all()
    return {seq: holder for seq, at, started, ended, holder in acts if started <= at and (ended is None or at < ended)}
