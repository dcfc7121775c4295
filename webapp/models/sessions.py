"""Sign-in sessions kept on the server, and the sign-in attempts that throttling counts.

A signed cookie alone cannot be ended: whoever copied it keeps it. The cookie therefore carries
only a random token; the row here says whether that token still opens a session. Only the
token's SHA-256 is stored, so reading this table does not hand out sessions.
"""
from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from .types import UtcDateTime

#: Why a session ended (end_reason).
END_REASONS = ("logout", "idle", "expired", "password_changed", "password_reset", "roles_changed",
               "deactivated")


class SignInSession(db.Model):
    __tablename__ = "sign_in_session"
    __table_args__ = (Index("ix_sign_in_session_user_open", "user_id", "ended_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("app_user.id", ondelete="CASCADE"))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    last_seen_at: Mapped[datetime] = mapped_column(UtcDateTime)
    ended_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    end_reason: Mapped[str | None] = mapped_column(String(30))


class SignInAttempt(db.Model):
    """One refused sign-in: by the user name as typed (normalised, existing or not) and the address."""

    __tablename__ = "sign_in_attempt"
    __table_args__ = (
        Index("ix_sign_in_attempt_username_at", "username", "attempted_at"),
        Index("ix_sign_in_attempt_address_at", "address", "attempted_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(80))
    address: Mapped[str] = mapped_column(String(64))
    attempted_at: Mapped[datetime] = mapped_column(UtcDateTime, index=True)
    # Made with this user's known-device cookie: counted against a budget a stranger cannot spend.
    known_device: Mapped[bool] = mapped_column(Boolean, default=False)
