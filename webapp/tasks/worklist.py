"""Claim, release and hand over a task; "done by me"; saved inbox filters (issue 15).

Each POST calls one service and goes back where the person was, with what happened said in
words. A refusal the person can do something about (a colleague has it, a name already used) is
a message on the page they came from; a forged request (not of the task's body, another
person's filter) gets the 403/404 page and changes nothing.
"""
from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required

from ..pages.converters import url_int
from ..pages.search_keys import KEY, recall, remember
from ..services.errors import TaskAlreadyCompleted
from ..services.worklist import (
    ClaimRefused,
    FilterRefused,
    claim_task,
    delete_filter,
    done_by,
    hand_over_task,
    release_task,
    save_filter,
    saved_filter,
)

blueprint = Blueprint("worklist", __name__)

#: What a refusal says, by the service's code (services/worklist).
REFUSALS = {
    "claimed_by_another": _l("Đồng chí %(name)s đang nhận việc này. Hãy trao đổi với đồng chí ấy; bạn vẫn có "
                             "thể ghi nhận bước này (sẽ được hỏi xác nhận)."),
    "not_your_claim": _l("Bạn không giữ việc này nên không trả lại được."),
    "hand_over_to_yourself": _l("Hãy chọn một đồng chí khác để giao việc."),
    "colleague_not_of_the_body": _l("Chỉ giao được cho người cùng vai trò ở cùng đơn vị của bước này; người được "
                                    "chọn không thuộc tập thể đó."),
    "note_too_long": _l("Lời nhắn dài quá %(max)d ký tự."),
    "filter_name_missing": _l("Hãy đặt tên cho bộ lọc."),
    "filter_name_too_long": _l("Tên bộ lọc dài quá %(max)d ký tự."),
    "filter_name_taken": _l("Bạn đã có bộ lọc tên «%(name)s»; hãy chọn tên khác."),
    "too_many_filters": _l("Mỗi người lưu được tối đa %(max)d bộ lọc; hãy xoá bớt một bộ lọc cũ."),
}
FILTER_FIELDS = ("step", "unit", "due", "sort", "claim")


def _said(refusal):
    text = REFUSALS[refusal.code]
    return str(text % refusal.params if refusal.params else text)


def _back_to_task(task_id):
    return redirect(url_for("tasks.task", task_id=task_id), 303)


def _done_elsewhere(task_id):
    """The task was completed meanwhile: the task page itself says by whom and leads to the case."""
    return _back_to_task(task_id)


@blueprint.post("/tasks/<int:task_id>/claim")
@login_required
def claim(task_id):
    try:
        claim_task(current_user, task_id)
    except ClaimRefused as refused:
        flash(_said(refused), "warning")
    except TaskAlreadyCompleted:
        return _done_elsewhere(task_id)
    else:
        flash(_("Bạn đã nhận việc này. Các đồng chí cùng tập thể sẽ thấy bạn đang làm."), "success")
    return _back_to_task(task_id)


@blueprint.post("/tasks/<int:task_id>/release")
@login_required
def release(task_id):
    try:
        release_task(current_user, task_id)
    except ClaimRefused as refused:
        flash(_said(refused), "warning")
    except TaskAlreadyCompleted:
        return _done_elsewhere(task_id)
    else:
        flash(_("Đã trả lại việc cho cả tập thể."), "success")
    return _back_to_task(task_id)


@blueprint.post("/tasks/<int:task_id>/hand-over")
@login_required
def hand_over(task_id):
    colleague_id = url_int(request.form.get("colleague", ""))
    try:
        colleague = hand_over_task(current_user, task_id, colleague_id, request.form.get("note", ""))
    except ClaimRefused as refused:
        flash(_said(refused), "danger")
        return _back_to_task(task_id)
    except TaskAlreadyCompleted:
        return _done_elsewhere(task_id)
    flash(_("Đã giao việc cho đồng chí %(name)s.", name=colleague.full_name), "success")
    return redirect(url_for("tasks.inbox"), 303)


@blueprint.get("/inbox/done")
@login_required
def done():
    page = done_by(current_user, url_int(request.args.get("page", ""), 1) or 1)
    return render_template("tasks/done.html", page=page)


@blueprint.post("/inbox/filters")
@login_required
def save():
    fields = {name: request.form.get(name) or None for name in FILTER_FIELDS}
    try:
        saved = save_filter(current_user, request.form.get("name", ""), step=fields["step"],
                            unit_id=url_int(fields["unit"] or ""), due=fields["due"],
                            sort=fields["sort"] or "arrived", claim=fields["claim"],
                            search=recall(request.form.get(KEY)))
    except FilterRefused as refused:
        flash(_said(refused), "danger")
    else:
        flash(_("Đã lưu bộ lọc «%(name)s».", name=saved.name), "success")
    return _inbox_with(fields, request.form.get(KEY))


@blueprint.get("/inbox/filters/<int:filter_id>")
@login_required
def apply(filter_id):
    """The inbox as the filter says; its search text goes into this session's key, never the address."""
    saved = saved_filter(current_user, filter_id)
    fields = {"step": saved.step, "unit": saved.unit_id, "due": saved.due, "sort": saved.sort, "claim": saved.claim}
    return _inbox_with(fields, remember(saved.search), saved=saved.id)


@blueprint.post("/inbox/filters/<int:filter_id>/delete")
@login_required
def delete(filter_id):
    name = delete_filter(current_user, filter_id)
    flash(_("Đã xoá bộ lọc «%(name)s».", name=name), "success")
    return redirect(url_for("tasks.inbox"), 303)


def _inbox_with(fields, key, **extra):
    args = {name: value for name, value in fields.items() if value not in (None, "")}
    if key:
        args[KEY] = key
    return redirect(url_for("tasks.inbox", **args, **extra), 303)
