"""What the task page says about who else has the task (issue 15): its claim, colleagues with it open,
and, on submit, the sentence a colleague confirms before recording in the holder's place.

Used by the task routes (routes.py); the words are here so the routes stay about the form.
"""
from flask_babel import gettext as _

from ..pages.formatting import dmy_hm
from ..services.worklist import claim_view, claimed_by_another, note_presence, others_with_it_open


def task_panel(user, task, *, viewed):
    """The claim box of the task page; `viewed` (a GET) also records that this user has it open."""
    if viewed:
        note_presence(user, task)
    return {"claim": claim_view(user, task), "others_open": others_with_it_open(user, task)}


def claim_warnings(user, task):
    """[sentence] when a colleague holds the task: the submit is asked to confirm it (with the form's
    own confirmations, so a changed holder or time asks again); [] otherwise."""
    holder = claimed_by_another(user, task)
    if holder is None:
        return []
    return [_("Việc này đang do đồng chí %(name)s nhận làm (từ %(time)s). Gửi bây giờ là ghi nhận thay đồng chí ấy.",
              name=holder.full_name, time=dmy_hm(holder.claimed_at))]
