"""The verification requests of a case: what was sent where and its state, for those who see the
case; the form to send them, for the case's cell secretary; and where the residence comment is
written. Rules in services/verification_letters and services/residence_comment."""
from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from flask_wtf import FlaskForm

from ..authz.verification import may_send_verification
from ..models.verification import PERSONS, SENT_BY
from ..services import visible_instance
from ..services.clock import VIETNAM, resolve_now
from ..services.errors import Forbidden, InvalidSubmission, NotFound
from ..services.register.keeping import parse_day
from ..services.residence_comment import residence_step, send_to_residence_cell
from ..services.verification_letters import addressee_suggestions, places_to_verify, send_request, unit_by_code

blueprint = Blueprint("verification", __name__)

ERRORS = {
    "number_needed": lambda: _("Hãy ghi số công văn (tối đa 60 ký tự), ví dụ 20-CV/CB."),
    "date_needed": lambda: _("Hãy nhập ngày gửi (dd/mm/yyyy)."),
    "bad_date": lambda: _("Ngày không hợp lệ (dd/mm/yyyy)."),
    "sent_in_future": lambda: _("Ngày gửi không được sau hôm nay."),
    "sent_before_application": lambda: _("Ngày gửi không được trước ngày làm đơn xin vào Đảng."),
    "persons_needed": lambda: _("Hãy chọn người cần thẩm tra (người xin vào Đảng, cha, mẹ…)."),
    "unknown_way": lambda: _("Hãy chọn cách gửi trong danh sách."),
    "addressee_needed": lambda: _("Hãy nhập mã đơn vị nhận trong hệ thống, "
                                  "hoặc tên và địa chỉ nơi nhận ngoài hệ thống."),
    "unknown_unit": lambda: _("Không có đơn vị nào mang mã này."),
    "one_addressee": lambda: _("Chỉ một nơi nhận: hoặc đơn vị trong hệ thống, hoặc tổ chức ngoài hệ thống."),
    "nobody_answers": lambda: _("Đơn vị này chưa có ai giữ vai trò trả lời thẩm tra; "
                                "hãy gửi như văn bản ngoài hệ thống."),
    "already_sent": lambda: _("Nơi này đã được gửi công văn thẩm tra."),
    "step_not_open": lambda: _("Bước thẩm tra của nơi này đã xong."),
    "residence_step_not_open": lambda: _("Bước nhận xét nơi cư trú hiện không chờ ai: hồ sơ chưa đến bước này, "
                                         "hoặc bước đã xong."),
    "residence_already_sent": lambda: _("Bước nhận xét nơi cư trú đã được gửi đến chi bộ nơi cư trú."),
    "residence_not_a_cell": lambda: _("Nhận xét nơi cư trú do một chi bộ khác (nơi người xin vào Đảng cư trú) viết: "
                                      "hãy nhập mã chi bộ đó."),
}


def _page(instance_id, errors=None, values=None, status=200):
    instance = visible_instance(current_user.id, instance_id)
    today = resolve_now().astimezone(VIETNAM).date()
    words = {field: [ERRORS[code]() for code in codes] for field, codes in (errors or {}).items()}
    return render_template("verification/index.html", instance=instance, places=places_to_verify(instance.id, today),
                           may_send=may_send_verification(current_user.id, instance), persons=PERSONS,
                           ways=SENT_BY, suggestions=addressee_suggestions(), errors=words, values=values or {},
                           residence=residence_step(instance.id), form=FlaskForm()), status


@blueprint.get("/cases/<int:instance_id>/verification")
@login_required
def index(instance_id):
    return _page(instance_id)


@blueprint.post("/cases/<int:instance_id>/verification/<int:task_id>")
@login_required
def send(instance_id, task_id):
    visible_instance(current_user.id, instance_id)
    if not FlaskForm().validate_on_submit():
        flash(_("Trang đã cũ, hãy thử lại."), "warning")
        return redirect(url_for(".index", instance_id=instance_id))
    values = {key: request.form.get(key, "") for key in ("number", "sent_on", "unit_code", "addressee_name",
                                                           "addressee_address", "sent_by")}
    values["task_id"], values["persons"] = task_id, request.form.getlist("persons")
    errors = {}
    try:
        sent_on = parse_day(values["sent_on"])
    except ValueError:
        sent_on, errors["sent_on"] = None, ["bad_date"]
    unit = unit_by_code(values["unit_code"])
    if values["unit_code"].strip() and unit is None:
        errors["addressee"] = ["unknown_unit"]
    if errors:
        return _page(instance_id, errors, values, 422)
    try:
        send_request(current_user, task_id, number=values["number"], sent_on=sent_on, persons=values["persons"],
                     addressee_unit_id=unit.id if unit else None, addressee_name=values["addressee_name"],
                     addressee_address=values["addressee_address"], sent_by=values["sent_by"],
                     instance_id=instance_id)
    except InvalidSubmission as refused:
        return _page(instance_id, refused.errors, values, 422)
    except Forbidden:
        return render_template("error.html", title=_("Không có quyền"),
                               message=_("Chỉ bí thư chi bộ của hồ sơ mới gửi công văn thẩm tra.")), 403
    except NotFound:
        return render_template("error.html", title=_("Không tìm thấy"),
                               message=_("Không có bước thẩm tra này trong hồ sơ.")), 404
    flash(_("Đã ghi công văn thẩm tra."), "success")
    return redirect(url_for(".index", instance_id=instance_id))


@blueprint.post("/cases/<int:instance_id>/verification/residence")
@login_required
def send_residence(instance_id):
    """The residence comment step goes to the residence cell's own secretary (a cell of the tree)."""
    instance = visible_instance(current_user.id, instance_id)
    if not may_send_verification(current_user.id, instance):  # who may, before what was typed
        return _not_the_sender()
    if not FlaskForm().validate_on_submit():
        flash(_("Trang đã cũ, hãy thử lại."), "warning")
        return redirect(url_for(".index", instance_id=instance_id))
    code = request.form.get("residence_unit_code", "")
    unit = unit_by_code(code)
    values = {"residence_unit_code": code}
    if unit is None:
        return _page(instance_id, {"residence": ["unknown_unit"]}, values, 422)
    try:
        send_to_residence_cell(current_user, instance_id, unit.id)
    except InvalidSubmission as refused:
        return _page(instance_id, refused.errors, values, 422)
    except Forbidden:
        return _not_the_sender()
    flash(_("Đã chuyển bước nhận xét đến %(unit)s.", unit=unit.name), "success")
    return redirect(url_for(".index", instance_id=instance_id))


def _not_the_sender():
    return render_template("error.html", title=_("Không có quyền"),
                           message=_("Chỉ bí thư chi bộ của hồ sơ mới gửi bước nhận xét nơi cư trú.")), 403
