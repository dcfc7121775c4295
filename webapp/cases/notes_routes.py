"""On the case page (issue 15): comments on the case, and reopening its last step for correction.

A refusal draws the case page again with the reason in words and its own status (422 for what
the person can fix, 403 for what they may not do, 409 for a page drawn before the case changed);
nothing is changed by a refused request.
"""
from flask import flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ..pages.acting import current_acting
from ..pages.converters import url_int
from ..pages.notes_texts import note_text
from ..services import Forbidden, InvalidSubmission, StaleCase, steps_to_open
from ..services.comments import add_comment, comment_texts
from ..services.corrections import case_corrections, correctable_step, reopen_step
from .routes import blueprint, detail


def _case_page_again(instance_id, message, status):
    flash(message, "danger")
    return detail(instance_id), status


@blueprint.post("/cases/<int:instance_id>/comments")
@login_required
def comment_on_case(instance_id):
    acting = current_acting()
    try:
        add_comment(current_user, instance_id, request.form.get("comment", ""), acting=acting)
    except InvalidSubmission as invalid:
        words = " ".join(str(note_text(code)) for code in invalid.errors.get("comment", []))
        return _case_page_again(instance_id, words, 422)
    except Forbidden as refused:
        return _case_page_again(instance_id, str(note_text(refused.code)), 403)
    flash(_("Đã ghi ý kiến."), "success")
    return redirect(url_for("cases.detail", instance_id=instance_id, _anchor="comments"))


@blueprint.post("/cases/<int:instance_id>/steps/<int:task_id>/reopen")
@login_required
def reopen(instance_id, task_id):
    acting = current_acting()
    try:
        correction = reopen_step(current_user, task_id, request.form.get("reason", ""), instance_id=instance_id,
                                 acting_assignment_id=acting.assignment_id if acting else None,
                                 seen_version=url_int(request.form.get("_seen_version", "")))
    except InvalidSubmission as invalid:
        return _case_page_again(instance_id, " ".join(str(note_text(c)) for c in invalid.errors.get("reason", [])),
                                422)
    except StaleCase:
        return _case_page_again(instance_id, _("Hồ sơ vừa thay đổi kể từ khi bạn mở trang. Hãy xem lại rồi làm "
                                               "lại nếu vẫn cần."), 409)
    except Forbidden as refused:
        return _case_page_again(instance_id, str(note_text(refused.code)), 403)
    flash(_("Đã mở lại bước để sửa. Giá trị đã ghi nhận trước được giữ trong lịch sử hồ sơ."), "success")
    if correction.human_task_id in steps_to_open(current_user, instance_id, acting):
        return redirect(url_for("tasks.task", task_id=correction.human_task_id))
    return redirect(url_for("cases.detail", instance_id=instance_id))


@blueprint.app_template_global()
def corrections_of_case(instance_id):
    """Every reopening of the case's steps as the signed-in reader reads them."""
    acting = current_acting()
    return case_corrections(current_user.id, instance_id, acting.assignment_id if acting else None)


@blueprint.app_template_global()
def step_to_correct(instance_id):
    """The step the signed-in reader may reopen now (the case's last act), else None."""
    return correctable_step(current_user, instance_id, current_acting())


@blueprint.app_template_global()
def timeline_comments(instance_id):
    """{comment id: comment} the reader reads, read once per request for the whole timeline."""
    key = f"ketnap.timeline_comments.{instance_id}"
    if key not in request.environ:
        acting = current_acting()
        request.environ[key] = comment_texts(current_user.id, instance_id, acting.assignment_id if acting else None)
    return request.environ[key]
