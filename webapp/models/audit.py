"""The append-only audit trail, chained by a keyed hash."""
from datetime import datetime

from sqlalchemy import BigInteger, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from .types import JsonDocument, UtcDateTime


class InstanceEvent(db.Model):
    """Who did what, when, in which role and unit; `hash` = HMAC(key, prev_hash + canonical event)."""

    __tablename__ = "instance_event"

    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True)
    seq: Mapped[int] = mapped_column(BigInteger, unique=True)
    instance_id: Mapped[int | None] = mapped_column(ForeignKey("process_instance.id"), index=True)
    kind: Mapped[str] = mapped_column(String(40))
    occurred_at: Mapped[datetime] = mapped_column(UtcDateTime)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    actor_name: Mapped[str] = mapped_column(String(120), default="")
    actor_role: Mapped[str | None] = mapped_column(String(40))
    actor_unit_id: Mapped[int | None] = mapped_column(ForeignKey("org_unit.id"))
    task_spec: Mapped[str | None] = mapped_column(String(100))
    payload: Mapped[dict] = mapped_column(JsonDocument)
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))


class AuditHead(db.Model):
    """A single row: the last link of the chain. Appending locks it, so links never fork."""

    __tablename__ = "audit_head"

    id: Mapped[int] = mapped_column(primary_key=True)
    last_seq: Mapped[int] = mapped_column(BigInteger, default=0)
    last_hash: Mapped[str] = mapped_column(String(64))


class ChainVerification(db.Model):
    """One walk over the whole chain (the worker's daily check, `flask audit verify`) and what it found.

    The integrity page shows the latest one and checks only the events appended since: walking
    millions of events on every page view would take minutes.
    """

    __tablename__ = "chain_verification"

    id: Mapped[int] = mapped_column(primary_key=True)
    source: Mapped[str] = mapped_column(String(20))  # "worker" or "command"
    started_at: Mapped[datetime] = mapped_column(UtcDateTime, index=True)
    finished_at: Mapped[datetime] = mapped_column(UtcDateTime)
    checked: Mapped[int] = mapped_column(BigInteger)
    # The last event verified, and its hash: where the next check of the newer events starts.
    last_seq: Mapped[int] = mapped_column(BigInteger)
    last_hash: Mapped[str] = mapped_column(String(64))
    first_broken_seq: Mapped[int | None] = mapped_column(BigInteger)
    problem: Mapped[str | None] = mapped_column(String(20))  # see services.audit.PROBLEMS
    # {unit id: events checked of the cases of that unit}: the page sums those of the reader's scope.
    events_by_unit: Mapped[dict] = mapped_column(JsonDocument, default=dict)
