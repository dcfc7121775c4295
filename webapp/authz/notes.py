"""Who reads and writes comments on a case, and who may reopen a submitted step (issue 15).

Comments follow the case, not its data: everyone an organisation role puts the case in front of
reads a comment on the case (the auditors included), because that is what a note on a file is
for. A comment on one step is read only by the readers of that step's kind of data
(`need_to_know`), and always by its author: a remark beside the verification answer may quote
it. The applicant reads no comments (they are the organisation's working notes on a file about
them; their own voice is their forms), and an administrator runs the software, not the cases.

A correction is the submitting body's, or the level above's: the step's role in the step's
unit (its assignee, for the applicant's own steps), or a deciding body held strictly above the
step's unit (the sub-committee or grassroots committee over a cell, the standing committee over
a commune's committee …). An auditor checks, an administrator moves cases between versions:
neither reopens anyone's act.
"""
from sqlalchemy import select

from ..extensions import db
from ..models import RoleAssignment, UnitClosure
from .need_to_know import section_of

#: Roles whose readers never see comments, whatever else they read.
NOT_COMMENT_READERS = frozenset({"admin", "applicant"})
#: The bodies that may reopen a step of a unit below them.
CORRECTING_BODIES = frozenset({"cell_secretary", "subcommittee", "grassroots_committee", "org_board",
                               "standing_committee"})
SAME_BODY, LEVEL_ABOVE = "same_body", "level_above"


def reads_case_comments(reader):
    """May this reader (need_to_know.Reader) read the comments on the case as a whole?"""
    return bool(reader.roles - NOT_COMMENT_READERS)


def reads_step_comments(reader, form_name, author_id=None):
    """A comment on a step: read by the case's comment readers who also read that step's data."""
    if author_id is not None and author_id == reader.user_id:
        return True
    return reads_case_comments(reader) and reader.reads(section_of(form_name))


def may_comment(reader, form_name=None, *, on_step=False, acts_on_step=False):
    """Writing is reading: a person writes where they read (on a step, where they read its data).

    The person an open step waits for may always comment on it (the verifier on the verification
    answer, the applicant on their own application), and reads what they wrote there.
    """
    if on_step and acts_on_step:
        return True
    return reads_step_comments(reader, form_name) if on_step else reads_case_comments(reader)


def correction_right(user_id, task, acting_assignment_id=None):
    """SAME_BODY, LEVEL_ABOVE or None: may this user reopen the completed `task`, and as whom?

    With `acting_assignment_id` (the role they act in) only that role counts.
    """
    if task.assignee_id is not None and task.assignee_id == user_id:
        return SAME_BODY
    held = select(RoleAssignment.id, RoleAssignment.role, RoleAssignment.unit_id).where(
        RoleAssignment.user_id == user_id)
    if acting_assignment_id is not None:
        held = held.where(RoleAssignment.id == acting_assignment_id)
    rows = db.session.execute(held).all()
    if task.assignee_id is None and any(r.role == task.role and r.unit_id == task.unit_id for r in rows):
        return SAME_BODY
    deciding = [r.unit_id for r in rows if r.role in CORRECTING_BODIES and r.unit_id != task.unit_id]
    if deciding and db.session.execute(select(UnitClosure.depth).where(
            UnitClosure.ancestor_id.in_(deciding), UnitClosure.descendant_id == task.unit_id,
            UnitClosure.depth > 0).limit(1)).first() is not None:
        return LEVEL_ABOVE
    return None
