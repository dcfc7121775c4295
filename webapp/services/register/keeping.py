"""Keeping the register by hand: add and edit members, record attachment, exemption and leaving.

Each public function is one unit of work: authorise (authz.register), validate everything first
(InvalidSubmission with error codes per field, nothing written), change, append one audit event,
commit. Dates are facts of the past: none may be later than today (Vietnam's day), and each is no
earlier than what it depends on (admitted ≤ official; joined ≤ left; absence within the membership).
"""
import re
from datetime import date, datetime

from sqlalchemy import select

from ...authz.register import may_keep_register
from ...extensions import db
from ...models import OrgUnit, User
from ...models.register import ABSENCE_KINDS, BodyMembership, MemberAbsence, PartyMember
from ..audit import append_event
from ..clock import VIETNAM, resolve_now
from ..dossier import mask_citizen_id
from ..errors import Forbidden, InvalidSubmission, NotFound

STATUSES = ("official", "probationary")
#: The bodies whose register a unit of each kind keeps: a cell its members; a grassroots committee
#: or sub-committee its committee; an upper committee its executive and its standing committee.
BODIES_OF_KIND = {
    "cell": ("cell",), "grassroots_cell": ("cell",), "grassroots_committee": ("committee",),
    "subcommittee": ("committee",), "district": ("committee", "standing_committee"),
    "commune": ("committee", "standing_committee"), "province": ("committee", "standing_committee"),
}
CITIZEN_ID = re.compile(r"^\d{12}$")
EARLIEST = date(1900, 1, 1)


def today_in_vietnam(now):
    return now.astimezone(VIETNAM).date()


def parse_day(value):
    """A date from a date, 'yyyy-mm-dd' or 'dd/mm/yyyy'; None when empty; ValueError otherwise."""
    if value is None or (isinstance(value, date) and not isinstance(value, datetime)):
        return value
    text = str(value).strip()
    if not text:
        return None
    for pattern in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            return datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    raise ValueError(text)


class _Errors(dict):
    def add(self, field, code):
        self.setdefault(field, []).append(code)

    def day(self, values, field, today, *, required=False):
        """The field's date, checked: readable, not in the future, not before 1900."""
        try:
            day = parse_day(values.get(field))
        except ValueError:
            self.add(field, "register_bad_date")
            return None
        if day is None:
            if required:
                self.add(field, "required")
        elif day > today:
            self.add(field, "register_future_date")
        elif day < EARLIEST:
            self.add(field, "register_bad_date")
        return day


def _unit(unit_id):
    unit = db.session.get(OrgUnit, unit_id) if isinstance(unit_id, int) else None
    if unit is None:
        raise NotFound("no such unit")
    return unit


def require_keeper(user, unit_id, body="cell"):
    """The unit, if the user keeps its register; NotFound / Forbidden otherwise."""
    unit = _unit(unit_id)
    if body not in BODIES_OF_KIND.get(unit.kind, ()):
        raise NotFound("no such body in this unit")
    if not may_keep_register(user.id, unit.id, body):
        raise Forbidden("register_not_yours")
    return unit


def _membership(user, membership_id):
    membership = db.session.get(BodyMembership, membership_id) if isinstance(membership_id, int) else None
    if membership is None:
        raise NotFound("no such membership")
    require_keeper(user, membership.unit_id, membership.body)
    return membership


def _account(errors, username, member_id=None):
    """The account named `username` (None when empty), free to be this member's own."""
    username = (username or "").strip()
    if not username:
        return None
    account = db.session.execute(select(User).where(User.username == username)).scalar_one_or_none()
    if account is None:
        errors.add("username", "register_unknown_account")
        return None
    holder = db.session.execute(select(PartyMember.id).where(PartyMember.user_id == account.id)).scalar()
    if holder is not None and holder != member_id:
        errors.add("username", "register_account_taken")
    return account


