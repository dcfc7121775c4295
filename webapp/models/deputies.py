"""Deputies during leave (issue 12): a holder of a role names a colleague of the same body to act
in that role for a period. While it runs, the deputy holds the role as a real role assignment
(`RoleAssignment.deputyship_id`), so every inbox, scope and step check applies to them unchanged;
when it ends that assignment is deleted. The deputyship row itself is kept, for the history's
"on behalf of"."""
from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from .types import UtcDateTime, utcnow

#: planned (not started), active (the deputy holds the role), ended (its last day passed, or the
#: holder lost the role), cancelled (by the holder or an administrator).
DEPUTY_STATES = ("planned", "active", "ended", "cancelled")


class Deputyship(db.Model):
    __tablename__ = "deputyship"
    __table_args__ = (
        # The worker's rounds: which planned ones start, which active ones end.
        Index("ix_deputyship_state_dates", "state", "starts_on", "ends_on"),
        # The history's "on behalf of": a deputy's periods in a role and unit.
        Index("ix_deputyship_deputy", "deputy_id", "role", "unit_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    holder_id: Mapped[int] = mapped_column(ForeignKey("app_user.id", ondelete="CASCADE"))
    deputy_id: Mapped[int] = mapped_column(ForeignKey("app_user.id", ondelete="CASCADE"))
    role: Mapped[str] = mapped_column(String(40))
    unit_id: Mapped[int] = mapped_column(ForeignKey("org_unit.id"))
    starts_on: Mapped[date] = mapped_column(Date)  # first day, Vietnam calendar
    ends_on: Mapped[date] = mapped_column(Date)  # last day, included
    reason: Mapped[str] = mapped_column(String(300))
    state: Mapped[str] = mapped_column(String(12), default="planned")
    named_by_id: Mapped[int] = mapped_column(ForeignKey("app_user.id"))
    named_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    started_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    ended_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
