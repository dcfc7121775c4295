"""Comments on a case and on its steps (issue 15): written once, kept in the case's timeline.

A comment is never edited or deleted: a second thought is a new comment, so what a reader once
saw stays what was written. Each one is an audit event (`comment_added`) that carries the text's
SHA-256, not the text: the chain proves the stored comment unchanged while the words stay in
`case_comment`, readable only through `authz.notes` (the text itself is escaped when drawn).
"""
import hashlib
import unicodedata
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import select

from ..authz import (
    can_see_instance,
    case_reader,
    may_comment,
    open_steps_acted_on,
    reads_case_comments,
    reads_step_comments,
)
from ..extensions import db
from ..models import CaseComment, HumanTask, OrgUnit, ProcessInstance, User
from .audit import append_event
from .clock import resolve_now
from .errors import Forbidden, InvalidSubmission, NotFound

MAX_COMMENT_CHARS = 2000
#: The same words by the same person on the same place within this time: a second click, not a second comment.
DOUBLE_SUBMIT_WINDOW = timedelta(minutes=2)


@dataclass(frozen=True)
class CommentView:
    id: int
    human_task_id: int | None
    step_label: str | None  # the step it was written on (None: on the case)
    author_name: str
    author_role: str | None
    unit_name: str | None
    body: str
    created_at: object


def clean_comment(text):
    """The comment as stored (NFC, trimmed, Windows line ends made plain), or InvalidSubmission with a code."""
    body = unicodedata.normalize("NFC", (text or "").replace("\r\n", "\n")).strip()
    if not body:
        raise InvalidSubmission({"comment": ["comment_empty"]})
    if len(body) > MAX_COMMENT_CHARS:
        raise InvalidSubmission({"comment": ["comment_too_long"]})
    # Control and bidi-override characters would hide or reorder what others read.
    if any(unicodedata.category(ch) in ("Cc", "Cf") and ch not in "\n\t" for ch in body):
        raise InvalidSubmission({"comment": ["comment_control_characters"]})
    return body


def add_comment(user, instance_id, text, *, human_task_id=None, acting=None, now=None):
    """Record a comment on the case (or on its step `human_task_id`); one unit of work.

    NotFound when the case (or the step) is not in the user's scope; Forbidden when they may see
    the case but not write there; InvalidSubmission for empty, too long or hidden characters, and
    for the same words sent twice in a row.
    """
    now = resolve_now(now)
    instance = db.session.get(ProcessInstance, instance_id)
    if instance is None or not can_see_instance(user.id, instance_id):
        raise NotFound("no such case in your scope")
    task = None
    if human_task_id is not None:
        task = db.session.get(HumanTask, human_task_id)
        if task is None or task.instance_id != instance_id:
            raise NotFound("no such step in this case")
    reader = case_reader(user.id, instance, acting.assignment_id if acting else None)
    acts = task is not None and task.id in open_steps_acted_on(user.id, instance_id, acting)
    if not may_comment(reader, task.form_name if task else None, on_step=task is not None, acts_on_step=acts):
        raise Forbidden("your role does not comment here", code="comment_not_for_your_role")
    body = clean_comment(text)
    last = db.session.execute(
        select(CaseComment.body, CaseComment.created_at)
        .where(CaseComment.instance_id == instance_id, CaseComment.author_id == user.id,
               CaseComment.human_task_id.is_(None) if task is None else CaseComment.human_task_id == task.id)
        .order_by(CaseComment.id.desc()).limit(1)).first()
    if last is not None and last.body == body and now - last.created_at < DOUBLE_SUBMIT_WINDOW:
        raise InvalidSubmission({"comment": ["comment_duplicate"]})
    comment = CaseComment(instance_id=instance_id, human_task_id=task.id if task else None, author_id=user.id,
                          author_role=reader.role, author_unit_id=reader.unit_id, body=body, created_at=now)
    db.session.add(comment)
    db.session.flush()
    append_event(kind="comment_added", occurred_at=now, instance_id=instance_id, actor=user,
                 actor_role=reader.role, actor_unit_id=reader.unit_id, task_spec=task.spec_name if task else None,
                 payload={"comment_id": comment.id, "human_task_id": task.id if task else None,
                          "label": task.label if task else "", "chars": len(body),
                          "sha256": hashlib.sha256(body.encode()).hexdigest()})
    db.session.commit()
    return comment


def case_comments(user_id, instance_id, acting_assignment_id=None):
    """(comments this reader reads, oldest first; may they write on the case). One case, two reads.

    Nothing is checked here that the page did not already check (the case is in scope): callers
    draw a page of a case they have opened.
    """
    instance = db.session.get(ProcessInstance, instance_id)
    if instance is None or not can_see_instance(user_id, instance_id):
        return (), False
    reader = case_reader(user_id, instance, acting_assignment_id)
    rows = db.session.execute(
        select(CaseComment, User.full_name, OrgUnit.name, HumanTask.label, HumanTask.form_name)
        .join(User, User.id == CaseComment.author_id)
        .outerjoin(OrgUnit, OrgUnit.id == CaseComment.author_unit_id)
        .outerjoin(HumanTask, HumanTask.id == CaseComment.human_task_id)
        .where(CaseComment.instance_id == instance_id).order_by(CaseComment.id)).all()
    shown = []
    for comment, author, unit, label, form_name in rows:
        readable = (reads_step_comments(reader, form_name, comment.author_id) if comment.human_task_id
                    else reads_case_comments(reader))
        if readable:
            shown.append(CommentView(comment.id, comment.human_task_id, label, author, comment.author_role, unit,
                                     comment.body, comment.created_at))
    return tuple(shown), reads_case_comments(reader)


def comment_texts(user_id, instance_id, acting_assignment_id=None):
    """{comment id: CommentView} of the comments this reader reads: the timeline shows them by their event."""
    comments, _writes = case_comments(user_id, instance_id, acting_assignment_id)
    return {comment.id: comment for comment in comments}