def check_person(values, today, *, member_id=None, errors=None, seen_citizen_ids=()):
    """The member's own fields, checked; (clean values, errors). Shared by the form and the CSV import."""
    errors = errors if errors is not None else _Errors()
    name = " ".join((values.get("full_name") or "").split())
    if not name:
        errors.add("full_name", "required")
    elif len(name) > 120:
        errors.add("full_name", "register_too_long")
    born = errors.day(values, "date_of_birth", today)
    citizen_id = (values.get("citizen_id") or "").strip() or None
    if citizen_id is not None:
        if not CITIZEN_ID.match(citizen_id):
            errors.add("citizen_id", "register_bad_citizen_id")
        elif citizen_id in seen_citizen_ids or db.session.execute(select(PartyMember.id).where(
                PartyMember.citizen_id == citizen_id, PartyMember.id != (member_id or 0))).first():
            errors.add("citizen_id", "register_citizen_id_taken")
    status = values.get("status") or ""
    if status not in STATUSES:
        errors.add("status", "register_bad_status")
    admitted = errors.day(values, "admitted_on", today, required=status == "probationary")
    official = errors.day(values, "official_on", today, required=status == "official")
    if status == "probationary" and official is not None:
        errors.add("official_on", "register_probationary_has_official_date")
    if admitted and official and official < admitted:
        errors.add("official_on", "register_official_before_admitted")
    if born and admitted and admitted < born:
        errors.add("admitted_on", "register_before_birth")
    clean = {"full_name": name, "date_of_birth": born, "citizen_id": citizen_id,
             "admitted_on": admitted, "official_on": official if status == "official" else None}
    return clean, errors


def check_joined(values, clean, today, errors):
    """The day the member joined the body: not before they were admitted (a cell has no members who are not yet)."""
    joined = errors.day(values, "joined_on", today, required=True)
    if joined and clean.get("admitted_on") and joined < clean["admitted_on"]:
        errors.add("joined_on", "register_joined_before_admitted")
    return joined


def _member_snapshot(member):
    return {"full_name": member.full_name, "date_of_birth": member.date_of_birth,
            "citizen_id": mask_citizen_id(member.citizen_id) if member.citizen_id else None,
            "user_id": member.user_id, "admitted_on": member.admitted_on, "official_on": member.official_on}


def _commit_or_rollback(work):
    try:
        result = work()
        db.session.commit()
        return result
    except Exception:
        db.session.rollback()
        raise


def add_member(user, unit_id, values, *, body="cell", now=None):
    """Enter a member in the body's register: the person, their party dates, the day they joined."""
    now = resolve_now(now)
    unit = require_keeper(user, unit_id, body)
    today = today_in_vietnam(now)
    clean, errors = check_person(values, today)
    joined = check_joined(values, clean, today, errors)
    account = _account(errors, values.get("username"))
    if errors:
        raise InvalidSubmission(dict(errors))

    def work():
        member = PartyMember(**clean, user_id=account.id if account else None)
        db.session.add(member)
        db.session.flush()
        membership = BodyMembership(member_id=member.id, unit_id=unit.id, body=body, joined_on=joined)
        db.session.add(membership)
        db.session.flush()
        append_event(kind="member_entered", occurred_at=now, actor=user,
                     payload={"member_id": member.id, "unit_id": unit.id, "body": body, "joined_on": joined,
                              "after": _member_snapshot(member), "source": "register_page"})
        return member
    return _commit_or_rollback(work)


def add_to_body(user, unit_id, member_id, values, *, body="committee", now=None):
    """Record an existing member as a member of a committee (or another cell) from `joined_on`."""
    now = resolve_now(now)
    unit = require_keeper(user, unit_id, body)
    member = db.session.get(PartyMember, member_id) if isinstance(member_id, int) else None
    if member is None:
        raise NotFound("no such member")
    errors = _Errors()
    joined = errors.day(values, "joined_on", today_in_vietnam(now), required=True)
    if db.session.execute(select(BodyMembership.id).where(
            BodyMembership.member_id == member.id, BodyMembership.unit_id == unit.id, BodyMembership.body == body,
            BodyMembership.left_on.is_(None))).first():
        errors.add("member_id", "register_already_member")
    if errors:
        raise InvalidSubmission(dict(errors))

    def work():
        membership = BodyMembership(member_id=member.id, unit_id=unit.id, body=body, joined_on=joined)
        db.session.add(membership)
        db.session.flush()
        append_event(kind="member_entered", occurred_at=now, actor=user,
                     payload={"member_id": member.id, "unit_id": unit.id, "body": body, "joined_on": joined,
                              "source": "register_page"})
        return membership
    return _commit_or_rollback(work)


