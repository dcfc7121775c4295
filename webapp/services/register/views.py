"""What the register pages show: the units a user keeps, a body's register at a date, one membership."""
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

from ...authz.register import register_units
from ...extensions import db
from ...models import OrgUnit, UnitClosure, User
from ...models.register import BodyMembership, MemberAbsence, PartyMember
from ..dossier import mask_citizen_id
from ..errors import NotFound
from .counting import counted_members
from .keeping import _membership, require_keeper

#: The body whose register a unit of each kind keeps.
BODY_OF_KIND = {"cell": "cell", "grassroots_cell": "cell", "grassroots_committee": "committee",
                "subcommittee": "committee", "district": "standing_committee", "commune": "standing_committee",
                "province": "standing_committee"}


@dataclass(frozen=True)
class RegisterRow:
    entry: object  # counting.RegisterEntry
    absences: tuple  # MemberAbsence rows covering the day
    attached: bool
    exempt: bool


@dataclass(frozen=True)
class RegisterView:
    unit: OrgUnit
    body: str
    on: date
    counted: object  # counting.CountedMembers
    rows: tuple
    typed_count: int  # what the unit record says (typed), to show a disagreement
    candidates: tuple = ()  # for a committee: current cell members below the unit, not yet in it

    @property
    def counts_disagree(self):
        return self.counted.kept and self.typed_count != len(self.counted.official)


def kept_units(user):
    """(unit, body) pairs whose register the user keeps, in tree order of ids."""
    units = register_units(user.id)
    query = select(OrgUnit).order_by(OrgUnit.id)
    if units is not None:
        query = query.where(OrgUnit.id.in_(units))
    pairs = []
    for unit in db.session.execute(query).scalars():
        pairs.append((unit, "cell" if units is not None else BODY_OF_KIND.get(unit.kind, "cell")))
    return pairs


def register_view(user, unit_id, on, body=None):
    unit = db.session.get(OrgUnit, unit_id) if isinstance(unit_id, int) else None
    if unit is None:
        raise NotFound("no such unit")
    body = body or BODY_OF_KIND.get(unit.kind, "cell")
    require_keeper(user, unit.id, body)
    counted = counted_members(unit.id, on, body)
    entries = (*counted.official, *counted.probationary)
    absences = {}
    if entries:
        for absence in db.session.execute(select(MemberAbsence).where(
                MemberAbsence.membership_id.in_([e.membership_id for e in entries])).order_by(
                MemberAbsence.starts_on)).scalars():
            if absence.covers(on):
                absences.setdefault(absence.membership_id, []).append(absence)
    attached = {e.member_id for e in counted.attached_elsewhere}
    exempt = {e.member_id for e in counted.exempt}
    rows = tuple(RegisterRow(e, tuple(absences.get(e.membership_id, ())), e.member_id in attached,
                             e.member_id in exempt) for e in sorted(entries, key=lambda e: (e.full_name, e.member_id)))
    typed = unit.official_members if body == "cell" else unit.committee_members
    return RegisterView(unit, body, on, counted, rows, typed, _candidates(unit, body, on, entries))


#: At most this many members offered in a committee's "add a member" select.
CANDIDATES_LIMIT = 500


def _candidates(unit, body, on, entries):
    """Cell members in the unit's subtree, current on `on`, who are not yet members of the committee."""
    if body == "cell":
        return ()
    inside = {entry.member_id for entry in entries}
    rows = db.session.execute(
        select(PartyMember.id, PartyMember.full_name, OrgUnit.name)
        .join(BodyMembership, BodyMembership.member_id == PartyMember.id)
        .join(OrgUnit, OrgUnit.id == BodyMembership.unit_id)
        .join(UnitClosure, UnitClosure.descendant_id == BodyMembership.unit_id)
        .where(UnitClosure.ancestor_id == unit.id, BodyMembership.body == "cell", BodyMembership.joined_on <= on,
               (BodyMembership.left_on.is_(None)) | (BodyMembership.left_on > on))
        .order_by(PartyMember.full_name, PartyMember.id).limit(CANDIDATES_LIMIT)).all()
    return tuple((member_id, name, cell) for member_id, name, cell in rows if member_id not in inside)


@dataclass(frozen=True)
class MembershipView:
    membership: BodyMembership
    member: PartyMember
    unit: OrgUnit
    absences: tuple
    username: str
    citizen_id_masked: str


def membership_view(user, membership_id):
    membership = _membership(user, membership_id)
    member = db.session.get(PartyMember, membership.member_id)
    absences = tuple(db.session.execute(select(MemberAbsence).where(
        MemberAbsence.membership_id == membership.id).order_by(MemberAbsence.starts_on)).scalars())
    username = db.session.execute(select(User.username).where(User.id == member.user_id)).scalar() \
        if member.user_id else ""
    return MembershipView(membership, member, db.session.get(OrgUnit, membership.unit_id), absences, username or "",
                          mask_citizen_id(member.citizen_id) if member.citizen_id else "")
