"""On the task page (issue 15): save a draft of the form, throw it away, write a comment on the step.

The draft and comment buttons belong to the task form (`formaction`), so what was typed comes
along: a draft stores it, a comment shows it again, kept. Refusals are said in words, with the
status they are; nothing is changed by a refused request.
"""
from flask import flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ..pages.acting import current_acting
from ..pages.formatting import dmy_hm
from ..pages.notes_texts import note_text
from ..services import Forbidden, InvalidSubmission, TaskAlreadyCompleted, task_page
from ..services.comments import add_comment, case_comments
from ..services.corrections import latest_reopening
from ..services.drafts import discard_draft, save_draft, saved_draft
from .routes import _already_done, _render_task, _task_form, blueprint


@blueprint.post("/tasks/<int:task_id>/draft")
@login_required
def save_task_draft(task_id):
    acting = current_acting()
    try:
        saved_at = save_draft(current_user, task_id, request.form, acting_assignment_id=acting.assignment_id)
    except TaskAlreadyCompleted as done:
        return _already_done(done.args[0], task_id)
    except InvalidSubmission as invalid:
        page = task_page(current_user, task_id, acting.assignment_id)
        return _render_task(page, _task_form(page, request.form), 413,
                            " ".join(str(note_text(code)) for code in invalid.errors.get("_form", [])))
    flash(_("Đã lưu nháp lúc %(time)s. Chỉ bạn thấy bản nháp này; khi gửi, bản nháp được xóa.",
            time=dmy_hm(saved_at)), "success")
    return redirect(url_for("tasks.task", task_id=task_id))


@blueprint.post("/tasks/<int:task_id>/draft/discard")
@login_required
def discard_task_draft(task_id):
    acting = current_acting()
    try:
        task_page(current_user, task_id, acting.assignment_id, case_data=False)  # the same check as the page
    except TaskAlreadyCompleted as done:
        return _already_done(done.args[0], task_id)
    discard_draft(current_user.id, task_id)
    flash(_("Đã bỏ bản nháp."), "info")
    return redirect(url_for("tasks.task", task_id=task_id))


@blueprint.post("/tasks/<int:task_id>/comments")
@login_required
def comment_on_task(task_id):
    """A comment on this step, written on its page; the form's typed values are shown again, kept."""
    acting = current_acting()
    try:
        page = task_page(current_user, task_id, acting.assignment_id)
    except TaskAlreadyCompleted as done:
        return _already_done(done.args[0], task_id)
    form = _task_form(page, request.form) if page.definition is not None else None
    try:
        add_comment(current_user, page.task.instance_id, request.form.get("_comment", ""),
                    human_task_id=page.task.id, acting=acting)
    except InvalidSubmission as invalid:
        return _render_task(page, form, 422, " ".join(str(note_text(c)) for c in invalid.errors.get("comment", [])))
    except Forbidden as refused:
        return _render_task(page, form, 403, str(note_text(refused.code)))
    flash(_("Đã ghi ý kiến."), "success")
    return _render_task(page, form)


@blueprint.app_template_global()
def comments_of_case(instance_id):
    """(comments the signed-in reader reads, may they write on the case) for a case page or task page."""
    acting = current_acting()
    return case_comments(current_user.id, instance_id, acting.assignment_id if acting else None)


@blueprint.app_template_global()
def my_draft(task_id):
    """The signed-in person's own draft of this open task (when it was saved), else None."""
    return saved_draft(current_user.id, task_id)


@blueprint.app_template_global()
def reopened_because(task_id):
    """The latest reopening of this open task (who, why), for the notice on its page; None if never."""
    return latest_reopening(task_id)
