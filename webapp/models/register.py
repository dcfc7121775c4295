"""The party member register: members, their memberships of bodies, and periods away (issue 10).

Everything is a dated fact, never a current-state flag, so "who was an official member of this
cell on the day of the vote" is answerable for any past day:

- `party_member`: the person and their party dates (admitted = probation starts at the ceremony,
  official = recognised). Status at a day D is derived: official when `official_on` ≤ D,
  probationary when `admitted_on` ≤ D and not yet official.
- `body_membership`: belonging to one body of one unit from `joined_on` until `left_on`
  (exclusive: the day they left they no longer count). `body` is "cell" for a cell's members and
  "committee" / "standing_committee" for the members of a committee (grassroots committee,
  sub-committee, the upper committee's standing committee) — recorded the same way.
- `member_absence`: a period of a membership during which the member is temporarily attached to
  another organisation ("attached") or exempted from activities ("exempt"), which changes how the
  member is counted in a vote (domain §2 step 8, services/member_register.py).
"""
from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from .types import UtcDateTime, utcnow

BODIES = ("cell", "committee", "standing_committee")
ABSENCE_KINDS = ("attached", "exempt")


class PartyMember(db.Model):
    __tablename__ = "party_member"

    id: Mapped[int] = mapped_column(primary_key=True)
    full_name: Mapped[str] = mapped_column(String(120))
    date_of_birth: Mapped[date | None] = mapped_column(Date)
    #: Optional; shown masked (services/dossier.mask_citizen_id) like a student's.
    citizen_id: Mapped[str | None] = mapped_column(String(20), index=True)
    #: The member's own account: the only one that may write their letter or comment (issue 10).
    user_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"), unique=True)
    #: The case's student when the member entered the register through the procedure.
    student_id: Mapped[int | None] = mapped_column(ForeignKey("student.id"), unique=True)
    admitted_on: Mapped[date | None] = mapped_column(Date)
    official_on: Mapped[date | None] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)

    def status_on(self, day):
        """'official', 'probationary' or None (not yet a member) on `day`."""
        if self.official_on is not None and self.official_on <= day:
            return "official"
        if self.admitted_on is not None and self.admitted_on <= day:
            return "probationary"
        return None


class BodyMembership(db.Model):
    __tablename__ = "body_membership"
    __table_args__ = (
        # Counting a body at a date reads exactly these columns.
        Index("ix_body_membership_unit_body_joined", "unit_id", "body", "joined_on"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("party_member.id", ondelete="CASCADE"), index=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("org_unit.id"))
    body: Mapped[str] = mapped_column(String(30), default="cell")
    joined_on: Mapped[date] = mapped_column(Date)
    left_on: Mapped[date | None] = mapped_column(Date)
    left_reason: Mapped[str | None] = mapped_column(String(200))

    def current_on(self, day):
        return self.joined_on <= day and (self.left_on is None or day < self.left_on)


class MemberAbsence(db.Model):
    __tablename__ = "member_absence"

    id: Mapped[int] = mapped_column(primary_key=True)
    membership_id: Mapped[int] = mapped_column(ForeignKey("body_membership.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    starts_on: Mapped[date] = mapped_column(Date)
    #: Last day of the period, inclusive; None while it lasts.
    ends_on: Mapped[date | None] = mapped_column(Date)
    #: Where the member is attached (kind "attached") or why exempted (kind "exempt").
    detail: Mapped[str] = mapped_column(String(200), default="")

    def covers(self, day):
        return self.starts_on <= day and (self.ends_on is None or day <= self.ends_on)
