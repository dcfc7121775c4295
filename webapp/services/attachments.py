"""Scans of signed letters and resolutions: type and size checked, stored with a checksum."""
import hashlib

from sqlalchemy import exists, select

from ..authz import can_see_instance
from ..extensions import db
from ..models import Attachment, ProcessInstance, RoleAssignment, UnitClosure
from .audit import append_event
from .clock import resolve_now
from .errors import Forbidden, InvalidSubmission, NotFound

MAX_BYTES = 10 * 1024 * 1024
#: Recognised by their first bytes, never by what the browser claims.
SIGNATURES = (
    (b"%PDF-", "application/pdf", (".pdf",)),
    (b"\xff\xd8\xff", "image/jpeg", (".jpg", ".jpeg")),
    (b"\x89PNG\r\n\x1a\n", "image/png", (".png",)),
)


def _sniff(data):
    return next(((kind, suffixes) for magic, kind, suffixes in SIGNATURES if data.startswith(magic)), (None, ()))


def _may_add(user_id, unit_id):
    """Anyone acting on cases of this unit may attach; auditors only read."""
    return db.session.execute(select(exists(
        select(RoleAssignment.id).join(UnitClosure, UnitClosure.ancestor_id == RoleAssignment.unit_id)
        .where(RoleAssignment.user_id == user_id, RoleAssignment.role != "auditor",
               UnitClosure.descendant_id == unit_id)))).scalar()


def add_attachment(user, instance_id, file_name, data, *, task_spec=None, now=None):
    now = resolve_now(now)
    try:
        instance = db.session.get(ProcessInstance, instance_id)
        if instance is None or not can_see_instance(user.id, instance_id):
            raise NotFound("no such case in your scope")
        if not _may_add(user.id, instance.unit_id):
            raise Forbidden("auditors read attachments but do not add them")
        name = (file_name or "").replace("\\", "/").rsplit("/", 1)[-1].strip()[:200]
        if not data:
            raise InvalidSubmission({"file": ["empty_file"]})
        if len(data) > MAX_BYTES:
            raise InvalidSubmission({"file": ["too_large"]})
        kind, suffixes = _sniff(data)
        if kind is None:
            raise InvalidSubmission({"file": ["unsupported_type"]})
        if not name or not name.lower().endswith(suffixes):
            raise InvalidSubmission({"file": ["name_does_not_match_type"]})
        digest = hashlib.sha256(data).hexdigest()
        attachment = Attachment(instance_id=instance_id, task_spec=task_spec, file_name=name, content_type=kind,
                                size=len(data), sha256=digest, uploaded_by_id=user.id, uploaded_at=now,
                                content=data)
        db.session.add(attachment)
        db.session.flush()
        append_event(kind="attachment_added", occurred_at=now, instance_id=instance_id, actor=user,
                     payload={"attachment_id": attachment.id, "file_name": name, "content_type": kind,
                              "size": len(data), "sha256": digest, "task_spec": task_spec})
        db.session.commit()
        return attachment
    except Exception:
        db.session.rollback()
        raise


def attachment_for_download(user_id, attachment_id):
    attachment = db.session.get(Attachment, attachment_id)
    if attachment is None or not can_see_instance(user_id, attachment.instance_id):
        raise NotFound("no such attachment in your scope")
    if hashlib.sha256(attachment.content).hexdigest() != attachment.sha256:
        raise NotFound("the stored file no longer matches its checksum")
    return attachment
