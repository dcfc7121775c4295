"""The notice centre: a user's own notices, marking them read, and the e-mail copies they want.

Every page shows only the signed-in user's own notices; another user's notice id is a 404.
"""
from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ..services.errors import InvalidSubmission, NotFound
from ..services.notices import (
    PAGE_SIZE,
    mark_all_read,
    mark_read,
    notice_setting,
    notices_for,
    save_notice_setting,
    unread_count,
)
from .forms import MarkReadForm, NoticeSettingForm

blueprint = Blueprint("notices", __name__, url_prefix="/notices")

SETTING_ERRORS = {
    "bad_email": lambda: _("Địa chỉ thư điện tử không hợp lệ (ví dụ: ten@donvi.vn)."),
    "email_needed": lambda: _("Hãy nhập địa chỉ thư điện tử để nhận bản sao qua thư, hoặc chọn “Không gửi thư”."),
    "unknown_delivery": lambda: _("Hãy chọn một cách gửi trong danh sách."),
}


@blueprint.app_context_processor
def _unread():
    """The menu's count, asked for by base.html only when someone is signed in (one indexed COUNT)."""
    return {"unread_notices": lambda: unread_count(current_user.id) if current_user.is_authenticated else 0}


@blueprint.errorhandler(NotFound)
def _not_found(_error):
    return render_template("error.html", title=_("Không tìm thấy"),
                           message=_("Không có thông báo này trong hộp thông báo của bạn.")), 404


@blueprint.route("/")
@login_required
def index():
    page = request.args.get("page", 1, type=int) or 1
    rows, total = notices_for(current_user.id, page)
    return render_template("notices/index.html", rows=rows, total=total, page=max(1, page), per_page=PAGE_SIZE,
                           form=MarkReadForm())


@blueprint.route("/<int:notice_id>/read", methods=["POST"])
@login_required
def read(notice_id):
    if not MarkReadForm().validate_on_submit():
        flash(_("Trang đã cũ, hãy thử lại."), "warning")
        return redirect(url_for(".index"))
    notice = mark_read(current_user, notice_id)
    if request.form.get("open") and notice.instance_id:
        return redirect(url_for("cases.detail", instance_id=notice.instance_id))
    return redirect(url_for(".index"))


@blueprint.route("/read-all", methods=["POST"])
@login_required
def read_all():
    if MarkReadForm().validate_on_submit():
        changed = mark_all_read(current_user)
        flash(_("Đã đánh dấu %(n)d thông báo là đã đọc.", n=changed), "success")
    else:
        flash(_("Trang đã cũ, hãy thử lại."), "warning")
    return redirect(url_for(".index"))


@blueprint.route("/settings", methods=["GET", "POST"])
@login_required
def settings():
    setting = notice_setting(current_user.id)
    form = NoticeSettingForm(data={"email": setting.email, "delivery": setting.delivery} if setting else None)
    if request.method == "POST":
        if not form.validate_on_submit():
            if form.csrf_token.errors:
                flash(_("Trang đã cũ, hãy thử lại."), "warning")
                return render_template("notices/settings.html", form=form), 400
            form.delivery.errors = [SETTING_ERRORS["unknown_delivery"]()]  # a choice not offered
            return render_template("notices/settings.html", form=form), 422
        try:
            save_notice_setting(current_user, email=form.email.data, delivery=form.delivery.data)
        except InvalidSubmission as refused:
            for field, codes in refused.errors.items():
                getattr(form, field).errors = [SETTING_ERRORS[code]() for code in codes]
            return render_template("notices/settings.html", form=form), 422
        flash(_("Đã lưu cách nhận thông báo."), "success")
        return redirect(url_for(".settings"))
    return render_template("notices/settings.html", form=form)
