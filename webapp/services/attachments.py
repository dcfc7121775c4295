"""Scans of signed letters and resolutions: who may add them; type, size, name and quota checked; checksummed."""
import hashlib
import unicodedata

from sqlalchemy import func, select

from ..authz import can_see_instance
from ..authz.attachments import may_add_attachment
from ..extensions import db
from ..models import Attachment, ProcessInstance
from .audit import append_event
from .clock import resolve_now
from .errors import Forbidden, InvalidSubmission, NotFound
from .locking import lock_instance
from .progress import FINAL_STATUSES

# The limits, in one place (docs/operations.md "Attachments"; the messages in pages/labels.py name them).
MAX_BYTES = 10 * 1024 * 1024
#: A dossier is about 15 steps with one to three signed papers each; 40 leaves room for rescans.
MAX_FILES_PER_CASE = 40
#: Ten full-size scans, or hundreds of ordinary ones: a case never needs more.
MAX_BYTES_PER_CASE = 100 * 1024 * 1024
#: Recognised by their first bytes, never by what the browser claims.
SIGNATURES = (
    (b"%PDF-", "application/pdf", (".pdf",)),
    (b"\xff\xd8\xff", "image/jpeg", (".jpg", ".jpeg")),
    (b"\x89PNG\r\n\x1a\n", "image/png", (".png",)),
)
#: Bidirectional controls: "don" + U+202E + "fdp.exe" reads as "donexe.pdf", hiding the real ending;
#: the others (embeddings, isolates, marks) reorder or disguise a name just as well.
BIDI_CONTROLS = frozenset("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def _sniff(data):
    return next(((kind, suffixes) for magic, kind, suffixes in SIGNATURES if data.startswith(magic)), (None, ()))


def _name_problem(file_name):
    """Why a file name is refused, or None: bidi controls and control characters are never shown to anyone."""
    if any(char in BIDI_CONTROLS for char in file_name):
        return "name_has_bidi_control"
    if any(unicodedata.category(char) == "Cc" for char in file_name):
        return "name_has_control_character"
    return None


def _quota_problem(instance_id, size):
    count, total = db.session.execute(select(func.count(Attachment.id), func.coalesce(func.sum(Attachment.size), 0))
                                      .where(Attachment.instance_id == instance_id)).one()
    if count >= MAX_FILES_PER_CASE:
        return "too_many_files"
    if total + size > MAX_BYTES_PER_CASE:
        return "case_quota_full"
    return None


def _checked(data, file_name):
    """(the stored name, the recognised type) of an upload, or InvalidSubmission naming what is wrong."""
    problem = _name_problem(file_name or "")
    if problem:
        raise InvalidSubmission({"file": [problem]})
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
    return name, kind


def accepts_attachments(user_id, instance_id):
    """Whether the case page and the task page offer this user the upload form (the service checks again)."""
    instance = db.session.get(ProcessInstance, instance_id)
    return instance is not None and instance.status not in FINAL_STATUSES and may_add_attachment(user_id, instance)


def add_attachment(user, instance_id, file_name, data, *, task_spec=None, now=None):
    """Attach a scan to a running case, or change nothing.

    NotFound outside the user's scope; Forbidden to a reader who neither acts on an open step nor
    keeps the cell's dossier; InvalidSubmission for a finished case, a bad file or a full quota.
    The case row is locked, so two uploads at once cannot both squeeze under the quota.
    """
    now = resolve_now(now)
    try:
        instance = db.session.get(ProcessInstance, instance_id)
        if instance is None or not can_see_instance(user.id, instance_id):
            raise NotFound("no such case in your scope")
        if not may_add_attachment(user.id, instance):
            raise Forbidden("only those acting on the case's open step and its cell secretary add attachments",
                            code="attachment_not_yours_to_add")
        instance, _hash = lock_instance(instance_id)
        if instance.status in FINAL_STATUSES:
            raise InvalidSubmission({"file": ["case_finished"]})
        name, kind = _checked(data, file_name)
        problem = _quota_problem(instance_id, len(data))
        if problem:
            raise InvalidSubmission({"file": [problem]})
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
