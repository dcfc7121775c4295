"""What people add around a case's steps (issue 15): comments, saved drafts of a form, corrections.

None of these is a step of the procedure. A comment is immutable once written (a second thought is
a new comment). A draft is one person's unfinished typing of one open task, deleted when the task
closes. A correction records a submitted step reopened — by the body that submitted it or by the
level above — with the values it had, who reopened it and why; the new values are the step's next
submission, so the two versions stay side by side.
"""
from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from .types import JsonDocument, UtcDateTime, utcnow


class CaseComment(db.Model):
    """A comment on a case, or on one of its steps (`human_task_id`)."""

    __tablename__ = "case_comment"
    __table_args__ = (Index("ix_case_comment_instance", "instance_id", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    instance_id: Mapped[int] = mapped_column(ForeignKey("process_instance.id", ondelete="CASCADE"))
    human_task_id: Mapped[int | None] = mapped_column(ForeignKey("human_task.id", ondelete="CASCADE"))
    author_id: Mapped[int] = mapped_column(ForeignKey("app_user.id"))
    author_role: Mapped[str | None] = mapped_column(String(40))
    author_unit_id: Mapped[int | None] = mapped_column(ForeignKey("org_unit.id"))
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)


class TaskDraft(db.Model):
    """One person's saved, unvalidated typing of an open task's form (the raw form values)."""

    __tablename__ = "task_draft"

    human_task_id: Mapped[int] = mapped_column(ForeignKey("human_task.id", ondelete="CASCADE"), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("app_user.id", ondelete="CASCADE"), primary_key=True)
    # {field name: [values as typed]} — a form's fields may repeat (the presence checklist).
    form_values: Mapped[dict] = mapped_column(JsonDocument)
    saved_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)


class StepCorrection(db.Model):
    """A completed step reopened for correction: what it had recorded, and who reopened it and why."""

    __tablename__ = "step_correction"
    __table_args__ = (Index("ix_step_correction_instance", "instance_id", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    instance_id: Mapped[int] = mapped_column(ForeignKey("process_instance.id", ondelete="CASCADE"))
    human_task_id: Mapped[int] = mapped_column(ForeignKey("human_task.id", ondelete="CASCADE"), index=True)
    # "same_body": the body that submitted it; "level_above": a deciding body above the step's unit.
    kind: Mapped[str] = mapped_column(String(12))
    reason: Mapped[str] = mapped_column(Text)
    previous_values: Mapped[dict | None] = mapped_column(JsonDocument)
    previous_by_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    previous_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    reopened_by_id: Mapped[int] = mapped_column(ForeignKey("app_user.id"))
    reopened_role: Mapped[str | None] = mapped_column(String(40))
    reopened_unit_id: Mapped[int | None] = mapped_column(ForeignKey("org_unit.id"))
    reopened_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
