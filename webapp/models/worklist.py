"""An approver's worklist around the human tasks (issue 15): claims, who has a task open, saved inbox filters.

None of these changes who MAY act on a task (that stays the lane's role in the task's unit,
`authz`): a claim says which member of the body is doing it, a presence row that someone has
its page open, a saved filter is one person's shortcut to an inbox view.
"""
from datetime import datetime

from sqlalchemy import ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from .process import HumanTask
from .types import UtcDateTime, utcnow

# "Done by me": a person's completed tasks, newest first, read from the index alone until the page's ids.
Index("ix_human_task_completed_by", HumanTask.__table__.c.completed_by_id, HumanTask.__table__.c.completed_at,
      HumanTask.__table__.c.id)


class TaskClaim(db.Model):
    """Who of the task's body has taken it (at most one). A hand-over is a claim made for a colleague."""

    __tablename__ = "task_claim"

    human_task_id: Mapped[int] = mapped_column(ForeignKey("human_task.id", ondelete="CASCADE"), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("app_user.id", ondelete="CASCADE"), index=True)
    claimed_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    # Set when a colleague handed the task over (with a note); empty when the holder took it themselves.
    handed_by_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id", ondelete="SET NULL"))
    note: Mapped[str | None] = mapped_column(Text)


class TaskPresence(db.Model):
    """Someone of the body had the task's page open at `seen_at`; read only while recent (services.worklist)."""

    __tablename__ = "task_presence"

    human_task_id: Mapped[int] = mapped_column(ForeignKey("human_task.id", ondelete="CASCADE"), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("app_user.id", ondelete="CASCADE"), primary_key=True)
    seen_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)


class SavedInboxFilter(db.Model):
    """One person's named inbox view: the inbox's own filters (the search text stays in the database)."""

    __tablename__ = "saved_inbox_filter"
    __table_args__ = (UniqueConstraint("user_id", "name", name="uq_saved_inbox_filter_name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("app_user.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(60))
    step: Mapped[str | None] = mapped_column(String(100))
    # No foreign key: a unit removed leaves a filter that finds nothing.
    unit_id: Mapped[int | None] = mapped_column(Integer)
    due: Mapped[str | None] = mapped_column(String(10))
    sort: Mapped[str] = mapped_column(String(10), default="arrived")
    search: Mapped[str | None] = mapped_column(String(100))
    claim: Mapped[str | None] = mapped_column(String(10))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
