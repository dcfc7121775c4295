"""Reading the register at a date: who counts in a body's vote, and where a member stands.

All queries read `body_membership` by (unit, body, joined_on) — its index — and the few absences
of those memberships; a cell has tens of members, so the lists are built in Python from one query
each, never from workflow state.
"""
from dataclasses import dataclass
from datetime import date

from sqlalchemy import case, func, or_, select

from ...extensions import db
from ...models import OrgUnit
from ...models.register import BodyMembership, MemberAbsence, PartyMember
from ...rules.dates import add_months
from ...rules.votes import counted_members as counted_base


@dataclass(frozen=True)
class RegisterEntry:
    member_id: int
    membership_id: int
    full_name: str
    status: str | None  # "official" / "probationary" on the day asked
    admitted_on: date | None
    official_on: date | None
    joined_on: date
    user_id: int | None


@dataclass(frozen=True)
class CountedMembers:
    unit_id: int
    on: date
    body: str
    kept: bool  # the body has a register at all (somebody was ever entered)
    official: tuple
    probationary: tuple
    attached_elsewhere: tuple  # official members temporarily attached to another organisation
    exempt: tuple  # official members exempted from activities (not also attached)

    def denominator(self, present_member_ids=()):
        """The 2/3 base (domain §2 step 8 [S]): official − attached elsewhere − exempt who are absent.

        An exempted member who comes to the meeting counts; one attached elsewhere never does.
        """
        present = set(present_member_ids)
        exempt_absent = sum(1 for entry in self.exempt if entry.member_id not in present)
        return counted_base(len(self.official), len(self.attached_elsewhere), exempt_absent)

    def denominator_if_all_absent(self):
        return self.denominator(())

    @property
    def official_ids(self):
        return frozenset(entry.member_id for entry in self.official)


@dataclass(frozen=True)
class MemberStanding:
    member_id: int
    full_name: str
    status: str | None
    official_since: date | None
    admitted_on: date | None
    joined_unit_on: date | None  # of the membership of that unit current on the day; None if none
    months_in_unit: int  # full months from joined_unit_on to the day (0 when not in the unit)
    user_id: int | None


@dataclass(frozen=True)
class UnitCounts:
    official: int
    committee: int
    official_source: str  # "register" or "typed" (OrgUnit.official_members, not checked against anything)
    committee_source: str


def full_months(start, end):
    """Full calendar months from `start` to `end` (12 on the same day a year later)."""
    if end < start:
        return 0
    months = (end.year - start.year) * 12 + end.month - start.month
    return months - 1 if add_months(start, months) > end else months


def _current(on):
    return (BodyMembership.joined_on <= on) & or_(BodyMembership.left_on.is_(None), BodyMembership.left_on > on)


def _entries(unit_id, body, on):
    rows = db.session.execute(
        select(BodyMembership, PartyMember).join(PartyMember, PartyMember.id == BodyMembership.member_id)
        .where(BodyMembership.unit_id == unit_id, BodyMembership.body == body, _current(on))
        .order_by(PartyMember.full_name, PartyMember.id)).all()
    return [RegisterEntry(member.id, membership.id, member.full_name, member.status_on(on), member.admitted_on,
                          member.official_on, membership.joined_on, member.user_id) for membership, member in rows]


def _absences(membership_ids, on):
    if not membership_ids:
        return {}
    rows = db.session.execute(select(MemberAbsence.membership_id, MemberAbsence.kind).where(
        MemberAbsence.membership_id.in_(membership_ids), MemberAbsence.starts_on <= on,
        or_(MemberAbsence.ends_on.is_(None), MemberAbsence.ends_on >= on))).all()
    kinds = {}
    for membership_id, kind in rows:
        kinds.setdefault(membership_id, set()).add(kind)
    return kinds


def body_is_kept(unit_id, body="cell"):
    return db.session.execute(select(BodyMembership.id).where(
        BodyMembership.unit_id == unit_id, BodyMembership.body == body).limit(1)).first() is not None


def counted_members(unit_id, on, body="cell"):
    """The body's members on `on`, split the way a vote counts them."""
    entries = _entries(unit_id, body, on)
    absences = _absences([entry.membership_id for entry in entries], on)
    official = tuple(entry for entry in entries if entry.status == "official")
    attached = tuple(entry for entry in official if "attached" in absences.get(entry.membership_id, ()))
    exempt = tuple(entry for entry in official if "exempt" in absences.get(entry.membership_id, ())
                   and entry not in attached)
    return CountedMembers(unit_id=unit_id, on=on, body=body, kept=bool(entries) or body_is_kept(unit_id, body),
                          official=official, probationary=tuple(e for e in entries if e.status == "probationary"),
                          attached_elsewhere=attached, exempt=exempt)


def members_for_choice(unit_id, on, body="cell"):
    """Current members of the body, official first, for choosing introducers and helpers."""
    entries = [entry for entry in _entries(unit_id, body, on) if entry.status]
    return tuple(sorted(entries, key=lambda entry: (entry.status != "official", entry.full_name, entry.member_id)))


def standing(member_id, unit_id, on, body="cell"):
    """Where a member stands on `on`: status, since when, and how long in that unit."""
    member = db.session.get(PartyMember, member_id)
    if member is None:
        return None
    membership = db.session.execute(select(BodyMembership).where(
        BodyMembership.member_id == member_id, BodyMembership.unit_id == unit_id, BodyMembership.body == body,
        _current(on)).order_by(BodyMembership.joined_on).limit(1)).scalar_one_or_none()
    joined = membership.joined_on if membership else None
    return MemberStanding(member.id, member.full_name, member.status_on(on), member.official_on, member.admitted_on,
                          joined, full_months(joined, on) if joined else 0, member.user_id)


def member_for_user(user_id):
    return db.session.execute(select(PartyMember).where(PartyMember.user_id == user_id)).scalar_one_or_none()


def unit_counts(unit_id, on):
    """The counts a unit record and a vote form show: the register's when kept, the typed ones otherwise."""
    unit = db.session.get(OrgUnit, unit_id)
    cell = counted_members(unit_id, on, "cell")
    committee = counted_members(unit_id, on, "committee")
    return UnitCounts(
        official=len(cell.official) if cell.kept else unit.official_members,
        committee=len(committee.official) + len(committee.probationary) if committee.kept else unit.committee_members,
        official_source="register" if cell.kept else "typed",
        committee_source="register" if committee.kept else "typed")


def register_totals(on):
    """{(unit_id, body): members counted on `on`} for every body that keeps a register, in one query.

    Cells count their official members; committees all their members. A body with a register but
    nobody current on `on` is there with 0 (kept, empty), unlike a body without a register.
    """
    counted = case((BodyMembership.body != "cell", 1), (PartyMember.official_on <= on, 1), else_=0)
    rows = db.session.execute(
        select(BodyMembership.unit_id, BodyMembership.body,
               func.sum(case((_current(on), counted), else_=0)))
        .join(PartyMember, PartyMember.id == BodyMembership.member_id)
        .group_by(BodyMembership.unit_id, BodyMembership.body)).all()
    return {(unit_id, body): int(total or 0) for unit_id, body, total in rows}
