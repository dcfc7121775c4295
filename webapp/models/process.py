"""Deployed versions, running instances and the human-task rows the inbox is drawn from."""
from datetime import date, datetime

from sqlalchemy import Boolean, Date, ForeignKey, Index, Integer, LargeBinary, String, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .types import JsonDocument, UtcDateTime, utcnow

INSTANCE_STATUSES = ("in_progress", "waiting", "admitted", "probationary", "official", "rejected",
                     "removed", "stopped", "closed", "failed")


class ProcessVersion(db.Model):
    """An immutable deployment: every diagram and form file, hashed together."""

    __tablename__ = "process_version"
    __table_args__ = (UniqueConstraint("process_id", "number", name="uq_process_version_number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    process_id: Mapped[str] = mapped_column(String(100))
    number: Mapped[int] = mapped_column(Integer)
    content_hash: Mapped[str] = mapped_column(String(64), index=True)
    comment: Mapped[str] = mapped_column(Text, default="")
    deployed_by_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    deployed_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    active: Mapped[bool] = mapped_column(Boolean, default=False)

    # Loaded only when a version is parsed (once per process): completions never read the bytes.
    files: Mapped[list["ProcessFile"]] = relationship(order_by="ProcessFile.name", lazy="select")


class ProcessFile(db.Model):
    __tablename__ = "process_file"

    version_id: Mapped[int] = mapped_column(ForeignKey("process_version.id"), primary_key=True)
    name: Mapped[str] = mapped_column(String(200), primary_key=True)
    content: Mapped[bytes] = mapped_column(LargeBinary)


class ProcessInstance(db.Model):
    """One case. The serialized workflow lives here; lists never read it."""

    __tablename__ = "process_instance"
    __table_args__ = (
        # Counting a scope's cases: a prefix of ix_process_instance_unit_updated, but a third of its
        # size, so the province's 200,000 cases are counted in 7 ms instead of 22 ms.
        Index("ix_process_instance_unit_status", "unit_id", "status"),
        # "My unit's cases", newest first: walked backwards for a unit with many cases below it, and
        # holding everything a small unit's page is chosen by (SQLite then never reads a row, whose
        # columns after `serialized` lie beyond that document's overflow pages).
        Index("ix_process_instance_updated", "updated_at", "id"),
        Index("ix_process_instance_unit_updated", "unit_id", "status", "updated_at", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("process_version.id"))
    # The process of the deployment this case was started with (a deployment may offer several).
    process_id: Mapped[str] = mapped_column(String(100), default="admission", server_default="admission")
    student_id: Mapped[int] = mapped_column(ForeignKey("student.id"), index=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("org_unit.id"))
    status: Mapped[str] = mapped_column(String(20), default="in_progress")
    current_step: Mapped[str] = mapped_column(String(300), default="")
    outcome: Mapped[str | None] = mapped_column(String(40))
    rule_set: Mapped[str] = mapped_column(String(10))
    # The workflow's state, zlib-compressed JSON (engine/serialization.py); plain JSON in rows from before 0014.
    serialized: Mapped[bytes] = mapped_column(LargeBinary)
    serializer_version: Mapped[str] = mapped_column(String(20))
    next_timer_at: Mapped[datetime | None] = mapped_column(UtcDateTime, index=True)
    # Optimistic check on every backend; PostgreSQL also takes a row lock (SELECT … FOR UPDATE).
    lock_version: Mapped[int] = mapped_column(Integer, default=1)
    started_by_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    started_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    # Facts of the decision and what follows it (issue 11), set by the step that records them, in its
    # transaction (services/stage_facts.py), so reports and lists read columns, not the task JSON.
    decision_number: Mapped[str | None] = mapped_column(String(60))
    decision_date: Mapped[date | None] = mapped_column(Date)
    ceremony_date: Mapped[date | None] = mapped_column(Date)
    recognised_on: Mapped[date | None] = mapped_column(Date, index=True)

    __mapper_args__ = {"version_id_col": lock_version}


OPEN_ONLY = "status = 'open'"
OPEN_UNASSIGNED = "status = 'open' AND assignee_id IS NULL"


class HumanTask(db.Model):
    """One row per user task, open or finished: the inbox is a query on this table."""

    __tablename__ = "human_task"
    __table_args__ = (
        Index("ix_human_task_inbox", "status", "role", "unit_id", "due_on"),
        # The inbox of a role: only open, unassigned tasks (a few percent of the rows), with every
        # column the counts, filters and ordering read, so they are answered from the index alone.
        # `status` leads although constant, so that SQLite prefers this index to ix_human_task_inbox.
        Index("ix_human_task_open_by_role", "status", "role", "unit_id", "due_on", "created_at", "id", "instance_id",
              "spec_name", "label", postgresql_where=text(OPEN_UNASSIGNED), sqlite_where=text(OPEN_UNASSIGNED)),
        # The overdue filter of the case search: open tasks by due date, with their case.
        Index("ix_human_task_open_due", "due_on", "instance_id", postgresql_where=text(OPEN_ONLY),
              sqlite_where=text(OPEN_ONLY)),
        # The step filter of the case search: open tasks by step, with their case.
        Index("ix_human_task_open_step", "spec_name", "instance_id", postgresql_where=text(OPEN_ONLY),
              sqlite_where=text(OPEN_ONLY)),
        Index("ix_human_task_instance", "instance_id", "status"),
        Index("ix_human_task_assignee", "assignee_id", "status"),
        UniqueConstraint("instance_id", "task_uuid", name="uq_human_task_uuid"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    instance_id: Mapped[int] = mapped_column(ForeignKey("process_instance.id"))
    task_uuid: Mapped[str] = mapped_column(String(36))
    spec_name: Mapped[str] = mapped_column(String(100))
    label: Mapped[str] = mapped_column(String(300))
    process_id: Mapped[str] = mapped_column(String(100))
    form_name: Mapped[str | None] = mapped_column(String(100))
    role: Mapped[str] = mapped_column(String(40))
    unit_id: Mapped[int] = mapped_column(ForeignKey("org_unit.id"))
    # Set when only one person may act (the applicant's own account).
    assignee_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    status: Mapped[str] = mapped_column(String(12), default="open")
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    due_on: Mapped[date | None] = mapped_column(Date)
    completed_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    completed_by_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    submitted: Mapped[dict | None] = mapped_column(JsonDocument)
