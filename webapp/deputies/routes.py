"""Deputies during leave: a holder names a colleague of the same body for a period, and either of
them (or an administrator) sees it; the holder cancels it. The rules are in services/deputies.py."""
from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from flask_wtf import FlaskForm

from ..pages.acting import current_acting
from ..services.deputies import (
    MAX_DAYS,
    cancel_deputyship,
    candidates,
    deputisable_roles,
    deputyships_for,
    name_deputy,
)
from ..services.errors import Forbidden, InvalidSubmission, NotFound
from ..services.register.keeping import parse_day

blueprint = Blueprint("deputies", __name__, url_prefix="/deputies")

ERRORS = {
    "deputy_unknown": lambda: _("Hãy chọn một đồng chí trong danh sách."),
    "deputy_is_holder": lambda: _("Không thể tự cử mình làm thay."),
    "deputy_not_same_body": lambda: _("Người làm thay phải là người của cùng đơn vị (có vai trò tại đơn vị này)."),
    "deputy_holds_role": lambda: _("Đồng chí này đã giữ vai trò này tại đơn vị, không cần làm thay."),
    "date_needed": lambda: _("Hãy nhập ngày (dd/mm/yyyy)."),
    "bad_date": lambda: _("Ngày không hợp lệ (dd/mm/yyyy)."),
    "starts_in_past": lambda: _("Ngày bắt đầu không được trước hôm nay."),
    "ends_before_start": lambda: _("Ngày kết thúc không được trước ngày bắt đầu."),
    "too_long": lambda: _("Một lần cử làm thay dài tối đa %(days)d ngày.", days=MAX_DAYS),
    "overlaps": lambda: _("Trong thời gian này đã có người làm thay cho vai trò này (hoặc đồng chí này đã làm thay)."),
    "reason_needed": lambda: _("Hãy ghi lý do (ví dụ: nghỉ phép, đi học tập trung)."),
    "reason_too_long": lambda: _("Lý do tối đa 300 ký tự."),
}


def _page(errors=None, values=None, status=200):
    roles = deputisable_roles(current_user)
    chosen = (values or {}).get("assignment_id") or (current_acting().assignment_id if current_acting() else None)
    if chosen and int(chosen) not in {assignment_id for assignment_id, _role, _unit in roles}:
        chosen = roles[0][0] if roles else None
    people = candidates(current_user, int(chosen)) if chosen else []
    words = {field: [ERRORS[code]() for code in codes] for field, codes in (errors or {}).items()}
    return render_template("deputies/index.html", rows=deputyships_for(current_user), roles=roles, people=people,
                           chosen=int(chosen) if chosen else None, errors=words, values=values or {},
                           form=FlaskForm()), status


@blueprint.route("/", methods=["GET"])
@login_required
def index():
    picked = request.args.get("assignment_id", type=int)
    values = {"assignment_id": picked} if picked else None
    return _page(values=values)


@blueprint.route("/", methods=["POST"])
@login_required
def name():
    if not FlaskForm().validate_on_submit():
        flash(_("Trang đã cũ, hãy thử lại."), "warning")
        return redirect(url_for(".index"))
    values = {key: request.form.get(key, "") for key in ("assignment_id", "deputy_id", "starts_on", "ends_on",
                                                           "reason")}
    errors, days = {}, {}
    for key in ("starts_on", "ends_on"):
        try:
            days[key] = parse_day(values[key])
        except ValueError:
            errors[key] = ["bad_date"]
    assignment_id = request.form.get("assignment_id", type=int)
    deputy_id = request.form.get("deputy_id", type=int)
    if errors:
        return _page(errors, values, 422)
    try:
        name_deputy(current_user, assignment_id=assignment_id, deputy_id=deputy_id, starts_on=days["starts_on"],
                    ends_on=days["ends_on"], reason=values["reason"])
    except InvalidSubmission as refused:
        return _page(refused.errors, values, 422)
    except Forbidden:
        return render_template("error.html", title=_("Không có quyền"),
                               message=_("Chỉ người giữ vai trò mới cử được người làm thay cho vai trò đó.")), 403
    flash(_("Đã cử người làm thay."), "success")
    return redirect(url_for(".index"))


@blueprint.route("/<int:deputyship_id>/cancel", methods=["POST"])
@login_required
def cancel(deputyship_id):
    if not FlaskForm().validate_on_submit():
        flash(_("Trang đã cũ, hãy thử lại."), "warning")
        return redirect(url_for(".index"))
    acting = current_acting()
    try:
        cancel_deputyship(current_user, deputyship_id, is_admin=bool(acting and acting.role == "admin"))
    except NotFound:
        return render_template("error.html", title=_("Không tìm thấy"),
                               message=_("Không có lần cử làm thay này.")), 404
    except Forbidden:
        return render_template("error.html", title=_("Không có quyền"),
                               message=_("Chỉ người đã cử mới hủy được, và chỉ khi việc làm thay chưa kết thúc.")), 403
    flash(_("Đã hủy việc làm thay."), "success")
    return redirect(url_for(".index"))
