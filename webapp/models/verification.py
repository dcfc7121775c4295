"""Background verification as letters between units (issue 12): one request (20-KNĐ) per place to
verify — its number, the day it was sent, the persons concerned, the addressee (a unit of the tree,
or a named organisation outside it, with an address), how it was sent and the day the answer is due.
The answer itself is the verification step (record_verification), done by the addressee's own users
when it is in the tree, or recorded by the sending cell when the written answer arrives."""
from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from .types import JsonDocument, UtcDateTime, utcnow

#: Who a request asks about (domain.md step 5).
PERSONS = ("applicant", "father", "mother", "guardian", "spouse")
#: How the letter went.
SENT_BY = ("system", "post", "hand", "email")


class VerificationRequest(db.Model):
    __tablename__ = "verification_request"
    __table_args__ = (
        # The case page and the reports: a case's requests, and the requests due by a day.
        Index("ix_verification_request_instance", "instance_id"),
        Index("ix_verification_request_due", "due_on"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    task_id: Mapped[int] = mapped_column(ForeignKey("human_task.id", ondelete="CASCADE"), unique=True)
    instance_id: Mapped[int] = mapped_column(ForeignKey("process_instance.id", ondelete="CASCADE"))
    number: Mapped[str] = mapped_column(String(60))
    sent_on: Mapped[date] = mapped_column(Date)
    persons: Mapped[list] = mapped_column(JsonDocument)
    addressee_unit_id: Mapped[int | None] = mapped_column(ForeignKey("org_unit.id"))
    addressee_name: Mapped[str | None] = mapped_column(String(200))
    addressee_address: Mapped[str | None] = mapped_column(String(300))
    sent_by: Mapped[str] = mapped_column(String(12))
    due_on: Mapped[date] = mapped_column(Date)
    sent_by_user_id: Mapped[int] = mapped_column(ForeignKey("app_user.id"))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
