"""Map domain errors to pages: never a stack trace, never a 500 for something the user did."""
from flask import current_app, jsonify, render_template, request
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError
from markupsafe import escape
from werkzeug.exceptions import HTTPException

from .extensions import db
from .services import Forbidden, InvalidSubmission, NotFound, StaleCase, StepFailed, TaskAlreadyCompleted

_STATUS = {NotFound: 404, Forbidden: 403, TaskAlreadyCompleted: 409, StaleCase: 409, InvalidSubmission: 422,
           StepFailed: 422}
_TITLES = {
    400: _l("Yêu cầu không hợp lệ"), 401: _l("Chưa đăng nhập"), 403: _l("Không có quyền"),
    404: _l("Không tìm thấy"), 405: _l("Thao tác không được phép"), 409: _l("Đã được xử lý"),
    413: _l("Tệp quá lớn"), 422: _l("Dữ liệu chưa hợp lệ"), 500: _l("Lỗi hệ thống"),
}
_MESSAGES = {
    400: _l("Yêu cầu không hợp lệ. Hãy tải lại trang và thử lại."),
    403: _l("Bạn không có quyền thực hiện thao tác này với vai trò đang chọn."),
    404: _l("Không tìm thấy trang hoặc hồ sơ này trong phạm vi của bạn."),
    405: _l("Thao tác này không được phép ở địa chỉ này."),
    409: _l("Hồ sơ đã được người khác xử lý. Hãy tải lại trang."),
    413: _l("Tệp gửi lên lớn hơn giới hạn cho phép (10 MB)."),
    422: _l("Dữ liệu gửi lên chưa hợp lệ."),
    500: _l("Đã có lỗi; sự cố đã được ghi lại. Vui lòng thử lại sau."),
}


def _respond(status, message=None):
    title = _TITLES.get(status, _l("Lỗi"))
    message = message or _MESSAGES.get(status, "")
    if request.accept_mimetypes.best == "application/json":
        return jsonify({"error": str(title), "message": str(message)}), status
    try:
        return render_template("error.html", title=title, message=message, status=status), status
    except Exception:  # the page itself needs the database (the acting role): still no trace
        current_app.logger.exception("the error page could not be drawn")
        return (f'<!doctype html><html lang="vi"><meta charset="utf-8"><title>{escape(title)}</title>'
                f'<h1>{escape(title)}</h1><p data-testid="error-message">{escape(message)}</p></html>'), status


def register(app):
    for error_class, status in _STATUS.items():
        app.register_error_handler(error_class, lambda e, s=status: _respond(s))

    @app.errorhandler(CSRFError)
    def csrf_error(error):
        return _respond(400, _l("Phiên làm việc đã hết hạn hoặc biểu mẫu đã cũ. Hãy tải lại trang và gửi lại."))

    @app.errorhandler(HTTPException)
    def http_error(error):
        body, status = _respond(error.code or 500)
        allowed = getattr(error, "valid_methods", None)  # a 405 says which methods the address takes
        return body, status, {"Allow": ", ".join(allowed)} if allowed else {}

    @app.errorhandler(Exception)
    def unexpected(error):
        app.logger.exception("unhandled error")  # the trace goes to the log, never to the page
        db.session.rollback()  # a failed flush leaves the session unusable, and the page reads the acting role
        return _respond(500)