def update_member(user, membership_id, values, *, now=None):
    """Correct a member's own fields and party dates (the membership is changed by leaving, not editing)."""
    now = resolve_now(now)
    membership = _membership(user, membership_id)
    member = db.session.get(PartyMember, membership.member_id)
    today = today_in_vietnam(now)
    if not (values.get("citizen_id") or "").strip():  # the page shows it masked: empty keeps the number
        values = {**values, "citizen_id": member.citizen_id}
    clean, errors = check_person(values, today, member_id=member.id)
    account = _account(errors, values.get("username"), member.id)
    if clean["admitted_on"] and membership.joined_on < clean["admitted_on"]:
        errors.add("admitted_on", "register_joined_before_admitted")
    if errors:
        raise InvalidSubmission(dict(errors))

    def work():
        before = _member_snapshot(member)
        for key, value in clean.items():
            setattr(member, key, value)
        member.user_id = account.id if account else None
        append_event(kind="member_changed", occurred_at=now, actor=user,
                     payload={"member_id": member.id, "unit_id": membership.unit_id, "before": before,
                              "after": _member_snapshot(member), "source": "register_page"})
        return member
    return _commit_or_rollback(work)


def record_absence(user, membership_id, values, *, now=None):
    """A period of temporary attachment elsewhere (where) or exemption from activities (why)."""
    now = resolve_now(now)
    membership = _membership(user, membership_id)
    today = today_in_vietnam(now)
    errors = _Errors()
    kind = values.get("kind")
    if kind not in ABSENCE_KINDS:
        errors.add("kind", "register_bad_absence_kind")
    starts = errors.day(values, "starts_on", today, required=True)
    try:  # the planned end of an attachment may be ahead
        ends = parse_day(values.get("ends_on"))
    except ValueError:
        errors.add("ends_on", "register_bad_date")
        ends = None
    detail = " ".join((values.get("detail") or "").split())
    if not detail:
        errors.add("detail", "required")
    elif len(detail) > 200:
        errors.add("detail", "register_too_long")
    if starts and starts < membership.joined_on:
        errors.add("starts_on", "register_before_joined")
    if starts and membership.left_on and starts >= membership.left_on:
        errors.add("starts_on", "register_after_left")
    if starts and ends and ends < starts:
        errors.add("ends_on", "register_ends_before_start")
    if errors:
        raise InvalidSubmission(dict(errors))

    def work():
        absence = MemberAbsence(membership_id=membership.id, kind=kind, starts_on=starts, ends_on=ends, detail=detail)
        db.session.add(absence)
        db.session.flush()
        append_event(kind="member_absence_recorded", occurred_at=now, actor=user,
                     payload={"member_id": membership.member_id, "unit_id": membership.unit_id,
                              "membership_id": membership.id, "absence_id": absence.id, "kind": kind,
                              "starts_on": starts, "ends_on": ends, "detail": detail})
        return absence
    return _commit_or_rollback(work)


def record_leaving(user, membership_id, values, *, now=None):
    """The member left the body (moved, died, removed) on `left_on`; from that day they do not count."""
    now = resolve_now(now)
    membership = _membership(user, membership_id)
    errors = _Errors()
    left = errors.day(values, "left_on", today_in_vietnam(now), required=True)
    reason = " ".join((values.get("left_reason") or "").split())
    if not reason:
        errors.add("left_reason", "required")
    elif len(reason) > 200:
        errors.add("left_reason", "register_too_long")
    if membership.left_on is not None:
        errors.add("left_on", "register_already_left")
    elif left and left <= membership.joined_on:
        errors.add("left_on", "register_left_before_joined")
    if errors:
        raise InvalidSubmission(dict(errors))

    def work():
        membership.left_on, membership.left_reason = left, reason
        append_event(kind="member_left", occurred_at=now, actor=user,
                     payload={"member_id": membership.member_id, "unit_id": membership.unit_id,
                              "membership_id": membership.id, "body": membership.body, "left_on": left,
                              "reason": reason})
        return membership
    return _commit_or_rollback(work)
