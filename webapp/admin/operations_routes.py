"""Administrators: the operations view — cases whose step failed, the reason in words, and a retry (issue 15).

On the admin blueprint (its before_request refuses anybody but administrators; the services check
again). The retry is a POST with the CSRF token and the id of the failure shown; the answer is a
redirect (a reload does not post again) and a second click finds the case no longer failed.
"""
from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ..pages.converters import url_int
from ..pages.labels import STATUS_LABELS
from ..services.operations import failed_cases, retry_failed_case
from ..services.step_failures import failure_reason
from .routes import blueprint, page_lang


@blueprint.get("/operations")
@login_required
def operations():
    listing = failed_cases(current_user, url_int(request.args.get("page", ""), 1))
    lang = page_lang()
    reasons = {row.instance_id: failure_reason(row.payload, lang) for row in listing.rows}
    return render_template("admin/operations.html", listing=listing, reasons=reasons)


@blueprint.post("/operations/<int:instance_id>/retry")
@login_required
def retry(instance_id):
    failure_id = url_int(request.form.get("failure", ""))
    if failure_id is None:
        flash(_("Yêu cầu chạy lại không hợp lệ: không rõ lỗi nào. Hãy mở lại trang rồi bấm “Chạy lại”."), "danger")
        return redirect(url_for("admin.operations"))
    outcome = retry_failed_case(current_user, instance_id, failure_id)
    if outcome.result == "retried":
        flash(_("Đã chạy lại hồ sơ #%(id)d: tình trạng bây giờ là “%(status)s”.", id=instance_id,
                status=STATUS_LABELS.get(outcome.status, outcome.status)), "success")
    elif outcome.result == "failed_again":
        flash(_("Chạy lại hồ sơ #%(id)d vẫn lỗi: %(reason)s Hồ sơ vẫn ở tình trạng lỗi; hãy sửa sơ đồ, triển "
                "khai và chuyển hồ sơ sang phiên bản mới.", id=instance_id,
                reason=failure_reason(outcome.payload, page_lang())), "danger")
    elif outcome.result == "stale":
        flash(_("Hồ sơ #%(id)d có lỗi mới hơn lỗi đang hiện trên trang: chưa chạy lại. Hãy xem lỗi mới rồi "
                "thử lại.", id=instance_id), "warning")
    else:
        flash(_("Hồ sơ #%(id)d không còn lỗi (đã được chạy lại hoặc chuyển phiên bản): không cần chạy lại.",
                id=instance_id), "info")
    return redirect(url_for("admin.operations"))
