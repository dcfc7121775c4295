"""Notices to users (reminders, escalations), each user's delivery choice, and the reminders sent.

A notice is kept in the database first; e-mail is only a copy sent later by the worker, so a relay
that is down never loses a notice nor blocks the step that caused it.
"""
from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from .types import JsonDocument, UtcDateTime, utcnow

#: What happens to a notice's e-mail copy: none (no address or e-mail off), pending (to be sent on
#: its own), digest (waits for the recipient's daily digest), sent.
MAIL_STATES = ("none", "pending", "digest", "sent")
#: A user's choice: no e-mail, one e-mail per notice, or one digest a day.
DELIVERIES = ("off", "each", "daily")


class Notice(db.Model):
    __tablename__ = "notice"
    __table_args__ = (
        # The menu's unread count and the notice list: a user's notices, unread first.
        Index("ix_notice_user_unread", "user_id", "read_at"),
        # The worker's mail pass: e-mail copies due to be sent.
        Index("ix_notice_mail_due", "mail_state", "mail_due_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("app_user.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(40))
    instance_id: Mapped[int | None] = mapped_column(ForeignKey("process_instance.id", ondelete="CASCADE"))
    task_id: Mapped[int | None] = mapped_column(ForeignKey("human_task.id", ondelete="CASCADE"))
    # What the words are made from (step, unit, dates, case number); the words are drawn in the
    # reader's language when shown (pages/notice_texts.py). Never a CCCD nor family data.
    params: Mapped[dict] = mapped_column(JsonDocument, default=dict)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    read_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    mail_state: Mapped[str] = mapped_column(String(12), default="none")
    mail_due_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    mail_attempts: Mapped[int] = mapped_column(Integer, default=0)
    mail_error: Mapped[str | None] = mapped_column(String(200))


class NoticeSetting(db.Model):
    """Where and how a user wants the e-mail copies of their notices (no row: no e-mail)."""

    __tablename__ = "notice_setting"

    user_id: Mapped[int] = mapped_column(ForeignKey("app_user.id", ondelete="CASCADE"), primary_key=True)
    email: Mapped[str] = mapped_column(String(254))
    delivery: Mapped[str] = mapped_column(String(10), default="each")
    # The Vietnam day of the last daily digest sent (one a day at most).
    digest_sent_on: Mapped[date | None] = mapped_column(Date)


class TaskReminder(db.Model):
    """A reminder or escalation sent for an open step: the unique pair makes it happen once, even
    with several workers sweeping at the same time."""

    __tablename__ = "task_reminder"
    __table_args__ = (UniqueConstraint("task_id", "kind", name="uq_task_reminder"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    task_id: Mapped[int] = mapped_column(ForeignKey("human_task.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(20))  # due_soon | overdue
    sent_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    recipients: Mapped[int] = mapped_column(Integer, default=0)
