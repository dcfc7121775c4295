"""Which processes of the active deployment a case may be started with, by whom and where (issue 17)."""
from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from .types import UtcDateTime, utcnow


class StartableProcess(db.Model):
    """One row per process an administrator has opened (or closed) for starting.

    A process without a row cannot be started. `roles` and `unit_kinds` are comma-separated lists
    (a handful of names, read with the row, never searched); `unit_id` limits starting to that unit
    and its subtree, empty meaning anywhere; empty `unit_kinds` means any kind of unit.
    """

    __tablename__ = "startable_process"

    process_id: Mapped[str] = mapped_column(String(100), primary_key=True)
    enabled: Mapped[bool] = mapped_column(Boolean, default=True)
    roles: Mapped[str] = mapped_column(String(400), default="")
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("org_unit.id", ondelete="SET NULL"))
    unit_kinds: Mapped[str] = mapped_column(String(300), default="")
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)

    @property
    def role_list(self):
        return [r for r in self.roles.split(",") if r]

    @property
    def kind_list(self):
        return [k for k in self.unit_kinds.split(",") if k]
