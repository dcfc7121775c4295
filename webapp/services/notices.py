"""The notice centre: notices written for users, their unread count, reading them, and each user's
choice of e-mail copies.

Notices are written in the transaction of what causes them (a reminder, an escalation) and never
committed here on their own behalf; reading and settings are use cases of their own (they commit).
"""
import re
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select, update

from ..extensions import db
from ..models import Notice, NoticeSetting
from ..models.notices import DELIVERIES
from .clock import resolve_now
from .errors import InvalidSubmission, NotFound

PAGE_SIZE = 50
#: One address, as people type them; the relay has the last word. 254 is the longest SMTP allows.
EMAIL = re.compile(r"^[^@\s<>\"',;]+@[^@\s<>\"',;]+\.[^@\s<>\"',;.]+$")


@dataclass(frozen=True)
class NoticeRow:
    id: int
    kind: str
    instance_id: int | None
    task_id: int | None
    params: dict
    created_at: datetime
    read_at: datetime | None


def write_notices(user_ids, *, kind, params, instance_id=None, task_id=None, now=None):
    """Add one notice per user (in the caller's transaction), with its e-mail copy due per their choice."""
    now = resolve_now(now)
    user_ids = sorted(set(user_ids))
    if not user_ids:
        return 0
    settings = dict(db.session.execute(
        select(NoticeSetting.user_id, NoticeSetting.delivery).where(NoticeSetting.user_id.in_(user_ids))).all())
    for user_id in user_ids:
        delivery = settings.get(user_id, "off")
        state = {"each": "pending", "daily": "digest"}.get(delivery, "none")
        db.session.add(Notice(user_id=user_id, kind=kind, params=params, instance_id=instance_id, task_id=task_id,
                              created_at=now, mail_state=state, mail_due_at=now if state == "pending" else None,
                              mail_attempts=0))
    return len(user_ids)


def unread_count(user_id):
    return db.session.execute(select(func.count()).select_from(Notice)
                              .where(Notice.user_id == user_id, Notice.read_at.is_(None))).scalar()


def notices_for(user_id, page=1):
    """(rows of one page, newest first; total) of the user's own notices."""
    page = max(1, page)
    total = db.session.execute(select(func.count()).select_from(Notice).where(Notice.user_id == user_id)).scalar()
    rows = db.session.execute(
        select(Notice.id, Notice.kind, Notice.instance_id, Notice.task_id, Notice.params, Notice.created_at,
               Notice.read_at)
        .where(Notice.user_id == user_id).order_by(Notice.id.desc())
        .limit(PAGE_SIZE).offset((page - 1) * PAGE_SIZE)).all()
    return [NoticeRow(*row) for row in rows], total


def mark_read(user, notice_id, *, now=None):
    """Mark one of the user's own notices read; someone else's is 404 (its existence is not told)."""
    notice = db.session.get(Notice, notice_id)
    if notice is None or notice.user_id != user.id:
        raise NotFound(f"notice {notice_id}")
    if notice.read_at is None:  # a second click changes nothing
        notice.read_at = resolve_now(now)
    db.session.commit()
    return notice


def mark_all_read(user, *, now=None):
    changed = db.session.execute(update(Notice).where(Notice.user_id == user.id, Notice.read_at.is_(None))
                                 .values(read_at=resolve_now(now))).rowcount
    db.session.commit()
    return changed


def notice_setting(user_id):
    return db.session.get(NoticeSetting, user_id)


def save_notice_setting(user, *, email, delivery):
    """Keep the user's address and choice; an empty address means no e-mail at all."""
    email = (email or "").strip()
    errors = {}
    if delivery not in DELIVERIES:
        errors["delivery"] = ["unknown_delivery"]
    if email and (len(email) > 254 or not EMAIL.match(email)):
        errors["email"] = ["bad_email"]
    if delivery != "off" and not email:
        errors["email"] = ["email_needed"]
    if errors:
        raise InvalidSubmission(errors)
    setting = db.session.get(NoticeSetting, user.id)
    if not email:
        if setting is not None:
            db.session.delete(setting)
    elif setting is None:
        db.session.add(NoticeSetting(user_id=user.id, email=email, delivery=delivery))
    else:
        setting.email, setting.delivery = email, delivery
    db.session.commit()
