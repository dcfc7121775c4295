"""Facts the reports count (issue 11): the stages each case reached, and each unit's annual target.

`case_stage` holds one row per (case, stage) reached, written by the unit of work in the same
transaction as the step that reached it (services/stage_facts.py), dated with the day of the act
(the vote's, the decision's; Vietnam calendar) and the case's cell at that moment. Reports are SQL
over this table; no workflow is ever restored to count. Exits (rules/stages.EXITS) are rows too.
"""
from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from .types import UtcDateTime, utcnow


class CaseStage(db.Model):
    __tablename__ = "case_stage"
    __table_args__ = (
        UniqueConstraint("instance_id", "stage", name="uq_case_stage"),
        # The funnel of a period: every case that reached a stage between two days.
        Index("ix_case_stage_stage_reached", "stage", "reached_on"),
        # The same for the units of a scope (joined to unit_closure on unit_id).
        Index("ix_case_stage_unit_stage_reached", "unit_id", "stage", "reached_on"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    instance_id: Mapped[int] = mapped_column(ForeignKey("process_instance.id", ondelete="CASCADE"))
    stage: Mapped[str] = mapped_column(String(40))
    reached_on: Mapped[date] = mapped_column(Date)
    unit_id: Mapped[int] = mapped_column(ForeignKey("org_unit.id"))
    recorded_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)


class UnitTarget(db.Model):
    """A unit's target of admissions for a calendar year (chỉ tiêu), set by a board."""

    __tablename__ = "unit_target"
    __table_args__ = (UniqueConstraint("unit_id", "year", name="uq_unit_target_year"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("org_unit.id"))
    year: Mapped[int] = mapped_column(Integer)
    admissions: Mapped[int] = mapped_column(Integer)
    set_by_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    set_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
